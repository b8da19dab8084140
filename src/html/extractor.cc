// Extraction in four passes over the flat DOM, none recursive:
//
// 1. Classify (document order, parents before children): an element is
//    removed when its parent is, when its tag never holds main content, when
//    it is hidden, or when its class/id/role names boilerplate. Class and id
//    are split into words ("articleBody" -> article, body; "share-bar" ->
//    share, bar); a token with a boilerplate word makes the element negative
//    unless another token is purely positive ("post-content has-sidebar").
//    Some tokens name no boilerplate although they hold such a word: the
//    header of the content ("article-header", "card-header"), a state
//    ("has-sidebar"), a script hook ("js-nav-toggle"), partial hiding
//    ("hidden-xs", "field--label-hidden"), Elementor's "widget" blocks. A
//    <header> inside <article> or <main>, or named for the content, is kept.
// 2. Aggregate (reverse order, children before parents): visible characters,
//    link characters, commas, and counts of paragraphs, list items, images,
//    form controls and embeds per subtree, plus the "inline" text of each
//    element: the text not inside a nested block, i.e. its own paragraph.
// 3. Score: each block with at least kMinParagraphChars of inline text
//    scores 1 + commas + length/85 (capped at 3), scaled by its inline
//    non-link share, and credits it to up to five ancestors (full, half,
//    then a sixth, ninth...). Candidates start from a tag prior and a class
//    weight of +-25; their final score is discounted by the subtree's link
//    density. The best candidate is moved up to a common ancestor when
//    several near-best candidates share it, climbs to parents that add
//    running text (into an <article> even for a short lead), and is widened
//    to siblings that score at least a fifth as well (or are plain,
//    link-poor paragraphs). A lead paragraph in a wrapper of its own just
//    before the chosen blocks is added in front of them.
// 4. Write: the chosen subtrees in document order, skipping removed
//    elements and containers that look like link lists, galleries, forms or
//    embeds by their aggregates, the h1 headline (it is metadata), short
//    lines of an article header (kicker, byline), paragraphs that are one
//    short link (teasers), lines that only date the page, and short blocks
//    whose text is site furniture in several languages ("Lesen Sie auch:",
//    "Foto: ...", "Anzeige", "Schreibe einen Kommentar", a copyright line).
//    The best candidate and its ancestors are never skipped.
//
// When the text is too short, the page is extracted again with boilerplate
// names ignored, then with the class/id rules off (only the text rules of
// step 4 apply then).
#include "html/extractor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/ascii.h"

namespace winnow::html {
namespace {

constexpr uint32_t kMinParagraphChars = 20;
// Climbing from the best candidate to its parent needs the parent to add at
// least this share of new paragraph text, made mostly of paragraphs and
// few links.
constexpr float kClimbMinGain = 0.02f;
// Longest paragraph (visible characters) that can be a lead-in line such as
// "Read also:" whose fate follows the block after it.
constexpr uint32_t kLeadInMaxChars = 40;
// Longest paragraph made only of a link that is dropped as a teaser.
constexpr uint32_t kLinkParagraphMaxChars = 150;
// A lead paragraph found before the article body: its length bounds, and
// how far the search goes (levels up, element siblings back per level).
constexpr uint32_t kLeadMinChars = 80;
constexpr uint32_t kLeadMaxChars = 800;
constexpr int kLeadSearchLevels = 5;
constexpr int kLeadSearchSiblings = 4;
// Below this much non-link text per image a block of images is a gallery.
constexpr float kGalleryMaxCharsPerImage = 80.0f;
// Shortest block of text kept from an article's <header>: shorter lines
// there are kickers, dates and bylines.
constexpr uint32_t kHeaderMinLineChars = 50;
constexpr float kClimbMinShare = 0.6f;
constexpr float kClimbMaxLinks = 0.25f;

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool ContainsIgnoreCase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (AsciiToLower(hay[i]) == AsciiToLower(needle[0]) &&
        EqualsIgnoreAsciiCase(hay.substr(i, needle.size()), needle))
      return true;
  }
  return false;
}

// Words of class/id values that mark boilerplate, matched whole.
constexpr std::string_view kNegativeWords[] = {
    "ad", "addthis", "ads", "adv", "advert", "affiliate", "alert", "anzeige", "aside", "author",
    "authors", "banner", "bildunterschrift", "bilduntertitel", "bio", "breadcrumb",
    "breadcrumbs", "byline", "caption", "comment", "comments", "community", "consent",
    "contact", "cookie", "cookies", "copyright", "credit", "credits", "crumb", "crumbs", "cta",
    "datenschutz", "dialog", "disclaimer", "disclosure", "disqus", "donate", "dropdown",
    "facebook", "follow", "foot", "footer", "footnotes", "gdpr", "header", "hidden", "hide",
    "imagecaption", "imagedescription", "impressum", "invisible", "kommentare", "legal",
    "legend", "licence", "license", "lizenz", "login", "masthead", "menu", "meta", "metadata",
    "modal", "nav", "navbar", "navigation", "newsletter", "nocomments", "offscreen", "outbrain",
    "overlay", "pager", "pagination", "paywall", "photocaption", "pinterest", "popular",
    "popup", "postmetadata", "print", "privacy", "promo", "promotion", "rail", "rating",
    "ratings", "recirc", "recommended", "related", "remark", "replies", "reply", "respond",
    "rss", "screen", "share", "shares", "sharing", "shoutbox", "sidebar", "signup", "skip",
    "social", "sponsor", "sponsored", "sr", "subscribe", "subscription", "supplemental",
    "taboola", "tags", "toolbar", "tooltip", "trending", "utility", "werbung", "whatsapp",
    "widget", "widgets", "zergnet",
};

// Prefixes of compound words that mark boilerplate ("sharebar",
// "commentlist", "relatedposts").
constexpr std::string_view kNegativeStems[] = {
    "advert", "banner", "breadcrumb", "comment", "cookie", "footer", "kommentar", "masthead",
    "navbar", "newsletter", "outbrain", "popup", "promo", "recommend", "related", "share",
    "sidebar", "social", "sponsor", "subscri", "taboola", "trending", "widget",
};

constexpr std::string_view kPositiveWords[] = {
    "article",  "articlebody", "blog",  "body",     "content", "contents",
    "entry",    "hentry",      "intro", "lead",     "lede",    "main",
    "markdown", "page",        "post",  "prose",    "richtext","single",
    "standfirst","story",      "text",
};

// Texts of short blocks that are site furniture, matched at the start of
// the block's text after leading punctuation, ASCII case folded. Kept
// multilingual (most pages are German, English, French, Spanish, Polish).
//
// The whole block is one of these (punctuation aside).
constexpr std::string_view kBoilerplateLines[] = {
    "advertisement", "anmelden", "anzeige", "beitragsbild", "categories", "category", "contact",
    "einloggen", "empfehlungen", "kategorie", "kategorien", "keine kommentare", "kommentare",
    "kommentieren", "kontakt", "log in", "login", "publicidad", "reklama", "schlagworte",
    "schlagwörter", "share", "stichworte", "tags", "teilen", "titelbild", "werbung",
};
// The block starts with one of these, then a colon.
constexpr std::string_view kLabelPrefixes[] = {
    "anzeige", "author", "authors", "autor", "autoren", "bild", "bilder", "bildquelle", "by",
    "categories", "category", "credit", "credits", "foto", "fotocredit", "fotos", "image",
    "kategorie", "kategorien", "kontakt", "lea", "lee", "mire", "photo", "photos", "quelle",
    "schlagworte", "schlagwörter", "source", "stichworte", "tags", "titelbild", "von",
    "werbung",
};
// The block starts with one of these words (a teaser, a prompt to
// subscribe, follow, donate or comment); at most kPhraseBlockMaxChars long.
constexpr std::string_view kLeadPhrases[] = {
    "abonnieren sie", "all rights reserved", "alle angaben ohne gewähr", "alle rechte",
    "auch interessant", "auch lesen", "back to", "be the first to", "beliebte", "beliebteste",
    "bisher keine kommentare", "copyright", "czytaj także", "czytaj też", "czytaj więcej",
    "dans la même rubrique", "das könnte dich", "das könnte sie", "das thema könnte",
    "deine e-mail-adresse wird", "dieser artikel wurde", "dieser text wurde", "empfohlen",
    "empfohlene", "entdecken sie", "folgen sie uns", "follow us", "gefällt dir",
    "gefällt ihnen", "hazte miembro", "if you enjoyed", "ihre e-mail-adresse wird",
    "jetzt abonnieren", "jetzt helfen", "jetzt registrieren", "jetzt teilen",
    "jetzt weiterlesen", "kommentar schreiben", "kommentar verfassen", "le puede interesar",
    "lea más", "lea también", "leave a comment", "leave a reply", "lee también", "leggi anche",
    "lesen sie auch", "lesen sie hier", "lesen sie mehr", "lesezeit", "lire aussi",
    "mehr aus dem", "mehr themen", "mehr von", "mehr zu", "mehr zum thema", "meistgelesen",
    "meistgelesene", "melden sie sich", "mira también", "more from", "more stories",
    "never miss", "newsletter", "newsletter abonnieren", "noch keine kommentare",
    "passend dazu", "puede interesarte", "puedes ver", "read also", "read more", "reading time",
    "related articles", "related stories", "schlagworte zum thema", "schon gelesen",
    "schreibe einen kommentar", "see also", "sei der erste", "sie müssen sich",
    "sie sind aktuell nicht", "sie sind nicht verbunden", "sign up", "sofern nicht anders",
    "subscribe", "suscríbete", "te puede interesar", "teilen sie", "ten tekst przeczytasz",
    "to view the full story", "top themen", "top-themen", "unterstützen sie", "vea también",
    "voir aussi", "weitere artikel", "weitere beiträge", "weitere themen", "you may also like",
    "you might also like", "you must be logged", "your email address will", "zapraszamy",
    "zobacz także", "zobacz też", "zum weiterlesen", "zurück", "à lire aussi",
};
constexpr uint32_t kPhraseBlockMaxChars = 200;
// Most nodes of a short block read by the text rules (bounds the work on
// blocks of many empty elements).
constexpr int32_t kTextScanMaxNodes = 256;

