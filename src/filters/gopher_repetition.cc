#include "filters/gopher_repetition.h"

#include <algorithm>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "core/json_writer.h"
#include "filters/filter_util.h"
#include "filters/py_text.h"
#include "filters/token_cache.h"

namespace winnow {
namespace {

using filters_internal::Ratio;

// Hash of a window's bytes. Equal hashes are always confirmed by comparing
// bytes, so collisions cost time, never accuracy.
inline uint64_t WindowHash(const char* p, size_t len) {
  return XXH3_64bits(p, len);
}

// Table slot of a key; keys may be raw text bytes, so their bits are mixed.
inline size_t Bucket(uint64_t h, size_t mask) {
  return static_cast<size_t>((h * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

// Splits like Python re.split("\n{min_run,}", s).
void SplitAtNewlineRuns(std::string_view s, size_t min_run,
                        std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  size_t i = 0;
  while (true) {
    size_t nl = s.find('\n', i);
    if (nl == std::string_view::npos) break;
    size_t end = nl;
    while (end < s.size() && s[end] == '\n') ++end;
    if (end - nl >= min_run) {
      out->push_back(s.substr(start, nl - start));
      start = end;
    }
    i = end;
  }
  out->push_back(s.substr(start));
}

}  // namespace

GopherRepetitionFilter::GopherRepetitionFilter(GopherRepetitionOptions options)
    : options_(std::move(options)) {
  for (const auto& [n, frac] : options_.top_n_grams)
    top_names_.push_back("top_" + std::to_string(n) + "_gram");
  for (const auto& [n, frac] : options_.dup_n_grams)
    dup_names_.push_back("duplicated_" + std::to_string(n) + "_n_grams");
}

Result<std::unique_ptr<Step>> GopherRepetitionFilter::Create(
    StepOptions& options) {
  GopherRepetitionOptions o;
  o.dup_line_frac = options.GetDouble("dup_line_frac", o.dup_line_frac);
  o.dup_para_frac = options.GetDouble("dup_para_frac", o.dup_para_frac);
  o.dup_line_char_frac =
      options.GetDouble("dup_line_char_frac", o.dup_line_char_frac);
  o.dup_para_char_frac =
      options.GetDouble("dup_para_char_frac", o.dup_para_char_frac);
  o.write_signals = options.GetBool("write_signals", o.write_signals);
  auto top = filters_internal::ParseNgramThresholds(
      "top_n_grams",
      options.GetList("top_n_grams",
                      {filters_internal::FormatNgramThresholds(o.top_n_grams)}));
  if (!top.ok()) return top.status();
  auto dup = filters_internal::ParseNgramThresholds(
      "dup_n_grams",
      options.GetList("dup_n_grams",
                      {filters_internal::FormatNgramThresholds(o.dup_n_grams)}));
  if (!dup.ok()) return dup.status();
  o.top_n_grams = std::move(top).value();
  o.dup_n_grams = std::move(dup).value();
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(new GopherRepetitionFilter(std::move(o)));
}

void GopherRepetitionFilter::PrepareWords(std::string_view text) {
  const TokenList& words = TokenCache::ForThisThread().Words(text);
  const size_t n = words.size();
  joined_.clear();
  spaced_.clear();
  joined_off_.resize(n + 1);
  spaced_off_.resize(n + 1);
  cp_prefix_.resize(n + 1);
  joined_off_[0] = spaced_off_[0] = cp_prefix_[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view w = words[i];
    joined_.append(w);
    spaced_.append(w);
    spaced_.push_back(' ');
    joined_off_[i + 1] = static_cast<uint32_t>(joined_.size());
    spaced_off_[i + 1] = static_cast<uint32_t>(spaced_.size());
    cp_prefix_[i + 1] =
        cp_prefix_[i] + static_cast<uint32_t>(pytext::Length(w));
  }
  // Padding so that 8 bytes can be read at every word start (see
  // MarkUniqueStarts); 0xFF never occurs in UTF-8.
  joined_.append(8, '\xFF');
  spaced_.append(8, '\xFF');
  joined_unique_ready_ = spaced_unique_ready_ = false;
}

void GopherRepetitionFilter::MarkUniqueStarts(const std::string& stream,
                                              const std::vector<uint32_t>& off,
                                              std::vector<uint8_t>* unique) {
  const size_t n = off.size() - 1;
  unique->resize(n);
  size_t want = 16;
  while (want < n * 2) want <<= 1;
  if (starts_.size() < want || ++starts_gen_ == 0) {
    starts_.assign(std::max(want, starts_.size()), StartSlot{0, 0, 0});
    starts_gen_ = 1;
  }
  const size_t mask = want - 1;
  starts_slot_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t key;
    std::memcpy(&key, stream.data() + off[i], 8);
    size_t s = Bucket(key, mask);
    while (starts_[s].gen == starts_gen_ && starts_[s].key != key)
      s = (s + 1) & mask;
    if (starts_[s].gen != starts_gen_) {
      starts_[s] = StartSlot{key, starts_gen_, 0};
    }
    ++starts_[s].count;
    starts_slot_[i] = static_cast<uint32_t>(s);
  }
  for (size_t i = 0; i < n; ++i)
    (*unique)[i] = starts_[starts_slot_[i]].count == 1;
}

void GopherRepetitionFilter::ResetTable(size_t expected) {
  size_t want = 16;
  while (want < expected * 2) want <<= 1;
  if (table_.size() < want || ++gen_ == 0) {
    table_.assign(std::max(want, table_.size()), Slot{0, 0, 0, 0});
    gen_ = 1;
  }
  // Only the first `want` slots are used, so small documents stay in cache
  // after a large one grew the table.
  mask_ = want - 1;
}

size_t GopherRepetitionFilter::TopNgramChars(size_t n) {
  const size_t num_words = joined_off_.size() - 1;
  if (num_words < n) return 0;
  const size_t windows = num_words - n + 1;
  if (!spaced_unique_ready_) {
    MarkUniqueStarts(spaced_, spaced_off_, &spaced_unique_);
    spaced_unique_ready_ = true;
  }
  ResetTable(windows);
  uint32_t best_count = 0;
  uint32_t best_first = 0;
  const char* base = spaced_.data();
  for (size_t i = 0; i < windows; ++i) {
    const uint32_t begin = spaced_off_[i];
    const uint32_t len = spaced_off_[i + n] - begin;
    // A window of 8+ bytes whose first 8 bytes start no other word equals no
    // other window: its count is 1.
    if (len >= 8 && spaced_unique_[i]) continue;
    const uint64_t h = WindowHash(base + begin, len);
    size_t s = Bucket(h, mask_);
    uint32_t count = 0;
    uint32_t first = 0;
    while (table_[s].gen == gen_) {
      Slot& slot = table_[s];
      if (slot.hash == h) {
        const uint32_t other = spaced_off_[slot.first];
        if (spaced_off_[slot.first + n] - other == len &&
            std::memcmp(base + other, base + begin, len) == 0) {
          count = ++slot.count;
          first = slot.first;
          break;
        }
      }
      s = (s + 1) & mask_;
    }
    if (count == 0) {
      table_[s] = Slot{h, gen_, static_cast<uint32_t>(i), 1};
      count = 1;
      first = static_cast<uint32_t>(i);
    }
    if (count > best_count || (count == best_count && first < best_first)) {
      best_count = count;
      best_first = first;
    }
  }
  if (best_count <= 1) {
    // Every n-gram occurs once: Counter.most_common keeps the first one.
    best_count = 1;
    best_first = 0;
  }
  const size_t chars =
      cp_prefix_[best_first + n] - cp_prefix_[best_first] + (n - 1);
  return chars * best_count;
}

size_t GopherRepetitionFilter::RepeatedNgramChars(size_t n) {
  const size_t num_words = joined_off_.size() - 1;
  if (num_words < n) return 0;
  const size_t windows = num_words - n + 1;
  if (!joined_unique_ready_) {
    MarkUniqueStarts(joined_, joined_off_, &joined_unique_);
    joined_unique_ready_ = true;
  }
  ResetTable(windows);
  const char* base = joined_.data();
  size_t repeated = 0;
  size_t idx = 0;
  while (idx < windows) {
    const uint32_t begin = joined_off_[idx];
    const uint32_t len = joined_off_[idx + n] - begin;
    // Unique first 8 bytes: no other window equals this one, so it is neither
    // found now nor found later; it need not be stored.
    if (len >= 8 && joined_unique_[idx]) {
      ++idx;
      continue;
    }
    const uint64_t h = WindowHash(base + begin, len);
    size_t s = Bucket(h, mask_);
    bool found = false;
    while (table_[s].gen == gen_) {
      const Slot& slot = table_[s];
      if (slot.hash == h) {
        const uint32_t other = joined_off_[slot.first];
        if (joined_off_[slot.first + n] - other == len &&
            std::memcmp(base + other, base + begin, len) == 0) {
          found = true;
          break;
        }
      }
      s = (s + 1) & mask_;
    }
    if (found) {
      repeated += cp_prefix_[idx + n] - cp_prefix_[idx];
      idx += n;
    } else {
      table_[s] = Slot{h, gen_, static_cast<uint32_t>(idx), 1};
      ++idx;
    }
  }
  return repeated;
}

StepResult GopherRepetitionFilter::Process(Document* doc, Counters* counters) {
  const std::string_view text = doc->text;
  const double text_len = static_cast<double>(pytext::Length(text));
  const bool signals = options_.write_signals;
  JsonObjectBuilder sig;
  StepResult result = StepResult::Keep();

  // Records `value` for rule `reason`; returns true when processing can stop.
  auto rule = [&](std::string_view reason, double value, double threshold,
                  bool failed) {
    if (signals) sig.Add(reason, value);
    if (failed && result.keep) {
      result = filters_internal::RemoveWith(reason, value, threshold);
      return !signals;
    }
    return false;
  };
  auto finish = [&]() {
    if (signals) doc->signals.push_back({std::string(name()), sig.Finish()});
    return std::move(result);
  };

  SplitAtNewlineRuns(pytext::Strip(text), 2, &parts_);
  DuplicateCounts para = FindDuplicates(parts_, &set_);
  double v = Ratio(static_cast<double>(para.elements),
                   static_cast<double>(parts_.size()));
  if (rule("dup_para_frac", v, options_.dup_para_frac,
           options_.dup_para_frac != 0 && v > options_.dup_para_frac))
    return finish();
  v = Ratio(static_cast<double>(para.chars), text_len);
  if (rule("dup_para_char_frac", v, options_.dup_para_char_frac,
           options_.dup_para_char_frac != 0 && v > options_.dup_para_char_frac))
    return finish();

  SplitAtNewlineRuns(text, 1, &parts_);
  DuplicateCounts line = FindDuplicates(parts_, &set_);
  v = Ratio(static_cast<double>(line.elements),
            static_cast<double>(parts_.size()));
  if (rule("dup_line_frac", v, options_.dup_line_frac,
           options_.dup_line_frac != 0 && v > options_.dup_line_frac))
    return finish();
  v = Ratio(static_cast<double>(line.chars), text_len);
  if (rule("dup_line_char_frac", v, options_.dup_line_char_frac,
           options_.dup_line_char_frac != 0 && v > options_.dup_line_char_frac))
    return finish();

  PrepareWords(text);
  const size_t num_words = joined_off_.size() - 1;
  for (size_t k = 0; k < options_.top_n_grams.size(); ++k) {
    const auto [n, frac] = options_.top_n_grams[k];
    if (num_words < static_cast<size_t>(n)) {
      if (signals) sig.Add(top_names_[k], 0.0);
      continue;
    }
    v = Ratio(static_cast<double>(TopNgramChars(n)), text_len);
    if (rule(top_names_[k], v, frac, v > frac)) return finish();
  }
  for (size_t k = 0; k < options_.dup_n_grams.size(); ++k) {
    const auto [n, frac] = options_.dup_n_grams[k];
    v = Ratio(static_cast<double>(RepeatedNgramChars(n)), text_len);
    if (rule(dup_names_[k], v, frac, v > frac)) return finish();
  }
  return finish();
}

}  // namespace winnow
