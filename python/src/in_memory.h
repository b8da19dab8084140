// In-memory faces of the pipeline for the Python module: documents that are
// already in memory go through a job's per-document steps exactly as a
// segment task of `winnow run` sends them (pipeline/job.cc), and one text
// gets the quality filters' signals and verdicts.
//
// This is a thin adapter over pipeline/steps.h and the filters; it holds no
// pybind11 code, so it is the part a C++ caller could use too. (It belongs in
// src/pipeline as the function the job's segment loop also calls; see
// docs/PYTHON.md.)
//
// Thread safety: an instance is used by one thread at a time (its steps keep
// scratch buffers). Separate instances may run concurrently.
#ifndef WINNOW_PYTHON_IN_MEMORY_H_
#define WINNOW_PYTHON_IN_MEMORY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/config.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow::python {

// A job's per-document steps, preceded (as in every job) by drop_empty and,
// unless the list places it, extract_html (which passes text documents
// through).
class DocumentProcessor {
 public:
  // InvalidArgument for an unknown step type, a duplicate name, a bad option,
  // or a corpus-wide step (exact_dedup, url_dedup, minhash_dedup), which
  // needs the whole corpus and runs only in a job over files; also when
  // limits.max_worker_memory_mb is below the fixed 16 MiB of a worker.
  static Result<std::unique_ptr<DocumentProcessor>> Create(
      const std::vector<StepSpec>& specs, const JobLimits& limits = JobLimits());

  // Runs `doc` through the steps until one removes it, under the limits as a
  // job's segment task applies them (pipeline/steps.h RunStep with limits;
  // there is no reader, so no reader buffer is set aside). Returns true when
  // the document is kept; otherwise doc->removed_by, reason and details are
  // set as the job sets them (a step that leaves the text blank removes it
  // with reason "empty"; one over the work budget or the memory budget with
  // "work_limit" or "memory_limit").
  bool Process(Document* doc);

  // Event counters per step, summed over every Process() call, in step order.
  const std::vector<std::pair<std::string, Counters>>& counters() const {
    return counters_;
  }

 private:
  DocumentProcessor() = default;

  std::vector<StepSpec> specs_;
  JobLimits limits_;
  std::vector<uint64_t> max_text_bytes_;  // per step, from the memory plan
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<std::pair<std::string, Counters>> counters_;
};

// What one quality filter computed for one text.
struct FilterVerdict {
  std::string step;     // gopher_repetition, gopher_quality, c4_quality, fineweb_quality
  bool keep = true;
  std::string reason;   // when !keep
  std::string details;  // when !keep: JSON object, possibly empty
  std::string signals;  // JSON object of the signal values ("{}" if none)
};

// The four quality filters of recipe `fineweb`, each run on its own copy of
// a text with write_signals: true (so every signal is computed even after a
// failing rule). Unlike the recipe, the filters are not chained: each sees
// the original text, and c4_quality uses its own defaults (the recipe sets
// filter_no_terminal_punct: false).
class QualitySignaler {
 public:
  // `overrides`: options per filter type, e.g. {"c4_quality":
  // {"filter_no_terminal_punct": "false"}}. InvalidArgument for a key that is
  // not one of the four filters or for a bad option.
  static Result<std::unique_ptr<QualitySignaler>> Create(
      const std::map<std::string, std::map<std::string, std::string>>& overrides);

  // One verdict per filter, in the order above.
  std::vector<FilterVerdict> Compute(const std::string& text);

 private:
  QualitySignaler() = default;

  std::vector<std::unique_ptr<Step>> steps_;
  Document doc_;
  Counters counters_;
};

}  // namespace winnow::python

#endif  // WINNOW_PYTHON_IN_MEMORY_H_
