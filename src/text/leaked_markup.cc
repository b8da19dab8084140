#include "text/leaked_markup.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/utf8.h"

namespace winnow::text {
namespace {

struct NamedEntity {
  std::string_view name;
  char32_t cp;
};

// The named references seen in crawled text; the full HTML5 table (2,231
// names) is not needed for debris. Sorted once at first use.
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},        {"lt", '<'},          {"gt", '>'},
    {"quot", '"'},       {"apos", '\''},       {"nbsp", 0xA0},
    {"ensp", 0x2002},    {"emsp", 0x2003},     {"thinsp", 0x2009},
    {"zwnj", 0x200C},    {"zwj", 0x200D},      {"shy", 0xAD},
    {"ndash", 0x2013},   {"mdash", 0x2014},    {"minus", 0x2212},
    {"hellip", 0x2026},  {"bull", 0x2022},     {"middot", 0xB7},
    {"lsquo", 0x2018},   {"rsquo", 0x2019},    {"sbquo", 0x201A},
    {"ldquo", 0x201C},   {"rdquo", 0x201D},    {"bdquo", 0x201E},
    {"laquo", 0xAB},     {"raquo", 0xBB},      {"lsaquo", 0x2039},
    {"rsaquo", 0x203A},  {"larr", 0x2190},     {"rarr", 0x2192},
    {"uarr", 0x2191},    {"darr", 0x2193},     {"prime", 0x2032},
    {"Prime", 0x2033},   {"dagger", 0x2020},   {"Dagger", 0x2021},
    {"permil", 0x2030},  {"copy", 0xA9},       {"reg", 0xAE},
    {"trade", 0x2122},   {"euro", 0x20AC},     {"pound", 0xA3},
    {"yen", 0xA5},       {"cent", 0xA2},       {"sect", 0xA7},
    {"para", 0xB6},      {"deg", 0xB0},        {"plusmn", 0xB1},
    {"times", 0xD7},     {"divide", 0xF7},     {"micro", 0xB5},
    {"frac12", 0xBD},    {"frac14", 0xBC},     {"frac34", 0xBE},
    {"iexcl", 0xA1},     {"iquest", 0xBF},     {"brvbar", 0xA6},
    {"Agrave", 0xC0},    {"Aacute", 0xC1},     {"Acirc", 0xC2},
    {"Atilde", 0xC3},    {"Auml", 0xC4},       {"Aring", 0xC5},
    {"AElig", 0xC6},     {"Ccedil", 0xC7},     {"Egrave", 0xC8},
    {"Eacute", 0xC9},    {"Ecirc", 0xCA},      {"Euml", 0xCB},
    {"Iacute", 0xCD},    {"Ntilde", 0xD1},     {"Oacute", 0xD3},
    {"Ouml", 0xD6},      {"Oslash", 0xD8},     {"Uacute", 0xDA},
    {"Uuml", 0xDC},      {"szlig", 0xDF},      {"agrave", 0xE0},
    {"aacute", 0xE1},    {"acirc", 0xE2},      {"atilde", 0xE3},
    {"auml", 0xE4},      {"aring", 0xE5},      {"aelig", 0xE6},
    {"ccedil", 0xE7},    {"egrave", 0xE8},     {"eacute", 0xE9},
    {"ecirc", 0xEA},     {"euml", 0xEB},       {"igrave", 0xEC},
    {"iacute", 0xED},    {"icirc", 0xEE},      {"iuml", 0xEF},
    {"ntilde", 0xF1},    {"ograve", 0xF2},     {"oacute", 0xF3},
    {"ocirc", 0xF4},     {"otilde", 0xF5},     {"ouml", 0xF6},
    {"oslash", 0xF8},    {"ugrave", 0xF9},     {"uacute", 0xFA},
    {"ucirc", 0xFB},     {"uuml", 0xFC},       {"yacute", 0xFD},
    {"yuml", 0xFF},      {"OElig", 0x152},     {"oelig", 0x153},
    {"Scaron", 0x160},   {"scaron", 0x161},    {"Zcaron", 0x17D},
    {"zcaron", 0x17E},   {"Yuml", 0x178},      {"fnof", 0x192},
};

