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

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/config.h"
#include "pipeline/stats.h"
#include "winnow/status.h"

namespace winnow {

class ProgressReporter;  // pipeline/progress.h

struct RunOptions {
  // Receives progress and summary lines (without trailing newline). May be
  // called from worker threads, serialized by the runner. Null = silent.
  // Not used when `progress` is set.
  std::function<void(std::string_view)> log;
  // When set (not owned; must outlive the run): each phase is a progress
  // phase (BeginPhase/EndPhase around its tasks), every document read is
  // counted (Add), and the log lines go to progress->Log.
  ProgressReporter* progress = nullptr;
};

struct JobSummary {
  TaskStats totals;
  int tasks = 0;
  int tasks_skipped = 0;  // already complete from an earlier run
  int tasks_failed = 0;
  double wall_seconds = 0;
  // Wall time of each phase in run order: "segment_<k>" (reading, the
  // per-document steps and stage k's map side), "reduce_<k>",
  // "finalize_<k>". Written to stats.json under "phases".
  std::vector<std::pair<std::string, double>> phase_seconds;
  // User + system CPU seconds of the process during each phase (all
  // threads), same keys; stats.json "phases_cpu". Steadier than wall time
  // on a shared machine.
  std::vector<std::pair<std::string, double>> phase_cpu_seconds;
  // Per corpus-wide step name: candidate_pairs, verified_pairs (with
  // verify_jaccard), clusters, clustered_docs. stats.json "stages".
  std::map<std::string, std::map<std::string, int64_t>> stage_counters;
  // stats.json "boilerplate" (a JSON object, see MergeBoilerplateReport in
  // pipeline/boilerplate_stage.h): the top sites of the job's first
  // boilerplate step by lines removed, with their top removed lines. Empty
  // without such a step.
  std::string boilerplate_json;
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
