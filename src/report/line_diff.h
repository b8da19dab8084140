// A line diff (longest common subsequence of lines) for showing what the
// cleaning steps changed in one document.
//
// Work is bounded: common leading and trailing lines are matched first and
// the remaining middle is compared with an O(n*m) table only while
// n*m <= max_cells; beyond that the middle is reported as one replaced block
// (correct, just not minimal).
#ifndef WINNOW_REPORT_LINE_DIFF_H_
#define WINNOW_REPORT_LINE_DIFF_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::report {

struct DiffLine {
  enum class Kind { kSame, kRemoved, kAdded };
  Kind kind = Kind::kSame;
  std::string_view text;  // a line without its '\n'; views into the inputs
};

// Diffs `before` against `after` split at '\n'. The result's views stay valid
// while the inputs live.
std::vector<DiffLine> LineDiff(std::string_view before, std::string_view after,
                               size_t max_cells = size_t{4} << 20);

// Unified-diff-like text: "  same", "- removed", "+ added"; runs of more than
// 2*context unchanged lines are folded into "  … N unchanged lines".
// At most `max_lines` lines are printed, then a count of the rest.
std::string FormatDiff(const std::vector<DiffLine>& diff, size_t context = 2,
                       size_t max_lines = 400);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_LINE_DIFF_H_
