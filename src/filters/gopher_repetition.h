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
#ifndef WINNOW_FILTERS_GOPHER_REPETITION_H_
#define WINNOW_FILTERS_GOPHER_REPETITION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filters/string_set.h"
#include "winnow/step.h"

namespace winnow {

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
  struct Slot {
    uint64_t hash;
    uint32_t gen;
    uint32_t first;  // window index of the first occurrence
    uint32_t count;
  };

  // Fills the word streams and prefix code point counts.
  void PrepareWords(std::string_view text);
  // Python find_top_duplicate over the ' '-joined n-grams: code point length
  // of the most frequent n-gram (first seen wins ties) times its count.
  size_t TopNgramChars(size_t n);
  // Python find_all_duplicate over the ''-joined n-grams.
  size_t RepeatedNgramChars(size_t n);
  void ResetTable(size_t expected);
  // Sets (*unique)[i] when the 8 bytes of `stream` at off[i] occur at no
  // other word start. Two equal windows of 8+ bytes start with equal 8 bytes,
  // so a window starting at a unique position equals no other window.
  void MarkUniqueStarts(const std::string& stream,
                        const std::vector<uint32_t>& off,
                        std::vector<uint8_t>* unique);

  GopherRepetitionOptions options_;
  std::vector<std::string> top_names_;
  std::vector<std::string> dup_names_;

  StringSet set_;
  std::vector<std::string_view> parts_;
  // Words concatenated ("") and each followed by a space (" "), both
  // followed by 8 bytes of padding.
  std::string joined_;
  std::string spaced_;
  std::vector<uint32_t> joined_off_;  // word i starts at joined_off_[i]
  std::vector<uint32_t> spaced_off_;
  std::vector<uint32_t> cp_prefix_;   // code points of words [0, i)
  struct StartSlot {
    uint64_t key;
    uint32_t gen;
    uint32_t count;
  };
  std::vector<StartSlot> starts_;
  std::vector<uint32_t> starts_slot_;
  uint32_t starts_gen_ = 0;
  std::vector<uint8_t> joined_unique_;
  std::vector<uint8_t> spaced_unique_;
  bool joined_unique_ready_ = false;
  bool spaced_unique_ready_ = false;
  std::vector<Slot> table_;
  size_t mask_ = 0;
  uint32_t gen_ = 0;
};

}  // namespace winnow

#endif  // WINNOW_FILTERS_GOPHER_REPETITION_H_