// Words of a line that only dates the page ("Dienstag, 3. März 2020,
// 14:05 Uhr"), lower case: month and weekday names in the languages above,
// and the little words around dates and times. Sorted by bytes.
constexpr std::string_view kDateWords[] = {
    "abril", "agosto", "am", "août", "apr", "april", "aprile", "at", "aug", "august", "avril",
    "czerwca", "de", "dec", "december", "del", "dez", "dezember", "dicembre", "diciembre",
    "dienstag", "dimanche", "domingo", "donnerstag", "décembre", "enero", "feb", "febbraio",
    "febrero", "februar", "february", "fri", "friday", "février", "gennaio", "grudnia", "h",
    "jan", "januar", "january", "janvier", "jeudi", "jueves", "juillet", "juin", "jul", "juli",
    "julio", "july", "jun", "june", "juni", "junio", "kwietnia", "lipca", "listopada", "luglio",
    "lundi", "lunes", "lutego", "maggio", "mai", "maio", "maja", "mar", "marca", "march",
    "mardi", "mars", "martes", "marzo", "may", "mayo", "mercredi", "mittwoch", "miércoles",
    "mon", "monday", "montag", "mrz", "märz", "nov", "november", "novembre", "noviembre", "oct",
    "october", "octobre", "okt", "oktober", "on", "ottobre", "października", "pm", "r", "sa",
    "samedi", "samstag", "sat", "saturday", "sep", "sept", "september", "septembre",
    "septiembre", "settembre", "sierpnia", "so", "sonntag", "stycznia", "sun", "sunday", "thu",
    "thursday", "tue", "tuesday", "uhr", "um", "vendredi", "viernes", "wed", "wednesday",
    "września", "ápr",
};
// Longest line that can be a date line.
constexpr uint32_t kDateLineMaxChars = 40;

// Screen sizes and media in responsive class names ("hidden-xs",
// "hide-for-small"), sorted.
constexpr std::string_view kBreakpoints[] = {
    "desktop", "large", "lg",     "md", "medium", "mobile", "phone",
    "print",   "sm",    "small",  "tablet", "xl", "xs",   "xxl",
};

bool InSorted(const std::string_view* begin, const std::string_view* end, std::string_view w) {
  const std::string_view* it = std::lower_bound(begin, end, w);
  return it != end && *it == w;
}

enum WordClass { kWordNone, kWordNegative, kWordPositive };

WordClass ClassifyWord(std::string_view w) {
  if (InSorted(std::begin(kNegativeWords), std::end(kNegativeWords), w)) return kWordNegative;
  if (InSorted(std::begin(kPositiveWords), std::end(kPositiveWords), w)) return kWordPositive;
  if (w.size() > 5) {
    for (std::string_view stem : kNegativeStems)
      if (w.size() > stem.size() && w.compare(0, stem.size(), stem) == 0) return kWordNegative;
  }
  return kWordNone;
}

// Scans one class or id value. Sets *negative when a token holds a
// boilerplate word, *positive when a token holds a content word and no
// boilerplate word, *content_header when a token names the header of the
// content ("article-header").
void ScanHints(std::string_view value, bool* negative, bool* positive,
               bool* content_header = nullptr) {
  size_t i = 0;
  const size_t n = value.size();
  while (i < n) {
    while (i < n && IsAsciiSpace(static_cast<unsigned char>(value[i]))) ++i;
    size_t token_end = i;
    while (token_end < n && !IsAsciiSpace(static_cast<unsigned char>(value[token_end])))
      ++token_end;
    bool token_neg = false, token_pos = false, token_header = false;
    bool token_hidden = false, token_breakpoint = false, token_part = false;
    bool first_word = true, builder = false;
    // Words: alphanumeric runs, also split before an upper-case letter that
    // follows a lower-case one.
    size_t j = i;
    while (j < token_end) {
      while (j < token_end && !IsAsciiAlnum(value[j])) ++j;
      char word[24];
      size_t len = 0;
      while (j < token_end && IsAsciiAlnum(value[j])) {
        char c = value[j];
        if (len > 0 && c >= 'A' && c <= 'Z' && word[len - 1] >= 'a' && word[len - 1] <= 'z') break;
        if (len < sizeof(word)) word[len++] = AsciiToLower(c);
        ++j;
      }
      if (len == 0) continue;
      std::string_view w(word, len);
      if (first_word) {
        builder = w == "elementor";
        // "has-sidebar", "no-header", "with-comments": a state of a layout
        // wrapper, not what the element is.
        if (w == "has" || w == "no" || w == "with" || w == "without") break;
        // "js-...": a hook for scripts.
        if (w == "js") break;
      }
      first_word = false;
      // "card-header", "section-header": the heading of a block of content.
      if (w == "card" || w == "section" || w == "table" || w == "panel") token_part = true;
      // Elementor, a common page builder, calls every block a widget.
      if (builder && (w == "widget" || w == "widgets")) continue;
      WordClass wc = ClassifyWord(w);
      // "hidden-xs": hidden on small screens; "label-hidden": its label is.
      if (InSorted(std::begin(kBreakpoints), std::end(kBreakpoints), w) || w == "label" ||
          w == "title")
        token_breakpoint = true;
      if (wc == kWordNegative) {
        if (w == "header") token_header = true;
        else if (w == "hidden" || w == "hide") token_hidden = true;
        else token_neg = true;
      }
      if (wc == kWordPositive) token_pos = true;
    }
    // "hidden-xs", "hide-on-mobile": hidden on some screens only;
    // "field--label-hidden": a part of it is hidden.
    if (token_hidden && !token_breakpoint) token_neg = true;
    // "article-header", "entryHeader": the header of the content, neither
    // boilerplate nor content by its name.
    if (token_header && !token_pos && !token_part) token_neg = true;
    if (token_header && token_pos && !token_neg && content_header != nullptr)
      *content_header = true;
    if (token_neg) *negative = true;
    if (token_pos && !token_neg && !token_header) *positive = true;
    i = token_end;
  }
}

// Tags whose whole subtree is never main content.
constexpr Tag kDroppedTags[] = {
    Tag::kScript,  Tag::kStyle,    Tag::kNoscript, Tag::kTemplate, Tag::kSvg,
    Tag::kIframe,  Tag::kObject,   Tag::kEmbed,    Tag::kCanvas,   Tag::kSelect,
    Tag::kOption,  Tag::kOptgroup, Tag::kButton,   Tag::kInput,    Tag::kTextarea,
    Tag::kNav,     Tag::kAside,    Tag::kFooter,   Tag::kHeader,   Tag::kDialog,
    Tag::kHead,    Tag::kTitle,    Tag::kAudio,    Tag::kVideo,    Tag::kMap,
    Tag::kDatalist,Tag::kNoembed,  Tag::kNoframes, Tag::kApplet,   Tag::kFrame,
    Tag::kFrameset,Tag::kMath,     Tag::kLabel,    Tag::kMenu,     Tag::kKeygen,
    Tag::kSearch,  Tag::kFigcaption, Tag::kFieldset, Tag::kLegend, Tag::kOutput,
    Tag::kMeter,   Tag::kProgress,
};

