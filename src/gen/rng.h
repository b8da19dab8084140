// Small, fast, reproducible pseudo-random numbers for the corpus generator.
// SplitMix64 derives independent seeds; Xoshiro256** produces the stream.
// Both are fully specified, so the same seed gives the same numbers on every
// platform and compiler (unlike std:: distributions).
#ifndef WINNOW_GEN_RNG_H_
#define WINNOW_GEN_RNG_H_

#include <cstdint>

namespace winnow::gen {

// One step of SplitMix64 on `x`: a good 64-bit mixing function.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Derives a child seed from a parent seed and a stream label.
inline uint64_t DeriveSeed(uint64_t seed, uint64_t label) {
  return Mix64(Mix64(seed) ^ Mix64(label ^ 0x5851f42d4c957f2dULL));
}

// Xoshiro256**. Not thread-safe; use one per thread or per document.
class Rng {
 public:
  explicit Rng(uint64_t seed) { Seed(seed); }

  void Seed(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      s = Mix64(seed);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }

  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }

  // Uniform double in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace winnow::gen

#endif  // WINNOW_GEN_RNG_H_
