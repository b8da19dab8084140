#include "gen/generator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "gen/lexicon.h"
#include "gen/prose.h"
#include "gen/rng.h"
#include "gen/site.h"

namespace winnow {
namespace {

using gen::Article;
using gen::Block;
using gen::DeriveSeed;
using gen::Rng;
using gen::Site;

// Near and exact copies pick their source among the most recent articles.
constexpr size_t kPoolSize = 1024;

constexpr uint32_t Bit(DebrisKind k) { return 1u << static_cast<int>(k); }

// Kinds that can always be applied to any article.
constexpr uint32_t kAlwaysApplicable =
    Bit(DebrisKind::kSiteHeader) | Bit(DebrisKind::kNavRepeat) |
    Bit(DebrisKind::kHeadlineEcho) | Bit(DebrisKind::kSiteFooter) |
    Bit(DebrisKind::kSubscribePlea) | Bit(DebrisKind::kHtmlEntities) |
    Bit(DebrisKind::kControlChars);

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

void AppendPadded(int v, std::string* out) {
  if (v < 10) out->push_back('0');
  AppendInt(v, out);
}

void AppendId(int64_t index, std::string* out) {
  out->append("gen-");
  AppendInt(index, out);
}

// Line roles of an article's canonical text.
void ArticleRoles(const Article& a, std::string* roles) {
  roles->push_back('A');
  for (size_t i = 0; i < a.num_blocks; ++i) roles->append(".A");
}

size_t FindSpace(Rng& rng, const std::string& s) {
  if (s.size() < 4) return std::string::npos;
  size_t start = rng.Below(static_cast<uint32_t>(s.size()));
  size_t p = s.find(' ', start);
  if (p == std::string::npos) p = s.find(' ');
  return p;
}

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiLowerOrDigit(char c) { return IsAsciiLower(c) || (c >= '0' && c <= '9'); }

// Encodes & " ' as entities and, unless ascii_only, curly quotes as numeric
// entities; if nothing was encoded, one space becomes &nbsp;.
void EncodeEntities(Rng& rng, bool ascii_only, const std::string& in,
                    std::string* out) {
  out->clear();
  bool any = false;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '&') {
      out->append("&amp;");
      any = true;
    } else if (c == '"') {
      out->append("&quot;");
      any = true;
    } else if (c == '\'') {
      out->append("&#39;");
      any = true;
    } else if (!ascii_only && c == '\xE2' && i + 2 < in.size() && in[i + 1] == '\x80' &&
               (in[i + 2] == '\x99' || in[i + 2] == '\x9C' ||
                in[i + 2] == '\x9D')) {
      out->append(in[i + 2] == '\x99'   ? "&#8217;"
                  : in[i + 2] == '\x9C' ? "&#8220;"
                                        : "&#8221;");
      i += 2;
      any = true;
    } else {
      out->push_back(c);
    }
  }
  if (!any || rng.Chance(0.5)) {
    size_t p = FindSpace(rng, *out);
    if (p != std::string::npos) out->replace(p, 1, "&nbsp;");
  }
}

bool HasCurly(const std::string& s) {
  return s.find("\xE2\x80\x99") != std::string::npos ||
         s.find("\xE2\x80\x9C") != std::string::npos ||
         s.find("\xE2\x80\x9D") != std::string::npos;
}

// UTF-8 bytes decoded as Windows-1252 and encoded again.
void Mojibake(const std::string& in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\xE2' && i + 2 < in.size() && in[i + 1] == '\x80') {
      if (in[i + 2] == '\x99') {
        out->append("\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2");  // â€™
        i += 2;
        continue;
      }
      if (in[i + 2] == '\x9C') {
        out->append("\xC3\xA2\xE2\x82\xAC\xC5\x93");  // â€œ
        i += 2;
        continue;
      }
      if (in[i + 2] == '\x9D') {
        out->append("\xC3\xA2\xE2\x82\xAC\xC2\x9D");  // â€ + U+009D
        i += 2;
        continue;
      }
    }
    out->push_back(in[i]);
  }
}

// Inserts one kind of stray control character or odd whitespace.
void InsertControl(Rng& rng, int type, std::string* s) {
  size_t p = FindSpace(rng, *s);
  if (p == std::string::npos) {
    s->append("  ");
    return;
  }
  switch (type) {
    case 0: (*s)[p] = '\t'; break;
    case 1: s->replace(p, 1, "\xC2\xA0"); break;      // no-break space
    case 2: s->insert(p, " "); break;                  // doubled space
    case 3: s->insert(p + 1, "\xE2\x80\x8B"); break;   // zero-width space
    case 4: s->insert(p, "\x07"); break;               // BEL
    case 5: {                                          // soft hyphen
      size_t w = p + 1;
      if (w + 4 < s->size() && IsAsciiLower((*s)[w + 1]) &&
          IsAsciiLower((*s)[w + 2]) && IsAsciiLower((*s)[w + 3])) {
        s->insert(w + 2, "\xC2\xAD");
      } else {
        s->insert(p, "\x01");
      }
      break;
    }
    case 6: s->insert(0, "\xEF\xBB\xBF"); break;       // BOM at line start
    case 7: s->append(rng.Chance(0.5) ? "   " : " \t"); break;  // trailing
    default: s->push_back('\r'); break;                // CR before LF
  }
}

void InsertInvalidUtf8(Rng& rng, std::string* s) {
  static constexpr const char* kBad[5] = {"\xFF", "\xC3", "\xE2\x82", "\x80",
                                          "\xC0\xAF"};
  size_t p = FindSpace(rng, *s);
  if (p == std::string::npos) p = s->size();
  s->insert(p, kBad[rng.Below(5)]);
}

void AppendSlug(std::string_view headline, std::string* out) {
  int words = 0;
  bool pending_dash = false;
  for (char c : headline) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_dash) {
        if (++words >= 7) return;
        out->push_back('-');
        pending_dash = false;
      }
      out->push_back(c);
    } else if (c == ' ' && !out->empty() && out->back() != '/') {
      pending_dash = true;
    }
  }
}

