#include "filters/gopher_quality.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

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

bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The first min(8, s.size()) bytes of s, zero-padded.
inline uint64_t PaddedPrefix(std::string_view s) {
  uint64_t v = 0;
  const size_t n = std::min<size_t>(s.size(), 8);
  for (size_t k = 0; k < n; ++k)
    v |= uint64_t{static_cast<unsigned char>(s[k])} << (8 * k);
  return v;
}

constexpr uint64_t kBytes01 = 0x0101010101010101ULL;
constexpr uint64_t kBytes21 = 0x21 * kBytes01;
constexpr uint64_t kBytes7F = 0x7F * kBytes01;
constexpr uint64_t kBytes80 = 0x80 * kBytes01;

// Per ASCII byte: kNonPunct when it is not in datatrove's PUNCTUATION_SET,
// kAlpha when it is alphabetic; bytes >= 0x80 get kNonAscii.
constexpr uint8_t kNonPunct = 1, kAlpha = 2, kNonAscii = 4;
constexpr auto kWordByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    const unsigned char bits = pytext::internal::kAsciiClass.v[c];
    if ((bits & pytext::internal::kPunctBit) == 0) t[c] |= kNonPunct;
    if ((bits & pytext::internal::kAlphaBit) != 0) t[c] |= kAlpha;
  }
  for (int c = 128; c < 256; ++c) t[c] = kNonAscii;
  return t;
}();

constexpr std::string_view kBullet = "\u2022";
constexpr std::string_view kEllipsisChar = "\u2026";

// Per byte of x (ASCII bytes, zero padding allowed): 0x80 where the byte
// is a letter, in *letter, or a letter or digit, returned.
inline uint64_t AlnumBytes(uint64_t x, uint64_t* letter) {
  const uint64_t folded = x | (kBytes80 >> 2);
  *letter = (folded + kBytes80 - 0x61 * kBytes01) &
            ~(folded + kBytes80 - 0x7B * kBytes01) & kBytes80;
  const uint64_t digit =
      (x + kBytes80 - 0x30 * kBytes01) & ~(x + kBytes80 - 0x3A * kBytes01);
  return (*letter | digit) & kBytes80;
}

#if defined(__SSE2__)
// 16 bytes of 0xFF then 16 of 0: the 16 bytes at kKeep16 + 16 - k keep the
// low k bytes (0 <= k <= 16).
alignas(32) constexpr unsigned char kKeep16[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

// Per byte of x (ASCII bytes, zero padding allowed): 0xFF where the byte is
// a letter, in *letter, or a letter or digit, returned; as AlnumBytes.
inline __m128i AlnumBytes16(__m128i x, __m128i* letter) {
  // Each range test is one signed compare: adding 0x80 - lo maps [lo, hi]
  // to [-128, hi - lo - 128] and every other byte below 0x80 above it.
  const __m128i folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
  *letter = _mm_cmplt_epi8(_mm_add_epi8(folded, _mm_set1_epi8(0x80 - 'a')),
                           _mm_set1_epi8(static_cast<char>(-128 + 26)));
  const __m128i digit =
      _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x80 - '0')),
                     _mm_set1_epi8(static_cast<char>(-128 + 10)));
  return _mm_or_si128(*letter, digit);
}
#endif

}  // namespace

GopherQualityFilter::GopherQualityFilter(GopherQualityOptions options)
    : options_(std::move(options)) {
  for (const std::string& w : options_.stop_words) {
    if (std::find(stops_.begin(), stops_.end(), w) != stops_.end()) continue;
    stops_.push_back(w);
  }
  if (!stops_.empty()) {
    min_stop_len_ = max_stop_len_ = stops_[0].size();
    for (const std::string& w : stops_) {
      min_stop_len_ = std::min(min_stop_len_, w.size());
      max_stop_len_ = std::max(max_stop_len_, w.size());
      if (!w.empty()) stop_first_byte_[static_cast<unsigned char>(w[0])] = true;
    }
  }
  stop_seen_.assign(stops_.size(), 0);
  for (size_t k = 0; k < stops_.size(); ++k) {
    const std::string& w = stops_[k];
    if (!w.empty() && w.size() <= 8)
      short_stops_.push_back({PaddedPrefix(w), w.size(), static_cast<int>(k)});
  }
  BuildStopHash();
}

