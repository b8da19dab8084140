#include "boilerplate/boilerplate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "boilerplate/line_key.h"
#include "core/ascii.h"

namespace winnow::boilerplate {
namespace {

constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

bool Contains(std::span<const uint64_t> sorted, uint64_t key) {
  return !sorted.empty() &&
         std::binary_search(sorted.begin(), sorted.end(), key);
}

// The whitespace-separated words of `s`, counting no further than `stop`.
// Whitespace is ASCII's six characters, \v included, as Python's
// str.split() sees them; core's IsAsciiWhitespace is HTML's five (no \v),
// which is why this does not call it.
uint32_t CountWords(std::string_view s,
                    uint32_t stop = std::numeric_limits<uint32_t>::max()) {
  uint32_t words = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                 c == '\v';
    if (!space && !in_word && ++words >= stop) return words;
    in_word = !space;
  }
  return words;
}

// True when `s` has at least `n` whitespace-separated words.
bool HasWords(std::string_view s, uint32_t n) { return CountWords(s, n) >= n; }

// True when `s` has a letter: an ASCII letter or a UTF-8 lead byte of a
// script block (U+00C0 and up, except the punctuation and symbol blocks
// U+2000-U+2FFF, lead byte 0xE2: "»", "…", "→" are no letters).
bool HasLetter(std::string_view s) {
  for (char ch : s) {
    if (IsAsciiAlpha(ch)) return true;
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0xC3 && c != 0xE2 && (c & 0xC0) == 0xC0) return true;
  }
  return false;
}

// BoilerplateOptions::code_lines_stay: a line without a letter ("2", "...",
// "}": a program's output, data) or one that starts with a space or a tab
// (preformatted text: an indented code line "    try:").
bool IsCodeOrDataLine(std::string_view line) {
  return (!line.empty() && (line[0] == ' ' || line[0] == '\t')) ||
         !HasLetter(line);
}

// A kept line that is the page's own, not a line its site repeats (blank
// lines have no key and count as the page's own).
bool IsPagesOwnLine(const LineInfo& line, char marked,
                    std::span<const uint64_t> site_repeated_keys) {
  return !marked &&
         (line.key == 0 || !Contains(site_repeated_keys, line.key));
}

// A decided long line that the reducer also reported as repeated: a weak
// decision (BoilerplateOptions::interior_long_min_docs).
bool IsWeakSiteDecision(uint64_t key, std::span<const uint64_t> site_line_keys,
                        std::span<const uint64_t> site_repeated_keys) {
  return !IsShortLineKey(key) && Contains(site_repeated_keys, key) &&
         Contains(site_line_keys, key);
}

// BoilerplateOptions::keep_weak_on_foreign_copies: when the marked lines
// include weak decisions of the page's site, the page's first line is a
// line that other sites decided (propagated) and its own site did not, and
// the page has more such lines (with a letter) than lines its own site
// decided (weak decisions aside), the page is a copy of another site's
// page: unmarks the weak decisions. Returns the number of
// lines unmarked. Only pages with a marked weak decision pay for the
// propagated-set lookups.
uint32_t KeepWeakDecisionsOnForeignCopy(
    std::span<const LineInfo> lines, std::span<const uint64_t> site_line_keys,
    std::span<const uint64_t> site_repeated_keys,
    std::span<const uint64_t> propagated_keys, std::vector<char>* drop) {
  bool any_weak = false;
  for (size_t i = 0; i < lines.size() && !any_weak; ++i) {
    any_weak = (*drop)[i] &&
               IsWeakSiteDecision(lines[i].key, site_line_keys, site_repeated_keys);
  }
  if (!any_weak) return 0;
  // The page starts with another site's template line (its title, menu or
  // dateline) ...
  size_t first = 0;
  while (first < lines.size() && lines[first].key == 0) ++first;
  if (first == lines.size() || Contains(site_line_keys, lines[first].key) ||
      !Contains(propagated_keys, lines[first].key)) {
    return 0;
  }
  // ... and has more lines of other sites' templates than lines its own
  // site decided (weak decisions aside).
  uint32_t own = 0, foreign = 0;
  for (const LineInfo& l : lines) {
    if (l.key == 0) continue;
    if (Contains(site_line_keys, l.key)) {
      // A decision of the site's own, weak ones aside (IsWeakSiteDecision
      // without its site_line_keys search, which just succeeded).
      own += IsShortLineKey(l.key) || !Contains(site_repeated_keys, l.key);
    } else if (Contains(propagated_keys, l.key) && HasLetter(l.text)) {
      ++foreign;
    }
  }
  if (foreign <= own) return 0;
  uint32_t unmarked = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if ((*drop)[i] &&
        IsWeakSiteDecision(lines[i].key, site_line_keys, site_repeated_keys)) {
      (*drop)[i] = 0;
      ++unmarked;
    }
  }
  return unmarked;
}

