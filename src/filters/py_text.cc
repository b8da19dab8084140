#include "filters/py_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winnow::pytext {
namespace {

// datatrove PUNCTUATION_SET (PUNCTUATION + control characters + TERMINAL_PUNCTUATION), sorted.
constexpr char32_t kPunctuation[] = {
    0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0xB, 0xC, 0xD, 0xE, 0xF, 0x10,
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C,
    0x1D, 0x1E, 0x1F, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
    0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
    0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F,
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B,
    0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
    0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xAB, 0xB4, 0xBB, 0x589,
    0x61D, 0x61E, 0x61F, 0x6D4, 0x700, 0x701, 0x702, 0x7F9, 0x837, 0x839,
    0x83D, 0x83E, 0x964, 0x965, 0x104A, 0x104B, 0x1362, 0x1367, 0x1368, 0x166E,
    0x1735, 0x1736, 0x17D4, 0x17D5, 0x17D6, 0x17D9, 0x17DA, 0x1803, 0x1809,
    0x1944, 0x1945, 0x1AA8, 0x1AA9, 0x1AAA, 0x1AAB, 0x1B5A, 0x1B5B, 0x1B5E,
    0x1B5F, 0x1B7D, 0x1B7E, 0x1C3B, 0x1C3C, 0x1C7E, 0x1C7F, 0x2013, 0x2014,
    0x2019, 0x201C, 0x201D, 0x201E, 0x2026, 0x203C, 0x203D, 0x2047, 0x2048,
    0x2049, 0x2236, 0x2501, 0x25BA, 0x2E2E, 0x2E3C, 0x2E53, 0x2E54, 0x3001,
    0x3002, 0x3008, 0x3009, 0x300A, 0x300B, 0x300C, 0x300D, 0x3010, 0x3011,
    0xA4FF, 0xA60E, 0xA60F, 0xA6F3, 0xA6F7, 0xA876, 0xA877, 0xA8CE, 0xA8CF,
    0xA92F, 0xA9C8, 0xA9C9, 0xAA5D, 0xAA5E, 0xAA5F, 0xAAF0, 0xAAF1, 0xABEB,
    0xFE52, 0xFE56, 0xFE57, 0xFF01, 0xFF05, 0xFF08, 0xFF09, 0xFF0C, 0xFF0E,
    0xFF11, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF5E, 0xFF61, 0x10A56, 0x10A57, 0x10F55,
    0x10F56, 0x10F57, 0x10F58, 0x10F59, 0x10F86, 0x10F87, 0x10F88, 0x10F89,
    0x11047, 0x11048, 0x110BE, 0x110BF, 0x110C0, 0x110C1, 0x11141, 0x11142,
    0x11143, 0x111C5, 0x111C6, 0x111CD, 0x111DE, 0x111DF, 0x11238, 0x11239,
    0x1123B, 0x1123C, 0x112A9, 0x1144B, 0x1144C, 0x115C2, 0x115C3, 0x115C9,
    0x115CA, 0x115CB, 0x115CC, 0x115CD, 0x115CE, 0x115CF, 0x115D0, 0x115D1,
    0x115D2, 0x115D3, 0x115D4, 0x115D5, 0x115D6, 0x115D7, 0x11641, 0x11642,
    0x1173C, 0x1173D, 0x1173E, 0x11944, 0x11946, 0x11A42, 0x11A43, 0x11A9B,
    0x11A9C, 0x11C41, 0x11C42, 0x11EF7, 0x11EF8, 0x11F43, 0x11F44, 0x16A6E,
    0x16A6F, 0x16AF5, 0x16B37, 0x16B38, 0x16B44, 0x16E98, 0x1BC9F, 0x1DA88,
};

// datatrove TERMINAL_PUNCTUATION, sorted.
constexpr char32_t kTerminalPunctuation[] = {
    0x21, 0x2E, 0x3F, 0x589, 0x61D, 0x61E, 0x61F, 0x6D4, 0x700, 0x701, 0x702,
    0x7F9, 0x837, 0x839, 0x83D, 0x83E, 0x964, 0x965, 0x104A, 0x104B, 0x1362,
    0x1367, 0x1368, 0x166E, 0x1735, 0x1736, 0x17D4, 0x17D5, 0x17D6, 0x17D9,
    0x17DA, 0x1803, 0x1809, 0x1944, 0x1945, 0x1AA8, 0x1AA9, 0x1AAA, 0x1AAB,
    0x1B5A, 0x1B5B, 0x1B5E, 0x1B5F, 0x1B7D, 0x1B7E, 0x1C3B, 0x1C3C, 0x1C7E,
    0x1C7F, 0x203C, 0x203D, 0x2047, 0x2048, 0x2049, 0x2E2E, 0x2E3C, 0x2E53,
    0x2E54, 0x3002, 0xA4FF, 0xA60E, 0xA60F, 0xA6F3, 0xA6F7, 0xA876, 0xA877,
    0xA8CE, 0xA8CF, 0xA92F, 0xA9C8, 0xA9C9, 0xAA5D, 0xAA5E, 0xAA5F, 0xAAF0,
    0xAAF1, 0xABEB, 0xFE52, 0xFE56, 0xFE57, 0xFF01, 0xFF0E, 0xFF1F, 0xFF61,
    0x10A56, 0x10A57, 0x10F55, 0x10F56, 0x10F57, 0x10F58, 0x10F59, 0x10F86,
    0x10F87, 0x10F88, 0x10F89, 0x11047, 0x11048, 0x110BE, 0x110BF, 0x110C0,
    0x110C1, 0x11141, 0x11142, 0x11143, 0x111C5, 0x111C6, 0x111CD, 0x111DE,
    0x111DF, 0x11238, 0x11239, 0x1123B, 0x1123C, 0x112A9, 0x1144B, 0x1144C,
    0x115C2, 0x115C3, 0x115C9, 0x115CA, 0x115CB, 0x115CC, 0x115CD, 0x115CE,
    0x115CF, 0x115D0, 0x115D1, 0x115D2, 0x115D3, 0x115D4, 0x115D5, 0x115D6,
    0x115D7, 0x11641, 0x11642, 0x1173C, 0x1173D, 0x1173E, 0x11944, 0x11946,
    0x11A42, 0x11A43, 0x11A9B, 0x11A9C, 0x11C41, 0x11C42, 0x11EF7, 0x11EF8,
    0x11F43, 0x11F44, 0x16A6E, 0x16A6F, 0x16AF5, 0x16B37, 0x16B38, 0x16B44,
    0x16E98, 0x1BC9F, 0x1DA88,
};

constexpr char32_t kReplacement = 0xFFFD;

bool InSorted(const char32_t* begin, const char32_t* end, char32_t c) {
  return std::binary_search(begin, end, c);
}

}  // namespace

