#include "formats/utf8.h"

#include <gtest/gtest.h>

namespace winnow {
namespace {

std::string Repair(std::string_view s) {
  std::string out;
  AppendRepairedUtf8(s, &out);
  return out;
}

TEST(Utf8, ValidTextIsUnchanged) {
  std::string s = "plain \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_TRUE(IsValidUtf8(s));
  EXPECT_EQ(Repair(s), s);
}

TEST(Utf8, ReplacesMaximalInvalidSubpartsLikePython) {
  // Expected values from bytes.decode("utf-8", "replace").
  EXPECT_EQ(Repair("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Repair("\xE2\x82"), "\xEF\xBF\xBD");           // truncated 3-byte
  EXPECT_EQ(Repair("\xE2\x82z"), "\xEF\xBF\xBDz");
  EXPECT_EQ(Repair("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(Repair("\xED\xA0\x80"),                           // surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Repair("\xF4\x90\x80\x80"),                       // > U+10FFFF
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Repair("\xF0\x9F\x98"), "\xEF\xBF\xBD");
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
}

TEST(Utf8, ExcerptCutsAtACharacterBoundary) {
  std::string s = "ab\xC3\xA9" "cd";
  std::string out;
  AppendUtf8Excerpt(s, 3, &out);
  EXPECT_EQ(out, "ab");
  out.clear();
  AppendUtf8Excerpt(s, 4, &out);
  EXPECT_EQ(out, "ab\xC3\xA9");
  out.clear();
  AppendUtf8Excerpt("abc", 200, &out);
  EXPECT_EQ(out, "abc");
}

}  // namespace
}  // namespace winnow
