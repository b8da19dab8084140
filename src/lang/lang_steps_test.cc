#include "lang/lang_steps.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "lang/lang_testing.h"

namespace winnow {
namespace {

using lang_testing::FixtureText;

std::unique_ptr<Step> MakeStep(std::string_view type,
                               std::map<std::string, std::string> values = {}) {
  StepRegistry registry;
  RegisterLangSteps(&registry);
  const StepRegistry::Entry* entry = registry.Find(type);
  EXPECT_NE(entry, nullptr) << type;
  if (entry == nullptr) return nullptr;
  StepOptions options(std::move(values));
  Result<std::unique_ptr<Step>> step = entry->factory(options);
  EXPECT_TRUE(step.ok()) << step.status().message();
  if (!step.ok()) return nullptr;
  return std::move(step).value();
}

Status CreateStatus(std::string_view type,
                    std::map<std::string, std::string> values) {
  StepRegistry registry;
  RegisterLangSteps(&registry);
  StepOptions options(std::move(values));
  Result<std::unique_ptr<Step>> step = registry.Find(type)->factory(options);
  return step.status();
}

Document Doc(std::string text) {
  Document d;
  d.id = "doc";
  d.text = std::move(text);
  return d;
}

int64_t CounterValue(const Counters& c, std::string_view name) {
  for (const auto& [k, v] : c.items())
    if (k == name) return v;
  return 0;
}

TEST(LanguageIdStep, AppendsLanguageAndScore) {
  auto step = MakeStep("language_id");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->name(), "language_id");
  Document d = Doc(FixtureText("de"));
  d.metadata.push_back({"url", "\"https://example.org/\""});
  Counters counters;
  StepResult r = step->Process(&d, &counters);
  EXPECT_TRUE(r.keep);
  ASSERT_EQ(d.metadata.size(), 3u);
  EXPECT_EQ(d.metadata[0].key, "url");
  EXPECT_EQ(d.metadata[1].key, "language");
  EXPECT_EQ(d.metadata[1].raw, "\"de\"");
  EXPECT_EQ(d.metadata[2].key, "language_score");
  const double score = std::stod(d.metadata[2].raw);
  EXPECT_GE(score, 0.9);
  EXPECT_LE(score, 1.0);
  EXPECT_EQ(CounterValue(counters, "lang_de"), 1);
  EXPECT_EQ(d.text, FixtureText("de"));
}

TEST(LanguageIdStep, OverwritesExistingFieldsInPlace) {
  auto step = MakeStep("language_id");
  ASSERT_NE(step, nullptr);
  Document d = Doc(FixtureText("fr"));
  d.metadata = {
      {"language_score", "0.12"}, {"url", "\"u\""}, {"language", "\"xx\""}};
  Counters counters;
  step->Process(&d, &counters);
  ASSERT_EQ(d.metadata.size(), 3u);
  EXPECT_EQ(d.metadata[0].key, "language_score");
  EXPECT_NE(d.metadata[0].raw, "0.12");
  EXPECT_EQ(d.metadata[1].raw, "\"u\"");
  EXPECT_EQ(d.metadata[2].key, "language");
  EXPECT_EQ(d.metadata[2].raw, "\"fr\"");
}

TEST(LanguageIdStep, EmptyDocumentIsAnnotatedUndetermined) {
  auto step = MakeStep("language_id");
  ASSERT_NE(step, nullptr);
  Document d = Doc("");
  Counters counters;
  EXPECT_TRUE(step->Process(&d, &counters).keep);
  ASSERT_EQ(d.metadata.size(), 2u);
  EXPECT_EQ(d.metadata[0].raw, "\"und\"");
  EXPECT_EQ(d.metadata[1].raw, "0");
  EXPECT_EQ(CounterValue(counters, "lang_und"), 1);
  EXPECT_EQ(CounterValue(counters, "unreliable"), 1);
}

TEST(LanguageIdStep, CountsTruncatedAndRepairedDocuments) {
  auto step = MakeStep("language_id", {{"max_bytes", "100"}});
  ASSERT_NE(step, nullptr);
  Document d = Doc(std::string("\x01") + FixtureText("en"));
  Counters counters;
  step->Process(&d, &counters);
  EXPECT_EQ(CounterValue(counters, "truncated"), 1);
  EXPECT_EQ(CounterValue(counters, "utf8_replaced"), 1);
  EXPECT_EQ(d.metadata[0].raw, "\"en\"");
}

TEST(LanguageFilterStep, KeepsEnglishByDefault) {
  auto step = MakeStep("language_filter");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->name(), "language_filter");
  Document d = Doc(FixtureText("en"));
  Counters counters;
  EXPECT_TRUE(step->Process(&d, &counters).keep);
  ASSERT_EQ(d.metadata.size(), 2u);
  EXPECT_EQ(d.metadata[0].raw, "\"en\"");
}

TEST(LanguageFilterStep, RemovesOtherLanguagesWithDetails) {
  auto step = MakeStep("language_filter");
  ASSERT_NE(step, nullptr);
  Document d = Doc(FixtureText("ru"));
  Counters counters;
  StepResult r = step->Process(&d, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "language");
  EXPECT_EQ(r.details.rfind("{\"language\":\"ru\",\"score\":", 0), 0u)
      << r.details;
  EXPECT_NE(r.details.find("\"min_score\":0.65}"), std::string::npos)
      << r.details;
  // Annotated even when removed.
  EXPECT_EQ(d.metadata[0].raw, "\"ru\"");
}

