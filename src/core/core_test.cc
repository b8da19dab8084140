#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/json_writer.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow {
namespace {

TEST(Status, ToStringNamesCode) {
  EXPECT_EQ(Status::OK().ToString(), "OK");
  EXPECT_EQ(Status::IOError("disk full").ToString(), "I/O error: disk full");
}

TEST(JsonWriter, EscapesControlAndQuotes) {
  std::string out;
  AppendJsonString("a\"b\\c\n\x01", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
}

// JSON escaping byte by byte: the reference for AppendJsonString.
std::string EscapeByteByByte(const std::string& in) {
  static const char kHex[] = "0123456789abcdef";
  std::string want = "\"";
  for (char c : in) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"')
      want += "\\\"";
    else if (c == '\\')
      want += "\\\\";
    else if (c == '\n')
      want += "\\n";
    else if (c == '\r')
      want += "\\r";
    else if (c == '\t')
      want += "\\t";
    else if (c == '\b')
      want += "\\b";
    else if (c == '\f')
      want += "\\f";
    else if (u < 0x20)
      want += std::string("\\u00") + kHex[u >> 4] + kHex[u & 15];
    else
      want += c;
  }
  return want + "\"";
}

// The block scans (16 bytes with SSE2, then byte by byte) must agree with a
// byte-by-byte escape wherever the special characters fall relative to the
// block boundaries, including the bytes next to the predicates' edges
// (0x1f / 0x20, 0x7f, 0x80, 0xff).
TEST(JsonWriter, EscapesAtEveryAlignment) {
  const std::string specials =
      std::string("\"\\\n\x1f\x7f\xc3\xa9\x00\x20\x80\xff\x08\x0c\x0d\x09", 15);
  for (size_t len : {20u, 40u}) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (char sp : specials) {
        std::string in(len, 'a');
        in[pos] = sp;
        in[len - 1 - pos / 2] = sp;  // a second one, for runs with two
        std::string got;
        AppendJsonString(in, &got);
        EXPECT_EQ(got, EscapeByteByByte(in))
            << "len " << len << " pos " << pos << " char " << int(sp);
      }
    }
  }
}

// Dense and sparse escapes at random places, appended after what the output
// already holds (the output is sized before it is written).
TEST(JsonWriter, EscapesRandomBytesAfterExistingOutput) {
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    const size_t len = rng() % 90;
    // One byte in `spread` is drawn from all 256, the rest are letters.
    const unsigned spread = 1 + rng() % 12;
    std::string in(len, 'x');
    for (char& c : in) {
      c = rng() % spread == 0 ? static_cast<char>(rng() & 0xFF)
                              : static_cast<char>('a' + rng() % 26);
    }
    std::string got = "prefix:";
    AppendJsonString(in, &got);
    ASSERT_EQ(got, "prefix:" + EscapeByteByByte(in)) << "round " << round;
  }
}

TEST(JsonWriter, BuildsObjectInOrder) {
  std::string s = JsonObjectBuilder().Add("b", 1).Add("a", 0.5).Add("s", "x").Finish();
  EXPECT_EQ(s, "{\"b\":1,\"a\":0.5,\"s\":\"x\"}");
}

TEST(StepOptions, ReportsUnknownAndBadValues) {
  StepOptions o(std::map<std::string, std::string>{{"min_words", "50"}, {"typo", "1"}});
  EXPECT_EQ(o.GetInt("min_words", 1), 50);
  EXPECT_FALSE(o.status().ok());
  StepOptions bad(std::map<std::string, std::string>{{"x", "abc"}});
  EXPECT_EQ(bad.GetDouble("x", 2.0), 2.0);
  EXPECT_FALSE(bad.status().ok());
  StepOptions good(std::map<std::string, std::string>{{"x", "0.25"}, {"flag", "true"}});
  EXPECT_EQ(good.GetDouble("x", 0), 0.25);
  EXPECT_TRUE(good.GetBool("flag", false));
  EXPECT_TRUE(good.status().ok());
}

}  // namespace
}  // namespace winnow
