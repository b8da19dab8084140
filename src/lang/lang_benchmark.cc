// Throughput of LanguageIdentifier and the language_filter step.
//
//   BM_IdentifyReuters/fast_path:1  every non-empty Reuters-21578 story
//                          (about 1 KB each; needs WINNOW_SHARED_DIR, else
//                          skipped); /fast_path:0 with CLD2 alone
//   BM_FastIdentifyReuters the fast path alone (fast_lid.h), decided or not
//   BM_IdentifyFixtures    the seven short fixture paragraphs of
//                          lang_testing.h, round robin
//   BM_IdentifyLarge/N     one N-byte multi-paragraph document (the
//                          default 64 KiB cap applies above 65536)
//   BM_LanguageFilterStep  the step on Reuters stories, metadata included
//
// Counters: docs/s and bytes/s (bytes of the whole input text).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "lang/fast_lid.h"
#include "lang/lang_steps.h"
#include "lang/lang_testing.h"
#include "lang/language.h"

namespace winnow {
namespace {

const std::vector<std::string>& ReutersTexts() {
  static const std::vector<std::string>* const texts = [] {
    auto* out = new std::vector<std::string>;
    std::vector<std::string> all;
    const std::string path = lang_testing::ReutersPath();
    if (!path.empty() && lang_testing::LoadJsonlTexts(path, &all)) {
      for (std::string& t : all)
        if (!t.empty()) out->push_back(std::move(t));
    }
    return out;
  }();
  return *texts;
}

void SetRates(benchmark::State& state, int64_t docs, int64_t bytes) {
  state.SetItemsProcessed(docs);
  state.SetBytesProcessed(bytes);
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(docs),
                                                benchmark::Counter::kIsRate);
}

void BM_IdentifyReuters(benchmark::State& state) {
  const auto& texts = ReutersTexts();
  if (texts.empty()) {
    state.SkipWithError("Reuters data not found (set WINNOW_SHARED_DIR)");
    return;
  }
  LanguageIdOptions options;
  options.fast_path = state.range(0) != 0;
  LanguageIdentifier id(options);
  size_t i = 0;
  int64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    i = i + 1 == texts.size() ? 0 : i + 1;
    benchmark::DoNotOptimize(id.Identify(t));
    ++docs;
    bytes += static_cast<int64_t>(t.size());
  }
  SetRates(state, docs, bytes);
}
BENCHMARK(BM_IdentifyReuters)->ArgName("fast_path")->Arg(1)->Arg(0);

void BM_FastIdentifyReuters(benchmark::State& state) {
  const auto& texts = ReutersTexts();
  if (texts.empty()) {
    state.SkipWithError("Reuters data not found (set WINNOW_SHARED_DIR)");
    return;
  }
  size_t i = 0;
  int64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    i = i + 1 == texts.size() ? 0 : i + 1;
    benchmark::DoNotOptimize(lang::FastIdentify(t));
    ++docs;
    bytes += static_cast<int64_t>(t.size());
  }
  SetRates(state, docs, bytes);
}
BENCHMARK(BM_FastIdentifyReuters);

void BM_IdentifyFixtures(benchmark::State& state) {
  const auto& fixtures = lang_testing::Fixtures();
  LanguageIdentifier id;
  size_t i = 0;
  int64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    std::string_view t = fixtures[i].text;
    i = (i + 1) % fixtures.size();
    benchmark::DoNotOptimize(id.Identify(t));
    ++docs;
    bytes += static_cast<int64_t>(t.size());
  }
  SetRates(state, docs, bytes);
}
BENCHMARK(BM_IdentifyFixtures);

void BM_IdentifyLarge(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  std::string text;
  const auto& fixtures = lang_testing::Fixtures();
  for (size_t i = 0; text.size() < size; ++i) {
    // Mostly English, with a paragraph of another language every fifth.
    text += i % 5 == 4 ? fixtures[1 + (i / 5) % (fixtures.size() - 1)].text
                       : fixtures[0].text;
    text += '\n';
  }
  text.resize(size);
  LanguageIdentifier id;
  int64_t docs = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(id.Identify(text));
    ++docs;
  }
  SetRates(state, docs, docs * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_IdentifyLarge)->Arg(4 << 10)->Arg(64 << 10)->Arg(16 << 20);

void BM_LanguageFilterStep(benchmark::State& state) {
  const auto& texts = ReutersTexts();
  if (texts.empty()) {
    state.SkipWithError("Reuters data not found (set WINNOW_SHARED_DIR)");
    return;
  }
  StepRegistry registry;
  RegisterLangSteps(&registry);
  StepOptions options;
  options.Set("reuse_metadata", "false");
  auto created = registry.Find("language_filter")->factory(options);
  if (!created.ok()) {
    state.SkipWithError(created.status().message().c_str());
    return;
  }
  std::unique_ptr<Step> step = std::move(created).value();
  Document doc;
  Counters counters;
  size_t i = 0;
  int64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    doc.text = texts[i];
    doc.metadata.clear();
    i = i + 1 == texts.size() ? 0 : i + 1;
    benchmark::DoNotOptimize(step->Process(&doc, &counters));
    ++docs;
    bytes += static_cast<int64_t>(doc.text.size());
  }
  SetRates(state, docs, bytes);
}
BENCHMARK(BM_LanguageFilterStep);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();
