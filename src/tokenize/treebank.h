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
// With the fast paths on (the default), one scan does both: it cuts the
// text where pass 1 would write or copy whitespace and appends the pieces
// as tokens, handing only the pieces with a quote or a possible contraction
// to pass 2's piece code. The two passes stay as the general code and the
// reference of the differential tests.
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
  // Both passes in one scan of `text`: appends its tokens to *out. Pieces
  // with a quote or a possible contraction go to EmitFusedSpecial.
  void TokenizeFused(std::string_view text, TokenList* out);
  // Appends the tokens of one piece of TokenizeFused (has_quote: it has a
  // quote; may_contract: a word start in it passed the contraction
  // pre-filter; space_before/after: a literal ' ' precedes/follows it in the
  // padded text): the common clitics directly, otherwise through EmitPiece
  // or EmitContractions. TokenizeFused hands over its bulk state and gets
  // it back with room for the tokens of `rest` more bytes of text.
  struct BulkState {  // TokenList::Bulk
    char* arena;
    size_t used;
    uint32_t* bound;
  };
  [[gnu::noinline]] BulkState EmitFusedSpecial(
      BulkState bulk, std::string_view piece, bool has_quote,
      bool may_contract, bool space_before, bool space_after, size_t rest,
      TokenList* out);
  // Pass 1: writes the padded form of `text` into padded_.
  void Pad(std::string_view text);
  // Pass 2: appends the tokens of padded_ to *out.
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

  std::string text_copy_;    // TokenizeFused's text, then 64 NULs
  std::string padded_;       // capacity grows to the largest input seen
  size_t padded_len_ = 0;     // bytes of padded_ in use
  std::vector<uint8_t> cuts_;        // contraction split points
  std::vector<uint8_t> cuts_before_;  // cuts_ when a pass started
  bool fast_paths_ = true;
};

}  // namespace winnow::tokenize_internal

#endif  // WINNOW_TOKENIZE_TREEBANK_H_
