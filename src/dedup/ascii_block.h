// The 16-byte step shared by the ASCII fast paths of dedup's text
// normalizations (SimplifyText and the exact-text key): lowercase a block
// and measure how much of it is plain text, i.e. bytes the caller accepts
// as they are and single spaces. Internal to the dedup module.
#ifndef WINNOW_DEDUP_ASCII_BLOCK_H_
#define WINNOW_DEDUP_ASCII_BLOCK_H_

#ifdef __SSE2__
#include <emmintrin.h>

namespace winnow::dedup_internal {

struct PlainBlock {
  unsigned len;        // bytes of the plain prefix, 0 to 16
  bool ends_in_space;  // its last byte is a space
};

// Stores the 16 bytes at `src` to `dst` with 'A'-'Z' lowercased and returns
// their plain prefix: the bytes before the first byte that `stop` marks or
// the second of two adjacent spaces. stop(c, letters, spaces) receives the
// block and the _mm_movemask_epi8 masks of its ASCII letters and of its
// spaces, and returns such a mask of the bytes that must end the prefix.
template <typename Stop>
inline PlainBlock LowerPlainBlock(const char* src, char* dst, Stop stop) {
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
  const __m128i lc = _mm_or_si128(c, _mm_set1_epi8(0x20));
  const __m128i letter =
      _mm_and_si128(_mm_cmpgt_epi8(lc, _mm_set1_epi8('a' - 1)),
                    _mm_cmplt_epi8(lc, _mm_set1_epi8('z' + 1)));
  const auto letters = static_cast<unsigned>(_mm_movemask_epi8(letter));
  const auto spaces = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(c, _mm_set1_epi8(' '))));
  const unsigned end = stop(c, letters, spaces) | (spaces & (spaces >> 1));
  const unsigned len =
      end == 0 ? 16u : static_cast<unsigned>(__builtin_ctz(end));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst),
                   _mm_or_si128(c, _mm_and_si128(letter, _mm_set1_epi8(0x20))));
  return {len, len > 0 && ((spaces >> (len - 1)) & 1u) != 0};
}

}  // namespace winnow::dedup_internal

#endif  // __SSE2__

#endif  // WINNOW_DEDUP_ASCII_BLOCK_H_
