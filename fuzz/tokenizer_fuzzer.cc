// libFuzzer target: the NLTK-exact sentence and word tokenizers on any
// bytes (invalid UTF-8 included). Sentences are views inside the text, in
// order; token offsets are consistent with the concatenated tokens; the
// fast paths give the general code's tokens.
#include <string>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "tokenize/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (kFuzzMaxInput >> 2)) return 0;
  const std::string_view text = FuzzBytes(data, size);
  static winnow::NltkEnglishTokenizer tokenizer;
  std::vector<std::string_view> sentences;
  tokenizer.SplitSentences(text, &sentences);
  const char* last = text.data();
  for (const std::string_view s : sentences) {
    FUZZ_CHECK(s.data() >= last && s.data() + s.size() <= text.data() + text.size());
    last = s.data() + s.size();
  }
  winnow::TokenList words;
  tokenizer.SplitWords(text, &words);
  const std::string_view all = words.concatenated();
  size_t total = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    FUZZ_CHECK(words.offset(i) == total);
    FUZZ_CHECK(!words[i].empty());
    total += words[i].size();
  }
  FUZZ_CHECK(total == all.size());
  // The fast paths (Treebank's fused scan among them) give what the general
  // code gives.
  static winnow::NltkEnglishTokenizer general = [] {
    winnow::NltkEnglishTokenizer t;
    t.SetFastPathsForTesting(false);
    return t;
  }();
  winnow::TokenList general_words;
  general.SplitWords(text, &general_words);
  FUZZ_CHECK(general_words.concatenated() == all);
  FUZZ_CHECK(general_words.size() == words.size());
  for (size_t i = 0; i <= words.size(); ++i) {
    FUZZ_CHECK(general_words.offset(i) == words.offset(i));
  }
  return 0;
}