struct TagTables {
  std::array<bool, kNumTags> dropped{};
  std::array<bool, kNumTags> landmark{};  // dropped unless a page wrapper
  std::array<int8_t, kNumTags> prior{};
  TagTables() {
    for (Tag t : kDroppedTags) dropped[static_cast<int>(t)] = true;
    for (Tag t : {Tag::kAside, Tag::kHeader, Tag::kFooter, Tag::kForm})
      landmark[static_cast<int>(t)] = true;
    auto set = [&](std::initializer_list<Tag> tags, int v) {
      for (Tag t : tags) prior[static_cast<int>(t)] = static_cast<int8_t>(v);
    };
    set({Tag::kDiv, Tag::kArticle, Tag::kMain, Tag::kSection}, 5);
    set({Tag::kPre, Tag::kTd, Tag::kBlockquote}, 3);
    set({Tag::kAddress, Tag::kOl, Tag::kUl, Tag::kDl, Tag::kDd, Tag::kDt, Tag::kLi, Tag::kForm}, -3);
    set({Tag::kH1, Tag::kH2, Tag::kH3, Tag::kH4, Tag::kH5, Tag::kH6, Tag::kTh}, -5);
  }
};

const TagTables& Tables() {
  static const TagTables tables;
  return tables;
}

// Roles of landmark regions that are not the main content.
bool IsBoilerplateRole(std::string_view role) {
  static constexpr std::string_view kRoles[] = {
      "alert", "alertdialog", "banner", "complementary", "contentinfo", "dialog",
      "menu", "menubar", "navigation", "search", "tablist", "toolbar"};
  for (std::string_view r : kRoles)
    if (EqualsIgnoreAsciiCase(role, r)) return true;
  return false;
}

bool StyleHides(std::string_view style) {
  // "display:none" / "visibility:hidden", spaces ignored.
  char buf[256];
  size_t n = 0;
  for (char c : style) {
    if (IsAsciiSpace(static_cast<unsigned char>(c))) continue;
    if (n == sizeof(buf)) break;
    buf[n++] = AsciiToLower(c);
  }
  std::string_view s(buf, n);
  return s.find("display:none") != std::string_view::npos ||
         s.find("visibility:hidden") != std::string_view::npos;
}

// Visible characters (code points that are not ASCII space) and commas.
inline void CountText(std::string_view s, uint32_t* chars, uint32_t* commas) {
  uint32_t c = 0, k = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    c += !IsAsciiSpace(b) && (b & 0xC0) != 0x80;
    k += b == ',';
  }
  // Full-width and ideographic commas: EF BC 8C, E3 80 81.
  if (k == 0 && s.size() >= 3) {
    for (size_t i = 0; i + 2 < s.size(); ++i) {
      unsigned char b = static_cast<unsigned char>(s[i]);
      if ((b == 0xEF && s[i + 1] == '\xBC' && s[i + 2] == '\x8C') ||
          (b == 0xE3 && s[i + 1] == '\x80' && s[i + 2] == '\x81'))
        ++k;
    }
  }
  *chars = c;
  *commas = k;
}

// Appends `s` with whitespace collapsed and trimmed, cut at `max_bytes` on a
// character boundary, invalid UTF-8 replaced by U+FFFD.
void AppendClean(std::string_view s, size_t max_bytes, std::string* out) {
  bool space = false;
  size_t i = 0;
  while (i < s.size() && out->size() < max_bytes) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (IsAsciiSpace(b) || b < 0x20) {
      space = true;
      ++i;
      continue;
    }
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (valid && len == 2 && b < 0xC2) valid = false;
    if (valid && len == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      space = true;  // no-break space
      i += 2;
      continue;
    }
    size_t need = valid ? len : 3;
    if (out->size() + need + (space ? 1 : 0) > max_bytes) break;
    if (space && !out->empty()) out->push_back(' ');
    space = false;
    if (valid) {
      out->append(s.data() + i, len);
      i += len;
    } else {
      out->append("\xEF\xBF\xBD");
      ++i;
    }
  }
}

// Reads the JSON string value following "key": in `json`, unescaping only
// \" and \\ and \/ (enough for names and dates). Returns false when absent.
bool JsonLdString(std::string_view json, std::string_view key, std::string* out) {
  size_t pos = 0;
  while (true) {
    size_t k = json.find(key, pos);
    if (k == std::string_view::npos) return false;
    pos = k + key.size();
    if (k == 0 || json[k - 1] != '"' || pos >= json.size() || json[pos] != '"') continue;
    size_t i = pos + 1;
    while (i < json.size() && IsAsciiSpace(static_cast<unsigned char>(json[i]))) ++i;
    if (i >= json.size() || json[i] != ':') continue;
    ++i;
    while (i < json.size() && IsAsciiSpace(static_cast<unsigned char>(json[i]))) ++i;
    if (i >= json.size() || json[i] != '"') continue;
    ++i;
    out->clear();
    while (i < json.size() && json[i] != '"' && out->size() < 1024) {
      if (json[i] == '\\' && i + 1 < json.size()) ++i;
      out->push_back(json[i]);
      ++i;
    }
    return !out->empty();
  }
}

// Flag bits of NodeInfo.
enum : uint8_t {
  kRemoved = 1,
  kCandidate = 2,
  kNegative = 4,
  kPositive = 8,
  kInArticle = 16,  // inside an <article> or <main> element
  kInHeader = 32,   // an article's <header> or inside one
  kOnTopPath = 64,  // the best candidate or one of its ancestors
};

struct NodeInfo {
  uint32_t text;
  uint32_t link;
  uint32_t inline_text;
  uint32_t inline_link;
  uint32_t commas;
  uint32_t inline_commas;
  uint32_t paragraphs;
  uint32_t list_items;
  uint32_t images;
  uint32_t inputs;
  uint32_t embeds;
  uint32_t heading_text;
  uint32_t good_text;  // non-link text of link-poor paragraphs
  float score;
  int16_t weight;
  uint8_t flags;
};

// Writes text with structure: blocks separated by blank lines, list items
// and table rows by line breaks, whitespace collapsed outside <pre>.
class Writer {
 public:
  void Reset(std::string* out, OutputFormat format) {
    out_ = out;
    markdown_ = format == OutputFormat::kMarkdown;
    pending_break_ = 0;
    pending_space_ = false;
    pending_cell_ = false;
    line_start_ = true;
    prefix_.clear();
    quote_depth_ = 0;
  }
  bool markdown() const { return markdown_; }

  void Break(int level) { pending_break_ = std::max(pending_break_, level); }
  void SetItemPrefix(std::string_view p) { prefix_.assign(p); }
  void Cell() { pending_cell_ = true; }
  void QuoteDepth(int delta) { quote_depth_ += delta; }

  void Text(std::string_view s) {
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
      unsigned char b = static_cast<unsigned char>(s[i]);
      if (IsAsciiSpace(b) || b < 0x20 || b == 0x7F) {
        pending_space_ = true;
        ++i;
        continue;
      }
      if (b == 0xC2 && i + 1 < n && s[i + 1] == '\xA0') {
        pending_space_ = true;
        i += 2;
        continue;
      }
      size_t j = i + 1;
      while (j < n) {
        unsigned char c = static_cast<unsigned char>(s[j]);
        if (IsAsciiSpace(c) || c < 0x20 || c == 0x7F || c == 0xC2) break;
        ++j;
      }
      Flush();
      out_->append(s.data() + i, j - i);
      line_start_ = false;
      i = j;
    }
  }

  void Verbatim(std::string_view s) {
    if (s.empty()) return;
    Flush();
    for (char c : s) {
      unsigned char b = static_cast<unsigned char>(c);
      if (b < 0x20 && c != '\n' && c != '\t') continue;
      out_->push_back(c);
    }
    line_start_ = out_->empty() || out_->back() == '\n';
  }

  // Appends raw markup text (markdown fences) at a fresh line.
  void Raw(std::string_view s) {
    Flush();
    out_->append(s);
    line_start_ = !s.empty() && s.back() == '\n';
  }

  void Finish() {
    while (!out_->empty() && (out_->back() == ' ' || out_->back() == '\n')) out_->pop_back();
  }

  size_t size() const { return out_->size(); }

 private:
  void Flush() {
    if (pending_break_ > 0 && !out_->empty()) {
      while (!out_->empty() && out_->back() == ' ') out_->pop_back();
      out_->append(static_cast<size_t>(pending_break_), '\n');
      line_start_ = true;
    }
    if (line_start_) {
      if (markdown_)
        for (int q = 0; q < quote_depth_; ++q) out_->append("> ");
      if (!prefix_.empty()) {
        out_->append(prefix_);
        prefix_.clear();
      }
    } else if (pending_cell_) {
      out_->append(" | ");
    } else if (pending_space_) {
      out_->push_back(' ');
    }
    pending_break_ = 0;
    pending_space_ = false;
    pending_cell_ = false;
    line_start_ = false;
  }

  std::string* out_ = nullptr;
  bool markdown_ = false;
  int pending_break_ = 0;
  bool pending_space_ = false;
  bool pending_cell_ = false;
  bool line_start_ = true;
  std::string prefix_;
  int quote_depth_ = 0;
};

}  // namespace

