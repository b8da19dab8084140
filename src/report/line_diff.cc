#include "report/line_diff.h"

#include <algorithm>
#include <cstdint>

namespace winnow::report {
namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < s.size()) lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

std::vector<DiffLine> LineDiff(std::string_view before, std::string_view after,
                               size_t max_cells) {
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  std::vector<DiffLine> out;
  for (size_t i = 0; i < pre; ++i) out.push_back({DiffLine::Kind::kSame, a[i]});
  size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n > 0 && m > 0 && n * m <= max_cells) {
    // lcs[i][j] = LCS length of a[pre+i..] and b[pre+j..].
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1
                                            : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (a[pre + i] == b[pre + j]) {
        out.push_back({DiffLine::Kind::kSame, a[pre + i]});
        ++i;
        ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        out.push_back({DiffLine::Kind::kRemoved, a[pre + i++]});
      } else {
        out.push_back({DiffLine::Kind::kAdded, b[pre + j++]});
      }
    }
    while (i < n) out.push_back({DiffLine::Kind::kRemoved, a[pre + i++]});
    while (j < m) out.push_back({DiffLine::Kind::kAdded, b[pre + j++]});
  } else {
    for (size_t i = 0; i < n; ++i) out.push_back({DiffLine::Kind::kRemoved, a[pre + i]});
    for (size_t j = 0; j < m; ++j) out.push_back({DiffLine::Kind::kAdded, b[pre + j]});
  }
  for (size_t i = a.size() - suf; i < a.size(); ++i)
    out.push_back({DiffLine::Kind::kSame, a[i]});
  return out;
}

std::string FormatDiff(const std::vector<DiffLine>& diff, size_t context, size_t max_lines) {
  std::string out;
  size_t printed = 0, i = 0;
  while (i < diff.size()) {
    if (printed >= max_lines) {
      out += "  \xE2\x80\xA6 " + std::to_string(diff.size() - i) + " more lines\n";
      break;
    }
    if (diff[i].kind == DiffLine::Kind::kSame) {
      size_t j = i;
      while (j < diff.size() && diff[j].kind == DiffLine::Kind::kSame) ++j;
      size_t run = j - i;
      bool at_start = i == 0, at_end = j == diff.size();
      size_t keep_head = at_start ? 0 : context, keep_tail = at_end ? 0 : context;
      if (run > keep_head + keep_tail + 1) {
        for (size_t k = i; k < i + keep_head; ++k, ++printed)
          out += "  " + std::string(diff[k].text) + "\n";
        out += "  \xE2\x80\xA6 " + std::to_string(run - keep_head - keep_tail) +
               " unchanged lines\n";
        ++printed;
        for (size_t k = j - keep_tail; k < j; ++k, ++printed)
          out += "  " + std::string(diff[k].text) + "\n";
      } else {
        for (size_t k = i; k < j; ++k, ++printed) out += "  " + std::string(diff[k].text) + "\n";
      }
      i = j;
      continue;
    }
    out += (diff[i].kind == DiffLine::Kind::kRemoved ? "- " : "+ ") + std::string(diff[i].text) +
           "\n";
    ++printed;
    ++i;
  }
  return out;
}

}  // namespace winnow::report
