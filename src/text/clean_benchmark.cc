// Throughput of the `clean` recipe and of each of its steps, over synthetic
// news-like pages generated here (a small word model plus the debris the
// steps remove). Reports bytes/s via SetBytesProcessed.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "text/text_steps.h"

namespace winnow {
namespace {

constexpr const char* kWords[] = {
    "the",     "of",       "and",      "to",      "in",       "a",
    "river",   "council",  "market",   "season",  "report",   "city",
    "said",    "would",    "after",    "before",  "workers",  "plan",
    "new",     "local",    "weather",  "prices",  "school",   "budget",
    "meeting", "officials", "people",  "week",    "during",   "about",
    "their",   "between",  "station",  "farmers", "harvest",  "bridge",
    "water",   "morning",  "evening",  "support", "question", "answer"};
constexpr const char* kNames[] = {"Lena", "Marco", "Northfield", "Ashby",
                                  "Kestrel", "Varga"};

// Generates `count` pages of about `page_bytes` bytes each. With `unicode`,
// quotes, dashes and accented names appear as they do in real news text.
std::vector<std::string> MakePages(int count, size_t page_bytes, bool unicode) {
  std::mt19937 rng(12345);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const size_t nwords = sizeof(kWords) / sizeof(kWords[0]);
  const size_t nnames = sizeof(kNames) / sizeof(kNames[0]);
  std::vector<std::string> pages;
  for (int p = 0; p < count; ++p) {
    std::string headline = "Council " + std::string(kWords[pick(nwords)]) +
                           " plan for the " + kWords[pick(nwords)];
    std::string page = "Courier Daily\n\nNews\n\n" + headline + "\n\n";
    int paragraph = 0;
    while (page.size() < page_bytes) {
      int sentences = 2 + static_cast<int>(pick(4));
      for (int s = 0; s < sentences; ++s) {
        int words = 8 + static_cast<int>(pick(14));
        if (unicode && pick(4) == 0) page += "\xE2\x80\x9C";
        std::string first = kWords[pick(nwords)];
        first[0] = static_cast<char>(first[0] - 'a' + 'A');
        page += first;
        for (int w = 1; w < words; ++w) {
          page += ' ';
          if (pick(12) == 0) {
            page += kNames[pick(nnames)];
            if (unicode && pick(3) == 0) page += "-M\xC3\xBCller";
          } else {
            page += kWords[pick(nwords)];
          }
          if (pick(15) == 0) page += unicode ? " \xE2\x80\x94" : ",";
        }
        page += '.';
        if (unicode && pick(4) == 0) page += "\xE2\x80\x9D";
        page += ' ';
      }
      page.back() = '\n';
      page += '\n';
      ++paragraph;
      if (paragraph == 3) page += "H4 What comes next / h4 The council met again.\n\n";
      if (paragraph == 5) {
        for (int k = 0; k < 10; ++k) page += "Back to news \xC2\xBB ";
        page += "\n\n";
      }
      if (paragraph == 7) page += "Prices rose again.Officials said little &amp; left.\n\n";
    }
    page += headline;
    pages.push_back(std::move(page));
  }
  return pages;
}

std::vector<std::unique_ptr<Step>> MakeSteps(const std::vector<std::string>& types) {
  StepRegistry registry;
  RegisterTextSteps(&registry);
  std::vector<std::unique_ptr<Step>> steps;
  for (const std::string& type : types) {
    StepOptions options;
    auto step = registry.Find(type)->factory(options);
    steps.push_back(std::move(step).value());
  }
  return steps;
}

void RunSteps(benchmark::State& state, const std::vector<std::string>& types,
              bool unicode) {
  const std::vector<std::string> pages = MakePages(200, 5000, unicode);
  auto steps = MakeSteps(types);
  Document doc;
  Counters counters;
  int64_t bytes = 0;
  for (const std::string& p : pages) bytes += static_cast<int64_t>(p.size());
  for (auto _ : state) {
    for (const std::string& p : pages) {
      doc.text.assign(p);
      for (auto& step : steps) step->Process(&doc, &counters);
      benchmark::DoNotOptimize(doc.text.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pages.size()));
}

void BM_CleanChainAscii(benchmark::State& state) {
  RunSteps(state, CleanRecipeSteps(), false);
}
BENCHMARK(BM_CleanChainAscii);

void BM_CleanChainUnicode(benchmark::State& state) {
  RunSteps(state, CleanRecipeSteps(), true);
}
BENCHMARK(BM_CleanChainUnicode);

void BM_CopyOnly(benchmark::State& state) { RunSteps(state, {}, false); }
BENCHMARK(BM_CopyOnly);

void BM_SingleStepAscii(benchmark::State& state) {
  const std::string type = CleanRecipeSteps()[static_cast<size_t>(state.range(0))];
  state.SetLabel(type);
  RunSteps(state, {type}, false);
}
BENCHMARK(BM_SingleStepAscii)->DenseRange(0, 8);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();
