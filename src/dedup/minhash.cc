#include "dedup/minhash.h"

#include <immintrin.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstring>
#include <iterator>

#include "core/utf8.h"
#include "dedup/numpy_random.h"
#include "dedup/simplify.h"
#include "tokenize/char_classes.h"

namespace winnow::dedup {
namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

// x mod (2^61 - 1) for any 64-bit x: x = hi * 2^61 + lo and 2^61 = 1 (mod p),
// so x = hi + lo (mod p) with hi + lo < p + 8: one conditional subtraction.
inline uint64_t ModMersenne61(uint64_t x) {
  const uint64_t r = (x & kMersenne61) + (x >> 61);
  return r >= kMersenne61 ? r - kMersenne61 : r;
}

// AVX2 kernel. Per 64-bit lane:
//   x * a mod 2^64 = xl*al + ((xh*al + xl*ah) mod 2^32) << 32
// xl*al is one 32x32->64 multiply. The cross products need only their low
// 32 bits, in the lane's upper half: a 32-bit multiply of (0, ah) by
// (xl, xl) gives (0, xl*ah) and one of (0, al) by (xh, xh) gives (0, xh*al),
// so their 64-bit sum is the shifted cross term with no shift or mask (one
// uop fewer per vector than a single multiply of a by (xh, xl) followed by
// shifts and an add). `xs` holds, per shingle, (xl, xl) and (xh, xh).
// The lanes add b + 1 instead of b, so v' = (x*a + b + 1) mod 2^64. With
// hi = v' >> 61 and lo = v' & p,
//   t = (v' + hi) & p = (lo + hi) mod 2^61
// is r + 1, where r = v mod p is the permuted value, whenever lo + hi < 2^61
// and t != 0 (t is then congruent to v' = v + 1 and in [1, p]). Otherwise
// (probability about 2^-58 per value: the partial reduction lo + hi reaches
// 2^61, or v = 2^64 - 1 wraps v' to 0) t is at most 6, so the lane's
// minimum is at most 8. Thus, when no lane's minimum is below 9, every
// min(t) - 1 is the exact minimum of r; a block where some lane's minimum
// is below 9 (whether from those cases or because its true minimum is that
// small) is recomputed by the scalar code, so results are always exact.
// All values stay below 2^62, so signed 64-bit compares order them
// correctly.
template <int kVectors>
__attribute__((target("avx2"))) inline void PermuteMinAvx2Block(
    const uint64_t* xs, const uint64_t* shingles, size_t num_shingles,
    const uint64_t* a, const uint64_t* b, uint64_t* mins) {
  const __m256i p = _mm256_set1_epi64x(static_cast<long long>(kMersenne61));
  const __m256i one = _mm256_set1_epi64x(1);
  const __m256i high_half =
      _mm256_set1_epi64x(static_cast<long long>(0xFFFFFFFF00000000ull));
  __m256i av[kVectors], ah0[kVectors], al0[kVectors], bv[kVectors], m[kVectors];
  for (int k = 0; k < kVectors; ++k) {
    av[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + 4 * k));
    ah0[k] = _mm256_and_si256(av[k], high_half);  // (0, ah)
    al0[k] = _mm256_slli_epi64(av[k], 32);        // (0, al)
    bv[k] = _mm256_add_epi64(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 4 * k)), one);
    // min(incoming, p) + 1 (incoming values of 2^61 and more, unsigned,
    // become p): any shingle gives a value below p, so clamping the
    // incoming minimum to p changes nothing.
    __m256i in =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mins + 4 * k));
    in = _mm256_blendv_epi8(
        p, in,
        _mm256_cmpeq_epi64(_mm256_srli_epi64(in, 61), _mm256_setzero_si256()));
    m[k] = _mm256_add_epi64(in, one);
  }
  for (size_t s = 0; s < num_shingles; ++s) {
    const __m256i xl = _mm256_set1_epi64x(static_cast<long long>(xs[2 * s]));
    const __m256i xh =
        _mm256_set1_epi64x(static_cast<long long>(xs[2 * s + 1]));
#pragma GCC unroll 8
    for (int k = 0; k < kVectors; ++k) {
      const __m256i cross = _mm256_add_epi64(_mm256_mullo_epi32(ah0[k], xl),
                                             _mm256_mullo_epi32(al0[k], xh));
      const __m256i v = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(xl, av[k]), cross), bv[k]);
      const __m256i t =
          _mm256_and_si256(_mm256_add_epi64(v, _mm256_srli_epi64(v, 61)), p);
      m[k] = _mm256_blendv_epi8(m[k], t, _mm256_cmpgt_epi64(m[k], t));
    }
  }
  __m256i bad = _mm256_setzero_si256();
  const __m256i nine = _mm256_set1_epi64x(9);
  for (int k = 0; k < kVectors; ++k)
    bad = _mm256_or_si256(bad, _mm256_cmpgt_epi64(nine, m[k]));
  if (!_mm256_testz_si256(bad, bad)) {
    PermuteMinScalar(shingles, num_shingles, a, b, 4 * kVectors, mins);
    return;
  }
  for (int k = 0; k < kVectors; ++k) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(mins + 4 * k),
                        _mm256_sub_epi64(m[k], one));
  }
}

