// English sentence and word tokenization with the exact semantics that
// datatrove v0.10.0 gets from NLTK 3.8 when no Punkt model is installed:
//
//   sentences = PunktSentenceTokenizer().tokenize(text)      (untrained)
//   words     = strip_strings([tok for s in sentences
//                              for tok in NLTKWordTokenizer().tokenize(s)])
//
// Both are reimplemented as hand-written byte scanners (no regex engine);
// Python's Unicode notions of whitespace, word characters, digits and case
// are reproduced on UTF-8 (see char_classes.h). Invalid UTF-8 is accepted:
// each malformed byte behaves like a symbol character.
//
// src/tokenize/nltk_diff.py compares this implementation with NLTK itself.
#ifndef WINNOW_TOKENIZE_TOKENIZER_H_
#define WINNOW_TOKENIZE_TOKENIZER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenize/punkt.h"
#include "tokenize/treebank.h"

namespace winnow {

// A list of tokens whose bytes live in one arena owned by the list, so that
// filling it allocates nothing once it has grown to the working size.
// Views returned by operator[] or iteration stay valid until the next call
// that modifies the list (Clear or Add). Not thread-safe. REQUIRES: the
// tokens total less than 4 GiB.
class TokenList {
 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    const_iterator() = default;
    std::string_view operator*() const { return (*list_)[index_]; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++index_;
      return old;
    }
    const_iterator& operator--() {
      --index_;
      return *this;
    }
    const_iterator& operator+=(difference_type d) {
      index_ += d;
      return *this;
    }
    const_iterator operator+(difference_type d) const {
      return const_iterator(list_, index_ + d);
    }
    difference_type operator-(const const_iterator& o) const {
      return static_cast<difference_type>(index_) -
             static_cast<difference_type>(o.index_);
    }
    std::string_view operator[](difference_type d) const {
      return (*list_)[index_ + d];
    }
    bool operator==(const const_iterator& o) const { return index_ == o.index_; }
    bool operator!=(const const_iterator& o) const { return index_ != o.index_; }

   private:
    friend class TokenList;
    const_iterator(const TokenList* list, size_t index)
        : list_(list), index_(index) {}
    const TokenList* list_ = nullptr;
    size_t index_ = 0;
  };

  void Clear() {
    used_ = 0;
    num_bounds_ = 1;
  }
  size_t size() const { return num_bounds_ - 1; }
  bool empty() const { return num_bounds_ == 1; }
  std::string_view operator[](size_t i) const {
    return std::string_view(arena_.get() + bounds_[i],
                            bounds_[i + 1] - bounds_[i]);
  }
  // All tokens concatenated in order (Python "".join(tokens)): token i is
  // concatenated().substr(offset(i), (*this)[i].size()). Valid until the next
  // Clear or Add.
  std::string_view concatenated() const {
    return std::string_view(arena_.get(), used_);
  }
  size_t offset(size_t i) const { return bounds_[i]; }
  // offset(i) for i in [0, size()], the last one being concatenated().size().
  const uint32_t* offsets() const { return bounds_.data(); }
  // Copies `token` into the arena.
  void Add(std::string_view token) {
    const size_t n = token.size();
    if (capacity_ - used_ < n) Grow(n);
    std::memcpy(arena_.get() + used_, token.data(), n);
    used_ += n;
    if (num_bounds_ == bounds_.size()) bounds_.resize(2 * num_bounds_);
    bounds_[num_bounds_++] = static_cast<uint32_t>(used_);
  }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }
  // Copies the tokens out; for tests and tools, not for hot paths.
  std::vector<std::string> ToVector() const;

 private:
  friend class tokenize_internal::TreebankWordTokenizer;

  // Producers that guarantee kSlack readable bytes after each token copy
  // short tokens as one fixed-size block.
  static constexpr size_t kSlack = 16;

  // Bulk appending (TreebankWordTokenizer keeps the state in locals, so
  // that its stores into the arena do not force reloads of the list):
  // BeginBulk makes room for at most `max_tokens` tokens of `max_bytes`
  // bytes in all, plus kSlack, and returns the arena, the bytes used and
  // where the next bound goes; EndBulk takes the state back. The list must
  // not be used in between.
  struct Bulk {
    char* arena;
    size_t used;
    uint32_t* bound;
  };
  Bulk BeginBulk(size_t max_bytes, size_t max_tokens) {
    if (capacity_ - used_ < max_bytes + kSlack) Grow(max_bytes + kSlack);
    if (bounds_.size() - num_bounds_ < max_tokens)
      bounds_.resize(std::max(2 * bounds_.size(), num_bounds_ + max_tokens));
    return Bulk{arena_.get(), used_, bounds_.data() + num_bounds_};
  }
  void EndBulk(const Bulk& bulk) {
    used_ = bulk.used;
    num_bounds_ = static_cast<size_t>(bulk.bound - bounds_.data());
  }

  // Makes room for `n` more bytes, keeping the existing ones.
  void Grow(size_t n);

  std::unique_ptr<char[]> arena_;
  size_t capacity_ = 0;  // bytes allocated in arena_
  size_t used_ = 0;      // bytes of arena_ holding tokens
  // Token i is arena_[bounds_[i], bounds_[i + 1]); bounds_[0] == 0. Only
  // the first num_bounds_ entries are in use (bounds_ only grows, so that
  // filling the list does not zero-fill it again).
  std::vector<uint32_t> bounds_ = {0};
  size_t num_bounds_ = 1;
};

// English tokenizer with datatrove v0.10.0 / NLTK 3.8 semantics.
// Not thread-safe: use one instance per thread (it keeps scratch buffers,
// which is what makes repeated calls allocation-free).
class NltkEnglishTokenizer {
 public:
  // Replaces *sentences with the sentences of an untrained
  // PunktSentenceTokenizer().tokenize(text), as views into `text` (valid as
  // long as `text` is). Sentences are not stripped: the first one keeps any
  // leading whitespace of `text`, exactly as NLTK returns it (datatrove's
  // sent_tokenize then applies strip_strings, i.e. Python str.strip() and
  // dropping empty sentences; callers reproducing it must do the same).
  // Empty or all-whitespace text gives no sentences.
  void SplitSentences(std::string_view text,
                      std::vector<std::string_view>* sentences);

  // Replaces *words with datatrove's word_tokenize(text): the NLTK
  // Treebank tokens of each Punkt sentence, then strip_strings.
  void SplitWords(std::string_view text, TokenList* words);

  // Replaces *words with NLTKWordTokenizer().tokenize(sentence), i.e.
  // word_tokenize(..., preserve_line=True): no sentence splitting.
  void TokenizeSentence(std::string_view sentence, TokenList* words);

  // For differential tests: with false, the general code replaces the
  // pre-filters and ASCII shortcuts (the results must not change).
  void SetFastPathsForTesting(bool on) {
    punkt_.set_fast_paths(on);
    treebank_.set_fast_paths(on);
  }

 private:
  tokenize_internal::PunktSentenceSplitter punkt_;
  tokenize_internal::TreebankWordTokenizer treebank_;
  std::vector<std::pair<size_t, size_t>> spans_;
};

}  // namespace winnow

#endif  // WINNOW_TOKENIZE_TOKENIZER_H_
