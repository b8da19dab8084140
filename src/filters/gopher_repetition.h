// gopher_repetition: datatrove's GopherRepetitionFilter (v0.10.0), the
// repetition rules of Gopher (Rae et al. 2021, table A1).
//
// In order, the document is removed when:
//   dup_para_frac        duplicate paragraphs / paragraphs > dup_para_frac
//   dup_para_char_frac   chars in duplicate paragraphs / len(text) > ...
//   dup_line_frac        duplicate lines / lines > dup_line_frac
//   dup_line_char_frac   chars in duplicate lines / len(text) > ...
//   top_{n}_gram         len(most frequent word n-gram) * its count / len(text)
//                        > frac, for each (n, frac) of top_n_grams
//   duplicated_{n}_n_grams  chars in repeated word n-grams / len(text) > frac,
//                        for each (n, frac) of dup_n_grams
// Paragraphs are text.strip() split at runs of 2+ '\n'; lines are text split
// at runs of '\n' (both as Python's re.split). Lengths are in code points.
// Top n-grams are words joined by ' '; repeated n-grams are words joined by ''
// (two word windows with the same concatenation count as the same n-gram).
// Words come from the per-thread TokenCache (datatrove split_into_words).
//
// Where datatrove divides by zero (empty text), the ratio is 0 here.
//
// Without write_signals, a duplicated_{n}_n_grams rule whose ratio cannot
// exceed its threshold (the windows that may repeat cover too little text)
// is passed without finding the repeated n-grams, all of them at once when
// one bound shows it for the smallest threshold; the verdict is the same.
//
// Work: each n-gram pass charges doc->work (WorkMeter) the windows it visits
// and the bytes it compares on hash matches (a bound charges the windows it
// visits only); once the meter is exhausted the remaining passes are skipped
// and Process returns Keep (the pipeline then removes the document as
// work_limit). With the default unlimited meter the result is datatrove's.
#ifndef WINNOW_FILTERS_GOPHER_REPETITION_H_
#define WINNOW_FILTERS_GOPHER_REPETITION_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filters/string_set.h"
#include "winnow/step.h"

namespace winnow {

namespace gopher_internal {

// A maximal run of '\n' in a text: bytes [begin, end).
struct NewlineRun {
  size_t begin;
  size_t end;
};

// Python re.split("\n{min_run,}", s) (the reference of the two below).
void SplitAtNewlineRuns(std::string_view s, size_t min_run,
                        std::vector<std::string_view>* out);
// The '\n' runs of `s`, in order. Clears *runs.
void FindNewlineRuns(std::string_view s, std::vector<NewlineRun>* runs);
// re.split("\n{2,}", s.strip()) from the runs of `s`. Clears *out.
void ParagraphsFromRuns(std::string_view s, const std::vector<NewlineRun>& runs,
                        std::vector<std::string_view>* out);
// re.split("\n+", s) from the runs of `s`. Clears *out.
void LinesFromRuns(std::string_view s, const std::vector<NewlineRun>& runs,
                   std::vector<std::string_view>* out);

}  // namespace gopher_internal

struct GopherRepetitionOptions {
  // Option `dup_line_frac`, default 0.3; 0 disables.
  double dup_line_frac = 0.3;
  // Option `dup_para_frac`, default 0.3; 0 disables.
  double dup_para_frac = 0.3;
  // Option `dup_line_char_frac`, default 0.2; 0 disables.
  double dup_line_char_frac = 0.2;
  // Option `dup_para_char_frac`, default 0.2; 0 disables.
  double dup_para_char_frac = 0.2;
  // Option `top_n_grams`, default "2:0.2,3:0.18,4:0.16".
  std::vector<std::pair<int, double>> top_n_grams = {{2, 0.2}, {3, 0.18}, {4, 0.16}};
  // Option `dup_n_grams`, default "5:0.15,6:0.14,7:0.13,8:0.12,9:0.11,10:0.1".
  std::vector<std::pair<int, double>> dup_n_grams = {
      {5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}};
  // Option `write_signals`, default false: append all ratios to doc->signals
  // under "gopher_repetition" (keys are the reason names), computing every
  // ratio even after the first failing rule.
  bool write_signals = false;
};

class GopherRepetitionFilter : public Step {
 public:
  explicit GopherRepetitionFilter(GopherRepetitionOptions options);

  // Reads the options above; InvalidArgument on bad values.
  static Result<std::unique_ptr<Step>> Create(StepOptions& options);

  std::string_view name() const override { return "gopher_repetition"; }
  StepResult Process(Document* doc, Counters* counters) override;

