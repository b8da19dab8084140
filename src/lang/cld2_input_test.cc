#include "lang/cld2_input.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "lang/cld2.h"

namespace winnow::lang {
namespace {

// Number of leading bytes CLD2's own interchange check accepts.
int Cld2ValidPrefix(std::string_view s) {
  bool reliable = false;
  int valid = -1;
  CLD2::DetectLanguageCheckUTF8(s.data(), static_cast<int>(s.size()), true,
                                &reliable, &valid);
  return valid;
}

TEST(Cld2Input, AgreesWithCld2OnEveryCodePoint) {
  // CLD2 reports how many leading bytes it accepts, so code points are
  // checked in blocks: everything before the reported prefix is accepted,
  // the code point at the prefix is rejected, and checking resumes after it.
  constexpr uint32_t kBlock = 4096;
  for (uint32_t first = 0; first < 0x110000; first += kBlock) {
    std::string s;
    std::vector<size_t> starts;  // byte offset of each code point
    std::vector<uint32_t> cps;
    for (uint32_t cp = first; cp < first + kBlock && cp < 0x110000; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;  // not encodable
      s += ' ';
      starts.push_back(s.size());
      cps.push_back(cp);
      AppendUtf8(cp, &s);
    }
    s += ' ';
    size_t next = 0;  // index of the first code point not yet checked
    while (next < cps.size()) {
      const size_t from = starts[next] - 1;
      const size_t valid = from + static_cast<size_t>(Cld2ValidPrefix(
                                      std::string_view(s).substr(from)));
      for (; next < cps.size() && starts[next] < valid; ++next) {
        std::string one;
        AppendUtf8(cps[next], &one);
        ASSERT_TRUE(IsCld2InterchangeValid(one))
            << "U+" << std::hex << cps[next];
      }
      if (next == cps.size()) break;
      ASSERT_EQ(starts[next], valid) << "U+" << std::hex << cps[next];
      std::string one;
      AppendUtf8(cps[next], &one);
      ASSERT_FALSE(IsCld2InterchangeValid(one))
          << "U+" << std::hex << cps[next];
      ++next;
    }
  }
}

TEST(Cld2Input, ReturnsViewOfCleanInput) {
  std::string scratch;
  const std::string text = "Grüße aus Köln\tund\r\nBonn.";
  Cld2Input in = PrepareCld2Input(text, 1000, &scratch);
  EXPECT_EQ(in.text, text);
  EXPECT_EQ(in.text.data(), text.data());
  EXPECT_FALSE(in.truncated);
  EXPECT_EQ(in.replaced, 0u);
}

TEST(Cld2Input, ReplacesEachBadSequenceWithOneSpace) {
  std::string scratch;
  // Lone continuation byte, truncated 3-byte sequence, overlong '/',
  // surrogate, C0 and C1 controls, DEL, a noncharacter.
  const std::string text =
      "a\x80"
      "b\xE2\x82"
      "c\xC0\xAF"
      "d\xED\xA0\x80"
      "e\x01"
      "f\xC2\x85"
      "g\x7F"
      "h\xEF\xB7\x90"
      "i";
  Cld2Input in = PrepareCld2Input(text, 1000, &scratch);
  EXPECT_EQ(in.text, "a b c  d   e f g h i");
  EXPECT_EQ(in.replaced, 11u);
  EXPECT_TRUE(IsCld2InterchangeValid(in.text));
}

TEST(Cld2Input, CutsAtCodePointBoundary) {
  std::string scratch;
  const std::string text =
      "ab\xE2\x82\xAC"
      "cd";  // "ab€cd"
  for (size_t limit = 2; limit <= 4; ++limit) {
    Cld2Input in = PrepareCld2Input(text, limit, &scratch);
    EXPECT_EQ(in.text, "ab") << limit;
    EXPECT_TRUE(in.truncated);
    EXPECT_EQ(in.replaced, 0u);
  }
  Cld2Input in = PrepareCld2Input(text, 5, &scratch);
  EXPECT_EQ(in.text, "ab\xE2\x82\xAC");
}

TEST(Cld2Input, CutKeepsCompleteCharactersBeforeStrayContinuationBytes) {
  std::string scratch;
  // Only the stray bytes before the limit are replaced; "b" stays.
  const std::string text = "ab\x80\x80\x80\x80" "cd";
  Cld2Input in = PrepareCld2Input(text, 3, &scratch);
  EXPECT_EQ(in.text, "ab ");
  EXPECT_TRUE(in.truncated);
  EXPECT_EQ(in.replaced, 1u);
}

TEST(Cld2Input, RandomBytesAlwaysBecomeAcceptable) {
  std::mt19937 rng(12345);
  std::string scratch;
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 200, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    Cld2Input in = PrepareCld2Input(s, 150, &scratch);
    ASSERT_LE(in.text.size(), s.size());
    ASSERT_TRUE(IsCld2InterchangeValid(in.text));
    ASSERT_EQ(Cld2ValidPrefix(in.text), static_cast<int>(in.text.size()));
  }
}

}  // namespace
}  // namespace winnow::lang