// Lanes in blocks of 16 (four vectors), then 4, then the scalar loop.
// REQUIRES: xs has room for 2 * num_shingles values (scratch).
__attribute__((target("avx2"))) void PermuteMinAvx2(
    const uint64_t* shingles, size_t num_shingles, const uint64_t* a,
    const uint64_t* b, size_t n, uint64_t* mins, uint64_t* xs) {
  if (num_shingles == 0) return;
  for (size_t s = 0; s < num_shingles; ++s) {
    const uint64_t lo = shingles[s] & 0xFFFFFFFFu;
    const uint64_t hi = shingles[s] >> 32;
    xs[2 * s] = lo | (lo << 32);
    xs[2 * s + 1] = hi | (hi << 32);
  }
  size_t j = 0;
  for (; j + 16 <= n; j += 16) {
    PermuteMinAvx2Block<4>(xs, shingles, num_shingles, a + j, b + j,
                           mins + j);
  }
  for (; j + 4 <= n; j += 4) {
    PermuteMinAvx2Block<1>(xs, shingles, num_shingles, a + j, b + j,
                           mins + j);
  }
  if (j < n)
    PermuteMinScalar(shingles, num_shingles, a + j, b + j, n - j, mins + j);
}

// SHA-1 (FIPS 180-4) of `data`; returns the first 8 digest bytes as a
// little-endian integer.
uint64_t Sha1First8Le(std::string_view data) {
  uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
                   0xC3D2E1F0u};
  auto rotl = [](uint32_t x, int k) { return (x << k) | (x >> (32 - k)); };
  auto block = [&](const unsigned char* p) {
    uint32_t w[80];
    for (int t = 0; t < 16; ++t) {
      w[t] = (uint32_t{p[4 * t]} << 24) | (uint32_t{p[4 * t + 1]} << 16) |
             (uint32_t{p[4 * t + 2]} << 8) | uint32_t{p[4 * t + 3]};
    }
    for (int t = 16; t < 80; ++t) {
      w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; ++t) {
      uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999u;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1u;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6u;
      }
      const uint32_t temp = rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  const uint64_t bit_len = static_cast<uint64_t>(n) * 8;
  while (n >= 64) {
    block(p);
    p += 64;
    n -= 64;
  }
  unsigned char tail[128] = {};
  std::memcpy(tail, p, n);
  tail[n] = 0x80;
  const size_t tail_len = n + 9 <= 64 ? 64 : 128;
  for (int k = 0; k < 8; ++k) {
    tail[tail_len - 1 - k] = static_cast<unsigned char>(bit_len >> (8 * k));
  }
  block(tail);
  if (tail_len == 128) block(tail + 64);
  unsigned char digest[8];
  for (int k = 0; k < 2; ++k) {
    digest[4 * k] = static_cast<unsigned char>(h[k] >> 24);
    digest[4 * k + 1] = static_cast<unsigned char>(h[k] >> 16);
    digest[4 * k + 2] = static_cast<unsigned char>(h[k] >> 8);
    digest[4 * k + 3] = static_cast<unsigned char>(h[k]);
  }
  uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | digest[k];
  return v;
}

