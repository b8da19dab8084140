// Running a job: inputs -> per-document steps -> kept/removed/rejected shards
// and stats.json, resumable and deterministic.
//
// Plan: the job's input files (arguments in order; directories and globs
// expanded and sorted) are numbered; each file is one task of the `process`
// phase. A task streams its file through the steps and writes
//   OUT/kept/NNNNN.jsonl.zst, OUT/removed/NNNNN.jsonl.zst,
//   OUT/rejected/NNNNN.jsonl.zst
// atomically (temp name, fsync, rename), then its completion marker
// OUT/.work/process/NNNNN.done, which holds the task's stats. A rerun skips
// tasks whose marker exists. A task's output depends only on its input file
// and the job's configuration, so outputs do not depend on -j, on the order
// tasks finish, or on interruptions.
#ifndef WINNOW_PIPELINE_JOB_H_
#define WINNOW_PIPELINE_JOB_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/config.h"
#include "pipeline/stats.h"
#include "winnow/status.h"

namespace winnow {

struct RunOptions {
  // Receives progress and summary lines (without trailing newline). May be
  // called from worker threads, serialized by the runner. Null = silent.
  std::function<void(std::string_view)> log;
};

struct JobSummary {
  TaskStats totals;
  int tasks = 0;
  int tasks_skipped = 0;  // already complete from an earlier run
  int tasks_failed = 0;
  double wall_seconds = 0;
  bool accounting_ok = false;
  bool too_many_rejected = false;
  std::vector<std::string> errors;  // one per failed task
  std::string summary_line;
};

// Expands files, directories (recursively, sorted) and glob patterns.
// NotFound when an argument names nothing.
Status ExpandInputs(const std::vector<std::string>& args,
                    std::vector<std::string>* files);

// Runs the job. A non-OK status means the job could not start (bad config,
// missing input, unwritable output, OUT holds another job). Failures of
// single tasks are reported in the summary (tasks_failed, errors); their
// outputs are not marked complete, so a rerun retries them.
Result<JobSummary> RunJob(const JobConfig& config, const RunOptions& options);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_JOB_H_