// A run of marked lines (blank lines between them) from `begin`, scanned
// up to `limit`.
struct DecidedRun {
  size_t stop;  // the first unmarked non-blank line, or limit
  size_t end;   // one past the run's last marked line
  size_t len;   // marked lines in the run
  bool short_site_lines;  // every one is a short line its site decided
};

DecidedRun ScanDecidedRun(std::span<const LineInfo> lines,
                          std::span<const uint64_t> site_line_keys,
                          const std::vector<char>& drop, size_t begin,
                          size_t limit) {
  DecidedRun run{limit, begin, 0, true};
  for (size_t j = begin; j < limit; ++j) {
    if (lines[j].blank) continue;
    if (!drop[j]) {
      run.stop = j;
      break;
    }
    ++run.len;
    run.short_site_lines &= IsShortLineKey(lines[j].key) &&
                            Contains(site_line_keys, lines[j].key);
    run.end = j + 1;
  }
  return run;
}

// Unmarks lines [from, to); returns how many were marked.
uint32_t UnmarkLines(size_t from, size_t to, std::vector<char>* drop) {
  uint32_t unmarked = 0;
  for (size_t k = from; k < to; ++k) {
    if ((*drop)[k]) {
      (*drop)[k] = 0;
      ++unmarked;
    }
  }
  return unmarked;
}

// BoilerplateOptions::keep_enclosed_head_lines: before the first anchor, a
// run of fewer than min_interior_run decided short lines (blank lines
// between them) that follows a kept non-blank line is unmarked (the line
// after the run is kept too: another kept line or the first anchor).
// Returns the number of lines unmarked.
uint32_t KeepEnclosedHeadRuns(const BoilerplateOptions& options,
                              std::span<const LineInfo> lines,
                              std::span<const uint64_t> site_line_keys,
                              std::span<const uint64_t> site_repeated_keys,
                              size_t first_anchor, std::vector<char>* drop) {
  uint32_t unmarked = 0;
  bool prev_kept = false;  // the last non-blank line before i is kept
  size_t i = 0;
  while (i < first_anchor) {
    if (lines[i].blank || !(*drop)[i]) {
      if (!lines[i].blank) {
        prev_kept = IsPagesOwnLine(lines[i], (*drop)[i], site_repeated_keys);
      }
      ++i;
      continue;
    }
    const DecidedRun run =
        ScanDecidedRun(lines, site_line_keys, *drop, i, first_anchor);
    if (prev_kept && run.short_site_lines && run.len < options.min_interior_run)
      unmarked += UnmarkLines(i, run.end, drop);
    prev_kept = false;
    i = run.end;
  }
  return unmarked;
}

