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

// A step that counts its calls and charges the document `extra` units.
class Charging : public Step {
 public:
  explicit Charging(uint64_t extra) : extra_(extra) {}
  std::string_view name() const override { return "charging"; }
  StepResult Process(Document* doc, Counters*) override {
    ++calls;
    doc->work.Charge(extra_);
    return StepResult::Keep();
  }
  int calls = 0;

 private:
  uint64_t extra_;
};

TEST(RunStepTest, ChargesTheBytesReceivedAndRemovesOverBudget) {
  Document doc;
  doc.text = std::string(100, 'x');
  doc.work = WorkMeter{0, 250};
  Counters counters;
  Charging plain(0);
  EXPECT_TRUE(RunStep(&plain, true, UINT64_MAX, &doc, &counters).keep);
  EXPECT_TRUE(RunStep(&plain, false, UINT64_MAX, &doc, &counters).keep);
  EXPECT_EQ(doc.work.used, 200u);
  // The third step would take the work to 300 > 250: removed before it runs.
  StepResult r = RunStep(&plain, false, UINT64_MAX, &doc, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "work_limit");
  EXPECT_EQ(r.details, "{\"work\":300,\"max_document_work\":250}");
  EXPECT_EQ(plain.calls, 2);
  // A step's own charge counts too: removed after it ran.
  doc.work = WorkMeter{0, 250};
  Charging heavy(200);
  r = RunStep(&heavy, false, UINT64_MAX, &doc, &counters);
  EXPECT_EQ(heavy.calls, 1);
  EXPECT_EQ(r.reason, "work_limit");
}

TEST(RunStepTest, TextOverTheMemoryBoundIsRemovedBeforeTheStep) {
  Document doc;
  doc.text = std::string(100, 'x');
  Counters counters;
  Charging step(0);
  EXPECT_TRUE(RunStep(&step, false, 100, &doc, &counters).keep);
  StepResult r = RunStep(&step, false, 99, &doc, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "memory_limit");
  EXPECT_EQ(step.calls, 1);
  // Without limits (the default meter), nothing is ever removed for them.
  Document unlimited;
  unlimited.text = std::string(1 << 20, 'x');
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(RunStep(&step, false, UINT64_MAX, &unlimited, &counters).keep);
}

}  // namespace
}  // namespace winnow
