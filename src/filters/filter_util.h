// Helpers shared by the quality filters: removal details and option parsing.
#ifndef WINNOW_FILTERS_FILTER_UTIL_H_
#define WINNOW_FILTERS_FILTER_UTIL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_writer.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow::filters_internal {

// StepResult::Remove(reason) with details {"value": value, "threshold": threshold}.
StepResult RemoveWith(std::string_view reason, double value, double threshold);

// The verdict of one document's rules and, when requested, the values they
// computed. The first failing rule decides the removal; with signals on,
// every rule still runs so all values are recorded.
class RuleVerdict {
 public:
  explicit RuleVerdict(bool record_signals) : record_(record_signals) {}

  bool recording() const { return record_; }
  JsonObjectBuilder& signals() { return signals_; }

  // Records `value` under `reason` (when recording and `record_value`) and
  // the first failure. Returns true when processing can stop: a rule failed
  // and no signals are being recorded.
  bool Check(std::string_view reason, double value, double threshold, bool failed,
             bool record_value = true) {
    if (record_ && record_value) signals_.Add(reason, value);
    if (failed && result_.keep) {
      result_ = RemoveWith(reason, value, threshold);
      return !record_;
    }
    return false;
  }

  // Appends the signals to `doc` (when recording) and returns the verdict.
  // Call once.
  StepResult Finish(Document* doc, std::string_view step_name) {
    if (record_) doc->signals.push_back({std::string(step_name), signals_.Finish()});
    return std::move(result_);
  }

 private:
  bool record_;
  JsonObjectBuilder signals_;
  StepResult result_ = StepResult::Keep();
};

// a / b as Python computes it, except that b == 0 yields `if_zero` instead of
// raising ZeroDivisionError.
inline double Ratio(double a, double b, double if_zero = 0.0) {
  return b == 0 ? if_zero : a / b;
}

// Parses "n:frac" pairs given as list elements and/or comma-separated, e.g.
// "2:0.2,3:0.18". An empty string gives an empty list.
Result<std::vector<std::pair<int, double>>> ParseNgramThresholds(
    std::string_view key, const std::vector<std::string>& items);

// Formats pairs back to the option syntax ("2:0.2,3:0.18").
std::string FormatNgramThresholds(const std::vector<std::pair<int, double>>& v);

}  // namespace winnow::filters_internal

#endif  // WINNOW_FILTERS_FILTER_UTIL_H_