const std::vector<NamedEntity>& SortedEntities() {
  static const std::vector<NamedEntity>* table = [] {
    auto* v = new std::vector<NamedEntity>(std::begin(kEntities),
                                           std::end(kEntities));
    std::sort(v->begin(), v->end(),
              [](const NamedEntity& a, const NamedEntity& b) {
                return a.name < b.name;
              });
    return v;
  }();
  return *table;
}

// windows-1252 meanings of 0x80..0x9F (0 where undefined).
constexpr char32_t kCp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

bool DecodeCharacterReference(std::string_view s, size_t i, std::string* out,
                              size_t* len) {
  const size_t n = s.size();
  size_t j = i + 1;
  if (j >= n) return false;
  if (s[j] == '#') {
    ++j;
    bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    size_t digits_start = j;
    uint32_t value = 0;
    bool overflow = false;
    while (j < n && j - digits_start < 10) {
      const char c = s[j];
      const int d = hex ? HexDigitValue(c) : (IsAsciiDigit(c) ? c - '0' : -1);
      if (d < 0) break;
      value = value * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (value > 0x10FFFF) overflow = true;
      ++j;
    }
    if (j == digits_start || j >= n || s[j] != ';') return false;
    char32_t cp = value;
    if (overflow || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
      cp = kReplacementChar;
    } else if (cp >= 0x80 && cp <= 0x9F) {
      cp = kCp1252[cp - 0x80] ? kCp1252[cp - 0x80] : kReplacementChar;
    } else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
      cp = kReplacementChar;
    }
    AppendUtf8(cp, out);
    *len = j + 1 - i;
    return true;
  }
  size_t name_start = j;
  while (j < n && j - name_start <= 8 && (IsAsciiAlpha(s[j]) || IsAsciiDigit(s[j])))
    ++j;
  if (j == name_start || j >= n || s[j] != ';') return false;
  std::string_view name = s.substr(name_start, j - name_start);
  const auto& table = SortedEntities();
  auto it = std::lower_bound(
      table.begin(), table.end(), name,
      [](const NamedEntity& e, std::string_view key) { return e.name < key; });
  if (it == table.end() || it->name != name) return false;
  AppendUtf8(it->cp, out);
  *len = j + 1 - i;
  return true;
}

bool LeakedMarkupFixer::DecodeEntities(std::string_view in, std::string* out,
                                       LeakedMarkupStats* stats) {
  size_t amp = in.find('&');
  if (amp == std::string_view::npos) return false;
  bool changed = false;
  size_t copied = 0;
  while (amp != std::string_view::npos) {
    if (!changed) {
      out->clear();
      out->reserve(in.size());
    }
    out->append(in.data() + copied, amp - copied);
    size_t len;
    if (DecodeCharacterReference(in, amp, out, &len)) {
      ++stats->entities_decoded;
      changed = true;
      copied = amp + len;
    } else {
      copied = amp;
      out->push_back('&');
      ++copied;
    }
    amp = in.find('&', copied);
  }
  if (!changed) return false;
  out->append(in.data() + copied, in.size() - copied);
  return true;
}

