// c4_quality: datatrove's C4QualityFilter (v0.10.0), the C4 cleaning rules
// (Raffel et al. 2020). It REWRITES doc->text: kept lines are joined with
// "\n" (" " when split_paragraph is false) and the result is stripped.
//
// The text is split into lines (Python str.splitlines(); with
// split_paragraph=false, into Punkt sentence spans). Each line is stripped,
// then, in order:
//   - dropped if a whitespace-separated word is longer than max_word_length
//     code points;
//   - citations "[<digits>]", "[edit]", "[citation needed]" are deleted
//     (remove_citations);
//   - dropped if it does not end with . ? ! " ' or ends with "..."
//     (filter_no_terminal_punct);
//   - dropped if it has fewer than min_words_per_line words (words counted
//     before citation removal, as datatrove does);
//   - "lorem ipsum" (case-insensitive) removes the DOCUMENT: lorem_ipsum;
//   - dropped if it contains "javascript" (case-insensitive);
//   - "{" removes the DOCUMENT: curly_bracket;
//   - dropped if it contains a cookie/terms/privacy policy phrase;
//   - otherwise kept; it adds its number of Punkt sentences (at least 1) to
//     the count (1 per kept line with split_paragraph=false).
// Finally the document is removed with too_few_sentences when the count is
// below min_num_sentences. The text is only rewritten when the document is
// kept.
//
// Counters (summed over documents, datatrove's stat names): line-total,
// line-kept, line-filter-too_long_word, line-filter-no_terminal_punc,
// line-filter-too_few_words, line-filter-javascript, line-filter-policy.
#ifndef WINNOW_FILTERS_C4_QUALITY_H_
#define WINNOW_FILTERS_C4_QUALITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/step.h"

namespace winnow {

struct C4QualityOptions {
  // Option `split_paragraph`, default true: lines are text lines; false:
  // Punkt sentences.
  bool split_paragraph = true;
  // Option `remove_citations`, default true.
  bool remove_citations = true;
  // Option `filter_no_terminal_punct`, default true. (FineWeb's recipe sets it
  // to false.)
  bool filter_no_terminal_punct = true;
  // Option `min_num_sentences`, default 5; -1 disables.
  int64_t min_num_sentences = 5;
  // Option `min_words_per_line`, default 3; -1 disables.
  int64_t min_words_per_line = 3;
  // Option `max_word_length`, default 1000 (code points); -1 disables.
  int64_t max_word_length = 1000;
  // Option `filter_lorem_ipsum`, default true.
  bool filter_lorem_ipsum = true;
  // Option `filter_javascript`, default true.
  bool filter_javascript = true;
  // Option `filter_curly_bracket`, default true.
  bool filter_curly_bracket = true;
  // Option `filter_policy`, default true: drops lines containing "terms of
  // use", "privacy policy", "cookie policy", "uses cookies", "use of
  // cookies" or "use cookies".
  bool filter_policy = true;
  // Option `write_signals`, default false: append lines, kept_lines and
  // num_sentences to doc->signals under "c4_quality" (on a lorem_ipsum or
  // curly_bracket removal: counted up to that line).
  bool write_signals = false;
};

class C4QualityFilter : public Step {
 public:
  explicit C4QualityFilter(C4QualityOptions options);

  // Reads the options above; InvalidArgument on bad values.
  static Result<std::unique_ptr<Step>> Create(StepOptions& options);

  std::string_view name() const override { return "c4_quality"; }
  StepResult Process(Document* doc, Counters* counters) override;

 private:
  // Splits doc text into the units datatrove iterates over.
  void SplitUnits(std::string_view text);

  C4QualityOptions options_;
  std::vector<std::string_view> lines_;
  std::vector<std::string_view> sentences_;
  std::string cited_;  // line without citations
  std::string lower_;
  std::string out_;
};

namespace c4_internal {

// Whether some line of `text` may contain a lorem ipsum, javascript or
// policy phrase after str.lower(): one of "lorem ipsum", "javascript",
// "terms of use", "privacy policy", "cookie" occurs ASCII
// case-insensitively, or the text has U+212A KELVIN SIGN (which lowers to
// 'k'). One pass over the text for all five.
bool MayContainPhrase(std::string_view text);
// The same answer, one pass per phrase (the reference of the tests).
bool MayContainPhraseByAnchor(std::string_view text);

}  // namespace c4_internal

}  // namespace winnow

#endif  // WINNOW_FILTERS_C4_QUALITY_H_
