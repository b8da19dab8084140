#include "text/char_cleaning.h"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/swar.h"
#include "core/utf8.h"

namespace winnow::text {
namespace {

// One bit per BMP code point: set when the code point may change under NFC
// or may combine with its neighbours (non-zero combining class, non-initial
// element of a canonical decomposition, singleton or excluded decomposition).
// A string made only of unset code points is in NFC: every character is a
// starter that composes with nothing (the Unicode NFC quick check, with
// "Maybe" treated as "No").
class NfcUnsafeTable {
 public:
  NfcUnsafeTable() : bits_(0x10000 / 64, 0) {
    for (utf8proc_int32_t cp = 0x80; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      const utf8proc_property_t* prop = utf8proc_get_property(cp);
      if (prop->combining_class != 0) Set(cp);
      utf8proc_int32_t seq[16];
      int last_boundclass = 0;
      utf8proc_ssize_t n = utf8proc_decompose_char(
          cp, seq, 16, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE),
          &last_boundclass);
      if (n <= 0 || n > 16) {
        Set(cp);
        continue;
      }
      if (n == 1 && seq[0] == cp) continue;
      for (utf8proc_ssize_t k = 1; k < n; ++k)
        if (seq[k] < 0x10000) Set(seq[k]);
      if (cp >= 0xAC00 && cp <= 0xD7A3) continue;  // Hangul: composes back
      if (!RoundTrips(cp)) Set(cp);
    }
    // utf8proc 2.8 composes an LV syllable with U+11A7 (one below the first
    // trailing jamo), which Unicode does not. Route it through utf8proc so
    // that every document gets the same answer, fast path or not.
    Set(0x11A7);
  }

  bool Unsafe(char32_t cp) const {
    return (bits_[cp >> 6] >> (cp & 63)) & 1;
  }

 private:
  void Set(utf8proc_int32_t cp) { bits_[cp >> 6] |= uint64_t{1} << (cp & 63); }

  static bool RoundTrips(utf8proc_int32_t cp) {
    std::string s;
    AppendUtf8(static_cast<char32_t>(cp), &s);
    utf8proc_uint8_t* dst = nullptr;
    utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
        static_cast<utf8proc_ssize_t>(s.size()), &dst,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    bool same = n == static_cast<utf8proc_ssize_t>(s.size()) &&
                std::memcmp(dst, s.data(), s.size()) == 0;
    std::free(dst);
    return same;
  }