struct PoolEntry {
  int64_t index = -1;
  int64_t family = -1;
  int site = 0;
  std::string headline;
  std::vector<std::string> blocks;
  std::vector<char> subhead;
  std::string text;
  std::string clean;  // empty when equal to text
  std::string roles, url, slug, section;
  uint32_t debris = 0;
};

struct Date {
  int year, month, day;
};

// Per-document debris rendering plan and scratch buffers.
struct Renderer {
  std::vector<int> markup;    // per block: 0 none, 1 H4 merge, 2 <h2>
  std::vector<char> entity, moji, nav_after;
  std::vector<int> controls, invalid;
  std::string dirty, tmp, line;

  // Renders `a` for `site` with the debris kinds in `want` into *text and
  // *roles; returns the kinds actually applied. `all_forms` uses both
  // heading-markup forms and several control-character types.
  uint32_t Render(Rng& rng, const Article& a, const Site& site, uint32_t want,
                  bool all_forms, const Date& date, std::string* text,
                  std::string* roles) {
    auto wants = [&](DebrisKind k) { return (want & Bit(k)) != 0; };
    uint32_t applied = 0;
    const size_t n = a.num_blocks;
    markup.assign(n, 0);
    entity.assign(n, 0);
    moji.assign(n, 0);
    nav_after.assign(n, 0);
    controls.assign(n, 0);
    invalid.assign(n, 0);
    int glue_block = -1;
    uint32_t glue_at = 0;

    if (wants(DebrisKind::kHeadingMarkup)) {
      int forms = 0;
      for (size_t i = 0; i + 1 < n; ++i) {
        if (!a.blocks[i].subhead || a.blocks[i + 1].subhead) continue;
        if (all_forms) {
          markup[i] = forms % 2 == 0 ? 1 : 2;
          ++forms;
        } else if (forms == 0 || rng.Chance(0.3)) {
          markup[i] = rng.Chance(0.5) ? 1 : 2;
          ++forms;
        }
      }
      if (forms > 0) applied |= Bit(DebrisKind::kHeadingMarkup);
    }
    std::vector<size_t> paras;
    for (size_t i = 0; i < n; ++i)
      if (!a.blocks[i].subhead) paras.push_back(i);
    if (wants(DebrisKind::kGluedSentences)) {
      size_t tries = 4 * paras.size();
      for (size_t t = 0; t < tries; ++t) {
        size_t b = paras[rng.Below(static_cast<uint32_t>(paras.size()))];
        const Block& blk = a.blocks[b];
        if (blk.sentence_ends.size() < 2) continue;
        uint32_t at = blk.sentence_ends[rng.Below(
            static_cast<uint32_t>(blk.sentence_ends.size() - 1))];
        // Like "riots.In response": letter or digit, terminal mark, no
        // space, capital letter.
        if (at >= 2 && at + 1 < blk.text.size() && blk.text[at] == ' ' &&
            IsAsciiLowerOrDigit(blk.text[at - 2]) &&
            blk.text[at + 1] >= 'A' && blk.text[at + 1] <= 'Z') {
          glue_block = static_cast<int>(b);
          glue_at = at;
          applied |= Bit(DebrisKind::kGluedSentences);
          break;
        }
      }
    }
    if (wants(DebrisKind::kMojibake)) {
      for (size_t b : paras) {
        if (HasCurly(a.blocks[b].text) &&
            (rng.Chance(0.5) || !(applied & Bit(DebrisKind::kMojibake)))) {
          moji[b] = 1;
          applied |= Bit(DebrisKind::kMojibake);
        }
      }
    }
    if (wants(DebrisKind::kHtmlEntities)) {
      for (size_t b : paras) {
        bool has_amp = a.blocks[b].text.find('&') != std::string::npos;
        if (rng.Chance(0.35) || (all_forms && has_amp) ||
            !(applied & Bit(DebrisKind::kHtmlEntities))) {
          entity[b] = 1;
          applied |= Bit(DebrisKind::kHtmlEntities);
        }
      }
    }
    if (wants(DebrisKind::kControlChars) && !paras.empty()) {
      int count = all_forms ? 9 : rng.Range(1, 4);
      for (int c = 0; c < count; ++c)
        ++controls[paras[rng.Below(static_cast<uint32_t>(paras.size()))]];
      applied |= Bit(DebrisKind::kControlChars);
    }
    if (wants(DebrisKind::kInvalidUtf8) && !paras.empty()) {
      int count = rng.Range(1, 2);
      for (int c = 0; c < count; ++c)
        ++invalid[paras[rng.Below(static_cast<uint32_t>(paras.size()))]];
      applied |= Bit(DebrisKind::kInvalidUtf8);
    }
    if (wants(DebrisKind::kNavRepeat) && n > 1) {
      int count = all_forms ? 2 : rng.Range(1, 2);
      for (int c = 0; c < count; ++c) nav_after[rng.Below(static_cast<uint32_t>(n - 1))] = 1;
      applied |= Bit(DebrisKind::kNavRepeat);
    }

    if (wants(DebrisKind::kSiteHeader)) {
      gen::AddLine(site.title, 'T', text, roles);
      for (const std::string& m : site.menu_lines) {
        gen::AddLine("", '.', text, roles);
        gen::AddLine(m, 'T', text, roles);
      }
      gen::AddLine("", '.', text, roles);
      applied |= Bit(DebrisKind::kSiteHeader);
    }
    gen::AddLine(a.headline, 'A', text, roles);
    int control_type = 0;
    for (size_t i = 0; i < n; ++i) {
      gen::AddLine("", '.', text, roles);
      const size_t first = i;
      size_t shown = i;
      if (markup[i] == 1) {
        shown = i + 1;
        line = "H4 \"";
        line += a.blocks[i].text;
        line += "\" behind / h4 ";
        Dirty(rng, a, shown, glue_block, glue_at, all_forms, &control_type);
        line += dirty;
        gen::AddLine(line, 'M', text, roles);
        i = shown;
      } else if (markup[i] == 2) {
        line = "<h2>";
        line += a.blocks[i].text;
        line += "</h2>";
        gen::AddLine(line, 'M', text, roles);
      } else {
        Dirty(rng, a, i, glue_block, glue_at, all_forms, &control_type);
        gen::AddLine(dirty, 'A', text, roles);
      }
      if (nav_after[first] || nav_after[shown]) {
        gen::AddLine("", '.', text, roles);
        line.clear();
        int reps = rng.Range(3, 15);
        for (int r = 0; r < reps; ++r) {
          if (r > 0) line.push_back(' ');
          line += site.nav_phrase;
        }
        gen::AddLine(line, 'N', text, roles);
      }
    }
    if (wants(DebrisKind::kHeadlineEcho)) {
      gen::AddLine("", '.', text, roles);
      gen::AddLine(a.headline, 'H', text, roles);
      applied |= Bit(DebrisKind::kHeadlineEcho);
    }
    if (wants(DebrisKind::kSubscribePlea)) {
      gen::AddLine("", '.', text, roles);
      gen::AddLine(site.plea, 'T', text, roles);
      applied |= Bit(DebrisKind::kSubscribePlea);
    }
    if (wants(DebrisKind::kSiteFooter)) {
      gen::AddLine("", '.', text, roles);
      line.clear();
      site.AppendFooter(date.year, rng.Next(), &line);
      gen::AddLine(line, 'F', text, roles);
      applied |= Bit(DebrisKind::kSiteFooter);
    }
    return applied;
  }

