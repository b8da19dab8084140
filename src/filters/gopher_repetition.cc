#include "filters/gopher_repetition.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/json_writer.h"
#include "filters/filter_util.h"
#include "filters/py_text.h"
#include "filters/token_cache.h"

namespace winnow {
namespace {

using filters_internal::Ratio;

// The shift Bucket() takes for a table of mask + 1 slots (a power of two,
// at least 2): the counting loops compute it once from their local mask.
inline int BucketShift(size_t mask) {
  return std::countl_zero(uint64_t{mask});
}

// Table slot of a hash or a key: multiplicative hashing read from the top
// bits, which depend on every bit of the key (keys may be raw text bytes).
inline size_t Bucket(uint64_t h, int shift) {
  return static_cast<size_t>((h * 0xD6E8FEB86659FD93ULL) >> shift);
}

// Offset of the first '\n' of s[i, n), or n (REQUIRES: i <= n). Inline, as
// lines are short.
inline size_t FindNewline(const char* s, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const unsigned hits =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
    if (hits != 0) return i + static_cast<size_t>(__builtin_ctz(hits));
  }
  if (n >= 16) {
    // The last n - i < 16 bytes: the 16 bytes ending at n, those before i
    // shifted out, and a bit at n - i standing for "not found" (n). No byte
    // loop, whose varying length mispredicted its exit.
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    const unsigned hits =
        (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline))) >>
         (i + 16 - n)) |
        (1u << (n - i));
    return i + static_cast<size_t>(__builtin_ctz(hits));
  }
#endif
  while (i < n && s[i] != '\n') ++i;
  return i;
}

// Prefix lengths whose uniqueness at a word start PrepareWords records
// (multiples of 8, increasing).
constexpr size_t kPrefixLevels[] = {8, 16, 32, 64};
// unique_len_ of a word start whose prefixes are all shared: larger than
// any window (offsets are 32-bit), so MayRepeat holds for all of them.
constexpr uint32_t kNotUnique = UINT32_MAX;

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Hash of the k bytes at p (k a multiple of 8).
inline uint64_t PrefixHash(const char* p, size_t k) {
  uint64_t h = 0;
  for (size_t j = 0; j < k; j += 8) {
    h = (h + Load64(p + j)) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  return h;
}

// Hash of the `len` bytes at p, where p + len <= end. A function of the
// bytes alone (not of word boundaries); equal hashes are always confirmed by
// comparing bytes, so collisions cost time, never accuracy.
inline uint64_t HashBytes(const char* p, size_t len, const char* end) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  uint64_t h = (len + 1) * kMul;
  if (__builtin_expect(len >= 8, 0)) {
    // The first 8 bytes, the whole 8-byte chunks after them that end before
    // the last 8 bytes, then the last 8 bytes (overlapping the previous chunk
    // unless len is a multiple of 8, or the first chunk when len == 8). The
    // first chunk is outside the loop so that windows of 8-16 bytes, most of
    // the long ones, do not enter it (its exit mispredicted when they did).
    h = (h ^ Load64(p)) * kMul;
    for (size_t j = 8; __builtin_expect(j + 8 < len, 0); j += 8)
      h = (h ^ Load64(p + j)) * kMul;
    return ((h ^ Load64(p + len - 8)) * kMul) ^ (h >> 31);
  }
  uint64_t v = 0;
  if (end - p >= 8) {
    v = len == 0 ? 0 : Load64(p) & (~uint64_t{0} >> (64 - 8 * len));
  } else {
    for (size_t k = 0; k < len; ++k)
      v |= uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
  }
  return ((h ^ v) * kMul) ^ (h >> 31);
}

// Windows of at most this many bytes (of one or two words) are their own
// table key (ExactWindowKey); longer ones are keyed by HashBytes with
// kExactKeyBit cleared, so the two kinds never meet.
constexpr uint32_t kMaxExactLen = 7;
constexpr uint64_t kExactKeyBit = uint64_t{1} << 63;

