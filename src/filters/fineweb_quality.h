// fineweb_quality: datatrove's FineWebQualityFilter (v0.10.0), the extra
// heuristics of the FineWeb dataset.
//
// Lines are text.split("\n") without the lines that are blank after strip().
// In order, the document is removed with reason:
//   empty             no non-blank line
//   line_punct_ratio  lines ending with one of stop_chars / lines
//                     < line_punct_thr (unless the ratio is 0 and
//                     line_punct_exclude_zero)
//   short_line_ratio  lines of at most short_line_length code points / lines
//                     > short_line_thr
//   char_dup_ratio    code points in lines equal to an earlier line
//                     / code points of the text without "\n" > char_duplicates_ratio
//   list_ratio        count("\n") / words > new_line_ratio
// Lines are not stripped for the end and length tests (as in datatrove).
// Words come from the per-thread TokenCache. If a text has no words (only
// possible for texts of control characters), list_ratio uses an infinite
// ratio when it has a newline and 0 otherwise, where datatrove raises.
#ifndef WINNOW_FILTERS_FINEWEB_QUALITY_H_
#define WINNOW_FILTERS_FINEWEB_QUALITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "filters/string_set.h"
#include "winnow/step.h"

namespace winnow {

struct FineWebQualityOptions {
  // Option `line_punct_thr`, default 0.12.
  double line_punct_thr = 0.12;
  // Option `line_punct_exclude_zero`, default false.
  bool line_punct_exclude_zero = false;
  // Option `stop_chars`, default empty = datatrove's TERMINAL_PUNCTUATION
  // (159 sentence-ending code points of many scripts). A list of strings;
  // a line counts when it ends with any of them.
  std::vector<std::string> stop_chars;
  // Option `short_line_thr`, default 0.67.
  double short_line_thr = 0.67;
  // Option `short_line_length`, default 30 (code points).
  int64_t short_line_length = 30;
  // Option `char_duplicates_ratio`, default 0.01.
  double char_duplicates_ratio = 0.01;
  // Option `new_line_ratio`, default 0.3.
  double new_line_ratio = 0.3;
  // Option `write_signals`, default false: append line_punct_ratio,
  // short_line_ratio, char_dup_ratio and list_ratio to doc->signals under
  // "fineweb_quality".
  bool write_signals = false;
};

class FineWebQualityFilter : public Step {
 public:
  explicit FineWebQualityFilter(FineWebQualityOptions options);

  // Reads the options above; InvalidArgument on bad values.
  static Result<std::unique_ptr<Step>> Create(StepOptions& options);

  std::string_view name() const override { return "fineweb_quality"; }
  StepResult Process(Document* doc, Counters* counters) override;

 private:
  bool EndsWithStopChar(std::string_view line) const;

  FineWebQualityOptions options_;
  std::vector<std::string_view> lines_;
  StringSet set_;
};

}  // namespace winnow

#endif  // WINNOW_FILTERS_FINEWEB_QUALITY_H_