  // Fills `dirty` with block b and its inline debris.
  void Dirty(Rng& rng, const Article& a, size_t b, int glue_block,
             uint32_t glue_at, bool all_forms, int* control_type) {
    dirty = a.blocks[b].text;
    if (static_cast<int>(b) == glue_block) dirty.erase(glue_at, 1);
    if (moji[b]) {
      Mojibake(dirty, &tmp);
      dirty.swap(tmp);
    }
    if (entity[b]) {
      EncodeEntities(rng, /*ascii_only=*/moji[b] != 0, dirty, &tmp);
      dirty.swap(tmp);
    }
    for (int c = 0; c < controls[b]; ++c) {
      int type = all_forms ? (*control_type)++ % 9
                           : static_cast<int>(rng.Below(9));
      InsertControl(rng, type, &dirty);
    }
    for (int c = 0; c < invalid[b]; ++c) InsertInvalidUtf8(rng, &dirty);
  }
};

uint32_t ChooseDebris(Rng& rng) {
  struct Odds {
    DebrisKind kind;
    double p;
  };
  static constexpr Odds kOdds[] = {
      {DebrisKind::kSiteHeader, 0.8},     {DebrisKind::kNavRepeat, 0.4},
      {DebrisKind::kHeadingMarkup, 0.5},  {DebrisKind::kGluedSentences, 0.4},
      {DebrisKind::kHeadlineEcho, 0.4},   {DebrisKind::kHtmlEntities, 0.3},
      {DebrisKind::kControlChars, 0.35},  {DebrisKind::kMojibake, 0.15},
      {DebrisKind::kSiteFooter, 0.6},     {DebrisKind::kSubscribePlea, 0.5},
  };
  uint32_t want = 0;
  for (const Odds& o : kOdds)
    if (rng.Chance(o.p)) want |= Bit(o.kind);
  if ((want & kAlwaysApplicable) == 0) want |= Bit(DebrisKind::kSiteHeader);
  return want;
}

class CorpusGenerator {
 public:
  explicit CorpusGenerator(const GenOptions& o) : o_(o) {
    for (int s = 0; s < o.num_sites; ++s) sites_.push_back(gen::MakeSite(o.seed, s));
    double total = 0;
    for (int s = 0; s < o.num_sites; ++s) {
      total += 1.0 / (s + 1.0);
      site_cdf_.push_back(total);
    }
    for (double& c : site_cdf_) c /= total;
    weyl_offset_ = static_cast<double>(gen::Mix64(o.seed ^ 0xa5a5a5a5ULL) >> 11) *
                   0x1.0p-53;
    bounds_[0] = o.bad_record_fraction;
    bounds_[1] = bounds_[0] + o.junk_fraction;
    bounds_[2] = bounds_[1] + o.near_dup_fraction;
    bounds_[3] = bounds_[2] + o.exact_dup_fraction;
    bounds_[4] = bounds_[3] + o.debris_fraction;
    pool_.resize(std::min<size_t>(
        kPoolSize, static_cast<size_t>(std::max<int64_t>(o.num_docs, 1))));
    article_options_.target_bytes = o.target_doc_bytes;
    if (o.site_templates) SetUpSiteTemplates();
  }

