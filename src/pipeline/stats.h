// Run statistics: per task, merged per job, written to OUT/stats.json.
// Counts are exact integers; maps are ordered so the JSON is deterministic
// (only the *_seconds fields vary between runs).
#ifndef WINNOW_PIPELINE_STATS_H_
#define WINNOW_PIPELINE_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/status.h"

namespace winnow {

struct StepStats {
  std::string name;
  std::string type;
  int64_t docs_in = 0;
  int64_t bytes_in = 0;   // text bytes entering the step
  int64_t docs_out = 0;
  int64_t bytes_out = 0;  // text bytes of the documents the step kept
  std::map<std::string, int64_t> removed;   // reason -> documents
  std::map<std::string, int64_t> counters;  // step's own event counters
  double seconds = 0;

  void Merge(const StepStats& o);
};

struct TaskStats {
  int64_t records_read = 0;  // documents + rejected records
  int64_t bytes_read = 0;    // decoded input bytes consumed
  int64_t kept = 0;
  int64_t kept_bytes = 0;    // text bytes kept
  int64_t removed = 0;
  int64_t rejected = 0;
  std::map<std::string, int64_t> rejected_by_reason;
  std::map<std::string, int64_t> reader_counters;
  std::vector<StepStats> steps;  // in pipeline order
  double seconds = 0;

  // REQUIRES: same step list (the same job) when merging.
  void Merge(const TaskStats& o);
  std::string ToJson() const;
  static Result<TaskStats> FromJson(std::string_view json);
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_STATS_H_