void GopherQualityFilter::BuildStopHash() {
  stop_shift_ = 0;
  if (stops_.size() > 64 || short_stops_.size() != stops_.size()) return;
  // At least 8 slots per stop word; odd multipliers from a fixed sequence
  // until one separates every stop word (deterministic).
  int bits = 6;
  while ((size_t{1} << bits) < 8 * stops_.size()) ++bits;
  uint64_t mul = 0x9E3779B97F4A7C15ULL;
  for (int attempt = 0; attempt < 10000; ++attempt) {
    mul = (mul * 6364136223846793005ULL + 1442695040888963407ULL) | 1;
    std::vector<ShortStop> slots(size_t{1} << bits, ShortStop{0, 0, 0});
    bool ok = true;
    for (const ShortStop& stop : short_stops_) {
      ShortStop& slot = slots[(stop.bytes * mul) >> (64 - bits)];
      if (slot.length != 0) {
        ok = false;
        break;
      }
      slot = stop;
    }
    if (ok) {
      stop_slots_ = std::move(slots);
      stop_mul_ = mul;
      stop_shift_ = 64 - bits;
      return;
    }
  }
}

Result<std::unique_ptr<Step>> GopherQualityFilter::Create(StepOptions& options) {
  GopherQualityOptions o;
  o.min_doc_words = options.GetInt("min_doc_words", o.min_doc_words);
  o.max_doc_words = options.GetInt("max_doc_words", o.max_doc_words);
  o.min_avg_word_length =
      options.GetDouble("min_avg_word_length", o.min_avg_word_length);
  o.max_avg_word_length =
      options.GetDouble("max_avg_word_length", o.max_avg_word_length);
  o.max_symbol_word_ratio =
      options.GetDouble("max_symbol_word_ratio", o.max_symbol_word_ratio);
  o.max_bullet_lines_ratio =
      options.GetDouble("max_bullet_lines_ratio", o.max_bullet_lines_ratio);
  o.max_ellipsis_lines_ratio =
      options.GetDouble("max_ellipsis_lines_ratio", o.max_ellipsis_lines_ratio);
  o.max_non_alpha_words_ratio =
      options.GetDouble("max_non_alpha_words_ratio", o.max_non_alpha_words_ratio);
  o.min_stop_words = options.GetInt("min_stop_words", o.min_stop_words);
  o.stop_words = options.GetList("stop_words", o.stop_words);
  o.write_signals = options.GetBool("write_signals", o.write_signals);
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(new GopherQualityFilter(std::move(o)));
}

int GopherQualityFilter::StopWordIndex(std::string_view word) const {
  if (word.size() < min_stop_len_ || word.size() > max_stop_len_ ||
      word.empty() || !stop_first_byte_[static_cast<unsigned char>(word[0])])
    return -1;
  if (word.size() <= 8) {
    const uint64_t bytes = PaddedPrefix(word);
    for (const ShortStop& s : short_stops_)
      if (s.length == word.size() && s.bytes == bytes) return s.index;
    return -1;
  }
  for (size_t k = 0; k < stops_.size(); ++k)
    if (stops_[k] == word) return static_cast<int>(k);
  return -1;
}