struct Contraction {
  std::string_view word;
  size_t split;      // bytes of the first part
  bool needs_space;  // NLTK's (?=\s) instead of \b after the word
};
// NLTK's CONTRACTIONS2 that can match simplified text (the others need an
// apostrophe, which simplification removes). Python's case-insensitive
// match also lets 'i' match U+0131 DOTLESS I ("\xC4\xB1").
constexpr Contraction kContractions[] = {
    {"cannot", 3, false}, {"gimme", 3, false}, {"g\xC4\xB1mme", 4, false},
    {"gonna", 3, false},  {"gotta", 3, false}, {"lemme", 3, false},
    {"wanna", 3, true},
};

bool IsWordBefore(std::string_view s, size_t pos) {
  if (pos == 0) return false;
  int len;
  const char32_t cp =
      tokenize_internal::DecodeUtf8Backward(s.data(), s.data() + pos, &len);
  return tokenize_internal::IsPyWord(cp);
}

bool IsWordAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return false;
  int len;
  const char32_t cp =
      tokenize_internal::DecodeUtf8(s.data() + pos, s.data() + s.size(), &len);
  return tokenize_internal::IsPyWord(cp);
}

}  // namespace

void PermuteMinScalar(const uint64_t* shingles, size_t num_shingles,
                      const uint64_t* a, const uint64_t* b, size_t n,
                      uint64_t* mins) {
  for (size_t s = 0; s < num_shingles; ++s) {
    const uint64_t x = shingles[s];
    for (size_t j = 0; j < n; ++j) {
      const uint64_t r = ModMersenne61(x * a[j] + b[j]);
      mins[j] = r < mins[j] ? r : mins[j];
    }
  }
}

bool PermuteMinFast(const uint64_t* shingles, size_t num_shingles,
                    const uint64_t* a, const uint64_t* b, size_t n,
                    uint64_t* mins) {
  if (!__builtin_cpu_supports("avx2")) {
    PermuteMinScalar(shingles, num_shingles, a, b, n, mins);
    return false;
  }
  std::vector<uint64_t> xs(2 * num_shingles);
  PermuteMinAvx2(shingles, num_shingles, a, b, n, mins, xs.data());
  return true;
}

uint64_t Sha1Hash64(std::string_view bytes) { return Sha1First8Le(bytes); }

Status MinHashConfig::Validate() const {
  if (shingle_size < 1) {
    return Status::InvalidArgument("minhash: shingle_size must be >= 1");
  }
  if (num_buckets < 1) {
    return Status::InvalidArgument("minhash: num_buckets must be >= 1");
  }
  if (hashes_per_bucket < 1) {
    return Status::InvalidArgument("minhash: hashes_per_bucket must be >= 1");
  }
  if (static_cast<int64_t>(num_buckets) * hashes_per_bucket > 65536) {
    return Status::InvalidArgument(
        "minhash: num_buckets * hashes_per_bucket must be <= 65536");
  }
  if (seed > 0xFFFFFFFFull) {
    return Status::InvalidArgument("minhash: seed must be below 2^32");
  }
  return Status::OK();
}

MinHasher::MinHasher(const MinHashConfig& config)
    : config_(config),
      num_hashes_(static_cast<size_t>(config.num_buckets) *
                  static_cast<size_t>(config.hashes_per_bucket)) {
  assert(config.Validate().ok());
  NumpyLegacyRandom rng(static_cast<uint32_t>(config.seed));
  a_.resize(num_hashes_);
  b_.resize(num_hashes_);
  for (size_t j = 0; j < num_hashes_; ++j) {
    a_[j] = rng.RandintUint64(1, kMersenne61);
  }
  for (size_t j = 0; j < num_hashes_; ++j) {
    b_[j] = rng.RandintUint64(0, kMersenne61);
  }
  use_avx2_ = __builtin_cpu_supports("avx2");
}

