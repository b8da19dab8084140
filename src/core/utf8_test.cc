#include "core/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace winnow {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string Repair(std::string_view in, size_t* replaced = nullptr) {
  std::string out;
  const size_t n = AppendRepairedUtf8(in, &out);
  if (replaced != nullptr) *replaced = n;
  return out;
}

// Reference definitions, written from the meaning of UTF-8 rather than from
// Table 3-7: a well-formed sequence is the shortest encoding of a scalar
// value; a maximal subpart is the longest prefix of some well-formed
// sequence (at least one byte).

// Decodes `len` bytes by arithmetic alone; true when they are the shortest
// encoding of a scalar value.
bool ShortestScalarEncoding(std::string_view b) {
  const size_t len = b.size();
  const auto u = [&](size_t k) { return static_cast<unsigned char>(b[k]); };
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static constexpr unsigned char kLeadTag[] = {0, 0x00, 0xC0, 0xE0, 0xF0};
  if (len < 1 || len > 4) return false;
  if ((u(0) & ~kLeadMask[len]) != kLeadTag[len]) return false;
  uint32_t cp = u(0) & kLeadMask[len];
  for (size_t k = 1; k < len; ++k) {
    if ((u(k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (u(k) & 0x3F);
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  const uint32_t shortest = cp < 0x80      ? 1
                            : cp < 0x800   ? 2
                            : cp < 0x10000 ? 3
                                           : 4;
  return shortest == len;
}

// True when `prefix` (1 to 3 bytes) can be completed to a well-formed
// sequence. Whether a sequence encodes a shortest-form scalar value depends
// on its first two bytes only, so it is enough to try every continuation
// byte as the second byte and to fill the rest with 0x80.
bool IsPrefixOfWellFormed(std::string_view prefix) {
  for (size_t len = prefix.size(); len <= 4; ++len) {
    for (int second = 0x80; second <= 0xBF; ++second) {
      std::string probe(prefix);
      if (probe.size() < len && probe.size() == 1) {
        probe.push_back(static_cast<char>(second));
      }
      while (probe.size() < len) probe.push_back('\x80');
      if (ShortestScalarEncoding(probe)) return true;
      if (prefix.size() != 1 || len == 1) break;
    }
  }
  return false;
}

// Splits `s` into units (well-formed sequences and maximal subparts) by the
// reference definitions. Returns their start offsets; *bad[k] tells whether
// unit k is ill-formed.
std::vector<size_t> ReferenceUnits(std::string_view s, std::vector<bool>* bad) {
  std::vector<size_t> starts;
  bad->clear();
  size_t i = 0;
  while (i < s.size()) {
    starts.push_back(i);
    size_t complete = 0;
    for (size_t len = 1; len <= 4 && i + len <= s.size(); ++len) {
      if (ShortestScalarEncoding(s.substr(i, len))) complete = len;
    }
    if (complete != 0) {
      bad->push_back(false);
      i += complete;
      continue;
    }
    size_t subpart = 1;
    for (size_t len = 2; len <= 3 && i + len <= s.size(); ++len) {
      if (IsPrefixOfWellFormed(s.substr(i, len)))
        subpart = len;
      else
        break;
    }
    bad->push_back(true);
    i += subpart;
  }
  return starts;
}

std::string ReferenceRepair(std::string_view s, size_t* replaced) {
  std::vector<bool> bad;
  std::vector<size_t> starts = ReferenceUnits(s, &bad);
  std::string out;
  *replaced = 0;
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t end = k + 1 < starts.size() ? starts[k + 1] : s.size();
    if (bad[k]) {
      out += kFffd;
      ++*replaced;
    } else {
      out.append(s.substr(starts[k], end - starts[k]));
    }
  }
  return out;
}

// Bytes at the edges of every range in Table 3-7, plus ASCII.
const std::vector<unsigned char>& EdgeBytes() {
  static const std::vector<unsigned char> bytes = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
      0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
      0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF};
  return bytes;
}

// Calls fn on every string of up to four bytes drawn from EdgeBytes().
template <typename Fn>
void ForEachEdgeString(std::string* s, Fn& fn) {
  fn(std::string_view(*s));
  if (s->size() == 4) return;
  for (unsigned char b : EdgeBytes()) {
    s->push_back(static_cast<char>(b));
    ForEachEdgeString(s, fn);
    s->pop_back();
  }
}

template <typename Fn>
void ForEachEdgeString(Fn fn) {
  std::string s;
  ForEachEdgeString(&s, fn);
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8("plain words"));
  EXPECT_TRUE(IsValidUtf8(
      "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x99\x82"));
  EXPECT_TRUE(IsValidUtf8(""));
  size_t replaced = 1;
  EXPECT_EQ(Repair("caf\xC3\xA9", &replaced), "caf\xC3\xA9");
  EXPECT_EQ(replaced, 0u);
}

TEST(Utf8, ValidTextIsAppendedUnchanged) {
  const std::string s = "plain \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_TRUE(IsValidUtf8(s));
  std::string out = "kept:";
  EXPECT_EQ(AppendRepairedUtf8(s, &out), 0u);
  EXPECT_EQ(out, "kept:" + s);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
}

TEST(Utf8, ReplacesLoneContinuationByteWithOneReplacementChar) {
  size_t replaced = 0;
  EXPECT_EQ(Repair("a\x80z", &replaced), "a" + kFffd + "z");
  EXPECT_EQ(replaced, 1u);
  EXPECT_EQ(Repair("a\xFF"
                   "b"),
            "a" + kFffd + "b");
}

TEST(Utf8, ReplacesTruncatedSequenceAsOneMaximalSubpart) {
  EXPECT_EQ(Repair("x\xE2\x80y"), "x" + kFffd + "y");
  EXPECT_EQ(Repair("\xE2\x82"), kFffd);
  EXPECT_EQ(Repair("\xE2\x82z"), kFffd + "z");
  EXPECT_EQ(Repair("end\xF0\x9F\x99"), "end" + kFffd);
}

TEST(Utf8, ReplacesEachByteOfInvalidLeadsSurrogatesAndOverlongs) {
  // Expected values are those of bytes.decode("utf-8", "replace").
  EXPECT_EQ(Repair("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(Repair("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(Repair("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
}

TEST(Utf8, FollowsTheUnicodeMaximalSubpartExample) {
  // The example sequence of the Unicode Standard, chapter 3 (Table 3-8).
  size_t replaced = 0;
  EXPECT_EQ(
      Repair("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &replaced),
      "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
  EXPECT_EQ(replaced, 6u);
}

TEST(Utf8, RepairAppendsAfterExistingContent) {
  std::string out = "x";
  EXPECT_EQ(AppendRepairedUtf8("a\x80", &out), 1u);
  EXPECT_EQ(out, "xa" + kFffd);
}

TEST(Utf8, AgreesWithTheDefinitionOnEveryShortEdgeString) {
  ForEachEdgeString([](std::string_view s) {
    size_t want_replaced = 0;
    const std::string want = ReferenceRepair(s, &want_replaced);
    size_t got_replaced = 0;
    ASSERT_EQ(Repair(s, &got_replaced), want)
        << testing::PrintToString(std::string(s));
    ASSERT_EQ(got_replaced, want_replaced);
    ASSERT_EQ(IsValidUtf8(s), want_replaced == 0);
    // The same bytes behind a run of ASCII reach the word-at-a-time path.
    const std::string padded = std::string(13, 'p') + std::string(s);
    ASSERT_EQ(IsValidUtf8(padded), want_replaced == 0);
    ASSERT_EQ(Repair(padded), std::string(13, 'p') + want);
  });
}

TEST(Utf8, WellFormedLengthReportsSequencesAndMaximalSubparts) {
  size_t maximal = 0;
  EXPECT_EQ(WellFormedUtf8Length("a", 0, &maximal), 1u);
  EXPECT_EQ(WellFormedUtf8Length("\xC3\xA9", 0, &maximal), 2u);
  EXPECT_EQ(WellFormedUtf8Length("\xF0\x9F\x99\x82", 0, &maximal), 4u);
  EXPECT_EQ(WellFormedUtf8Length("\xF0\x9F\x99x", 0, &maximal), 0u);
  EXPECT_EQ(maximal, 3u);
  EXPECT_EQ(WellFormedUtf8Length("\xE0\x80\x80", 0, &maximal), 0u);
  EXPECT_EQ(maximal, 1u);
  EXPECT_EQ(WellFormedUtf8Length("ab\x80", 2, &maximal), 0u);
  EXPECT_EQ(maximal, 1u);
}

TEST(Utf8, FindsFirstNonAsciiByteAtEveryAlignment) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii(std::string(40, '\x7F')));
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t pos = 0; pos < len; ++pos) {
      std::string s(len, 'a');
      s[pos] = '\x80';
      ASSERT_FALSE(IsAscii(s)) << len << " " << pos;
      s[pos] = '\xC3';
      ASSERT_FALSE(IsValidUtf8(s)) << len << " " << pos;
      ASSERT_EQ(Repair(s), s.substr(0, pos) + kFffd + s.substr(pos + 1));
    }
  }
}

TEST(Utf8, RandomBytesRepairAsTheDefinitionSays) {
  std::mt19937 rng(20240611);
  const auto& e = EdgeBytes();
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) {
      const uint32_t r = rng();
      // Mostly ASCII with edge bytes mixed in, as in real damaged text.
      c = static_cast<char>(r % 4 != 0 ? 'a' + r % 26 : e[(r >> 8) % e.size()]);
    }
    size_t want_replaced = 0;
    const std::string want = ReferenceRepair(s, &want_replaced);
    size_t got_replaced = 0;
    ASSERT_EQ(Repair(s, &got_replaced), want);
    ASSERT_EQ(got_replaced, want_replaced);
    ASSERT_TRUE(IsValidUtf8(want));
  }
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
  EXPECT_EQ(DecodeUtf8Before(s, 8, &len), U'A');
  EXPECT_EQ(len, 1u);
}

TEST(Utf8, EncodesEveryScalarValueAndDecodesItBack) {
  std::string s;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.clear();
    AppendUtf8(cp, &s);
    size_t maximal = 0;
    ASSERT_EQ(WellFormedUtf8Length(s, 0, &maximal), s.size())
        << static_cast<uint32_t>(cp);
    size_t len = 0;
    ASSERT_EQ(DecodeUtf8(s, 0, &len), cp);
    ASSERT_EQ(len, s.size());
    ASSERT_EQ(DecodeUtf8Before(s, s.size(), &len), cp);
    ASSERT_EQ(len, s.size());
  }
}

