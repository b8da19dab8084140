// Construction of a job's steps: names, and where a step's signals land.
#include "pipeline/steps.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

// A document long and varied enough that gopher_quality computes its
// signals (and keeps it).
Document Prose() {
  Document doc;
  doc.id = "d";
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "The river keeps the old mill turning and the village fed. ";
  doc.text = text;
  return doc;
}

StepSpec Gopher(std::string name, std::string min_words) {
  StepSpec s;
  s.type = "gopher_quality";
  s.name = std::move(name);
  s.options = {{"write_signals", "true"}, {"min_doc_words", std::move(min_words)}};
  return s;
}

TEST(MakeStepsTest, SignalsOfTwoStepsOfOneTypeLandUnderTheirOwnNames) {
  auto steps = MakeSteps({Gopher("strict", "1000"), Gopher("lax", "10")});
  ASSERT_TRUE(steps.ok()) << steps.status().message();
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0]->name(), "strict");
  EXPECT_EQ((*steps)[1]->name(), "lax");

  Document doc = Prose();
  Counters counters;
  StepResult lax = (*steps)[1]->Process(&doc, &counters);
  EXPECT_TRUE(lax.keep) << lax.reason;
  StepResult strict = (*steps)[0]->Process(&doc, &counters);
  EXPECT_FALSE(strict.keep);
  EXPECT_EQ(strict.reason, "gopher_short_doc");
  ASSERT_EQ(doc.signals.size(), 2u);
  EXPECT_EQ(doc.signals[0].key, "lax");
  EXPECT_EQ(doc.signals[1].key, "strict");
  EXPECT_NE(doc.signals[0].raw.find("\"n_words\":480"), std::string::npos)
      << doc.signals[0].raw;
}

TEST(MakeStepsTest, AStepNamedAfterItsTypeKeepsThatName) {
  StepSpec s = Gopher("gopher_quality", "10");
  auto steps = MakeSteps({s});
  ASSERT_TRUE(steps.ok()) << steps.status().message();
  Document doc = Prose();
  Counters counters;
  (*steps)[0]->Process(&doc, &counters);
  ASSERT_EQ(doc.signals.size(), 1u);
  EXPECT_EQ(doc.signals[0].key, "gopher_quality");
}

TEST(MakeStepsTest, DuplicateNamesAndUnknownTypesAreErrors) {
  EXPECT_FALSE(MakeSteps({Gopher("a", "10"), Gopher("a", "20")}).ok());
  StepSpec bad;
  bad.type = bad.name = "no_such_step";
  EXPECT_FALSE(MakeSteps({bad}).ok());
}

}  // namespace
}  // namespace winnow
