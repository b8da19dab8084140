#include "filters/c4_quality.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/json_writer.h"
#include "filters/filter_util.h"
#include "filters/py_text.h"
#include "filters/token_cache.h"

namespace winnow {
namespace {

constexpr std::array<std::string_view, 6> kPolicySubstrings = {
    "terms of use", "privacy policy", "cookie policy",
    "uses cookies", "use of cookies", "use cookies"};

// Which of the case-insensitive phrases a line contains.
struct PhraseHits {
  bool lorem_ipsum = false;
  bool javascript = false;
  bool policy = false;
};

// Bit (c - 'a') for each lowercase ASCII letter of `s`.
constexpr uint32_t LetterMask(std::string_view s) {
  uint32_t m = 0;
  for (char c : s)
    if (c >= 'a' && c <= 'z') m |= uint32_t{1} << (c - 'a');
  return m;
}

// Finds the phrases in `lower` (a line lowered by AppendLowerForAsciiSearch).
// A phrase is searched only when the line has all of its letters, which
// rules out most lines after one cheap pass.
PhraseHits ScanPhrases(std::string_view lower) {
  static constexpr auto kBits = [] {
    std::array<uint32_t, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c) t[c] = uint32_t{1} << (c - 'a');
    return t;
  }();
  uint32_t mask = 0;
  for (char c : lower) mask |= kBits[static_cast<unsigned char>(c)];
  auto has = [&](std::string_view phrase) {
    const uint32_t need = LetterMask(phrase);
    return (mask & need) == need && lower.find(phrase) != std::string_view::npos;
  };
  PhraseHits hits;
  hits.lorem_ipsum = has("lorem ipsum");
  hits.javascript = has("javascript");
  hits.policy = std::any_of(kPolicySubstrings.begin(), kPolicySubstrings.end(),
                            [&](std::string_view p) { return has(p); });
  return hits;
}

// Phrases whose presence in a text (ASCII case-insensitively) is necessary
// for any of ScanPhrases' phrases to occur in one of its lines: each phrase
// contains one of them ("cookie" covers the four cookie phrases).
constexpr std::array<std::string_view, 5> kPhraseAnchors = {
    "lorem ipsum", "javascript", "terms of use", "privacy policy", "cookie"};

// 1 + the index of the anchor starting with byte b (a lowercase letter), or
// 0; the anchors' first letters differ.
constexpr std::array<uint8_t, 256> kAnchorByFirstLetter = [] {
  std::array<uint8_t, 256> t{};
  for (size_t k = 0; k < kPhraseAnchors.size(); ++k)
    t[static_cast<unsigned char>(kPhraseAnchors[k].front())] =
        static_cast<uint8_t>(k + 1);
  return t;
}();
static_assert([] {
  for (size_t k = 0; k < kPhraseAnchors.size(); ++k)
    if (kAnchorByFirstLetter[static_cast<unsigned char>(
            kPhraseAnchors[k].front())] != k + 1)
      return false;
  return true;
}(), "the phrase anchors' first letters must differ");

// Whether text[i, i + needle.size()) equals `needle` (lowercase ASCII letters
// and spaces) with ASCII letters compared case-insensitively.
inline bool MatchesCaseless(const unsigned char* text, std::string_view needle) {
  for (size_t k = 0; k < needle.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(needle[k]);
    const unsigned char b = text[k];
    if (c == ' ' ? b != ' ' : (b | 0x20) != c) return false;
  }
  return true;
}

// Kelvin sign U+212A, which str.lower() turns into ASCII 'k'.
constexpr std::string_view kKelvin = "\xE2\x84\xAA";

// Whether `anchor` occurs in p[from, n) at some start, ASCII
// case-insensitively.
bool HasAnchorFrom(const unsigned char* p, size_t n, size_t from,
                   std::string_view anchor) {
  for (size_t i = from; i + anchor.size() <= n; ++i)
    if (MatchesCaseless(p + i, anchor)) return true;
  return false;
}

#if defined(__SSE2__)
// Of the 16 starts at p (a: their bytes | 0x20): those where anchor K's first
// and last letters match, for each K given (unrolled, constants inline).
template <size_t... K>
inline __m128i AnchorCandidates(const unsigned char* p, __m128i a,
                                std::index_sequence<K...>) {
  const __m128i lower = _mm_set1_epi8(0x20);
  __m128i hit = _mm_setzero_si128();
  ((hit = _mm_or_si128(
        hit,
        _mm_and_si128(
            _mm_cmpeq_epi8(a, _mm_set1_epi8(kPhraseAnchors[K].front())),
            _mm_cmpeq_epi8(
                _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                 p + kPhraseAnchors[K].size() - 1)),
                             lower),
                _mm_set1_epi8(kPhraseAnchors[K].back()))))),
   ...);
  return hit;
}
#endif

}  // namespace

