#include "report/report.h"

#include <gtest/gtest.h>

#include <fstream>

#include "gen/generator.h"
#include "io/output_file.h"
#include "io/testing.h"
#include "pipeline/config.h"
#include "pipeline/job.h"
#include "report/explain.h"

namespace winnow::report {
namespace {

using ::winnow::testing::TempDir;

// Crawled text that would run or load something if it reached the page as
// markup.
const char kHostile[] =
    "{\"id\":\"evil-script\",\"text\":\"Breaking news <script>document.title='PWNED'</script> "
    "and more words here so the page is long enough.\",\"metadata\":{\"url\":\"javascript:alert(1)\"}}\n"
    "{\"id\":\"evil-<img>\",\"text\":\"<img src=x onerror=\\\"document.title='PWNED'\\\"> "
    "</textarea><b>bold</b>\",\"metadata\":{\"language\":\"<svg onload=alert(1)>\"}}\n";

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string input = dir_->File("in.jsonl");
    std::string lines = kHostile;
    GenOptions g;
    g.num_docs = 400;
    g.seed = 3;
    g.bad_record_fraction = 0.01;
    ASSERT_TRUE(GenerateCorpus(g, [&](std::string_view l) { lines.append(l); }, {}).ok());
    ASSERT_TRUE(WriteFileAtomically(input, lines).ok());
    std::string yaml = dir_->File("job.yaml");
    ASSERT_TRUE(WriteFileAtomically(yaml,
                                    "steps:\n"
                                    "  - recipe: clean\n"
                                    "  - type: gopher_quality\n"
                                    "    write_signals: true\n"
                                    "  - type: fineweb_quality\n"
                                    "    write_signals: true\n"
                                    "  - minhash_dedup\n")
                    .ok());
    JobConfig config;
    config.inputs = {input};
    config.output_dir = dir_->File("out");
    config.threads = 1;
    ASSERT_TRUE(LoadYamlConfig(yaml, &config).ok());
    auto summary = RunJob(config, RunOptions{});
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_TRUE(summary->accounting_ok);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Out() { return dir_->File("out"); }
  static TempDir* dir_;
};
TempDir* ReportTest::dir_ = nullptr;

TEST_F(ReportTest, WritesEverySection) {
  auto r = WriteReport(Out(), ReportOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string html;
  ASSERT_TRUE(ReadFileToString(r->path, &html).ok());
  for (const char* id : {"summary", "funnel", "distributions", "duplicates", "boilerplate",
                         "samples", "cleaning", "run"})
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_NE(html.find("class=\"threshold\""), std::string::npos) << "a threshold is marked";
  EXPECT_NE(html.find("gopher_quality: n_words"), std::string::npos);
  EXPECT_NE(html.find("Largest clusters"), std::string::npos);
  EXPECT_NE(html.find("pre class=\"diff\""), std::string::npos) << "a cleaning diff";
  EXPECT_NE(html.find("Not run"), std::string::npos) << "no boilerplate step";
  EXPECT_NE(html.find("invalid_json"), std::string::npos) << "rejected records";
}

TEST_F(ReportTest, CrawledMarkupIsEscaped) {
  std::string html;
  std::vector<std::string> notes;
  ASSERT_TRUE(RenderReport(Out(), ReportOptions{}, &html, &notes).ok());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("</textarea"), std::string::npos);
  EXPECT_EQ(html.find("<svg onload"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("&lt;svg onload=alert(1)&gt;"), std::string::npos) << "shown as text";
}

TEST_F(ReportTest, ReportIsBoundedBySampling) {
  ReportOptions o;
  o.signal_sample_docs = 50;
  o.samples_per_reason = 1;
  std::string html;
  std::vector<std::string> notes;
  ASSERT_TRUE(RenderReport(Out(), o, &html, &notes).ok());
  EXPECT_NE(html.find("deterministic uniform sample"), std::string::npos);
  std::string again;
  ASSERT_TRUE(RenderReport(Out(), o, &again, &notes).ok());
  EXPECT_EQ(html, again) << "the report is deterministic";
}

TEST_F(ReportTest, MissingStatsIsNotFound) {
  std::string html;
  std::vector<std::string> notes;
  EXPECT_EQ(RenderReport(dir_->File("nope"), ReportOptions{}, &html, &notes).code(),
            Status::Code::kNotFound);
}

TEST_F(ReportTest, ExplainsKeptRemovedAndDuplicateDocuments) {
  std::string text;
  ASSERT_TRUE(ExplainDocument(Out(), "gen-0", ExplainOptions{}, &text).ok());
  EXPECT_NE(text.find("status:   KEPT"), std::string::npos) << text;
  EXPECT_NE(text.find("steps (replayed"), std::string::npos) << text;
  EXPECT_EQ(text.find("does not match"), std::string::npos) << text;

  // Find a removed and a duplicate document through the report's data: the
  // removed shard lists them; scan ids from the generator's numbering.
  bool saw_removed = false, saw_duplicate = false, saw_cleaned = false;
  for (int i = 0; i < 400 && !(saw_removed && saw_duplicate && saw_cleaned); ++i) {
    std::string t;
    if (!ExplainDocument(Out(), "gen-" + std::to_string(i), ExplainOptions{}, &t).ok()) continue;
    if (t.find("status:   KEPT") != std::string::npos &&
        t.find("text diff (- input, + output)") != std::string::npos) {
      saw_cleaned = true;
      EXPECT_NE(t.find("kept, text changed"), std::string::npos) << t;
    }
    if (t.find("reason 'duplicate'") != std::string::npos) {
      saw_duplicate = true;
      EXPECT_NE(t.find("kept copy: gen-"), std::string::npos) << t;
    } else if (t.find("status:   REMOVED") != std::string::npos) {
      saw_removed = true;
      EXPECT_NE(t.find("deciding values:"), std::string::npos) << t;
      EXPECT_EQ(t.find("does not match"), std::string::npos) << t;
    }
  }
  EXPECT_TRUE(saw_removed);
  EXPECT_TRUE(saw_duplicate);
  EXPECT_TRUE(saw_cleaned);
}

TEST_F(ReportTest, ExplainUnknownIdIsNotFound) {
  std::string text;
  EXPECT_EQ(ExplainDocument(Out(), "no-such-doc", ExplainOptions{}, &text).code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace winnow::report
