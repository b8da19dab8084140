#include "dedup/clusters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace winnow::dedup {
namespace {

TEST(GroupPairEmitter, EmitsAStarAroundEachGroupMinimum) {
  std::vector<RunRecord> recs = {
      {1, 0, 5}, {1, 0, 7},  {1, 0, 7}, {1, 0, 9},  // group {5, 7, 9}
      {2, 0, 3},                                    // singleton
      {3, 1, 4}, {3, 1, 4},                         // one doc twice
      {3, 2, 8}, {3, 2, 10},                        // key_lo differs
  };
  GroupPairEmitter g;
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (const auto& r : recs) {
    g.Add(r, [&](uint64_t m, uint64_t rep) { pairs.emplace_back(m, rep); });
  }
  EXPECT_EQ(pairs, (std::vector<std::pair<uint64_t, uint64_t>>{
                       {7, 5}, {9, 5}, {10, 8}}));
  EXPECT_EQ(g.groups(), 2u);
  EXPECT_EQ(g.pairs(), 3u);
}

TEST(UnionFind, RepresentativeIsTheMinimumIdWhateverTheOrder) {
  std::vector<std::pair<uint64_t, uint64_t>> pairs = {
      {50, 40}, {40, 30}, {90, 91}, {30, 70}, {91, 92}, {1000, 5}};
  for (int trial = 0; trial < 20; ++trial) {
    std::shuffle(pairs.begin(), pairs.end(), std::mt19937(trial));
    UnionFind uf;
    for (auto [a, b] : pairs) {
      if (trial % 2) std::swap(a, b);
      uf.Union(a, b);
    }
    EXPECT_EQ(uf.Find(70), 30u);
    EXPECT_EQ(uf.Find(50), 30u);
    EXPECT_EQ(uf.Find(92), 90u);
    EXPECT_EQ(uf.Find(1000), 5u);
    EXPECT_EQ(uf.Find(12345), 12345u);  // never added
    EXPECT_EQ(uf.num_components(), 3u);
    auto d = uf.Decisions();
    EXPECT_EQ(d, (std::vector<DedupDecision>{{5, 5},
                                             {30, 30},
                                             {40, 30},
                                             {50, 30},
                                             {70, 30},
                                             {90, 90},
                                             {91, 90},
                                             {92, 90},
                                             {1000, 5}}));
  }
}

TEST(UnionFind, SurvivorByRankBreaksTiesByPosition) {
  UnionFind uf;
  uf.Union(10, 20);
  uf.Union(20, 30);
  uf.Union(40, 50);
  auto length = [](uint64_t id) -> int {
    switch (id) {
      case 10:
        return 5;
      case 20:
        return 9;
      case 30:
        return 9;
      default:
        return 1;
    }
  };
  EXPECT_EQ(uf.DecisionsBy(length),
            (std::vector<DedupDecision>{
                {10, 20}, {20, 20}, {30, 20}, {40, 40}, {50, 40}}));
}

TEST(UnionFind, MatchesANaiveComponentSearchOnRandomGraphs) {
  std::mt19937_64 rng(8);
  for (int trial = 0; trial < 5; ++trial) {
    const uint64_t n = 3000;
    std::vector<std::pair<uint64_t, uint64_t>> edges;
    for (int e = 0; e < 2000; ++e) {
      edges.emplace_back((rng() % n) << 20, (rng() % n) << 20);
    }
    UnionFind uf;
    for (auto [a, b] : edges) uf.Union(a, b);
    UnionFind batched(16);
    batched.UnionAll(edges.data(), edges.size());
    EXPECT_EQ(batched.Decisions(), uf.Decisions());
    // Naive: repeat min-label propagation until stable.
    std::vector<uint64_t> label(n);
    for (uint64_t i = 0; i < n; ++i) label[i] = i << 20;
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto [a, b] : edges) {
        uint64_t& la = label[a >> 20];
        uint64_t& lb = label[b >> 20];
        const uint64_t m = std::min(la, lb);
        if (la != m || lb != m) {
          la = lb = m;
          changed = true;
        }
      }
    }
    for (auto [a, b] : edges) {
      EXPECT_EQ(uf.Find(a), label[a >> 20]);
      EXPECT_EQ(uf.Find(b), label[b >> 20]);
    }
  }
}

TEST(UnionFind, ReportsComponentSizesAndDenseIndexes) {
  UnionFind uf;
  uf.Union(10, 20);
  uf.Union(30, 20);
  uf.Add(99);
  EXPECT_EQ(uf.ComponentSize(10), 3u);
  EXPECT_EQ(uf.ComponentSize(99), 1u);
  EXPECT_EQ(uf.ComponentSize(12345), 1u);  // never added
  EXPECT_EQ(uf.IndexFor(10), 0u);
  EXPECT_EQ(uf.IndexFor(20), 1u);
  EXPECT_EQ(uf.IndexFor(99), 3u);
  EXPECT_EQ(uf.IndexFor(12345), uf.num_ids());
}

}  // namespace
}  // namespace winnow::dedup
