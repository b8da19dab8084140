// The per-worker memory model behind limits.max_worker_memory_mb
// (docs/RELIABILITY.md "Limits" has the measurements behind each factor).
//
// A worker's estimated peak while a step handles a document of T bytes of
// text is
//   kWorkerOverheadBytes + map memory + (kRecordMemoryFactor + f) * T
// where f is StepMemoryFactor(step type); a JSONL record of L bytes is
// estimated at kWorkerOverheadBytes + map memory + kRecordMemoryFactor * L
// while it is parsed. Estimates depend only on sizes and the job's options,
// so which documents a budget removes is the same on every run, -j and
// machine.
#ifndef WINNOW_PIPELINE_LIMITS_H_
#define WINNOW_PIPELINE_LIMITS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/config.h"
#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

// What a worker holds besides its records: stack, the output blocks
// (kept/removed/rejected, 1 MiB each before compression), compressor
// contexts, step scratch for small documents, and a fused segment's second
// set of output shards (BoilerplateStageConfig::fuse_siteless). A one-worker
// run on a one-line input peaks at 10.7 MiB for the whole process, 12.8 MiB
// with --recipe fineweb (fused).
inline constexpr uint64_t kWorkerOverheadBytes = uint64_t{16} << 20;

// Peak bytes per byte of a record on its way through a worker with no step
// that keeps scratch: the reader's buffer, the JSON parser's working copy,
// Document::text, the serialized output. Measured 5.0 (a 31 MiB text in a
// 32 MiB JSONL line: 164.6 MiB peak over a 10.4 MiB baseline).
inline constexpr uint64_t kRecordMemoryFactor = 5;

// Extra peak bytes per byte of text that a step of type `type` adds while it
// handles a document (its scratch only grows, so this is also what it keeps).
// Measured for the steps that keep more than a fraction of the text; 2 for
// any other type.
uint64_t StepMemoryFactor(std::string_view type);

// The work meter a document starts each segment with: nothing used, the
// job's limits.max_document_work as budget. Work is metered per segment (a
// spilled document does not carry its meter; a re-read one restarts it), so
// every handoff gives the same decisions; both the segment task and the
// re-read replay start documents with this.
inline WorkMeter SegmentWorkMeter(const JobLimits& limits) {
  return WorkMeter{0, limits.max_document_work};
}

struct WorkerMemoryPlan {
  uint64_t budget_bytes = 0;
  // Reader buffer (reader.max_record_bytes) + the largest map_memory_mb of
  // the job's corpus-wide steps + kWorkerOverheadBytes.
  uint64_t fixed_bytes = 0;
  // Largest JSONL record parsed (ReaderOptions::max_parse_bytes).
  uint64_t max_parse_bytes = 0;
  // Per spec: the largest text the step may receive (UINT64_MAX for
  // corpus-wide steps, which the runner does not call per document).
  std::vector<uint64_t> max_text_bytes;
};

// The budget of `limits` applied to a job whose reader holds records of up
// to `max_record_bytes`, whose corpus-wide steps sort in `map_memory_bytes`
// (the largest; 0 without any) and whose steps are `specs`. InvalidArgument
// naming each fixed need when they do not fit the budget.
Result<WorkerMemoryPlan> PlanWorkerMemory(const JobLimits& limits, uint64_t max_record_bytes,
                                          uint64_t map_memory_bytes,
                                          const std::vector<StepSpec>& specs);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_LIMITS_H_
