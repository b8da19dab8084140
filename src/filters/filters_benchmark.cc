// Throughput of the FineWeb cascade (gopher_repetition -> gopher_quality ->
// c4_quality(filter_no_terminal_punct=false) -> fineweb_quality), including
// word and sentence tokenization, over the Reuters-21578 texts held in
// memory, on one thread. Reports documents/s (items) and bytes/s.
//
// Needs $WINNOW_SHARED_DIR (default /work/shared) with
// data/news/reuters21578.jsonl.gz.
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "filters/agreement.h"

namespace winnow::filters_agreement {
namespace {

const std::vector<TextDoc>* Corpus() {
  static const std::vector<TextDoc>* docs = [] {
    const char* env = std::getenv("WINNOW_SHARED_DIR");
    std::string dir = env != nullptr ? env : "/work/shared";
    auto loaded = LoadTextDocs(dir + "/data/news/reuters21578.jsonl.gz");
    auto* out = new std::vector<TextDoc>();
    if (loaded.ok()) {
      for (auto& d : loaded.value())
        if (!d.text.empty()) out->push_back(std::move(d));
    }
    return out;
  }();
  return docs;
}

void RunSteps(benchmark::State& state, bool cascade, int single) {
  const std::vector<TextDoc>* docs = Corpus();
  if (docs->empty()) {
    state.SkipWithError("Reuters corpus not found (set WINNOW_SHARED_DIR)");
    return;
  }
  auto set = MakeFilterSet();
  if (!set.ok()) {
    state.SkipWithError(set.status().ToString().c_str());
    return;
  }
  Step* alone[4] = {set->gopher_rep.get(), set->gopher_qual.get(),
                    set->c4.get(), set->fineweb.get()};
  Document doc;
  int64_t items = 0;
  int64_t bytes = 0;
  int64_t kept = 0;
  for (auto _ : state) {
    for (const TextDoc& d : *docs) {
      Verdict v = cascade ? RunCascade(&set.value(), d.text, &doc)
                          : RunAlone(alone[single], d.text, &doc);
      kept += v.keep;
      bytes += static_cast<int64_t>(d.text.size());
    }
    items += static_cast<int64_t>(docs->size());
  }
  benchmark::DoNotOptimize(kept);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(bytes);
}

void BM_FineWebCascade(benchmark::State& state) { RunSteps(state, true, 0); }
void BM_GopherRepetition(benchmark::State& state) { RunSteps(state, false, 0); }
void BM_GopherQuality(benchmark::State& state) { RunSteps(state, false, 1); }
void BM_C4Quality(benchmark::State& state) { RunSteps(state, false, 2); }
void BM_FineWebQuality(benchmark::State& state) { RunSteps(state, false, 3); }

BENCHMARK(BM_FineWebCascade)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GopherRepetition)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GopherQuality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_C4Quality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FineWebQuality)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow::filters_agreement

BENCHMARK_MAIN();
