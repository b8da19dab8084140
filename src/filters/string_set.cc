#include "filters/string_set.h"

#include <algorithm>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "filters/py_text.h"

namespace winnow {

void StringSet::Reset(size_t expected) {
  size_t want = 16;
  while (want < expected * 2) want <<= 1;
  if (slots_.size() < want || ++gen_ == 0) {
    slots_.assign(std::max(want, slots_.size()), Slot{0, nullptr, 0, 0});
    gen_ = 1;
  }
  // Only the first `want` slots are used, so small inputs stay in cache after
  // a large one grew the table.
  mask_ = want - 1;
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
  uint64_t h = (first * 0x9E3779B97F4A7C15ULL) ^
               ((last ^ (last >> 29)) * 0xC2B2AE3D27D4EB4FULL) ^
               (static_cast<uint64_t>(n) * 0x165667B19E3779F9ULL);
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h;
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
    size_t i = h & mask_;
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
  for (const Slot& s : old) {
    if (s.gen != old_gen) continue;
    size_t i = s.hash & mask_;
    while (slots_[i].gen == gen_) i = (i + 1) & mask_;
    slots_[i] = Slot{s.hash, s.data, s.size, gen_};
  }
}

bool StringSet::Insert(std::string_view s) {
  if ((count_ + 1) * 2 > mask_ + 1) Grow();
  while (true) {
    const uint64_t h = Hash(s);
    size_t i = h & mask_;
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
    if (!scratch->Insert(s)) {
      ++out.elements;
      out.chars += pytext::Length(s);
    }
  }
  return out;
}

}  // namespace winnow
