#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <random>
#include <string>
#include <vector>

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

// AppendJsonNumber writes what std::to_chars writes (shortest round trip),
// also where its fast path for values of at most four decimals applies:
// every k / 10^4 near the edges of that path's range, random ones, and
// values just off them.
TEST(JsonWriter, NumbersAreShortestRoundTrip) {
  const auto expect_same = [](double v) {
    std::string got;
    AppendJsonNumber(v, &got);
    char buf[64];
    const std::string want(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
    ASSERT_EQ(got, want) << std::hexfloat << v;
  };
  std::vector<double> values = {
      0.0,    -0.0,  1.0,   -1.0,      0.65,    0.5,      1e-5,  0.0001,
      0.0005, 0.001, 0.005, 9999.9999, 10000.0, 100000.0, 1e300, 123456789.0};
  for (int k = 0; k <= 20000; ++k) values.push_back(k / 10000.0);
  for (int k = 99980000; k <= 100000000; k += 7) values.push_back(k / 10000.0);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200000; ++i) {
    const double v = static_cast<double>(rng() % 100000000) / 10000.0;
    values.push_back(v);
    values.push_back(-v);
    values.push_back(std::nextafter(v, 0.0));
    values.push_back(std::nextafter(v, 1e9));
    values.push_back(std::round(v * 100.0) / 100.0);
  }
  for (double v : values) expect_same(v);
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
