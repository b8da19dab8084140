// gopher_quality: datatrove's GopherQualityFilter (v0.10.0), the quality
// rules of Gopher (Rae et al. 2021).
//
// Words are datatrove's split_into_words (per-thread TokenCache); a
// "non-symbol word" has at least one code point outside datatrove's
// PUNCTUATION_SET. In order, the document is removed with reason:
//   gopher_short_doc             non-symbol words < min_doc_words
//   gopher_long_doc              non-symbol words > max_doc_words
//   gopher_below_avg_threshold   mean non-symbol word length < min_avg_word_length
//   gopher_above_avg_threshold   mean non-symbol word length > max_avg_word_length
//   gopher_too_many_hashes       count("#") / words > max_symbol_word_ratio
//   gopher_too_many_ellipsis     (count("...") + count("…")) / words > max_symbol_word_ratio
//   gopher_too_many_bullets      lines starting (after lstrip) with "•" or "-"
//                                / lines > max_bullet_lines_ratio
//   gopher_too_many_end_ellipsis lines ending (after rstrip) with "..." or "…"
//                                / lines > max_ellipsis_lines_ratio
//   gopher_below_alpha_threshold words with an alphabetic code point / words
//                                < max_non_alpha_words_ratio
//   gopher_enough_stop_words     distinct stop words present < min_stop_words
// Lines are Python's str.splitlines(). A threshold of 0 disables its rule
// (datatrove's None). Where datatrove would divide by zero (only reachable
// with min_doc_words disabled), the symbol and line ratios are 0, the mean
// word length is NaN (never fails) and the alphabetic ratio is 1.
#ifndef WINNOW_FILTERS_GOPHER_QUALITY_H_
#define WINNOW_FILTERS_GOPHER_QUALITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tokenizer.h"
#include "winnow/step.h"

namespace winnow {

struct GopherQualityOptions {
  // Option `min_doc_words`, default 50; 0 disables.
  int64_t min_doc_words = 50;
  // Option `max_doc_words`, default 100000; 0 disables.
  int64_t max_doc_words = 100000;
  // Option `min_avg_word_length`, default 3; 0 disables.
  double min_avg_word_length = 3;
  // Option `max_avg_word_length`, default 10; 0 disables.
  double max_avg_word_length = 10;
  // Option `max_symbol_word_ratio`, default 0.1; 0 disables.
  double max_symbol_word_ratio = 0.1;
  // Option `max_bullet_lines_ratio`, default 0.9; 0 disables.
  double max_bullet_lines_ratio = 0.9;
  // Option `max_ellipsis_lines_ratio`, default 0.3; 0 disables.
  double max_ellipsis_lines_ratio = 0.3;
  // Option `max_non_alpha_words_ratio`, default 0.8; 0 disables. (Despite the
  // name, datatrove removes documents whose alphabetic-word ratio is BELOW it.)
  double max_non_alpha_words_ratio = 0.8;
  // Option `min_stop_words`, default 2; 0 disables.
  int64_t min_stop_words = 2;
  // Option `stop_words`, default "the,be,to,of,and,that,have,with"
  // (case-sensitive, compared with whole words).
  std::vector<std::string> stop_words = {"the", "be",   "to",   "of",
                                         "and", "that", "have", "with"};
  // Option `write_signals`, default false: append n_words,
  // n_non_symbol_words, avg_word_length, hash_ratio, ellipsis_ratio,
  // bullet_lines_ratio, end_ellipsis_lines_ratio, alpha_words_ratio and
  // stop_words to doc->signals under "gopher_quality".
  bool write_signals = false;
};

class GopherQualityFilter : public Step {
 public:
  explicit GopherQualityFilter(GopherQualityOptions options);

  // Reads the options above; InvalidArgument on bad values.
  static Result<std::unique_ptr<Step>> Create(StepOptions& options);

  std::string_view name() const override { return "gopher_quality"; }
  StepResult Process(Document* doc, Counters* counters) override;

  // Word statistics of the rules above.
  struct WordCounts {
    size_t non_symbol = 0;        // words with a non-punctuation code point
    size_t non_symbol_chars = 0;  // their code points
    size_t alpha = 0;             // words with an alphabetic code point
    size_t stop = 0;              // distinct stop words present
    bool operator==(const WordCounts&) const = default;
  };
  // The counts of `words`, one word at a time (any text).
  WordCounts CountWords(const TokenList& words);
  // The same counts for words that are all ASCII, eight bytes at a time,
  // with a perfect hash of the stop words.
  // Stop words are looked up only until `stop_enough` distinct ones are
  // found: WordCounts::stop is exact when below stop_enough, else some count
  // of at least stop_enough (the verdict needs no more; the signals do).
  // REQUIRES: words.concatenated() is ASCII without Python whitespace (true
  // of TokenCache words: the tokenizer splits at whitespace) and
  // has_stop_hash().
  WordCounts CountAsciiWords(const TokenList& words,
                             size_t stop_enough = SIZE_MAX);
  // Whether CountAsciiWords can be used: every stop word has 1 to 8 bytes
  // and there are at most 64 of them.
  bool has_stop_hash() const { return stop_shift_ != 0; }

 private:
  // Sets stop_slots_, stop_mul_ and stop_shift_ when a perfect hash of
  // short_stops_ exists.
  void BuildStopHash();
  // Index of `word` in the distinct stop words, or -1.
  int StopWordIndex(std::string_view word) const;

  GopherQualityOptions options_;
  std::vector<std::string> stops_;  // distinct stop words
  size_t min_stop_len_ = 0;
  size_t max_stop_len_ = 0;
  bool stop_first_byte_[256] = {};
  // Stop words of 1 to 8 bytes as (length, first 8 bytes zero-padded); a
  // word matches one when its length and padded bytes are equal.
  struct ShortStop {
    uint64_t bytes;
    size_t length;
    int index;
  };
  std::vector<ShortStop> short_stops_;
  std::vector<uint32_t> stop_seen_;  // stop_seen_[k] == doc_gen_: seen
  uint32_t doc_gen_ = 0;
  // Perfect hash of short_stops_: a word of 1 to 8 bytes zero-padded to
  // `bytes` can only be the stop word in slot (bytes * stop_mul_) >>
  // stop_shift_. Slots without a stop word have length 0.
  std::vector<ShortStop> stop_slots_;
  uint64_t stop_mul_ = 0;
  int stop_shift_ = 0;  // 0: no perfect hash (see has_stop_hash())

};

}  // namespace winnow

#endif  // WINNOW_FILTERS_GOPHER_QUALITY_H_
