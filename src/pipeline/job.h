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
  // Test hook: called by RunJobTask with (phase, index) after a segment or
  // finalize task's outputs are in place and before its marker is written,
  // the most delicate moment to die at (reduce tasks rename their output
  // last, which is their marker). Null = none.
  std::function<void(std::string_view, size_t)> before_marker;
};

struct JobSummary {
  TaskStats totals;
  int tasks = 0;
  // Already complete when this run started (for FinishJob: at the latest
  // PrepareJob).
  int tasks_skipped = 0;
  // Segment tasks that the previous segment's task of the same file did
  // (BoilerplateStageConfig::fuse_siteless) in this run.
  int tasks_fused = 0;
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
// NotFound when an argument names nothing. A subdirectory that cannot be
// listed is kept as an input of its own: its task reports it as one
// rejected record (open_failed) and the rest of the job goes on.
Status ExpandInputs(const std::vector<std::string>& args,
                    std::vector<std::string>* files);

// Runs the job. A non-OK status means the job could not start (bad config,
// missing input, unwritable output, OUT holds another job). Failures of
// single tasks are reported in the summary (tasks_failed, errors); their
// outputs are not marked complete, so a rerun retries them.
Result<JobSummary> RunJob(const JobConfig& config, const RunOptions& options);

// ---------------------------------------------------------------------------
// The same job as separate processes (an executor such as Slurm).
//
// A job is a chain of phases, each a set of independent tasks; a phase may
// start when every task of the one before it is complete:
//   segment_0 [reduce_0 finalize_0 segment_1 ... reduce_<K-1> finalize_<K-1>
//   segment_K]
// then `finish` (one task: gather the task statistics, check the
// accounting, write stats.json). RunJob runs them all on a thread pool; an
// executor instead calls PrepareJob once, runs every (phase, index) with
// RunJobTask in any process that sees OUT (a shared filesystem), phase by
// phase, and then FinishJob. Outputs are the same bytes either way.

// Name of the final phase (one task).
inline constexpr char kFinishPhase[] = "finish";

struct PhasePlan {
  std::string key;           // "segment_0", "reduce_0", ..., "finish"
  size_t tasks = 0;
  std::vector<size_t> todo;  // tasks without a completion marker, ascending
};

struct PreparedJob {
  std::string out;                // OUT as given in the config
  std::vector<PhasePlan> phases;  // in run order, `finish` last
};

// Validates the job, creates OUT, checks or writes the fingerprint
// (OUT/.work/job.json), writes the job spec (OUT/.work/spec.json: the
// configuration with its inputs expanded) and removes temporary files left
// by killed tasks, under OUT's lock. REQUIRES: no task of this OUT is
// running. Returns the phases with the tasks still to run.
Result<PreparedJob> PrepareJob(const JobConfig& config);

// Runs task `index` of `phase` of the job prepared in OUT (reading its
// spec) in this process and writes the task's completion marker; returns OK
// at once when the marker already exists. The phases before `phase` must be
// complete. A failure is recorded in OUT/.work/tasks/<phase>-NNNNN.failed
// (for `winnow status`); the wall and CPU time of a success in
// OUT/.work/tasks/<phase>-NNNNN.time. For phase `finish`, runs FinishJob.
Status RunJobTask(const std::string& out, const std::string& phase, size_t index,
                  const RunOptions& options);

// The final step of a job run by RunJobTask: requires every task complete;
// merges the task statistics, checks the accounting, writes stats.json
// (phase times are those of the tasks run since the latest PrepareJob: the
// span of their wall times, the sum of their CPU times; tasks complete at
// that PrepareJob count as skipped, tasks complete without having run as
// fused) and OUT/.work/finish.txt (the outcome for
// whoever waits: "ok", "failed" or "too_many_rejected", the summary line,
// then one error per line).
Result<JobSummary> FinishJob(const std::string& out, const RunOptions& options);

// Per-phase progress of the job in OUT, local or run elsewhere.
struct PhaseProgress {
  std::string key;
  size_t tasks = 0;
  size_t done = 0;     // completion marker present
  size_t failed = 0;   // not done, and its last attempt failed
  size_t retried = 0;  // done after failed attempts
};
struct JobProgress {
  std::vector<PhaseProgress> phases;  // run order, `finish` last
  bool finished = false;              // stats.json written for this job
  // From .work/finish.txt (FinishJob), when present: "ok", "failed" or
  // "too_many_rejected"; the summary line; one error per failed task.
  std::string outcome;
  std::string summary_line;
  std::vector<std::string> errors;
};
Result<JobProgress> GetJobProgress(const std::string& out);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_JOB_H_
