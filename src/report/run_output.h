// Reading a finished job's output directory: stats.json, the job's steps
// (OUT/.work/job.json), the shards under kept/, removed/ and rejected/, and
// the job's input files again (for originals and duplicate kept copies).
//
// Shared by the report and `winnow explain`. Nothing here writes.
#ifndef WINNOW_REPORT_RUN_OUTPUT_H_
#define WINNOW_REPORT_RUN_OUTPUT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/config.h"
#include "pipeline/stats.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow::report {

// What stats.json and .work/job.json say about a run.
struct RunInfo {
  std::string out_dir;
  std::string version;
  std::string recipe;
  std::vector<std::string> inputs;  // as recorded (possibly relative to the run's cwd)
  int threads = 0;
  int tasks = 0;
  int tasks_skipped = 0;
  double wall_seconds = 0;
  bool accounting_ok = false;
  TaskStats totals;
  // Wall and CPU seconds per phase ("segment_0", "reduce_0", ...) in run
  // order, and counters per corpus-wide stage; empty when not recorded.
  std::vector<std::pair<std::string, double>> phase_seconds;
  std::vector<std::pair<std::string, double>> phase_cpu_seconds;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> stages;
  // Raw JSON of a top-level "boilerplate" member of stats.json; empty when
  // the run did not record one.
  std::string boilerplate_json;
  // The job's configured steps with the options given (not the defaults)
  // from .work/job.json; has_job_json is false when that file is absent.
  bool has_job_json = false;
  std::vector<StepSpec> steps;
  std::string compression;
  ReaderOptions reader;
};

// Loads stats.json (required: NotFound when the run did not finish) and
// .work/job.json (optional).
Status LoadRunInfo(const std::string& out_dir, RunInfo* info);

// The shard files of OUT/<sub> ("kept", "removed", "rejected"), sorted.
std::vector<std::string> ListShards(const std::string& out_dir, const std::string& sub);

// Calls `fn` with every line (without '\n') of a possibly compressed JSONL
// file; stops early when fn returns false. The view is valid during the call.
Status ForEachLine(const std::string& path,
                   const std::function<bool(std::string_view)>& fn);

// An input file path as usable from here: as recorded when it exists,
// otherwise relative to the output directory's parent; empty when neither
// exists.
std::string ResolveInput(const RunInfo& info, const std::string& recorded);

// Re-reads the job's inputs in order with the job's reader options. `fn`
// receives each document with its input index and ordinal (the position
// the corpus-wide steps use: file_index << 40 | ordinal) and returns false
// to stop. Inputs that cannot be found are listed in *missing (may be null).
Status ScanInputs(const RunInfo& info,
                  const std::function<bool(uint32_t file_index, uint64_t ordinal,
                                           const Document& doc)>& fn,
                  std::vector<std::string>* missing);

// One per-document step of the job, rebuilt from its recorded options.
struct ReplayStep {
  StepSpec spec;
  bool corpus_wide = false;        // dedup stages: cannot be replayed alone
  std::unique_ptr<Step> step;      // null for corpus-wide steps or on error
  std::string error;               // why the step could not be rebuilt
};

// The job's full step list as the runner builds it (drop_empty, then
// extract_html unless placed by the job, then the configured steps), each
// instantiated. With `force_signals`, filters that take write_signals record
// their signals even if the job did not ask.
std::vector<ReplayStep> BuildReplaySteps(const RunInfo& info, bool force_signals);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_RUN_OUTPUT_H_
