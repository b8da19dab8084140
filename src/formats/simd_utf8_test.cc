#include "formats/simd_utf8.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace winnow {
namespace {

// Bytes at the edges of the ranges of well-formed UTF-8, plus ASCII.
const std::vector<unsigned char> kEdgeBytes = {
    0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
    0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
    0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF};

TEST(SimdUtf8, AgreesWithCoreOnEveryShortEdgeStringAtBlockEdges) {
  // simdjson works in 64-byte blocks: place each string across the first
  // block boundary and at the very end.
  std::string s;
  for (unsigned char a : kEdgeBytes) {
    for (unsigned char b : kEdgeBytes) {
      for (unsigned char c : kEdgeBytes) {
        const std::string three = {static_cast<char>(a), static_cast<char>(b),
                                   static_cast<char>(c)};
        for (size_t pad : {0, 62, 63}) {
          s.assign(pad, 'x');
          s += three;
          ASSERT_EQ(IsValidUtf8Simd(s), IsValidUtf8(s))
              << ::testing::PrintToString(three) << " at " << pad;
        }
      }
    }
  }
}

TEST(SimdUtf8, AgreesWithCoreOnRandomText) {
  std::mt19937 rng(99);
  std::string s;
  for (int round = 0; round < 20000; ++round) {
    s.assign(rng() % 300, '\0');
    for (char& c : s) {
      const uint32_t r = rng();
      c = static_cast<char>(
          r % 8 != 0 ? 'a' + r % 26 : kEdgeBytes[(r >> 8) % kEdgeBytes.size()]);
    }
    ASSERT_EQ(IsValidUtf8Simd(s), IsValidUtf8(s)) << ::testing::PrintToString(s);
  }
  std::string text;
  for (char32_t cp : {U'a', U'\u00E9', U'\u20AC', U'\U0001F642', U'\uFFFD'}) {
    AppendUtf8(cp, &text);
  }
  for (int k = 0; k < 6; ++k) text += text;
  EXPECT_TRUE(IsValidUtf8Simd(text));
  text.pop_back();
  EXPECT_FALSE(IsValidUtf8Simd(text));
}

}  // namespace
}  // namespace winnow