  std::vector<uint64_t> bits_;
};

const NfcUnsafeTable& UnsafeTable() {
  static const NfcUnsafeTable* table = new NfcUnsafeTable();
  return *table;
}

// Astral code points are safe only in the symbol and emoji planes' block
// U+1F000-U+1FFFF, when they are starters without canonical decomposition.
bool AstralSafe(char32_t cp) {
  if (cp < 0x1F000 || cp > 0x1FFFF) return false;
  const utf8proc_property_t* prop =
      utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  if (prop->combining_class != 0) return false;
  bool canonical_decomposition =
      prop->decomp_seqindex != UINT16_MAX && prop->decomp_type == 0;
  return !canonical_decomposition;
}

bool IsQuickNfc(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  const NfcUnsafeTable* table = nullptr;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    if (p[i] < 0xCC) {  // U+0080..U+02FF: all NFC-stable starters
      i += 2;
      continue;
    }
    size_t len;
    char32_t cp = DecodeUtf8(s, i, &len);
    if (cp >= 0x10000) {
      if (!AstralSafe(cp)) return false;
    } else {
      if (table == nullptr) table = &UnsafeTable();
      if (table->Unsafe(cp)) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

NfcOutcome NormalizeNfc(std::string_view in, std::string* out) {
  if (IsQuickNfc(in)) return NfcOutcome::kUnchanged;
  utf8proc_uint8_t* dst = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
      static_cast<utf8proc_ssize_t>(in.size()), &dst,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    std::free(dst);
    return NfcOutcome::kInvalid;
  }
  std::string_view result(reinterpret_cast<const char*>(dst),
                          static_cast<size_t>(n));
  bool changed = result != in;
  if (changed) out->assign(result);
  std::free(dst);
  return changed ? NfcOutcome::kChanged : NfcOutcome::kUnchanged;
}

namespace {

// What to do with the character at a position: keep it (kKeep), or replace
// `len` bytes by `replacement` (possibly empty).
struct ControlAction {
  bool keep = true;
  size_t len = 1;
  std::string_view replacement;
  bool line_break = false;
};

// Bytes that may start a character DropControlChars acts on.
constexpr std::array<bool, 256> MakeControlLeadTable() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\n' && c != '\t';
  t[0x7F] = true;
  t[0xC2] = true;  // C1 controls, NEL, soft hyphen
  t[0xE2] = true;  // U+200B, U+2028, U+2029, U+2060
  t[0xEF] = true;  // U+FEFF, U+FFFC, U+FFFE, U+FFFF
  return t;
}
constexpr std::array<bool, 256> kControlLead = MakeControlLeadTable();

ControlAction ClassifyControl(const unsigned char* p, size_t i, size_t n,
                              bool drop_invisible) {
  ControlAction a;
  unsigned char b = p[i];
  if (b < 0x80) {
    a.keep = false;
    if (b == '\r') {
      a.len = (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
      a.replacement = "\n";
      a.line_break = true;
    } else if (b == 0x0B || b == 0x0C) {
      a.replacement = "\n";
      a.line_break = true;
    }
    return a;
  }
  if (b == 0xC2 && i + 1 < n) {
    unsigned char c = p[i + 1];
    if (c == 0x85) {
      a.keep = false;
      a.len = 2;
      a.replacement = "\n";
      a.line_break = true;
    } else if (c >= 0x80 && c <= 0x9F) {
      a.keep = false;
      a.len = 2;
    } else if (c == 0xAD && drop_invisible) {
      a.keep = false;
      a.len = 2;
    }
    return a;
  }
  if (i + 2 >= n) return a;
  unsigned char c = p[i + 1], d = p[i + 2];
  if (b == 0xE2) {
    if (c == 0x80 && d == 0xA8) {
      a = {false, 3, "\n", true};
    } else if (c == 0x80 && d == 0xA9) {
      a = {false, 3, "\n\n", true};
    } else if (drop_invisible &&
               ((c == 0x80 && d == 0x8B) || (c == 0x81 && d == 0xA0))) {
      a = {false, 3, "", false};
    }
  } else if (b == 0xEF && drop_invisible) {
    if ((c == 0xBB && d == 0xBF) ||
        (c == 0xBF && (d == 0xBC || d == 0xBE || d == 0xBF))) {
      a = {false, 3, "", false};
    }
  }
  return a;
}

}  // namespace

bool DropControlChars(std::string_view in, const ControlCharOptions& options,
                      std::string* out, ControlCharStats* stats) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0, copied = 0;
  bool changed = false;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w = swar::Load(p + i);
      uint64_t m = swar::Less(w, 0x20) | swar::NonAscii(w) | swar::Equal(w, 0x7F);
      if (m == 0) {
        i += 8;
        continue;
      }
      i += static_cast<size_t>(swar::FirstMatch(m));
    }
    if (!kControlLead[p[i]]) {
      ++i;
      continue;
    }
    ControlAction a = ClassifyControl(p, i, n, options.drop_invisible);
    if (a.keep) {
      ++i;
      continue;
    }
    if (!changed) {
      out->clear();
      out->reserve(n);
      changed = true;
    }
    out->append(in.data() + copied, i - copied);
    out->append(a.replacement);
    if (a.line_break) {
      ++stats->line_breaks_normalized;
    } else {
      ++stats->chars_dropped;
    }
    i += a.len;
    copied = i;
  }
  if (changed) out->append(in.data() + copied, n - copied);
  return changed;
}

