// UTF-8 primitives shared by the text cleaning steps: validation, repair of
// ill-formed input, decoding and encoding of single code points.
//
// All functions are pure and thread-safe. Views passed in must stay valid for
// the duration of the call only.
#ifndef WINNOW_TEXT_UTF8_H_
#define WINNOW_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Returns true if every byte of `s` is < 0x80.
bool IsAscii(std::string_view s);

// Returns true if `s` is well-formed UTF-8 (no overlongs, no surrogates, no
// code points above U+10FFFF, no truncated sequences).
bool IsValidUtf8(std::string_view s);

// Copies `in` to `out` (replacing its contents), substituting U+FFFD for each
// maximal subpart of an ill-formed subsequence, as recommended by the Unicode
// Standard (chapter 3, "U+FFFD Substitution of Maximal Subparts"; the same
// policy as the WHATWG Encoding Standard decoder). Returns the number of
// replacement characters inserted (0 when `in` is valid; `out` then equals
// `in`).
size_t RepairUtf8(std::string_view in, std::string* out);

// Decodes the code point starting at s[i]. REQUIRES: i < s.size(). Sets
// *len to its byte length. Never reads past the end of `s`: a truncated or
// malformed sequence decodes as U+FFFD with *len == 1 (steps may run with
// fix_utf8 switched off).
inline char32_t DecodeUtf8(std::string_view s, size_t i, size_t* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const size_t avail = s.size() - i;
  unsigned char b = p[0];
  if (b < 0x80) {
    *len = 1;
    return b;
  }
  size_t need = b >= 0xF8 ? 0 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  bool ok = need != 0 && need <= avail;
  for (size_t k = 1; ok && k < need; ++k) ok = (p[k] & 0xC0) == 0x80;
  if (!ok) {
    *len = 1;
    return kReplacementChar;
  }
  *len = need;
  if (need == 2) return ((b & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (need == 3)
    return ((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  return ((b & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
         (p[3] & 0x3Fu);
}

// Decodes the code point that ends just before s[end]. REQUIRES: end > 0.
// Sets *len to the number of bytes to step back (>= 1); malformed input
// yields U+FFFD as DecodeUtf8 does.
char32_t DecodeUtf8Before(std::string_view s, size_t end, size_t* len);

// Appends the UTF-8 encoding of `cp` (REQUIRES: a Unicode scalar value).
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace winnow::text

#endif  // WINNOW_TEXT_UTF8_H_
