// LineWriter: rebuilds a text line by line for the steps that delete or
// shorten lines, keeping the paragraph layout tidy: no empty lines at the
// start or end, and a run of empty lines (e.g. the blank lines that were
// around a removed line) collapses to one.
//
// Not thread-safe; the writer borrows `out` for its lifetime.
#ifndef WINNOW_TEXT_LINE_WRITER_H_
#define WINNOW_TEXT_LINE_WRITER_H_

#include <string>
#include <string_view>

namespace winnow::text {

class LineWriter {
 public:
  // Clears `*out`. REQUIRES: out outlives the writer.
  explicit LineWriter(std::string* out) : out_(out) { out_->clear(); }

  // Appends one line (without its '\n'). Empty lines are held back and
  // written, collapsed to one, only before the next non-empty line.
  void Append(std::string_view line) {
    if (line.empty()) {
      if (lines_ > 0) pending_blank_ = true;
      return;
    }
    if (lines_ > 0) out_->append(pending_blank_ ? "\n\n" : "\n");
    out_->append(line);
    pending_blank_ = false;
    ++lines_;
  }

 private:
  std::string* out_;
  size_t lines_ = 0;
  bool pending_blank_ = false;
};

// Calls fn(line) for each line of `text` split on '\n' (a final line without
// '\n' included; an empty text has no lines).
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    fn(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (!text.empty() && text.back() == '\n') fn(std::string_view());
}

}  // namespace winnow::text

#endif  // WINNOW_TEXT_LINE_WRITER_H_
