#include "filters/string_set.h"

#include <algorithm>
#include <bit>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "filters/py_text.h"

namespace winnow {

void StringSet::Reset(size_t expected) {
  // At most 1/8 full while the table stays within kSparseSlots (768 KiB),
  // at most 1/2 beyond (Insert grows it then): in a sparse table a probe's
  // first slot is nearly always free, so the probe loop's exit branch is
  // predictable. The smallest power of two of at least 16 that is at least
  // expected * 2, and at least expected * 8 unless that passes kSparseSlots.
  constexpr size_t kSparseSlots = size_t{1} << 15;
  const size_t want =
      std::max(std::bit_ceil(std::max<size_t>(expected * 2, 16)),
               std::min(std::bit_ceil(std::max<size_t>(expected * 8, 16)),
                        kSparseSlots));
  if (slots_.size() < want || ++gen_ == 0) {
    slots_.assign(std::max(want, slots_.size()), Slot{0, nullptr, 0, 0});
    gen_ = 1;
  }
  // Only the first `want` slots are used, so small inputs stay in cache after
  // a large one grew the table.
  mask_ = want - 1;
  shift_ = std::countl_zero(uint64_t{mask_});
  count_ = 0;
  strong_ = false;
  false_equal_ = 0;
}

namespace {

// XXH3 out of line, so that the cheap hash and Insert() inline.
__attribute__((noinline)) uint64_t StrongHash(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

}  // namespace

inline uint64_t StringSet::Hash(std::string_view s) const {
  if (__builtin_expect(strong_, 0)) return StrongHash(s);
  const size_t n = s.size();
  uint64_t first = 0;
  uint64_t last = 0;
  if (n >= 8) {
    std::memcpy(&first, s.data(), 8);
    std::memcpy(&last, s.data() + n - 8, 8);
  } else if (n != 0) {
    std::memcpy(&first, s.data(), n);
  }
  // Two multiplications: the table takes its bucket from the top bits
  // (Bucket), which depend on every bit of both products.
  return ((first ^ static_cast<uint64_t>(n)) * 0x9E3779B97F4A7C15ULL) ^
         (last * 0xC2B2AE3D27D4EB4FULL);
}

void StringSet::MakeStrong() {
  strong_ = true;
  std::vector<Slot> old(slots_.begin(), slots_.begin() + mask_ + 1);
  const uint32_t old_gen = gen_;
  if (++gen_ == 0) {
    std::fill(slots_.begin(), slots_.end(), Slot{0, nullptr, 0, 0});
    gen_ = 1;
  }
  for (const Slot& s : old) {
    if (s.gen != old_gen) continue;
    const uint64_t h = XXH3_64bits(s.data, s.size);
    size_t i = Bucket(h);
    while (slots_[i].gen == gen_) i = (i + 1) & mask_;
    slots_[i] = Slot{h, s.data, s.size, gen_};
  }
}

void StringSet::Grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  old.resize(mask_ + 1);
  uint32_t old_gen = gen_;
  slots_.assign(old.size() < 16 ? 32 : old.size() * 2, Slot{0, nullptr, 0, 0});
  gen_ = 1;
  mask_ = slots_.size() - 1;
  shift_ = std::countl_zero(uint64_t{mask_});
  for (const Slot& s : old) {
    if (s.gen != old_gen) continue;
    size_t i = Bucket(s.hash);
    while (slots_[i].gen == gen_) i = (i + 1) & mask_;
    slots_[i] = Slot{s.hash, s.data, s.size, gen_};
  }
}

inline bool StringSet::InsertFast(std::string_view s) {
  if (__builtin_expect((count_ + 1) * 2 > mask_ + 1, 0)) Grow();
  const uint64_t h = Hash(s);
  Slot* const slots = slots_.data();
  const size_t mask = mask_;
  const uint32_t gen = gen_;
  size_t i = h >> shift_;
  for (; slots[i].gen == gen; i = (i + 1) & mask) {
    if (__builtin_expect(slots[i].hash == h && slots[i].size == s.size(), 0))
      return InsertGeneral(s);  // probes again from the start
  }
  slots[i] = Slot{h, s.data(), static_cast<uint32_t>(s.size()), gen};
  ++count_;
  return true;
}

bool StringSet::Insert(std::string_view s) { return InsertFast(s); }

__attribute__((noinline)) bool StringSet::InsertGeneral(std::string_view s) {
  if ((count_ + 1) * 2 > mask_ + 1) Grow();
  while (true) {
    const uint64_t h = Hash(s);
    size_t i = Bucket(h);
    bool rehashed = false;
    while (slots_[i].gen == gen_) {
      const Slot& slot = slots_[i];
      if (slot.hash == h && slot.size == s.size()) {
        if (std::memcmp(slot.data, s.data(), s.size()) == 0) return false;
        // Bounds the comparisons that the cheap hash can cause.
        if (!strong_ && ++false_equal_ > 16 + count_ / 4) {
          MakeStrong();
          rehashed = true;  // look `s` up again with the strong hash
          break;
        }
      }
      i = (i + 1) & mask_;
    }
    if (rehashed) continue;
    slots_[i] = Slot{h, s.data(), static_cast<uint32_t>(s.size()), gen_};
    ++count_;
    return true;
  }
}

DuplicateCounts FindDuplicates(const std::vector<std::string_view>& items,
                               StringSet* scratch) {
  DuplicateCounts out;
  scratch->Reset(items.size());
  for (std::string_view s : items) {
    if (!scratch->InsertFast(s)) {
      ++out.elements;
      out.chars += pytext::Length(s);
    }
  }
  return out;
}

}  // namespace winnow
