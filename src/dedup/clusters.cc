#include "dedup/clusters.h"

#include <cassert>

namespace winnow::dedup {
namespace {

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

UnionFind::UnionFind(size_t expected_ids) {
  size_t cap = 1024;
  while (cap < 2 * expected_ids) cap *= 2;
  slots_.assign(cap, Slot{kNone, 0});
  mask_ = cap - 1;
  ids_.reserve(expected_ids);
  nodes_.reserve(expected_ids);
}


uint32_t UnionFind::Lookup(uint64_t id) const {
  const uint64_t h = Mix(id);
  const auto tag = static_cast<uint32_t>(h >> 32);
  size_t s = h & mask_;
  while (true) {
    const Slot& slot = slots_[s];
    if (slot.index == kNone) return kNone;
    if (slot.tag == tag && ids_[slot.index] == id) return slot.index;
    s = (s + 1) & mask_;
  }
}

void UnionFind::Grow() {
  const size_t cap = slots_.size() * 2;
  // The table is rebuilt from ids_, so the old one goes first: growing
  // then never holds both tables (1.5x the new table's bytes at the peak).
  slots_ = {};
  slots_.assign(cap, Slot{kNone, 0});
  mask_ = cap - 1;
  for (uint32_t i = 0; i < ids_.size(); ++i) {
    const uint64_t h = Mix(ids_[i]);
    size_t s = h & mask_;
    while (slots_[s].index != kNone) s = (s + 1) & mask_;
    slots_[s] = Slot{i, static_cast<uint32_t>(h >> 32)};
  }
}

uint32_t UnionFind::IndexOf(uint64_t id) { return IndexOf(id, Mix(id)); }

uint32_t UnionFind::IndexOf(uint64_t id, uint64_t h) {
  const auto tag = static_cast<uint32_t>(h >> 32);
  size_t s = h & mask_;
  while (true) {
    const Slot& slot = slots_[s];
    if (slot.index == kNone) break;
    if (slot.tag == tag && ids_[slot.index] == id) return slot.index;
    s = (s + 1) & mask_;
  }
  assert(ids_.size() < kNone - 1);
  const auto idx = static_cast<uint32_t>(ids_.size());
  slots_[s] = Slot{idx, tag};
  ids_.push_back(id);
  nodes_.push_back(Node{idx, 1, id});
  if (2 * ids_.size() > slots_.size()) Grow();
  return idx;
}

uint32_t UnionFind::Root(uint32_t i) {
  while (nodes_[i].parent != i) {
    const uint32_t grandparent = nodes_[nodes_[i].parent].parent;
    nodes_[i].parent = grandparent;
    i = grandparent;
  }
  return i;
}

void UnionFind::Union(uint64_t a, uint64_t b) {
  const uint32_t ia = IndexOf(a);
  const uint32_t ib = IndexOf(b);
  uint32_t ra = Root(ia);
  uint32_t rb = Root(ib);
  if (ra == rb) return;
  Node* na = &nodes_[ra];
  Node* nb = &nodes_[rb];
  if (na->size < nb->size || (na->size == nb->size && rb < ra)) {
    std::swap(ra, rb);
    std::swap(na, nb);
  }
  nb->parent = ra;
  na->size += nb->size;
  if (nb->min_id < na->min_id) na->min_id = nb->min_id;
}

void UnionFind::UnionAll(const std::pair<uint64_t, uint64_t>* pairs, size_t n) {
  constexpr size_t kBatch = 32;
  uint32_t index[2 * kBatch];
  uint64_t hash[2 * kBatch];  // Mix of each id, computed once
  for (size_t begin = 0; begin < n; begin += kBatch) {
    const size_t end = begin + kBatch < n ? begin + kBatch : n;
    const size_t m = 2 * (end - begin);
    for (size_t k = begin; k < end; ++k) {
      hash[2 * (k - begin)] = Mix(pairs[k].first);
      hash[2 * (k - begin) + 1] = Mix(pairs[k].second);
    }
    for (size_t k = 0; k < m; ++k) __builtin_prefetch(&slots_[hash[k] & mask_]);
    // The ids the home slots point at, which a lookup compares next.
    for (size_t k = 0; k < m; ++k) {
      const uint32_t i = slots_[hash[k] & mask_].index;
      if (i != kNone) __builtin_prefetch(&ids_[i]);
    }
    for (size_t k = begin; k < end; ++k) {
      // IndexOf may grow the table, which only costs the prefetches.
      index[2 * (k - begin)] = IndexOf(pairs[k].first, hash[2 * (k - begin)]);
      index[2 * (k - begin) + 1] = IndexOf(pairs[k].second, hash[2 * (k - begin) + 1]);
    }
    for (size_t k = 0; k < m; ++k) {
      __builtin_prefetch(&nodes_[index[k]]);
    }
    for (size_t k = 0; k < end - begin; ++k) {
      uint32_t ra = Root(index[2 * k]);
      uint32_t rb = Root(index[2 * k + 1]);
      if (ra == rb) continue;
      Node* na = &nodes_[ra];
      Node* nb = &nodes_[rb];
      if (na->size < nb->size || (na->size == nb->size && rb < ra)) {
        std::swap(ra, rb);
        std::swap(na, nb);
      }
      nb->parent = ra;
      na->size += nb->size;
      if (nb->min_id < na->min_id) na->min_id = nb->min_id;
    }
  }
}

uint64_t UnionFind::Find(uint64_t id) {
  const uint32_t i = Lookup(id);
  if (i == kNone) return id;
  return nodes_[Root(i)].min_id;
}

uint64_t UnionFind::ComponentSize(uint64_t id) {
  const uint32_t i = Lookup(id);
  if (i == kNone) return 1;
  return nodes_[Root(i)].size;
}

size_t UnionFind::num_components() {
  size_t n = 0;
  for (uint32_t i = 0; i < ids_.size(); ++i) n += Root(i) == i;
  return n;
}

std::vector<uint32_t> UnionFind::IdOrder() const {
  std::vector<std::pair<uint64_t, uint32_t>> by_id(ids_.size());
  for (uint32_t i = 0; i < ids_.size(); ++i) by_id[i] = {ids_[i], i};
  std::sort(by_id.begin(), by_id.end());
  std::vector<uint32_t> order(ids_.size());
  for (size_t k = 0; k < by_id.size(); ++k) order[k] = by_id[k].second;
  return order;
}

std::vector<DedupDecision> UnionFind::Decisions() {
  // Sorted in place, with each entry's dense index parked in `survivor`
  // until the sort is done: no IdOrder() copy (20 bytes per id less at
  // the peak of a large clustering).
  std::vector<DedupDecision> out(ids_.size());
  for (uint32_t i = 0; i < ids_.size(); ++i) out[i] = {ids_[i], i};
  std::sort(out.begin(), out.end(),
            [](const DedupDecision& a, const DedupDecision& b) { return a.id < b.id; });
  for (DedupDecision& d : out) {
    d.survivor = nodes_[Root(static_cast<uint32_t>(d.survivor))].min_id;
  }
  return out;
}

}  // namespace winnow::dedup
