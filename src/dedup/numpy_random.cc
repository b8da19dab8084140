#include "dedup/numpy_random.h"

#include <cassert>

namespace winnow::dedup {

uint64_t NumpyLegacyRandom::RandintUint64(uint64_t low, uint64_t high) {
  assert(low < high);
  const uint64_t range = high - 1 - low;  // inclusive span
  assert(range > 0xFFFFFFFFull);
  uint64_t mask = range;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  uint64_t value;
  do {
    const uint64_t hi = mt_();
    const uint64_t lo = mt_();
    value = ((hi << 32) | lo) & mask;
  } while (value > range);
  return low + value;
}

}  // namespace winnow::dedup