// After the last anchor: a run of fewer than min_interior_run decided short
// lines right after the last anchor (blank lines between) with no marked
// line after it, but at least one kept non-blank line, is unmarked: a
// heading "Examples" over the code that ends a reference page. Returns the
// number of lines unmarked.
uint32_t KeepLastHeadingRun(const BoilerplateOptions& options,
                            std::span<const LineInfo> lines,
                            std::span<const uint64_t> site_line_keys,
                            std::span<const uint64_t> site_repeated_keys,
                            size_t last_anchor, std::vector<char>* drop) {
  size_t i = last_anchor + 1;
  while (i < lines.size() && lines[i].blank) ++i;
  if (i >= lines.size() || !(*drop)[i]) return 0;
  const DecidedRun run =
      ScanDecidedRun(lines, site_line_keys, *drop, i, lines.size());
  const size_t j = run.stop;
  if (j == lines.size() || !run.short_site_lines ||
      run.len >= options.min_interior_run)
    return 0;
  // Everything after the run is the page's own: kept and not a line the
  // site repeats.
  for (size_t k = j; k < lines.size(); ++k) {
    if (!IsPagesOwnLine(lines[k], (*drop)[k], site_repeated_keys)) return 0;
  }
  return UnmarkLines(i, run.end, drop);
}

}  // namespace

Status ValidateOptions(const BoilerplateOptions& o) {
  if (!(o.min_fraction >= 0) || !(o.min_fraction_short >= 0)) {
    return Status::InvalidArgument(
        "boilerplate: min_fraction and min_fraction_short must be >= 0");
  }
  if (o.min_docs_floor < 2 || o.min_docs_floor_short < 2) {
    return Status::InvalidArgument(
        "boilerplate: min_docs_floor and min_docs_floor_short must be >= 2");
  }
  if (o.cross_site == CrossSiteMode::kRemove && o.cross_site_min_sites < 2) {
    return Status::InvalidArgument(
        "boilerplate: cross_site_min_sites must be >= 2");
  }
  if (!(o.repeated_min_fraction >= 0)) {
    return Status::InvalidArgument(
        "boilerplate: repeated_min_fraction must be >= 0");
  }
  if (o.min_interior_run == 0) {
    return Status::InvalidArgument("boilerplate: min_interior_run must be >= 1");
  }
  if (o.max_lines_per_doc == 0 || o.max_line_bytes == 0) {
    return Status::InvalidArgument(
        "boilerplate: max_lines_per_doc and max_line_bytes must be >= 1");
  }
  return Status::OK();
}

uint64_t Threshold(const BoilerplateOptions& o, bool short_line,
                   uint64_t site_docs) {
  uint32_t k = short_line ? o.min_docs_short : o.min_docs;
  double f = short_line ? o.min_fraction_short : o.min_fraction;
  uint64_t t = k > 0 ? k : kNever;
  if (f > 0 && f <= 1) {
    // Smallest integer d with d >= f * site_docs (the epsilon keeps
    // 0.3 * 10 = 3.0000000000000004 at 3).
    double need = std::ceil(f * static_cast<double>(site_docs) - 1e-9);
    t = std::min(t, static_cast<uint64_t>(std::max(need, 0.0)));
  }
  if (t == kNever) return kNever;
  uint64_t floor = short_line ? o.min_docs_floor_short : o.min_docs_floor;
  // A line on every page of a site of two or more pages passes the floor.
  if (o.every_page_passes_floor && site_docs >= 2) {
    floor = std::min<uint64_t>(floor, site_docs);
  }
  return std::max<uint64_t>(t, floor);
}

bool IsBoilerplate(const BoilerplateOptions& o, bool short_line, uint64_t docs,
                   uint64_t site_docs) {
  return docs >= Threshold(o, short_line, site_docs);
}

