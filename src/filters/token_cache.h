// Per-thread word tokenization shared by the filters of one thread.
//
// datatrove tokenizes the same text once per filter (Gopher repetition, Gopher
// quality and FineWeb quality each call split_into_words). Here the words of
// the last text tokenized on a thread are kept, keyed on the exact bytes of
// that text, so a cascade of filters tokenizes each document once. A text that
// changed in between (e.g. rewritten by c4_quality) is tokenized again.
//
// Thread safety: each thread has its own cache and tokenizer; nothing is
// shared between threads.
#ifndef WINNOW_FILTERS_TOKEN_CACHE_H_
#define WINNOW_FILTERS_TOKEN_CACHE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tokenizer.h"

namespace winnow {

class TokenCache {
 public:
  // The calling thread's cache, created on first use.
  static TokenCache& ForThisThread();

  // The words of `text` with datatrove's split_into_words semantics. The
  // reference stays valid until the next call of Words() on this thread.
  const TokenList& Words(std::string_view text);

  // Whether the words of the last Words() call are all ASCII (pytext::IsAscii
  // of their concatenation), computed once per tokenized text.
  bool WordsAreAscii();

  // The lines of `text` as pytext::SplitLines splits them, kept like the
  // words so that the filters of a cascade split each document once. The
  // views point into `text`; the reference stays valid until the next call of
  // Lines() on this thread.
  const std::vector<std::string_view>& Lines(std::string_view text);

  // This thread's tokenizer (for sentence splitting).
  NltkEnglishTokenizer& tokenizer() { return tokenizer_; }

  // Number of Words() calls answered from the cache / by tokenizing.
  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

 private:
  TokenCache() = default;

  NltkEnglishTokenizer tokenizer_;
  std::string text_;
  TokenList words_;
  bool valid_ = false;
  int8_t words_ascii_ = -1;  // WordsAreAscii(): unknown (-1), false, true
  // Lines() cache: the text (its address and bytes) and its lines.
  std::string lines_text_;
  const char* lines_data_ = nullptr;
  std::vector<std::string_view> lines_;
  bool lines_valid_ = false;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
};

}  // namespace winnow

#endif  // WINNOW_FILTERS_TOKEN_CACHE_H_