// The `len` (<= kMaxExactLen) bytes at p, p + len <= end, in bits 0-55, len
// in bits 56-58, `split` (< 8: where the second word starts, or 0) in bits
// 59-61, and kExactKeyBit: equal keys mean equal bytes and boundaries.
// The two parts come from tables (one memory operand each instead of
// shifts, a subtraction and three ORs: -10 M instructions on Reuters).
constexpr auto kExactByteMask = [] {
  std::array<uint64_t, kMaxExactLen + 1> mask{};
  for (uint32_t len = 0; len <= kMaxExactLen; ++len)
    mask[len] = (uint64_t{1} << (8 * len)) - 1;
  return mask;
}();
constexpr auto kExactLenSplit = [] {  // index len * 8 + split
  std::array<uint64_t, (kMaxExactLen + 1) * 8> bits{};
  for (uint32_t len = 0; len <= kMaxExactLen; ++len)
    for (uint32_t split = 0; split < 8; ++split)
      bits[len * 8 + split] =
          (uint64_t{len} << 56) | (uint64_t{split} << 59) | kExactKeyBit;
  return bits;
}();
// REQUIRES: [p, p + len) lies in [begin, end), len >= 1.
inline uint64_t ExactWindowKey(const char* p, uint32_t len, uint32_t split,
                               const char* begin, const char* end) {
  uint64_t v = 0;
  if (__builtin_expect(end - p >= 8, 1)) {  // all but the text's last bytes
    v = Load64(p) & kExactByteMask[len];
  } else if (end - begin >= 8) {
    // The 8 bytes ending at `end`, shifted so that p's byte is the lowest
    // (1 <= end - p < 8), rather than a byte loop of varying length.
    v = (Load64(end - 8) >> (8 * (8 - (end - p)))) & kExactByteMask[len];
  } else {
    for (uint32_t k = 0; k < len; ++k)
      v |= uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
  }
  return v | kExactLenSplit[len * 8 + split];
}

// The most frequent n-gram so far, the lowest id among equal counts, without
// a branch (whether a counted n-gram becomes the best is data-dependent).
inline void UpdateBest(uint32_t c, uint32_t id, uint32_t* best_count,
                       uint32_t* best_id) {
  const bool better = (c > *best_count) | ((c == *best_count) & (id < *best_id));
  *best_count = better ? c : *best_count;
  *best_id = better ? id : *best_id;
}

// Keeps, in order and in place, the windows of list[0, size) whose n-gram
// (ids[window]) occurs more than once (count[id] > 1); returns how many.
inline size_t KeepRepeated(uint32_t* list, size_t size, const uint32_t* ids,
                           const uint32_t* count) {
  size_t kept = 0;
  for (size_t r = 0; r < size; ++r) {
    const uint32_t i = list[r];
    list[kept] = i;
    kept += count[ids[i]] > 1;
  }
  return kept;
}

}  // namespace

namespace gopher_internal {

void SplitAtNewlineRuns(std::string_view s, size_t min_run,
                        std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  size_t i = 0;
  while (true) {
    const size_t nl = FindNewline(s.data(), i, s.size());
    if (nl == s.size()) break;
    size_t end = nl;
    while (end < s.size() && s[end] == '\n') ++end;
    if (end - nl >= min_run) {
      out->push_back(s.substr(start, nl - start));
      start = end;
    }
    i = end;
  }
  out->push_back(s.substr(start));
}

void FindNewlineRuns(std::string_view s, std::vector<NewlineRun>* runs) {
  runs->clear();
  size_t i = 0;
  while (true) {
    const size_t nl = FindNewline(s.data(), i, s.size());
    if (nl == s.size()) break;
    size_t end = nl + 1;
    while (end < s.size() && s[end] == '\n') ++end;
    runs->push_back(NewlineRun{nl, end});
    i = end;
  }
}

void ParagraphsFromRuns(std::string_view s, const std::vector<NewlineRun>& runs,
                        std::vector<std::string_view>* out) {
  out->clear();
  // strip() leaves a non-space code point at each end (or nothing), so a
  // run lies wholly inside the stripped text or wholly outside it.
  const std::string_view stripped = pytext::Strip(s);
  const size_t begin = static_cast<size_t>(stripped.data() - s.data());
  const size_t end = begin + stripped.size();
  size_t start = begin;
  for (const NewlineRun& run : runs) {
    if (run.begin < begin) continue;
    if (run.end > end) break;
    if (run.end - run.begin >= 2) {
      out->push_back(s.substr(start, run.begin - start));
      start = run.end;
    }
  }
  out->push_back(s.substr(start, end - start));
}

void LinesFromRuns(std::string_view s, const std::vector<NewlineRun>& runs,
                   std::vector<std::string_view>* out) {
  // Written by index (one line per run, and the last): push_back tested the
  // capacity per line.
  out->resize(runs.size() + 1);
  std::string_view* const lines = out->data();
  const char* const data = s.data();
  size_t start = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    lines[r] = std::string_view(data + start, runs[r].begin - start);
    start = runs[r].end;
  }
  lines[runs.size()] = std::string_view(data + start, s.size() - start);
}

}  // namespace gopher_internal

