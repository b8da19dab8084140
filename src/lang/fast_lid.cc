#include "lang/fast_lid.h"

#include <emmintrin.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/swar.h"
#include "core/utf8.h"
#include "lang/function_words.h"

namespace winnow::lang {
namespace {

constexpr size_t kMaxWordBytes = 16;

// A word of at most 16 bytes, zero-padded, as two integers.
struct WordKey {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const WordKey&) const = default;
};

WordKey KeyOf(const char* bytes, size_t size) {
  char padded[kMaxWordBytes] = {};
  std::memcpy(padded, bytes, size);
  WordKey key;
  std::memcpy(&key.lo, padded, 8);
  std::memcpy(&key.hi, padded + 8, 8);
  return key;
}

// Calls f(l, word) for each word of each list l of FunctionWordLists().
template <typename F>
void ForEachListWord(F f) {
  const auto lists = FunctionWordLists();
  for (size_t l = 0; l < lists.size(); ++l) {
    std::string_view rest = lists[l].words;
    while (!rest.empty()) {
      const size_t space = rest.find(' ');
      const std::string_view word = rest.substr(0, space);
      rest.remove_prefix(space == std::string_view::npos ? rest.size()
                                                         : space + 1);
      if (!word.empty()) f(l, word);
    }
  }
}

// All list words, for the words of 9 to 16 bytes (ShortWordTable below
// answers for shorter ones). Open addressing over a power-of-two table, ~30%
// full (128 KiB, in L2), behind a one-bit-per-word filter (4 KiB, in L1):
// words this long are rarely on a list, so the filter turns nearly all of
// them away (~4% false positives) and its branch is predictable. No list
// word has an apostrophe (FunctionWordList), so a word with one is never
// found: the scans look such words up like any other.
class WordTable {
 public:
  struct Entry {
    WordKey key;
    uint64_t languages = 0;  // bit i: on list i; 0 marks an empty slot
  };

  WordTable() : slots_(kSlots) {
    ForEachListWord([&](size_t l, std::string_view word) {
      if (word.size() > kMaxWordBytes) return;
      const WordKey key = KeyOf(word.data(), word.size());
      Entry& e = Slot(key);
      e.key = key;
      e.languages |= uint64_t{1} << l;
      const size_t bit = FilterBit(Mix(key));
      filter_[bit / 64] |= uint64_t{1} << (bit % 64);
    });
  }

  // The entry of `key`, or nullptr.
  const Entry* Find(const WordKey& key) const {
    const uint64_t h = Mix(key);
    const size_t bit = FilterBit(h);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return nullptr;
    for (size_t i = SlotOf(h);; i = (i + 1) & (kSlots - 1)) {
      const Entry& e = slots_[i];
      if (e.languages == 0) return nullptr;
      if (e.key == key) return &e;
    }
  }

 private:
  static constexpr size_t kSlots = 4096;

  static constexpr size_t kFilterBits = 32768;

  // Multiplicative hashing, read from the top bits.
  static uint64_t Mix(const WordKey& key) {
    return (key.lo + key.hi * 0xC2B2AE3D27D4EB4Full) * 0x9E3779B97F4A7C15ull;
  }
  // The top 12 bits pick the slot, the 15 below them the filter bit.
  static size_t SlotOf(uint64_t h) { return static_cast<size_t>(h >> 52); }
  static size_t FilterBit(uint64_t h) {
    return static_cast<size_t>(h >> 37) & (kFilterBits - 1);
  }

  Entry& Slot(const WordKey& key) {
    for (size_t i = SlotOf(Mix(key));; i = (i + 1) & (kSlots - 1)) {
      Entry& e = slots_[i];
      if (e.languages == 0 || e.key == key) return e;
    }
  }

