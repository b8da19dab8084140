#include "filters/py_text.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace winnow::pytext {
namespace {

std::vector<std::string> Lines(std::string_view s) {
  std::vector<std::string_view> views;
  SplitLines(s, &views);
  return std::vector<std::string>(views.begin(), views.end());
}

TEST(PyTextTest, LengthCountsCodePoints) {
  EXPECT_EQ(Length(""), 0u);
  EXPECT_EQ(Length("abc"), 3u);
  EXPECT_EQ(Length("caf\u00e9 \u2026 \U0001F600"), 8u);
}

TEST(PyTextTest, StripRemovesUnicodeWhitespaceOnly) {
  EXPECT_EQ(Strip(" \t\n\u00a0\u3000word\u2009\x1f"), "word");
  EXPECT_EQ(Strip("\u200bword"), "\u200bword");  // ZWSP is not whitespace
  EXPECT_EQ(LStrip("  a b  "), "a b  ");
  EXPECT_EQ(RStrip("  a b  "), "  a b");
  EXPECT_EQ(Strip(" \n\t "), "");
}

TEST(PyTextTest, SplitLinesFollowsPythonBoundaries) {
  EXPECT_EQ(Lines(""), std::vector<std::string>{});
  EXPECT_EQ(Lines("\n"), std::vector<std::string>{""});
  EXPECT_EQ(Lines("a\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Lines("a\r\nb\rc\x0b" "d\x0c" "e\x1c" "f\u0085g\u2028h\u2029i"),
            (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i"}));
  EXPECT_EQ(Lines("a\tb\x1f" "c"), std::vector<std::string>{"a\tb\x1f" "c"});
}

TEST(PyTextTest, WhitespaceWordsSplitOnRuns) {
  std::vector<std::string> words;
  ForEachWhitespaceWord("  one\u00a0two\n\nthree ",
                        [&](std::string_view w) { words.emplace_back(w); });
  EXPECT_EQ(words, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(PyTextTest, CharacterClassesMatchDatatroveSets) {
  EXPECT_TRUE(IsPunctuation('#'));
  EXPECT_TRUE(IsPunctuation(U'\u2026'));
  EXPECT_TRUE(IsPunctuation(0x01));
  EXPECT_FALSE(IsPunctuation('\t'));
  EXPECT_FALSE(IsPunctuation('a'));
  EXPECT_TRUE(IsPunctuation(U'\u3002'));  // from TERMINAL_PUNCTUATION
  EXPECT_TRUE(IsTerminalPunctuation('.'));
  EXPECT_TRUE(IsTerminalPunctuation(U'\u0964'));
  EXPECT_FALSE(IsTerminalPunctuation(','));
  EXPECT_TRUE(IsAlpha(U'\u00e9'));
  EXPECT_TRUE(IsAlpha(U'\u4e2d'));
  EXPECT_FALSE(IsAlpha('7'));
  EXPECT_FALSE(IsAlpha(U'\u0301'));  // combining mark
}

TEST(PyTextTest, CountIsNonOverlapping) {
  EXPECT_EQ(Count(".....", "..."), 1u);
  EXPECT_EQ(Count("a...b...", "..."), 2u);
  EXPECT_EQ(Count("", "#"), 0u);
}

TEST(PyTextTest, LowerForAsciiSearchHandlesKelvinSign) {
  std::string out;
  AppendLowerForAsciiSearch("Uses Coo\u212Aies \u00C9", &out);
  EXPECT_EQ(out, "uses cookies \u00C9");
}

TEST(PyTextTest, DecodingInvalidBytesNeverOverruns) {
  const std::string bad = "a\xe2\x82";
  size_t i = 1;
  EXPECT_EQ(DecodeNext(bad, &i), 0xFFFDu);
  EXPECT_EQ(i, 2u);
  size_t end = bad.size();
  DecodePrev(bad, &end);
  EXPECT_LT(end, bad.size());
  EXPECT_EQ(Strip("\xff"), "\xff");
}

TEST(PyTextTest, LongInputsTakeTheSameResultsAsShortOnes) {
  // Long enough for the 16-byte block paths, with the special bytes placed
  // inside blocks and in the tails.
  std::string text;
  for (int k = 0; k < 40; ++k) {
    text += "word\tx\x1f ";
    text += k % 3 == 0 ? "caf\u00e9" : "cafe";
    text += k % 5 == 0 ? "\u00a0" : " ";
    text += k % 7 == 0 ? "\r\n" : "\n";
  }
  size_t by_code_point = 0;
  for (size_t i = 0; i < text.size(); ++by_code_point) DecodeNext(text, &i);
  EXPECT_EQ(Length(text), by_code_point);
  EXPECT_FALSE(IsAscii(text));
  EXPECT_TRUE(IsAscii(std::string(100, 'a')));

  size_t words = 0;
  ForEachWhitespaceWord(text, [&](std::string_view) { ++words; });
  EXPECT_EQ(CountWhitespaceWords(text, SIZE_MAX), words);
  EXPECT_EQ(CountWhitespaceWords(text, 7), 7u);
  EXPECT_EQ(CountWhitespaceWords(std::string(40, ' ') + "a" + std::string(40, ' '), 5), 1u);

  std::vector<std::string_view> lines;
  SplitLines(text, &lines);
  EXPECT_EQ(lines.size(), 40u);
  EXPECT_EQ(lines[1], "word\tx\x1f cafe ");
}

// str.count the obvious way: leftmost match, then skip past it.
size_t NaiveCount(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t i = 0; i + needle.size() <= s.size();) {
    if (s.compare(i, needle.size(), needle) == 0) {
      ++n;
      i += needle.size();
    } else {
      ++i;
    }
  }
  return n;
}

TEST(PyTextTest, CountMatchesNaiveCountOnRandomTexts) {
  // Runs of dots and ellipsis bytes at every alignment around the 16-byte
  // blocks, for needles of 1 to 3 bytes.
  const char* kPieces[] = {".", "..", "...", "a", "\xE2\x80\xA6", "\xE2", "\x80",
                           "\xA6", "#", "ab", "\n"};
  const std::string kNeedles[] = {"...", "\xE2\x80\xA6", "#", "..", "ab",
                                  "a.", "...."};
  std::mt19937 rng(9);
  for (int trial = 0; trial < 5000; ++trial) {
    std::string text;
    const size_t target = rng() % 70;
    while (text.size() < target) text += kPieces[rng() % std::size(kPieces)];
    for (const std::string& needle : kNeedles)
      EXPECT_EQ(Count(text, needle), NaiveCount(text, needle))
          << needle << " in " << text;
  }
  EXPECT_EQ(Count(std::string(40, '.'), "..."), 13u);
  EXPECT_EQ(Count(std::string(40, '.') + "x", ".."), 20u);
}

TEST(PyTextTest, CountTripleDotsMatchesCountOnRandomTexts) {
  // Runs of 1 to 40 periods (and none) at every alignment around the blocks
  // of 16 bytes at steps of 14, in texts of 0 to ~200 bytes.
  std::mt19937 rng(23);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const size_t target = rng() % 200;
    while (text.size() < target) {
      const unsigned r = rng() % 10;
      if (r < 4) {
        text += std::string(1 + rng() % (r < 3 ? 4 : 40), '.');
      } else {
        text += std::string(1 + rng() % 12, r < 8 ? 'a' : '\xE2');
      }
    }
    EXPECT_EQ(CountTripleDots(text), NaiveCount(text, "...")) << text;
  }
  for (size_t len = 0; len <= 64; ++len) {
    for (size_t at = 0; at <= 40; ++at) {
      const std::string text = std::string(at, 'x') + std::string(len, '.') +
                               std::string(at % 7, 'y');
      EXPECT_EQ(CountTripleDots(text), len / 3) << len << " at " << at;
    }
  }
}

TEST(PyTextTest, CountWhitespaceWordsMatchesSplitOnRandomTexts) {
  // Words, ASCII and Unicode whitespace at every alignment around the
  // 16-byte blocks, counted with every limit up to the word count.
  const char* kPieces[] = {"a", "bc", " ", "  ", "\t", "\n", "\x1c", "\x1f",
                           "\u00a0", "\u3000", "caf\u00e9", "x\x01y", "\x85"};
  std::mt19937 rng(17);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    const size_t target = rng() % 90;
    while (text.size() < target) text += kPieces[rng() % std::size(kPieces)];
    size_t words = 0;
    ForEachWhitespaceWord(text, [&](std::string_view) { ++words; });
    EXPECT_EQ(CountWhitespaceWords(text, SIZE_MAX), words) << text;
    for (size_t limit = 0; limit <= words + 1; ++limit)
      EXPECT_EQ(CountWhitespaceWords(text, limit), std::min(words, limit)) << text;
  }
}

}  // namespace
}  // namespace winnow::pytext
