// Job configuration: which inputs, which steps with which options, where the
// output goes and how it is written. Built from the command line (a named
// recipe) or from a YAML file; validated before any work starts.
#ifndef WINNOW_PIPELINE_CONFIG_H_
#define WINNOW_PIPELINE_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "formats/record_reader.h"
#include "io/input_stream.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow {

struct StepSpec {
  std::string type;  // registry name, e.g. "gopher_quality"
  std::string name;  // unique within the job; defaults to type
  std::map<std::string, std::string> options;
};

// Per-document and per-worker limits the step runner enforces
// (docs/RELIABILITY.md "Limits"; YAML `limits:`, docs/CONFIG.md). Both
// change which documents are kept, so both are in the job fingerprint.
struct JobLimits {
  // Work budget of one document between corpus-wide steps, in units of
  // about one byte of text handled (WorkMeter in winnow/document.h). A
  // document over it is removed with reason "work_limit". Default 1 GiB of
  // units: the fineweb recipe charges a maximal (32 MiB) record about
  // 0.22 GiB (measured) and ~0.5 GiB at worst, so the default never removes
  // a document the size limits let in through a built-in recipe.
  uint64_t max_document_work = uint64_t{1} << 30;
  // Memory budget of one worker thread, in MiB. At start-up its fixed needs
  // (reader buffer of reader.max_record_bytes, the largest map_memory_mb,
  // a fixed overhead) must fit, or the job fails before any work; per
  // record, one whose estimated peak (PlanWorkerMemory, limits.h) exceeds it
  // is rejected or removed with reason "memory_limit". Default 2048.
  uint64_t max_worker_memory_mb = 2048;
};

struct JobConfig {
  std::vector<std::string> inputs;  // files, directories or glob patterns
  std::string output_dir;
  std::string recipe;               // name, or "custom" for a YAML step list
  std::vector<StepSpec> steps;
  // Output shard compression. Default zstd level 1: about twice as fast as
  // level 3 on this project's text (~100 vs ~35-75 MB/s) for shards ~14%
  // larger, and still ~3.2x smaller than the text; output compression was
  // the largest single cost of writing a corpus (docs/BENCHMARKS.md). gzip
  // and none for tools that need them; the level applies to either.
  Compression compression = Compression::kZstd;
  int compression_level = 1;
  ReaderOptions reader;
  JobLimits limits;
  // Worker threads; 0 = all cores.
  int threads = 0;
  // The run fails (exit status 3) when rejected/read exceeds this fraction.
  // Default 1.0: rejections never fail a run, they are reported.
  double max_rejected_fraction = 1.0;
};

// Names of the built-in recipes, in the order `winnow recipes` lists them.
std::vector<std::string> RecipeNames();

// Fills `steps` with the steps of the named recipe.
Status RecipeSteps(const std::string& recipe, std::vector<StepSpec>* steps);

// Loads a YAML job file:
//   recipe: fineweb            # a base recipe, or
//   steps:                     # an explicit list; each item is a type name
//     - fix_utf8               # or a map with `type`, optional `name` and
//     - type: gopher_quality   # the step's options as further keys
//       min_doc_words: 80
//     - recipe: fineweb        # or a whole recipe inlined
//   options:                   # per-step overrides on top of a recipe
//     gopher_quality: {min_doc_words: 80}
//   output: {compression: zstd, level: 1}
//   reader: {max_record_bytes: 33554432}
//   limits: {max_document_work: 1073741824, max_worker_memory_mb: 2048}
//   max_rejected: 0.01
// Fields not set keep the values already in *config.
Status LoadYamlConfig(const std::string& path, JobConfig* config);

// The compression named "zstd", "gzip" or "none" (CompressionName's
// inverse); false for any other name.
bool ParseCompressionName(std::string_view name, Compression* compression);

// `items` as a JSON array of strings.
std::string JsonStringArray(const std::vector<std::string>& items);

// The steps as a JSON array of {"type", "name", "options"} objects, in
// order; options as strings, sorted by key.
std::string StepSpecsJson(const std::vector<StepSpec>& specs);

// The build of winnow running this code: XXH3-64 (hex) of the GNU build ID
// of the executable or shared object that holds it (the linker's hash of the
// whole linked file, read from memory), or when it has none of the bytes of
// that file (found with dladdr), or "unknown" if that file cannot be read.
// Computed once per process.
const std::string& WinnowBuildId();

// A canonical JSON object of everything that determines the job's output
// bytes: "inputs" (the expanded files), "steps" (StepSpecsJson),
// "compression", "level", the reader options (flat, WARC ones under
// "warc"), the limits (flat), and "build" (WinnowBuildId: step options
// are stored as written, so their defaults, and any behaviour, belong to
// the build; resuming an OUT directory with another build would mix two
// builds' outputs); not threads. Stored in OUT/.work/job.json so a rerun into the
// same OUT with another job is refused, and embedded in the job spec
// (OUT/.work/spec.json, job.cc), which parses it back.
std::string JobFingerprint(const JobConfig& config,
                           const std::vector<std::string>& input_files);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_CONFIG_H_