  // Generates document `index` into doc_ (JSON line) and truth_.
  void Generate(int64_t index) {
    Rng rng(DeriveSeed(o_.seed, static_cast<uint64_t>(index)));
    GenKind kind = KindFor(index);
    if ((kind == GenKind::kNearDup || kind == GenKind::kExactDup) && pool_count_ == 0)
      kind = GenKind::kClean;
    int site_index = SampleSite(rng);
    Date date{2015 + static_cast<int>(rng.Below(10)), 1 + static_cast<int>(rng.Below(12)),
              1 + static_cast<int>(rng.Below(28))};

    GenTruth& t = truth_;
    t.index = index;
    t.id.clear();
    AppendId(index, &t.id);
    t.kind = kind;
    t.clean_text.clear();
    t.debris = 0;
    t.junk = JunkKind::kNone;
    t.bad = BadKind::kNone;
    t.family = -1;
    t.source = -1;
    t.edits = EditStats();
    t.line_roles.clear();
    t.site_boilerplate.clear();
    text_.clear();
    section_ = "news";
    slug_.clear();
    url_override_.clear();

    switch (kind) {
      case GenKind::kClean:
      case GenKind::kDebris: {
        gen::WriteArticle(rng, article_options_, &article_);
        section_ = gen::Lexicon::Get().topics[article_.topic].section;
        AppendSlug(article_.headline, &slug_);
        if (kind == GenKind::kDebris && o_.site_templates) {
          TemplatePage(rng, site_index, date);
          t.family = index;
          break;
        }
        article_.AppendText(&t.clean_text);
        if (kind == GenKind::kClean) {
          ArticleRoles(article_, &t.line_roles);  // Body() is clean_text
        } else {
          t.debris = renderer_.Render(rng, article_, sites_[site_index], ChooseDebris(rng),
                                      false, date, &text_, &t.line_roles);
        }
        t.family = index;
        break;
      }
      case GenKind::kJunk: {
        t.junk = static_cast<JunkKind>(1 + rng.Below(kNumJunkKinds));
        gen::AppendJunkPage(rng, t.junk, sites_[site_index], date.year, &text_, &t.line_roles);
        slug_ = "page";
        break;
      }
      case GenKind::kNearDup:
        NearDup(rng, site_index, date);
        break;
      case GenKind::kExactDup:
        site_index = ExactDup(rng, site_index);
        break;
      case GenKind::kBad:
        break;
    }

    const Site& site = sites_[site_index];
    t.site_index = site_index;
    t.site = site.domain;
    t.date.clear();
    AppendInt(date.year, &t.date);
    t.date.push_back('-');
    AppendPadded(date.month, &t.date);
    t.date.push_back('-');
    AppendPadded(date.day, &t.date);
    t.url.clear();
    if (!url_override_.empty()) {
      t.url = url_override_;
    } else {
      t.url = "https://";
      t.url += site.domain;
      t.url.push_back('/');
      t.url += section_;
      t.url.push_back('/');
      AppendInt(date.year, &t.url);
      t.url.push_back('/');
      AppendPadded(date.month, &t.url);
      t.url.push_back('/');
      t.url += slug_;
      t.url.push_back('-');
      AppendInt(index, &t.url);
    }

    if (kind == GenKind::kBad) {
      BadRecord(rng);
    } else {
      doc_.clear();
      doc_.append("{\"id\":");
      AppendJsonString(t.id, &doc_);
      doc_.append(",\"text\":");
      AppendJsonString(Body(), &doc_);
      AppendMetadata(&doc_);
      doc_.append("}\n");
    }

    if (kind == GenKind::kClean || kind == GenKind::kDebris || kind == GenKind::kNearDup) {
      Remember(index);
    }
    if (o_.site_templates) {
      for (char role : t.line_roles) t.site_boilerplate.push_back(SiteBoilerplateTruth(role));
    }
  }

  const std::string& doc() const { return doc_; }

  // The emitted text of the current document.
  const std::string& Body() const {
    return truth_.kind == GenKind::kClean ? truth_.clean_text : text_;
  }
  const GenTruth& truth() const { return truth_; }

 private:
  GenKind KindFor(int64_t index) const {
    double u = weyl_offset_ + static_cast<double>(index) * 0.6180339887498949;
    u -= std::floor(u);
    if (u < bounds_[0]) return GenKind::kBad;
    if (u < bounds_[1]) return GenKind::kJunk;
    if (u < bounds_[2]) return GenKind::kNearDup;
    if (u < bounds_[3]) return GenKind::kExactDup;
    if (u < bounds_[4]) return GenKind::kDebris;
    return GenKind::kClean;
  }

  int SampleSite(Rng& rng) const {
    double u = rng.Uniform();
    auto it = std::upper_bound(site_cdf_.begin(), site_cdf_.end(), u);
    if (it == site_cdf_.end()) --it;
    return static_cast<int>(it - site_cdf_.begin());
  }

  void AppendMetadata(std::string* out) const {
    out->append(",\"metadata\":{\"url\":");
    AppendJsonString(truth_.url, out);
    out->append(",\"site\":");
    AppendJsonString(truth_.site, out);
    out->append(",\"date\":");
    AppendJsonString(truth_.date, out);
    out->push_back('}');
  }

  // Stores the current article document for later copies.
  void Remember(int64_t index) {
    PoolEntry& e = pool_[pool_next_];
    pool_next_ = (pool_next_ + 1) % pool_.size();
    pool_count_ = std::min(pool_count_ + 1, pool_.size());
    e.index = index;
    e.family = truth_.family;
    e.site = truth_.site_index;
    e.text = Body();
    if (truth_.kind == GenKind::kClean) {
      e.clean.clear();  // same as text
    } else {
      e.clean = truth_.clean_text;
    }
    e.roles = truth_.line_roles;
    e.url = truth_.url;
    e.slug = slug_;
    e.section = section_;
    e.debris = truth_.debris;
    if (truth_.kind == GenKind::kNearDup) {
      e.headline = near_headline_;
      e.blocks.assign(near_blocks_.begin(), near_blocks_.begin() + near_count_);
      e.subhead.assign(near_subhead_.begin(), near_subhead_.begin() + near_count_);
    } else {
      e.headline = article_.headline;
      e.blocks.resize(article_.num_blocks);
      e.subhead.resize(article_.num_blocks);
      for (size_t i = 0; i < article_.num_blocks; ++i) {
        e.blocks[i] = article_.blocks[i].text;
        e.subhead[i] = article_.blocks[i].subhead;
      }
    }
  }

  const PoolEntry& PickSource(Rng& rng) const {
    return pool_[rng.Below(static_cast<uint32_t>(pool_count_))];
  }

  int PickOtherSite(Rng& rng, int site_index) {
    if (sites_.size() < 2) return site_index;
    int s = SampleSite(rng);
    if (s == site_index) s = (s + 1) % static_cast<int>(sites_.size());
    return s;
  }

  void EditBlock(Rng& rng, const std::string& in, double p, std::string* out) {
    const gen::Lexicon& lex = gen::Lexicon::Get();
    EditStats& e = truth_.edits;
    out->clear();
    size_t start = 0;
    bool first = true;
    while (start <= in.size()) {
      size_t end = in.find(' ', start);
      if (end == std::string::npos) end = in.size();
      std::string_view tok(in.data() + start, end - start);
      bool eligible = !first && tok.size() >= 2 &&
                      std::all_of(tok.begin(), tok.end(), IsAsciiLower);
      bool keep = true;
      if (eligible && rng.Chance(p)) {
        uint32_t r = rng.Below(10);
        if (r < 4) {
          const std::string& w = rng.Chance(0.5)
                                     ? lex.adjectives[lex.adjective_zipf.Sample(rng)]
                                     : lex.nouns[lex.noun_zipf.Sample(rng)].singular;
          if (w != tok) {
            if (!out->empty()) out->push_back(' ');
            out->append(w);
            ++e.substitutions;
            keep = false;
          }
        } else if (r < 7) {
          ++e.deletions;
          keep = false;
        } else {
          if (!out->empty()) out->push_back(' ');
          out->append(lex.SampleAdverb(rng));
          ++e.insertions;
        }
      }
      if (keep) {
        if (!out->empty()) out->push_back(' ');
        out->append(tok);
      }
      first = false;
      start = end + 1;
    }
  }

