// Agreement with datatrove v0.10.0 on the Reuters-21578 corpus: MinHash
// shingle counts per document and the duplicate clusters of MinHash dedup
// (stages 1 to 4 with default settings). Skipped without the shared data.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "dedup/clusters.h"
#include "dedup/minhash.h"
#include "dedup/run_file.h"
#include "io/input_stream.h"

namespace winnow::dedup {
namespace {

// Reads the lines of a (possibly gzipped) file; false if it is missing.
bool ReadLines(const std::string& path, std::vector<std::string>* lines) {
  auto in = OpenInputStream(path, InputLimits{});
  if (!in.ok()) return false;
  std::string data;
  char buf[1 << 16];
  size_t got;
  while ((*in)->Read(buf, sizeof(buf), &got).ok() && got > 0) {
    data.append(buf, got);
  }
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    if (end > start) lines->push_back(data.substr(start, end - start));
    start = end + 1;
  }
  return true;
}

TEST(MinHashOracle, ReutersShingleCountsAndClustersMatchDatatrove) {
  const char* shared = std::getenv("WINNOW_SHARED_DIR");
  if (shared == nullptr) GTEST_SKIP() << "WINNOW_SHARED_DIR not set";
  std::vector<std::string> docs, verdicts;
  if (!ReadLines(std::string(shared) + "/data/news/reuters21578.jsonl.gz",
                 &docs) ||
      !ReadLines(
          std::string(shared) + "/data/oracle/reuters21578.datatrove.jsonl.gz",
          &verdicts)) {
    GTEST_SKIP() << "Reuters data absent";
  }
  ASSERT_EQ(docs.size(), verdicts.size());

  MinHasher hasher(MinHashConfig{});
  simdjson::dom::parser parser;
  std::vector<uint64_t> sig;
  std::vector<Key128> keys;
  std::vector<RunRecord> records;
  std::vector<bool> oracle_dropped(docs.size());
  size_t shingle_mismatches = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    simdjson::dom::element doc, verdict;
    ASSERT_EQ(parser.parse(docs[i]).get(doc), simdjson::SUCCESS);
    std::string_view text;
    if (doc["text"].get(text) != simdjson::SUCCESS) text = {};
    hasher.Signature(text, &sig);
    hasher.BandKeys(sig, &keys);
    for (const Key128& k : keys) records.push_back({k.hi, k.lo, i});

    simdjson::dom::parser vparser;
    ASSERT_EQ(vparser.parse(verdicts[i]).get(verdict), simdjson::SUCCESS);
    const uint64_t want = verdict["minhash"]["n_shingles"];
    if (hasher.last_num_shingles() != want && ++shingle_mismatches <= 5) {
      ADD_FAILURE() << "doc " << i << ": " << hasher.last_num_shingles()
                    << " shingles, datatrove " << want;
    }
    oracle_dropped[i] =
        std::string_view(verdict["minhash"]["dedup"]) == "drop(duplicate)";
  }
  EXPECT_EQ(shingle_mismatches, 0u);

  SortRunRecords(&records);
  GroupPairEmitter groups;
  UnionFind uf;
  for (const RunRecord& r : records) {
    groups.Add(r, [&](uint64_t a, uint64_t b) { uf.Union(a, b); });
  }
  // Same clusters: every datatrove drop is in one of our clusters, and each
  // cluster has exactly size - 1 datatrove drops (datatrove's survivor may
  // be a different member: it keeps a root chosen by union order).
  std::map<uint64_t, std::pair<size_t, size_t>> clusters;  // size, drops
  size_t our_drops = 0;
  for (const DedupDecision& d : uf.Decisions()) {
    auto& c = clusters[d.survivor];
    ++c.first;
    c.second += oracle_dropped[d.id] ? 1 : 0;
    our_drops += d.id != d.survivor;
  }
  size_t oracle_drops = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!oracle_dropped[i]) continue;
    ++oracle_drops;
    EXPECT_TRUE(uf.Contains(i)) << "datatrove dropped doc " << i;
  }
  for (const auto& [rep, c] : clusters) {
    EXPECT_EQ(c.second + 1, c.first) << "cluster of doc " << rep;
  }
  EXPECT_EQ(our_drops, oracle_drops);
  EXPECT_EQ(oracle_drops, 1490u);
}

}  // namespace
}  // namespace winnow::dedup
