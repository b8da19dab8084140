// Throughput of a recipe's per-document steps on one thread, over the
// Reuters-21578 stories held in memory: every record of the file (empty ones
// included, as `winnow run` reads them) goes through the steps the job runs
// (WithImplicitSteps), as SegmentWork does. Reading, JSON, compression and
// files are left out: `bench/run_benchmarks.sh` measures the whole run.
//
// BM_RecipeSteps/fineweb: the `fineweb` recipe. Corpus-wide steps are left
// out: its site boilerplate stage leaves documents without a URL (all of
// Reuters) untouched; its cost on such input is the map-side bookkeeping,
// measured end to end.
//
// Needs $WINNOW_SHARED_DIR (default /work/shared) with
// data/news/reuters21578.jsonl.gz.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "formats/record_reader.h"
#include "pipeline/config.h"
#include "pipeline/corpus_stage.h"
#include "pipeline/steps.h"

namespace winnow {
namespace {

const std::vector<Document>* Corpus() {
  static const std::vector<Document>* docs = [] {
    const char* env = std::getenv("WINNOW_SHARED_DIR");
    const std::string dir = env != nullptr ? env : "/work/shared";
    auto* out = new std::vector<Document>();
    auto reader =
        OpenRecordReader(dir + "/data/news/reuters21578.jsonl.gz", 0, ReaderOptions{});
    if (!reader.ok()) return out;
    Document doc;
    Rejection rej;
    for (;;) {
      const RecordReader::Next next = reader.value()->Read(&doc, &rej);
      if (next == RecordReader::Next::kEnd) break;
      if (next == RecordReader::Next::kDocument) out->push_back(doc);
    }
    return out;
  }();
  return docs;
}

void BM_RecipeSteps(benchmark::State& state, const std::string& recipe) {
  const std::vector<Document>* docs = Corpus();
  if (docs->empty()) {
    state.SkipWithError("Reuters corpus not found (set WINNOW_SHARED_DIR)");
    return;
  }
  std::vector<StepSpec> specs;
  if (Status st = RecipeSteps(recipe, &specs); !st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return;
  }
  std::vector<StepSpec> per_doc;
  for (const StepSpec& s : WithImplicitSteps(specs))
    if (!IsCorpusStepType(s.type)) per_doc.push_back(s);
  auto steps = MakeSteps(per_doc);
  if (!steps.ok()) {
    state.SkipWithError(steps.status().ToString().c_str());
    return;
  }
  std::vector<Counters> counters(per_doc.size());
  Document doc;
  int64_t items = 0, bytes = 0, kept = 0;
  for (auto _ : state) {
    for (const Document& d : *docs) {
      doc = d;
      bool keep = true;
      for (size_t s = 0; keep && s < steps->size(); ++s)
        keep = RunStep((*steps)[s].get(), s == 0, &doc, &counters[s]).keep;
      kept += keep;
      bytes += static_cast<int64_t>(d.text.size());
    }
    items += static_cast<int64_t>(docs->size());
  }
  state.counters["kept_per_pass"] =
      benchmark::Counter(static_cast<double>(kept) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(bytes);
}

BENCHMARK_CAPTURE(BM_RecipeSteps, fineweb, std::string("fineweb"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RecipeSteps, gopher, std::string("gopher"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RecipeSteps, c4, std::string("c4"))->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();
