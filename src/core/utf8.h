// UTF-8 primitives shared by every module: validation, repair of ill-formed
// input, decoding and encoding of single code points, and cutting a prefix at
// a character boundary.
//
// Terms. A well-formed sequence is one of the byte patterns of the Unicode
// Standard, Table 3-7 (no overlongs, no surrogates, nothing above U+10FFFF).
// Where the input is not well-formed, it splits into "maximal subparts"
// (Unicode Standard, chapter 3, "U+FFFD Substitution of Maximal Subparts"):
// the longest prefix of a well-formed sequence found at that position, or a
// single byte when none starts there. Replacing each with U+FFFD is the
// policy of the WHATWG Encoding Standard and of Python's
// bytes.decode("utf-8", "replace"). A "unit" below is either a well-formed
// sequence or one maximal subpart; every byte string splits into units in
// exactly one way, from left to right.
//
// All functions are pure and thread-safe; views passed in need only stay
// valid for the duration of the call. No function allocates except to grow
// the `out` string it appends to.
#ifndef WINNOW_CORE_UTF8_H_
#define WINNOW_CORE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow {

inline constexpr char32_t kReplacementChar = 0xFFFD;
// kReplacementChar encoded as UTF-8.
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// Returns true if every byte of `s` is < 0x80 (true for an empty `s`).
bool IsAscii(std::string_view s);

// Returns true if `s` is well-formed UTF-8 (true for an empty `s`).
bool IsValidUtf8(std::string_view s);

// Returns the length (1 to 4) of the well-formed sequence that starts at
// s[i], or 0 when none does; then sets *maximal to the length (1 to 3) of the
// maximal subpart there. REQUIRES: i < s.size(), maximal != nullptr.
inline size_t WellFormedUtf8Length(std::string_view s, size_t i,
                                   size_t* maximal) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char b = p[i];
  if (b < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    need = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    *maximal = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < need && i + k < s.size(); ++k) {
    const unsigned char c = p[i + k];
    if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) break;
  }
  if (k == need) return need;
  *maximal = k;
  return 0;
}

// Appends `s` to `out` with each maximal subpart replaced by U+FFFD, exactly
// as Python's bytes.decode("utf-8", "replace") followed by encode("utf-8").
// Returns the number of replacement characters inserted; when it is 0, `s`
// was appended unchanged (then IsValidUtf8(s) is true). `s` must not alias
// `*out`.
size_t AppendRepairedUtf8(std::string_view s, std::string* out);

// Decodes the code point starting at s[i] and sets *len to its byte length.
// REQUIRES: i < s.size(). On well-formed input this is exact. It is built
// for speed on text that is usually valid, so it checks only the byte
// pattern (a lead byte followed by enough continuation bytes), never reads
// past the end of `s`, and otherwise:
//   - a continuation byte, a byte 0xF8..0xFF, or a lead byte without enough
//     continuation bytes after it decodes as U+FFFD with *len == 1 (so each
//     such byte yields its own U+FFFD, unlike AppendRepairedUtf8);
//   - an overlong form, a surrogate or a 4-byte form above U+10FFFF decodes
//     arithmetically (C0 AF as '/', ED A0 80 as U+D800, F5 80 80 80 as
//     0x140000). Callers that must not see those validate first (the
//     fix_utf8 step does).
inline char32_t DecodeUtf8(std::string_view s, size_t i, size_t* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const size_t avail = s.size() - i;
  const unsigned char b = p[0];
  if (b < 0x80) {
    *len = 1;
    return b;
  }
  const size_t need = b >= 0xF8   ? 0
                      : b >= 0xF0 ? 4
                      : b >= 0xE0 ? 3
                      : b >= 0xC0 ? 2
                                  : 0;
  bool ok = need != 0 && need <= avail;
  for (size_t k = 1; ok && k < need; ++k) ok = (p[k] & 0xC0) == 0x80;
  if (!ok) {
    *len = 1;
    return kReplacementChar;
  }
  *len = need;
  if (need == 2) return ((b & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (need == 3) {
    return ((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  return ((b & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
         (p[3] & 0x3Fu);
}

// Decodes the code point that ends just before s[end] and sets *len to the
// number of bytes to step back (1 to 4). REQUIRES: 0 < end <= s.size().
// Agrees with DecodeUtf8 on well-formed input. Otherwise, when the last
// bytes before `end` are not one sequence as DecodeUtf8 reads it (starting at
// most three continuation bytes back), it returns U+FFFD with *len == 1.
char32_t DecodeUtf8Before(std::string_view s, size_t end, size_t* len);

// Appends the UTF-8 encoding of `cp`. A value that is not a Unicode scalar
// value (a surrogate U+D800..U+DFFF, or above U+10FFFF) is written as
// U+FFFD, so the output is always well-formed.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
    return;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  char buf[4];
  size_t n;
  if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out->append(buf, n);
}

// Returns where to cut `s` to keep at most `max_bytes` bytes without
// splitting a unit: s.size() when it fits; otherwise max_bytes, moved back
// to the start of the unit (well-formed sequence or maximal subpart) that
// straddles it, if any. The result is at least max_bytes - 3. Because units
// are kept whole, the repair of the prefix is a prefix of the repair of `s`;
// on well-formed input the prefix is well-formed.
size_t Utf8PrefixLength(std::string_view s, size_t max_bytes);

// Appends the first Utf8PrefixLength(s, max_bytes) bytes of `s` to `out`,
// repaired as by AppendRepairedUtf8 (so the output can exceed max_bytes by
// the growth of the replacements). For excerpts of raw input in reports.
void AppendUtf8Excerpt(std::string_view s, size_t max_bytes, std::string* out);

}  // namespace winnow

#endif  // WINNOW_CORE_UTF8_H_