void MinHasher::AddToken(std::string_view token) {
  if (!token_begin_.empty()) joined_.push_back(' ');
  token_begin_.push_back(joined_.size());
  joined_.append(token);
  token_end_.push_back(joined_.size());
}

// Applies NLTK's contraction splits to one whitespace-separated word of a
// simplified text without NLTK-special characters. A match needs a word
// boundary (Python \b) before it and after it (or, for "wanna", whitespace
// after it, i.e. the end of the word); NLTK replaces it by " part1 part2 ",
// so the word splits around it.
void MinHasher::AddWordWithContractions(std::string_view word) {
  size_t piece = 0;  // start of the not yet emitted part of word
  size_t from = 0;
  while (true) {
    size_t best = std::string_view::npos;
    const Contraction* best_c = nullptr;
    for (const Contraction& c : kContractions) {
      size_t at = word.find(c.word, from);
      while (at != std::string_view::npos && at < best) {
        const size_t after = at + c.word.size();
        const bool ok =
            !IsWordBefore(word, at) &&
            (c.needs_space ? after == word.size() : !IsWordAt(word, after));
        if (ok) {
          best = at;
          best_c = &c;
          break;
        }
        at = word.find(c.word, at + 1);
      }
    }
    if (best_c == nullptr) break;
    if (best > piece) AddToken(word.substr(piece, best - piece));
    AddToken(word.substr(best, best_c->split));
    AddToken(
        word.substr(best + best_c->split, best_c->word.size() - best_c->split));
    piece = from = best + best_c->word.size();
  }
  if (piece < word.size()) AddToken(word.substr(piece));
}

namespace {

// False when NLTK's contraction rules certainly leave `word` alone (a
// whitespace-separated word of simplified text without NLTK-special
// characters); true when AddWordWithContractions must look closer.
bool MayHaveContraction(std::string_view word) {
  if (word.size() < 5) return false;
  if (word.size() <= 6 && static_cast<unsigned char>(word[0]) < 0x80 &&
      static_cast<unsigned char>(word[word.size() - 1]) < 0x80) {
    // A 5- or 6-byte word can only hold a contraction as the whole word: a
    // boundary inside needs a non-word character, which is not ASCII here
    // (at least 2 bytes, or an invalid byte at one end) next to a 5-letter
    // match.
    // The whole word must be one of kContractions (fixed-size compares).
    auto is = [&](const char(&lit)[6]) {
      return std::memcmp(word.data(), lit, 5) == 0;
    };
    switch (word[0]) {
      case 'c':
        return word.size() == 6 && std::memcmp(word.data(), "cannot", 6) == 0;
      case 'g':
        if (word.size() == 6)
          return std::memcmp(word.data(), "g\xC4\xB1mme", 6) == 0;
        return is("gimme") || is("gonna") || is("gotta");
      case 'l':
        return word.size() == 5 && is("lemme");
      case 'w':
        return word.size() == 5 && is("wanna");
      default:
        return false;
    }
  }
  // Longer words: pure ASCII [a-z0-9] words have no boundary inside.
  unsigned char high = 0;
  bool letter = false;
  for (char c : word) {
    high |= static_cast<unsigned char>(c);
    letter |= c == 'c' || c == 'g' || c == 'l' || c == 'w';
  }
  if (high < 0x80 || !letter) return false;
  // A split needs one of the contractions inside the word.
  for (const Contraction& c : kContractions) {
    if (word.find(c.word) != std::string_view::npos) return true;
  }
  return false;
}

// Offset of the first doubled letter in `word` (npos when none).
constexpr size_t DoubledLetterAt(std::string_view word) {
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    if (word[i] == word[i + 1]) return i;
  }
  return std::string_view::npos;
}

