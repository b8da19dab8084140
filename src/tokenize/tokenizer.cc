#include "tokenize/tokenizer.h"

namespace winnow {

void TokenList::Grow(size_t n) {
  size_t capacity = capacity_ < 256 ? 256 : capacity_ * 2;
  while (capacity - used_ < n) capacity *= 2;
  std::unique_ptr<char[]> bigger(new char[capacity]);
  if (used_ != 0) std::memcpy(bigger.get(), arena_.get(), used_);
  arena_ = std::move(bigger);
  capacity_ = capacity;
}

std::vector<std::string> TokenList::ToVector() const {
  std::vector<std::string> v;
  v.reserve(size());
  for (const std::string_view t : *this) v.emplace_back(t);
  return v;
}

void NltkEnglishTokenizer::SplitSentences(
    std::string_view text, std::vector<std::string_view>* sentences) {
  punkt_.Split(text, &spans_);
  sentences->clear();
  for (const auto& [begin, end] : spans_) {
    sentences->push_back(text.substr(begin, end - begin));
  }
}

void NltkEnglishTokenizer::SplitWords(std::string_view text,
                                      TokenList* words) {
  words->Clear();
  punkt_.Split(text, &spans_);
  // strip_strings is the identity here: Treebank tokens come from a
  // whitespace split, so they are never empty and never contain whitespace.
  for (const auto& [begin, end] : spans_) {
    treebank_.Tokenize(text.substr(begin, end - begin), words);
  }
}

void NltkEnglishTokenizer::TokenizeSentence(std::string_view sentence,
                                            TokenList* words) {
  words->Clear();
  treebank_.Tokenize(sentence, words);
}

}  // namespace winnow