  void NearDup(Rng& rng, int& site_index, const Date& date) {
    const PoolEntry& src = PickSource(rng);
    GenTruth& t = truth_;
    t.source = src.index;
    t.family = src.family;
    if (rng.Chance(0.8)) site_index = PickOtherSite(rng, site_index);
    const Site& site = sites_[site_index];
    section_ = src.section;
    slug_ = src.slug;

    int total = 0, eligible = 0;
    for (size_t b = 0; b < src.blocks.size(); ++b) {
      const std::string& s = src.blocks[b];
      size_t start = 0;
      bool first = true;
      while (start <= s.size()) {
        size_t end = s.find(' ', start);
        if (end == std::string::npos) end = s.size();
        ++total;
        std::string_view tok(s.data() + start, end - start);
        if (!src.subhead[b] && !first && tok.size() >= 2 &&
            std::all_of(tok.begin(), tok.end(), IsAsciiLower)) {
          ++eligible;
        }
        first = false;
        start = end + 1;
      }
    }
    double target = o_.near_dup_min_edit_fraction +
                    rng.Uniform() * (o_.near_dup_max_edit_fraction -
                                     o_.near_dup_min_edit_fraction);
    double p = eligible > 0 ? std::min(1.0, target * total / eligible) : 0;
    t.edits.source_words = total;

    near_headline_ = src.headline;
    near_count_ = src.blocks.size();
    if (near_blocks_.size() < near_count_) {
      near_blocks_.resize(near_count_);
      near_subhead_.resize(near_count_);
    }
    for (size_t b = 0; b < near_count_; ++b) {
      near_subhead_[b] = src.subhead[b];
      if (src.subhead[b]) {
        near_blocks_[b] = src.blocks[b];
      } else {
        EditBlock(rng, src.blocks[b], p, &near_blocks_[b]);
      }
    }
    if (near_count_ >= 3 && rng.Chance(0.3)) {
      size_t b = 1 + rng.Below(static_cast<uint32_t>(near_count_ - 2));
      if (!near_subhead_[b] && !near_subhead_[b + 1]) {
        std::swap(near_blocks_[b], near_blocks_[b + 1]);
        ++t.edits.paragraph_moves;
      }
    }
    t.edits.fraction =
        total > 0 ? static_cast<double>(t.edits.insertions + t.edits.deletions +
                                        t.edits.substitutions) /
                        total
                  : 0;

    t.clean_text = near_headline_;
    for (size_t b = 0; b < near_count_; ++b) {
      t.clean_text.append("\n\n");
      t.clean_text.append(near_blocks_[b]);
    }
    if (rng.Chance(0.3)) {
      gen::AddLine(site.title, 'T', &text_, &t.line_roles);
      gen::AddLine("", '.', &text_, &t.line_roles);
      t.debris |= Bit(DebrisKind::kSiteHeader);
    }
    gen::AddLine(near_headline_, 'A', &text_, &t.line_roles);
    for (size_t b = 0; b < near_count_; ++b) {
      gen::AddLine("", '.', &text_, &t.line_roles);
      gen::AddLine(near_blocks_[b], 'A', &text_, &t.line_roles);
    }
    if (rng.Chance(0.5)) {
      const Site& origin = sites_[src.site];
      line_.clear();
      switch (rng.Below(3)) {
        case 0:
          line_ = "This article was originally published by " + origin.title + ".";
          break;
        case 1:
          line_ = "Source: " + origin.domain;
          break;
        default:
          line_ = "Republished with permission. Read the original story on " +
                  origin.domain + ".";
          break;
      }
      gen::AddLine("", '.', &text_, &t.line_roles);
      gen::AddLine(line_, 'B', &text_, &t.line_roles);
      ++t.edits.boilerplate_lines;
    }
    if (rng.Chance(0.3)) {
      gen::AddLine("", '.', &text_, &t.line_roles);
      line_.clear();
      site.AppendFooter(date.year, rng.Next(), &line_);
      gen::AddLine(line_, 'F', &text_, &t.line_roles);
      t.debris |= Bit(DebrisKind::kSiteFooter);
    }
  }

  // Site-templates mode: per-site template parts, stock-sentence and
  // quotation quotas, and the shared quotations.
  void SetUpSiteTemplates() {
    const double docs = static_cast<double>(o_.num_docs) * o_.debris_fraction;
    site_state_.resize(sites_.size());
    Rng qrng(DeriveSeed(o_.seed, 0x9007e5ULL));
    for (int q = 0; q < 10; ++q) {
      std::string sentence;
      gen::AppendSentence(qrng, &sentence);
      // One draw per statement, in the order gcc used: the evaluation order
      // of the operands of + is unspecified and differs between compilers.
      std::string last = gen::MakeName(qrng, 3);
      std::string first = gen::MakeName(qrng, 2);
      quotes_.push_back("\u201c" + sentence + "\u201d \u2014 " + first + " " + last);
    }
    for (size_t i = 0; i < sites_.size(); ++i) {
      double share = site_cdf_[i] - (i > 0 ? site_cdf_[i - 1] : 0.0);
      double expected = docs * share;
      bool big = expected >= 30;
      gen::AddSiteTemplates(o_.seed, static_cast<int>(i), big, &sites_[i]);
      SiteState& st = site_state_[i];
      Rng rng(DeriveSeed(o_.seed, 0x51755000ULL + i));
      for (size_t j = 0; j < sites_[i].stock_sentences.size(); ++j)
        st.stock_left.push_back(rng.Range(2, 4));
      st.p_stock = std::min(1.0, 6.0 / std::max(expected, 1.0));
      for (size_t q = 0; q < quotes_.size(); ++q) {
        int quota = 0;
        if (rng.Chance(0.25)) quota = big ? rng.Range(1, 3) : 1;
        st.quote_left.push_back(quota);
      }
      st.p_quote = std::min(1.0, 3.0 / std::max(expected, 1.0));
    }
  }

