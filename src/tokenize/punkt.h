// Sentence splitting with the behaviour of NLTK 3.8's
// PunktSentenceTokenizer() constructed without training data: no known
// abbreviations, collocations or sentence starters, and empty orthographic
// context. What remains of Punkt in that state:
//   * candidate breaks are '.', '?' or '!' followed by one of )";}]*:@'({[?!
//     or by whitespace and a further token (the "period context");
//   * overlapping candidates (no ASCII whitespace between them) collapse to
//     the last one, as in PunktSentenceTokenizer._match_potential_end_contexts;
//   * a candidate breaks when some token of its context (the word before it,
//     the end character and what follows) other than the last is marked as a
//     sentence break: '.', '?', '!', or a token ending in a single '.', except
//     that an initial ("J.") or a number ("5.") followed by a lowercase word
//     or by ; : , . ! ? does not break, nor does an initial followed by an
//     uppercase word;
//   * closing quotes and brackets after a break are moved into the previous
//     sentence (realign_boundaries=True).
// Internal to the tokenize module; use NltkEnglishTokenizer.
#ifndef WINNOW_TOKENIZE_PUNKT_H_
#define WINNOW_TOKENIZE_PUNKT_H_

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow::tokenize_internal {

class PunktSentenceSplitter {
 public:
  // Replaces *spans with the [begin, end) byte offsets of the sentences of
  // `text`. Not thread-safe (scratch buffers are reused).
  void Split(std::string_view text,
             std::vector<std::pair<size_t, size_t>>* spans);

  // With false, the general code replaces every fast path (same results,
  // slower); for differential tests.
  void set_fast_paths(bool on) { fast_paths_ = on; }

 private:
  struct Token {
    size_t begin, end;
  };
  // Whether PunktSentenceTokenizer.text_contains_sentbreak(context) holds.
  bool ContainsSentbreak(std::string_view context);
  // ContainsSentbreak(context) for the candidate end character at
  // text[pos] (1 or 0), the context being text[word_start, ...) up to the
  // non-word character after it (!has_next) or to the end of the word at
  // next_tok, when the context has a common shape that needs no
  // tokenizing: the end character is '?' or '!', or two ASCII letters come
  // before the period, or a simple word, the period, and then the non-word
  // character or whitespace and a word without '.', '?' or '!' that does
  // not start with ';', ':' or ','. Otherwise -1.
  int FastContainsSentbreak(std::string_view text, size_t word_start,
                            size_t pos, bool has_next, size_t next_tok);
  // Appends the Punkt word tokens of one line (no '\n' inside).
  void TokenizeLine(std::string_view text, size_t begin, size_t end);

  std::vector<Token> tokens_;
  std::vector<std::pair<size_t, size_t>> slices_;
  bool fast_paths_ = true;
};

}  // namespace winnow::tokenize_internal

#endif  // WINNOW_TOKENIZE_PUNKT_H_
