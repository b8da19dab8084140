#include "filters/token_cache.h"

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
  return words_;
}

}  // namespace winnow