  std::vector<Entry> slots_;
  std::array<uint64_t, kFilterBits / 64> filter_ = {};
};

const WordTable& Table() {
  static const WordTable* const table = new WordTable();
  return *table;
}

// The list words of at most 8 bytes (all but a few), for words of at most 8
// bytes, looked up without a branch that depends on the word. A word is on
// a list about 40% of the time in prose, so a branch on "found" (or on a
// filter's "maybe") mispredicts for a large part of all words, and each
// misprediction costs more than this whole lookup (callgrind --branch-sim).
// Buckets of four keys fill one cache line; the hash multiplier is the first
// of a fixed sequence under which no bucket gets more than four words, so
// every word is found in its one bucket.
class ShortWordTable {
 public:
  ShortWordTable() {
    // Each short word's languages, in the lists' order.
    std::vector<std::pair<uint64_t, uint64_t>> words;
    ForEachListWord([&](size_t l, std::string_view word) {
      if (word.size() > 8) return;
      const uint64_t key = KeyOf(word.data(), word.size()).lo;
      auto it = std::find_if(words.begin(), words.end(),
                             [&](const auto& w) { return w.first == key; });
      if (it == words.end()) {
        words.emplace_back(key, 0);
        it = words.end() - 1;
      }
      it->second |= uint64_t{1} << l;
    });
    // Odd multipliers from a fixed sequence (splitmix64), more buckets when
    // none fits: the same table on every run.
    uint64_t state = 0;
    for (shift_ = 64 - 11;; --shift_) {
      buckets_.assign(size_t{1} << (64 - shift_), Bucket{});
      for (int attempt = 0; attempt < 256; ++attempt) {
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        mul_ = (z ^ (z >> 31)) | 1;
        if (Fill(words)) return;
      }
    }
  }