  // A template page of the site-templates mode (see GenOptions).
  void TemplatePage(Rng& rng, int site_index, const Date& date) {
    GenTruth& t = truth_;
    const Site& site = sites_[site_index];
    SiteState& st = site_state_[site_index];
    gen::WriteArticle(rng, article_options_, &article_);
    section_ = gen::Lexicon::Get().topics[article_.topic].section;
    AppendSlug(article_.headline, &slug_);
    inserted_.clear();
    for (size_t j = 0; j < st.stock_left.size(); ++j) {
      if (st.stock_left[j] > 0 && rng.Chance(st.p_stock)) {
        --st.stock_left[j];
        inserted_.push_back({site.stock_sentences[j], 'S'});
      }
    }
    for (size_t q = 0; q < st.quote_left.size(); ++q) {
      if (st.quote_left[q] > 0 && rng.Chance(st.p_quote)) {
        --st.quote_left[q];
        inserted_.push_back({quotes_[q], 'Q'});
      }
    }
    for (const auto& [text, role] : inserted_) {
      const size_t n = article_.num_blocks;
      gen::Block& b = article_.AddBlock();
      b.text = text;
      b.words = 1 + static_cast<int>(std::count(text.begin(), text.end(), ' '));
      b.sentence_ends.push_back(static_cast<uint32_t>(text.size()));
      size_t pos = 1 + rng.Below(static_cast<uint32_t>(n));
      std::rotate(article_.blocks.begin() + static_cast<std::ptrdiff_t>(pos),
                  article_.blocks.begin() + static_cast<std::ptrdiff_t>(n),
                  article_.blocks.begin() + static_cast<std::ptrdiff_t>(n + 1));
    }
    article_.AppendText(&t.clean_text);

    std::string& roles = t.line_roles;
    auto add = [&](std::string_view line, char role) {
      gen::AddLine("", '.', &text_, &roles);
      gen::AddLine(line, role, &text_, &roles);
    };
    if (rng.Chance(site.p_header)) {
      gen::AddLine(site.title, 'T', &text_, &roles);
      for (const std::string& m : site.menu_lines) add(m, 'T');
      gen::AddLine("", '.', &text_, &roles);
      t.debris |= Bit(DebrisKind::kSiteHeader);
    }
    if (rng.Chance(site.p_dateline)) {
      line_.clear();
      site.AppendDateline(rng, date.year, date.month, date.day, &line_);
      gen::AddLine(line_, 'D', &text_, &roles);
      gen::AddLine("", '.', &text_, &roles);
    }
    uint32_t want = ChooseDebris(rng) &
                    ~(Bit(DebrisKind::kSiteHeader) | Bit(DebrisKind::kNavRepeat) |
                      Bit(DebrisKind::kSubscribePlea) | Bit(DebrisKind::kSiteFooter));
    t.debris |= renderer_.Render(rng, article_, site, want, false, date, &text_, &roles);
    if (!inserted_.empty()) {
      size_t start = 0;
      for (size_t l = 0; l < roles.size(); ++l) {
        size_t end = text_.find('\n', start);
        if (end == std::string::npos) end = text_.size();
        if (roles[l] == 'A') {
          std::string_view line(text_.data() + start, end - start);
          for (const auto& [text, role] : inserted_)
            if (line == text) roles[l] = role;
        }
        start = end + 1;
      }
    }
    if (rng.Chance(site.p_nav)) add(site.nav_phrase, 'T');
    if (rng.Chance(site.p_share)) {
      gen::AddLine("", '.', &text_, &roles);
      for (const std::string& l : site.share_lines) gen::AddLine(l, 'T', &text_, &roles);
    }
    if (rng.Chance(site.p_related)) add(site.related_heading, 'T');
    if (rng.Chance(site.p_plea)) {
      add(site.plea, 'T');
      t.debris |= Bit(DebrisKind::kSubscribePlea);
    }
    if (!site.disclaimer.empty() && rng.Chance(site.p_disclaimer)) add(site.disclaimer, 'T');
    if (rng.Chance(site.p_cookie)) add(site.cookie_notice, 'T');
    if (rng.Chance(site.p_footer)) {
      if (!site.contact_line.empty()) add(site.contact_line, 'T');
      line_.clear();
      site.AppendFooter(date.year, rng.Next(), &line_);
      add(line_, 'F');
      t.debris |= Bit(DebrisKind::kSiteFooter);
    }
  }

  int ExactDup(Rng& rng, int site_index) {
    const PoolEntry& src = PickSource(rng);
    GenTruth& t = truth_;
    t.source = src.index;
    t.family = src.family;
    text_ = src.text;
    t.clean_text = src.clean.empty() ? src.text : src.clean;
    t.line_roles = src.roles;
    t.debris = src.debris;
    section_ = src.section;
    slug_ = src.slug;
    if (rng.Chance(0.5)) {
      // Same page under a tracking parameter; keep the source's site.
      url_override_ = src.url;
      url_override_ += "?utm_source=feed&utm_id=";
      AppendInt(t.index, &url_override_);
      std::string_view host(src.url);
      host.remove_prefix(8);  // "https://"
      host = host.substr(0, host.find('/'));
      for (size_t s = 0; s < sites_.size(); ++s)
        if (sites_[s].domain == host) return static_cast<int>(s);
      return site_index;
    }
    return PickOtherSite(rng, site_index);
  }

