#include "boilerplate/line_key.h"

#include <gtest/gtest.h>

namespace winnow::boilerplate {
namespace {

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
