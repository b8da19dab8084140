// ASCII character tests and case-insensitive comparison for protocol and
// markup syntax (HTTP and WARC headers, HTML tags and attributes, charset
// labels). Bytes >= 0x80 are never letters, digits or whitespace here, and
// case folding touches only A-Z, as the HTTP and HTML specifications ask.
//
// All functions are pure, thread-safe and inline (they sit in parser loops).
#ifndef WINNOW_CORE_ASCII_H_
#define WINNOW_CORE_ASCII_H_

#include <cstddef>
#include <string_view>

namespace winnow {

// 'A'-'Z' mapped to 'a'-'z'; every other byte unchanged.
constexpr char AsciiToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

constexpr bool IsAsciiAlpha(char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

constexpr bool IsAsciiAlnum(char c) {
  return IsAsciiDigit(c) || IsAsciiAlpha(c);
}

// "ASCII whitespace" of the WHATWG Infra standard, which HTML uses: TAB, LF,
// FF, CR and SPACE (not VT).
constexpr bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The value of hexadecimal digit `c` (0-9, a-f, A-F), or -1.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True if `a` and `b` are equal after AsciiToLower of every byte.
constexpr bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) return false;
  }
  return true;
}

// True if `s` starts with `prefix`, ignoring ASCII case.
constexpr bool StartsWithIgnoreAsciiCase(std::string_view s,
                                         std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsIgnoreAsciiCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace winnow

#endif  // WINNOW_CORE_ASCII_H_
