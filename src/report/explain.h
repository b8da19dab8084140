// `winnow explain OUT ID`: what happened to one document in a finished run.
//
// Finds the document in OUT/kept and OUT/removed, prints where it is, the
// step and reason that removed it with the deciding values, its recorded
// signals and annotations, the kept copy when it was a duplicate, and then
// replays the job's per-document steps on the original record (re-read from
// the job's inputs) to show each step's effect, ending with a line diff of
// input text vs output text.
#ifndef WINNOW_REPORT_EXPLAIN_H_
#define WINNOW_REPORT_EXPLAIN_H_

#include <cstddef>
#include <string>

#include "winnow/status.h"

namespace winnow::report {

struct ExplainOptions {
  // Re-read the inputs for the original text, the steps' replay and the
  // diff. Off: only what the output shards say.
  bool use_inputs = true;
  // Lines of diff printed at most.
  size_t max_diff_lines = 200;
};

// Appends the explanation to *text. NotFound when no output shard and no
// input holds a document with this id; other errors as LoadRunInfo.
Status ExplainDocument(const std::string& out_dir, const std::string& id,
                       const ExplainOptions& options, std::string* text);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_EXPLAIN_H_
