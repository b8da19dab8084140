// Character classes with the exact meaning Python 3.11's `re` and `str`
// methods give them, on UTF-8 input. NLTK's tokenizers are regular
// expressions over Python str, so reproducing them needs these predicates:
//   IsPySpace   -> `\s` in a str pattern, str.isspace(), str.split()/strip()
//   IsPyWord    -> `\w` (letters L*, numbers N*, and '_')
//   IsPyDecimal -> `\d` (category Nd)
//   IsPyUpper / IsPyLower -> str.isupper() / str.islower() of one character
// Python 3.11 ships the Unicode 14 database; utf8proc may be newer, so the
// code points assigned after Unicode 14 are classified as unassigned here.
//
// Invalid UTF-8 never fails: DecodeUtf8 returns kInvalidCodePoint for a
// malformed or truncated sequence and consumes exactly one byte; that value
// is in no class (like a symbol).
//
// Thread safety: all functions are pure.
#ifndef WINNOW_TOKENIZE_CHAR_CLASSES_H_
#define WINNOW_TOKENIZE_CHAR_CLASSES_H_

#include <cstddef>
#include <cstdint>

namespace winnow::tokenize_internal {

inline constexpr char32_t kInvalidCodePoint = 0x110000;

// Decodes the code point starting at p (REQUIRES p < end) and stores its
// byte length (1..4) in *len.
inline char32_t DecodeUtf8(const char* p, const char* end, int* len) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const unsigned char b0 = u[0];
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  const std::ptrdiff_t avail = end - p;
  *len = 1;
  if (b0 < 0xC2) return kInvalidCodePoint;
  if (b0 < 0xE0) {
    if (avail < 2 || (u[1] & 0xC0) != 0x80) return kInvalidCodePoint;
    *len = 2;
    return (char32_t(b0 & 0x1F) << 6) | (u[1] & 0x3F);
  }
  if (b0 < 0xF0) {
    if (avail < 3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80) {
      return kInvalidCodePoint;
    }
    const char32_t cp = (char32_t(b0 & 0x0F) << 12) |
                        (char32_t(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalidCodePoint;
    *len = 3;
    return cp;
  }
  if (b0 < 0xF5) {
    if (avail < 4 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80 ||
        (u[3] & 0xC0) != 0x80) {
      return kInvalidCodePoint;
    }
    const char32_t cp = (char32_t(b0 & 0x07) << 18) |
                        (char32_t(u[1] & 0x3F) << 12) |
                        (char32_t(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return kInvalidCodePoint;
    *len = 4;
    return cp;
  }
  return kInvalidCodePoint;
}

// Decodes the code point that ends just before `end` (REQUIRES begin < end).
// Stores its byte length in *len; a byte that does not close a valid
// sequence decodes as kInvalidCodePoint of length 1, consistent with a
// forward decode of the same bytes.
char32_t DecodeUtf8Backward(const char* begin, const char* end, int* len);

// ASCII property bits, indexed by byte value < 0x80.
enum : uint8_t {
  kAsciiSpace = 1,    // \t \n \v \f \r \x1c-\x1f and ' '
  kAsciiWord = 2,     // [A-Za-z0-9_]
  kAsciiDigit = 4,    // [0-9]
  kAsciiUpper = 8,    // [A-Z]
  kAsciiLower = 16,   // [a-z]
};
struct AsciiPropsTable {
  uint8_t v[128];
  constexpr AsciiPropsTable() : v() {
    for (int c = 0x09; c <= 0x0D; ++c) v[c] = kAsciiSpace;
    for (int c = 0x1C; c <= 0x20; ++c) v[c] = kAsciiSpace;
    for (int c = '0'; c <= '9'; ++c) v[c] = kAsciiWord | kAsciiDigit;
    for (int c = 'A'; c <= 'Z'; ++c) v[c] = kAsciiWord | kAsciiUpper;
    for (int c = 'a'; c <= 'z'; ++c) v[c] = kAsciiWord | kAsciiLower;
    v['_'] = kAsciiWord;
  }
};
inline constexpr AsciiPropsTable kAsciiPropsTable;
inline constexpr const uint8_t* kAsciiProps = kAsciiPropsTable.v;

bool IsPySpaceNonAscii(char32_t cp);
bool IsPyWordNonAscii(char32_t cp);
bool IsPyDecimalNonAscii(char32_t cp);
bool IsPyUpperNonAscii(char32_t cp);
bool IsPyLowerNonAscii(char32_t cp);

inline bool IsPySpace(char32_t cp) {
  return cp < 0x80 ? (kAsciiProps[cp] & kAsciiSpace) != 0
                   : IsPySpaceNonAscii(cp);
}
inline bool IsPyWord(char32_t cp) {
  return cp < 0x80 ? (kAsciiProps[cp] & kAsciiWord) != 0
                   : IsPyWordNonAscii(cp);
}
inline bool IsPyDecimal(char32_t cp) {
  return cp < 0x80 ? (kAsciiProps[cp] & kAsciiDigit) != 0
                   : IsPyDecimalNonAscii(cp);
}
inline bool IsPyUpper(char32_t cp) {
  return cp < 0x80 ? (kAsciiProps[cp] & kAsciiUpper) != 0
                   : IsPyUpperNonAscii(cp);
}
inline bool IsPyLower(char32_t cp) {
  return cp < 0x80 ? (kAsciiProps[cp] & kAsciiLower) != 0
                   : IsPyLowerNonAscii(cp);
}

// True when the bytes at p (REQUIRES p < end) start a Python whitespace
// character; stores the character's byte length in *len either way.
inline bool SpaceAt(const char* p, const char* end, int* len) {
  const auto b = static_cast<unsigned char>(*p);
  if (b < 0x80) {
    *len = 1;
    return (kAsciiProps[b] & kAsciiSpace) != 0;
  }
  const char32_t cp = DecodeUtf8(p, end, len);
  return IsPySpaceNonAscii(cp);
}

}  // namespace winnow::tokenize_internal

#endif  // WINNOW_TOKENIZE_CHAR_CLASSES_H_
