#include "text/nav_runs.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow::text {
namespace {

std::string Clean(std::string_view in, NavRunOptions options = {},
                  NavRunStats* stats = nullptr) {
  NavRunRemover remover(options);
  std::string out;
  NavRunStats local;
  return remover.Remove(in, &out, stats ? stats : &local) ? out : std::string(in);
}

TEST(NavRuns, RemovesWholeLineOfArrowPhrase) {
  NavRunStats stats;
  std::string in =
      "First paragraph here.\n\n"
      "Go back \xC2\xBB Go back \xC2\xBB Go back \xC2\xBB Go back \xC2\xBB\n\n"
      "Second paragraph here.";
  EXPECT_EQ(Clean(in, {}, &stats), "First paragraph here.\n\nSecond paragraph here.");
  EXPECT_EQ(stats.runs_removed, 1);
  EXPECT_EQ(stats.lines_removed, 1);
}

TEST(NavRuns, RemovesRunInsideALine) {
  EXPECT_EQ(Clean("The match ended late. Read more \xE2\x80\xBA Read more \xE2\x80\xBA "
                  "Read more \xE2\x80\xBA Fans went home."),
            "The match ended late. Fans went home.");
}

TEST(NavRuns, RemovesTrailingIncompleteRepetition) {
  EXPECT_EQ(Clean("Intro.\nAll stories \xE2\x86\x92 All stories \xE2\x86\x92 All stories "
                  "\xE2\x86\x92 All stories"),
            "Intro.");
}

TEST(NavRuns, RemovesRunWhoseMarkerIsGluedToTheWord) {
  EXPECT_EQ(Clean("Text.\nNext\xC2\xBB Next\xC2\xBB Next\xC2\xBB\nMore text."),
            "Text.\nMore text.");
}

TEST(NavRuns, RemovesPipeSeparatedRun) {
  EXPECT_EQ(Clean("Top | Top | Top | Top |\nBody."), "Body.");
}

TEST(NavRuns, RemovesWholeLineOfPlainRepeatedPhrase) {
  EXPECT_EQ(Clean("Body one.\n\nShow comments Show comments Show comments\n\nBody two."),
            "Body one.\n\nBody two.");
}

TEST(NavRuns, KeepsProseRepetition) {
  const std::string prose =
      "It was very, very, very cold that night.\n"
      "Very very very cold.\n"
      "No no no no no no.\n"
      "Thank you. Thank you. Thank you.\n"
      "Step by step by step by step we climbed.";
  std::string out;
  NavRunRemover remover({});
  NavRunStats stats;
  EXPECT_FALSE(remover.Remove(prose, &out, &stats));
}

TEST(NavRuns, KeepsBreadcrumbsAndTwoRepetitions) {
  const std::string text =
      "Home \xC2\xBB World \xC2\xBB Europe\n"
      "Back \xC2\xBB Back \xC2\xBB then forward.\n"
      "Compare a > b > c in the proof.";
  std::string out;
  NavRunRemover remover({});
  NavRunStats stats;
  EXPECT_FALSE(remover.Remove(text, &out, &stats));
}

TEST(NavRuns, HonoursMinRepeats) {
  NavRunOptions four;
  four.min_repeats = 4;
  std::string three = "Body.\nMore \xC2\xBB More \xC2\xBB More \xC2\xBB";
  EXPECT_EQ(Clean(three, four), three);
  EXPECT_EQ(Clean(three), "Body.");
}

TEST(NavRuns, CanDisableWholeLineRule) {
  NavRunOptions no_lines;
  no_lines.whole_line_runs = false;
  std::string text = "Body.\nShow comments Show comments Show comments";
  EXPECT_EQ(Clean(text, no_lines), text);
}

TEST(NavRuns, KeepsBlankLineLayoutWhenALineGoesAway) {
  EXPECT_EQ(Clean("A.\n\n\xC2\xBB \xC2\xBB \xC2\xBB\n\nB.\n\nC."), "A.\n\nB.\n\nC.");
}

}  // namespace
}  // namespace winnow::text