GopherRepetitionFilter::GopherRepetitionFilter(GopherRepetitionOptions options)
    : options_(std::move(options)) {
  for (const auto& [n, frac] : options_.top_n_grams)
    top_names_.push_back("top_" + std::to_string(n) + "_gram");
  for (const auto& [n, frac] : options_.dup_n_grams)
    dup_names_.push_back("duplicated_" + std::to_string(n) + "_n_grams");
  int min_n = 0;
  for (const auto& [n, frac] : options_.dup_n_grams)
    min_n = min_n == 0 ? n : std::min(min_n, n);
  min_dup_n_ = static_cast<size_t>(std::max(min_n, 1));
  for (const auto& [n, frac] : options_.dup_n_grams)
    max_dup_n_ = std::max(max_dup_n_, static_cast<size_t>(std::max(n, 1)));
  if (!options_.dup_n_grams.empty())
    min_dup_frac_ = std::min_element(options_.dup_n_grams.begin(),
                                     options_.dup_n_grams.end(),
                                     [](const auto& a, const auto& b) {
                                       return a.second < b.second;
                                     })->second;
}

Result<std::unique_ptr<Step>> GopherRepetitionFilter::Create(
    StepOptions& options) {
  GopherRepetitionOptions o;
  o.dup_line_frac = options.GetDouble("dup_line_frac", o.dup_line_frac);
  o.dup_para_frac = options.GetDouble("dup_para_frac", o.dup_para_frac);
  o.dup_line_char_frac =
      options.GetDouble("dup_line_char_frac", o.dup_line_char_frac);
  o.dup_para_char_frac =
      options.GetDouble("dup_para_char_frac", o.dup_para_char_frac);
  o.write_signals = options.GetBool("write_signals", o.write_signals);
  auto top = filters_internal::ParseNgramThresholds(
      "top_n_grams",
      options.GetList("top_n_grams",
                      {filters_internal::FormatNgramThresholds(o.top_n_grams)}));
  if (!top.ok()) return top.status();
  auto dup = filters_internal::ParseNgramThresholds(
      "dup_n_grams",
      options.GetList("dup_n_grams",
                      {filters_internal::FormatNgramThresholds(o.dup_n_grams)}));
  if (!dup.ok()) return dup.status();
  o.top_n_grams = std::move(top).value();
  o.dup_n_grams = std::move(dup).value();
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(new GopherRepetitionFilter(std::move(o)));
}

void GopherRepetitionFilter::PrepareWords(std::string_view text) {
  TokenCache& cache = TokenCache::ForThisThread();
  const TokenList& words = cache.Words(text);
  const size_t n = words.size();
  const std::string_view all = words.concatenated();
  words_ = all.data();
  level_ = 0;
  num_words_ = n;
  if (off_.size() < n + 1) off_.resize(n + 1);
  std::memcpy(off_.data(), words.offsets(), (n + 1) * sizeof(uint32_t));
  if (cache.WordsAreAscii()) {
    cp_ = off_.data();
  } else {
    if (cp_prefix_.size() < n + 1) cp_prefix_.resize(n + 1);
    cp_prefix_[0] = 0;
    for (size_t i = 0; i < n; ++i)
      cp_prefix_[i + 1] =
          cp_prefix_[i] + static_cast<uint32_t>(pytext::Length(words[i]));
    cp_ = cp_prefix_.data();
  }

  FindUniquePrefixes();
  num_dup_candidates_ = 0;
  if (n >= min_dup_n_) {
    // MayRepeat(i, min_dup_n_) for each i, through pointers.
    const size_t windows = n + 1 - min_dup_n_;
    // Grown, never shrunk: resizing from the last document's count would
    // value-initialize the difference on every document.
    if (dup_candidates_.size() < windows) dup_candidates_.resize(windows);
    uint32_t* const out = dup_candidates_.data();
    const uint32_t* const off = off_.data();
    const uint32_t* const off_end = off + min_dup_n_;
    const uint32_t* const unique_len = unique_len_.data();
    size_t kept = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // Four windows per step; few are candidates (about 1 in 20 on Reuters),
    // so most steps append nothing. The comparison is unsigned (unique_len_
    // may be UINT32_MAX): both sides biased by 2^31, then compared signed.
    const __m128i bias = _mm_set1_epi32(INT32_MIN);
    for (; i + 4 <= windows; i += 4) {
      const __m128i len = _mm_sub_epi32(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(off_end + i)),
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(off + i)));
      const __m128i limit =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(unique_len + i));
      unsigned may_repeat = static_cast<unsigned>(_mm_movemask_ps(
          _mm_castsi128_ps(_mm_cmplt_epi32(_mm_xor_si128(len, bias),
                                           _mm_xor_si128(limit, bias)))));
      while (may_repeat != 0) {
        out[kept++] = static_cast<uint32_t>(i) +
                      static_cast<uint32_t>(__builtin_ctz(may_repeat));
        may_repeat &= may_repeat - 1;
      }
    }