namespace {

enum class EditKind { kDrop, kBreak, kLineBreak };

struct Edit {
  size_t begin;
  size_t end;
  EditKind kind;
};

enum class TagGroup { kNone, kHeading, kInline, kBr };

struct Tag {
  size_t begin;
  size_t end;
  bool closing;
  TagGroup group;
  std::string_view name;  // lowercase comparison is done by LowerEquals
  bool used;
};

TagGroup GroupOf(std::string_view name) {
  if (name.size() == 2 && AsciiToLower(name[0]) == 'h' && name[1] >= '1' && name[1] <= '6')
    return TagGroup::kHeading;
  static constexpr std::string_view kInline[] = {
      "b", "i", "u", "em", "strong", "span", "a", "font", "small", "mark", "p"};
  for (std::string_view x : kInline)
    if (EqualsIgnoreAsciiCase(name, x)) return TagGroup::kInline;
  if (EqualsIgnoreAsciiCase(name, "br")) return TagGroup::kBr;
  return TagGroup::kNone;
}

// Parses a tag at line[i] == '<'. Returns false if it is not a tag of
// interest.
bool ParseTag(std::string_view line, size_t i, Tag* tag) {
  const size_t n = line.size();
  size_t j = i + 1;
  bool closing = j < n && line[j] == '/';
  if (closing) ++j;
  size_t name_start = j;
  while (j < n && (IsAsciiAlpha(line[j]) || IsAsciiDigit(line[j])) &&
         j - name_start < 8)
    ++j;
  if (j == name_start || j >= n) return false;
  std::string_view name = line.substr(name_start, j - name_start);
  TagGroup group = GroupOf(name);
  if (group == TagGroup::kNone) return false;
  if (line[j] == '>') {
    *tag = {i, j + 1, closing, group, name, false};
    return true;
  }
  if (line[j] == '/' && group == TagGroup::kBr && j + 1 < n && line[j + 1] == '>') {
    *tag = {i, j + 2, closing, group, name, false};
    return true;
  }
  if (closing || line[j] != ' ') return false;
  // Attributes: up to '>' on the same line, no '<' inside, bounded.
  size_t k = j;
  while (k < n && line[k] != '>' && line[k] != '<' && k - j < 300) ++k;
  if (k >= n || line[k] != '>') return false;
  *tag = {i, k + 1, closing, group, name, false};
  return true;
}

bool SentenceEndBefore(std::string_view line, size_t pos) {
  // line[pos - 1] is a space; look at the character before it.
  if (pos < 2) return false;
  char c = line[pos - 2];
  if (c == '.' || c == '!' || c == '?' || c == '"') return true;
  return pos >= 4 && line.substr(pos - 4, 3) == "\xE2\x80\x9D";  // ”
}

bool HasSentenceEndInside(std::string_view s) {
  for (size_t k = 0; k + 1 < s.size(); ++k) {
    char c = s[k];
    if ((c == '.' || c == '!' || c == '?') && s[k + 1] == ' ') return true;
  }
  return false;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Finds spelled-out heading tags "Hn heading / hn" and adds their edits.
void FindSpelledHeadings(std::string_view line, size_t max_heading,
                         std::vector<Edit>* edits) {
  const size_t n = line.size();
  size_t search_from = 0;
  for (size_t k = line.find('/'); k != std::string_view::npos;
       k = line.find('/', k + 1)) {
    if (k == 0 || line[k - 1] != ' ') continue;
    size_t m = k + 1;
    if (m < n && line[m] == ' ') ++m;
    if (m + 1 >= n || AsciiToLower(line[m]) != 'h') continue;
    char digit = line[m + 1];
    if (digit < '1' || digit > '6') continue;
    size_t close_end = m + 2;
    if (close_end < n && line[close_end] != ' ') continue;
    // Nearest opening word before the closing one.
    size_t open = std::string_view::npos;
    for (size_t o = k; o-- > search_from;) {
      if (o + 2 >= k) continue;
      if (AsciiToLower(line[o]) != 'h' || line[o + 1] != digit || line[o + 2] != ' ') continue;
      if (o == 0 || (line[o - 1] == ' ' && SentenceEndBefore(line, o))) {
        open = o;
        break;
      }
    }
    if (open == std::string_view::npos) continue;
    std::string_view heading = TrimSpaces(line.substr(open + 3, k - open - 3));
    if (heading.empty() || heading.size() > max_heading ||
        HasSentenceEndInside(heading))
      continue;
    edits->push_back({open, open + 2, EditKind::kBreak});
    edits->push_back({k, close_end, EditKind::kBreak});
    search_from = close_end;
    k = close_end - 1;
  }
}

void FindLiteralTags(std::string_view line, const LeakedMarkupOptions& options,
                     std::vector<Tag>* tags, std::vector<Edit>* edits) {
  tags->clear();
  for (size_t i = line.find('<'); i != std::string_view::npos;
       i = line.find('<', i + 1)) {
    Tag tag;
    if (ParseTag(line, i, &tag)) tags->push_back(tag);
  }
  for (size_t a = 0; a < tags->size(); ++a) {
    Tag& open = (*tags)[a];
    if (open.used) continue;
    if (open.group == TagGroup::kBr) {
      if (options.inline_tags && !open.closing) {
        edits->push_back({open.begin, open.end, EditKind::kLineBreak});
        open.used = true;
      }
      continue;
    }
    if (open.closing) continue;
    if (open.group == TagGroup::kHeading && !options.heading_tags) continue;
    if (open.group == TagGroup::kInline && !options.inline_tags) continue;
    for (size_t b = a + 1; b < tags->size(); ++b) {
      Tag& close = (*tags)[b];
      if (close.used || !close.closing || close.name.size() != open.name.size())
        continue;
      bool same = true;
      for (size_t k = 0; k < open.name.size(); ++k)
        same = same && AsciiToLower(open.name[k]) == AsciiToLower(close.name[k]);
      if (!same) continue;
      EditKind kind =
          open.group == TagGroup::kHeading ? EditKind::kBreak : EditKind::kDrop;
      edits->push_back({open.begin, open.end, kind});
      edits->push_back({close.begin, close.end, kind});
      open.used = close.used = true;
      break;
    }
  }
}

}  // namespace

bool LeakedMarkupFixer::FixLine(std::string_view line,
                                std::string_view para_break, std::string* out,
                                LeakedMarkupStats* stats) {
  std::vector<Edit> edits;
  if (options_.heading_tags && line.find('/') != std::string_view::npos) {
    FindSpelledHeadings(line, static_cast<size_t>(options_.max_heading_chars),
                        &edits);
    stats->headings_fixed += static_cast<int64_t>(edits.size() / 2);
  }
  if (line.find('<') != std::string_view::npos) {
    std::vector<Tag> tags;
    size_t before = edits.size();
    FindLiteralTags(line, options_, &tags, &edits);
    for (size_t k = before; k < edits.size(); ++k) {
      if (edits[k].kind == EditKind::kBreak) {
        ++k;
        ++stats->headings_fixed;
      } else {
        ++stats->tags_removed;
      }
    }
  }
  if (edits.empty()) {
    out->append(line);
    return false;
  }
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  const size_t line_start = out->size();
  bool pending_break = false;
  bool after_break = false;
  size_t pos = 0;
  auto emit_text = [&](std::string_view text) {
    if (after_break) {
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    }
    if (text.empty()) return;
    if (pending_break) {
      out->append(para_break);
      pending_break = false;
    }
    out->append(text);
    after_break = false;
  };
  for (const Edit& e : edits) {
    if (e.begin < pos) continue;  // overlapping edit: keep the first
    emit_text(line.substr(pos, e.begin - pos));
    pos = e.end;
    if (e.kind == EditKind::kDrop) continue;
    after_break = true;
    while (out->size() > line_start && out->back() == ' ') out->pop_back();
    if (e.kind == EditKind::kLineBreak) {
      out->push_back('\n');
      pending_break = false;
      continue;
    }
    if (out->size() > line_start && out->back() != '\n') pending_break = true;
  }
  emit_text(line.substr(pos));
  return true;
}

bool LeakedMarkupFixer::FixTags(std::string_view in, std::string* out,
                                LeakedMarkupStats* stats) {
  if (in.find('/') == std::string_view::npos &&
      in.find('<') == std::string_view::npos)
    return false;
  std::string_view para_break =
      in.find("\n\n") != std::string_view::npos ? "\n\n" : "\n";
  out->clear();
  bool changed = false;
  size_t start = 0;
  while (true) {
    size_t nl = in.find('\n', start);
    size_t end = nl == std::string_view::npos ? in.size() : nl;
    std::string_view line = in.substr(start, end - start);
    bool candidate = line.find('<') != std::string_view::npos ||
                     line.find('/') != std::string_view::npos;
    if (candidate && FixLine(line, para_break, out, stats)) {
      changed = true;
    } else if (!candidate) {
      out->append(line);
    }
    if (nl == std::string_view::npos) break;
    out->push_back('\n');
    start = nl + 1;
  }
  return changed;
}

bool LeakedMarkupFixer::Fix(std::string_view in, std::string* out,
                            LeakedMarkupStats* stats) {
  bool changed = false;
  std::string_view current = in;
  if (options_.decode_entities && DecodeEntities(current, &scratch_, stats)) {
    changed = true;
    current = scratch_;
  }
  if (options_.heading_tags || options_.inline_tags) {
    if (FixTags(current, out, stats)) return true;
  }
  if (!changed) return false;
  out->swap(scratch_);
  return true;
}

}  // namespace winnow::text