void KeyLines(const BoilerplateOptions& o, std::string_view text,
              std::vector<LineInfo>* lines, std::string* scratch) {
  lines->clear();
  size_t pos = 0;
  while (true) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol;
    LineInfo info;
    info.text = text.substr(pos, end - pos);
    if (lines->size() < o.max_lines_per_doc) {
      scratch->clear();
      if (info.text.size() <= o.max_line_bytes) {
        AppendNormalizedLine(info.text, scratch);
        info.blank = scratch->empty();
        if (!info.blank) {
          info.key =
              LineKey(*scratch, o.short_line_max_words, o.short_line_max_bytes);
        }
      }
    } else {
      // Past the limit: not normalized; blank only if it has no bytes
      // other than ASCII whitespace.
      info.blank =
          info.text.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
    }
    lines->push_back(info);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
}

DocumentKeyer::DocumentKeyer(const PublicSuffixList* psl,
                             BoilerplateOptions options)
    : psl_(psl), options_(std::move(options)) {}

SiteOutcome DocumentKeyer::Keys(std::string_view url, std::string_view text,
                                uint64_t shard,
                                std::vector<KeyRecord>* site_records,
                                std::vector<KeyRecord>* cross_site_records) {
  SiteOutcome outcome = SiteOfUrl(*psl_, url, &site_);
  site_key_ = 0;
  if (!HasSite(outcome)) return outcome;
  site_key_ = SiteKey(site_);
  const uint64_t text_key = TextKey(text);
  KeyLines(options_, text, &lines_, &scratch_);
  keys_.clear();
  for (const LineInfo& l : lines_)
    if (l.key != 0) keys_.push_back(l.key);
  std::sort(keys_.begin(), keys_.end());
  keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
  site_records->push_back({site_key_, kSiteDocsLine, text_key});
  site_records->push_back({site_key_, kSiteShardLine, shard});
  for (uint64_t k : keys_) site_records->push_back({site_key_, k, text_key});
  if (options_.cross_site == CrossSiteMode::kRemove &&
      cross_site_records != nullptr) {
    for (uint64_t k : keys_) cross_site_records->push_back({k, site_key_, 0});
  }
  return outcome;
}

SiteGroupReducer::SiteGroupReducer(BoilerplateOptions options,
                                   DecisionFn on_decision, GroupFn on_group)
    : options_(std::move(options)),
      on_decision_(std::move(on_decision)),
      on_group_(std::move(on_group)) {}

void SiteGroupReducer::EndGroup() {
  if (!in_group_) return;
  in_group_ = false;
  if (group_docs_ <
      Threshold(options_, IsShortLineKey(prev_.key_lo), site_docs_)) {
    if (on_repeated_ && group_docs_ >= 2 &&
        static_cast<double>(group_docs_) >=
            options_.repeated_min_fraction * static_cast<double>(site_docs_)) {
      ++repeated_groups_;
      for (uint64_t shard : shards_) on_repeated_(shard, prev_.key_hi, prev_.key_lo);
    }
    return;
  }
  ++boilerplate_groups_;
  if (on_repeated_ && !IsShortLineKey(prev_.key_lo) &&
      group_docs_ < options_.interior_long_min_docs) {
    for (uint64_t shard : shards_) on_repeated_(shard, prev_.key_hi, prev_.key_lo);
  }
  if (on_propagate_ && options_.propagate_min_words > 0 &&
      (options_.propagate_edges || !IsShortLineKey(prev_.key_lo)) &&
      group_docs_ >= options_.propagate_min_docs) {
    on_propagate_(prev_.key_lo);
  }
  if (on_group_) {
    on_group_(GroupStat{prev_.key_hi, prev_.key_lo, group_docs_, site_docs_});
  }
  for (uint64_t shard : shards_) {
    ++decisions_;
    on_decision_(shard, prev_.key_hi, prev_.key_lo);
  }
}