namespace c4_internal {

bool MayContainPhraseByAnchor(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  if (text.find(kKelvin) != std::string_view::npos) return true;
  for (const std::string_view anchor : kPhraseAnchors) {
    const size_t k = anchor.size();
    if (n < k) continue;
    const size_t last = n - k;  // last possible start
    size_t i = 0;
#if defined(__SSE2__)
    // Candidates: the first and last letters match (ASCII letters only
    // match themselves under | 0x20).
    const __m128i lower = _mm_set1_epi8(0x20);
    const __m128i first = _mm_set1_epi8(anchor.front());
    const __m128i final = _mm_set1_epi8(anchor.back());
    for (; i + 16 <= last + 1; i += 16) {
      const __m128i a = _mm_or_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), lower);
      const __m128i b = _mm_or_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + k - 1)),
          lower);
      unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final))));
      while (mask != 0) {
        if (MatchesCaseless(p + i + static_cast<size_t>(__builtin_ctz(mask)),
                            anchor))
          return true;
        mask &= mask - 1;
      }
    }
#endif
    if (HasAnchorFrom(p, n, i, anchor)) return true;
  }
  return false;
}

bool MayContainPhrase(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  if (text.find(kKelvin) != std::string_view::npos) return true;
#if defined(__SSE2__)
  // One pass for all anchors: 16 starts at a time, a candidate where some
  // anchor's first and last letters match (as in MayContainPhraseByAnchor),
  // checked against every anchor. Loads reach kSpan bytes past a block's
  // first start, so the last starts are scanned in a zero-padded copy: no
  // anchor byte matches a zero (a zero | 0x20 is a space, which no anchor
  // starts or ends with, and MatchesCaseless compares spaces exactly).
  constexpr size_t kLongest = [] {
    size_t m = 0;
    for (const std::string_view a : kPhraseAnchors) m = std::max(m, a.size());
    return m;
  }();
  constexpr size_t kSpan = 15 + kLongest;
  auto scan = [](const unsigned char* q, size_t starts) {
    for (size_t i = 0; i < starts; i += 16) {
      const __m128i a = _mm_or_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i)),
          _mm_set1_epi8(0x20));
      const __m128i hit = AnchorCandidates(
          q + i, a, std::make_index_sequence<kPhraseAnchors.size()>());
      unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
      while (mask != 0) {
        const unsigned char* at = q + i + static_cast<size_t>(__builtin_ctz(mask));
        // Only the anchor with this first letter can match here.
        const uint8_t k = kAnchorByFirstLetter[at[0] | 0x20];
        if (k != 0 && MatchesCaseless(at, kPhraseAnchors[k - 1])) return true;
        mask &= mask - 1;
      }
    }
    return false;
  };
  // Blocks read inside the text: starts [0, full).
  const size_t full = n >= kSpan ? (n - kSpan) / 16 * 16 + 16 : 0;
  if (scan(p, full)) return true;
  if (full >= n) return false;
  // The rest, fewer than kSpan + 1 bytes, in a copy with room for the loads
  // of two more blocks.
  unsigned char tail[2 * 16 + kSpan] = {};
  const size_t rest = n - full;
  std::memcpy(tail, p + full, rest);
  return scan(tail, rest);
#else
  for (const std::string_view anchor : kPhraseAnchors)
    if (HasAnchorFrom(p, n, 0, anchor)) return true;
  return false;
#endif
}

}  // namespace c4_internal

namespace {

bool IsDecimalDigit(char32_t c) {
  if (c < 128) return c >= '0' && c <= '9';
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) ==
         UTF8PROC_CATEGORY_ND;
}

// Length of a citation starting at s[0] == '[' (Python's
// \[\d*]|\[edit]|\[citation needed]), or 0.
size_t CitationLength(std::string_view s) {
  size_t i = 1;
  while (i < s.size()) {
    size_t next = i;
    if (!IsDecimalDigit(pytext::DecodeNext(s, &next))) break;
    i = next;
  }
  if (i < s.size() && s[i] == ']') return i + 1;
  for (std::string_view lit : {std::string_view("[edit]"),
                               std::string_view("[citation needed]")}) {
    if (s.substr(0, lit.size()) == lit) return lit.size();
  }
  return 0;
}