  // The lists (bit i: list i) of the word whose lowercase bytes, zero-padded,
  // are `key`; 0 when it is on none. REQUIRES key != 0 (a word has a byte).
  uint64_t Languages(uint64_t key) const {
    const Bucket& b = buckets_[(key * mul_) >> shift_];
    // The four keys compared at once: 32-bit lanes, each 64-bit key equal
    // when both its halves are; its languages kept where equal (at most one).
    const auto* v = reinterpret_cast<const __m128i*>(&b);
    const __m128i k = _mm_set1_epi64x(static_cast<long long>(key));
    __m128i eq01 = _mm_cmpeq_epi32(_mm_load_si128(v), k);
    __m128i eq23 = _mm_cmpeq_epi32(_mm_load_si128(v + 1), k);
    eq01 = _mm_and_si128(eq01, _mm_shuffle_epi32(eq01, _MM_SHUFFLE(2, 3, 0, 1)));
    eq23 = _mm_and_si128(eq23, _mm_shuffle_epi32(eq23, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128i found =
        _mm_or_si128(_mm_and_si128(eq01, _mm_load_si128(v + 2)),
                     _mm_and_si128(eq23, _mm_load_si128(v + 3)));
    return static_cast<uint64_t>(
        _mm_cvtsi128_si64(_mm_or_si128(found, _mm_unpackhi_epi64(found, found))));
  }

 private:
  static constexpr int kWays = 4;
  // Empty slots have key 0, which no word has, and no languages.
  struct alignas(64) Bucket {
    uint64_t keys[kWays] = {};
    uint64_t languages[kWays] = {};
  };
  static_assert(sizeof(Bucket) == 64 && kWays == 4);  // Languages() loads

  // Places every word in its bucket under mul_; false when one overflows.
  bool Fill(const std::vector<std::pair<uint64_t, uint64_t>>& words) {
    std::fill(buckets_.begin(), buckets_.end(), Bucket{});
    for (const auto& [key, languages] : words) {
      Bucket& b = buckets_[(key * mul_) >> shift_];
      int j = 0;
      while (j < kWays && b.keys[j] != 0) ++j;
      if (j == kWays) return false;
      b.keys[j] = key;
      b.languages[j] = languages;
    }
    return true;
  }

  std::vector<Bucket> buckets_;
  uint64_t mul_ = 1;
  int shift_ = 64 - 11;
};

const ShortWordTable& ShortTable() {
  static const ShortWordTable* const table = new ShortWordTable();
  return *table;
}

// The lowercase form of a Latin letter, or 0 when `cp` is not one.
// Combining marks are handled by the caller.
char32_t LowerLatin(char32_t cp) {
  if (cp < 0xC0) return 0;
  if (cp <= 0xFF) {
    if (cp == 0xD7 || cp == 0xF7) return 0;
    return cp <= 0xDE ? cp + 0x20 : cp;
  }
  if (cp <= 0x17F) {  // Latin Extended-A: mostly upper/lower pairs
    if (cp == 0x130) return 'i';
    if (cp == 0x178) return 0xFF;
    const bool even_upper = cp <= 0x137 || (cp >= 0x14A && cp <= 0x177);
    const bool odd_upper =
        (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (even_upper && cp % 2 == 0) return cp + 1;
    if (odd_upper && cp % 2 == 1) return cp + 1;
    return cp;
  }
  if (cp <= 0x24F) {  // Latin Extended-B: the pairs Romanian uses
    if (cp == 0x218 || cp == 0x21A) return cp + 1;
    return cp;
  }
  if (cp >= 0x1E00 && cp <= 0x1EFF) {  // Latin Extended Additional
    if ((cp <= 0x1E95 || cp >= 0x1EA0) && cp % 2 == 0) return cp + 1;
    return cp;
  }
  return 0;
}

bool IsCombiningMark(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

// Letters of scripts other than Latin (roughly: the blocks of alphabets,
// syllabaries and ideographs, without punctuation, symbols and emoji).
bool IsOtherLetter(char32_t cp) {
  if (cp < 0x370) return false;
  if (cp <= 0x1DFF) return true;
  if (cp >= 0x1F00 && cp <= 0x1FFF) return true;  // Greek Extended
  if (cp >= 0x2C00 && cp <= 0xD7FF) return !(cp >= 0x3000 && cp <= 0x303F);
  if (cp >= 0xF900 && cp <= 0xFDFF) return true;
  if (cp >= 0xFE70 && cp <= 0xFEFF) return true;
  if (cp >= 0xFF21 && cp <= 0xFFDC) return true;
  if (cp >= 0x10000 && cp <= 0x1EFFF) return true;
  return cp >= 0x20000 && cp <= 0x3FFFF;
}

// Marks (high bit of the byte) the bytes of `w` that are not ASCII letters.
// Exact per byte: no carry crosses a byte.
uint64_t NotAsciiLetter(uint64_t w) {
  const uint64_t low7 = (w | (swar::kOnes * 0x20)) & (swar::kOnes * 0x7F);
  const uint64_t at_least_a = low7 + swar::kOnes * (0x80 - 'a');
  const uint64_t past_z = low7 + swar::kOnes * (0x80 - 'z' - 1);
  const uint64_t letter = at_least_a & ~past_z & ~w & swar::kHigh;
  return ~letter & swar::kHigh;
}

// Counts of one scan. The per-word counters live in a Run, which the scan
// keeps as a local (so in registers: the counter arrays here would
// otherwise alias them), and are added with EndRun().
class Tally {
 public:
  struct Run {
    size_t words = 0;
    size_t hits = 0;
    size_t num_shared = 0;  // entries of shared_ in use
  };

  Tally(const WordTable& table, const ShortWordTable& short_table)
      : table_(table), short_table_(short_table) {}

  // Counts one word of `size` bytes and, when it is on some list and
  // `skip` is false, its hit. `key` is the word's zero-padded bytes, valid
  // when it is at most 16 bytes.
  void AddWord(Run& run, const WordKey& key, size_t size, bool skip) {
    if (size <= 8) {
      AddShortWord(run, key.lo, skip);
      return;
    }
    ++run.words;
    if (size > kMaxWordBytes) return;
    Count(run, LongWordLanguages(key) & (uint64_t{0} - !skip));
  }
  // AddWord() of a word of at most 8 bytes (key.hi == 0): no branch on the
  // word.
  void AddShortWord(Run& run, uint64_t lo, bool skip) {
    ++run.words;
    Count(run, short_table_.Languages(lo) & (uint64_t{0} - !skip));
  }
  // Counts a word of more than 16 bytes (on no list).
  void AddLongWord(Run& run) { ++run.words; }
  // Makes room for `words` more words (before each block of the ASCII scan
  // and each word of the general one).
  void Reserve(Run& run, size_t words) {
    if (run.num_shared + words > kMaxShared) [[unlikely]] FlushShared(run);
  }
  // Adds the run's counts (once, at the end of the scan).
  void EndRun(const Run& run) {
    words_ += run.words;
    hits_ += run.hits;
    num_shared_ = run.num_shared;
  }

  // Fills result's counts and, when `script_ok` and the rules of the
  // header hold, the decision.
  void Finish(const FastLidOptions& options, bool script_ok,
              FastLidResult* result) const {
    result->words = words_;
    result->hits = hits_;
    if (!script_ok || hits_ < options.min_hits ||
        static_cast<double>(hits_) <
            options.min_hit_density * static_cast<double>(words_)) {
      return;
    }
    const auto lists = FunctionWordLists();
    size_t top = 0;
    uint32_t second = 0;
    for (size_t l = 1; l < lists.size(); ++l) {
      if (unique_[l] > unique_[top]) {
        second = unique_[top];
        top = l;
      } else if (unique_[l] > second) {
        second = unique_[l];
      }
    }
    if (unique_[top] < options.min_unique || unique_[top] == second ||
        !lists[top].may_decide) {
      return;
    }
    // The shared hits of the top language.
    size_t shared_top = shared_counts_[top];
    for (size_t k = 0; k < num_shared_; ++k) {
      shared_top += (shared_[k] >> top) & 1;
    }
    const double share = static_cast<double>(unique_[top] + shared_top) /
                         static_cast<double>(hits_);
    if (share < options.min_share) return;
    result->decided = true;
    result->code = lists[top].code;
    result->share = share;
  }

 private:
  // Counts the hit of a word on `languages` (nothing when 0), without a
  // branch on them: a word on one list counts for it (a word on none or on
  // several counts into the unused last counter), and a word on several
  // lists is kept for Finish(), which only needs the top language's shared
  // hits.
  void Count(Run& run, uint64_t languages) {
    constexpr uint64_t kNoList = uint64_t{1} << kNoListIndex;
    const uint64_t several = (languages & (languages - 1)) != 0;
    run.hits += languages != 0;
    ++unique_[std::countr_zero((languages & (several - 1)) | kNoList)];
    shared_[run.num_shared] = languages;
    run.num_shared += several;
  }

  // Moves the kept shared hits into per-language counts (long texts only).
  void FlushShared(Run& run) {
    for (size_t k = 0; k < run.num_shared; ++k) {
      for (uint64_t m = shared_[k]; m != 0; m &= m - 1) {
        ++shared_counts_[std::countr_zero(m)];
      }
    }
    run.num_shared = 0;
  }

  // The lists of a word of 9 to 16 bytes (rare; out of line, so that the
  // scans keep their Run in registers).
  [[gnu::noinline]] uint64_t LongWordLanguages(const WordKey& key) const {
    const WordTable::Entry* e = table_.Find(key);
    return e == nullptr ? 0 : e->languages;
  }

  // FunctionWordLists() has at most 63 lists (function_words.cc).
  static constexpr int kNoListIndex = 63;
  static constexpr size_t kMaxShared = 512;

  const WordTable& table_;
  const ShortWordTable& short_table_;
  size_t words_ = 0;
  size_t hits_ = 0;
  std::array<uint32_t, 64> unique_ = {};
  // The languages of each hit on several lists since the last
  // FlushShared(), and the flushed ones counted per language.
  std::array<uint64_t, kMaxShared> shared_;
  size_t num_shared_ = 0;
  std::array<uint32_t, 64> shared_counts_ = {};
};

// The bytes of a word of `size` bytes in a WordKey: kWordMasks[size].
struct WordMask {
  uint64_t lo, hi;
};
constexpr uint64_t LowBytes(size_t n) {
  return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
}
constexpr std::array<WordMask, kMaxWordBytes + 1> MakeWordMasks() {
  std::array<WordMask, kMaxWordBytes + 1> masks{};
  for (size_t size = 0; size <= kMaxWordBytes; ++size)
    masks[size] = {LowBytes(size), LowBytes(size > 8 ? size - 8 : 0)};
  return masks;
}
constexpr std::array<WordMask, kMaxWordBytes + 1> kWordMasks = MakeWordMasks();

#ifdef __SSE2__
// Pure-ASCII text, the common case, scanned with bit masks: one bit per byte
// for the letters and the apostrophes, 64 bytes per mask word. A word is a
// maximal run of letters and of apostrophes between two letters (in ASCII
// the byte before such an apostrophe is a letter exactly when the general
// scan has a word going), so it gives the general scan's words and counts.
// Returns false, having counted nothing, when the text holds a byte of
// 0x80 or above.
bool ScanAscii(std::string_view text, Tally* tally, FastLidResult* result) {
  const size_t n = text.size();
  const size_t blocks = (n + 63) / 64;
  thread_local std::vector<uint64_t> letters, apostrophes, periods;
  // One zero word past the end: the bit after the last byte is clear.
  letters.assign(blocks + 1, 0);
  apostrophes.assign(blocks + 1, 0);
  periods.assign(blocks + 1, 0);
  const __m128i a_minus_1 = _mm_set1_epi8('a' - 1);
  const __m128i z_plus_1 = _mm_set1_epi8('z' + 1);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i apostrophe = _mm_set1_epi8('\'');
  const __m128i period = _mm_set1_epi8('.');
  alignas(16) char tail[64];
  // Letters counted per byte lane (a byte's 0 or 1 summed by SAD into the
  // two 64-bit halves): cheaper than a popcount per mask word without the
  // POPCNT instruction.
  const __m128i one = _mm_set1_epi8(1);
  __m128i letter_sums = _mm_setzero_si128();
  for (size_t b = 0; b < blocks; ++b) {
    const char* p = text.data() + 64 * b;
    if (64 * b + 64 > n) {
      std::memset(tail, 0, sizeof(tail));
      std::memcpy(tail, p, n - 64 * b);
      p = tail;
    }
    uint64_t l = 0, a = 0, d = 0;
    unsigned high = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i v =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      high |= static_cast<unsigned>(_mm_movemask_epi8(v));
      // Signed compares are right for bytes below 0x80, the only ones kept.
      const __m128i lower = _mm_or_si128(v, case_bit);
      const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, a_minus_1),
                                           _mm_cmplt_epi8(lower, z_plus_1));
      l |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(letter))}
           << (16 * k);
      letter_sums = _mm_add_epi64(
          letter_sums,
          _mm_sad_epu8(_mm_and_si128(letter, one), _mm_setzero_si128()));
      a |= uint64_t{static_cast<uint16_t>(
               _mm_movemask_epi8(_mm_cmpeq_epi8(v, apostrophe)))}
           << (16 * k);
      d |= uint64_t{static_cast<uint16_t>(
               _mm_movemask_epi8(_mm_cmpeq_epi8(v, period)))}
           << (16 * k);
    }
    if (high != 0) return false;
    letters[b] = l;
    apostrophes[b] = a;
    periods[b] = d;
  }
  alignas(16) uint64_t sums[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(sums), letter_sums);
  result->latin_letters = static_cast<size_t>(sums[0] + sums[1]);
  // Word bytes: letters, and apostrophes with a letter on each side.
  std::vector<uint64_t>& word = apostrophes;
  for (size_t b = 0; b < blocks; ++b) {
    const uint64_t l = letters[b];
    const uint64_t before = (l << 1) | (b > 0 ? letters[b - 1] >> 63 : 0);
    const uint64_t after = (l >> 1) | (letters[b + 1] << 63);
    word[b] = l | (word[b] & before & after);
  }
  // Each word: its first and last bytes are the starts and ends of runs
  // of word bytes; a run may go on into the next mask word.
  Tally::Run run;
  const auto count_word = [&](size_t start, size_t end) {
    const size_t size = end - start;
    // No initial or abbreviation: a word of one or two bytes before a full
    // stop is counted, not looked up.
    const bool abbreviation =
        (size <= 2) & static_cast<bool>((periods[end / 64] >> (end % 64)) & 1);
    if (size <= 8 && start + 8 <= n) {
      // One word of the key: the common case, without the high half.
      uint64_t lo;
      std::memcpy(&lo, text.data() + start, 8);
      const uint64_t keep = kWordMasks[size].lo;
      tally->AddShortWord(run, (lo & keep) | (swar::kOnes * 0x20 & keep),
                          abbreviation);
      return;
    }
    if (size > kMaxWordBytes) {
      tally->AddLongWord(run);
      return;
    }
    // Two loads where 16 bytes remain, else KeyOf's padded copy.
    WordKey key;
    if (start + kMaxWordBytes <= n) {
      std::memcpy(&key.lo, text.data() + start, 8);
      std::memcpy(&key.hi, text.data() + start + 8, 8);
    } else {
      key = KeyOf(text.data() + start, size);
    }
    const WordMask& mask = kWordMasks[size];
    // Lowercased; the padding stays zero.
    key.lo = (key.lo & mask.lo) | (swar::kOnes * 0x20 & mask.lo);
    key.hi = (key.hi & mask.hi) | (swar::kOnes * 0x20 & mask.hi);
    tally->AddWord(run, key, size, abbreviation);
  };
  constexpr size_t kNone = ~size_t{0};
  size_t open = kNone;  // the start of a word not yet ended
  for (size_t b = 0; b < blocks; ++b) {
    const uint64_t w = word[b];
    const uint64_t prev = b > 0 ? word[b - 1] >> 63 : 0;
    uint64_t starts = w & ~((w << 1) | prev);
    uint64_t ends = w & ~((w >> 1) | (word[b + 1] << 63));
    const size_t base = 64 * b;
    tally->Reserve(run, 32);  // words that end in this block
    for (;;) {
      if (open == kNone) {
        if (starts == 0) break;
        open = base + static_cast<size_t>(std::countr_zero(starts));
        starts &= starts - 1;
      }
      if (ends == 0) break;
      const size_t end = base + static_cast<size_t>(std::countr_zero(ends)) + 1;
      ends &= ends - 1;
      count_word(open, end);
      open = kNone;
    }
  }
  tally->EndRun(run);
  return true;
}
#endif  // __SSE2__

