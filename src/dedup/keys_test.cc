#include "dedup/keys.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <iterator>
#include <random>
#include <string>

namespace winnow::dedup {
namespace {

TEST(ExactTextKey, IgnoresCaseAndWhitespaceLayout) {
  EXPECT_EQ(ExactTextKey("Hello   World\n\nSecond line."),
            ExactTextKey("  hello world second LINE.\t"));
  EXPECT_EQ(ExactTextKey("a\u00a0b\u3000c"), ExactTextKey("a b c"));
  EXPECT_NE(ExactTextKey("hello world"), ExactTextKey("hello, world"));
  EXPECT_NE(ExactTextKey("ab"), ExactTextKey("a b"));
}

TEST(ExactTextKey, IsIndependentOfUnicodeNormalizationForm) {
  EXPECT_EQ(ExactTextKey("caf\u00e9"), ExactTextKey("cafe\u0301"));
  EXPECT_EQ(ExactTextKey("CAF\u00c9"), ExactTextKey("cafe\u0301"));
  EXPECT_EQ(ExactTextKey("Stra\u00dfe"), ExactTextKey("STRASSE"));
  EXPECT_EQ(ExactTextKey("\u041c\u041e\u0421\u041a\u0412\u0410"),
            ExactTextKey("\u043c\u043e\u0441\u043a\u0432\u0430"));
}

TEST(ExactTextKey, KeepsInvalidBytesDistinct) {
  EXPECT_EQ(NormalizeTextForExactKey("A\xff  B"), "a\xff b");
  EXPECT_NE(ExactTextKey("a\xff"), ExactTextKey("a\xfe"));
}

TEST(NormalizeUrl, EscapesAStrayPercentSign) {
  EXPECT_EQ(NormalizeUrl("http://h.org/a%zz%4"), "http://h.org/a%25zz%254");
  EXPECT_EQ(NormalizeUrl("http://h.org/%3%31"), "http://h.org/%2531");
}

TEST(NormalizeUrl, DropsTabsAndLineBreaksAnywhere) {
  EXPECT_EQ(NormalizeUrl("http://Exam\nple.org/a\tb/\r\n"), "http://example.org/ab/");
}

TEST(NormalizeUrl, LeavesAnAuthorityWithTwoColonsAloneAndIsIdempotent) {
  // Found by url_fuzzer: "host::" used to lose one colon per pass.
  const std::string url = "HTTPS://Example.ORG:://Example../c?q=1#frag";
  EXPECT_EQ(NormalizeUrl(url), url);
  for (const char* u : {"http://a::b/", "http://a:/x", "http://[::1]:80/",
                        "http://h:08/", "https://x.org:443:443/p",
                        "http://.//\n#x\nuser:p@\nhost/\n",
                        "mGailt://Gls\x0eme\x0b\x0b\x0bon~\x0b:",
                        "WS://.?%/:4/?\xae%=1\xb5%31=-/?%-\xb5%3%31"}) {
    const std::string once = NormalizeUrl(u);
    EXPECT_EQ(NormalizeUrl(once), once) << u;
  }
}

TEST(NormalizeUrl, AppliesOnlySafeRewrites) {
  EXPECT_EQ(NormalizeUrl("HTTP://Example.COM:80/a/./b/../c?x=1&b=2#frag"),
            "http://example.com/a/c?x=1&b=2");
  EXPECT_EQ(NormalizeUrl("https://example.com:443"), "https://example.com/");
  EXPECT_EQ(NormalizeUrl("https://example.com:8443/X"),
            "https://example.com:8443/X");
  EXPECT_EQ(NormalizeUrl("http://example.com/%7euser/%2f%41"),
            "http://example.com/~user/%2FA");
  EXPECT_EQ(NormalizeUrl("  http://a.org/path/  "), "http://a.org/path/");
  EXPECT_EQ(NormalizeUrl("http://user:Pw@A.org:/"), "http://user:Pw@a.org/");
  EXPECT_EQ(NormalizeUrl("http://[::1]:80/"), "http://[::1]/");
  EXPECT_EQ(NormalizeUrl("mailto:Someone@Example.com"),
            "mailto:Someone@Example.com");
  EXPECT_EQ(NormalizeUrl("not a url"), "not a url");
}

TEST(UrlKey, EqualForEquivalentUrlsOnly) {
  EXPECT_EQ(UrlKey("http://EXAMPLE.com"), UrlKey("http://example.com:80/#top"));
  EXPECT_NE(UrlKey("http://example.com/a"), UrlKey("http://example.com/a/"));
  EXPECT_NE(UrlKey("http://example.com/"), UrlKey("https://example.com/"));
  EXPECT_NE(UrlKey("http://example.com/"), ExactTextKey("http://example.com/"));
}

// The ASCII fast path of ExactTextKey's folding must equal utf8proc's NFC +
// case folding of the whole text, including where a combining mark follows
// an ASCII letter and where folding a non-ASCII character gives ASCII.
TEST(ExactTextKey, FastPathEqualsFoldingTheWholeTextThenCollapsing) {
  const char* pieces[] = {"A", "e", "z", "\xcc\x81" /* U+0301 */, "\xcc\xa7" /* U+0327 */,
                          "\xc3\x89" /* É */, "\xc3\x9f" /* ß */, "\xe2\x84\xaa" /* Kelvin */,
                          "\xe2\x84\xab" /* Angstrom */, "\xef\xac\x81" /* fi */,
                          "\xce\xa3" /* Sigma */, "\xe1\x84\x80" /* L jamo */,
                          "\xe1\x85\xa1" /* V jamo */, "<", "\xcc\xb8" /* U+0338 */, "1", " ", "\t", "\xc2\xa0" /* NBSP */};
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += pieces[rng() % std::size(pieces)];
    utf8proc_uint8_t* mapped = nullptr;
    utf8proc_ssize_t len = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
        &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    ASSERT_GE(len, 0);
    std::string folded(reinterpret_cast<const char*>(mapped), static_cast<size_t>(len));
    std::free(mapped);
    // Collapse the three kinds of whitespace used here, strip the ends.
    std::string want;
    bool pending = false;
    for (size_t i = 0; i < folded.size();) {
      size_t len = folded[i] == ' ' || folded[i] == '\t' ? 1 : folded.compare(i, 2, "\xc2\xa0") == 0 ? 2 : 0;
      if (len > 0) {
        pending = true;
        i += len;
        continue;
      }
      if (pending && !want.empty()) want += ' ';
      pending = false;
      want += folded[i++];
    }
    EXPECT_EQ(NormalizeTextForExactKey(text), want) << text;
  }
}

}  // namespace
}  // namespace winnow::dedup