// Python CITATION_REGEX.sub("", line). Returns `line` itself when nothing
// matches, else a view of *buf.
std::string_view RemoveCitations(std::string_view line, std::string* buf) {
  size_t open = line.find('[');
  if (open == std::string_view::npos) return line;
  buf->clear();
  size_t copied = 0;
  bool changed = false;
  while (open != std::string_view::npos) {
    size_t len = CitationLength(line.substr(open));
    if (len == 0) {
      open = line.find('[', open + 1);
      continue;
    }
    buf->append(line.substr(copied, open - copied));
    copied = open + len;
    changed = true;
    open = line.find('[', copied);
  }
  if (!changed) return line;
  buf->append(line.substr(copied));
  return *buf;
}

bool EndsWithTerminal(std::string_view line) {
  if (line.empty()) return false;
  switch (line.back()) {
    case '.': case '?': case '!': case '"': case '\'':
      return true;
    default:
      return false;
  }
}

bool EndsWithEllipsis(std::string_view line) {
  return line.size() >= 3 && line.substr(line.size() - 3) == "...";
}

}  // namespace

C4QualityFilter::C4QualityFilter(C4QualityOptions options)
    : options_(std::move(options)) {}

Result<std::unique_ptr<Step>> C4QualityFilter::Create(StepOptions& options) {
  C4QualityOptions o;
  o.split_paragraph = options.GetBool("split_paragraph", o.split_paragraph);
  o.remove_citations = options.GetBool("remove_citations", o.remove_citations);
  o.filter_no_terminal_punct =
      options.GetBool("filter_no_terminal_punct", o.filter_no_terminal_punct);
  o.min_num_sentences = options.GetInt("min_num_sentences", o.min_num_sentences);
  o.min_words_per_line =
      options.GetInt("min_words_per_line", o.min_words_per_line);
  o.max_word_length = options.GetInt("max_word_length", o.max_word_length);
  o.filter_lorem_ipsum =
      options.GetBool("filter_lorem_ipsum", o.filter_lorem_ipsum);
  o.filter_javascript = options.GetBool("filter_javascript", o.filter_javascript);
  o.filter_curly_bracket =
      options.GetBool("filter_curly_bracket", o.filter_curly_bracket);
  o.filter_policy = options.GetBool("filter_policy", o.filter_policy);
  o.write_signals = options.GetBool("write_signals", o.write_signals);
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(new C4QualityFilter(std::move(o)));
}

void C4QualityFilter::SplitUnits(std::string_view text) {
  if (options_.split_paragraph) {
    lines_ = TokenCache::ForThisThread().Lines(text);
    return;
  }
  // datatrove's split_into_sentences: text cut at the end of each Punkt
  // sentence span except the last, which runs to the end of the text.
  TokenCache::ForThisThread().tokenizer().SplitSentences(text, &sentences_);
  lines_.clear();
  size_t start = 0;
  for (size_t k = 0; k + 1 < sentences_.size(); ++k) {
    const std::string_view s = sentences_[k];
    size_t end = static_cast<size_t>(s.data() - text.data()) + s.size();
    end = std::clamp(end, start, text.size());
    lines_.push_back(text.substr(start, end - start));
    start = end;
  }
  lines_.push_back(text.substr(start));
}