void SiteGroupReducer::Add(const KeyRecord& r) {
  const bool same_site = have_prev_ && r.key_hi == prev_.key_hi;
  const bool same_key = same_site && r.key_lo == prev_.key_lo;
  if (same_key && r.value == prev_.value) return;  // a repeated record
  if (!same_key) EndGroup();  // uses prev_, so before prev_ changes
  if (!same_site) {
    ++sites_;
    site_docs_ = 0;
    shards_.clear();
  }
  prev_ = r;
  have_prev_ = true;
  if (r.key_lo == kSiteDocsLine) {
    ++site_docs_;
  } else if (r.key_lo == kSiteShardLine) {
    shards_.push_back(r.value);
  } else {
    if (!same_key) {
      in_group_ = true;
      group_docs_ = 0;
      ++groups_;
    }
    ++group_docs_;
  }
}

void SiteGroupReducer::Finish() { EndGroup(); }

CrossSiteReducer::CrossSiteReducer(BoilerplateOptions options,
                                   std::function<void(uint64_t)> on_line)
    : options_(std::move(options)), on_line_(std::move(on_line)) {}

void CrossSiteReducer::EndGroup() {
  if (in_group_ && sites_ >= options_.cross_site_min_sites) on_line_(line_);
  in_group_ = false;
}

void CrossSiteReducer::Add(const KeyRecord& r) {
  if (!in_group_ || r.key_hi != line_) {
    EndGroup();
    in_group_ = true;
    line_ = r.key_hi;
    sites_ = 1;
    last_site_ = r.key_lo;
    return;
  }
  if (r.key_lo != last_site_) {
    ++sites_;
    last_site_ = r.key_lo;
  }
}

void CrossSiteReducer::Finish() { EndGroup(); }

uint32_t MarkRemovedLines(const BoilerplateOptions& options,
                          std::span<const LineInfo> lines,
                          std::span<const uint64_t> site_line_keys,
                          std::span<const uint64_t> cross_site_keys,
                          std::vector<char>* drop,
                          std::span<const uint64_t> site_repeated_keys,
                          std::span<const uint64_t> propagated_keys) {
  drop->assign(lines.size(), 0);
  uint32_t marked = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    uint64_t k = lines[i].key;
    // Propagated keys are long (SiteGroupReducer::set_on_propagate): a
    // short line skips the job-wide search.
    // Code and data are no template (BoilerplateOptions::code_lines_stay).
    if (k != 0 &&
        ((Contains(site_line_keys, k) &&
          !(options.code_lines_stay && IsCodeOrDataLine(lines[i].text))) ||
         Contains(cross_site_keys, k) ||
         (options.propagate_min_words > 0 && !IsShortLineKey(k) &&
          Contains(propagated_keys, k) &&
          HasWords(lines[i].text, options.propagate_min_words)))) {
      (*drop)[i] = 1;
      ++marked;
    }
  }
  if (options.keep_weak_on_foreign_copies && marked > 0 &&
      !site_repeated_keys.empty() && !propagated_keys.empty()) {
    marked -= KeepWeakDecisionsOnForeignCopy(lines, site_line_keys,
                                             site_repeated_keys,
                                             propagated_keys, drop);
  }
  const bool edges = options.propagate_min_words > 0 &&
                     options.propagate_edges && !propagated_keys.empty();
  if ((marked == 0 && !edges) || options.min_interior_run <= 1) return marked;
  // Anchors: undecided prose lines. Runs between the first and the last
  // anchor are candidates for keeping.
  auto is_anchor = [&](size_t i) {
    return !(*drop)[i] && !lines[i].blank &&
           HasWords(lines[i].text, options.anchor_min_words) &&
           !(lines[i].key != 0 && Contains(site_repeated_keys, lines[i].key));
  };
  size_t first_anchor = lines.size(), last_anchor = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!is_anchor(i)) continue;
    if (first_anchor == lines.size()) first_anchor = i;
    last_anchor = i;
  }
  if (first_anchor == lines.size()) return marked;
  // The template region: propagated lines that were not marked above (short,
  // or fewer than propagate_min_words words) and have a letter are removed
  // outside the anchors.
  if (edges) {
    for (size_t j = 0; j < lines.size(); ++j) {
      if (j == first_anchor) j = last_anchor + 1;
      if (j >= lines.size()) break;
      const uint64_t k = lines[j].key;
      if ((*drop)[j] || k == 0) continue;
      // A line without a letter ("2", "...", "}") is data or code, not a
      // template another site shares: it spreads nowhere.
      if (Contains(propagated_keys, k) && HasLetter(lines[j].text) &&
          !(options.code_lines_stay && IsCodeOrDataLine(lines[j].text))) {
        (*drop)[j] = 1;
        ++marked;
      }
    }
  }
  // Runs of decided lines; blank lines do not break a run, any other
  // undecided line does.
  size_t i = first_anchor + 1;
  while (i < last_anchor) {
    if (!(*drop)[i]) {
      ++i;
      continue;
    }
    size_t run_end = i, run_len = 0;
    bool run_long = false;
    for (size_t j = i; j < last_anchor; ++j) {
      if (lines[j].blank) continue;
      if (!(*drop)[j]) break;
      ++run_len;
      // A weakly decided long line (also in site_repeated_keys, see
      // interior_long_min_docs) counts as short here.
      const uint64_t k = lines[j].key;
      run_long |= !IsShortLineKey(k) && !(Contains(site_line_keys, k) &&
                                          Contains(site_repeated_keys, k));
      run_end = j + 1;
    }
    if (run_len < options.min_interior_run &&
        !(options.interior_short_only && run_long)) {
      for (size_t j = i; j < run_end; ++j) {
        if ((*drop)[j]) {
          (*drop)[j] = 0;
          --marked;
        }
      }
    }
    i = run_end;
  }
  if (options.keep_enclosed_head_lines) {
    marked -= KeepEnclosedHeadRuns(options, lines, site_line_keys,
                                   site_repeated_keys, first_anchor, drop);
    marked -= KeepLastHeadingRun(options, lines, site_line_keys,
                                 site_repeated_keys, last_anchor, drop);
  }
  return marked;
}