#endif
    // Branch-free.
    for (; i < windows; ++i) {
      out[kept] = static_cast<uint32_t>(i);
      kept += off_end[i] - off[i] < unique_len[i];
    }
    num_dup_candidates_ = kept;
  }
}

void GopherRepetitionFilter::FindUniquePrefixes() {
  const size_t n = num_words_;
  const size_t total = off_[n];
  if (unique_len_.size() < n) unique_len_.resize(n);
  // Level 8: the 8 bytes themselves are the key. Words whose prefix is
  // shared go on to the next level, where only they can share a longer one.
  // A slot's id is the word start that claimed it; unique_len_ of that start
  // is 8 until a second start shares its key.
  ResetTable(n);
  // At most n starts (each joins once); written by index, counted below.
  if (shared_.size() < n) shared_.resize(n);
  uint32_t* const shared = shared_.data();
  size_t num_shared = 0;
  // Probing and Insert() inlined with the table's state in locals: the
  // stores into the table would otherwise reload mask_ and gen_ per word
  // (+10 M instructions on Reuters).
  Slot* const table = table_.data();
  const size_t mask = mask_;
  const int shift = BucketShift(mask);
  const uint32_t gen = gen_;
  uint32_t* const unique_len = unique_len_.data();
  // Word starts with at least 8 bytes after them: the first `full` ones
  // (offsets increase).
  size_t full = n;
  while (full > 0 && off_[full - 1] + 8 > total) --full;
  for (size_t i = full; i < n; ++i) unique_len[i] = kNotUnique;
  const uint32_t* const off = off_.data();
  const char* const words = words_;
  for (size_t i = 0; i < full; ++i) {
    const uint64_t key = Load64(words + off[i]);
    size_t s = Bucket(key, shift);
    while (table[s].gen == gen && table[s].key != key) s = (s + 1) & mask;
    // Shared prefixes are rare (1 start in 11 on Reuters): the hint keeps
    // the insertion on the straight path (-4.4 M instructions).
    if (__builtin_expect(table[s].gen == gen, 0)) {
      // The key's first start joins shared_ with the second start to find
      // it (its unique_len is 8 until then), without a branch: written
      // always, counted only then (i overwrites it otherwise).
      const uint32_t first = table[s].id;
      shared[num_shared] = first;
      num_shared += unique_len[first] == 8;
      unique_len[first] = kNotUnique;
      unique_len[i] = kNotUnique;
      shared[num_shared++] = static_cast<uint32_t>(i);
    } else {
      unique_len[i] = 8;
      table[s] = Slot{key, static_cast<uint32_t>(i), gen};
    }
  }
  // Longer levels: a hash of the prefix is the key, confirmed by comparing
  // the bytes.
  static_assert(kPrefixLevels[0] == 8 && kPrefixLevels[1] == 16 &&
                kPrefixLevels[2] == 32 && kPrefixLevels[3] == 64 &&
                std::size(kPrefixLevels) == 4);
  num_shared_ = num_shared;
  if (num_shared_ != 0) FindSharedPrefixes<16>();
  if (num_shared_ != 0) FindSharedPrefixes<32>();
  if (num_shared_ != 0) FindSharedPrefixes<64>();
  for (size_t r = 0; r < num_shared_; ++r) unique_len_[shared_[r]] = kNotUnique;
}

