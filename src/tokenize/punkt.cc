#include "tokenize/punkt.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tokenize/char_classes.h"

namespace winnow::tokenize_internal {

namespace {

// Characters that may follow a sentence-end character without whitespace
// in a period context, and that end a Punkt word token: )";}]*:@'({[?!
constexpr bool IsNonWordChar(char c) {
  switch (c) {
    case ')':
    case '"':
    case ';':
    case '}':
    case ']':
    case '*':
    case ':':
    case '@':
    case '\'':
    case '(':
    case '{':
    case '[':
    case '?':
    case '!':
      return true;
    default:
      return false;
  }
}

// Characters that cannot start a multi-character Punkt word token:
// ("`{[:;&#*@)}]-,
inline bool IsExcludedWordStart(char c) {
  switch (c) {
    case '(':
    case '"':
    case '`':
    case '{':
    case '[':
    case ':':
    case ';':
    case '&':
    case '#':
    case '*':
    case '@':
    case ')':
    case '}':
    case ']':
    case '-':
    case ',':
      return true;
    default:
      return false;
  }
}

// Bytes after which TokenizeLine's word loop simply goes on: ASCII, not
// whitespace, not a non-word character, and not '.', '-' or ',' (which
// need a look at what follows).
struct PlainWordByteTable {
  uint8_t v[256];
  constexpr PlainWordByteTable() : v() {
    for (int c = 0; c < 0x80; ++c) {
      v[c] = (kAsciiProps[c] & kAsciiSpace) == 0 &&
             !IsNonWordChar(static_cast<char>(c)) && c != '.' && c != '-' &&
             c != ',';
    }
  }
};
constexpr PlainWordByteTable kPlainWordByte;
// No byte is plain: makes the reference path take the general code.
constexpr uint8_t kNoPlainWordByte[256] = {};

inline bool IsEndChar(char c) { return c == '.' || c == '?' || c == '!'; }

// Offset of the first '.', '?' or '!' in s[from, n), or n.
size_t FindEndChar(const char* s, size_t from, size_t n) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.');
  const __m128i question = _mm_set1_epi8('?');
  const __m128i bang = _mm_set1_epi8('!');
  for (; i + 16 <= n; i += 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot),
                                  _mm_cmpeq_epi8(v, question)),
                     _mm_cmpeq_epi8(v, bang));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
  // The last bytes (every text's end, where a byte loop's exit is hard to
  // predict): the 16 bytes that end at n, without those before i.
  if (i < n && n >= 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot),
                                  _mm_cmpeq_epi8(v, question)),
                     _mm_cmpeq_epi8(v, bang));
    const unsigned mask =
        static_cast<unsigned>(_mm_movemask_epi8(hit)) >> (i + 16 - n);
    return mask != 0 ? i + static_cast<size_t>(__builtin_ctz(mask)) : n;
  }
#endif
  for (; i < n; ++i) {
    if (IsEndChar(s[i])) return i;
  }
  return n;
}

// The end of the run of whitespace (Python's str.isspace) that starts at
// s[r], r <= n: 16 ASCII bytes at a time while there are 16 left, then one
// character at a time (also after a non-ASCII byte), so that the run's
// length is not a branch.
size_t SkipSpaces(const char* s, size_t r, size_t n) {
#if defined(__SSE2__)
  if (r + 16 <= n) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + r));
    // '\t' to '\r' and '\x1c' to ' ' (v - c <= k as unsigned bytes).
    const __m128i low = _mm_sub_epi8(v, _mm_set1_epi8('\t'));
    const __m128i high = _mm_sub_epi8(v, _mm_set1_epi8('\x1c'));
    const __m128i space = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(low, _mm_set1_epi8(4)), low),
        _mm_cmpeq_epi8(_mm_min_epu8(high, _mm_set1_epi8(4)), high));
    const unsigned other =
        ~static_cast<unsigned>(_mm_movemask_epi8(space)) & 0xFFFF;
    if (other != 0) {
      r += static_cast<size_t>(__builtin_ctz(other));
      if (static_cast<unsigned char>(s[r]) < 0x80) return r;
    } else {
      r += 16;
    }
  }
#endif
  int len;
  while (r < n && SpaceAt(s + r, s + n, &len)) r += static_cast<size_t>(len);
  return r;
}

// string.whitespace, which _get_last_whitespace_index uses.
inline bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