// The prefilter of MayHoldContraction looks for these doubled letters only.
constexpr bool DoubledLetterIsNmt(std::string_view word) {
  const size_t at = DoubledLetterAt(word);
  return at != std::string_view::npos &&
         (word[at] == 'n' || word[at] == 'm' || word[at] == 't');
}
constexpr bool EveryContractionHasNmtPair() {
  for (const Contraction& c : kContractions) {
    if (!DoubledLetterIsNmt(c.word)) return false;
  }
  return true;
}
static_assert(EveryContractionHasNmtPair(),
              "MayHoldContraction's SSE2 prefilter looks for nn, mm and tt "
              "only: every contraction needs one of them");
constexpr size_t kNumContractions = std::size(kContractions);
constexpr std::array<size_t, kNumContractions> DoubledLetterOffsets() {
  std::array<size_t, kNumContractions> offsets{};
  for (size_t k = 0; k < kNumContractions; ++k) {
    offsets[k] = DoubledLetterAt(kContractions[k].word);
  }
  return offsets;
}
constexpr std::array<size_t, kNumContractions> kDoubledLetterAt =
    DoubledLetterOffsets();

// False when no string of kContractions occurs anywhere in `s` (then
// MayHaveContraction is false for every word of s, since it is true only
// for words holding one). Each of them has a doubled n, m or t (asserted
// above), so only those pairs are looked at: 16 positions at a time with
// SSE2, then each contraction whose doubled letter could be at the pair.
bool MayHoldContraction(std::string_view s) {
  const size_t n = s.size();
  const char* d = s.data();
  // Whether a contraction holds its doubled letter at i, i + 1.
  auto check = [&](size_t i) {
    for (size_t k = 0; k < kNumContractions; ++k) {
      const Contraction& c = kContractions[k];
      const size_t at = kDoubledLetterAt[k];
      if (d[i] != c.word[at] || i < at) continue;
      const size_t begin = i - at;
      if (begin + c.word.size() <= n &&
          std::memcmp(d + begin, c.word.data(), c.word.size()) == 0) {
        return true;
      }
    }
    return false;
  };
  size_t i = 0;
#ifdef __SSE2__
  const __m128i nn = _mm_set1_epi8('n');
  const __m128i mm = _mm_set1_epi8('m');
  const __m128i tt = _mm_set1_epi8('t');
  for (; i + 17 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i w =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + 1));
    const __m128i pair = _mm_and_si128(
        _mm_cmpeq_epi8(v, w),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nn), _mm_cmpeq_epi8(v, mm)),
                     _mm_cmpeq_epi8(v, tt)));
    auto m = static_cast<unsigned>(_mm_movemask_epi8(pair));
    while (m != 0) {
      if (check(i + static_cast<size_t>(__builtin_ctz(m)))) return true;
      m &= m - 1;
    }
  }
#endif
  for (; i + 1 < n; ++i) {
    if (d[i] == d[i + 1] && check(i)) return true;
  }
  return false;
}

}  // namespace

