// Removal of navigation phrases pasted many times in a row, such as
// "Back to news » Back to news » Back to news »", whole-line or inside a line.
//
// A run is a phrase of 1..max_phrase_words whitespace-separated words
// repeated at least min_repeats times consecutively (exact, case-sensitive
// word comparison). A run is removed when
//   (a) the phrase contains a navigation marker word: one made only of
//       arrows, guillemets, pipes or bullets (» › → ← « ‹ > >> < | • ·), or
//       a word ending in » › or →; such a run is removed wherever it occurs
//       in a line, with a trailing incomplete repetition at the line's end; or
//   (b) (whole_line_runs) the run is the entire line, the phrase has at least
//       two words, and none of its words carries sentence punctuation
//       (. , ; : ! ?) — a line that is nothing but "Read more Read more
//       Read more".
// Prose repetition is left alone: "very, very, very" has no marker and is
// not a whole line of repeated multi-word phrases; "no no no no" repeats a
// single word. Lines left empty are dropped.
//
// Thread-safe when each thread uses its own NavRunRemover.
#ifndef WINNOW_TEXT_NAV_RUNS_H_
#define WINNOW_TEXT_NAV_RUNS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::text {

struct NavRunOptions {
  // Minimum consecutive repetitions of the phrase. Default 3: two copies
  // occur in real text and in breadcrumbs ("News » World » News »" is not a
  // run), while paste debris repeats far more (7 and 14 times on the seed
  // page); 3 catches short pastes without touching doubled phrases.
  int min_repeats = 3;
  // Longest phrase considered, in words. Default 8 (navigation labels are
  // short; longer periods cost time and risk matching repeated prose).
  int max_phrase_words = 8;
  // Rule (b) above. Default true.
  bool whole_line_runs = true;
};

struct NavRunStats {
  int64_t runs_removed = 0;
  int64_t lines_removed = 0;
};

class NavRunRemover {
 public:
  explicit NavRunRemover(NavRunOptions options) : options_(options) {}

  // Writes the text without navigation runs to *out and returns true, or
  // returns false (then *out is unspecified) when there is nothing to remove.
  // `in` must not alias `*out`.
  bool Remove(std::string_view in, std::string* out, NavRunStats* stats);

 private:
  struct Word {
    uint32_t begin;
    uint32_t end;
  };
  // Returns the line without its runs in *line_out, or false if unchanged.
  bool CleanLine(std::string_view line, std::string* line_out,
                 NavRunStats* stats);
  bool SameWords(std::string_view line, size_t a, size_t b, size_t count) const;
  bool HasMarker(std::string_view line, size_t from, size_t count) const;
  bool IsPlainPhrase(std::string_view line, size_t from, size_t count) const;

  NavRunOptions options_;
  std::vector<Word> words_;
  std::vector<bool> removed_;
  std::string line_scratch_;
};

}  // namespace winnow::text

#endif  // WINNOW_TEXT_NAV_RUNS_H_
