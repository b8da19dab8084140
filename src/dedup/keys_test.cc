#include "dedup/keys.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace winnow::dedup