void MinHasher::Tokenize(std::string_view text) {
  SimplifyInfo info;
  SimplifyText(text, &simplified_, &info);
  token_begin_.clear();
  token_end_.clear();
  if (!info.has_nltk_special && !info.has_left_quote) {
    // Fast path: tokens are the words of simplified_ and shingles are its
    // substrings, unless a double space or a contraction split appears.
    const char* s = simplified_.data();
    const size_t size = simplified_.size();
    // Most texts hold none of kContractions anywhere: then no word needs
    // MayHaveContraction. Otherwise, in ASCII text only a whole 5- or 6-byte
    // word can be a contraction.
    const bool contractions = MayHoldContraction(simplified_);
    const bool ascii = !contractions || IsAscii(simplified_);
    // Token spans are written through pointers into vectors that grow
    // geometrically (as push_back would) and are cut to size at the end.
    if (token_begin_.size() < 256) {
      token_begin_.resize(256);
      token_end_.resize(256);
    }
    size_t* begins = token_begin_.data();
    size_t* ends = token_end_.data();
    size_t num_tokens = 0;
    size_t start = 0;
    // Closes the token ending at `end`; false if the fast path cannot hold.
    auto close = [&](size_t end) {
      const size_t len = end - start;
      if (len == 0) return false;
      if (contractions && len >= 5 && (len <= 6 || !ascii) &&
          MayHaveContraction(std::string_view(s + start, len))) {
        return false;
      }
      if (num_tokens == token_begin_.size()) {
        token_begin_.resize(2 * num_tokens);
        token_end_.resize(2 * num_tokens);
        begins = token_begin_.data();
        ends = token_end_.data();
      }
      begins[num_tokens] = start;
      ends[num_tokens] = end;
      ++num_tokens;
      start = end + 1;
      return true;
    };
    bool simple = !simplified_.empty();
    size_t i = 0;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(' ');
    if (!contractions) {
      // Every space ends a token, and the fast path holds unless a token is
      // empty (a space first or after another space). Each block stores the
      // ends of its first four tokens without a branch per space (stores
      // past the block's count are overwritten or cut off later); begins
      // follow from the ends after the loop.
      unsigned prev_space = 1;  // an empty token at the start, too
      for (; simple && i + 16 <= size; i += 16) {
        const __m128i v =
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        const __m128i eq = _mm_cmpeq_epi8(v, space);
        const auto m = static_cast<unsigned>(_mm_movemask_epi8(eq));
        if ((((m << 1) | prev_space) & m) != 0) {
          simple = false;
          break;
        }
        prev_space = m >> 15;
        if (num_tokens + 16 > token_end_.size()) {
          token_begin_.resize(2 * token_end_.size());
          token_end_.resize(2 * token_end_.size());
          begins = token_begin_.data();
          ends = token_end_.data();
        }
        // The number of spaces (popcount without the POPCNT instruction,
        // which the baseline target lacks): sums of the 0/1 bytes.
        const __m128i sums = _mm_sad_epu8(_mm_and_si128(eq, _mm_set1_epi8(1)),
                                          _mm_setzero_si128());
        const int count =
            _mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4);
        // Bits 16-19 keep the four unconditional ctz calls off an empty mask.
        unsigned rest = m | 0xF0000u;
        for (int k = 0; k < 4; ++k) {
          ends[num_tokens + k] = i + static_cast<size_t>(__builtin_ctz(rest));
          rest &= rest - 1;
        }
        for (int k = 4; k < count; ++k) {
          ends[num_tokens + k] = i + static_cast<size_t>(__builtin_ctz(rest));
          rest &= rest - 1;
        }
        num_tokens += static_cast<size_t>(count);
      }
      if (simple && num_tokens > 0) {
        begins[0] = 0;
        for (size_t k = 1; k < num_tokens; ++k) begins[k] = ends[k - 1] + 1;
        start = ends[num_tokens - 1] + 1;
      }
    }
    for (; simple && i + 16 <= size; i += 16) {
      const __m128i v =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      auto m =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
      while (m != 0) {
        if (!close(i + static_cast<size_t>(__builtin_ctz(m)))) {
          simple = false;
          break;
        }
        m &= m - 1;
      }
    }
#endif
    for (; simple && i < size; ++i) {
      if (s[i] == ' ' && !close(i)) simple = false;
    }
    if (simple) simple = close(size);
    if (simplified_.empty()) simple = true;
    if (simple) {
      token_begin_.resize(num_tokens);
      token_end_.resize(num_tokens);
      shingle_text_ = simplified_;
      return;
    }
    token_begin_.clear();
    token_end_.clear();
  }
  joined_.clear();
  shingle_text_ = {};
  if (info.has_nltk_special) {
    nltk_.SplitWords(simplified_, &nltk_tokens_);
    for (const std::string_view t : nltk_tokens_) AddToken(t);
  } else {
    // NLTK splits U+2018 off as its own token; the parts between are words
    // (a U+2018 is not a word character, so it also bounds contractions).
    static constexpr std::string_view kLeftQuote = "\xE2\x80\x98";
    const std::string_view s = simplified_;
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      if (i >= s.size()) break;
      size_t j = s.find(' ', i);
      if (j == std::string_view::npos) j = s.size();
      std::string_view word = s.substr(i, j - i);
      while (!word.empty()) {
        const size_t q = word.find(kLeftQuote);
        if (q == std::string_view::npos) {
          AddWord(word);
          break;
        }
        if (q > 0) AddWord(word.substr(0, q));
        AddToken(kLeftQuote);
        word.remove_prefix(q + kLeftQuote.size());
      }
      i = j;
    }
  }
  shingle_text_ = joined_;
}

