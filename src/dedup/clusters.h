// From sorted key records to duplicate clusters.
//
// Reduce: records of one partition, merged in (key, value) order, form
// groups of equal key (documents sharing a MinHash band, an exact text key
// or a URL key). GroupPairEmitter turns each group {v0 < v1 < ... < vk}
// into the pairs (v1, v0), ..., (vk, v0): a star around the group's minimum.
// That is enough for connectivity: the group is connected through v0, and
// the connected components of the union over all groups and all key kinds
// are the same as if every pair inside every group had been emitted, with k
// pairs per group instead of k(k+1)/2.
//
// Finalize: UnionFind over the 64-bit ids of the pairs (ids are document
// positions, e.g. file_index << 40 | ordinal). Each component keeps one
// survivor; all its other members are duplicates. The default survivor is
// the component's minimum id (the earliest document). Both the components
// and the survivors are independent of the order in which pairs arrive.
//
// Thread safety: one thread at a time per object.
#ifndef WINNOW_DEDUP_CLUSTERS_H_
#define WINNOW_DEDUP_CLUSTERS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "dedup/run_file.h"

namespace winnow::dedup {

// Streams sorted records and emits, for each group of equal keys, one pair
// per non-minimal member: emit(member_value, group_min_value). A value
// repeated inside a group (the same document added twice under one key) is
// emitted once at most and never paired with itself.
class GroupPairEmitter {
 public:
  // REQUIRES: records arrive in (key_hi, key_lo, value) order.
  template <typename Fn>
  void Add(const RunRecord& r, Fn&& emit) {
    if (have_ && r.SameKey(first_)) {
      if (r.value != last_value_) {
        if (last_value_ == first_.value) ++groups_;
        emit(r.value, first_.value);
        ++pairs_;
        last_value_ = r.value;
      }
      return;
    }
    first_ = r;
    last_value_ = r.value;
    have_ = true;
  }
  // Groups with at least two distinct values so far.
  uint64_t groups() const { return groups_; }
  uint64_t pairs() const { return pairs_; }

 private:
  RunRecord first_;
  uint64_t last_value_ = 0;
  bool have_ = false;
  uint64_t groups_ = 0;
  uint64_t pairs_ = 0;
};

// One line of the decision table: `id` is a duplicate of `survivor`
// (id == survivor for the survivor itself).
struct DedupDecision {
  uint64_t id;
  uint64_t survivor;
  friend bool operator==(const DedupDecision&, const DedupDecision&) = default;
};

// Union-find over sparse 64-bit ids (an open-addressing hash map from id to
// a dense index, union by size, path halving).
// Memory: about 40 bytes per distinct id (id 8, node 16, and the hash table
// of 8-byte slots kept between a quarter and half full; growing frees the old table before building
// the new one), plus the returned decision table (16 bytes per id);
// DecisionsBy() also keeps a sorted index (4 bytes per id) while building
// it. Supports up to 2^32 - 2 distinct ids.
class UnionFind {
 public:
  // `expected_ids` pre-sizes the table (optional).
  explicit UnionFind(size_t expected_ids = 0);

  // Puts a and b in the same component (adds them if new).
  void Union(uint64_t a, uint64_t b);
  // Union() of each pair, faster for large tables: the hash slots and
  // nodes of a batch are prefetched before use, overlapping cache misses.
  // The result is the same as calling Union() in order.
  void UnionAll(const std::pair<uint64_t, uint64_t>* pairs, size_t n);
  // Adds `id` as a singleton if new.
  void Add(uint64_t id) { IndexOf(id); }

  // The minimum id of id's component; `id` itself if it was never added.
  uint64_t Find(uint64_t id);
  bool Contains(uint64_t id) const { return Lookup(id) != kNone; }

  size_t num_ids() const { return ids_.size(); }
  // The dense index of `id` (0 .. num_ids() - 1, in order of first
  // addition, stable while ids are added), or num_ids() if absent.
  size_t IndexFor(uint64_t id) const {
    const uint32_t i = Lookup(id);
    return i == kNone ? ids_.size() : i;
  }
  // Number of ids in id's component (1 if `id` was never added).
  uint64_t ComponentSize(uint64_t id);
  size_t num_components();

  // The decision table with survivor = minimum id of each component: one
  // entry per id added (singletons included), sorted by id.
  std::vector<DedupDecision> Decisions();

  // The decision table with survivor = the member with the greatest
  // rank(id) (any type with operator<, e.g. text length, a quality score,
  // or a pair of them); ties go to the smallest id. Sorted by id.
  template <typename RankFn>
  std::vector<DedupDecision> DecisionsBy(RankFn&& rank);

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  uint32_t IndexOf(uint64_t id);  // inserts
  uint32_t IndexOf(uint64_t id, uint64_t hash);  // hash == Mix(id)
  uint32_t Lookup(uint64_t id) const;
  uint32_t Root(uint32_t i);
  void Grow();
  std::vector<uint32_t> IdOrder() const;

  // 8 bytes rather than the id itself (16 with padding): the table is most
  // of a large clustering's memory. A slot holds the id's dense index and
  // 32 more bits of its hash; a lookup compares those bits and, on a match,
  // the id in ids_ (so a tag collision never merges two ids).
  struct Slot {
    uint32_t index;  // kNone = empty
    uint32_t tag;    // Mix(id) >> 32
  };
  struct Node {
    uint32_t parent;
    uint32_t size;    // valid for roots
    uint64_t min_id;  // valid for roots
  };

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<uint64_t> ids_;  // index -> id
  std::vector<Node> nodes_;    // index -> node
};

template <typename RankFn>
std::vector<DedupDecision> UnionFind::DecisionsBy(RankFn&& rank) {
  const size_t n = ids_.size();
  using Rank = std::decay_t<decltype(rank(uint64_t{0}))>;
  std::vector<uint32_t> best(n, kNone);  // root -> best member index
  std::vector<Rank> best_rank(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = Root(i);
    Rank k = rank(ids_[i]);
    if (best[r] == kNone || best_rank[r] < k ||
        (!(k < best_rank[r]) && ids_[i] < ids_[best[r]])) {
      best[r] = i;
      best_rank[r] = std::move(k);
    }
  }
  std::vector<DedupDecision> out;
  out.reserve(n);
  for (uint32_t i : IdOrder()) out.push_back({ids_[i], ids_[best[Root(i)]]});
  return out;
}

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_CLUSTERS_H_