template <size_t kLen>
void GopherRepetitionFilter::FindSharedPrefixes() {
  const size_t total = off_[num_words_];
  const size_t num_shared = num_shared_;
  ResetTable(num_shared);
  // Each start of shared_ is written at most once (itself when found, or as
  // the first start of a key when a second one finds it).
  if (next_shared_.size() < num_shared) next_shared_.resize(num_shared);
  // State in locals, as in CountNgramsByHash; kLen is a constant, so the
  // hash loop unrolls and the comparison is inline.
  Slot* const table = table_.data();
  const size_t mask = mask_;
  const int shift = BucketShift(mask);
  const uint32_t gen = gen_;
  const uint32_t* const off = off_.data();
  const char* const words = words_;
  uint32_t* const unique_len = unique_len_.data();
  uint32_t* const first = first_.data();
  uint32_t* const count = count_.data();
  uint32_t* const out = next_shared_.data();
  uint32_t used = ids_used_;
  const uint32_t* const shared = shared_.data();
  size_t kept = 0;
  for (size_t r = 0; r < num_shared; ++r) {
    const uint32_t i = shared[r];
    if (off[i] + kLen > total) {
      unique_len[i] = kNotUnique;
      continue;
    }
    const char* const p = words + off[i];
    const uint64_t h = PrefixHash(p, kLen);
    size_t s = Bucket(h, shift);
    bool found = false;
    for (; table[s].gen == gen; s = (s + 1) & mask) {
      if (table[s].key != h) continue;
      const uint32_t id = table[s].id;
      if (std::memcmp(words + off[first[id]], p, kLen) != 0) continue;
      if (count[id]++ == 1) out[kept++] = first[id];
      out[kept++] = i;
      found = true;
      break;
    }
    if (!found) {
      unique_len[i] = static_cast<uint32_t>(kLen);
      const uint32_t id = used++;  // Insert(), with the state in locals
      table[s] = Slot{h, id, gen};
      first[id] = i;
      count[id] = 1;
    }
  }
  ids_used_ = used;
  num_shared_ = kept;
  shared_.swap(next_shared_);
}

void GopherRepetitionFilter::ResetTable(size_t expected) {
  // At most 1/16 full while the table stays within kSparseSlots (1 MiB, the
  // L2 cache of the machine measured), at most 1/2 full beyond: in a sparse
  // table a probe's first slot is rarely taken by another key, so the probe
  // loops exit at once and their exit branch is predictable (a table 1/4 to
  // 1/2 full mispredicted it about once per 3 keys).
  constexpr size_t kSparseSlots = size_t{1} << 16;
  // The smallest power of two of at least 16 that is at least expected * 2,
  // and at least expected * 16 unless that passes kSparseSlots (no loop).
  const size_t want =
      std::max(std::bit_ceil(std::max<size_t>(expected * 2, 16)),
               std::min(std::bit_ceil(std::max<size_t>(expected * 16, 16)),
                        kSparseSlots));
  if (table_.size() < want || ++gen_ == 0) {
    table_.assign(std::max(want, table_.size()), Slot{0, 0, 0});
    gen_ = 1;
  }
  // Only the first `want` slots are used, so small documents stay in cache
  // after a large one grew the table.
  mask_ = want - 1;
  if (first_.size() < expected) {
    first_.resize(expected);
    count_.resize(expected);
  }
  ids_used_ = 0;
}

void GopherRepetitionFilter::CountNgramsByHash(size_t n) {
  if (n == 2) {
    CountNgramsByHashLoop<2>(n);
  } else if (n == 1) {
    CountNgramsByHashLoop<1>(n);
  } else {
    CountNgramsByHashLoop<0>(n);
  }
}

