#include "text/page_layout.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow::text {
namespace {

std::string DropEcho(std::string_view in, HeadlineEchoOptions options = {}) {
  std::string out;
  return DropHeadlineEcho(in, options, &out) ? out : std::string(in);
}

std::string DropChrome(std::string_view in, SiteChromeOptions options = {},
                       SiteChromeStats* stats = nullptr) {
  if (options.menu_items.empty()) options.menu_items = DefaultMenuItems();
  SiteChromeDropper dropper(options);
  std::string out;
  SiteChromeStats local;
  return dropper.Drop(in, &out, stats ? stats : &local) ? out : std::string(in);
}

TEST(HeadlineKey, IgnoresCasePunctuationAndSpacing) {
  std::string a, b;
  HeadlineKey("Rivers Rise Again: Towns Prepare!", &a);
  HeadlineKey("  rivers rise again -- towns   prepare", &b);
  EXPECT_EQ(a, "rivers rise again towns prepare");
  EXPECT_EQ(a, b);
  HeadlineKey("\xC3\x89T\xC3\x89 \xC3\x80 PARIS", &a);
  EXPECT_EQ(a, "\xC3\xA9t\xC3\xA9 \xC3\xA0 paris");
}

TEST(HeadlineEcho, DropsExactEchoOfTheHeadline) {
  EXPECT_EQ(DropEcho("Rivers rise again\n\nThe water came up fast.\n\nRivers rise again"),
            "Rivers rise again\n\nThe water came up fast.");
}

TEST(HeadlineEcho, DropsEchoThatDiffersInCaseAndPunctuation) {
  EXPECT_EQ(DropEcho("Rivers Rise Again.\nBody one.\nBody two.\nrivers rise again\n"),
            "Rivers Rise Again.\nBody one.\nBody two.");
}

TEST(HeadlineEcho, KeepsDifferentLastLine) {
  const std::string text = "Rivers rise again\n\nBody.\n\nRivers rise again next week";
  EXPECT_EQ(DropEcho(text), text);
}

TEST(HeadlineEcho, NeedsABodyBetweenHeadlineAndEcho) {
  const std::string text = "Same line\nSame line";
  EXPECT_EQ(DropEcho(text), text);
}

TEST(HeadlineEcho, FindsHeadlineBelowChromeLines) {
  EXPECT_EQ(DropEcho("Site Name\nMenu\nRivers rise again\nBody.\nRivers rise again"),
            "Site Name\nMenu\nRivers rise again\nBody.");
  HeadlineEchoOptions first_only;
  first_only.headline_search_lines = 1;
  const std::string text = "Site Name\nRivers rise again\nBody.\nRivers rise again";
  EXPECT_EQ(DropEcho(text, first_only), text);
}

TEST(HeadlineEcho, IgnoresRepeatedLongParagraphs) {
  HeadlineEchoOptions small;
  small.max_headline_chars = 10;
  const std::string text = "A longer first line\nBody.\nA longer first line";
  EXPECT_EQ(DropEcho(text, small), text);
}

TEST(SiteChrome, DropsBrandAndMenuAboveEchoedHeadline) {
  SiteChromeStats stats;
  EXPECT_EQ(DropChrome("Gazette ONE\n\nNews\n\nRivers rise again\n\nThe water rose.\n\n"
                       "Rivers rise again",
                       {}, &stats),
            "Rivers rise again\n\nThe water rose.\n\nRivers rise again");
  EXPECT_EQ(stats.lines_dropped, 2);
}

TEST(SiteChrome, KeepsDatelineAndBylineAboveHeadline) {
  EXPECT_EQ(DropChrome("Gazette ONE\n12 March 2021\nBy Ann Lee\nRivers rise again\n"
                       "The water rose.\nRivers rise again"),
            "12 March 2021\nBy Ann Lee\nRivers rise again\nThe water rose.\n"
            "Rivers rise again");
}

TEST(SiteChrome, KeepsEverythingWhenALineAboveLooksLikeProse) {
  const std::string text =
      "Gazette ONE\nThe storm hit on Monday, and towns flooded.\nRivers rise again\n"
      "Body.\nRivers rise again";
  EXPECT_EQ(DropChrome(text), text);
}

TEST(SiteChrome, DropsMenuLinesWithoutEcho) {
  EXPECT_EQ(DropChrome("Home | News | Sport\nMenu\nRivers rise again\nThe water rose."),
            "Rivers rise again\nThe water rose.");
}

TEST(SiteChrome, KeepsBrandLineWithoutEcho) {
  const std::string text = "Gazette ONE\nRivers rise again\nThe water rose.";
  EXPECT_EQ(DropChrome(text), text);
}

TEST(SiteChrome, KeepsFirstParagraphAndSingleLineDocument) {
  const std::string prose = "News travels fast in small towns.\nEveryone knew by noon.";
  EXPECT_EQ(DropChrome(prose), prose);
  const std::string lone = "News";
  EXPECT_EQ(DropChrome(lone), lone);
}

TEST(SiteChrome, UsesConfiguredMenuItems) {
  SiteChromeOptions options;
  options.menu_items = {"accueil", "actualit\xC3\xA9s"};
  EXPECT_EQ(DropChrome("Accueil\nTitre\nTexte.", options), "Titre\nTexte.");
  EXPECT_EQ(DropChrome("Home\nTitle\nText.", options), "Home\nTitle\nText.");
}

}  // namespace
}  // namespace winnow::text