  void BadRecord(Rng& rng) {
    GenTruth& t = truth_;
    gen::ArticleOptions small;
    small.target_bytes = o_.target_doc_bytes > 0 ? o_.target_doc_bytes : 600;
    gen::WriteArticle(rng, small, &article_);
    text_.clear();
    article_.AppendText(&text_);
    t.bad = static_cast<BadKind>(1 + rng.Below(kNumBadKinds));
    doc_.clear();
    switch (t.bad) {
      case BadKind::kInvalidJson: {
        uint32_t form = rng.Below(3);
        if (form == 0) {
          doc_.append("{\"id\":");
          AppendJsonString(t.id, &doc_);
          doc_.append(",\"text\":");
          AppendJsonString(text_, &doc_);
          AppendMetadata(&doc_);
          doc_.push_back('}');
          size_t cut = 10 + rng.Below(static_cast<uint32_t>(doc_.size() - 12));
          while (cut > 0 && (static_cast<unsigned char>(doc_[cut]) & 0xC0) == 0x80) --cut;
          doc_.resize(cut);
        } else if (form == 1) {
          doc_.append("{\"id\":");
          AppendJsonString(t.id, &doc_);
          doc_.append(",\"text\":");
          AppendJsonString(text_, &doc_);
          doc_.pop_back();  // the closing quote of "text"
          AppendMetadata(&doc_);
          doc_.push_back('}');
        } else {
          doc_.append("{'id': '");
          doc_.append(t.id);
          doc_.append("', 'text': '");
          doc_.append(article_.headline);
          doc_.append("'}");
        }
        break;
      }
      case BadKind::kMissingText:
        doc_.append("{\"id\":");
        AppendJsonString(t.id, &doc_);
        if (rng.Chance(0.5)) {
          doc_.append(",\"content\":");
          AppendJsonString(text_, &doc_);
        }
        AppendMetadata(&doc_);
        doc_.push_back('}');
        break;
      case BadKind::kNonStringText: {
        doc_.append("{\"id\":");
        AppendJsonString(t.id, &doc_);
        doc_.append(",\"text\":");
        switch (rng.Below(4)) {
          case 0: doc_.append("null"); break;
          case 1: AppendInt(static_cast<int64_t>(rng.Below(100000)), &doc_); break;
          case 2:
            doc_.push_back('[');
            AppendJsonString(article_.headline, &doc_);
            doc_.push_back(',');
            AppendJsonString(article_.blocks[0].text, &doc_);
            doc_.push_back(']');
            break;
          default:
            doc_.append("{\"body\":");
            AppendJsonString(text_, &doc_);
            doc_.push_back('}');
            break;
        }
        AppendMetadata(&doc_);
        doc_.push_back('}');
        break;
      }
      case BadKind::kInvalidUtf8:
      case BadKind::kNone: {
        t.clean_text = text_;
        int count = rng.Range(1, 3);
        for (int c = 0; c < count; ++c) InsertInvalidUtf8(rng, &text_);
        doc_.append("{\"id\":");
        AppendJsonString(t.id, &doc_);
        doc_.append(",\"text\":");
        AppendJsonString(text_, &doc_);
        AppendMetadata(&doc_);
        doc_.push_back('}');
        break;
      }
    }
    doc_.push_back('\n');
  }

  const GenOptions o_;
  std::vector<Site> sites_;
  std::vector<double> site_cdf_;
  double weyl_offset_ = 0;
  double bounds_[5] = {};
  gen::ArticleOptions article_options_;
  Article article_;
  Renderer renderer_;
  std::vector<PoolEntry> pool_;
  size_t pool_next_ = 0, pool_count_ = 0;
  std::string near_headline_;
  std::vector<std::string> near_blocks_;
  std::vector<char> near_subhead_;
  size_t near_count_ = 0;
  std::string text_, section_, slug_, url_override_, line_, doc_;
  GenTruth truth_;
  // Site-templates mode.
  struct SiteState {
    std::vector<int> stock_left, quote_left;  // remaining uses
    double p_stock = 0, p_quote = 0;          // chance per page and item
  };
  std::vector<SiteState> site_state_;
  std::vector<std::string> quotes_;
  std::vector<std::pair<std::string, char>> inserted_;
};

Status Validate(const GenOptions& o) {
  if (o.num_docs < 0) return Status::InvalidArgument("gen: num_docs must be >= 0");
  if (o.num_sites < 1 || o.num_sites > 1000000)
    return Status::InvalidArgument("gen: num_sites must be in [1, 1000000]");
  const double fractions[] = {o.debris_fraction, o.junk_fraction, o.near_dup_fraction,
                              o.exact_dup_fraction, o.bad_record_fraction};
  double sum = 0;
  for (double f : fractions) {
    if (!(f >= 0 && f <= 1))
      return Status::InvalidArgument("gen: document fractions must be in [0, 1]");
    sum += f;
  }
  if (sum > 1 + 1e-9)
    return Status::InvalidArgument("gen: document fractions sum to more than 1");
  if (!(o.near_dup_min_edit_fraction >= 0 &&
        o.near_dup_min_edit_fraction <= o.near_dup_max_edit_fraction &&
        o.near_dup_max_edit_fraction <= 1)) {
    return Status::InvalidArgument(
        "gen: need 0 <= near_dup_min_edit_fraction <= near_dup_max_edit_fraction <= 1");
  }
  if (o.target_doc_bytes < 0)
    return Status::InvalidArgument("gen: target_doc_bytes must be >= 0");
  return Status::OK();
}

}  // namespace

std::string_view GenKindName(GenKind kind) {
  switch (kind) {
    case GenKind::kClean: return "clean";
    case GenKind::kDebris: return "debris";
    case GenKind::kJunk: return "junk";
    case GenKind::kNearDup: return "near_dup";
    case GenKind::kExactDup: return "exact_dup";
    case GenKind::kBad: return "bad";
  }
  return "unknown";
}

std::string_view DebrisKindName(DebrisKind kind) {
  switch (kind) {
    case DebrisKind::kSiteHeader: return "site_header";
    case DebrisKind::kNavRepeat: return "nav_repeat";
    case DebrisKind::kHeadingMarkup: return "heading_markup";
    case DebrisKind::kGluedSentences: return "glued_sentences";
    case DebrisKind::kHeadlineEcho: return "headline_echo";
    case DebrisKind::kHtmlEntities: return "html_entities";
    case DebrisKind::kControlChars: return "control_chars";
    case DebrisKind::kMojibake: return "mojibake";
    case DebrisKind::kInvalidUtf8: return "invalid_utf8";
    case DebrisKind::kSiteFooter: return "site_footer";
    case DebrisKind::kSubscribePlea: return "subscribe_plea";
    case DebrisKind::kCount: break;
  }
  return "unknown";
}