namespace {

enum WsClass : unsigned char { kOther = 0, kSpace, kNewline, kSpecial };

constexpr std::array<unsigned char, 256> MakeWsTable() {
  std::array<unsigned char, 256> t{};
  t[' '] = kSpace;
  t['\t'] = kSpace;
  t['\n'] = kNewline;
  t['\r'] = kSpecial;
  t[0x0B] = kNewline;
  t[0x0C] = kNewline;
  t[0xC2] = kSpecial;
  t[0xE1] = kSpecial;
  t[0xE2] = kSpecial;
  t[0xE3] = kSpecial;
  return t;
}
constexpr std::array<unsigned char, 256> kWs = MakeWsTable();

// Length of the Unicode space character at p[i] (lead byte classified
// kSpecial, not '\r'), or 0 if it is not a space.
size_t UnicodeSpaceLen(const unsigned char* p, size_t i, size_t n) {
  unsigned char b = p[i];
  if (b == 0xC2) return (i + 1 < n && p[i + 1] == 0xA0) ? 2 : 0;
  if (i + 2 >= n) return 0;
  unsigned char c = p[i + 1], d = p[i + 2];
  if (b == 0xE1) return (c == 0x9A && d == 0x80) ? 3 : 0;
  if (b == 0xE3) return (c == 0x80 && d == 0x80) ? 3 : 0;
  if (c == 0x80 && ((d >= 0x80 && d <= 0x8A) || d == 0xAF)) return 3;
  if (c == 0x81 && d == 0x9F) return 3;
  return 0;
}

}  // namespace

bool NormalizeWhitespace(std::string_view in, const WhitespaceOptions& options,
                         std::string* out) {
  // Each maximal run of whitespace is replaced by its canonical form: nothing
  // at the start or end of the text, else the run's line breaks (capped) if it
  // has any, else one space. Runs already in canonical form stay part of a
  // verbatim span copied in bulk; when no run needs a change nothing is
  // copied at all.
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  const size_t max_newlines =
      static_cast<size_t>(options.max_blank_lines < 0 ? 0 : options.max_blank_lines) + 1;
  bool changed = false;
  size_t span_start = 0;  // start of the input not yet copied to *out
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w = swar::Load(p + i);
      uint64_t m = swar::Less(w, 0x21) | swar::NonAscii(w);
      if (m == 0) {
        i += 8;
        continue;
      }
      i += static_cast<size_t>(swar::FirstMatch(m));
    }
    unsigned char cls = kWs[p[i]];
    if (cls == kOther) {
      ++i;
      continue;
    }
    // The common case: one space between two non-space bytes (i > 0 here
    // means p[i - 1] is not whitespace, as runs are consumed whole).
    if (p[i] == ' ' && i > 0 && i + 1 < n && kWs[p[i + 1]] == kOther) {
      i += 2;
      continue;
    }
    size_t space_len = 0;
    if (cls == kSpecial && p[i] != '\r') {
      space_len = UnicodeSpaceLen(p, i, n);
      if (space_len == 0) {
        ++i;
        continue;
      }
    }
    // A whitespace run starts at i.
    const size_t run_start = i;
    size_t newlines = 0;
    bool only_spaces = true;  // run made only of ' ' characters
    while (i < n) {
      unsigned char b = p[i];
      unsigned char c = kWs[b];
      if (c == kSpace) {
        only_spaces = only_spaces && b == ' ';
        ++i;
      } else if (c == kNewline) {
        ++newlines;
        only_spaces = false;
        ++i;
      } else if (b == '\r') {
        ++newlines;
        only_spaces = false;
        i += (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
      } else if (c == kSpecial && (space_len = UnicodeSpaceLen(p, i, n)) > 0) {
        only_spaces = false;
        i += space_len;
      } else {
        break;
      }
    }
    const size_t run_len = i - run_start;
    std::string_view canonical;
    size_t canonical_newlines = 0;
    if (run_start == 0 || i == n) {
      canonical = std::string_view();
    } else if (newlines > 0) {
      canonical_newlines = newlines < max_newlines ? newlines : max_newlines;
    } else {
      canonical = " ";
    }
    bool is_canonical;
    if (canonical_newlines > 0) {
      is_canonical = run_len == canonical_newlines;
      for (size_t k = run_start; is_canonical && k < i; ++k)
        is_canonical = p[k] == '\n';
    } else {
      is_canonical = run_len == canonical.size() && (run_len == 0 || only_spaces);
    }
    if (is_canonical) continue;
    if (!changed) {
      out->clear();
      out->reserve(n);
      changed = true;
    }
    out->append(in.data() + span_start, run_start - span_start);
    if (canonical_newlines > 0) {
      out->append(canonical_newlines, '\n');
    } else {
      out->append(canonical);
    }
    span_start = i;
  }
  if (changed) out->append(in.data() + span_start, n - span_start);
  return changed;
}

}  // namespace winnow::text