GopherQualityFilter::WordCounts GopherQualityFilter::CountWords(
    const TokenList& words) {
  const size_t n_words = words.size();
  const std::string_view all = words.concatenated();
  if (++doc_gen_ == 0) {
    std::fill(stop_seen_.begin(), stop_seen_.end(), 0);
    doc_gen_ = 1;
  }
  size_t n_non_symbol = 0;
  size_t non_symbol_chars = 0;
  size_t n_alpha_words = 0;
  size_t n_stop = 0;
  for (size_t i = 0; i < n_words; ++i) {
    const std::string_view w = words[i];
    const size_t offset = words.offset(i);
    bool non_symbol = false;
    bool alpha = false;
    size_t chars = w.size();
    uint8_t classes = 0;
    uint64_t bytes = 0;  // w zero-padded, when w.size() <= 8
    bool fast = false;
    if (w.size() <= 8 && offset + 8 <= all.size()) {
      // Short ASCII words of bytes >= '!': only letters and digits are not
      // punctuation, tested on all bytes at once.
      std::memcpy(&bytes, all.data() + offset, 8);
      const uint64_t keep = w.size() == 8 ? ~uint64_t{0}
                                          : (uint64_t{1} << (8 * w.size())) - 1;
      bytes &= keep;
      const uint64_t x = bytes | (kBytes7F & ~keep);
      const uint64_t below_bang = (x - kBytes21) & ~x & kBytes80;
      if ((x & kBytes80) == 0 && below_bang == 0) {
        uint64_t letter;
        non_symbol = AlnumBytes(x, &letter) != 0;
        alpha = letter != 0;
        fast = true;
      }
    }
    if (!fast) {
      for (const char c : w) classes |= kWordByteClass[static_cast<unsigned char>(c)];
      non_symbol = (classes & kNonPunct) != 0;
      alpha = (classes & kAlpha) != 0;
    }
    if ((classes & kNonAscii) != 0) {
      chars = 0;
      for (size_t j = 0; j < w.size(); ++chars) {
        const char32_t c = pytext::DecodeNext(w, &j);
        non_symbol = non_symbol || !pytext::IsPunctuation(c);
        alpha = alpha || pytext::IsAlpha(c);
      }
    }
    if (non_symbol) {
      ++n_non_symbol;
      non_symbol_chars += chars;
    }
    n_alpha_words += alpha;
    // Cheap rejection by length and first byte before the exact lookup.
    int k = -1;
    if (w.size() - min_stop_len_ <= max_stop_len_ - min_stop_len_ &&
        !w.empty() && stop_first_byte_[static_cast<unsigned char>(w[0])]) {
      if (fast) {
        for (const ShortStop& stop : short_stops_) {
          if (stop.bytes == bytes && stop.length == w.size()) {
            k = stop.index;
            break;
          }
        }
      } else {
        k = StopWordIndex(w);
      }
    }
    if (k >= 0 && stop_seen_[k] != doc_gen_) {
      stop_seen_[k] = doc_gen_;
      ++n_stop;
    }
  }
  WordCounts c;
  c.non_symbol = n_non_symbol;
  c.non_symbol_chars = non_symbol_chars;
  c.alpha = n_alpha_words;
  c.stop = n_stop;
  return c;
}

GopherQualityFilter::WordCounts GopherQualityFilter::CountAsciiWords(
    const TokenList& words, size_t stop_enough) {
  // In ASCII words, whitespace never occurs and the bytes outside datatrove's
  // PUNCTUATION_SET are the letters and digits (control characters are in
  // it), so eight bytes are classified at once.
  const size_t n_words = words.size();
  const std::string_view all = words.concatenated();
  const char* const s = all.data();
  const size_t total = all.size();
  const uint32_t* const off = words.offsets();
  const ShortStop* const slots = stop_slots_.data();
  const uint64_t mul = stop_mul_;
  const int shift = stop_shift_;
  // kKeep[k]: the low k bytes.
  static constexpr auto kKeep = [] {
    std::array<uint64_t, 9> t{};
    for (int k = 1; k <= 8; ++k) t[k] = ~uint64_t{0} >> (64 - 8 * k);
    return t;
  }();
  // The 8 bytes at s + o, those from s + o + len on zeroed (1 <= len <= 8).
  auto load = [&](size_t o, size_t len) {
    uint64_t v = 0;
    if (o + 8 <= total) {
      std::memcpy(&v, s + o, 8);
    } else {
      for (size_t k = 0; k < total - o; ++k)
        v |= uint64_t{static_cast<unsigned char>(s[o + k])} << (8 * k);
    }
    return v & kKeep[len];
  };
  size_t non_symbol_words = 0, non_symbol_chars = 0, alpha_words = 0;
  uint64_t seen = 0;  // bit k: stop word k is present
  // Words [0, full) start at least 8 bytes before the end (offsets
  // increase), so their first 8 bytes are loaded without a bounds test.
  size_t full = n_words;
  while (full > 0 && off[full - 1] + 8 > total) --full;
#if defined(__SSE2__)
  // Words [0, full16) start at least 16 bytes before the end.
  size_t full16 = full;
  while (full16 > 0 && off[full16 - 1] + 16 > total) --full16;
#endif
  // Counts words [begin, end); with kStops, also looks them up.
  const auto count = [&]<bool kStops>(size_t begin, size_t end) {
    // Adds the word of `len` bytes whose first 8 (zero-padded) are `bytes`
    // and whose alnum / letter byte masks are nonzero when it has some.
    const auto tally = [&](uint64_t bytes, size_t len, uint64_t alnum,
                           uint64_t letter) {
      const size_t non_symbol = alnum != 0;
      non_symbol_words += non_symbol;
      non_symbol_chars += len & (size_t{0} - non_symbol);
      alpha_words += letter != 0;
      if constexpr (kStops) {
        // A word of more than 8 bytes has no slot: its bytes differ from
        // every slot's in the length test.
        const ShortStop& slot = slots[(bytes * mul) >> shift];
        const bool hit = slot.bytes == bytes && slot.length == len;
        seen |= uint64_t{hit} << slot.index;
      }
    };
    // Adds to the masks the classes of the word's bytes [from, len) (words
    // longer than the first load), 8 at a time.
    const auto rest = [&](size_t o, size_t from, size_t len, uint64_t* alnum,
                          uint64_t* letter) {
      for (size_t k = from; k < len; k += 8) {
        uint64_t more_letter;
        *alnum |= AlnumBytes(load(o + k, std::min<size_t>(len - k, 8)),
                             &more_letter);
        *letter |= more_letter;
      }
    };
    for (size_t i = begin; i < end; ++i) {
      const size_t o = off[i];
      const size_t len = off[i + 1] - o;
      uint64_t bytes;
#if defined(__SSE2__)
      if (__builtin_expect(i < full16, 1)) {
        // The first 16 bytes at once: no branch on whether the word has
        // more than 8 (only, rarely, on more than 16).
        const __m128i v = _mm_and_si128(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + o)),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                kKeep16 + 16 - std::min<size_t>(len, 16))));
        bytes = static_cast<uint64_t>(_mm_cvtsi128_si64(v));
        __m128i letter16;
        const __m128i alnum16 = AlnumBytes16(v, &letter16);
        uint64_t alnum = static_cast<uint64_t>(_mm_movemask_epi8(alnum16));
        uint64_t letter = static_cast<uint64_t>(_mm_movemask_epi8(letter16));
        rest(o, 16, len, &alnum, &letter);  // words of more than 16 bytes
        tally(bytes, len, alnum, letter);
        continue;
      }