template <int kN>
void GopherRepetitionFilter::CountNgramsByHashLoop(size_t n_arg) {
  constexpr bool kShortKeys = kN > 0;  // n <= 2
  const size_t n = kN > 0 ? kN : n_arg;
  const size_t windows = num_words_ + 1 - n;  // REQUIRES: n <= num_words_
  ResetTable(windows);
  if (ids_.size() < windows) ids_.resize(windows);
  if (repeated_.size() < windows) repeated_.resize(windows);  // see PrepareWords
  // The table's state and the arrays in locals: stores through the uint32_t
  // arrays would otherwise reload the members on every window.
  Slot* const table = table_.data();
  const size_t mask = mask_;
  const int shift = BucketShift(mask);
  const uint32_t gen = gen_;
  const uint32_t* const off = off_.data();
  const uint32_t* const unique_len = unique_len_.data();
  const char* const words = words_;
  const char* const words_end = words_ + off[num_words_];
  uint32_t* const first = first_.data();
  uint32_t* const count = count_.data();
  uint32_t* const ids = ids_.data();
  uint32_t* const candidates = repeated_.data();
  uint32_t used = ids_used_;
  uint32_t best_count = 1;
  uint32_t best_id = 0;
  // First pass, branch-free: the windows that may repeat (MayRepeat), in
  // order. About half of them do on Reuters, so a skip branch in the loop
  // below mispredicted often.
  size_t num_candidates = 0;
  for (size_t i = 0; i < windows; ++i) {
    candidates[num_candidates] = static_cast<uint32_t>(i);
    num_candidates += off[i + n] - off[i] < unique_len[i];
  }
  uint64_t compared = 0;  // bytes compared on key matches (work_)
  for (size_t r = 0; r < num_candidates; ++r) {
    const uint32_t i = candidates[r];
    const uint32_t o = off[i];
    const uint32_t len = off[i + n] - o;
    const char* const p = words + o;
    uint32_t id = kNone;
    size_t s;
    uint64_t key;
    if (kShortKeys && len <= kMaxExactLen) {
      // The window itself is the key: its bytes, its length and where its
      // second word starts, so equal keys are equal ' '-joined n-grams.
      key = ExactWindowKey(p, len, n == 2 ? off[i + 1] - o : 0, words,
                           words_end);
      s = Bucket(key, shift);
      while (table[s].gen == gen && table[s].key != key) s = (s + 1) & mask;
      if (__builtin_expect(table[s].gen == gen, 0)) {  // 1 in 7 on Reuters
        id = table[s].id;
        compared += len;
        const uint32_t c = ++count[id];
        UpdateBest(c, id, &best_count, &best_id);
      }
    } else {
      key = HashBytes(p, len, words_end) & ~kExactKeyBit;
      for (s = Bucket(key, shift); table[s].gen == gen; s = (s + 1) & mask) {
        if (table[s].key != key) continue;
        // ' '-joined n-grams are equal when their words are: same bytes and
        // same word boundaries.
        const uint32_t f = first[table[s].id];
        compared += len;
        bool same = off[f + n] - off[f] == len &&
                    std::memcmp(words + off[f], p, len) == 0;
        for (size_t k = 1; same && k < n; ++k)
          same = off[f + k] - off[f] == off[i + k] - o;
        if (same) {
          id = table[s].id;
          const uint32_t c = ++count[id];
          UpdateBest(c, id, &best_count, &best_id);
          break;
        }
      }
    }
    if (id == kNone) {
      // Insert(), with the state in locals.
      id = used++;
      table[s] = Slot{key, id, gen};
      first[id] = static_cast<uint32_t>(i);
      count[id] = 1;
    }
    ids[i] = id;
  }
  ids_used_ = used;
  best_count_ = best_count;
  best_id_ = best_id;
  work_ += windows + compared;
  num_repeated_ = KeepRepeated(candidates, num_candidates, ids, count);
  level_ = n;
}

void GopherRepetitionFilter::CountNgramsByPairs() {
  // The (m+1)-gram at i is the pair of m-grams at i and i + 1; it can only
  // repeat when both of them do.
  const size_t num_repeated = num_repeated_;
  ResetTable(num_repeated);
  work_ += num_repeated;
  if (next_ids_.size() < num_words_) next_ids_.resize(num_words_);
  // State in locals, as in CountNgramsByHash.
  Slot* const table = table_.data();
  const size_t mask = mask_;
  const int shift = BucketShift(mask);
  const uint32_t gen = gen_;
  uint32_t* const first = first_.data();
  uint32_t* const count = count_.data();
  const uint32_t* const ids = ids_.data();
  uint32_t* const next_ids = next_ids_.data();
  uint32_t* const repeated = repeated_.data();
  uint32_t used = ids_used_;
  uint32_t best_count = 1;
  uint32_t best_id = 0;
  // First pass, branch-free and in place: the windows whose next window is
  // also repeated (about 2 in 5 on Reuters; a skip branch mispredicted).
  size_t pairs = 0;
  for (size_t r = 0; r + 1 < num_repeated; ++r) {
    const uint32_t i = repeated[r];
    repeated[pairs] = i;  // pairs <= r: overwrites entries already read
    pairs += repeated[r + 1] == i + 1;
  }
  for (size_t r = 0; r < pairs; ++r) {
    const uint32_t i = repeated[r];
    const uint64_t key = (uint64_t{ids[i]} << 32) | ids[i + 1];
    size_t s = Bucket(key, shift);
    while (table[s].gen == gen && table[s].key != key) s = (s + 1) & mask;
    uint32_t id;
    if (table[s].gen == gen) {
      id = table[s].id;
      const uint32_t c = ++count[id];
      UpdateBest(c, id, &best_count, &best_id);
    } else {
      id = used++;
      table[s] = Slot{key, id, gen};
      first[id] = i;
      count[id] = 1;
    }
    next_ids[i] = id;
  }
  ids_used_ = used;
  best_count_ = best_count;
  best_id_ = best_id;
  ids_.swap(next_ids_);
  num_repeated_ = KeepRepeated(repeated, pairs, ids_.data(), count);
  ++level_;
}