struct Extractor::Impl {
  explicit Impl(const ExtractOptions& o) : options(o), parser(o.parse) {}

  const ExtractOptions options;
  HtmlParser parser;
  Dom dom;
  std::vector<NodeInfo> info;
  std::vector<uint32_t> raw_text;  // text bytes per subtree, scripts excluded
  std::vector<int32_t> roots;
  std::vector<int32_t> top_candidates;
  std::vector<int32_t> scratch_roots;
  std::vector<int32_t> list_depth_stack;
  Writer writer;
  std::string scratch;

  void ExtractMetadata(ExtractResult* out);
  // `rules` off: no class/id/role rules at all. `name_removal` off:
  // boilerplate class and id names are ignored, content names still weigh.
  void Classify(bool rules, bool name_removal = true);
  void Aggregate();
  void ChooseRoots(bool rules);
  void AddLead();
  bool IsLeadBlock(int32_t i) const;
  bool IsJunk(int32_t i) const;
  bool NextBlockIsBoilerplate(int32_t i) const;
  bool IsLeadIn(int32_t i) const;
  bool IsFurnitureText(int32_t i) const;
  bool IsDateLine(int32_t i) const;
  void Write(bool rules, std::string* out);
  void AppendNodeText(int32_t i, std::string* out);
  bool junk_rules = true;  // IsJunk applies its structural rules
};

void ExtractResult::Clear() {
  text.clear();
  title.clear();
  date.clear();
  author.clear();
  canonical_url.clear();
  declared_language.clear();
  truncated = false;
  depth_limited = 0;
  used_fallback = false;
}

Extractor::Extractor(const ExtractOptions& options)
    : options_(options), impl_(std::make_unique<Impl>(options)) {}

Extractor::~Extractor() = default;

void Extractor::Impl::AppendNodeText(int32_t root, std::string* out) {
  // Concatenated text of the subtree, in document order (iterative).
  const Node& r = dom.node(root);
  if (r.tag == Tag::kText) {
    out->append(dom.Text(r));
    return;
  }
  int32_t i = r.first_child;
  while (i != kNoNode) {
    const Node& n = dom.node(i);
    if (n.tag == Tag::kText) out->append(dom.Text(n));
    if (n.first_child != kNoNode && n.tag != Tag::kScript && n.tag != Tag::kStyle) {
      i = n.first_child;
      continue;
    }
    while (i != kNoNode && dom.node(i).next_sibling == kNoNode) {
      i = dom.node(i).parent;
      if (i == root) return;
    }
    if (i == kNoNode) return;
    i = dom.node(i).next_sibling;
  }
}

void Extractor::Impl::ExtractMetadata(ExtractResult* out) {
  const size_t max = options.max_metadata_bytes;
  std::string og_title, title_tag, h1, date_meta, date_time, date_ld;
  std::string author_meta, author_ld, canonical_link, og_url;
  std::string lang_html, lang_meta, lang_og;
  std::string_view v;
  auto set = [&](std::string* field, std::string_view value) {
    if (field->empty()) AppendClean(value, max, field);
  };
  const int32_t n = static_cast<int32_t>(dom.size());
  for (int32_t i = 1; i < n; ++i) {
    const Node& node = dom.node(i);
    switch (node.tag) {
      case Tag::kHtml:
        if (dom.FindAttr(i, "lang", &v)) set(&lang_html, v);
        else if (dom.FindAttr(i, "xml:lang", &v)) set(&lang_html, v);
        break;
      case Tag::kTitle:
        if (title_tag.empty()) {
          scratch.clear();
          AppendNodeText(i, &scratch);
          set(&title_tag, scratch);
        }
        break;
      case Tag::kH1:
        if (h1.empty()) {
          scratch.clear();
          AppendNodeText(i, &scratch);
          set(&h1, scratch);
        }
        break;
      case Tag::kMeta: {
        std::string_view content;
        if (!dom.FindAttr(i, "content", &content)) break;
        std::string_view key;
        if (!dom.FindAttr(i, "property", &key) && !dom.FindAttr(i, "name", &key) &&
            !dom.FindAttr(i, "itemprop", &key) && !dom.FindAttr(i, "http-equiv", &key))
          break;
        if (EqualsIgnoreAsciiCase(key, "og:title")) set(&og_title, content);
        else if (EqualsIgnoreAsciiCase(key, "og:url")) set(&og_url, content);
        else if (EqualsIgnoreAsciiCase(key, "og:locale")) set(&lang_og, content);
        else if (EqualsIgnoreAsciiCase(key, "content-language")) set(&lang_meta, content);
        else if (EqualsIgnoreAsciiCase(key, "article:published_time") ||
                 EqualsIgnoreAsciiCase(key, "datePublished") ||
                 EqualsIgnoreAsciiCase(key, "date") || EqualsIgnoreAsciiCase(key, "pubdate") ||
                 EqualsIgnoreAsciiCase(key, "publishdate") ||
                 EqualsIgnoreAsciiCase(key, "dc.date") ||
                 EqualsIgnoreAsciiCase(key, "dcterms.date") ||
                 EqualsIgnoreAsciiCase(key, "dc.date.issued") ||
                 EqualsIgnoreAsciiCase(key, "parsely-pub-date") ||
                 EqualsIgnoreAsciiCase(key, "sailthru.date") ||
                 EqualsIgnoreAsciiCase(key, "og:published_time"))
          set(&date_meta, content);
        else if (EqualsIgnoreAsciiCase(key, "author") || EqualsIgnoreAsciiCase(key, "dc.creator") ||
                 EqualsIgnoreAsciiCase(key, "parsely-author") ||
                 EqualsIgnoreAsciiCase(key, "sailthru.author") || EqualsIgnoreAsciiCase(key, "byl"))
          set(&author_meta, content);
        break;
      }
      case Tag::kLink:
        if (dom.FindAttr(i, "rel", &v) && EqualsIgnoreAsciiCase(v, "canonical") &&
            dom.FindAttr(i, "href", &v))
          set(&canonical_link, v);
        break;
      case Tag::kTime:
        if (date_time.empty() && dom.FindAttr(i, "datetime", &v)) set(&date_time, v);
        break;
      case Tag::kScript:
        if (dom.FindAttr(i, "type", &v) && ContainsIgnoreCase(v, "ld+json") &&
            node.first_child != kNoNode) {
          std::string_view json = dom.Text(dom.node(node.first_child));
          if (date_ld.empty() && JsonLdString(json, "datePublished", &scratch))
            set(&date_ld, scratch);
          if (author_ld.empty()) {
            size_t a = json.find("\"author\"");
            if (a != std::string_view::npos) {
              std::string_view rest = json.substr(a, 400);
              if (JsonLdString(rest, "name", &scratch) || JsonLdString(rest, "author", &scratch))
                set(&author_ld, scratch);
            }
          }
        }
        break;
      default:
        break;
    }
  }
  auto first = [](std::string* dst, std::initializer_list<const std::string*> srcs) {
    for (const std::string* s : srcs) {
      if (!s->empty()) {
        *dst = *s;
        return;
      }
    }
  };
  first(&out->title, {&og_title, &title_tag, &h1});
  first(&out->date, {&date_meta, &date_ld, &date_time});
  first(&out->author, {&author_meta, &author_ld});
  first(&out->canonical_url, {&canonical_link, &og_url});
  first(&out->declared_language, {&lang_html, &lang_meta, &lang_og});
}