ApplyResult ApplyBoilerplate(const BoilerplateOptions& options,
                             std::string_view text,
                             std::span<const uint64_t> site_line_keys,
                             std::span<const uint64_t> cross_site_keys,
                             std::string* out,
                             std::vector<std::string_view>* removed,
                             std::span<const uint64_t> site_repeated_keys,
                             std::span<const uint64_t> propagated_keys) {
  ApplyResult result;
  out->clear();
  if (site_line_keys.empty() && cross_site_keys.empty() &&
      propagated_keys.empty()) {
    out->assign(text);
    return result;
  }
  thread_local std::vector<LineInfo> lines;
  thread_local std::string scratch;
  thread_local std::vector<char> drop;
  KeyLines(options, text, &lines, &scratch);
  result.lines_removed =
      MarkRemovedLines(options, lines, site_line_keys, cross_site_keys, &drop,
                       site_repeated_keys, propagated_keys);
  if (result.lines_removed == 0) {
    out->assign(text);
    return result;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!drop[i]) continue;
    result.bytes_removed += lines[i].text.size() + 1;
    if (removed != nullptr) removed->push_back(lines[i].text);
  }
  out->reserve(text.size());
  bool first_out = true;
  auto put = [&](std::string_view line) {
    if (!first_out) out->push_back('\n');
    out->append(line);
    first_out = false;
  };
  // The current gap: lines since the last kept non-blank line.
  size_t gap_start = 0;
  bool seen_kept = false;
  auto flush_gap = [&](size_t gap_end, bool at_end) {
    bool gap_removed = false;
    for (size_t j = gap_start; j < gap_end; ++j) gap_removed |= drop[j] != 0;
    if (!gap_removed) {
      for (size_t j = gap_start; j < gap_end; ++j) put(lines[j].text);
      return;
    }
    if (!seen_kept || at_end) return;
    // Keep the longest run of blank lines uninterrupted by a removed line.
    size_t best_start = gap_start, best_len = 0, run_start = gap_start;
    for (size_t j = gap_start; j <= gap_end; ++j) {
      if (j == gap_end || drop[j]) {
        if (j - run_start > best_len) {
          best_len = j - run_start;
          best_start = run_start;
        }
        run_start = j + 1;
      }
    }
    for (size_t j = best_start; j < best_start + best_len; ++j)
      put(lines[j].text);
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    if (drop[i] || lines[i].blank) continue;
    flush_gap(i, false);
    put(lines[i].text);
    seen_kept = true;
    gap_start = i + 1;
  }
  flush_gap(lines.size(), true);
  result.words_left = CountWords(*out);
  result.too_short = options.min_words_after_removal > 0 &&
                     result.words_left < options.min_words_after_removal;
  return result;
}