size_t GopherRepetitionFilter::TopNgramChars(size_t n) {
  const size_t num_words = num_words_;
  if (num_words < n) return 0;
  if (level_ == 0 || level_ > n) CountNgramsByHash(n);
  while (level_ < n) CountNgramsByPairs();
  // The counting passes keep the largest count and, among the n-grams with
  // it, the smallest id; ids are numbered in order of first occurrence, so
  // that is the n-gram Counter.most_common puts first.
  uint32_t best_count = 1;
  uint32_t best_first = 0;  // every n-gram occurs once: the first one
  if (best_count_ > 1) {
    best_count = best_count_;
    best_first = first_[best_id_];
  }
  const size_t chars = cp_[best_first + n] - cp_[best_first] + (n - 1);
  return chars * best_count;
}

size_t GopherRepetitionFilter::RepeatedNgramChars(size_t n) {
  const size_t num_words = num_words_;
  if (num_words < n) return 0;
  const size_t windows = num_words - n + 1;
  level_ = 0;  // first_ and count_ are reused below
  ResetTable(num_dup_candidates_);
  // State in locals, as in CountNgramsByHash.
  Slot* const table = table_.data();
  const size_t mask = mask_;
  const int shift = BucketShift(mask);
  const uint32_t gen = gen_;
  const uint32_t* const off = off_.data();
  const uint32_t* const unique_len = unique_len_.data();
  const uint32_t* const cp = cp_;
  const char* const words = words_;
  const char* const words_end = words_ + off[num_words];
  uint32_t* const first = first_.data();
  uint32_t used = ids_used_;
  size_t repeated = 0;
  uint64_t compared = 0;  // bytes compared on hash matches (work_)
  size_t next = 0;  // windows before `next` were skipped over by a match
  for (const uint32_t i : DupCandidates()) {
    if (i >= windows) break;
    // A window that equals no other is neither found now nor later, so it
    // need not be stored (MayRepeat).
    const uint32_t len = off[i + n] - off[i];
    if (i < next || len >= unique_len[i]) continue;
    const char* const p = words + off[i];
    const uint64_t h = HashBytes(p, len, words_end);
    size_t s = Bucket(h, shift);
    bool found = false;
    for (; table[s].gen == gen; s = (s + 1) & mask) {
      if (table[s].key != h) continue;
      const uint32_t o = first[table[s].id];
      compared += len;
      if (off[o + n] - off[o] == len &&
          std::memcmp(words + off[o], p, len) == 0) {
        found = true;
        break;
      }
    }
    if (found) {
      repeated += cp[i + n] - cp[i];
      next = i + n;
    } else {
      const uint32_t id = used++;  // Insert(), with the state in locals
      table[s] = Slot{h, id, gen};
      first[id] = i;
    }
  }
  ids_used_ = used;
  work_ += num_dup_candidates_ + compared;
  return repeated;
}

size_t GopherRepetitionFilter::MayRepeatChars(size_t n) {
  const size_t num_words = num_words_;
  if (num_words < n) return 0;
  const size_t windows = num_words - n + 1;
  const uint32_t* const off = off_.data();
  const uint32_t* const unique_len = unique_len_.data();
  const uint32_t* const cp = cp_;
  size_t covered = 0;
  uint32_t covered_end = 0;  // end of the windows counted so far
  for (const uint32_t i : DupCandidates()) {
    if (i >= windows) break;
    if (off[i + n] - off[i] >= unique_len[i]) continue;  // MayRepeat
    // Window ends do not decrease (n is fixed), so only the part before
    // covered_end can have been counted.
    const uint32_t end = cp[i + n];
    covered += end - std::max(cp[i], covered_end);
    covered_end = end;
  }
  work_ += num_dup_candidates_;
  return covered;
}