void Extractor::Impl::Classify(bool rules, bool name_removal) {
  const TagTables& tables = Tables();
  const int32_t n = static_cast<int32_t>(dom.size());
  info.assign(static_cast<size_t>(n), NodeInfo{});
  // Text bytes per subtree: a boilerplate name on an element that holds
  // most of the page's text is a layout wrapper, not boilerplate.
  raw_text.assign(static_cast<size_t>(n), 0);
  for (int32_t i = n - 1; i >= 1; --i) {
    const Node& node = dom.node(i);
    if (node.tag == Tag::kText) {
      raw_text[static_cast<size_t>(i)] = node.count;
    } else if (node.tag == Tag::kScript || node.tag == Tag::kStyle ||
               node.tag == Tag::kNoscript || node.tag == Tag::kTemplate) {
      raw_text[static_cast<size_t>(i)] = 0;
    }
    raw_text[static_cast<size_t>(node.parent)] += raw_text[static_cast<size_t>(i)];
  }
  const uint32_t page_text = raw_text[0];
  auto wrapper = [&](int32_t i) {
    return static_cast<double>(raw_text[static_cast<size_t>(i)]) >= 0.4 * page_text &&
           page_text > 0;
  };
  for (int32_t i = 1; i < n; ++i) {
    const Node& node = dom.node(i);
    NodeInfo& ni = info[static_cast<size_t>(i)];
    const uint8_t parent_flags = info[static_cast<size_t>(node.parent)].flags;
    if (parent_flags & kRemoved) {
      ni.flags = kRemoved;
      continue;
    }
    if (node.tag == Tag::kText) continue;
    const bool in_article = (parent_flags & kInArticle) != 0;
    if (in_article || node.tag == Tag::kArticle || node.tag == Tag::kMain) ni.flags |= kInArticle;
    // A <header> inside an article is the article's own: headline, lead
    // paragraph and byline (the h1 and the byline go by other rules).
    bool article_header = rules && node.tag == Tag::kHeader && in_article;
    if (rules && node.tag == Tag::kHeader && !article_header) {
      // Outside <article>, a <header> named for the content
      // ("article-header") is the article's header too.
      std::string_view v;
      bool neg = false, pos = false;
      if (dom.FindAttr(i, "class", &v)) ScanHints(v, &neg, &pos, &article_header);
      if (dom.FindAttr(i, "id", &v)) ScanHints(v, &neg, &pos, &article_header);
    }
    if (article_header || (parent_flags & kInHeader)) ni.flags |= kInHeader;
    if (tables.dropped[static_cast<int>(node.tag)] && !article_header &&
        !(tables.landmark[static_cast<int>(node.tag)] && wrapper(i))) {
      ni.flags = kRemoved;
      continue;
    }
    bool removed = false;
    int weight = 0;
    bool negative = false, positive = false;
    for (const Attr* a = dom.AttrBegin(i); a != dom.AttrEnd(i); ++a) {
      std::string_view name = dom.AttrName(*a);
      std::string_view value = dom.AttrValue(*a);
      switch (name.size()) {
        case 2:
          if (EqualsIgnoreAsciiCase(name, "id")) {
            bool neg = false, pos = false;
            ScanHints(value, &neg, &pos);
            weight += (pos ? 25 : 0) - (neg ? 25 : 0);
            negative |= neg;
            positive |= pos;
          }
          break;
        case 4:
          if (rules && EqualsIgnoreAsciiCase(name, "role") && IsBoilerplateRole(value)) {
            removed = true;
          }
          break;
        case 5:
          if (EqualsIgnoreAsciiCase(name, "class")) {
            bool neg = false, pos = false;
            ScanHints(value, &neg, &pos);
            weight += (pos ? 25 : 0) - (neg ? 25 : 0);
            negative |= neg;
            positive |= pos;
          } else if (EqualsIgnoreAsciiCase(name, "style")) {
            if (StyleHides(value)) removed = true;
          }
          break;
        case 6:
          if (EqualsIgnoreAsciiCase(name, "hidden")) removed = true;
          break;
        case 8:
          if (EqualsIgnoreAsciiCase(name, "itemprop") &&
              (EqualsIgnoreAsciiCase(value, "articleBody") || EqualsIgnoreAsciiCase(value, "text")))
            weight += 50;
          break;
        case 11:
          if (EqualsIgnoreAsciiCase(name, "aria-hidden") && EqualsIgnoreAsciiCase(value, "true"))
            removed = true;
          break;
        default:
          break;
      }
    }
    if (!rules) weight = 0;
    if (!name_removal && weight < 0) weight = 0;
    ni.weight = static_cast<int16_t>(weight);
    if (negative && !positive) ni.flags |= kNegative;
    if (positive) ni.flags |= kPositive;
    if (rules && name_removal && negative && !positive && node.tag != Tag::kBody &&
        node.tag != Tag::kHtml &&
        node.tag != Tag::kMain && node.tag != Tag::kArticle && !wrapper(i))
      removed = true;
    if (removed) ni.flags |= kRemoved;
  }
}

void Extractor::Impl::Aggregate() {
  const TagTables& tables = Tables();
  const int32_t n = static_cast<int32_t>(dom.size());
  top_candidates.clear();
  for (int32_t i = n - 1; i >= 1; --i) {
    const Node& node = dom.node(i);
    NodeInfo& ni = info[static_cast<size_t>(i)];
    if (ni.flags & kRemoved) continue;
    const Tag tag = node.tag;
    if (tag == Tag::kText) {
      CountText(dom.Text(node), &ni.text, &ni.commas);
      ni.inline_text = ni.text;
      ni.inline_commas = ni.commas;
    } else {
      const uint16_t props = TagProperties(tag);
      // A block of running text: score it and credit its ancestors.
      if ((props & kBlock) && !(props & kHeading) && ni.inline_text >= kMinParagraphChars) {
        float share = 1.0f - static_cast<float>(ni.inline_link) / static_cast<float>(ni.inline_text);
        float s = (1.0f + static_cast<float>(ni.inline_commas) +
                   std::min(static_cast<float>(ni.inline_text) / 85.0f, 3.0f)) *
                  share;
        if (ni.inline_link * 2 < ni.inline_text) ni.good_text += ni.inline_text - ni.inline_link;
        int32_t a = node.parent;
        for (int level = 0; level < 5 && a > 0; ++level) {
          NodeInfo& ai = info[static_cast<size_t>(a)];
          if (!(ai.flags & kCandidate)) {
            ai.flags |= kCandidate;
            ai.score = static_cast<float>(tables.prior[static_cast<int>(dom.node(a).tag)] +
                                          ai.weight);
          }
          ai.score += s / (level == 0 ? 1.0f : level == 1 ? 2.0f : static_cast<float>(level * 3));
          a = dom.node(a).parent;
        }
      }
      if (tag == Tag::kP) ++ni.paragraphs;
      else if (tag == Tag::kLi) ++ni.list_items;
      else if (tag == Tag::kImg || tag == Tag::kPicture) ++ni.images;
      else if (tag == Tag::kInput || tag == Tag::kSelect || tag == Tag::kTextarea ||
               tag == Tag::kButton)
        ++ni.inputs;
      else if (tag == Tag::kIframe || tag == Tag::kEmbed || tag == Tag::kObject ||
               tag == Tag::kVideo)
        ++ni.embeds;
      if (props & kHeading) ni.heading_text = ni.text;
      if (tag == Tag::kA) {
        ni.link = ni.text;
        ni.inline_link = ni.inline_text;
      }
    }
    // Propagate to the parent.
    NodeInfo& pi = info[static_cast<size_t>(node.parent)];
    pi.text += ni.text;
    pi.link += ni.link;
    pi.commas += ni.commas;
    pi.paragraphs += ni.paragraphs;
    pi.list_items += ni.list_items;
    pi.images += ni.images;
    pi.inputs += ni.inputs;
    pi.embeds += ni.embeds;
    pi.heading_text += ni.heading_text;
    pi.good_text += ni.good_text;
    if (tag == Tag::kText || (TagProperties(tag) & kInline) || tag == Tag::kUnknown) {
      pi.inline_text += ni.inline_text;
      pi.inline_link += ni.inline_link;
      pi.inline_commas += ni.inline_commas;
    }
  }
}

bool Extractor::Impl::NextBlockIsBoilerplate(int32_t i) const {
  // The next sibling with text: pictures and empty blocks in between say
  // nothing about what the heading introduces.
  int32_t next = dom.node(i).next_sibling;
  while (next != kNoNode && info[static_cast<size_t>(next)].text == 0 &&
         !(info[static_cast<size_t>(next)].flags & kRemoved))
    next = dom.node(next).next_sibling;
  if (next == kNoNode || dom.node(next).tag == Tag::kText) return false;
  const Tag t = dom.node(next).tag;
  return (info[static_cast<size_t>(next)].flags & kRemoved) ||
         (!HasProp(t, kHeading) && t != Tag::kP && IsJunk(next));
}

