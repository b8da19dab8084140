// Reads JSON lines with a "text" field on stdin and writes, for each, one
// JSON line {"s": [sentences], "w": [SplitWords tokens], "l": [TokenizeSentence
// tokens of the whole text]}. Used by nltk_diff.py to compare with NLTK.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/json_writer.h"
#include "tokenize/tokenizer.h"

namespace {

void AppendArray(const winnow::TokenList& list, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i != 0) out->push_back(',');
    winnow::AppendJsonString(list[i], out);
  }
  out->push_back(']');
}

}  // namespace

int main() {
  winnow::NltkEnglishTokenizer tokenizer;
  winnow::TokenList words;
  std::vector<std::string_view> sentences;
  simdjson::ondemand::parser parser;
  std::string line;
  std::string out;
  char buf[1 << 16];
  std::string input;
  size_t got;
  while ((got = std::fread(buf, 1, sizeof(buf), stdin)) > 0) input.append(buf, got);
  size_t pos = 0;
  while (pos < input.size()) {
    size_t nl = input.find('\n', pos);
    if (nl == std::string::npos) nl = input.size();
    line.assign(input, pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    std::string_view text;
    auto doc = parser.iterate(padded);
    if (doc.error() || doc["text"].get_string().get(text)) {
      std::fprintf(stderr, "bad input line\n");
      return 1;
    }
    std::string text_copy(text);
    out.clear();
    out += "{\"s\":[";
    tokenizer.SplitSentences(text_copy, &sentences);
    for (size_t i = 0; i < sentences.size(); ++i) {
      if (i != 0) out.push_back(',');
      winnow::AppendJsonString(sentences[i], &out);
    }
    out += "],\"w\":";
    tokenizer.SplitWords(text_copy, &words);
    AppendArray(words, &out);
    out += ",\"l\":";
    tokenizer.TokenizeSentence(text_copy, &words);
    AppendArray(words, &out);
    out += "}\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}
