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
  uint64_t h = XXH3_64bits(s.data(), s.size());
  size_t i = h & mask_;
  while (slots_[i].gen == gen_) {
    const Slot& slot = slots_[i];
    if (slot.hash == h && slot.size == s.size() &&
        std::memcmp(slot.data, s.data(), s.size()) == 0) {
      return false;
    }
    i = (i + 1) & mask_;
  }
  slots_[i] = Slot{h, s.data(), static_cast<uint32_t>(s.size()), gen_};
  ++count_;
  return true;
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