 private:
  // Open-addressing table slot: `key` is a window hash or a pair of n-gram
  // ids; `id` indexes first_ and count_.
  struct Slot {
    uint64_t key;
    uint32_t id;
    uint32_t gen;  // in use when gen == gen_
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // Reads the words of `text` and prepares the per-word tables below.
  void PrepareWords(std::string_view text);
  // Computes unique_len_ for the num_words_ words of words_.
  void FindUniquePrefixes();
  // Its level kLen (16, 32 or 64): the starts of shared_ (whose shorter
  // prefix is shared) whose kLen-byte prefix is unique get unique_len_
  // kLen; shared_ (num_shared_) becomes those whose prefix is still shared.
  template <size_t kLen>
  void FindSharedPrefixes();
  // Python find_top_duplicate over the ' '-joined n-grams: code point length
  // of the most frequent n-gram (first seen wins ties) times its count.
  size_t TopNgramChars(size_t n);
  // Counts the n-grams of n words by hashing their bytes (level n).
  void CountNgramsByHash(size_t n);
  // Its loop, for n == kN when kN > 0 (1 or 2: short windows are keyed by
  // their bytes), else for any n > 2, so that the window loop does not test
  // n and reads the offsets at constant distances.
  template <int kN>
  void CountNgramsByHashLoop(size_t n);
  // Counts the (level_ + 1)-grams from the repeated level_-grams.
  void CountNgramsByPairs();
  // Python find_all_duplicate over the ''-joined n-grams.
  size_t RepeatedNgramChars(size_t n);
  // Code points covered by the windows of n words that may repeat
  // (MayRepeat): at least RepeatedNgramChars(n), whose windows are disjoint
  // and may each repeat. One pass over dup_candidates_ without hashing.
  size_t MayRepeatChars(size_t n);
  // Code points covered by the windows of max_dup_n_ words (or up to the
  // last word) at the starts of dup_candidates_: at least MayRepeatChars(n)
  // for every n of dup_n_grams, so one pass can pass all their rules.
  size_t AnyRepeatChars();
  // Whether the window of n words at i can equal another window of n words:
  // two equal windows of L bytes start with the same min(L, K) bytes for
  // every K, so a window at least as long as a prefix unique to its start
  // repeats nowhere.
  bool MayRepeat(size_t i, size_t n) const {
    return off_[i + n] - off_[i] < unique_len_[i];
  }
  // Empties the table and the ids, sized for `expected` keys.
  void ResetTable(size_t expected);
  // Claims free slot `s` for `key` with a new id for window `first`.
  // REQUIRES: first_ and count_ have room (ResetTable sizes them).
  uint32_t Insert(size_t s, uint64_t key, uint32_t first) {
    const uint32_t id = ids_used_++;
    table_[s] = Slot{key, id, gen_};
    first_[id] = first;
    count_[id] = 1;
    return id;
  }

  GopherRepetitionOptions options_;
  std::vector<std::string> top_names_;
  std::vector<std::string> dup_names_;

  StringSet set_;
  std::vector<gopher_internal::NewlineRun> runs_;
  std::vector<std::string_view> parts_;  // paragraphs
  std::vector<std::string_view> lines_;  // apart, so that neither shrinks

  // Words of the current text, in the token list's concatenation: word i is
  // words_[off_[i], off_[i + 1]). Valid during one Process().
  const char* words_ = nullptr;
  size_t num_words_ = 0;
  // Work of the n-gram passes not yet charged to the document (windows
  // visited plus bytes compared on hash matches; see WorkMeter).
  uint64_t work_ = 0;
  std::vector<uint32_t> off_;
  std::vector<uint32_t> cp_prefix_;  // code points of words [0, i)
  const uint32_t* cp_ = nullptr;     // cp_prefix_, or off_ for ASCII words
  // unique_len_[i]: the smallest K of kPrefixLevels (8, 16, 32, 64) such
  // that the K bytes at word start i start no other word, or UINT32_MAX
  // when there is none (also when fewer than K bytes follow). 32 bits: with
  // a smaller "none" (255 once), windows at least that long whose start
  // shares its 64-byte prefix were taken as occurring once.
  std::vector<uint32_t> unique_len_;
  // Word starts whose prefix of the level being computed is not yet known
  // to be unique (scratch of PrepareWords): the first num_shared_ entries
  // (the vectors only grow).
  std::vector<uint32_t> shared_;
  std::vector<uint32_t> next_shared_;
  size_t num_shared_ = 0;
  // Word starts i with MayRepeat(i, min_dup_n_), in order: the first
  // num_dup_candidates_ entries (the vector only grows; see PrepareWords).
  std::vector<uint32_t> dup_candidates_;
  size_t num_dup_candidates_ = 0;
  std::span<const uint32_t> DupCandidates() const {
    return {dup_candidates_.data(), num_dup_candidates_};
  }
  size_t min_dup_n_ = 1;  // smallest n of dup_n_grams
  size_t max_dup_n_ = 1;  // largest n of dup_n_grams
  double min_dup_frac_ = 0;  // smallest threshold of dup_n_grams

  // Top n-gram levels: after counting level_-grams, ids_[i] is the id of
  // the window at i (kNone when it occurs once) and repeated_ lists, in
  // order, the windows whose n-gram occurs more than once.
  size_t level_ = 0;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> next_ids_;
  std::vector<uint32_t> repeated_;  // the first num_repeated_ entries
  size_t num_repeated_ = 0;
  std::vector<uint32_t> first_;  // per id: first window
  std::vector<uint32_t> count_;  // per id: occurrences
  uint32_t ids_used_ = 0;
  // Of the level_-grams: the largest count (1 when none repeats) and the
  // smallest id with that count (valid when best_count_ > 1).
  uint32_t best_count_ = 1;
  uint32_t best_id_ = 0;

  std::vector<Slot> table_;
  size_t mask_ = 0;
  uint32_t gen_ = 0;
};

}  // namespace winnow

#endif  // WINNOW_FILTERS_GOPHER_REPETITION_H_