// The offset of the last string.whitespace byte in s[lo, hi), or hi.
size_t LastAsciiWhitespace(const char* s, size_t lo, size_t hi) {
  size_t i = hi;
#if defined(__SSE2__)
  // 16 bytes at a time, from the end: ' ', or '\t' to '\r' (v - 9 <= 4
  // unsigned).
  for (; i - lo >= 16; i -= 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i - 16));
    const __m128i low = _mm_sub_epi8(v, _mm_set1_epi8('\t'));
    const __m128i space = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(low, _mm_set1_epi8(4)), low),
        _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(space));
    if (m != 0) return i - 16 + static_cast<size_t>(31 - __builtin_clz(m));
  }
#endif
  for (; i > lo; --i) {
    if (IsAsciiWhitespace(s[i - 1])) return i - 1;
  }
  return hi;
}

// Length of the multi-character punctuation (--+, ..+, or ". . ." with
// single whitespace characters between the periods) starting at s[q], or 0.
size_t DashOrPeriodRunLen(const char* s, size_t q, size_t e) {
  const char c = s[q];
  if (c == '-') {
    if (q + 1 >= e || s[q + 1] != '-') return 0;
    size_t r = q + 2;
    while (r < e && s[r] == '-') ++r;
    return r - q;
  }
  if (c != '.') return 0;
  if (q + 1 < e && s[q + 1] == '.') {
    size_t r = q + 2;
    while (r < e && s[r] == '.') ++r;
    return r - q;
  }
  // (?:\.\s){2,}\.
  size_t pos = q;
  size_t reps = 0;
  size_t last_rep_start = q;
  while (pos + 1 < e && s[pos] == '.') {
    int len;
    if (!SpaceAt(s + pos + 1, s + e, &len)) break;
    last_rep_start = pos;
    ++reps;
    pos += 1 + len;
  }
  if (reps < 2) return 0;
  if (pos < e && s[pos] == '.') return pos + 1 - q;
  if (reps >= 3) return last_rep_start + 1 - q;
  return 0;
}

// The same, with the common case (neither '-' nor '.') inline.
inline size_t MultiCharLen(const char* s, size_t q, size_t e) {
  if (s[q] != '-' && s[q] != '.') return 0;
  return DashOrPeriodRunLen(s, q, e);
}

// Whether `tok` matches ^-?[.,]?\d[\d,.-]*\.?$ (PunktToken._RE_NUMERIC).
bool IsNumberToken(std::string_view tok) {
  const char* p = tok.data();
  const char* e = p + tok.size();
  if (p < e && *p == '-') ++p;
  if (p < e && (*p == '.' || *p == ',')) ++p;
  if (p >= e) return false;
  int len;
  if (!IsPyDecimal(DecodeUtf8(p, e, &len))) return false;
  p += len;
  while (p < e) {
    const char c = *p;
    if (c == ',' || c == '.' || c == '-') {
      ++p;
      continue;
    }
    if (!IsPyDecimal(DecodeUtf8(p, e, &len))) return false;
    p += len;
  }
  return true;
}

// The decision of an untrained Punkt model for `tok` given the next token.
bool IsSentenceBreak(std::string_view tok, std::string_view next) {
  const size_t n = tok.size();
  if (n == 1 && IsEndChar(tok[0])) return true;
  if (tok[n - 1] != '.') return false;
  if (n >= 2 && tok[n - 2] == '.') return false;  // ellipsis or "x.."
  const char* b = tok.data();
  const char* e = b + n;
  int len;
  const char32_t first = DecodeUtf8(b, e, &len);
  const bool initial = static_cast<size_t>(len) + 1 == n && IsPyWord(first) &&
                       !IsPyDecimal(first);
  if (!initial && !IsNumberToken(tok)) return true;
  // Orthographic heuristic with no collected context.
  if (next.size() == 1) {
    switch (next[0]) {
      case ';':
      case ':':
      case ',':
      case '.':
      case '!':
      case '?':
        return false;
      default:
        break;
    }
  }
  const char32_t next_first =
      DecodeUtf8(next.data(), next.data() + next.size(), &len);
  if (IsPyLower(next_first)) return false;
  if (initial && IsPyUpper(next_first)) return false;
  return true;
}