void MinHasher::AddWord(std::string_view word) {
  // MayHaveContraction is exact when false: the word is one token.
  if (MayHaveContraction(word)) {
    AddWordWithContractions(word);
  } else {
    AddToken(word);
  }
}

uint64_t MinHasher::HashShingle(std::string_view s) const {
  if (config_.hash == MinHashConfig::Hash::kSha1) return Sha1First8Le(s);
  return XXH64(s.data(), s.size(), 0);
}

void MinHasher::ComputeShingles() {
  shingles_.clear();
  const size_t n = static_cast<size_t>(config_.shingle_size);
  const size_t num_tokens = token_begin_.size();
  if (num_tokens < n) return;
  const size_t count = num_tokens - n + 1;
  shingles_.resize(count);
  uint64_t* out = shingles_.data();
  const char* base = shingle_text_.data();
  const size_t* begins = token_begin_.data();
  const size_t* ends = token_end_.data() + (n - 1);
  if (config_.hash == MinHashConfig::Hash::kXxhash64) {
    // XXH64's branches (32-byte stripes, then 8-, 4- and 1-byte steps)
    // follow the length, which varies from shingle to shingle, so in text
    // order about every call mispredicts. The hashes are computed in order
    // of length instead, within chunks of up to kChunk shingles (a counting
    // sort of their indexes; lengths of kLengthBuckets - 1 and more share
    // the last bucket), and stored in text order, so shingles_ is the same.
    constexpr size_t kLengthBuckets = 128;
    constexpr size_t kChunk = 4096;
    // Below this, clearing and summing the buckets costs about what the
    // ordering saves.
    constexpr size_t kMinSorted = 32;
    if (count < kMinSorted) {
      for (size_t i = 0; i < count; ++i)
        out[i] = XXH64(base + begins[i], ends[i] - begins[i], 0);
      return;
    }
    by_length_.resize(std::min(count, kChunk));
    uint32_t* order = by_length_.data();
    for (size_t from = 0; from < count; from += kChunk) {
      const size_t to = std::min(count, from + kChunk);
      uint32_t start[kLengthBuckets + 1] = {};
      for (size_t i = from; i < to; ++i)
        ++start[std::min(ends[i] - begins[i], kLengthBuckets - 1) + 1];
      for (size_t k = 1; k <= kLengthBuckets; ++k) start[k] += start[k - 1];
      for (size_t i = from; i < to; ++i) {
        order[start[std::min(ends[i] - begins[i], kLengthBuckets - 1)]++] =
            static_cast<uint32_t>(i - from);
      }
      for (size_t k = 0; k < to - from; ++k) {
        const size_t i = from + order[k];
        out[i] = XXH64(base + begins[i], ends[i] - begins[i], 0);
      }
    }
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    out[i] =
        HashShingle(std::string_view(base + begins[i], ends[i] - begins[i]));
  }
}

