#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow::text {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string Repair(std::string_view in, size_t* replaced = nullptr) {
  std::string out;
  size_t n = RepairUtf8(in, &out);
  if (replaced) *replaced = n;
  return out;
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8("plain words"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x99\x82"));
  EXPECT_TRUE(IsValidUtf8(""));
  size_t replaced = 1;
  EXPECT_EQ(Repair("caf\xC3\xA9", &replaced), "caf\xC3\xA9");
  EXPECT_EQ(replaced, 0u);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));
}

TEST(Utf8, ReplacesLoneContinuationByteWithOneReplacementChar) {
  size_t replaced = 0;
  EXPECT_EQ(Repair("a\x80z", &replaced), "a" + kFffd + "z");
  EXPECT_EQ(replaced, 1u);
}

TEST(Utf8, ReplacesTruncatedSequenceAsOneMaximalSubpart) {
  EXPECT_EQ(Repair("x\xE2\x80y"), "x" + kFffd + "y");
  EXPECT_EQ(Repair("end\xF0\x9F\x99"), "end" + kFffd);
}

TEST(Utf8, ReplacesEachByteOfInvalidLeadsSurrogatesAndOverlongs) {
  EXPECT_EQ(Repair("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(Repair("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(Repair("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
}

TEST(Utf8, FollowsTheUnicodeMaximalSubpartExample) {
  // The example sequence of the Unicode Standard, chapter 3 (Table 3-8).
  size_t replaced = 0;
  EXPECT_EQ(Repair("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &replaced),
            "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
  EXPECT_EQ(replaced, 6u);
}

TEST(Utf8, DecodesAndEncodesCodePoints) {
  std::string s;
  AppendUtf8(0x2019, &s);
  AppendUtf8(0x1F642, &s);
  AppendUtf8('A', &s);
  size_t len = 0;
  EXPECT_EQ(DecodeUtf8(s, 0, &len), 0x2019u);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(DecodeUtf8(s, 3, &len), 0x1F642u);
  EXPECT_EQ(len, 4u);
  EXPECT_EQ(DecodeUtf8Before(s, 7, &len), 0x1F642u);
  EXPECT_EQ(len, 4u);
  EXPECT_EQ(DecodeUtf8Before(s, 3, &len), 0x2019u);
}

TEST(Utf8, DecodingMalformedInputNeverReadsPastTheEnd) {
  size_t len = 0;
  std::string truncated = "ab\xE2\x80";
  EXPECT_EQ(DecodeUtf8(truncated, 2, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(DecodeUtf8Before(truncated, 4, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
  std::string stray = "\x80";
  EXPECT_EQ(DecodeUtf8Before(stray, 1, &len), kReplacementChar);
}

}  // namespace
}  // namespace winnow::text