// Whether s[b, e) (REQUIRES b < e), followed by a '.' and then whitespace
// or a non-word character, is a single Punkt word token that the '.' ends:
// plain bytes, the first one not an excluded word start, with '.', ',' and
// '-' only between plain bytes. A conservative test: false does not mean
// anything else.
bool IsSimpleWordBeforePeriod(const char* s, size_t b, size_t e) {
  if (kPlainWordByte.v[static_cast<unsigned char>(s[b])] == 0 ||
      IsExcludedWordStart(s[b])) {
    return false;
  }
  for (size_t i = b + 1; i < e; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (kPlainWordByte.v[c] != 0) continue;
    if ((c != '.' && c != ',' && c != '-') || i + 1 == e ||
        kPlainWordByte.v[static_cast<unsigned char>(s[i + 1])] == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

int PunktSentenceSplitter::FastContainsSentbreak(std::string_view text,
                                                 size_t word_start, size_t pos,
                                                 bool has_next,
                                                 size_t next_tok) {
  const char* s = text.data();
  const size_t n = text.size();
  // '?' and '!' are always a token of their own, followed in the context
  // by at least one more token: a sentence break.
  if (s[pos] != '.') return 1;
  // Two ASCII letters before the period are in the token the period ends
  // (unless the period starts ". . .", which needs a '.' at next_tok), and
  // that token is neither an initial nor a number: a break, and some token
  // follows it.
  const auto letter = [](char c) {
    return (kAsciiProps[static_cast<unsigned char>(c) & 0x7F] &
            (kAsciiUpper | kAsciiLower)) != 0 &&
           static_cast<unsigned char>(c) < 0x80;
  };
  if (pos - word_start >= 2 && letter(s[pos - 1]) && letter(s[pos - 2]) &&
      (!has_next || s[next_tok] != '.')) {
    return 1;
  }
  // "W." then, as the only other token, the next word or the non-word
  // character right after the period.
  if (word_start >= pos || !IsSimpleWordBeforePeriod(s, word_start, pos)) {
    return -1;
  }
  const std::string_view tok = text.substr(word_start, pos + 1 - word_start);
  if (!has_next) return IsSentenceBreak(tok, text.substr(pos + 1, 1)) ? 1 : 0;
  // The next word N (from next_tok to whitespace or the end) holds one or
  // more tokens. Without '.', '?' or '!' in N none of them is a sentence
  // break (a break ends in '.' or is a lone end character), so only "W."
  // decides, and IsSentenceBreak looks at its next token only through the
  // first character (N's) and, when that is one of ;:,.!? , the length.
  const char first = s[next_tok];
  if (first == ';' || first == ':' || first == ',') return -1;
  size_t next_end = next_tok;
  int len;
  while (next_end < n && !SpaceAt(s + next_end, s + n, &len)) {
    if (IsEndChar(s[next_end])) return -1;
    next_end += len;
  }
  return IsSentenceBreak(tok, text.substr(next_tok, next_end - next_tok)) ? 1
                                                                          : 0;
}

void PunktSentenceSplitter::TokenizeLine(std::string_view text, size_t b,
                                         size_t e) {
  const char* s = text.data();
  const char* end = s + e;
  const uint8_t* const plain = fast_paths_ ? kPlainWordByte.v : kNoPlainWordByte;
  size_t p = b;
  while (p < e) {
    int len;
    if (SpaceAt(s + p, end, &len)) {
      p += len;
      continue;
    }
    const size_t multi = MultiCharLen(s, p, e);
    if (multi != 0) {
      tokens_.push_back({p, p + multi});
      p += multi;
      continue;
    }
    if (IsExcludedWordStart(s[p])) {
      tokens_.push_back({p, p + 1});
      ++p;
      continue;
    }
    size_t q = p + len;
    while (q < e) {
      if (plain[static_cast<unsigned char>(s[q])] != 0) {
        ++q;
        continue;
      }
      int qlen;
      if (SpaceAt(s + q, end, &qlen)) break;
      const char c = s[q];
      if (IsNonWordChar(c)) break;
      if ((c == '.' || c == '-') && MultiCharLen(s, q, e) != 0) break;
      if (c == ',') {
        if (q + 1 == e) break;
        int nlen;
        if (SpaceAt(s + q + 1, end, &nlen) || IsNonWordChar(s[q + 1]) ||
            MultiCharLen(s, q + 1, e) != 0) {
          break;
        }
      }
      q += qlen;
    }
    tokens_.push_back({p, q});
    p = q;
  }
}

bool PunktSentenceSplitter::ContainsSentbreak(std::string_view context) {
  tokens_.clear();
  size_t line_begin = 0;
  while (line_begin <= context.size()) {
    size_t line_end = context.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = context.size();
    TokenizeLine(context, line_begin, line_end);
    line_begin = line_end + 1;
  }
  for (size_t k = 0; k + 1 < tokens_.size(); ++k) {
    const std::string_view tok =
        context.substr(tokens_[k].begin, tokens_[k].end - tokens_[k].begin);
    const std::string_view next = context.substr(
        tokens_[k + 1].begin, tokens_[k + 1].end - tokens_[k + 1].begin);
    if (IsSentenceBreak(tok, next)) return true;
  }
  return false;
}

void PunktSentenceSplitter::Split(
    std::string_view text, std::vector<std::pair<size_t, size_t>>* spans) {
  spans->clear();
  slices_.clear();
  const char* s = text.data();
  const size_t n = text.size();
  const char* end = s + n;

  size_t last_break = 0;
  // A candidate followed by whitespace has the period context up to the
  // end of the next word, which is only found when needed.
  constexpr size_t kNextWordEnd = ~size_t{0};
  auto decide = [&](size_t pos, size_t after_end, bool has_next,
                    size_t next_tok, size_t word_start) {
    const int fast = fast_paths_ ? FastContainsSentbreak(text, word_start, pos,
                                                         has_next, next_tok)
                                 : -1;
    if (fast == -1 && after_end == kNextWordEnd) {
      after_end = next_tok;
      int len;
      while (after_end < n && !SpaceAt(s + after_end, end, &len)) {
        after_end += len;
      }
    }
    if (fast == 1 ||
        (fast == -1 &&
         ContainsSentbreak(text.substr(word_start, after_end - word_start)))) {
      slices_.emplace_back(last_break, pos + 1);
      last_break = has_next ? next_tok : pos + 1;
    }
  };

  bool have_prev = false;
  size_t prev_pos = 0, prev_after_end = 0, prev_next_tok = 0;
  bool prev_has_next = false;
  size_t prev_slice_start = 0, prev_slice_stop = 0;

  for (size_t p = FindEndChar(s, 0, n); p < n;
       p = FindEndChar(s, p + 1, n)) {
    const size_t q = p + 1;
    if (q >= n) break;
    size_t after_end;
    size_t next_tok = 0;
    bool has_next = false;
    int len;
    if (IsNonWordChar(s[q])) {
      after_end = q + 1;
    } else if (SpaceAt(s + q, end, &len)) {
      const size_t r = SkipSpaces(s, q + len, n);
      if (r >= n) continue;
      next_tok = r;
      has_next = true;
      after_end = kNextWordEnd;
    } else {
      continue;
    }
    // The word before the candidate starts after the last ASCII whitespace
    // since the previous candidate; an index of 0 counts as "none", as in
    // _get_last_whitespace_index.
    const size_t last_space = LastAsciiWhitespace(s, prev_slice_stop, p);
    const size_t rel = last_space != p ? last_space - prev_slice_stop : 0;
    const size_t word_start =
        rel != 0 ? prev_slice_stop + rel + 1 : prev_slice_start;
    if (have_prev && prev_slice_stop <= word_start) {
      decide(prev_pos, prev_after_end, prev_has_next, prev_next_tok,
             prev_slice_start);
    }
    have_prev = true;
    prev_pos = p;
    prev_after_end = after_end;
    prev_has_next = has_next;
    prev_next_tok = next_tok;
    prev_slice_start = word_start;
    prev_slice_stop = p;
  }
  if (have_prev) {
    decide(prev_pos, prev_after_end, prev_has_next, prev_next_tok,
           prev_slice_start);
  }
  size_t stripped = n;
  while (stripped > 0) {
    int len;
    const char32_t cp = DecodeUtf8Backward(s, s + stripped, &len);
    if (!IsPySpace(cp)) break;
    stripped -= len;
  }
  slices_.emplace_back(last_break, stripped);

  // realign_boundaries: a run of closing quotes/brackets that starts the
  // next sentence and is followed by whitespace, "--" or the sentence end
  // belongs to the previous sentence.
  size_t realign = 0;
  const size_t count = slices_.size();
  for (size_t k = 0; k < count; ++k) {
    const size_t s1_begin = slices_[k].first + realign;
    const size_t s1_end = slices_[k].second;
    if (k + 1 == count) {
      if (s1_begin < s1_end) spans->emplace_back(s1_begin, s1_end);
      continue;
    }
    const size_t s2_begin = slices_[k + 1].first;
    const size_t s2_end = slices_[k + 1].second;
    size_t j = s2_begin;
    while (j < s2_end && (s[j] == '"' || s[j] == '\'' || s[j] == ')' ||
                          s[j] == ']' || s[j] == '}')) {
      ++j;
    }
    bool matched = false;
    size_t match_end = j;
    if (j > s2_begin) {
      int len;
      const char* sub_end = s + s2_end;
      if (j == s2_end) {
        matched = true;
      } else if (SpaceAt(s + j, sub_end, &len)) {
        matched = true;
        match_end = j + len;
        while (match_end < s2_end && SpaceAt(s + match_end, sub_end, &len)) {
          match_end += len;
        }
      } else if (j + 1 < s2_end && s[j] == '-' && s[j + 1] == '-') {
        matched = true;
      }
    }
    if (matched) {
      spans->emplace_back(s1_begin, j);
      realign = match_end - s2_begin;
    } else {
      realign = 0;
      if (s1_begin < s1_end) spans->emplace_back(s1_begin, s1_end);
    }
  }
}

}  // namespace winnow::tokenize_internal