namespace internal {

char32_t DecodeNextSlow(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t k = *i;
  unsigned char b0 = p[k];
  if (b0 < 0x80) {
    *i = k + 1;
    return b0;
  }
  int len;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    *i = k + 1;
    return kReplacement;
  }
  if (k + len > n) {
    *i = k + 1;
    return kReplacement;
  }
  for (int j = 1; j < len; ++j) {
    unsigned char b = p[k + j];
    if ((b & 0xC0) != 0x80) {
      *i = k + 1;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *i = k + 1;
    return kReplacement;
  }
  *i = k + len;
  return cp;
}

}  // namespace internal

char32_t DecodePrev(std::string_view s, size_t* end) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t e = *end;
  if (p[e - 1] < 0x80) {
    *end = e - 1;
    return p[e - 1];
  }
  size_t start = e - 1;
  size_t limit = e >= 4 ? e - 4 : 0;
  while (start > limit && (p[start] & 0xC0) == 0x80) --start;
  size_t j = start;
  char32_t c = DecodeNext(s, &j);
  if (j == e) {
    *end = start;
    return c;
  }
  *end = e - 1;
  return kReplacement;
}

namespace internal {

bool IsSpaceSlow(char32_t c) {
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsAlphaSlow(char32_t c) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return true;
    default:
      return false;
  }
}

bool IsPunctuationSlow(char32_t c) {
  return InSorted(std::begin(kPunctuation), std::end(kPunctuation), c);
}

// The ASCII table in the header must agree with the full list.
constexpr bool AsciiTableMatchesList() {
  for (char32_t c = 0; c < 128; ++c) {
    bool listed = false;
    for (char32_t p : kPunctuation) listed = listed || p == c;
    if (listed != ((kAsciiClass.v[c] & kPunctBit) != 0)) return false;
  }
  return true;
}
static_assert(AsciiTableMatchesList());

}  // namespace internal

bool IsTerminalPunctuation(char32_t c) {
  return InSorted(std::begin(kTerminalPunctuation),
                  std::end(kTerminalPunctuation), c);
}