StepResult C4QualityFilter::Process(Document* doc, Counters* counters) {
  const auto& o = options_;
  const std::string_view text = doc->text;
  SplitUnits(text);
  NltkEnglishTokenizer& tokenizer = TokenCache::ForThisThread().tokenizer();

  int64_t too_long = 0, no_punct = 0, few_words = 0, javascript = 0,
          policy = 0, kept = 0, num_sentences = 0;
  size_t index = 0;
  StepResult result = StepResult::Keep();
  out_.clear();
  // Lines are substrings of the text, so phrases and '{' absent from the text
  // are absent from its lines, except that removing a citation can join a
  // phrase.
  const bool doc_may_have_phrase =
      (o.filter_lorem_ipsum || o.filter_javascript || o.filter_policy) &&
      c4_internal::MayContainPhrase(text);
  const bool doc_has_curly = text.find('{') != std::string_view::npos;
  const bool doc_has_bracket = text.find('[') != std::string_view::npos;
  // A word of at most max_word_bytes bytes is never too long.
  const size_t max_word_bytes =
      o.max_word_length == -1
          ? SIZE_MAX
          : static_cast<size_t>(std::max<int64_t>(o.max_word_length, 0));
  const size_t words_needed =
      static_cast<size_t>(std::max<int64_t>(o.min_words_per_line, 0));

  for (; index < lines_.size(); ++index) {
    std::string_view line = pytext::Strip(lines_[index]);
    int64_t n_words = 0;
    if (line.size() <= max_word_bytes) {
      // No word can be longer than max_word_length code points, and only
      // whether there are min_words_per_line words matters.
      n_words = static_cast<int64_t>(
          pytext::CountWhitespaceWords(line, words_needed));
    } else {
      bool long_word = false;
      pytext::ForEachWhitespaceWord(line, [&](std::string_view w) {
        ++n_words;
        if (w.size() > max_word_bytes &&
            static_cast<int64_t>(pytext::Length(w)) > o.max_word_length)
          long_word = true;
      });
      if (long_word) {
        ++too_long;
        continue;
      }
    }
    bool cited = false;
    if (o.remove_citations && doc_has_bracket) {
      const std::string_view before = line;
      line = RemoveCitations(line, &cited_);
      cited = line.data() != before.data();
    }
    if (o.filter_no_terminal_punct &&
        (!EndsWithTerminal(line) || EndsWithEllipsis(line))) {
      ++no_punct;
      continue;
    }
    if (n_words < o.min_words_per_line) {
      ++few_words;
      continue;
    }
    PhraseHits hits;
    if (doc_may_have_phrase || cited) {
      lower_.clear();
      pytext::AppendLowerForAsciiSearch(line, &lower_);
      hits = ScanPhrases(lower_);
    }
    if (o.filter_lorem_ipsum && hits.lorem_ipsum) {
      JsonObjectBuilder b;
      b.Add("line", static_cast<int64_t>(index));
      result = StepResult::Remove("lorem_ipsum", b.Finish());
      break;
    }
    if (o.filter_javascript && hits.javascript) {
      ++javascript;
      continue;
    }
    if (o.filter_curly_bracket && doc_has_curly &&
        line.find('{') != std::string_view::npos) {
      JsonObjectBuilder b;
      b.Add("line", static_cast<int64_t>(index));
      result = StepResult::Remove("curly_bracket", b.Finish());
      break;
    }
    if (o.filter_policy && hits.policy) {
      ++policy;
      continue;
    }
    if (o.min_num_sentences != -1) {
      if (!o.split_paragraph) {
        ++num_sentences;
      } else if (o.write_signals || num_sentences < o.min_num_sentences) {
        // Without signals the count only matters until it reaches
        // min_num_sentences.
        tokenizer.SplitSentences(line, &sentences_);
        num_sentences += std::max<int64_t>(
            1, static_cast<int64_t>(sentences_.size()));
      }
    }
    if (kept > 0) out_.push_back(o.split_paragraph ? '\n' : ' ');
    out_.append(line);
    ++kept;
  }

  const int64_t seen = static_cast<int64_t>(std::min(index + 1, lines_.size()));
  if (counters != nullptr) {
    auto add = [&](std::string_view k, int64_t v) {
      if (v != 0) counters->Add(k, v);
    };
    add("line-total", seen);
    add("line-kept", kept);
    add("line-filter-too_long_word", too_long);
    add("line-filter-no_terminal_punc", no_punct);
    add("line-filter-too_few_words", few_words);
    add("line-filter-javascript", javascript);
    add("line-filter-policy", policy);
  }
  if (o.write_signals) {
    JsonObjectBuilder b;
    b.Add("lines", seen).Add("kept_lines", kept).Add("num_sentences",
                                                      num_sentences);
    doc->signals.push_back({std::string(name()), b.Finish()});
  }
  if (!result.keep) return result;
  if (num_sentences < o.min_num_sentences) {
    return filters_internal::RemoveWith(
        "too_few_sentences", static_cast<double>(num_sentences),
        static_cast<double>(o.min_num_sentences));
  }
  const std::string_view stripped = pytext::Strip(out_);
  doc->text.assign(stripped.data(), stripped.size());
  return StepResult::Keep();
}

}  // namespace winnow
