#include "pipeline/limits.h"

#include <string>

#include "pipeline/corpus_stage.h"

namespace winnow {
namespace {

std::string Mib(uint64_t bytes) {
  return std::to_string((bytes + (uint64_t{1} << 20) - 1) >> 20) + " MiB";
}

}  // namespace

uint64_t StepMemoryFactor(std::string_view type) {
  // Peak RSS over the step-free run, per byte of a 31 MiB text, rounded up:
  // the larger of non-repeating sentences and random one-letter words (the
  // most words per byte; docs/RELIABILITY.md "Limits").
  struct Factor {
    std::string_view type;
    uint64_t factor;
  };
  static constexpr Factor kFactors[] = {
      {"gopher_repetition", 40},  // 38.6 on one-letter words (15 on sentences)
      {"gopher_quality", 8},      // 7.5 on one-letter words (3.7 on sentences)
      {"c4_quality", 3},          // 2.3
      {"fineweb_quality", 2},     // 1.2
      {"split_glued_sentences", 2},  // 1.4
      {"language_id", 1},         // reads at most max_bytes (64 KiB): 0.2
      {"language_filter", 1},
  };
  for (const Factor& f : kFactors)
    if (f.type == type) return f.factor;
  // Every other step, measured at 0 to 1.1 (fix_leaked_markup), and
  // extract_html: a 14.3 MiB page from a WARC peaks at 5.9x the page for the
  // whole run, reader included, under the 5 + 2 estimated.
  return 2;
}

Result<WorkerMemoryPlan> PlanWorkerMemory(const JobLimits& limits, uint64_t max_record_bytes,
                                          uint64_t map_memory_bytes,
                                          const std::vector<StepSpec>& specs) {
  WorkerMemoryPlan plan;
  plan.budget_bytes = limits.max_worker_memory_mb << 20;
  const uint64_t base = kWorkerOverheadBytes + map_memory_bytes;
  plan.fixed_bytes = base + max_record_bytes;
  if (plan.fixed_bytes > plan.budget_bytes) {
    return Status::InvalidArgument(
        "limits.max_worker_memory_mb (" + std::to_string(limits.max_worker_memory_mb) +
        ") is below what every worker needs before any record: " + Mib(plan.fixed_bytes) +
        " = reader buffer " + Mib(max_record_bytes) + " (reader.max_record_bytes) + map " +
        Mib(map_memory_bytes) + " (largest map_memory_mb) + overhead " +
        Mib(kWorkerOverheadBytes) + "; raise it or lower those");
  }
  const uint64_t room = plan.budget_bytes - base;
  plan.max_parse_bytes = room / kRecordMemoryFactor;
  for (const StepSpec& spec : specs) {
    plan.max_text_bytes.push_back(
        IsCorpusStepType(spec.type) ? UINT64_MAX
                                    : room / (kRecordMemoryFactor + StepMemoryFactor(spec.type)));
  }
  return plan;
}

}  // namespace winnow