size_t Length(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t continuation = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // Continuation bytes 0x80-0xBF are the signed bytes below -64.
  const __m128i limit = _mm_set1_epi8(-64);
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    // Per-byte counters, summed before any of them can overflow.
    __m128i counts = zero;
    const size_t block_end = std::min(n & ~size_t{15}, i + 16 * 255);
    for (; i < block_end; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counts = _mm_sub_epi8(counts, _mm_cmplt_epi8(v, limit));
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);
    continuation += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
                    static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
#endif
  for (; i < n; ++i)
    continuation += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  return n - continuation;
}

bool IsAscii(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
  uint64_t any = 0;
  for (; i + 32 <= n; i += 32) {
    uint64_t a, b, c, d;
    std::memcpy(&a, p + i, 8);
    std::memcpy(&b, p + i + 8, 8);
    std::memcpy(&c, p + i + 16, 8);
    std::memcpy(&d, p + i + 24, 8);
    if (((a | b | c | d) & 0x8080808080808080ULL) != 0) return false;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t a;
    std::memcpy(&a, p + i, 8);
    any |= a;
  }
  for (; i < n; ++i) any |= static_cast<unsigned char>(p[i]);
  return (any & 0x8080808080808080ULL) == 0;
}

namespace internal {

std::string_view LStripFrom(std::string_view s, size_t i) {
  while (i < s.size()) {
    size_t next = i;
    if (!IsSpace(DecodeNext(s, &next))) break;
    i = next;
  }
  return s.substr(i);
}

std::string_view RStripTo(std::string_view s, size_t e) {
  while (e > 0) {
    size_t prev = e;
    if (!IsSpace(DecodePrev(s, &prev))) break;
    e = prev;
  }
  return s.substr(0, e);
}

}  // namespace internal

namespace {

// Bytes that may start a line boundary: \n \v \f \r \x1c \x1d \x1e and the
// lead bytes of U+0085 (C2 85) and U+2028/U+2029 (E2 80 A8/A9).
constexpr auto kMaybeBreak = [] {
  std::array<bool, 256> t{};
  for (int c : {0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0xC2, 0xE2})
    t[c] = true;
  return t;
}();

// Offset of the first byte of p[i, n) that may start a line boundary, or n.
size_t FindMaybeBreak(const unsigned char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  // Vector candidates: bytes <= 0x1E (a superset of the control characters
  // above), 0xC2 and 0xE2.
  const __m128i low = _mm_set1_epi8(0x1E);
  const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xC2));
  const __m128i e2 = _mm_set1_epi8(static_cast<char>(0xE2));
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i hit = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(v, low), v),
        _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, e2)));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (mask != 0) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (kMaybeBreak[p[at]]) return at;
      mask &= mask - 1;
    }
  }
#endif
  while (i < n && !kMaybeBreak[p[i]]) ++i;
  return i;
}

}  // namespace

void SplitLines(std::string_view s, std::vector<std::string_view>* lines) {
  lines->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t start = 0;
  size_t i = 0;
  while ((i = FindMaybeBreak(p, i, n)) < n) {
    const unsigned char b = p[i];
    size_t after;
    if (b == 0xC2) {
      if (i + 1 < n && p[i + 1] == 0x85) {
        after = i + 2;
      } else {
        ++i;
        continue;
      }
    } else if (b == 0xE2) {
      if (i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
        after = i + 3;
      } else {
        ++i;
        continue;
      }
    } else if (b == '\r') {
      after = (i + 1 < n && p[i + 1] == '\n') ? i + 2 : i + 1;
    } else {
      after = i + 1;
    }
    lines->push_back(s.substr(start, i - start));
    start = i = after;
  }
  if (start < n) lines->push_back(s.substr(start));
}

namespace {

#if !defined(__POPCNT__)
// kPopCount8[b]: the set bits of byte b.
constexpr auto kPopCount8 = [] {
  std::array<uint8_t, 256> t{};
  for (int b = 0; b < 256; ++b)
    for (int k = 0; k < 8; ++k) t[b] += (b >> k) & 1;
  return t;
}();
#endif

// Number of set bits of a 16-bit mask. Without POPCNT, __builtin_popcount is
// a library call; two table lookups take fewer instructions than the bit
// arithmetic.
inline size_t PopCount16(unsigned x) {
#if defined(__POPCNT__)
  return static_cast<size_t>(__builtin_popcount(x));
#else
  return size_t{kPopCount8[x & 0xFF]} + kPopCount8[(x >> 8) & 0xFF];
#endif
}

}  // namespace

