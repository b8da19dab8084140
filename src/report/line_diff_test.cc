#include "report/line_diff.h"

#include <gtest/gtest.h>

namespace winnow::report {
namespace {

std::string Kinds(const std::vector<DiffLine>& d) {
  std::string s;
  for (const auto& l : d)
    s += l.kind == DiffLine::Kind::kSame ? '=' : l.kind == DiffLine::Kind::kRemoved ? '-' : '+';
  return s;
}

TEST(LineDiff, EqualTextsAreAllSame) {
  EXPECT_EQ(Kinds(LineDiff("a\nb\nc", "a\nb\nc")), "===");
}

TEST(LineDiff, FindsRemovedAndAddedLines) {
  auto d = LineDiff("Home | News\ntitle\nbody\nShare this", "title\nbody text\n");
  EXPECT_EQ(Kinds(d), "-=--+");
  EXPECT_EQ(d[0].text, "Home | News");
  EXPECT_EQ(d[4].text, "body text");
}

TEST(LineDiff, FallsBackToOneBlockBeyondTheBudget) {
  auto d = LineDiff("x\na\nb\ny", "x\nc\nd\ny", /*max_cells=*/1);
  EXPECT_EQ(Kinds(d), "=--++=");
}

TEST(LineDiff, FormatFoldsLongUnchangedRuns) {
  std::string a, b;
  for (int i = 0; i < 20; ++i) a += "line " + std::to_string(i) + "\n";
  b = a + "added\n";
  std::string f = FormatDiff(LineDiff(a, b), 2);
  EXPECT_NE(f.find("unchanged lines"), std::string::npos) << f;
  EXPECT_NE(f.find("+ added"), std::string::npos) << f;
  EXPECT_NE(f.find("  line 19"), std::string::npos) << f;
}

}  // namespace
}  // namespace winnow::report