TEST(LanguageFilterStep, RemovesWantedLanguageBelowMinScore) {
  auto step = MakeStep("language_filter", {{"languages", "en,de"}});
  ASSERT_NE(step, nullptr);
  Document d = Doc(std::string(FixtureText("en")) + "\n" + FixtureText("de") +
                   "\n" + FixtureText("en") + "\n" + FixtureText("de"));
  Counters counters;
  StepResult r = step->Process(&d, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "language");
}

TEST(LanguageFilterStep, AcceptsListsCommasAndCase) {
  auto step = MakeStep("language_filter", {{"languages", "EN\n de , ja"}});
  ASSERT_NE(step, nullptr);
  for (const char* code : {"en", "de", "ja"}) {
    Document d = Doc(FixtureText(code));
    Counters counters;
    EXPECT_TRUE(step->Process(&d, &counters).keep) << code;
  }
  Document d = Doc(FixtureText("zh"));
  Counters counters;
  EXPECT_FALSE(step->Process(&d, &counters).keep);
}

TEST(LanguageFilterStep, MinScoreZeroKeepsAnyScoreOfWantedLanguage) {
  auto step =
      MakeStep("language_filter", {{"languages", "und"}, {"min_score", "0"}});
  ASSERT_NE(step, nullptr);
  Document d = Doc("12345 678");
  Counters counters;
  EXPECT_TRUE(step->Process(&d, &counters).keep);
}

TEST(LanguageFilterStep, ReusesMetadataWrittenUpstream) {
  auto step = MakeStep("language_filter");
  ASSERT_NE(step, nullptr);
  // German text, but metadata (e.g. from an earlier language_id or from
  // FineWeb) says English: the metadata wins and is left unchanged.
  Document d = Doc(FixtureText("de"));
  d.metadata = {{"language", "\"en\""}, {"language_score", "0.93"}};
  Counters counters;
  EXPECT_TRUE(step->Process(&d, &counters).keep);
  EXPECT_EQ(CounterValue(counters, "reused_metadata"), 1);
  EXPECT_EQ(d.metadata[0].raw, "\"en\"");
  EXPECT_EQ(d.metadata[1].raw, "0.93");
}

TEST(LanguageFilterStep, ReusedScoreBelowMinScoreRemoves) {
  auto step = MakeStep("language_filter");
  ASSERT_NE(step, nullptr);
  Document d = Doc(FixtureText("en"));
  d.metadata = {{"language", "\"en\""}, {"language_score", "0.6499"}};
  Counters counters;
  StepResult r = step->Process(&d, &counters);
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.details,
            "{\"language\":\"en\",\"score\":0.6499,\"min_score\":0.65}");
}

TEST(LanguageFilterStep, RecomputesWhenMetadataIsMalformedOrReuseIsOff) {
  auto reuse = MakeStep("language_filter");
  auto fresh = MakeStep("language_filter", {{"reuse_metadata", "false"}});
  ASSERT_NE(reuse, nullptr);
  ASSERT_NE(fresh, nullptr);
  for (auto* step : {reuse.get(), fresh.get()}) {
    Document d = Doc(FixtureText("de"));
    d.metadata = {
        {"language", "\"en\""},
        {"language_score", step == reuse.get() ? "\"high\"" : "0.93"}};
    Counters counters;
    StepResult r = step->Process(&d, &counters);
    EXPECT_FALSE(r.keep);
    EXPECT_EQ(CounterValue(counters, "reused_metadata"), 0);
    EXPECT_EQ(d.metadata[0].raw, "\"de\"");
  }
}

TEST(ReadLanguageMetadata, RejectsMalformedValues) {
  LanguageGuess g;
  Document d;
  EXPECT_FALSE(ReadLanguageMetadata(d, &g));
  d.metadata = {{"language", "\"en\""}};
  EXPECT_FALSE(ReadLanguageMetadata(d, &g));
  for (const char* score :
       {"1.5", "-0.1", "nan", "0.9x", "\"0.9\"", "null", ""}) {
    d.metadata = {{"language", "\"en\""}, {"language_score", score}};
    EXPECT_FALSE(ReadLanguageMetadata(d, &g)) << score;
  }
  for (const char* lang : {"en", "\"e\\u006e\"", "null", "\""}) {
    d.metadata = {{"language", lang}, {"language_score", "0.5"}};
    EXPECT_FALSE(ReadLanguageMetadata(d, &g)) << lang;
  }
  d.metadata = {{"language", "\"en\""}, {"language_score", "1"}};
  ASSERT_TRUE(ReadLanguageMetadata(d, &g));
  EXPECT_EQ(g.code, "en");
  EXPECT_EQ(g.score, 1.0);
}

TEST(LangStepOptions, RejectsBadValues) {
  EXPECT_FALSE(
      CreateStatus("language_filter", {{"languages", "english"}}).ok());
  EXPECT_FALSE(CreateStatus("language_filter", {{"languages", ""}}).ok());
  EXPECT_FALSE(
      CreateStatus("language_filter", {{"languages", "zh-Hant"}}).ok());
  EXPECT_FALSE(CreateStatus("language_filter", {{"min_score", "1.5"}}).ok());
  EXPECT_FALSE(CreateStatus("language_filter", {{"min_score", "abc"}}).ok());
  EXPECT_FALSE(CreateStatus("language_filter", {{"minscore", "0.5"}}).ok());
  EXPECT_FALSE(CreateStatus("language_id", {{"max_bytes", "0"}}).ok());
  EXPECT_FALSE(CreateStatus("language_id", {{"languages", "en"}}).ok());
  EXPECT_TRUE(CreateStatus("language_id", {{"max_bytes", "1048576"}}).ok());
}

}  // namespace
}  // namespace winnow