void SiteLineSet::Add(uint64_t site_key, uint64_t line_key) {
  pending_.push_back({site_key, line_key});
}

void SiteLineSet::Seal() {
  for (size_t i = 0; i < sites_.size(); ++i)
    pending_.push_back({sites_[i], lines_[i]});
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  sites_.clear();
  lines_.clear();
  for (const auto& [site, line] : pending_) {
    sites_.push_back(site);
    lines_.push_back(line);
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

std::span<const uint64_t> SiteLineSet::LinesOf(uint64_t site_key) const {
  auto range = std::equal_range(sites_.begin(), sites_.end(), site_key);
  return std::span<const uint64_t>(lines_).subspan(
      static_cast<size_t>(range.first - sites_.begin()),
      static_cast<size_t>(range.second - range.first));
}

InMemoryBoilerplate::InMemoryBoilerplate(const PublicSuffixList* psl,
                                         BoilerplateOptions options)
    : options_(options), psl_(psl), keyer_(psl, options) {}

SiteOutcome InMemoryBoilerplate::AddDocument(std::string_view url,
                                             std::string_view text) {
  SiteOutcome o = keyer_.Keys(url, text, 0, &site_records_, &cross_records_);
  ++outcomes_[static_cast<int>(o)];
  return o;
}

void InMemoryBoilerplate::Compute() {
  std::sort(site_records_.begin(), site_records_.end());
  groups_.clear();
  SiteGroupReducer reducer(
      options_,
      [&](uint64_t, uint64_t site, uint64_t line) { set_.Add(site, line); },
      [&](const GroupStat& g) { groups_.push_back(g); });
  reducer.set_on_repeated([&](uint64_t, uint64_t site, uint64_t line) {
    repeated_.Add(site, line);
  });
  prop_keys_.clear();
  reducer.set_on_propagate([&](uint64_t line) { prop_keys_.push_back(line); });
  for (const KeyRecord& r : site_records_) reducer.Add(r);
  reducer.Finish();
  std::sort(prop_keys_.begin(), prop_keys_.end());
  prop_keys_.erase(std::unique(prop_keys_.begin(), prop_keys_.end()),
                   prop_keys_.end());
  set_.Seal();
  repeated_.Seal();

  cross_keys_.clear();
  std::sort(cross_records_.begin(), cross_records_.end());
  CrossSiteReducer cross(options_,
                         [&](uint64_t line) { cross_keys_.push_back(line); });
  for (const KeyRecord& r : cross_records_) cross.Add(r);
  cross.Finish();
}

ApplyResult InMemoryBoilerplate::Apply(std::string_view url,
                                       std::string_view text, std::string* out,
                                       std::vector<std::string_view>* removed) {
  SiteOutcome o = SiteOfUrl(*psl_, url, &site_);
  std::span<const uint64_t> lines, repeated;
  if (HasSite(o)) {
    lines = set_.LinesOf(SiteKey(site_));
    repeated = repeated_.LinesOf(SiteKey(site_));
  }
  return ApplyBoilerplate(options_, text, lines, cross_keys_, out, removed,
                          repeated, prop_keys_);
}

}  // namespace winnow::boilerplate
