// Text primitives with the exact semantics of the Python str methods that
// datatrove's filters use (len, strip, split, splitlines, isalpha, lower), over
// UTF-8 bytes and without allocation.
//
// All functions take valid UTF-8. Invalid bytes never cause out-of-bounds
// reads: each invalid byte decodes as one code point U+FFFD.
// Returned string_views point into the argument.
#ifndef WINNOW_FILTERS_PY_TEXT_H_
#define WINNOW_FILTERS_PY_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::pytext {

namespace internal {

// Per-ASCII-byte classes: bit 0 Python whitespace, bit 1 datatrove
// punctuation, bit 2 alphabetic.
inline constexpr unsigned char kSpaceBit = 1, kPunctBit = 2, kAlphaBit = 4;
struct AsciiClassTable {
  unsigned char v[128] = {};
  constexpr AsciiClassTable() {
    for (int c = 0; c < 128; ++c) {
      if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        v[c] |= kSpaceBit;
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) v[c] |= kPunctBit;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) v[c] |= kAlphaBit;
    }
    for (char c : std::string_view("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))
      v[static_cast<unsigned char>(c)] |= kPunctBit;
  }
};
inline constexpr AsciiClassTable kAsciiClass;

char32_t DecodeNextSlow(std::string_view s, size_t* i);
bool IsSpaceSlow(char32_t c);
bool IsAlphaSlow(char32_t c);
bool IsPunctuationSlow(char32_t c);

}  // namespace internal

// Decodes the code point starting at s[*i] and advances *i past it.
// REQUIRES: *i < s.size().
inline char32_t DecodeNext(std::string_view s, size_t* i) {
  const unsigned char b = static_cast<unsigned char>(s[*i]);
  if (b < 0x80) {
    ++*i;
    return b;
  }
  return internal::DecodeNextSlow(s, i);
}

// Decodes the code point ending at s[*end - 1] and moves *end to its start.
// REQUIRES: *end > 0.
char32_t DecodePrev(std::string_view s, size_t* end);

// Python len(): number of code points (exact for valid UTF-8): the bytes
// that are not UTF-8 continuation bytes (0x80-0xBF).
size_t Length(std::string_view s);

// True when every byte of `s` is ASCII (< 0x80).
bool IsAscii(std::string_view s);

// Python str.isspace() for one code point.
inline bool IsSpace(char32_t c) {
  return c < 128 ? (internal::kAsciiClass.v[c] & internal::kSpaceBit) != 0
                 : internal::IsSpaceSlow(c);
}

// Python str.isalpha() for one code point (categories Lu Ll Lt Lm Lo).
inline bool IsAlpha(char32_t c) {
  return c < 128 ? (internal::kAsciiClass.v[c] & internal::kAlphaBit) != 0
                 : internal::IsAlphaSlow(c);
}

// Membership in datatrove's utils/text.py PUNCTUATION_SET.
inline bool IsPunctuation(char32_t c) {
  return c < 128 ? (internal::kAsciiClass.v[c] & internal::kPunctBit) != 0
                 : internal::IsPunctuationSlow(c);
}

// Membership in datatrove's TERMINAL_PUNCTUATION.
bool IsTerminalPunctuation(char32_t c);

namespace internal {
// LStrip / RStrip continuing at s[i] / ending at s[e - 1], a non-ASCII byte.
std::string_view LStripFrom(std::string_view s, size_t i);
std::string_view RStripTo(std::string_view s, size_t e);
}  // namespace internal

// str.strip() / lstrip() / rstrip() without arguments.
inline std::string_view LStrip(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) return internal::LStripFrom(s, i);
    if ((internal::kAsciiClass.v[b] & internal::kSpaceBit) == 0)
      return s.substr(i);
  }
  return s.substr(s.size());
}
inline std::string_view RStrip(std::string_view s) {
  for (size_t e = s.size(); e > 0; --e) {
    const unsigned char b = static_cast<unsigned char>(s[e - 1]);
    if (b >= 0x80) return internal::RStripTo(s, e);
    if ((internal::kAsciiClass.v[b] & internal::kSpaceBit) == 0)
      return s.substr(0, e);
  }
  return s.substr(0, 0);
}
inline std::string_view Strip(std::string_view s) { return RStrip(LStrip(s)); }

// str.splitlines(): splits at \n \r \r\n \v \f \x1c \x1d \x1e \x85 U+2028
// U+2029; no trailing empty element; "" gives no lines. Clears *lines.
void SplitLines(std::string_view s, std::vector<std::string_view>* lines);

// Calls f(word) for each element of str.split() (runs of whitespace as
// separators, no empty elements).
template <typename F>
void ForEachWhitespaceWord(std::string_view s, F&& f) {
  size_t i = 0;
  size_t start = std::string_view::npos;
  while (i < s.size()) {
    size_t at = i;
    char32_t c = DecodeNext(s, &i);
    if (IsSpace(c)) {
      if (start != std::string_view::npos) {
        f(s.substr(start, at - start));
        start = std::string_view::npos;
      }
    } else if (start == std::string_view::npos) {
      start = at;
    }
  }
  if (start != std::string_view::npos) f(s.substr(start));
}

// min(len(s.split()), limit): counts the elements of str.split(), stopping
// once `limit` are found.
size_t CountWhitespaceWords(std::string_view s, size_t limit);

// str.count(needle): non-overlapping occurrences. REQUIRES: !needle.empty().
size_t Count(std::string_view s, std::string_view needle);

// s.count("..."), i.e. Count(s, "..."): the sum of floor(L / 3) over the
// maximal runs of L periods. Scans 16 bytes at a time; branches only where a
// run of three or more periods starts, not at every period.
size_t CountTripleDots(std::string_view s);

// Appends the result of str.lower() to *out as far as ASCII substrings are
// concerned: ASCII letters and U+212A KELVIN SIGN (whose lowercase is 'k') are
// lowered, every other byte is copied. An ASCII needle occurs in this result
// iff it occurs in Python's s.lower().
void AppendLowerForAsciiSearch(std::string_view s, std::string* out);

}  // namespace winnow::pytext

#endif  // WINNOW_FILTERS_PY_TEXT_H_
