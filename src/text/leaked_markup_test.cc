#include "text/leaked_markup.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow::text {
namespace {

std::string Fix(std::string_view in, LeakedMarkupOptions options = {},
                LeakedMarkupStats* stats = nullptr) {
  LeakedMarkupFixer fixer(options);
  std::string out;
  LeakedMarkupStats local;
  return fixer.Fix(in, &out, stats ? stats : &local) ? out : std::string(in);
}

TEST(LeakedMarkup, DecodesCommonNamedEntities) {
  LeakedMarkupStats stats;
  EXPECT_EQ(Fix("Salt &amp; pepper &quot;fresh&quot; &lt;3 &copy; caf&eacute;", {}, &stats),
            "Salt & pepper \"fresh\" <3 \xC2\xA9 caf\xC3\xA9");
  EXPECT_EQ(stats.entities_decoded, 6);
  EXPECT_EQ(Fix("a&nbsp;b &mdash; c&hellip;"), "a\xC2\xA0" "b \xE2\x80\x94 c\xE2\x80\xA6");
}

TEST(LeakedMarkup, DecodesNumericReferences) {
  EXPECT_EQ(Fix("it&#8217;s &#x201C;ok&#X201D; &#65;"),
            "it\xE2\x80\x99s \xE2\x80\x9Cok\xE2\x80\x9D A");
}

TEST(LeakedMarkup, MapsWindows1252RangeAndRejectsBadCodePoints) {
  EXPECT_EQ(Fix("don&#146;t"), "don\xE2\x80\x99t");
  EXPECT_EQ(Fix("x&#0;y&#xD800;z&#1114112;w&#7;v"),
            "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBDw\xEF\xBF\xBDv");
}

TEST(LeakedMarkup, LeavesUnknownOrUnterminatedReferencesAlone) {
  const std::string text = "AT&T and R&D, &bogus; &amp without semicolon, &#;";
  EXPECT_EQ(Fix(text), text);
}

TEST(LeakedMarkup, DecodesOnlyOnce) {
  EXPECT_EQ(Fix("Q&amp;amp;A"), "Q&amp;A");
}

TEST(LeakedMarkup, PutsSpelledOutHeadingOnItsOwnLine) {
  LeakedMarkupStats stats;
  EXPECT_EQ(Fix("Intro paragraph.\n\nH3 \"Quiet Weeks\" ahead / h3 The team rested for a "
                "month.\n\nLast paragraph.",
                {}, &stats),
            "Intro paragraph.\n\n\"Quiet Weeks\" ahead\n\nThe team rested for a month."
            "\n\nLast paragraph.");
  EXPECT_EQ(stats.headings_fixed, 1);
}

TEST(LeakedMarkup, HandlesHeadingAloneAndClosingWithoutSpace) {
  EXPECT_EQ(Fix("H2 Market Notes /h2\nBody text."), "Market Notes\nBody text.");
}

TEST(LeakedMarkup, HandlesHeadingAfterASentenceInsideALine) {
  EXPECT_EQ(Fix("First part ends here. H2 New Section / h2 Second part starts.\n\nx"),
            "First part ends here.\n\nNew Section\n\nSecond part starts.\n\nx");
}

TEST(LeakedMarkup, KeepsProseThatMentionsHeadingLikeWords) {
  const std::string text =
      "H4 visa holders can apply in spring.\n"
      "The H2 engine / h2 ratio is a code name.\n"
      "Use H1 for titles and h1 / h2 for sections.";
  EXPECT_EQ(Fix(text), text);
}

TEST(LeakedMarkup, RequiresTheSameLevelToClose) {
  const std::string text = "H2 Title text / h3 rest of the line";
  EXPECT_EQ(Fix(text), text);
}

TEST(LeakedMarkup, RejectsOverlongHeading) {
  LeakedMarkupOptions small;
  small.max_heading_chars = 10;
  const std::string text = "H2 A rather long heading text / h2 rest";
  EXPECT_EQ(Fix(text, small), text);
  EXPECT_EQ(Fix(text), "A rather long heading text\nrest");
}

TEST(LeakedMarkup, TurnsLiteralHeadingElementIntoHeadingLine) {
  EXPECT_EQ(Fix("<h2 class=\"title\">Storm Season</h2> Rain came early.\n\nEnd."),
            "Storm Season\n\nRain came early.\n\nEnd.");
  EXPECT_EQ(Fix("<H1>Big News</H1>"), "Big News");
}

TEST(LeakedMarkup, DropsLiteralInlineTagPairs) {
  LeakedMarkupStats stats;
  EXPECT_EQ(Fix("A <b>bold</b> and <a href=\"/x\">linked</a> word.", {}, &stats),
            "A bold and linked word.");
  EXPECT_EQ(stats.tags_removed, 4);
}

TEST(LeakedMarkup, TurnsLiteralBrIntoLineBreak) {
  EXPECT_EQ(Fix("line one<br/>line two<br />line three<br>four"),
            "line one\nline two\nline three\nfour");
}

TEST(LeakedMarkup, KeepsLoneTagsInProseAboutHtml) {
  const std::string text = "Wrap text in a <p> element, or use <b> for bold. 3 < 4 > 2.";
  EXPECT_EQ(Fix(text), text);
}

TEST(LeakedMarkup, CanDisableInlineTags) {
  LeakedMarkupOptions off;
  off.inline_tags = false;
  EXPECT_EQ(Fix("the <b>x</b> tag", off), "the <b>x</b> tag");
}

TEST(LeakedMarkup, DecodedTagsAreRepairedToo) {
  EXPECT_EQ(Fix("&lt;h2&gt;Title&lt;/h2&gt;Body"), "Title\nBody");
}

}  // namespace
}  // namespace winnow::text
