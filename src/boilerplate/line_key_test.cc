#include "boilerplate/line_key.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <string_view>

namespace winnow::boilerplate {
namespace {

// The normalizer's definition, written plainly (one byte at a time); the
// fast implementation must give the same output.
bool RefCalendarWord(std::string_view w) {
  static const char* kWords[] = {
      "jan", "january", "feb", "february", "mar", "march", "apr", "april",
      "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
      "september", "oct", "october", "nov", "november", "dec", "december",
      "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu",
      "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun",
      "sunday"};
  for (const char* k : kWords)
    if (w == k) return true;
  return false;
}

size_t RefSpaceLength(std::string_view s, size_t i) {
  static const char* kSpaces[] = {
      " ", "\t", "\r", "\f", "\v", "\n", "\xC2\xA0", "\xE1\x9A\x80",
      "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF"};
  for (const char* k : kSpaces)
    if (s.substr(i).starts_with(k)) return std::string_view(k).size();
  for (unsigned char b = 0x80; b <= 0x8B; ++b) {  // U+2000..U+200B
    const char k[4] = {'\xE2', '\x80', static_cast<char>(b), 0};
    if (s.substr(i).starts_with(k)) return 3;
  }
  return 0;
}

void ReferenceNormalize(std::string_view line, std::string* out) {
  const size_t base = out->size();
  bool pending_space = false;
  // The ASCII word being written: its start in *out (npos when none) and
  // whether it may be a calendar word (not glued to non-ASCII letters).
  size_t word_start = std::string::npos;
  bool word_ok = false;
  auto end_word = [&]() {
    if (word_start != std::string::npos && word_ok &&
        RefCalendarWord(std::string_view(out->data() + word_start,
                                        out->size() - word_start))) {
      out->resize(word_start);
      out->push_back('#');
    }
    word_start = std::string::npos;
  };
  size_t i = 0;
  while (i < line.size()) {
    size_t sp = RefSpaceLength(line, i);
    if (sp > 0) {
      end_word();
      pending_space = out->size() > base;
      i += sp;
      continue;
    }
    if (pending_space) {
      out->push_back(' ');
      pending_space = false;
    }
    char c = line[i];
    if (c >= '0' && c <= '9') {
      end_word();
      out->push_back('0');
      // One number: digit runs joined by single '.' or ',' ("1,234",
      // "12.03.2021", "0.25").
      while (i < line.size()) {
        if (line[i] >= '0' && line[i] <= '9') {
          ++i;
        } else if ((line[i] == '.' || line[i] == ',') && i + 1 < line.size() &&
                   line[i + 1] >= '0' && line[i + 1] <= '9') {
          i += 2;
        } else {
          break;
        }
      }
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') {
      if (word_start == std::string::npos) {
        word_start = out->size();
        word_ok = true;
      }
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      if (word_start == std::string::npos) word_start = out->size();
      word_ok = false;
    } else {
      end_word();
    }
    out->push_back(c);
    ++i;
  }
  end_word();
}


TEST(NormalizeLine, MatchesThePlainDefinition) {
  const std::string pieces[] = {
      "Posted", " on ", "Tuesday", ",", " 3 ", "MARCH", " 2021", "\xC2\xA0",
      "\xE2\x80\x8B", "\xE2\x80\xAF", "\xE2\x80\x9C", "é", "mar", "ché",
      "12.03.2021", "1,234", ".", ",", "  ", "\t", "x", "Jan", "©", "\xEF\xBB\xBF",
      "\xE3\x80\x80", "\xC3", "\xE2", "\xE2\x80", "9", "Sept", "-", "v1.2."};
  uint64_t state = 1;
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    int parts = 1 + static_cast<int>(state % 9);
    for (int p = 0; p < parts; ++p) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      line += pieces[(state >> 33) % std::size(pieces)];
    }
    std::string want = "prefix", got = "prefix";
    ReferenceNormalize(line, &want);
    AppendNormalizedLine(line, &got);
    ASSERT_EQ(got, want) << "line: " << line;
  }
}

TEST(NormalizeLine, LowercasesAndCollapsesWhitespace) {
  EXPECT_EQ(NormalizeLine("  Back   to\tNews \xC2\xA0»  "), "back to news »");
  EXPECT_EQ(NormalizeLine("\xEF\xBB\xBFHome | World\r"), "home | world");
  EXPECT_EQ(NormalizeLine(" \t \xE2\x80\x8B "), "");
}

TEST(NormalizeLine, MasksDigitRuns) {
  EXPECT_EQ(NormalizeLine("© 2023 Darovo NET. All rights reserved."),
            NormalizeLine("© 2024 Darovo NET. All rights reserved."));
  EXPECT_EQ(NormalizeLine("Copyright © 2009–2017 x.net"),
            "copyright © 0–0 x.net");
  EXPECT_EQ(NormalizeLine("Views: 7"), NormalizeLine("Views: 70412"));
  EXPECT_EQ(NormalizeLine("Views: 7"), NormalizeLine("Views: 70,412"));
  EXPECT_EQ(NormalizeLine("Published 12.03.2021, 14:35"), "published 0, 0:0");
  EXPECT_EQ(NormalizeLine("v1.2. Next"), "v0. next");
}

TEST(NormalizeLine, MasksCalendarWords) {
  EXPECT_EQ(NormalizeLine("Posted on Tuesday, 3 March 2021"),
            NormalizeLine("Posted on Friday, 14 July 2024"));
  EXPECT_EQ(NormalizeLine("Updated Jan 5"), "updated # 0");
  // Only whole ASCII words.
  EXPECT_EQ(NormalizeLine("Marching season"), "marching season");
  EXPECT_EQ(NormalizeLine("marché"), "marché");
  EXPECT_EQ(NormalizeLine("émar"), "émar");
}

TEST(LineKey, FlagsShortLinesAndIsNeverZero) {
  EXPECT_TRUE(IsShortLineKey(LineKey("share", 2, 24)));
  EXPECT_TRUE(IsShortLineKey(LineKey("read more", 2, 24)));
  EXPECT_FALSE(IsShortLineKey(LineKey("what comes next?", 2, 24)));
  EXPECT_FALSE(IsShortLineKey(LineKey("averyveryverylongsingleword", 2, 24)));
  EXPECT_NE(LineKey("share", 2, 24), LineKey("menu", 2, 24));
  EXPECT_EQ(LineKey("share", 2, 24), LineKey("share", 2, 24));
  EXPECT_NE(LineKey("x", 0, 0), 0u);
  EXPECT_NE(SiteKey("a.com"), SiteKey("b.com"));
}

}  // namespace
}  // namespace winnow::boilerplate