std::string_view JunkKindName(JunkKind kind) {
  switch (kind) {
    case JunkKind::kNone: return "none";
    case JunkKind::kShort: return "short";
    case JunkKind::kKeywordList: return "keyword_list";
    case JunkKind::kLinkList: return "link_list";
    case JunkKind::kRepeatedLines: return "repeated_lines";
    case JunkKind::kBoilerplateOnly: return "boilerplate_only";
    case JunkKind::kBullets: return "bullets";
    case JunkKind::kEllipses: return "ellipses";
    case JunkKind::kSymbolSoup: return "symbol_soup";
  }
  return "unknown";
}

std::string_view BadKindName(BadKind kind) {
  switch (kind) {
    case BadKind::kNone: return "none";
    case BadKind::kInvalidJson: return "invalid_json";
    case BadKind::kMissingText: return "missing_text";
    case BadKind::kNonStringText: return "non_string_text";
    case BadKind::kInvalidUtf8: return "invalid_utf8";
  }
  return "unknown";
}

char SiteBoilerplateTruth(char role) {
  switch (role) {
    case 'T': case 'F': case 'D': return 'y';
    case 'A': case 'S': case 'Q': case 'M': case 'H': return 'n';
    default: return '-';
  }
}

void AppendGenTruthJson(const GenTruth& t, std::string* out) {
  out->append("{\"id\":");
  AppendJsonString(t.id, out);
  out->append(",\"kind\":\"");
  out->append(GenKindName(t.kind));
  out->append("\",\"site\":");
  AppendJsonString(t.site, out);
  out->append(",\"site_index\":");
  AppendInt(t.site_index, out);
  out->append(",\"url\":");
  AppendJsonString(t.url, out);
  out->append(",\"date\":");
  AppendJsonString(t.date, out);
  out->append(",\"debris\":[");
  bool first = true;
  for (int k = 0; k < static_cast<int>(DebrisKind::kCount); ++k) {
    if (!t.HasDebris(static_cast<DebrisKind>(k))) continue;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(DebrisKindName(static_cast<DebrisKind>(k)));
    out->push_back('"');
  }
  out->append("],\"junk\":");
  if (t.junk == JunkKind::kNone) {
    out->append("null");
  } else {
    out->push_back('"');
    out->append(JunkKindName(t.junk));
    out->push_back('"');
  }
  out->append(",\"bad\":");
  if (t.bad == BadKind::kNone) {
    out->append("null");
  } else {
    out->push_back('"');
    out->append(BadKindName(t.bad));
    out->push_back('"');
  }
  auto id_or_null = [&](int64_t v) {
    if (v < 0) {
      out->append("null");
    } else {
      out->append("\"gen-");
      AppendInt(v, out);
      out->push_back('"');
    }
  };
  out->append(",\"family\":");
  id_or_null(t.family);
  out->append(",\"source\":");
  id_or_null(t.source);
  out->append(",\"edits\":");
  if (t.kind != GenKind::kNearDup) {
    out->append("null");
  } else {
    const EditStats& e = t.edits;
    out->append("{\"source_words\":");
    AppendInt(e.source_words, out);
    out->append(",\"insertions\":");
    AppendInt(e.insertions, out);
    out->append(",\"deletions\":");
    AppendInt(e.deletions, out);
    out->append(",\"substitutions\":");
    AppendInt(e.substitutions, out);
    out->append(",\"paragraph_moves\":");
    AppendInt(e.paragraph_moves, out);
    out->append(",\"boilerplate_lines\":");
    AppendInt(e.boilerplate_lines, out);
    out->append(",\"fraction\":");
    AppendJsonNumber(std::round(e.fraction * 1e6) / 1e6, out);
    out->push_back('}');
  }
  out->append(",\"line_roles\":");
  AppendJsonString(t.line_roles, out);
  if (!t.site_boilerplate.empty()) {
    out->append(",\"site_boilerplate\":");
    AppendJsonString(t.site_boilerplate, out);
  }
  out->append(",\"clean_text\":");
  AppendJsonString(t.clean_text, out);
  out->append("}\n");
}

Status GenerateCorpusWithTruth(const GenOptions& options,
                               const std::function<void(std::string_view)>& emit_doc,
                               const std::function<void(const GenTruth&)>& on_truth) {
  WINNOW_RETURN_IF_ERROR(Validate(options));
  CorpusGenerator g(options);
  for (int64_t i = 0; i < options.num_docs; ++i) {
    g.Generate(i);
    if (emit_doc) emit_doc(g.doc());
    if (on_truth) on_truth(g.truth());
  }
  return Status::OK();
}

Status GenerateCorpus(const GenOptions& options,
                      const std::function<void(std::string_view)>& emit_doc,
                      const std::function<void(std::string_view)>& emit_truth) {
  std::string line;
  std::function<void(const GenTruth&)> on_truth;
  if (emit_truth) {
    on_truth = [&](const GenTruth& t) {
      line.clear();
      AppendGenTruthJson(t, &line);
      emit_truth(line);
    };
  }
  return GenerateCorpusWithTruth(options, emit_doc, on_truth);
}

std::string GenerateSeedLikePageWithTruth(uint64_t seed, GenTruth* truth) {
  Rng rng(DeriveSeed(seed, 0x5eed9a6eULL));
  Site site = gen::MakeSite(seed, 0);
  Article article;
  gen::ArticleOptions options;
  options.force_specials = true;
  gen::WriteArticle(rng, options, &article);
  Date date{2015 + static_cast<int>(rng.Below(10)), 1 + static_cast<int>(rng.Below(12)),
            1 + static_cast<int>(rng.Below(28))};
  uint32_t all = (1u << static_cast<int>(DebrisKind::kCount)) - 1;
  Renderer renderer;
  std::string text;
  GenTruth t;
  t.kind = GenKind::kDebris;
  t.id = "gen-seed";
  t.site = site.domain;
  article.AppendText(&t.clean_text);
  t.debris = renderer.Render(rng, article, site, all, true, date, &text, &t.line_roles);
  if (truth != nullptr) *truth = std::move(t);
  return text;
}

std::string GenerateSeedLikePage(uint64_t seed, std::string* clean_article) {
  GenTruth t;
  std::string text = GenerateSeedLikePageWithTruth(seed, &t);
  if (clean_article != nullptr) *clean_article = std::move(t.clean_text);
  return text;
}

}  // namespace winnow
