#include "text/char_cleaning.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <string>

#include "core/utf8.h"

namespace winnow::text {
namespace {

std::string Nfc(std::string_view in) {
  std::string out;
  return NormalizeNfc(in, &out) == NfcOutcome::kChanged ? out : std::string(in);
}

std::string Controls(std::string_view in, ControlCharOptions options = {},
                     ControlCharStats* stats = nullptr) {
  std::string out;
  ControlCharStats local;
  return DropControlChars(in, options, &out, stats ? stats : &local)
             ? out
             : std::string(in);
}

std::string Spaces(std::string_view in, WhitespaceOptions options = {}) {
  std::string out;
  return NormalizeWhitespace(in, options, &out) ? out : std::string(in);
}

TEST(NormalizeNfc, LeavesAsciiAndComposedTextUnchanged) {
  std::string out;
  EXPECT_EQ(NormalizeNfc("just ascii words", &out), NfcOutcome::kUnchanged);
  EXPECT_EQ(NormalizeNfc("caf\xC3\xA9 \xE2\x80\x9Cquote\xE2\x80\x9D", &out),
            NfcOutcome::kUnchanged);
  EXPECT_EQ(NormalizeNfc("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", &out),
            NfcOutcome::kUnchanged);  // Cyrillic
  EXPECT_EQ(NormalizeNfc("smile \xF0\x9F\x99\x82", &out), NfcOutcome::kUnchanged);
}

TEST(NormalizeNfc, ComposesBaseLetterAndCombiningMark) {
  // "e" + U+0301 COMBINING ACUTE becomes U+00E9.
  EXPECT_EQ(Nfc("cafe\xCC\x81 menu"), "caf\xC3\xA9 menu");
}

TEST(NormalizeNfc, MapsSingletonsToTheirCanonicalForm) {
  // U+212B ANGSTROM SIGN becomes U+00C5; U+2126 OHM SIGN becomes U+03A9.
  EXPECT_EQ(Nfc("5 \xE2\x84\xAB"), "5 \xC3\x85");
  EXPECT_EQ(Nfc("10 \xE2\x84\xA6"), "10 \xCE\xA9");
}

TEST(NormalizeNfc, ComposesHangulJamo) {
  // U+1100 U+1161 becomes U+AC00.
  EXPECT_EQ(Nfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");
}

TEST(NormalizeNfc, ReportsInvalidInput) {
  std::string out;
  EXPECT_EQ(NormalizeNfc("bad \xCC\x81\xFF", &out), NfcOutcome::kInvalid);
}

// Differential check of the quick-check fast path against utf8proc itself:
// every BMP code point after starters that take part in compositions.
TEST(NormalizeNfc, AgreesWithUtf8procAfterComposingStarters) {
  const char32_t kStarters[] = {'e', 'A', 0x1100, 0xAC00, 0x0B47, 0x0D46, 0x1025, 0x3046};
  int mismatches = 0;
  for (char32_t first : kStarters) {
    for (char32_t cp = 0x80; cp < 0x10000 && mismatches < 5; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      std::string s;
      AppendUtf8(first, &s);
      AppendUtf8(cp, &s);
      utf8proc_uint8_t* dst = nullptr;
      utf8proc_ssize_t n = utf8proc_map(
          reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
          static_cast<utf8proc_ssize_t>(s.size()), &dst,
          static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
      ASSERT_GE(n, 0);
      std::string expected(reinterpret_cast<const char*>(dst), static_cast<size_t>(n));
      std::free(dst);
      std::string out;
      NfcOutcome outcome = NormalizeNfc(s, &out);
      std::string got = outcome == NfcOutcome::kChanged ? out : s;
      if (got != expected) {
        ++mismatches;
        ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(first) << " U+"
                      << static_cast<uint32_t>(cp);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(DropControlChars, DropsNulBellEscapeAndDelButKeepsTabAndNewline) {
  ControlCharStats stats;
  EXPECT_EQ(Controls(std::string("a\0b\x07" "c\x1B[d\x7F" "e\tf\ng", 14), {}, &stats),
            "abc[de\tf\ng");
  EXPECT_EQ(stats.chars_dropped, 4);
}

TEST(DropControlChars, UnifiesLineTerminators) {
  ControlCharStats stats;
  EXPECT_EQ(Controls("one\r\ntwo\rthree\xC2\x85" "four\xE2\x80\xA8" "five", {}, &stats),
            "one\ntwo\nthree\nfour\nfive");
  EXPECT_EQ(stats.line_breaks_normalized, 4);
  EXPECT_EQ(Controls("para\xE2\x80\xA9next"), "para\n\nnext");
  EXPECT_EQ(Controls("page\fnext"), "page\nnext");
}

TEST(DropControlChars, DropsC1Controls) {
  EXPECT_EQ(Controls("mis\xC2\x92used"), "misused");
}

TEST(DropControlChars, DropsInvisibleFormatCharacters) {
  EXPECT_EQ(Controls("\xEF\xBB\xBFstart zero\xE2\x80\x8Bwidth soft\xC2\xADhyphen"),
            "start zerowidth softhyphen");
}

TEST(DropControlChars, KeepsJoinersAndBidiMarks) {
  std::string persian = "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85";
  EXPECT_EQ(Controls(persian), persian);
  std::string family = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
  EXPECT_EQ(Controls(family), family);
  std::string rlm = "a\xE2\x80\x8F" "b";
  EXPECT_EQ(Controls(rlm), rlm);
}

TEST(DropControlChars, CanKeepInvisibleCharacters) {
  ControlCharOptions keep;
  keep.drop_invisible = false;
  EXPECT_EQ(Controls("zero\xE2\x80\x8Bwidth", keep), "zero\xE2\x80\x8Bwidth");
}

TEST(DropControlChars, LeavesCleanTextUntouched) {
  std::string out;
  ControlCharStats stats;
  EXPECT_FALSE(DropControlChars("Clean \xE2\x80\x9Ctext\xE2\x80\x9D \xC2\xA0ok\n",
                                {}, &out, &stats));
}

TEST(NormalizeWhitespace, CollapsesSpacesTabsAndUnicodeSpaces) {
  EXPECT_EQ(Spaces("a  b\t\tc\xC2\xA0" "d\xE2\x80\x83" "e\xE3\x80\x80" "f"),
            "a b c d e f");
}

TEST(NormalizeWhitespace, TrimsLinesAndDocument) {
  EXPECT_EQ(Spaces("\n\n  first line  \n\t second\t\n\n"), "first line\nsecond");
}

TEST(NormalizeWhitespace, KeepsAtMostOneBlankLineBetweenParagraphs) {
  EXPECT_EQ(Spaces("one\n\n\n\n two\n \n\t\nthree\nfour"), "one\n\ntwo\n\nthree\nfour");
}

TEST(NormalizeWhitespace, HonoursMaxBlankLines) {
  WhitespaceOptions none;
  none.max_blank_lines = 0;
  EXPECT_EQ(Spaces("one\n\n\ntwo", none), "one\ntwo");
}

TEST(NormalizeWhitespace, TreatsCarriageReturnsAsLineBreaks) {
  EXPECT_EQ(Spaces("one\r\ntwo\rthree"), "one\ntwo\nthree");
}

TEST(NormalizeWhitespace, KeepsNonSpaceMultibyteCharacters) {
  std::string s = "\xE2\x80\x9CQuote\xE2\x80\x9D \xE1\x83\x90 \xE3\x81\x82";
  std::string out;
  EXPECT_FALSE(NormalizeWhitespace(s, {}, &out));
}

TEST(NormalizeWhitespace, ReportsNoChangeOnCleanText) {
  std::string out;
  EXPECT_FALSE(NormalizeWhitespace("Already clean.\n\nSecond paragraph.", {}, &out));
  EXPECT_TRUE(NormalizeWhitespace("Trailing newline.\n", {}, &out));
  EXPECT_EQ(out, "Trailing newline.");
}

}  // namespace
}  // namespace winnow::text