#endif
      if (__builtin_expect(i < full, 1)) {
        std::memcpy(&bytes, s + o, 8);
        bytes &= kKeep[std::min<size_t>(len, 8)];
      } else {
        bytes = load(o, std::min<size_t>(len, 8));
      }
      uint64_t letter;
      uint64_t alnum = AlnumBytes(bytes, &letter);
      rest(o, 8, len, &alnum, &letter);  // words of more than 8 bytes
      tally(bytes, len, alnum, letter);
    }
  };
  // Stop words are looked up 32 words at a time until enough are seen
  // (usually within the first sentence), then no more.
  size_t i = 0;
  while (i < n_words &&
         static_cast<size_t>(std::popcount(seen)) < stop_enough) {
    const size_t end = std::min(n_words, i + 32);
    count.template operator()<true>(i, end);
    i = end;
  }
  count.template operator()<false>(i, n_words);
  WordCounts c;
  c.non_symbol = non_symbol_words;
  c.non_symbol_chars = non_symbol_chars;
  c.alpha = alpha_words;
  c.stop = static_cast<size_t>(std::popcount(seen));
  return c;
}

StepResult GopherQualityFilter::Process(Document* doc, Counters* counters) {
  const std::string_view text = doc->text;
  TokenCache& cache = TokenCache::ForThisThread();
  const TokenList& words = cache.Words(text);
  const size_t n_words = words.size();

  // Without signals, the stop words only matter up to min_stop_words (and
  // not at all when it is 0: the rule is off).
  const size_t stop_enough =
      options_.write_signals
          ? SIZE_MAX
          : static_cast<size_t>(std::max<int64_t>(options_.min_stop_words, 0));
  const WordCounts counts = has_stop_hash() && cache.WordsAreAscii()
                                ? CountAsciiWords(words, stop_enough)
                                : CountWords(words);
  const size_t n_non_symbol = counts.non_symbol;
  const size_t non_symbol_chars = counts.non_symbol_chars;
  const size_t n_alpha_words = counts.alpha;
  const size_t n_stop = counts.stop;

  filters_internal::RuleVerdict verdict(options_.write_signals);
  const bool signals = verdict.recording();
  JsonObjectBuilder& sig = verdict.signals();
  // Records rule `reason`; returns true when processing can stop.
  auto rule = [&](std::string_view reason, double value, double threshold,
                  bool failed) {
    return verdict.Check(reason, value, threshold, failed, /*record_value=*/false);
  };
  auto finish = [&]() { return verdict.Finish(doc, name()); };
  if (signals) {
    sig.Add("n_words", static_cast<int64_t>(n_words));
    sig.Add("n_non_symbol_words", static_cast<int64_t>(n_non_symbol));
  }

  const auto& o = options_;
  const double ns = static_cast<double>(n_non_symbol);
  if (rule("gopher_short_doc", ns, static_cast<double>(o.min_doc_words),
           o.min_doc_words != 0 && ns < static_cast<double>(o.min_doc_words)))
    return finish();
  if (rule("gopher_long_doc", ns, static_cast<double>(o.max_doc_words),
           o.max_doc_words != 0 && ns > static_cast<double>(o.max_doc_words)))
    return finish();

  const double avg = n_non_symbol == 0
                         ? std::numeric_limits<double>::quiet_NaN()
                         : static_cast<double>(non_symbol_chars) / ns;
  if (signals) sig.Add("avg_word_length", avg);
  if (rule("gopher_below_avg_threshold", avg, o.min_avg_word_length,
           o.min_avg_word_length != 0 && avg < o.min_avg_word_length))
    return finish();
  if (rule("gopher_above_avg_threshold", avg, o.max_avg_word_length,
           o.max_avg_word_length != 0 && avg > o.max_avg_word_length))
    return finish();

  const double nw = static_cast<double>(n_words);
  double v = Ratio(static_cast<double>(pytext::Count(text, "#")), nw);
  if (signals) sig.Add("hash_ratio", v);
  if (rule("gopher_too_many_hashes", v, o.max_symbol_word_ratio,
           o.max_symbol_word_ratio != 0 && v > o.max_symbol_word_ratio))
    return finish();
  v = Ratio(static_cast<double>(pytext::CountTripleDots(text) +
                                pytext::Count(text, kEllipsisChar)),
            nw);
  if (signals) sig.Add("ellipsis_ratio", v);
  if (rule("gopher_too_many_ellipsis", v, o.max_symbol_word_ratio,
           o.max_symbol_word_ratio != 0 && v > o.max_symbol_word_ratio))
    return finish();

  const std::vector<std::string_view>& lines =
      TokenCache::ForThisThread().Lines(text);
  size_t bullets = 0;
  size_t end_ellipsis = 0;
  for (std::string_view line : lines) {
    const std::string_view l = pytext::LStrip(line);
    bullets += StartsWith(l, kBullet) || StartsWith(l, "-");
    const std::string_view r = pytext::RStrip(line);
    end_ellipsis += EndsWith(r, "...") || EndsWith(r, kEllipsisChar);
  }
  const double nl = static_cast<double>(lines.size());
  v = Ratio(static_cast<double>(bullets), nl);
  if (signals) sig.Add("bullet_lines_ratio", v);
  if (rule("gopher_too_many_bullets", v, o.max_bullet_lines_ratio,
           o.max_bullet_lines_ratio != 0 && v > o.max_bullet_lines_ratio))
    return finish();
  v = Ratio(static_cast<double>(end_ellipsis), nl);
  if (signals) sig.Add("end_ellipsis_lines_ratio", v);
  if (rule("gopher_too_many_end_ellipsis", v, o.max_ellipsis_lines_ratio,
           o.max_ellipsis_lines_ratio != 0 && v > o.max_ellipsis_lines_ratio))
    return finish();

  v = Ratio(static_cast<double>(n_alpha_words), nw, 1.0);
  if (signals) sig.Add("alpha_words_ratio", v);
  if (rule("gopher_below_alpha_threshold", v, o.max_non_alpha_words_ratio,
           o.max_non_alpha_words_ratio != 0 && v < o.max_non_alpha_words_ratio))
    return finish();

  if (signals) sig.Add("stop_words", static_cast<int64_t>(n_stop));
  rule("gopher_enough_stop_words", static_cast<double>(n_stop),
       static_cast<double>(o.min_stop_words),
       o.min_stop_words != 0 &&
           static_cast<int64_t>(n_stop) < o.min_stop_words);
  return finish();
}

}  // namespace winnow
