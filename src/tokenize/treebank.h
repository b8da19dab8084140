// Word tokenization with the behaviour of NLTK 3.8's
// NLTKWordTokenizer().tokenize(text) (convert_parentheses=False).
//
// NLTK applies ~30 regular-expression substitutions in sequence, each seeing
// the spaces the previous ones inserted, then splits on whitespace. This
// implementation needs two passes:
//   1. A scanner over the input decides every substitution of the starting
//      quote, punctuation, bracket and double-dash groups, and of the first
//      three ending-quote rules, from the original bytes (the rules that look
//      at spaces inserted earlier are resolved by looking at what earlier
//      rules do to the neighbouring characters). It writes the padded text.
//   2. A splitter walks the padded text on whitespace and, inside each
//      piece, applies the clitic rules ('s 'm 'd ' and 'll 're 've n't,
//      which need a literal space after them) and the MacIntyre
//      contractions (cannot, gimme, gonna, ... 'tis, 'twas).
// Internal to the tokenize module; use NltkEnglishTokenizer.
#ifndef WINNOW_TOKENIZE_TREEBANK_H_
#define WINNOW_TOKENIZE_TREEBANK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {
class TokenList;
}

namespace winnow::tokenize_internal {

class TreebankWordTokenizer {
 public:
  // Appends the tokens of `text` to *out. Not thread-safe (reuses a buffer).
  void Tokenize(std::string_view text, TokenList* out);

  // With false, the general code replaces every fast path (same results,
  // slower); for differential tests.
  void set_fast_paths(bool on) { fast_paths_ = on; }

 private:
  // Pass 1: writes the padded form of `text` into padded_.
  void Pad(std::string_view text);
  // Pass 2: appends the tokens of padded_ to *out; kFast selects the
  // pre-filters (false: the general code, for differential tests).
  template <bool kFast>
  void SplitPadded(TokenList* out);
  // EmitPiece for padded_[start, stop), out of line (rare).
  [[gnu::noinline]] void EmitSpecialPiece(const char* start, const char* stop,
                                          TokenList* out);
  // Pass 2 on one whitespace-free piece of padded_.
  void EmitPiece(std::string_view piece, bool space_before, bool space_after,
                 TokenList* out);
  // Applies the MacIntyre contractions to one piece and appends the tokens.
  void EmitContractions(std::string_view piece, bool space_before,
                        TokenList* out);

  std::string padded_;       // capacity grows to the largest input seen
  size_t padded_len_ = 0;     // bytes of padded_ in use
  std::vector<uint8_t> cuts_;        // contraction split points
  std::vector<uint8_t> cuts_before_;  // cuts_ when a pass started
  bool fast_paths_ = true;
};

}  // namespace winnow::tokenize_internal

#endif  // WINNOW_TOKENIZE_TREEBANK_H_
