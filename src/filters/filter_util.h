// Helpers shared by the quality filters: removal details and option parsing.
#ifndef WINNOW_FILTERS_FILTER_UTIL_H_
#define WINNOW_FILTERS_FILTER_UTIL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow::filters_internal {

// StepResult::Remove(reason) with details {"value": value, "threshold": threshold}.
StepResult RemoveWith(std::string_view reason, double value, double threshold);

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