size_t GopherRepetitionFilter::AnyRepeatChars() {
  const size_t num_words = num_words_;
  const uint32_t* const cp = cp_;
  size_t covered = 0;
  uint32_t covered_end = 0;  // end of the windows counted so far
  for (const uint32_t i : DupCandidates()) {
    // Ends do not decrease, as in MayRepeatChars.
    const uint32_t end = cp[std::min(i + max_dup_n_, num_words)];
    covered += end - std::max(cp[i], covered_end);
    covered_end = end;
  }
  work_ += num_dup_candidates_;
  return covered;
}

StepResult GopherRepetitionFilter::Process(Document* doc, Counters* counters) {
  const std::string_view text = doc->text;
  const double text_len = static_cast<double>(pytext::Length(text));
  filters_internal::RuleVerdict verdict(options_.write_signals);
  const bool signals = verdict.recording();
  JsonObjectBuilder& sig = verdict.signals();
  // Records rule `reason`; returns true when processing can stop.
  auto rule = [&](std::string_view reason, double value, double threshold,
                  bool failed) {
    return verdict.Check(reason, value, threshold, failed);
  };
  auto finish = [&]() { return verdict.Finish(doc, name()); };

  // One scan for the '\n' runs, from which both splits are made.
  gopher_internal::FindNewlineRuns(text, &runs_);
  gopher_internal::ParagraphsFromRuns(text, runs_, &parts_);
  DuplicateCounts para = FindDuplicates(parts_, &set_);
  double v = Ratio(static_cast<double>(para.elements),
                   static_cast<double>(parts_.size()));
  if (rule("dup_para_frac", v, options_.dup_para_frac,
           options_.dup_para_frac != 0 && v > options_.dup_para_frac))
    return finish();
  v = Ratio(static_cast<double>(para.chars), text_len);
  if (rule("dup_para_char_frac", v, options_.dup_para_char_frac,
           options_.dup_para_char_frac != 0 && v > options_.dup_para_char_frac))
    return finish();

  gopher_internal::LinesFromRuns(text, runs_, &lines_);
  DuplicateCounts line = FindDuplicates(lines_, &set_);
  v = Ratio(static_cast<double>(line.elements),
            static_cast<double>(lines_.size()));
  if (rule("dup_line_frac", v, options_.dup_line_frac,
           options_.dup_line_frac != 0 && v > options_.dup_line_frac))
    return finish();
  v = Ratio(static_cast<double>(line.chars), text_len);
  if (rule("dup_line_char_frac", v, options_.dup_line_char_frac,
           options_.dup_line_char_frac != 0 && v > options_.dup_line_char_frac))
    return finish();

  PrepareWords(text);
  const size_t num_words = num_words_;
  // Each n-gram pass charges its work to the document; once the document's
  // budget is spent the rest is not computed (the runner removes it as
  // work_limit).
  work_ = 0;
  auto over_budget = [&]() {
    doc->work.Charge(work_);
    work_ = 0;
    return doc->work.exhausted();
  };
  for (size_t k = 0; k < options_.top_n_grams.size(); ++k) {
    const auto [n, frac] = options_.top_n_grams[k];
    if (num_words < static_cast<size_t>(n)) {
      if (signals) sig.Add(top_names_[k], 0.0);
      continue;
    }
    v = Ratio(static_cast<double>(TopNgramChars(n)), text_len);
    if (over_budget()) return StepResult::Keep();
    if (rule(top_names_[k], v, frac, v > frac)) return finish();
  }
  // Without signals, one bound first for all the duplicated n-gram rules
  // (on Reuters it passes all six for 59% of the documents that get here).
  if (!signals && !options_.dup_n_grams.empty() &&
      !(Ratio(static_cast<double>(AnyRepeatChars()), text_len) >
        min_dup_frac_)) {
    if (over_budget()) return StepResult::Keep();
    return finish();
  }
  for (size_t k = 0; k < options_.dup_n_grams.size(); ++k) {
    const auto [n, frac] = options_.dup_n_grams[k];
    // Without signals the exact ratio is only needed when its bound (the
    // ratio of the text the repeatable windows cover) exceeds the threshold.
    if (!signals &&
        !(Ratio(static_cast<double>(MayRepeatChars(n)), text_len) > frac)) {
      if (over_budget()) return StepResult::Keep();
      continue;
    }
    v = Ratio(static_cast<double>(RepeatedNgramChars(n)), text_len);
    if (over_budget()) return StepResult::Keep();
    if (rule(dup_names_[k], v, frac, v > frac)) return finish();
  }
  return finish();
}

}  // namespace winnow