// Any text: code point by code point, ASCII letters eight at a time.
void ScanGeneral(std::string_view text, Tally* tally_ptr,
                 FastLidResult* result_ptr) {
  Tally& tally = *tally_ptr;
  FastLidResult& result = *result_ptr;
  Tally::Run run;

  // The word so far, lowercased, zero-padded: bytes at or past `size` are
  // zero. 8 bytes of slack take the whole-word stores of the ASCII loop.
  alignas(8) char word[kMaxWordBytes + 16] = {};
  size_t size = 0;  // bytes of the word so far (may exceed the buffer)
  // Ends the word before text[next]. A word of one or two bytes followed
  // by a full stop is an initial or an abbreviation ("U.S.", "Co.", "J.")
  // far more often than a function word ending a sentence: it is counted
  // but not looked up.
  const auto end_word_before = [&](size_t next) {
    if (size == 0) return;
    tally.Reserve(run, 1);
    WordKey key;
    std::memcpy(&key.lo, word, 8);
    std::memcpy(&key.hi, word + 8, 8);
    tally.AddWord(run, key, size,
                  size <= 2 && next < text.size() && text[next] == '.');
    std::memset(word, 0, sizeof(word));
    size = 0;
  };
  const auto append = [&](const char* bytes, size_t n) {
    if (size + n <= kMaxWordBytes) std::memcpy(word + size, bytes, n);
    size += n;
  };
  // True when a letter starts at text[i] (for apostrophes inside words).
  const auto letter_at = [&](size_t i) {
    if (i >= text.size()) return false;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) return IsAsciiAlpha(static_cast<char>(c));
    size_t n = 0;
    return LowerLatin(DecodeUtf8(text, i, &n)) != 0;
  };

  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (IsAsciiAlpha(static_cast<char>(c))) {
        // A run of ASCII letters, 8 bytes at a time.
        const size_t start = i;
        while (i + 8 <= text.size()) {
          const uint64_t w =
              swar::Load(reinterpret_cast<const unsigned char*>(&text[i]));
          const uint64_t not_letter = NotAsciiLetter(w);
          const size_t n = not_letter == 0 ? 8 : swar::FirstMatch(not_letter);
          if (size + n <= kMaxWordBytes) {
            const uint64_t lower =
                (w | (swar::kOnes * 0x20)) &
                (n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1);
            std::memcpy(word + size, &lower, 8);
          }
          size += n;
          i += n;
          if (n < 8) break;
        }
        if (i + 8 > text.size()) {
          while (i < text.size() && IsAsciiAlpha(text[i])) {
            if (size < kMaxWordBytes)
              word[size] = static_cast<char>(text[i] | 0x20);
            ++size;
            ++i;
          }
        }
        result.latin_letters += i - start;
        continue;
      }
      if (c == '\'' && size > 0 && letter_at(i + 1)) {
        append("'", 1);
      } else {
        end_word_before(i);
      }
      ++i;
      continue;
    }
    // Ill-formed bytes decode as U+FFFD (core/utf8.h), a separator like
    // any other non-letter.
    size_t n = 0;
    const char32_t cp = DecodeUtf8(text, i, &n);
    if (const char32_t lower = LowerLatin(cp); lower != 0) {
      std::string encoded;  // short: no allocation
      AppendUtf8(lower, &encoded);
      append(encoded.data(), encoded.size());
      ++result.latin_letters;
    } else if (IsCombiningMark(cp)) {
      if (size > 0) append(text.data() + i, n);
    } else if (cp == 0x2019 && size > 0 && letter_at(i + n)) {
      append("'", 1);
    } else {
      if (IsOtherLetter(cp)) ++result.other_letters;
      end_word_before(i);
    }
    i += n;
  }
  end_word_before(text.size());
  tally.EndRun(run);
}

FastLidResult Decide(const Tally& tally, const FastLidOptions& options,
                     FastLidResult result) {
  const size_t letters = result.latin_letters + result.other_letters;
  tally.Finish(options, letters > 0 && result.other_letters * 100 <= letters,
               &result);
  return result;
}

}  // namespace

FastLidResult FastIdentify(std::string_view text,
                           const FastLidOptions& options) {
  Tally tally(Table(), ShortTable());
  FastLidResult result;
#ifdef __SSE2__
  if (ScanAscii(text, &tally, &result)) return Decide(tally, options, result);
#endif
  ScanGeneral(text, &tally, &result);
  return Decide(tally, options, result);
}

namespace internal {

FastLidResult FastIdentifyGeneral(std::string_view text,
                                  const FastLidOptions& options) {
  Tally tally(Table(), ShortTable());
  FastLidResult result;
  ScanGeneral(text, &tally, &result);
  return Decide(tally, options, result);
}

}  // namespace internal

}  // namespace winnow::lang
