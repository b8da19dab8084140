#include "filters/token_cache.h"

#include "filters/py_text.h"

namespace winnow {

TokenCache& TokenCache::ForThisThread() {
  thread_local TokenCache cache;
  return cache;
}

const TokenList& TokenCache::Words(std::string_view text) {
  if (valid_ && text == std::string_view(text_)) {
    ++hits_;
    return words_;
  }
  ++misses_;
  words_.Clear();
  tokenizer_.SplitWords(text, &words_);
  text_.assign(text);
  valid_ = true;
  words_ascii_ = -1;
  return words_;
}

bool TokenCache::WordsAreAscii() {
  if (words_ascii_ < 0) words_ascii_ = pytext::IsAscii(words_.concatenated());
  return words_ascii_ != 0;
}

const std::vector<std::string_view>& TokenCache::Lines(std::string_view text) {
  if (lines_valid_ && text.data() == lines_data_ &&
      text == std::string_view(lines_text_)) {
    return lines_;
  }
  pytext::SplitLines(text, &lines_);
  lines_text_.assign(text);
  lines_data_ = text.data();
  lines_valid_ = true;
  return lines_;
}

}  // namespace winnow
