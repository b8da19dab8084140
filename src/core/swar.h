// Word-at-a-time byte scanning ("SIMD within a register") for the hot loops
// of the text steps, the UTF-8 scanner and the JSON writer: 8 bytes per step
// instead of one, portable C++.
//
// Each mask function returns a word that is nonzero exactly when some byte
// matches the predicate, and whose lowest set bit lies in the FIRST matching
// byte; bits above the first match may be spurious, so callers only test the
// mask against zero or use FirstMatch().
#ifndef WINNOW_CORE_SWAR_H_
#define WINNOW_CORE_SWAR_H_

#include <bit>
#include <cstdint>
#include <cstring>

namespace winnow::swar {

static_assert(std::endian::native == std::endian::little,
              "FirstMatch assumes little-endian byte order");

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHigh = 0x8080808080808080ULL;

inline uint64_t Load(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;  // little-endian layout assumed by FirstMatch (x86, ARM)
}

// Bytes equal to zero.
inline uint64_t Zero(uint64_t w) { return (w - kOnes) & ~w & kHigh; }
// Bytes equal to c.
inline uint64_t Equal(uint64_t w, unsigned char c) {
  return Zero(w ^ (kOnes * c));
}
// Bytes below n (REQUIRES n <= 128).
inline uint64_t Less(uint64_t w, unsigned char n) {
  return (w - kOnes * n) & ~w & kHigh;
}
// Bytes with the high bit set (non-ASCII).
inline uint64_t NonAscii(uint64_t w) { return w & kHigh; }

// Index (0..7) of the first matching byte. REQUIRES: mask != 0.
inline int FirstMatch(uint64_t mask) { return std::countr_zero(mask) >> 3; }

}  // namespace winnow::swar

#endif  // WINNOW_CORE_SWAR_H_