TEST(Utf8, EncodesNonScalarValuesAsReplacementChar) {
  std::string s;
  AppendUtf8(0xD800, &s);
  AppendUtf8(0xDFFF, &s);
  AppendUtf8(0x110000, &s);
  AppendUtf8(0xFFFFFFFF, &s);
  EXPECT_EQ(s, kFffd + kFffd + kFffd + kFffd);
}

TEST(Utf8, DecodingMalformedInputNeverReadsPastTheEnd) {
  size_t len = 0;
  const std::string truncated = "ab\xE2\x80";
  EXPECT_EQ(DecodeUtf8(truncated, 2, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(DecodeUtf8Before(truncated, 4, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
  const std::string stray = "\x80";
  EXPECT_EQ(DecodeUtf8Before(stray, 1, &len), kReplacementChar);
  EXPECT_EQ(DecodeUtf8(stray, 0, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
}

TEST(Utf8, DecodingChecksOnlyTheBytePattern) {
  // The documented leniency: overlongs decode arithmetically.
  size_t len = 0;
  EXPECT_EQ(DecodeUtf8("\xC0\xAF", 0, &len), U'/');
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", 0, &len), 0xD800u);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(DecodeUtf8("\xF5\x80\x80\x80", 0, &len), 0x140000u);
  EXPECT_EQ(len, 4u);
  EXPECT_EQ(DecodeUtf8("\xF8\x80", 0, &len), kReplacementChar);
  EXPECT_EQ(len, 1u);
}

TEST(Utf8, PrefixKeepsWholeCharacters) {
  const std::string s =
      "ab\xC3\xA9"
      "cd";
  EXPECT_EQ(Utf8PrefixLength(s, 2), 2u);
  EXPECT_EQ(Utf8PrefixLength(s, 3), 2u);
  EXPECT_EQ(Utf8PrefixLength(s, 4), 4u);
  EXPECT_EQ(Utf8PrefixLength(s, 100), s.size());
  EXPECT_EQ(Utf8PrefixLength(s, 0), 0u);
  const std::string emoji = "\xF0\x9F\x99\x82";
  for (size_t max = 0; max < 4; ++max)
    EXPECT_EQ(Utf8PrefixLength(emoji, max), 0u);
}

TEST(Utf8, PrefixKeepsIllFormedUnitsWholeAndValidBytesBeforeThem) {
  // The truncated sequence E2 82 is one unit: cut before it, not inside it.
  EXPECT_EQ(Utf8PrefixLength("ab\xE2\x82z", 3), 2u);
  // A stray continuation byte is a unit of its own: 'a' stays.
  EXPECT_EQ(Utf8PrefixLength("a\x80\x80", 1), 1u);
  EXPECT_EQ(Utf8PrefixLength("a\x80\x80\x80\x80\x80", 4), 4u);
}

TEST(Utf8, PrefixIsTheLongestWholeUnitPrefixOnEveryShortEdgeString) {
  ForEachEdgeString([](std::string_view s) {
    std::vector<bool> bad;
    std::vector<size_t> starts = ReferenceUnits(s, &bad);
    starts.push_back(s.size());
    size_t full_replaced = 0;
    const std::string full = ReferenceRepair(s, &full_replaced);
    for (size_t max = 0; max <= s.size() + 1; ++max) {
      size_t want = 0;
      for (size_t b : starts) {
        if (b <= max) want = b;
      }
      const size_t got = Utf8PrefixLength(s, max);
      ASSERT_EQ(got, want) << testing::PrintToString(std::string(s)) << " "
                           << max;
      std::string excerpt;
      AppendUtf8Excerpt(s, max, &excerpt);
      ASSERT_EQ(full.compare(0, excerpt.size(), excerpt), 0);
    }
  });
}

TEST(Utf8, ExcerptCutsAtACharacterBoundaryAndRepairs) {
  const std::string s =
      "ab\xC3\xA9"
      "cd";
  std::string out;
  AppendUtf8Excerpt(s, 3, &out);
  EXPECT_EQ(out, "ab");
  out.clear();
  AppendUtf8Excerpt(s, 4, &out);
  EXPECT_EQ(out, "ab\xC3\xA9");
  out.clear();
  AppendUtf8Excerpt("abc", 200, &out);
  EXPECT_EQ(out, "abc");
  out.clear();
  AppendUtf8Excerpt(
      "a\xFF"
      "bcd",
      3, &out);
  EXPECT_EQ(out, "a" + kFffd + "b");
}

}  // namespace
}  // namespace winnow