size_t CountWhitespaceWords(std::string_view s, size_t limit) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t count = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < n && count < limit) {
    size_t stop = n;  // end of the bytes handled one code point at a time
#if defined(__SSE2__)
    if (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      if (_mm_movemask_epi8(v) == 0) {
        // 16 ASCII bytes; whitespace is \t-\r and \x1c-' '.
        const __m128i space = _mm_or_si128(
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x08)),
                          _mm_cmplt_epi8(v, _mm_set1_epi8(0x0E))),
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1B)),
                          _mm_cmplt_epi8(v, _mm_set1_epi8(0x21))));
        const unsigned word = ~static_cast<unsigned>(_mm_movemask_epi8(space)) & 0xFFFF;
        const unsigned before = (word << 1) | (in_word ? 1u : 0u);
        count += PopCount16(word & ~before);
        in_word = (word >> 15) != 0;
        i += 16;
        continue;
      }
      stop = i + 16;
    }
#endif
    while (i < stop && count < limit) {
      const unsigned char b = p[i];
      bool space;
      if (b < 0x80) {
        space = (internal::kAsciiClass.v[b] & internal::kSpaceBit) != 0;
        ++i;
      } else {
        space = IsSpace(DecodeNext(s, &i));
      }
      if (space) {
        in_word = false;
      } else if (!in_word) {
        in_word = true;
        ++count;
      }
    }
  }
  return std::min(count, limit);
}

size_t Count(std::string_view s, std::string_view needle) {
  size_t n = 0;
  size_t pos = s.find(needle);
  while (pos != std::string_view::npos) {
    ++n;
    pos = s.find(needle, pos + needle.size());
  }
  return n;
}

size_t CountTripleDots(std::string_view s) {
  const char* const p = s.data();
  const size_t size = s.size();
  size_t n = 0;
  // Counts the run of periods starting at `start`; returns its end.
  auto run = [&](size_t start) {
    size_t j = start;
    while (j < size && p[j] == '.') ++j;
    n += (j - start) / 3;
    return j;
  };
  // Invariant: no "..." starts in [run_end, i) where run_end is the end of
  // the last counted run (or 0), so the first "..." at or after i starts a
  // run: the byte before it is not a period.
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.');
  // Blocks of 16 bytes at steps of 14: a "..." starting at bits 0 to 13 of
  // a block lies within it, so every start is seen.
  while (i + 16 <= size) {
    const uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), dot)));
    const uint32_t triple = m & (m >> 1) & (m >> 2);
    if (__builtin_expect(triple == 0, 1)) {
      i += 14;
    } else {
      i = run(i + static_cast<size_t>(std::countr_zero(triple)));
    }
  }
  if (size >= 16) {
    // The rest, in the last 16 bytes (i > size - 16), without a loop whose
    // branches depend on each byte.
    const size_t base = size - 16;
    const uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + base)), dot)));
    const uint32_t all = m & (m >> 1) & (m >> 2);
    while (i + 3 <= size) {
      const uint32_t triple = all & (~uint32_t{0} << (i - base));
      if (triple == 0) break;
      i = run(base + static_cast<size_t>(std::countr_zero(triple)));
    }
    return n;
  }
#endif
  while (i + 3 <= size) {
    if (p[i] == '.' && p[i + 1] == '.' && p[i + 2] == '.') {
      i = run(i);
    } else {
      ++i;
    }
  }
  return n;
}

void AppendLowerForAsciiSearch(std::string_view s, std::string* out) {
  const size_t base = out->size();
  out->resize(base + s.size());
  char* dst = out->data() + base;
  bool kelvin_possible = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    dst[i] = static_cast<char>(c + (static_cast<unsigned>(c - 'A') < 26u ? 32 : 0));
    kelvin_possible |= c == 0xE2;
  }
  if (!kelvin_possible) return;
  // U+212A KELVIN SIGN (E2 84 AA) lowercases to ASCII 'k'.
  size_t w = base;
  char* p = out->data();
  const size_t end = out->size();
  for (size_t r = base; r < end;) {
    if (static_cast<unsigned char>(p[r]) == 0xE2 && r + 2 < end &&
        static_cast<unsigned char>(p[r + 1]) == 0x84 &&
        static_cast<unsigned char>(p[r + 2]) == 0xAA) {
      p[w++] = 'k';
      r += 3;
    } else {
      p[w++] = p[r++];
    }
  }
  out->resize(w);
}

}  // namespace winnow::pytext
