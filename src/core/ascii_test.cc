#include "core/ascii.h"

#include <gtest/gtest.h>

#include <cctype>

namespace winnow {
namespace {

// <cctype> in the "C" locale (the default of a program that never calls
// setlocale) classifies exactly the ASCII characters.
TEST(Ascii, ClassifiesEveryByteAsTheCLocaleDoes) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool ascii = b < 0x80;
    EXPECT_EQ(IsAsciiDigit(c), ascii && std::isdigit(b) != 0) << b;
    EXPECT_EQ(IsAsciiAlpha(c), ascii && std::isalpha(b) != 0) << b;
    EXPECT_EQ(IsAsciiAlnum(c), ascii && std::isalnum(b) != 0) << b;
    EXPECT_EQ(IsAsciiWhitespace(c), ascii && std::isspace(b) != 0 && b != '\v')
        << b;
    EXPECT_EQ(HexDigitValue(c) >= 0, ascii && std::isxdigit(b) != 0) << b;
    EXPECT_EQ(AsciiToLower(c), static_cast<char>(ascii ? std::tolower(b) : b))
        << b;
  }
  EXPECT_EQ(HexDigitValue('7'), 7);
  EXPECT_EQ(HexDigitValue('b'), 11);
  EXPECT_EQ(HexDigitValue('F'), 15);
}

TEST(Ascii, ComparesIgnoringOnlyAsciiCase) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Content-Type", "content-type"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("content-type", "content-typ"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("\xC3\x89", "\xC3\xA9"));  // É, é
  EXPECT_FALSE(EqualsIgnoreAsciiCase("[", "{"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("HTTP/1.1 200", "http/"));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("HTT", "http/"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("abc", ""));
}

}  // namespace
}  // namespace winnow
