#include "filters/fineweb_quality.h"

#include <algorithm>
#include <limits>

#include "core/json_writer.h"
#include "filters/filter_util.h"
#include "filters/py_text.h"
#include "filters/token_cache.h"

namespace winnow {

FineWebQualityFilter::FineWebQualityFilter(FineWebQualityOptions options)
    : options_(std::move(options)) {}

Result<std::unique_ptr<Step>> FineWebQualityFilter::Create(
    StepOptions& options) {
  FineWebQualityOptions o;
  o.line_punct_thr = options.GetDouble("line_punct_thr", o.line_punct_thr);
  o.line_punct_exclude_zero =
      options.GetBool("line_punct_exclude_zero", o.line_punct_exclude_zero);
  o.stop_chars = options.GetList("stop_chars", o.stop_chars);
  o.short_line_thr = options.GetDouble("short_line_thr", o.short_line_thr);
  o.short_line_length =
      options.GetInt("short_line_length", o.short_line_length);
  o.char_duplicates_ratio =
      options.GetDouble("char_duplicates_ratio", o.char_duplicates_ratio);
  o.new_line_ratio = options.GetDouble("new_line_ratio", o.new_line_ratio);
  o.write_signals = options.GetBool("write_signals", o.write_signals);
  WINNOW_RETURN_IF_ERROR(options.status());
  for (const std::string& s : o.stop_chars) {
    if (s.empty())
      return Status::InvalidArgument("option 'stop_chars': empty element");
  }
  return std::unique_ptr<Step>(new FineWebQualityFilter(std::move(o)));
}

bool FineWebQualityFilter::EndsWithStopChar(std::string_view line) const {
  if (line.empty()) return false;
  if (options_.stop_chars.empty()) {
    const unsigned char last = static_cast<unsigned char>(line.back());
    if (last < 0x80) return last == '.' || last == '!' || last == '?';
    size_t end = line.size();
    return pytext::IsTerminalPunctuation(pytext::DecodePrev(line, &end));
  }
  for (const std::string& s : options_.stop_chars) {
    if (line.size() >= s.size() && line.substr(line.size() - s.size()) == s)
      return true;
  }
  return false;
}

StepResult FineWebQualityFilter::Process(Document* doc, Counters* counters) {
  const auto& o = options_;
  const std::string_view text = doc->text;
  lines_.clear();
  size_t newlines = 0;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(
        start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!pytext::Strip(line).empty()) lines_.push_back(line);
    if (nl == std::string_view::npos) break;
    ++newlines;
    start = nl + 1;
  }
  if (lines_.empty()) return StepResult::Remove("empty");

  filters_internal::RuleVerdict verdict(o.write_signals);
  const bool signals = verdict.recording();
  // Records rule `reason`; returns true when processing can stop.
  auto rule = [&](std::string_view reason, double value, double threshold,
                  bool failed) {
    return verdict.Check(reason, value, threshold, failed);
  };
  auto finish = [&]() { return verdict.Finish(doc, name()); };

  const double n_lines = static_cast<double>(lines_.size());
  // In ASCII text code points are bytes.
  const bool ascii = pytext::IsAscii(text);
  size_t punct = 0;
  size_t short_lines = 0;
  for (std::string_view line : lines_) {
    punct += EndsWithStopChar(line);
    // A line of at most max bytes has at most max code points.
    const int64_t max_len = o.short_line_length;
    short_lines += max_len >= 0 &&
                   (line.size() <= static_cast<size_t>(max_len) ||
                    (!ascii &&
                     static_cast<int64_t>(pytext::Length(line)) <= max_len));
  }
  double v = static_cast<double>(punct) / n_lines;
  if (rule("line_punct_ratio", v, o.line_punct_thr,
           v < o.line_punct_thr && !(v == 0 && o.line_punct_exclude_zero)))
    return finish();
  v = static_cast<double>(short_lines) / n_lines;
  if (rule("short_line_ratio", v, o.short_line_thr, v > o.short_line_thr))
    return finish();

  const DuplicateCounts dups = FindDuplicates(lines_, &set_);
  const double chars_without_newlines =
      static_cast<double>((ascii ? text.size() : pytext::Length(text)) -
                          newlines);
  v = filters_internal::Ratio(static_cast<double>(dups.chars),
                              chars_without_newlines);
  if (rule("char_dup_ratio", v, o.char_duplicates_ratio,
           v > o.char_duplicates_ratio))
    return finish();

  if (newlines == 0) {
    rule("list_ratio", 0.0, o.new_line_ratio, 0.0 > o.new_line_ratio);
    return finish();
  }
  if (!signals) {
    // Every whitespace-separated chunk of the text yields at least one word
    // (NLTK only inserts spaces and never deletes other characters), so
    // chunks bound the word count from below. When even that bound passes,
    // the exact count cannot fail and tokenizing (typically a text that
    // c4_quality just rewrote) is skipped.
    // Counting stops at the smallest number of chunks that passes.
    const auto passes = [&](size_t chunks) {
      return chunks > 0 && static_cast<double>(newlines) /
                                   static_cast<double>(chunks) <=
                               o.new_line_ratio;
    };
    if (o.new_line_ratio > 0 && passes(text.size())) {
      const double estimate = static_cast<double>(newlines) / o.new_line_ratio;
      size_t need = estimate >= static_cast<double>(text.size())
                        ? text.size()
                        : static_cast<size_t>(estimate);
      while (need > 1 && passes(need - 1)) --need;
      while (!passes(need)) ++need;
      if (pytext::CountWhitespaceWords(text, need) == need) return finish();
    }
  }
  const TokenList& words = TokenCache::ForThisThread().Words(text);
  v = filters_internal::Ratio(static_cast<double>(newlines),
                              static_cast<double>(words.size()),
                              std::numeric_limits<double>::infinity());
  rule("list_ratio", v, o.new_line_ratio, v > o.new_line_ratio);
  return finish();
}

}  // namespace winnow
