#include "boilerplate/site_key.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace winnow::boilerplate {
namespace {

// A small list written for these tests, in the list's syntax: normal,
// wildcard and exception rules, an IDN rule, and a private-section rule.
constexpr std::string_view kFixture = R"(// test fixture
// ===BEGIN ICANN DOMAINS===
com
org
uk
co.uk
jp
*.kawasaki.jp
!city.kawasaki.jp
ck
*.ck
!www.ck
рф
  net   trailing comment
// ===BEGIN PRIVATE DOMAINS===
github.io
)";

std::shared_ptr<const PublicSuffixList> Fixture() {
  auto psl = PublicSuffixList::Parse(kFixture);
  EXPECT_TRUE(psl.ok());
  return psl.value();
}

std::string Site(std::string_view url, SiteOutcome* outcome = nullptr) {
  static auto psl = Fixture();
  std::string site;
  SiteOutcome o = SiteOfUrl(*psl, url, &site);
  if (outcome != nullptr) *outcome = o;
  return site;
}

TEST(PublicSuffixList, RejectsTextWithoutRules) {
  EXPECT_FALSE(PublicSuffixList::Parse("").ok());
  EXPECT_FALSE(PublicSuffixList::Parse("// only a comment\n\n").ok());
}

TEST(PublicSuffixList, AppliesNormalWildcardAndExceptionRules) {
  auto psl = Fixture();
  EXPECT_EQ(psl->num_rules(), 13u);
  EXPECT_EQ(psl->RegisteredDomain("www.example.com"), "example.com");
  EXPECT_EQ(psl->RegisteredDomain("news.bbc.co.uk"), "bbc.co.uk");
  EXPECT_EQ(psl->RegisteredDomain("co.uk"), "");
  EXPECT_EQ(psl->RegisteredDomain("a.b.foo.kawasaki.jp"), "b.foo.kawasaki.jp");
  EXPECT_EQ(psl->RegisteredDomain("foo.kawasaki.jp"), "");
  EXPECT_EQ(psl->RegisteredDomain("x.city.kawasaki.jp"), "city.kawasaki.jp");
  EXPECT_EQ(psl->RegisteredDomain("www.ck"), "www.ck");
  EXPECT_EQ(psl->RegisteredDomain("a.other.ck"), "a.other.ck");
  EXPECT_EQ(psl->RegisteredDomain("alice.github.io"), "alice.github.io");
  EXPECT_EQ(psl->RegisteredDomain("github.io"), "");
  EXPECT_EQ(psl->RegisteredDomain("net"), "");
  // Unlisted TLD: the implicit rule "*".
  EXPECT_EQ(psl->RegisteredDomain("a.b.example.zz"), "example.zz");
  EXPECT_EQ(psl->PublicSuffix("a.b.example.zz"), "zz");
}

TEST(SiteOfUrl, LowercasesHostAndDropsUserPortAndTrailingDot) {
  SiteOutcome o;
  EXPECT_EQ(Site("https://News.Example.COM/a/b?c#d", &o), "example.com");
  EXPECT_EQ(o, SiteOutcome::kRegisteredDomain);
  EXPECT_EQ(Site("  http://user:pw@www.Example.com:8080/x  "), "example.com");
  EXPECT_EQ(Site("http://www.example.com./"), "example.com");
  EXPECT_EQ(Site("HTTP://example.com"), "example.com");
  EXPECT_EQ(Site("https://example.com?x=1"), "example.com");
}

TEST(SiteOfUrl, SeparatesPrivateSuffixSites) {
  EXPECT_EQ(Site("https://alice.github.io/post"), "alice.github.io");
  EXPECT_EQ(Site("https://bob.github.io/post"), "bob.github.io");
}

TEST(SiteOfUrl, KeepsPunycodeAndUtf8HostsAsIs) {
  SiteOutcome o;
  EXPECT_EQ(Site("https://www.XN--80AK6AA92E.com/", &o), "xn--80ak6aa92e.com");
  EXPECT_EQ(o, SiteOutcome::kRegisteredDomain);
  EXPECT_EQ(Site("https://новости.пример.рф/"), "пример.рф");
  // Punycode TLD: not converted, so the implicit rule applies.
  EXPECT_EQ(Site("https://a.b.xn--p1ai/"), "b.xn--p1ai");
}

TEST(SiteOfUrl, IpHostsAreTheirOwnSite) {
  SiteOutcome o;
  EXPECT_EQ(Site("http://192.0.2.17:8080/page", &o), "192.0.2.17");
  EXPECT_EQ(o, SiteOutcome::kIpAddress);
  EXPECT_EQ(Site("http://[2001:DB8::1]:443/x", &o), "[2001:db8::1]");
  EXPECT_EQ(o, SiteOutcome::kIpAddress);
  EXPECT_EQ(Site("http://10.1/", &o), "10.1");
  EXPECT_EQ(o, SiteOutcome::kIpAddress);
}

TEST(SiteOfUrl, HostThatIsASuffixIsItsOwnSite) {
  SiteOutcome o;
  EXPECT_EQ(Site("http://localhost:8000/", &o), "localhost");
  EXPECT_EQ(o, SiteOutcome::kSuffixHost);
  EXPECT_EQ(Site("https://github.io/", &o), "github.io");
  EXPECT_EQ(o, SiteOutcome::kSuffixHost);
}

TEST(SiteOfUrl, ReportsMissingAndMalformedUrls) {
  const char* kNone[] = {"", "   ", "\t\n"};
  for (const char* url : kNone) {
    SiteOutcome o;
    EXPECT_EQ(Site(url, &o), "") << url;
    EXPECT_EQ(o, SiteOutcome::kNoUrl) << url;
  }
  const char* kBad[] = {
      "example.com/page",  "//example.com/",   "://x.com",
      "1http://x.com",     "ht tp://x.com",    "http://",
      "http:///path",      "http://a..b.com/", "http://.a.com",
      "http://x.com:80a/", "http://[::1/",     "http://ex ample.com",
      "http://user@:80/",  "mailto:a@b.com",   "http://exa%6dple.com/",
      "http://[zz::1]/"};
  for (const char* url : kBad) {
    SiteOutcome o;
    EXPECT_EQ(Site(url, &o), "") << url;
    EXPECT_EQ(o, SiteOutcome::kMalformedUrl) << url;
  }
  std::string long_label = "http://" + std::string(64, 'a') + ".com/";
  SiteOutcome o;
  Site(long_label, &o);
  EXPECT_EQ(o, SiteOutcome::kMalformedUrl);
}

TEST(SiteOfUrl, DebianListWhenInstalled) {
  std::ifstream in{std::string(kDebianPublicSuffixListPath)};
  if (!in) GTEST_SKIP() << "publicsuffix package not installed";
  std::stringstream ss;
  ss << in.rdbuf();
  auto psl = PublicSuffixList::Parse(ss.str());
  ASSERT_TRUE(psl.ok());
  EXPECT_GT((*psl)->num_rules(), 5000u);
  std::string site;
  EXPECT_EQ(SiteOfUrl(**psl, "https://www.bbc.co.uk/news", &site),
            SiteOutcome::kRegisteredDomain);
  EXPECT_EQ(site, "bbc.co.uk");
  SiteOfUrl(**psl, "https://someone.blogspot.com/2020/01/x.html", &site);
  EXPECT_EQ(site, "someone.blogspot.com");
  SiteOfUrl(**psl, "https://www.city.kawasaki.jp/", &site);
  EXPECT_EQ(site, "city.kawasaki.jp");
}

}  // namespace
}  // namespace winnow::boilerplate
