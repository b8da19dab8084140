// Throughput of NltkEnglishTokenizer on the Reuters-21578 texts.
// Data: $WINNOW_SHARED_DIR/data/news/reuters21578.jsonl.gz (default: the
// "shared" directory next to the source tree). Exits 0 without running
// anything when the file is absent.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tokenize/tokenizer.h"

namespace {

std::vector<std::string>* g_texts = nullptr;
size_t g_bytes = 0;

bool LoadTexts(const std::string& path, std::vector<std::string>* texts) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::string data;
  char buf[1 << 16];
  int got;
  while ((got = gzread(f, buf, sizeof(buf))) > 0) data.append(buf, got);
  gzclose(f);
  simdjson::ondemand::parser parser;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) nl = data.size();
    simdjson::padded_string line(std::string_view(data).substr(pos, nl - pos));
    pos = nl + 1;
    if (line.size() == 0) continue;
    std::string_view text;
    auto doc = parser.iterate(line);
    if (doc.error() || doc["text"].get_string().get(text)) return false;
    texts->emplace_back(text);
  }
  return !texts->empty();
}

void BM_SplitWords(benchmark::State& state) {
  winnow::NltkEnglishTokenizer tokenizer;
  winnow::TokenList words;
  size_t tokens = 0;
  for (auto _ : state) {
    for (const std::string& t : *g_texts) {
      tokenizer.SplitWords(t, &words);
      tokens += words.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * g_texts->size()));
  state.counters["tokens"] = benchmark::Counter(
      static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SplitWords)->Unit(benchmark::kMillisecond);

void BM_SplitSentences(benchmark::State& state) {
  winnow::NltkEnglishTokenizer tokenizer;
  std::vector<std::string_view> sentences;
  for (auto _ : state) {
    for (const std::string& t : *g_texts) {
      tokenizer.SplitSentences(t, &sentences);
      benchmark::DoNotOptimize(sentences.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * g_texts->size()));
}
BENCHMARK(BM_SplitSentences)->Unit(benchmark::kMillisecond);

void BM_TokenizeSentence(benchmark::State& state) {
  winnow::NltkEnglishTokenizer tokenizer;
  winnow::TokenList words;
  for (auto _ : state) {
    for (const std::string& t : *g_texts) {
      tokenizer.TokenizeSentence(t, &words);
      benchmark::DoNotOptimize(words.size());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * g_texts->size()));
}
BENCHMARK(BM_TokenizeSentence)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  const char* shared = std::getenv("WINNOW_SHARED_DIR");
  const std::string dir = shared != nullptr ? shared : WINNOW_DEFAULT_SHARED_DIR;
  const std::string path = dir + "/data/news/reuters21578.jsonl.gz";
  std::vector<std::string> texts;
  if (!LoadTexts(path, &texts)) {
    std::printf("tokenizer_benchmark: %s not readable; nothing to run\n",
                path.c_str());
    return 0;
  }
  for (const std::string& t : texts) g_bytes += t.size();
  g_texts = &texts;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