bool Extractor::Impl::IsLeadIn(int32_t i) const {
  // A short paragraph that only announces what follows: "See also:", or a
  // line wholly in bold.
  const NodeInfo& ni = info[static_cast<size_t>(i)];
  if (ni.text == 0 || ni.text > kLeadInMaxChars) return false;
  int32_t last_text = kNoNode;
  for (int32_t c = dom.node(i).first_child; c != kNoNode; c = dom.node(c).next_sibling) {
    const Tag t = dom.node(c).tag;
    if (info[static_cast<size_t>(c)].text == 0) continue;
    if ((t == Tag::kStrong || t == Tag::kB) && info[static_cast<size_t>(c)].text == ni.text)
      return true;
    last_text = c;
  }
  if (last_text != kNoNode && dom.node(last_text).tag == Tag::kText) {
    std::string_view t = dom.Text(dom.node(last_text));
    while (!t.empty() && IsAsciiSpace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    return !t.empty() && t.back() == ':';
  }
  return false;
}

bool Extractor::Impl::IsFurnitureText(int32_t i) const {
  // The first bytes of the block's visible text, whitespace collapsed,
  // ASCII lower-cased, leading punctuation and symbols dropped.
  char buf[96];
  size_t n = 0;
  bool full = true;  // buf holds the whole text
  bool space = false;
  bool copyright = false;
  const int32_t end = dom.node(i).next_sibling;
  const int32_t last = std::min(static_cast<int32_t>(dom.size()), i + 1 + kTextScanMaxNodes);
  for (int32_t c = i + 1; c < last && c != end; ++c) {
    const Node& cn = dom.node(c);
    if (cn.depth <= dom.node(i).depth) break;
    if (cn.tag != Tag::kText || (info[static_cast<size_t>(c)].flags & kRemoved)) continue;
    std::string_view t = dom.Text(cn);
    for (size_t k = 0; k < t.size(); ++k) {
      unsigned char b = static_cast<unsigned char>(t[k]);
      if (IsAsciiSpace(b)) {
        space = n > 0;
        continue;
      }
      if (n == 0) {
        // Leading ASCII punctuation, no-break space, guillemets, bullets.
        if (b < 0x80 && !IsAsciiAlnum(static_cast<char>(b))) continue;
        if (b == 0xC2 && k + 1 < t.size()) {
          copyright |= t[k + 1] == '\xA9';  // a line starting with the sign
          ++k;
          continue;
        }
        if (b == 0xE2 && k + 2 < t.size()) {
          k += 2;
          continue;
        }
      }
      if (n + 2 > sizeof(buf)) {
        full = false;
        break;
      }
      if (space) buf[n++] = ' ';
      space = false;
      buf[n++] = AsciiToLower(static_cast<char>(b));
      // Latin-1 capitals (C3 80..9E but for the multiplication sign).
      if (b == 0xC3 && k + 1 < t.size() && n < sizeof(buf)) {
        unsigned char c2 = static_cast<unsigned char>(t[++k]);
        buf[n++] = static_cast<char>(c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97 ? c2 + 0x20 : c2);
      }
    }
    if (!full) break;
  }
  if (n == 0) return false;
  if (copyright && info[static_cast<size_t>(i)].text <= kPhraseBlockMaxChars) return true;
  std::string_view text(buf, n);
  auto starts = [&](std::string_view phrase, size_t* after) {
    if (text.size() < phrase.size() || text.compare(0, phrase.size(), phrase) != 0) return false;
    *after = phrase.size();
    return true;
  };
  size_t after = 0;
  if (full) {
    std::string_view trimmed = text;
    while (!trimmed.empty() && static_cast<unsigned char>(trimmed.back()) < 0x80 &&
           !IsAsciiAlnum(trimmed.back()))
      trimmed.remove_suffix(1);
    for (std::string_view line : kBoilerplateLines)
      if (trimmed == line) return true;
  }
  for (std::string_view label : kLabelPrefixes) {
    if (!starts(label, &after)) continue;
    while (after < text.size() && text[after] == ' ') ++after;
    if (after < text.size() && text[after] == ':') return true;
  }
  if (info[static_cast<size_t>(i)].text > kPhraseBlockMaxChars) return false;
  for (std::string_view phrase : kLeadPhrases) {
    if (!starts(phrase, &after)) continue;
    if (after == text.size() || !IsAsciiAlpha(text[after])) return true;
  }
  return false;
}

bool Extractor::Impl::IsDateLine(int32_t i) const {
  // Every word is a number, a month or weekday name or a little word of
  // dates and times; at least one number.
  char word[32];
  size_t len = 0;
  int numbers = 0;
  bool ok = true;
  auto finish = [&]() {
    if (len == 0) return;
    std::string_view w(word, len);
    bool digits = true;
    for (char c : w) digits &= IsAsciiDigit(c);
    if (digits) ++numbers;
    else if (!InSorted(std::begin(kDateWords), std::end(kDateWords), w)) ok = false;
    len = 0;
  };
  const int32_t end = dom.node(i).next_sibling;
  const int32_t last = std::min(static_cast<int32_t>(dom.size()), i + 1 + kTextScanMaxNodes);
  for (int32_t c = i + 1; ok && c < last && c != end; ++c) {
    const Node& cn = dom.node(c);
    if (cn.depth <= dom.node(i).depth) break;
    if (cn.tag != Tag::kText || (info[static_cast<size_t>(c)].flags & kRemoved)) continue;
    std::string_view t = dom.Text(cn);
    for (size_t k = 0; ok && k < t.size(); ++k) {
      unsigned char b = static_cast<unsigned char>(t[k]);
      if (b < 0x80 && !IsAsciiAlnum(static_cast<char>(b))) {
        finish();
        continue;
      }
      if (len == sizeof(word)) {
        ok = false;
        break;
      }
      word[len++] = AsciiToLower(static_cast<char>(b));
    }
    finish();
  }
  return ok && numbers > 0;
}

bool Extractor::Impl::IsJunk(int32_t i) const {
  const Node& node = dom.node(i);
  const NodeInfo& ni = info[static_cast<size_t>(i)];
  const Tag tag = node.tag;
  if (ni.flags & kOnTopPath) return false;
  // Credits, "Read more: ..." teasers and share prompts.
  if (ni.text > 0 && ni.text <= kPhraseBlockMaxChars &&
      (tag == Tag::kP || tag == Tag::kDiv || tag == Tag::kLi || tag == Tag::kSection ||
       tag == Tag::kDd || tag == Tag::kDt || HasProp(tag, kHeading)) &&
      IsFurnitureText(i))
    return true;
  // A line that only dates the article.
  if (ni.text > 0 && ni.text <= kDateLineMaxChars &&
      (tag == Tag::kP || tag == Tag::kDiv || tag == Tag::kLi || tag == Tag::kDd ||
       tag == Tag::kDt || (tag == Tag::kTime && dom.node(node.parent).tag != Tag::kP)) &&
      IsDateLine(i))
    return true;
  if (tag == Tag::kH1) return true;
  // Without the class/id rules (the fallback pass) the structure of the
  // page is not trusted either: only texts above and the h1 go.
  if (!junk_rules) return false;
  if (HasProp(tag, kHeading)) {
    if (ni.weight < 0) return true;
    if (ni.text > 0 && ni.link * 3 > ni.text) return true;
    // A heading introduces the block after it: when that block is
    // boilerplate ("Related articles" over a link list), so is the heading.
    // A long heading is a subtitle, not a label for what follows.
    return ni.text < kLeadMinChars && NextBlockIsBoilerplate(i);
  }
  // In an article's header only the lead paragraph and the headings are
  // content; short lines there are kickers, dates and bylines.
  if ((ni.flags & kInHeader) && HasProp(tag, kBlock) && ni.text < kHeaderMinLineChars)
    return true;
  // A paragraph that is one short link: a teaser for another article.
  if (tag == Tag::kP && ni.text > 0 && ni.text <= kLinkParagraphMaxChars &&
      static_cast<float>(ni.link) >= 0.9f * static_cast<float>(ni.text))
    return true;
  if (tag == Tag::kP) return IsLeadIn(i) && NextBlockIsBoilerplate(i);
  if (tag != Tag::kDiv && tag != Tag::kSection && tag != Tag::kUl && tag != Tag::kOl &&
      tag != Tag::kDl && tag != Tag::kTable && tag != Tag::kForm && tag != Tag::kCenter &&
      tag != Tag::kFigure)
    return false;
  const float score = (ni.flags & kCandidate) ? ni.score : 0.0f;
  const int weight = ni.weight;
  if (weight < 0 && static_cast<float>(weight) + score < 0) return true;
  if (ni.commas >= 10) return false;
  const bool is_list = tag == Tag::kUl || tag == Tag::kOl || tag == Tag::kDl;
  const float text = static_cast<float>(ni.text);
  const float link_density = ni.text > 0 ? static_cast<float>(ni.link) / text : 0.0f;
  const float p = static_cast<float>(ni.paragraphs);
  const float img = static_cast<float>(ni.images);
  const float li = static_cast<float>(ni.list_items) - 100.0f;
  const float heading_density = ni.text > 0 ? static_cast<float>(ni.heading_text) / text : 0.0f;
  // A gallery: images with little text of their own.
  if (img > 1 && p / img < 0.5f && tag != Tag::kFigure &&
      static_cast<float>(ni.text - ni.link) < kGalleryMaxCharsPerImage * img)
    return true;
  if (!is_list && li > p) return true;
  if (static_cast<float>(ni.inputs) > std::floor(p / 3.0f)) return true;
  if (!is_list && heading_density < 0.9f && ni.text < 20 && (ni.images == 0 || ni.images > 2))
    return true;
  if (!is_list && weight < 25 && link_density > 0.2f) return true;
  if (weight >= 25 && link_density > 0.5f) return true;
  if (is_list && link_density > 0.5f) return true;
  if ((ni.embeds == 1 && ni.text < 60) || ni.embeds > 1) return true;
  return false;
}

void Extractor::Impl::ChooseRoots(bool rules) {
  roots.clear();
  junk_rules = rules;
  const int32_t n = static_cast<int32_t>(dom.size());
  int32_t top = kNoNode;
  float top_score = 0;
  // Final scores and the five best candidates.
  top_candidates.clear();
  for (int32_t i = 1; i < n; ++i) {
    NodeInfo& ni = info[static_cast<size_t>(i)];
    if (!(ni.flags & kCandidate) || (ni.flags & kRemoved)) continue;
    float ld = ni.text > 0 ? static_cast<float>(ni.link) / static_cast<float>(ni.text) : 0.0f;
    ni.score *= (1.0f - ld);
    if (top == kNoNode || ni.score > top_score) {
      top = i;
      top_score = ni.score;
    }
  }
  if (top == kNoNode) {
    // No block of running text: take the whole document.
    roots.push_back(0);
    return;
  }
  // The best candidate is written whatever the names of its wrappers.
  for (int32_t a = top; a > 0; a = dom.node(a).parent)
    info[static_cast<size_t>(a)].flags |= kOnTopPath;
  auto score_of = [&](int32_t i) {
    const NodeInfo& ni = info[static_cast<size_t>(i)];
    return (ni.flags & kCandidate) ? ni.score : 0.0f;
  };
  // Several near-best candidates under one ancestor: the ancestor holds the
  // article (pages that split the text into sibling blocks).
  for (int32_t i = 1; i < n; ++i) {
    const NodeInfo& ni = info[static_cast<size_t>(i)];
    if (i != top && (ni.flags & kCandidate) && !(ni.flags & kRemoved) &&
        ni.score >= 0.75f * top_score)
      top_candidates.push_back(i);
  }
  if (top_candidates.size() >= 3) {
    for (int32_t a = dom.node(top).parent; a > 0; a = dom.node(a).parent) {
      if (dom.node(a).tag == Tag::kBody || dom.node(a).tag == Tag::kHtml) break;
      int contained = 0;
      for (int32_t c : top_candidates) {
        for (int32_t x = dom.node(c).parent; x > 0; x = dom.node(x).parent) {
          if (x == a) {
            ++contained;
            break;
          }
          if (dom.node(x).depth < dom.node(a).depth) break;
        }
      }
      if (contained >= 3) {
        top = a;
        break;
      }
    }
  }
  // Climb while the parent scores better (the article's wrapper).
  {
    float last = score_of(top);
    const float threshold = last / 3.0f;
    for (int32_t p = dom.node(top).parent; p > 0; p = dom.node(p).parent) {
      Tag t = dom.node(p).tag;
      if (t == Tag::kBody || t == Tag::kHtml) break;
      if (!(info[static_cast<size_t>(p)].flags & kCandidate)) continue;
      float ps = score_of(p);
      if (ps < threshold) break;
      if (ps > last) {
        top = p;
        break;
      }
      last = ps;
    }
  }
  // An only child stands for its parent.
  while (true) {
    int32_t p = dom.node(top).parent;
    if (p <= 0) break;
    Tag t = dom.node(p).tag;
    if (t == Tag::kBody || t == Tag::kHtml) break;
    int elements = 0;
    for (int32_t c = dom.node(p).first_child; c != kNoNode; c = dom.node(c).next_sibling) {
      const Node& cn = dom.node(c);
      if (cn.tag != Tag::kText && !(info[static_cast<size_t>(c)].flags & kRemoved)) ++elements;
      if (cn.tag == Tag::kText && info[static_cast<size_t>(c)].text > 0) elements += 2;
    }
    if (elements != 1) break;
    top = p;
  }
  // Climb while the parent adds running text rather than links: articles
  // split into several blocks under one wrapper.
  while (true) {
    int32_t p = dom.node(top).parent;
    if (p <= 0) break;
    Tag t = dom.node(p).tag;
    if (t == Tag::kBody || t == Tag::kHtml) break;
    const NodeInfo& pi = info[static_cast<size_t>(p)];
    const NodeInfo& ti = info[static_cast<size_t>(top)];
    const float extra_good = static_cast<float>(pi.good_text) - static_cast<float>(ti.good_text);
    const float extra_text = static_cast<float>(pi.text) - static_cast<float>(ti.text);
    const float extra_link = static_cast<float>(pi.link) - static_cast<float>(ti.link);
    if (extra_text <= 0) {
      top = p;
      continue;
    }
    // Into an <article> even for a short lead: the element is the article.
    const float min_gain = t == Tag::kArticle ? 0.0f : kClimbMinGain;
    if (extra_good < min_gain * static_cast<float>(ti.good_text) ||
        extra_good < kClimbMinShare * extra_text || extra_link > kClimbMaxLinks * extra_text)
      break;
    top = p;
  }
  // Siblings that score comparably, or plain link-poor paragraphs.
  const int32_t parent = dom.node(top).parent;
  const Tag parent_tag = dom.node(parent).tag;
  if (parent <= 0 || parent_tag == Tag::kHtml) {
    roots.push_back(top);
    return;
  }
  const float threshold = std::max(10.0f, score_of(top) * 0.2f);
  std::string_view top_class;
  bool top_has_class = dom.node(top).tag != Tag::kText && dom.FindAttr(top, "class", &top_class) &&
                       !top_class.empty();
  for (int32_t s = dom.node(parent).first_child; s != kNoNode; s = dom.node(s).next_sibling) {
    if (s == top) {
      roots.push_back(s);
      continue;
    }
    const Node& sn = dom.node(s);
    const NodeInfo& si = info[static_cast<size_t>(s)];
    if (sn.tag == Tag::kText || (si.flags & kRemoved)) continue;
    float bonus = 0;
    std::string_view cls;
    if (rules && top_has_class && dom.FindAttr(s, "class", &cls) && cls == top_class)
      bonus = score_of(top) * 0.2f;
    bool include = (si.flags & kCandidate) && si.score + bonus >= threshold;
    if (!include && sn.tag == Tag::kP && si.text > 0) {
      float ld = static_cast<float>(si.link) / static_cast<float>(si.text);
      include = si.text >= 65 && ld < 0.25f;
    }
    if (include) roots.push_back(s);
  }
  if (rules) AddLead();
}

bool Extractor::Impl::IsLeadBlock(int32_t i) const {
  const Node& node = dom.node(i);
  const NodeInfo& ni = info[static_cast<size_t>(i)];
  if (node.tag == Tag::kText || (ni.flags & kRemoved) || node.tag == Tag::kH1) return false;
  if (!HasProp(node.tag, kBlock)) return false;
  // A picture's caption: the parent holds an image and little else.
  const NodeInfo& pi = info[static_cast<size_t>(node.parent)];
  if (pi.images > 0 && pi.text <= ni.text + kMinParagraphChars) return false;
  const uint32_t own = HasProp(node.tag, kHeading) ? ni.text : ni.inline_text;
  const uint32_t own_link = HasProp(node.tag, kHeading) ? ni.link : ni.inline_link;
  return own >= kLeadMinChars && own <= kLeadMaxChars && own_link * 5 < own && !IsJunk(i);
}

void Extractor::Impl::AddLead() {
  // The lead paragraph (standfirst) often sits before the article body in
  // a wrapper of its own: look at the blocks just before the first root,
  // a few levels up but not beyond the <article> or <main> element.
  if (roots.empty() || roots[0] <= 0) return;
  int32_t cur = roots[0];
  for (int level = 0; level < kLeadSearchLevels; ++level) {
    const Tag ct = dom.node(cur).tag;
    if (ct == Tag::kArticle || ct == Tag::kMain) return;
    const int32_t parent = dom.node(cur).parent;
    if (parent <= 0) return;
    const Tag pt = dom.node(parent).tag;
    if (pt == Tag::kBody || pt == Tag::kHtml) return;
    // The element siblings before `cur`, the closest few.
    int32_t before[kLeadSearchSiblings];
    int count = 0;
    for (int32_t sib = dom.node(parent).first_child; sib != cur && sib != kNoNode;
         sib = dom.node(sib).next_sibling) {
      if (dom.node(sib).tag == Tag::kText) continue;
      if (count == kLeadSearchSiblings) {
        std::copy(before + 1, before + count, before);
        --count;
      }
      before[count++] = sib;
    }
    for (int k = count - 1; k >= 0; --k) {
      const int32_t sib = before[k];
      const NodeInfo& si = info[static_cast<size_t>(sib)];
      if ((si.flags & kRemoved) || si.text == 0) continue;
      if (si.text > kLeadMaxChars * 2) return;  // a block of its own: stop
      // Lead blocks in the sibling's subtree, in document order.
      scratch_roots.clear();
      const int32_t end = dom.node(sib).next_sibling;
      const uint16_t depth = dom.node(sib).depth;
      for (int32_t d = sib; d < static_cast<int32_t>(dom.size()) && d != end; ++d) {
        if (d != sib && dom.node(d).depth <= depth) break;
        if (IsLeadBlock(d)) {
          scratch_roots.push_back(d);
          // Skip its subtree.
          const int32_t skip_end = dom.node(d).next_sibling;
          while (d + 1 < static_cast<int32_t>(dom.size()) && d + 1 != skip_end &&
                 dom.node(d + 1).depth > dom.node(d).depth)
            ++d;
        }
      }
      if (!scratch_roots.empty()) {
        roots.insert(roots.begin(), scratch_roots.begin(), scratch_roots.end());
        return;
      }
    }
    cur = parent;
  }
}

void Extractor::Impl::Write(bool rules, std::string* out) {
  out->clear();
  junk_rules = rules;
  writer.Reset(out, options.format);
  const bool md = writer.markdown();
  list_depth_stack.clear();
  int pre_depth = 0;
  int list_depth = 0;
  int row_cells = 0;
  int rows_in_table = 0;
  for (int32_t root : roots) {
    const bool root_is_doc = root == 0;
    int32_t i = root;
    bool entering = true;
    while (true) {
      const Node& node = dom.node(i);
      const Tag tag = node.tag;
      if (entering) {
        const NodeInfo& ni = info[static_cast<size_t>(i)];
        bool skip = (ni.flags & kRemoved) != 0;
        if (!skip && i != root && !root_is_doc && tag != Tag::kText) skip = IsJunk(i);
        if (!skip && !options.include_tables && tag == Tag::kTable) skip = true;
        if (!skip && i != 0) {
          const uint16_t props = TagProperties(tag);
          if (tag == Tag::kText) {
            std::string_view t = dom.Text(node);
            if (pre_depth > 0) {
              writer.Verbatim(t);
            } else {
              writer.Text(t);
            }
          } else if (tag == Tag::kBr) {
            if (pre_depth > 0) writer.Verbatim("\n");
            else writer.Break(1);
          } else if (tag == Tag::kHr) {
            writer.Break(2);
          } else if (props & kBlock) {
            switch (tag) {
              case Tag::kLi: {
                writer.Break(1);
                std::string prefix;
                if (md) prefix.assign(static_cast<size_t>(std::max(0, list_depth - 1)) * 2, ' ');
                prefix += "- ";
                writer.SetItemPrefix(prefix);
                break;
              }
              case Tag::kUl:
              case Tag::kOl:
                ++list_depth;
                writer.Break(list_depth > 1 ? 1 : 2);
                break;
              case Tag::kDt:
              case Tag::kDd:
                writer.Break(1);
                break;
              case Tag::kTr:
                writer.Break(1);
                row_cells = 0;
                if (md) writer.SetItemPrefix("| ");
                break;
              case Tag::kTd:
              case Tag::kTh:
                if (row_cells > 0) writer.Cell();
                ++row_cells;
                break;
              case Tag::kTable:
                writer.Break(2);
                rows_in_table = 0;
                break;
              case Tag::kPre:
                writer.Break(2);
                if (md && pre_depth == 0) writer.Raw("```\n");
                ++pre_depth;
                break;
              case Tag::kBlockquote:
                writer.Break(2);
                writer.QuoteDepth(1);
                break;
              default:
                writer.Break(2);
                if (md && (props & kHeading)) {
                  int level = static_cast<int>(tag) - static_cast<int>(Tag::kH1) + 1;
                  writer.SetItemPrefix(std::string(static_cast<size_t>(level), '#') + " ");
                }
                break;
            }
          }
          if (node.first_child != kNoNode && tag != Tag::kText) {
            i = node.first_child;
            continue;
          }
          entering = false;
        } else if (i == 0 && node.first_child != kNoNode) {
          i = node.first_child;
          continue;
        } else {
          entering = false;
          // Skipped subtree: do not run its close actions.
          if (i == root) break;
          if (node.next_sibling != kNoNode) {
            i = node.next_sibling;
            entering = true;
            continue;
          }
          i = node.parent;
          continue;
        }
      }
      // Close actions for `i` (it was entered and not skipped).
      if (tag != Tag::kText && i != 0) {
        const uint16_t props = TagProperties(tag);
        if (props & kBlock) {
          switch (tag) {
            case Tag::kLi:
            case Tag::kDt:
            case Tag::kDd:
              writer.Break(1);
              break;
            case Tag::kUl:
            case Tag::kOl:
              --list_depth;
              writer.Break(list_depth > 0 ? 1 : 2);
              break;
            case Tag::kTr:
              if (md && row_cells > 0) {
                writer.Raw(" |");
                if (rows_in_table == 0) {
                  std::string sep = "\n|";
                  for (int c = 0; c < row_cells; ++c) sep += " --- |";
                  writer.Raw(sep);
                }
              }
              ++rows_in_table;
              writer.Break(1);
              break;
            case Tag::kTd:
            case Tag::kTh:
              break;
            case Tag::kPre:
              --pre_depth;
              if (md && pre_depth == 0) {
                writer.Raw("\n```");
              }
              writer.Break(2);
              break;
            case Tag::kBlockquote:
              writer.QuoteDepth(-1);
              writer.Break(2);
              break;
            default:
              writer.Break(2);
              break;
          }
        }
      }
      if (i == root) break;
      if (node.next_sibling != kNoNode) {
        i = node.next_sibling;
        entering = true;
      } else {
        i = node.parent;
        entering = false;
        if (i == kNoNode) break;
      }
    }
    writer.Break(2);
  }
  writer.Finish();
}

Status Extractor::Extract(std::string_view html, ExtractResult* out) {
  out->Clear();
  Impl& im = *impl_;
  if (html.size() > options_.max_input_bytes) {
    html = html.substr(0, options_.max_input_bytes);
    out->truncated = true;
  }
  im.parser.Parse(html, &im.dom);
  out->truncated |= im.dom.truncated();
  out->depth_limited = im.dom.depth_limited();
  im.ExtractMetadata(out);

  im.Classify(true);
  im.Aggregate();
  im.ChooseRoots(true);
  im.Write(true, &out->text);
  uint32_t chars = 0, commas = 0;
  CountText(out->text, &chars, &commas);
  if (chars < options_.retry_below_chars) {
    // A boilerplate name on one of the article's own wrappers removed it
    // all: try again with boilerplate names ignored, all other rules on.
    im.Classify(true, false);
    im.Aggregate();
    im.ChooseRoots(true);
    std::string& alt = im.scratch;
    im.Write(true, &alt);
    uint32_t alt_chars = 0;
    CountText(alt, &alt_chars, &commas);
    if (alt_chars > 2 * chars) {
      out->text.swap(alt);
      chars = alt_chars;
      out->used_fallback = true;
    }
  }
  if (chars < options_.retry_below_chars) {
    im.Classify(false);
    im.Aggregate();
    im.ChooseRoots(false);
    std::string& alt = im.scratch;
    im.Write(false, &alt);
    uint32_t alt_chars = 0;
    CountText(alt, &alt_chars, &commas);
    if (alt_chars > 2 * chars) {
      out->text.swap(alt);
      out->used_fallback = true;
    }
  }
  return Status::OK();
}

}  // namespace winnow::html
