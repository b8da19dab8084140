// Agreement of the filters with datatrove's recorded verdicts
// (/work/shared/data/oracle/reuters21578.datatrove.jsonl.gz): shared by the
// filters_agreement tool, the agreement test and the benchmark.
//
// Reads the files directly (zlib + simdjson); depends on no winnow module
// besides core, tokenize and filters.
#ifndef WINNOW_FILTERS_AGREEMENT_H_
#define WINNOW_FILTERS_AGREEMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow::filters_agreement {

struct TextDoc {
  std::string id;
  std::string text;
};

// Reads "id" and "text" of each line of a (gzip-compressed or plain) JSONL file.
Result<std::vector<TextDoc>> LoadTextDocs(const std::string& path);

// A keep/drop decision; `stage` names the cascade step that dropped.
struct Verdict {
  bool keep = true;
  std::string stage;
  std::string reason;
};

// The four filters with datatrove's defaults, and the FineWeb cascade
// (c4_quality with filter_no_terminal_punct=false). With `write_signals`,
// every step also records its signals (verdicts must not change).
struct FilterSet {
  std::unique_ptr<Step> gopher_rep;
  std::unique_ptr<Step> gopher_qual;
  std::unique_ptr<Step> c4;
  std::unique_ptr<Step> c4_fw;
  std::unique_ptr<Step> fineweb;
};
Result<FilterSet> MakeFilterSet(bool write_signals = false);

// Runs one step on a copy of `text` (empty text: removed as "empty").
Verdict RunAlone(Step* step, const std::string& text, Document* scratch);
// Runs the cascade on `text`; the first removal wins. Stages are named as in
// the oracle: gopher_rep, gopher_qual, c4_fw, fineweb; "" for "empty".
Verdict RunCascade(FilterSet* set, const std::string& text, Document* scratch);

struct Row {
  std::string name;
  int64_t total = 0;
  int64_t agree = 0;
  int64_t both_keep = 0;
  int64_t both_drop_same = 0;   // same reason (and stage, for the cascade)
  int64_t both_drop_other = 0;  // both drop, different reason
  int64_t winnow_keep_dt_drop = 0;
  int64_t winnow_drop_dt_keep = 0;
  int64_t empty = 0;  // empty documents, counted as agreeing
  std::vector<std::string> examples;  // "id: winnow=... datatrove=..."
  double agreement() const {
    return total == 0 ? 0.0 : static_cast<double>(agree) / total;
  }
};

struct Report {
  int64_t documents = 0;
  std::vector<Row> rows;  // gopher_repetition, gopher_quality, c4_quality,
                          // fineweb_quality, cascade
};

// Compares winnow with the oracle over all documents of `news_path`.
Result<Report> Compare(const std::string& news_path,
                       const std::string& oracle_path, size_t max_examples,
                       bool write_signals = false);

// Markdown table plus the example lists.
std::string FormatReport(const Report& report);

}  // namespace winnow::filters_agreement

#endif  // WINNOW_FILTERS_AGREEMENT_H_
