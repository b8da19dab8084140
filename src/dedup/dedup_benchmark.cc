// Throughput of the dedup building blocks on generated data.
//   build-dedup/bin/dedup_benchmark --benchmark_filter=Signature
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dedup/clusters.h"
#include "dedup/keys.h"
#include "dedup/minhash.h"
#include "dedup/run_file.h"
#include "dedup/simplify.h"
#include "io/input_stream.h"

namespace winnow::dedup {
namespace {

// Pseudo-words with a Zipf-like frequency, sentences with capitals, commas,
// numbers and periods: about 1 KB per document.
std::vector<std::string> MakeDocs(size_t count, bool cyrillic) {
  std::mt19937 rng(42);
  const char* latin = "etaoinshrdlucmfwypvbgkjqxz";
  const char* cyr[] = {"о", "е", "а", "и", "н", "т", "с", "р", "в", "л",
                       "к", "м", "д", "п", "у", "я", "ы", "ь", "г", "з"};
  std::vector<std::string> vocab;
  for (int w = 0; w < 5000; ++w) {
    std::string word;
    const int len = 2 + static_cast<int>(rng() % 8);
    for (int k = 0; k < len; ++k) {
      if (cyrillic) {
        word += cyr[rng() % 20];
      } else {
        word += latin[std::min<unsigned>(rng() % 26, rng() % 26)];
      }
    }
    vocab.push_back(word);
  }
  std::vector<std::string> docs;
  for (size_t d = 0; d < count; ++d) {
    std::string text;
    bool sentence_start = true;
    while (text.size() < 1000) {
      const size_t idx =
          std::min<size_t>(rng() % vocab.size(), rng() % vocab.size());
      std::string w = vocab[idx];
      if (sentence_start && !cyrillic) w[0] = static_cast<char>(w[0] - 32);
      sentence_start = false;
      text += w;
      const unsigned r = rng() % 100;
      if (r < 6) {
        text += ". ";
        sentence_start = true;
      } else if (r < 10) {
        text += ", ";
      } else if (r < 12) {
        text += " " + std::to_string(rng() % 10000) + " ";
      } else {
        text += " ";
      }
    }
    docs.push_back(std::move(text));
  }
  return docs;
}

void RunSignatures(benchmark::State& state, bool cyrillic) {
  const auto docs = MakeDocs(2000, cyrillic);
  MinHasher hasher(MinHashConfig{});
  std::vector<uint64_t> sig;
  std::vector<Key128> keys;
  size_t bytes = 0, n = 0;
  for (auto _ : state) {
    const std::string& d = docs[n++ % docs.size()];
    hasher.Signature(d, &sig);
    hasher.BandKeys(sig, &keys);
    benchmark::DoNotOptimize(keys.data());
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(n));
}

void BM_MinHashSignatureEnglishLike(benchmark::State& state) {
  RunSignatures(state, false);
}
BENCHMARK(BM_MinHashSignatureEnglishLike);

void BM_MinHashSignatureCyrillic(benchmark::State& state) {
  RunSignatures(state, true);
}
BENCHMARK(BM_MinHashSignatureCyrillic);

// The texts of the Reuters-21578 corpus from the shared data (empty when
// absent): real news prose, 2,535 empty documents included.
std::vector<std::string> ReutersTexts() {
  const char* env = std::getenv("WINNOW_SHARED_DIR");
  const std::string shared = env != nullptr ? env : WINNOW_DEFAULT_SHARED_DIR;
  std::vector<std::string> texts;
  auto in = OpenInputStream(shared + "/data/news/reuters21578.jsonl.gz",
                            InputLimits{});
  if (!in.ok()) return texts;
  std::string data;
  char buf[1 << 16];
  size_t got;
  while ((*in)->Read(buf, sizeof(buf), &got).ok() && got > 0)
    data.append(buf, got);
  simdjson::dom::parser parser;
  simdjson::dom::document_stream stream;
  if (parser.parse_many(data).get(stream) != simdjson::SUCCESS) return texts;
  for (auto doc : stream) {
    std::string_view text;
    if (doc["text"].get(text) == simdjson::SUCCESS) texts.emplace_back(text);
  }
  return texts;
}

void BM_MinHashSignatureReuters(benchmark::State& state) {
  static const std::vector<std::string> docs = ReutersTexts();
  if (docs.empty()) {
    state.SkipWithError("shared Reuters data absent");
    return;
  }
  MinHasher hasher(MinHashConfig{});
  std::vector<uint64_t> sig;
  std::vector<Key128> keys;
  size_t bytes = 0, n = 0;
  for (auto _ : state) {
    const std::string& d = docs[n++ % docs.size()];
    hasher.Signature(d, &sig);
    hasher.BandKeys(sig, &keys);
    benchmark::DoNotOptimize(keys.data());
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(n));
}
BENCHMARK(BM_MinHashSignatureReuters);

// Simplification, tokenization and shingle hashing without the
// permutations (the difference to the signature benchmark is the kernel).
void BM_ShinglesOnly(benchmark::State& state) {
  const auto docs = MakeDocs(2000, false);
  MinHasher hasher(MinHashConfig{});
  std::vector<uint64_t> shingles;
  size_t bytes = 0, n = 0;
  for (auto _ : state) {
    const std::string& d = docs[n++ % docs.size()];
    hasher.Shingles(d, &shingles);
    benchmark::DoNotOptimize(shingles.data());
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["shingles_per_doc"] = static_cast<double>(shingles.size());
}
BENCHMARK(BM_ShinglesOnly);

void BM_SimplifyText(benchmark::State& state) {
  const auto docs = MakeDocs(2000, state.range(0) != 0);
  std::string out;
  size_t bytes = 0, n = 0;
  for (auto _ : state) {
    const std::string& d = docs[n++ % docs.size()];
    SimplifyText(d, &out);
    benchmark::DoNotOptimize(out.data());
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_SimplifyText)->Arg(0)->Arg(1);

void BM_ExactTextKey(benchmark::State& state) {
  const auto docs = MakeDocs(2000, state.range(0) != 0);
  size_t bytes = 0, n = 0;
  for (auto _ : state) {
    const std::string& d = docs[n++ % docs.size()];
    benchmark::DoNotOptimize(ExactTextKey(d));
    bytes += d.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ExactTextKey)->Arg(0)->Arg(1);

// Clustering: state.range(0) million pairs over state.range(1) million ids
// (pairs drawn uniformly, so most ids end up in one giant component; the
// worst case for union-find locality).
void BM_UnionFindDecisions(benchmark::State& state) {
  const uint64_t pairs = static_cast<uint64_t>(state.range(0)) * 1000000;
  const uint64_t ids = static_cast<uint64_t>(state.range(1)) * 1000000;
  std::mt19937_64 rng(1);
  std::vector<std::pair<uint64_t, uint64_t>> edges(pairs);
  for (auto& e : edges) {
    const uint64_t a = rng() % ids, b = rng() % ids;
    // Positions: file index << 40 | ordinal, 100k documents per file.
    e = {((a / 100000) << 40) | (a % 100000),
         ((b / 100000) << 40) | (b % 100000)};
  }
  for (auto _ : state) {
    UnionFind uf(ids);
    uf.UnionAll(edges.data(), edges.size());
    auto decisions = uf.Decisions();
    benchmark::DoNotOptimize(decisions.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pairs));
}
BENCHMARK(BM_UnionFindDecisions)->Args({20, 5})->Unit(benchmark::kMillisecond);

// Sparse clusters: pairs inside small groups (realistic near-dup structure).
void BM_UnionFindSmallClusters(benchmark::State& state) {
  const uint64_t pairs = static_cast<uint64_t>(state.range(0)) * 1000000;
  std::mt19937_64 rng(2);
  std::vector<std::pair<uint64_t, uint64_t>> edges(pairs);
  for (uint64_t i = 0; i < pairs; ++i) {
    const uint64_t group = rng() % (pairs / 4);
    edges[i] = {group * 16 + rng() % 8, group * 16 + rng() % 8};
  }
  for (auto _ : state) {
    UnionFind uf(pairs);
    uf.UnionAll(edges.data(), edges.size());
    auto decisions = uf.Decisions();
    benchmark::DoNotOptimize(decisions.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pairs));
}
BENCHMARK(BM_UnionFindSmallClusters)->Arg(20)->Unit(benchmark::kMillisecond);

// Map side: RunWriter with spills; reduce side: merge of the partition
// files. state.range(0) million records, 8 partitions, 64 MiB budget.
void BM_RunWriteAndMerge(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0)) * 1000000;
  const std::string dir =
      (std::filesystem::temp_directory_path() / "winnow_dedup_bench").string();
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(3);
  std::vector<RunRecord> recs(n);
  for (size_t i = 0; i < n; ++i) recs[i] = {rng(), rng(), i};
  for (auto _ : state) {
    std::vector<std::string> files[8];
    const int tasks = 4;
    for (int t = 0; t < tasks; ++t) {
      RunWriterOptions o;
      o.prefix = dir + "/task" + std::to_string(t);
      o.num_partitions = 8;
      o.memory_budget_bytes = size_t{64} << 20;
      auto w = RunWriter::Create(o);
      for (size_t i = t; i < n; i += tasks) (*w)->Add(recs[i]);
      if (!(*w)->Finish().ok()) state.SkipWithError("write failed");
      for (uint32_t p = 0; p < 8; ++p)
        files[p].push_back((*w)->PartitionPath(p));
    }
    uint64_t merged = 0;
    for (uint32_t p = 0; p < 8; ++p) {
      auto m = RunMerger::Open(files[p], RunMergerOptions{});
      RunRecord r;
      while ((*m)->Next(&r)) ++merged;
      if (!(*m)->status().ok()) state.SkipWithError("merge failed");
    }
    if (merged != n) state.SkipWithError("record count mismatch");
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n * 24));
}
BENCHMARK(BM_RunWriteAndMerge)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow::dedup

BENCHMARK_MAIN();