void MinHasher::Signature(std::string_view text, std::vector<uint64_t>* sig) {
  Tokenize(text);
  ComputeShingles();
  last_num_shingles_ = shingles_.size();
  sig->clear();
  if (shingles_.empty()) return;
  sig->assign(num_hashes_, ~uint64_t{0} >> 1);
  if (use_avx2_) {
    xs_.resize(2 * shingles_.size());
    PermuteMinAvx2(shingles_.data(), shingles_.size(), a_.data(), b_.data(),
                   num_hashes_, sig->data(), xs_.data());
  } else {
    PermuteMinScalar(shingles_.data(), shingles_.size(), a_.data(), b_.data(),
                     num_hashes_, sig->data());
  }
}

void MinHasher::BandKeys(const std::vector<uint64_t>& sig,
                         std::vector<Key128>* keys) const {
  keys->clear();
  if (sig.empty()) return;
  assert(sig.size() == num_hashes_);
  const size_t r = static_cast<size_t>(config_.hashes_per_bucket);
  unsigned char buf[8 * 256];
  std::vector<unsigned char> big;
  unsigned char* bytes = buf;
  if (r * 8 > sizeof(buf)) {
    big.resize(r * 8);
    bytes = big.data();
  }
  for (int band = 0; band < config_.num_buckets; ++band) {
    const uint64_t* v = sig.data() + static_cast<size_t>(band) * r;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(bytes, v, 8 * r);
    } else {
      for (size_t k = 0; k < r; ++k) {
        for (int byte = 0; byte < 8; ++byte) {
          bytes[8 * k + byte] = static_cast<unsigned char>(v[k] >> (8 * byte));
        }
      }
    }
    const XXH128_hash_t h =
        XXH3_128bits_withSeed(bytes, r * 8, static_cast<uint64_t>(band));
    keys->push_back(Key128{h.high64, h.low64});
  }
}

double MinHasher::ShingleJaccard(std::string_view a, std::string_view b) {
  Tokenize(a);
  ComputeShingles();
  other_shingles_.swap(shingles_);
  Tokenize(b);
  ComputeShingles();
  auto& x = other_shingles_;
  auto& y = shingles_;
  if (x.empty() || y.empty()) return 0.0;
  std::sort(x.begin(), x.end());
  x.erase(std::unique(x.begin(), x.end()), x.end());
  std::sort(y.begin(), y.end());
  y.erase(std::unique(y.begin(), y.end()), y.end());
  size_t common = 0;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const size_t uni = x.size() + y.size() - common;
  return static_cast<double>(common) / static_cast<double>(uni);
}

void MinHasher::Simplify(std::string_view text, std::string* simplified) {
  SimplifyText(text, simplified);
}

std::vector<std::string> MinHasher::Tokens(std::string_view text) {
  Tokenize(text);
  std::vector<std::string> out;
  out.reserve(token_begin_.size());
  for (size_t i = 0; i < token_begin_.size(); ++i) {
    out.emplace_back(
        shingle_text_.substr(token_begin_[i], token_end_[i] - token_begin_[i]));
  }
  return out;
}

void MinHasher::Shingles(std::string_view text,
                         std::vector<uint64_t>* shingles) {
  Tokenize(text);
  ComputeShingles();
  *shingles = shingles_;
}

void ShingleSet32(const std::vector<uint64_t>& shingles,
                  std::vector<uint32_t>* set) {
  set->resize(shingles.size());
  for (size_t i = 0; i < shingles.size(); ++i)
    (*set)[i] = static_cast<uint32_t>(shingles[i]);
  std::sort(set->begin(), set->end());
  set->erase(std::unique(set->begin(), set->end()), set->end());
}

double SortedSetJaccard(const uint32_t* a, size_t na, const uint32_t* b,
                        size_t nb) {
  if (na == 0 || nb == 0) return 0.0;
  size_t common = 0, i = 0, j = 0;
  while (i < na && j < nb) {
    const uint32_t x = a[i], y = b[j];
    common += (x == y);
    i += (x <= y);
    j += (y <= x);
  }
  return static_cast<double>(common) / static_cast<double>(na + nb - common);
}

}  // namespace winnow::dedup
