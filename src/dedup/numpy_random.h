// numpy's legacy np.random.RandomState, as far as MinHash needs it:
// seeding with an integer and randint(low, high, dtype=np.uint64) for
// ranges wider than 32 bits, reproduced bit for bit (numpy 1.17 to 1.26 and
// 2.x keep this legacy stream frozen).
//
// RandomState(seed) seeds MT19937 with init_genrand(seed) (the same
// algorithm as std::mt19937(seed)). randint draws each uint64 value as
//   r = (next32() << 32) | next32()
// masked to the smallest 2^k - 1 covering the range and rejected while above
// it ("masked rejection sampling"), then adds `low`.
//
// Thread safety: one instance per thread.
#ifndef WINNOW_DEDUP_NUMPY_RANDOM_H_
#define WINNOW_DEDUP_NUMPY_RANDOM_H_

#include <cstdint>
#include <random>

namespace winnow::dedup {

class NumpyLegacyRandom {
 public:
  // np.random.RandomState(seed). numpy requires seed < 2^32.
  explicit NumpyLegacyRandom(uint32_t seed) : mt_(seed) {}

  // One value of randint(low, high, dtype=np.uint64): uniform in
  // [low, high). REQUIRES: low < high and high - low - 1 > 0xFFFFFFFF (the
  // 64-bit drawing path; narrower ranges use a different numpy path that
  // this class does not implement).
  uint64_t RandintUint64(uint64_t low, uint64_t high);

 private:
  std::mt19937 mt_;
};

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_NUMPY_RANDOM_H_
