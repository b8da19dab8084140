#include "tokenize/treebank.h"

#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tokenize/char_classes.h"
#include "tokenize/tokenizer.h"

namespace winnow::tokenize_internal {

namespace {

// Byte classes of pass 1. Every byte not listed is copied unchanged.
enum ByteClass : uint8_t {
  kPlain = 0,
  kPad,           // ; @ # $ % & ? ! * [ ] ( ) { } < >  always padded
  kDoubleQuote,   // "
  kSingleQuote,   // '
  kBacktick,      // `
  kPeriod,        // .
  kColonComma,    // : ,
  kDash,          // -
  kLeadC2,        // first byte of « and »
  kLeadE2,        // first byte of ‘ ’ “ ” „
};

struct ByteClassTable {
  uint8_t v[256];
  constexpr ByteClassTable() : v() {
    for (const char c : {';', '@', '#', '$', '%', '&', '?', '!', '*', '[', ']',
                         '(', ')', '{', '}', '<', '>'}) {
      v[static_cast<unsigned char>(c)] = kPad;
    }
    v['"'] = kDoubleQuote;
    v['\''] = kSingleQuote;
    v['`'] = kBacktick;
    v['.'] = kPeriod;
    v[':'] = kColonComma;
    v[','] = kColonComma;
    v['-'] = kDash;
    v[0xC2] = kLeadC2;
    v[0xE2] = kLeadE2;
  }
};
constexpr ByteClassTable kByteClass;

// Byte kinds of pass 2. The word kinds are the largest values, so that
// "is a word byte" is one comparison; Nul and MaybeSpace are adjacent, so
// that the rare piece ends are one test too.
enum PieceByte : uint8_t {
  kByteOther = 0,            // ASCII punctuation, non-ASCII bytes
  kByteQuote,                // '
  kByteNul,                  // '\0', also the sentinel after the text
  kByteMaybeSpace,           // may start a non-ASCII whitespace character
  kByteSpace,                // ASCII whitespace
  kByteWord,                 // [0-9A-Za-z_]
  kByteContractionStart,     // [cdglmwCDGLMW]
};
static_assert(kByteContractionStart > kByteWord && kByteWord > kByteSpace);
static_assert(kByteMaybeSpace == kByteNul + 1);
// Marks, in a byte-kind table, ASCII whitespace as `space`, word bytes as
// `word` and the first letters of the MacIntyre contractions (either case)
// as `contraction_start`: the kinds both scans share.
constexpr void MarkSpaceAndWordBytes(uint8_t (&v)[256], uint8_t space,
                                     uint8_t word, uint8_t contraction_start) {
  for (int c = 0; c < 0x80; ++c) {
    if (kAsciiProps[c] & kAsciiSpace) v[c] = space;
    if (kAsciiProps[c] & kAsciiWord) v[c] = word;
  }
  for (const char c : {'c', 'd', 'g', 'l', 'm', 'w'}) {
    v[static_cast<unsigned char>(c)] = contraction_start;
    v[static_cast<unsigned char>(c - 0x20)] = contraction_start;
  }
}

struct PieceByteTable {
  uint8_t v[256];
  constexpr PieceByteTable() : v() {
    MarkSpaceAndWordBytes(v, kByteSpace, kByteWord, kByteContractionStart);
    v['\''] = kByteQuote;
    v[0] = kByteNul;
    v[0xC2] = v[0xE1] = v[0xE2] = v[0xE3] = kByteMaybeSpace;
  }
};
constexpr PieceByteTable kPieceByte;

// memcpy out of line (tokens over 16 bytes are rare).
[[gnu::noinline]] void CopyLong(const char* from, size_t len, char* to) {
  std::memcpy(to, from, len);
}

// Byte kinds of the fused pass (TokenizeFused), which pads and splits in
// one scan of the original text. As in kPieceByte, the word kinds are the
// largest values.
enum FusedByte : uint8_t {
  kFusedOther = 0,   // stays in its piece: ASCII symbols not below, NUL,
                     // non-ASCII bytes other than the leads below
  kFusedPad,         // ; @ # $ % & ? ! * [ ] ( ) { } < >  a token of its own
  kFusedPeriod,      // .
  kFusedColonComma,  // : ,
  kFusedDash,        // -
  kFusedLead,        // 0xC2 0xE1 0xE2 0xE3: whitespace, « » ‘ ’ “ ” „ or other
  kFusedQuote,       // " ' `
  kFusedSpace,       // ASCII whitespace
  kFusedWord,        // [0-9A-Za-z_]
  kFusedContractionStart,  // [cdglmwCDGLMW]
};
static_assert(kFusedContractionStart > kFusedWord &&
              kFusedWord > kFusedSpace);
struct FusedByteTable {
  uint8_t v[256];
  constexpr FusedByteTable() : v() {
    MarkSpaceAndWordBytes(v, kFusedSpace, kFusedWord, kFusedContractionStart);
    for (const char c : {';', '@', '#', '$', '%', '&', '?', '!', '*', '[', ']',
                         '(', ')', '{', '}', '<', '>'}) {
      v[static_cast<unsigned char>(c)] = kFusedPad;
    }
    v['.'] = kFusedPeriod;
    v[':'] = v[','] = kFusedColonComma;
    v['-'] = kFusedDash;
    v['"'] = v['\''] = v['`'] = kFusedQuote;
    v[0xC2] = v[0xE1] = v[0xE2] = v[0xE3] = kFusedLead;
  }
};
constexpr FusedByteTable kFusedByte;

#if defined(__SSE2__)
// Bit i set when p[i] is a word byte ([0-9A-Za-z_]), for the 16 bytes at p.
inline unsigned WordByteMask16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // 'a'..'z' (after folding case) and '0'..'9' moved to the lowest signed
  // bytes, so that one comparison tests each range.
  const __m128i letter = _mm_cmplt_epi8(
      _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
                   _mm_set1_epi8(static_cast<char>(0x80 - 'a'))),
      _mm_set1_epi8(static_cast<char>(0x80 + 26)));
  const __m128i digit = _mm_cmplt_epi8(
      _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - '0'))),
      _mm_set1_epi8(static_cast<char>(0x80 + 10)));
  const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  return static_cast<unsigned>(_mm_movemask_epi8(word));
}

// Bit i set when p[i] is a word byte, for the 64 bytes at p.
inline uint64_t WordByteMask64(const char* p) {
  return uint64_t{WordByteMask16(p)} | uint64_t{WordByteMask16(p + 16)} << 16 |
         uint64_t{WordByteMask16(p + 32)} << 32 |
         uint64_t{WordByteMask16(p + 48)} << 48;
}
#endif

// The NUL bytes TokenizeFused's copy of its text has after the text: the
// scan reads up to 64 bytes from a position in the text.
constexpr size_t kFusedPadding = 64;

inline unsigned char At(const char* s, size_t i) {
  return static_cast<unsigned char>(s[i]);
}

// Copies the run of kPlain bytes that starts at s[i] (REQUIRES i < stop,
// s[i] plain) and ends at or before `stop` to w, and returns its end. May
// write up to 16 bytes past the end of the copy.
inline size_t CopyPlain(const char* s, size_t i, size_t stop, char* w) {
  const size_t start = i;  // w[k - start] receives s[k]
#if defined(__SSE2__)
  // ASCII letters, digits, ' ' and '\n' are plain; other bytes are checked
  // with the table. Each block read is stored whole.
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i before_a = _mm_set1_epi8('a' - 1);
  const __m128i after_z = _mm_set1_epi8('z' + 1);
  const __m128i before_0 = _mm_set1_epi8('0' - 1);
  const __m128i after_9 = _mm_set1_epi8('9' + 1);
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i newline = _mm_set1_epi8('\n');
  while (i + 16 <= stop) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w + (i - start)), v);
    const __m128i folded = _mm_or_si128(v, lower);
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, before_a),
                                         _mm_cmplt_epi8(folded, after_z));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, before_0),
                                        _mm_cmplt_epi8(v, after_9));
    const __m128i plain = _mm_or_si128(
        _mm_or_si128(letter, digit),
        _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, newline)));
    const unsigned other =
        ~static_cast<unsigned>(_mm_movemask_epi8(plain)) & 0xFFFF;
    if (other == 0) {
      i += 16;
      continue;
    }
    i += static_cast<size_t>(__builtin_ctz(other));
    if (kByteClass.v[At(s, i)] != kPlain) return i;
    ++i;
  }
#endif
  while (i < stop && kByteClass.v[At(s, i)] == kPlain) {
    w[i - start] = s[i];
    ++i;
  }
  return i;
}

// Returns the byte length of the whitespace character at p, or 0.
inline int SpaceLen(const char* p, const char* end) {
  int len;
  return SpaceAt(p, end, &len) ? len : 0;
}

// « “ ‘ „ ending at s[i-1]: characters that the first starting-quote rule
// pads, so that whatever follows them is preceded by a space.
inline bool OpeningQuoteEndsAt(const char* s, size_t i) {
  const unsigned char c = At(s, i - 1);
  if (c == 0xAB) return i >= 2 && At(s, i - 2) == 0xC2;
  if (c == 0x98 || c == 0x9C || c == 0x9E) {
    return i >= 3 && At(s, i - 2) == 0x80 && At(s, i - 3) == 0xE2;
  }
  return false;
}

// Whether a '"' or "''" at s[i] (i >= 1) is preceded, after the first three
// starting-quote rules, by one of ' ' ( [ { < (so the fourth rule turns it
// into ``).
inline bool OpensQuote(const char* s, size_t i) {
  switch (s[i - 1]) {
    case ' ':
    case '(':
    case '[':
    case '{':
    case '<':
    case '`':
      return true;
    case '"':
      return i == 1;  // a leading '"' became `` and was padded
    default:
      return OpeningQuoteEndsAt(s, i);
  }
}

// The rule (?i)(')(?!re|ve|ll|m|t|s|d|n)(\w)\b applied to the quote at
// s[i]: a quote followed by exactly one word character.
bool SplitsBeforeSingleLetter(const char* s, size_t i, size_t n) {
  if (i + 1 >= n) return false;
  int len;
  const char32_t x = DecodeUtf8(s + i + 1, s + n, &len);
  if (!IsPyWord(x)) return false;
  switch (x) {
    case 'm':
    case 't':
    case 's':
    case 'd':
    case 'n':
    case 'M':
    case 'T':
    case 'S':
    case 'D':
    case 'N':
    case 0x17F:  // LATIN SMALL LETTER LONG S matches 's' under IGNORECASE
      return false;
    default:
      break;
  }
  const size_t k = i + 1 + len;
  if (k < n && IsPyWord(DecodeUtf8(s + k, s + n, &len))) return false;
  return true;
}

// Case-insensitive match of `lit` (lowercase ASCII and '\'') at piece[pos],
// with Python's IGNORECASE equivalences for the letters used (i ~ İ ı,
// s ~ ſ). Returns the end offset or npos.
size_t MatchLiteral(std::string_view piece, size_t pos, const char* lit) {
  const char* s = piece.data();
  const size_t n = piece.size();
  for (; *lit != '\0'; ++lit) {
    if (pos >= n) return std::string_view::npos;
    const unsigned char c = At(s, pos);
    if (c < 0x80) {
      if (*lit == '\'') {
        if (c != '\'') return std::string_view::npos;
      } else if ((c | 0x20) != static_cast<unsigned char>(*lit)) {
        return std::string_view::npos;
      }
      ++pos;
      continue;
    }
    int len;
    const char32_t cp = DecodeUtf8(s + pos, s + n, &len);
    if ((*lit == 'i' && (cp == 0x130 || cp == 0x131)) ||
        (*lit == 's' && cp == 0x17F)) {
      pos += len;
      continue;
    }
    return std::string_view::npos;
  }
  return pos;
}

inline bool WordAt(std::string_view piece, size_t pos) {
  if (pos >= piece.size()) return false;
  int len;
  return IsPyWord(
      DecodeUtf8(piece.data() + pos, piece.data() + piece.size(), &len));
}

inline bool WordBefore(std::string_view piece, size_t pos) {
  if (pos == 0) return false;
  int len;
  return IsPyWord(DecodeUtf8Backward(piece.data(), piece.data() + pos, &len));
}

// CONTRACTIONS2, in NLTK's order: (first part, second part); the last one
// requires whitespace after it instead of a word boundary.
struct Contraction {
  const char* first;
  const char* second;
};
constexpr Contraction kContractions[] = {
    {"can", "not"}, {"d", "'ye"}, {"gim", "me"},  {"gon", "na"},
    {"got", "ta"},  {"lem", "me"}, {"more", "'n"}, {"wan", "na"},
};
constexpr size_t kWannaIndex = 7;

// If contraction `k` matches at word start `pos`, returns true and sets
// *mid and *end. `piece` may extend past the current piece into the
// whitespace that follows it.
bool MatchContraction(std::string_view piece, size_t pos, size_t k,
                      size_t* mid, size_t* end) {
  const size_t m = MatchLiteral(piece, pos, kContractions[k].first);
  if (m == std::string_view::npos) return false;
  const size_t e = MatchLiteral(piece, m, kContractions[k].second);
  if (e == std::string_view::npos) return false;
  if (k == kWannaIndex) {
    int len;
    if (e != piece.size() &&
        !SpaceAt(piece.data() + e, piece.data() + piece.size(), &len)) {
      return false;
    }
  } else if (WordAt(piece, e)) {
    return false;
  }
  *mid = m;
  *end = e;
  return true;
}

// CONTRACTIONS3: " 'tis" and " 'twas" (the leading space is checked by the
// caller). Returns the end offset or npos.
size_t MatchTwas(std::string_view piece, size_t pos, const char* rest) {
  size_t e = MatchLiteral(piece, pos, "'t");
  if (e == std::string_view::npos) return e;
  e = MatchLiteral(piece, e, rest);
  if (e == std::string_view::npos || WordAt(piece, e)) {
    return std::string_view::npos;
  }
  return e;
}

// The first two bytes of the CONTRACTIONS2 first parts, as a bit table for
// a test without a branch on the first byte: bit (c & 63) of v[d | 0x20]
// is set when c is one of [cdglmwCDGLMW] and d (ORed with 0x20) is a second
// byte MayStartContractionPrefix lets through with it ('a' after c and w,
// '\'' after d, 'i', 'o' or 0xC4 | 0x20 after g, 'e' after l, 'o' after m).
// Among the word bytes ([0-9A-Za-z_]) only '7' shares its six low bits with
// one of those letters ('w').
struct ContractionPairTable {
  uint64_t v[256];
  constexpr ContractionPairTable() : v() {
    const auto set = [this](char first, int second) {
      const uint64_t bits =
          uint64_t{1} << (static_cast<unsigned char>(first) & 63) |
          uint64_t{1} << ((static_cast<unsigned char>(first) - 0x20) & 63);
      v[second] |= bits;
    };
    set('c', 'a');
    set('w', 'a');
    set('d', '\'');
    set('g', 'i');
    set('g', 'o');
    set('g', 0xC4 | 0x20);
    set('l', 'e');
    set('m', 'o');
  }
};
constexpr ContractionPairTable kContractionPair;

// Whether one of CONTRACTIONS2 matches at the start of `rest`, assuming a
// word boundary before it.
bool MayStartContraction(std::string_view rest) {
  if (rest.size() < 4) return false;
  // Quick rejection on the second character (non-ASCII bytes pass: the 'i'
  // of "gimme" may be İ or ı).
  const unsigned char second = static_cast<unsigned char>(rest[1]) | 0x20;
  size_t mid, end;
  switch (rest[0] | 0x20) {
    case 'c':
    case 'w':
      if (second != 'a') return false;
      break;
    case 'd':
      if (rest[1] != '\'') return false;
      break;
    case 'g':
      if (second != 'i' && second != 'o' && second < 0x80) return false;
      break;
    case 'l':
      if (second != 'e') return false;
      break;
    case 'm':
      if (second != 'o') return false;
      break;
    default:
      return false;
  }
  switch (rest[0] | 0x20) {
    case 'c':
      return MatchContraction(rest, 0, 0, &mid, &end);
    case 'd':
      return MatchContraction(rest, 0, 1, &mid, &end);
    case 'g':
      return MatchContraction(rest, 0, 2, &mid, &end) ||
             MatchContraction(rest, 0, 3, &mid, &end) ||
             MatchContraction(rest, 0, 4, &mid, &end);
    case 'l':
      return MatchContraction(rest, 0, 5, &mid, &end);
    case 'm':
      return MatchContraction(rest, 0, 6, &mid, &end);
    case 'w':
      return MatchContraction(rest, 0, 7, &mid, &end);
    default:
      return false;
  }
}

// The four bytes at p, each ORed with 0x20 (ASCII letters folded to
// lowercase, '\'' unchanged), as a little-endian number.
inline uint32_t Folded4(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, 4);
  return x | 0x20202020u;
}
constexpr uint32_t Pack4(const char* s) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}

// False when no CONTRACTIONS2 match can start at p, whatever the bytes from
// p + 4 on (REQUIRES *p is one of [cdglmwCDGLMW] and p[0, 4) readable):
// every match starts with four bytes that fold to one of those below
// (MatchLiteral's only non-ASCII matches are the dotted and dotless i of
// "gim", whose first byte is 0xC4). Out of line, so that the scan keeps its
// registers.
[[gnu::noinline]] bool MayStartContractionPrefix(const char* p) {
  const uint32_t x = Folded4(p);
  bool may;
  switch (*p | 0x20) {
    case 'c':
      may = x == Pack4("cann");
      break;
    case 'd':
      may = x == Pack4("d'ye");
      break;
    case 'g':
      may = x == Pack4("gimm") || x == Pack4("gonn") || x == Pack4("gott") ||
            static_cast<unsigned char>(p[1]) == 0xC4;
      break;
    case 'l':
      may = x == Pack4("lemm");
      break;
    case 'm':
      may = x == Pack4("more");
      break;
    case 'w':
      may = x == Pack4("wann");
      break;
    default:
      may = true;
      break;
  }
  return may;
}

// Cheap test: could any contraction rule change `piece`?
bool MayHaveContraction(std::string_view piece) {
  const char* s = piece.data();
  const size_t n = piece.size();
  bool prev_word = false;
  size_t i = 0;
  while (i < n) {
    const unsigned char c = At(s, i);
    if (c < 0x80) {
      const bool word = (kAsciiProps[c] & kAsciiWord) != 0;
      if (word && !prev_word) {
        if (MayStartContraction(piece.substr(i))) return true;
      } else if (c == '\'' && i + 1 < n && (At(s, i + 1) | 0x20) == 't') {
        return true;
      }
      prev_word = word;
      ++i;
    } else {
      int len;
      prev_word = IsPyWord(DecodeUtf8(s + i, s + n, &len));
      i += len;
    }
  }
  return false;
}

// Where NLTK's final-period rule ([^.])(.)([]})>"'»”’ ]*)\s*$ applies.
struct FinalPeriod {
  size_t tail;         // start of the trailing whitespace
  size_t period;       // offset of the period, when `applies`
  bool applies;
};

// Finds the last period followed only by closing characters and whitespace.
FinalPeriod FindFinalPeriod(const char* s, size_t n) {
  size_t tail = n;  // start of trailing whitespace
  while (tail > 0) {
    const unsigned char last = At(s, tail - 1);
    if (last < 0x80) {
      if ((kAsciiProps[last] & kAsciiSpace) == 0) break;
      --tail;
      continue;
    }
    int len;
    if (!IsPySpace(DecodeUtf8Backward(s, s + tail, &len))) break;
    tail -= len;
  }
  size_t j = tail;
  while (j > 0) {
    const unsigned char c = At(s, j - 1);
    if (c == ']' || c == ')' || c == '}' || c == '>' || c == '"' ||
        c == '\'' || c == ' ') {
      --j;
    } else if (c == 0xBB && j >= 2 && At(s, j - 2) == 0xC2) {
      j -= 2;  // »
    } else if ((c == 0x9D || c == 0x99) && j >= 3 && At(s, j - 2) == 0x80 &&
               At(s, j - 3) == 0xE2) {
      j -= 3;  // ” ’
    } else {
      break;
    }
  }
  bool final_period = false;
  size_t period = 0;
  if (j >= 2 && s[j - 1] == '.' && s[j - 2] != '.') {
    period = j - 1;
    final_period = true;
    // A quote after a space in the closing run became `` earlier, which the
    // closing class does not include.
    for (size_t k = period + 1; k < tail; ++k) {
      if (s[k] == ' ' && k + 1 < n &&
          (s[k + 1] == '"' ||
           (s[k + 1] == '\'' && k + 2 < n && s[k + 2] == '\''))) {
        final_period = false;
        break;
      }
    }
  }
  return FinalPeriod{tail, period, final_period};
}

// Whether the single quote at s[i] is followed by a space when the rule
// ([^'])' <space> runs (after the starting-quote and most punctuation
// rules, before '*', brackets, dashes and ending quotes).
// The clitic rules of the second pass, which split a piece followed by a
// literal ' ':  ([^' ])('[sS]|'[mM]|'[dD]|') and then
// ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T). The letter of the first group's
// two-byte clitics:
inline bool IsShortCliticLetter(char c) {
  switch (c) {
    case 's':
    case 'S':
    case 'm':
    case 'M':
    case 'd':
    case 'D':
      return true;
    default:
      return false;
  }
}
// The second group's clitics.
inline bool IsLongClitic(std::string_view last3) {
  return last3 == "'ll" || last3 == "'LL" || last3 == "'re" ||
         last3 == "'RE" || last3 == "'ve" || last3 == "'VE" ||
         last3 == "n't" || last3 == "N'T";
}

bool SpaceAfterQuote(const char* s, size_t n, const FinalPeriod& fp,
                     size_t i) {
  if (fp.applies && i > fp.period) return i + 1 == fp.tail || s[i + 1] == ' ';
  if (i + 1 >= n) return false;
  const unsigned char c = At(s, i + 1);
  if (c == ' ') return true;
  if (fp.applies && i + 1 == fp.period) return true;
  if (SplitsBeforeSingleLetter(s, i, n)) return true;
  switch (c) {
    case '`':
    case ';':
    case '@':
    case '#':
    case '$':
    case '%':
    case '&':
    case '?':
    case '!':
      return true;
    case '.':
      return i + 2 < n && s[i + 2] == '.';
    case ':':
    case ',': {
      if (i + 2 >= n) return true;
      int len;
      return !IsPyDecimal(DecodeUtf8(s + i + 2, s + n, &len));
    }
    case 0xC2:
      return i + 2 < n && At(s, i + 2) == 0xAB;
    case 0xE2:
      return i + 3 < n && At(s, i + 2) == 0x80 &&
             (At(s, i + 3) == 0x98 || At(s, i + 3) == 0x9C ||
              At(s, i + 3) == 0x9E);
    default:
      return false;
  }
}

}  // namespace

void TreebankWordTokenizer::Pad(std::string_view text) {
  const char* s = text.data();
  const size_t n = text.size();
  // Worst case growth is '"' -> " '' " (4 bytes), plus the sentinel and
  // TokenList::kSlack readable bytes after it.
  const size_t need = 4 * n + 8 + TokenList::kSlack;
  if (padded_.size() < need) padded_.resize(need);
  char* const out_begin = padded_.data();
  char* w = out_begin;

  const FinalPeriod fp = FindFinalPeriod(s, n);
  const size_t tail = fp.tail;
  const size_t period = fp.period;
  const bool final_period = fp.applies;
  const size_t stop = final_period ? tail : n;

  auto space_after_quote = [&](size_t i) {
    return SpaceAfterQuote(s, n, fp, i);
  };

  auto put3 = [&](char c) {
    w[0] = ' ';
    w[1] = c;
    w[2] = ' ';
    w += 3;
  };
  auto put4 = [&](const char* four) {
    std::memcpy(w, four, 4);
    w += 4;
  };

  bool consumed = false;  // s[i] was the second group of a ':'/',' match
  size_t i = 0;
  while (i < stop) {
    const unsigned char c = At(s, i);
    const bool was_consumed = consumed;
    consumed = false;
    switch (kByteClass.v[c]) {
      case kPlain: {
        // padded_ has room for the 16 bytes CopyPlain may write past the
        // copy: at most 4 * n + 8 bytes are written before them.
        const size_t e = CopyPlain(s, i, stop, w);
        w += e - i;
        i = e;
        break;
      }
      case kPad:
        put3(static_cast<char>(c));
        ++i;
        break;
      case kDoubleQuote:
        put4(i == 0 || OpensQuote(s, i) ? " `` " : " '' ");
        ++i;
        break;
      case kSingleQuote: {
        if (i > 0 && i + 1 < n && s[i + 1] == '\'' && OpensQuote(s, i)) {
          put4(" `` ");
          i += 2;
          break;
        }
        size_t e = i + 1;
        while (e < n && s[e] == '\'') ++e;
        const size_t run = e - i;
        if (run == 1) {
          if (space_after_quote(i)) *w++ = ' ';
          *w++ = '\'';
          if (SplitsBeforeSingleLetter(s, i, n)) *w++ = ' ';
        } else {
          for (size_t k = 0; k + 1 < run; k += 2) put4(" '' ");
          if (run % 2 == 1) {
            *w++ = '\'';
            if (SplitsBeforeSingleLetter(s, e - 1, n)) *w++ = ' ';
          }
        }
        i = e;
        break;
      }
      case kBacktick: {
        size_t e = i + 1;
        while (e < n && s[e] == '`') ++e;
        *w++ = ' ';
        size_t k = i;
        for (; k + 1 < e; k += 2) {
          w[0] = '`';
          w[1] = '`';
          w[2] = ' ';
          w += 3;
        }
        if (k < e) {
          w[0] = '`';
          w[1] = ' ';
          w += 2;
        }
        i = e;
        break;
      }
      case kPeriod: {
        if (final_period && i == period) {
          put3('.');
          ++i;
          break;
        }
        size_t e = i + 1;
        while (e < n && s[e] == '.') ++e;
        if (e - i >= 2) {
          *w++ = ' ';
          std::memcpy(w, s + i, e - i);
          w += e - i;
          *w++ = ' ';
        } else {
          *w++ = '.';
        }
        i = e;
        break;
      }
      case kColonComma: {
        int len;
        if (was_consumed ||
            (i + 1 < n && IsPyDecimal(DecodeUtf8(s + i + 1, s + n, &len)))) {
          *w++ = static_cast<char>(c);
        } else {
          put3(static_cast<char>(c));
          consumed = true;
        }
        ++i;
        break;
      }
      case kDash: {
        size_t e = i + 1;
        while (e < n && s[e] == '-') ++e;
        size_t k = i;
        for (; k + 1 < e; k += 2) put4(" -- ");
        if (k < e) *w++ = '-';
        i = e;
        break;
      }
      case kLeadC2:
        if (i + 1 < n && (At(s, i + 1) == 0xAB || At(s, i + 1) == 0xBB)) {
          w[0] = ' ';
          w[1] = s[i];
          w[2] = s[i + 1];
          w[3] = ' ';
          w += 4;
          i += 2;
        } else {
          *w++ = s[i++];
        }
        break;
      case kLeadE2:
        if (i + 2 < n && At(s, i + 1) == 0x80 &&
            (At(s, i + 2) == 0x98 || At(s, i + 2) == 0x99 ||
             At(s, i + 2) == 0x9C || At(s, i + 2) == 0x9D ||
             At(s, i + 2) == 0x9E)) {
          w[0] = ' ';
          std::memcpy(w + 1, s + i, 3);
          w[4] = ' ';
          w += 5;
          i += 3;
        } else {
          *w++ = s[i++];
        }
        break;
    }
  }
  if (final_period) *w++ = ' ';
  *w = '\0';
  padded_len_ = static_cast<size_t>(w - out_begin);
}

void TreebankWordTokenizer::EmitContractions(std::string_view piece,
                                             bool space_before,
                                             TokenList* out) {
  if (!MayHaveContraction(piece)) {
    out->Add(piece);
    return;
  }
  const size_t n = piece.size();
  cuts_.assign(n + 1, false);
  // CONTRACTIONS2, one pass per pattern.
  for (size_t k = 0; k < std::size(kContractions); ++k) {
    size_t i = 0;
    while (i < n) {
      size_t mid, end;
      if (WordAt(piece, i) && !WordBefore(piece, i) &&
          MatchContraction(piece, i, k, &mid, &end)) {
        cuts_[i] = cuts_[mid] = cuts_[end] = true;
        i = end;
      } else {
        ++i;
      }
    }
  }
  // CONTRACTIONS3: need a literal space before the quote.
  for (const char* rest : {"is", "was"}) {
    cuts_before_ = cuts_;
    size_t i = 0;
    while (i < n) {
      const bool space = i == 0 ? space_before : cuts_before_[i] != 0;
      size_t end;
      if (piece[i] == '\'' && space &&
          (end = MatchTwas(piece, i, rest)) != std::string_view::npos) {
        cuts_[i] = cuts_[i + 2] = cuts_[end] = true;
        i = end;
      } else {
        ++i;
      }
    }
  }
  size_t begin = 0;
  for (size_t i = 1; i <= n; ++i) {
    if (cuts_[i]) {
      if (i > begin) out->Add(piece.substr(begin, i - begin));
      begin = i;
    }
  }
  if (n > begin) out->Add(piece.substr(begin));
}

void TreebankWordTokenizer::EmitPiece(std::string_view piece,
                                      bool space_before, bool space_after,
                                      TokenList* out) {
  if (std::memchr(piece.data(), '\'', piece.size()) == nullptr) {
    EmitContractions(piece, space_before, out);
    return;
  }
  std::string_view main = piece;
  std::string_view clitic4, clitic5;
  bool main_space_after = space_after;
  const size_t n = piece.size();
  // ([^' ])('[sS]|'[mM]|'[dD]|') <space>
  if (space_after) {
    if (n >= 2 && piece[n - 1] == '\'' && piece[n - 2] != '\'') {
      main = piece.substr(0, n - 1);
    } else if (n >= 3 && piece[n - 2] == '\'' && piece[n - 3] != '\'' &&
               IsShortCliticLetter(piece[n - 1])) {
      main = piece.substr(0, n - 2);
    }
    clitic4 = piece.substr(main.size());
  }
  if (!clitic4.empty()) main_space_after = true;
  // ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) <space>
  if (main_space_after && main.size() >= 4 && main[main.size() - 4] != '\'') {
    const std::string_view last3 = main.substr(main.size() - 3);
    if (IsLongClitic(last3)) {
      clitic5 = last3;
      main = main.substr(0, main.size() - 3);
    }
  }
  EmitContractions(main, space_before, out);
  if (!clitic5.empty()) out->Add(clitic5);
  if (!clitic4.empty()) out->Add(clitic4);
}

TreebankWordTokenizer::BulkState TreebankWordTokenizer::EmitFusedSpecial(
    BulkState bulk, std::string_view piece, bool has_quote, bool may_contract,
    bool space_before, bool space_after, size_t rest, TokenList* out) {
  const size_t n = piece.size();
  if (has_quote && !may_contract && space_after && n >= 3) {
    // The common clitics: the piece's only quote starts 's 'm 'd (any
    // case), 'll 're 've (both letters of one case), or is the quote of n't
    // (N'T), so EmitPiece would cut there once (the rules need a character
    // other than a quote before the clitic, and 4 bytes before the cut for
    // the second group), and the part before the cut has no quote and no
    // contraction (the scan's pre-filter passed none of its word starts).
    const char* s = piece.data();
    const char* quote =
        static_cast<const char*>(std::memchr(s, '\'', n));
    size_t cut = 0;
    if (quote == s + n - 2 && IsShortCliticLetter(s[n - 1])) {
      cut = n - 2;
    } else if ((quote == s + n - 2 || quote == s + n - 3) && n >= 4 &&
               IsLongClitic(piece.substr(n - 3))) {
      cut = n - 3;  // n't with the quote at n - 2, the others at n - 3
    }
    if (cut != 0) {
      // The bulk has room: the piece's bytes were counted in it.
      std::memcpy(bulk.arena + bulk.used, s, n);
      bulk.used += cut;
      *bulk.bound++ = static_cast<uint32_t>(bulk.used);
      bulk.used += n - cut;
      *bulk.bound++ = static_cast<uint32_t>(bulk.used);
      return bulk;
    }
  }
  out->EndBulk(TokenList::Bulk{bulk.arena, bulk.used, bulk.bound});
  if (has_quote) {
    EmitPiece(piece, space_before, space_after, out);
  } else {
    // Without a quote only CONTRACTIONS2 can apply, and the whitespace
    // around the piece does not matter.
    EmitContractions(piece, /*space_before=*/false, out);
  }
  const TokenList::Bulk next = out->BeginBulk(2 * rest, rest + 1);
  return BulkState{next.arena, next.used, next.bound};
}

void TreebankWordTokenizer::TokenizeFused(std::string_view text,
                                          TokenList* out) {
  // The scan reads a copy of the text followed by kSlack NUL bytes (not
  // word bytes): a word's scan stops at the text's end without a bounds
  // test, and every token of up to kSlack bytes is copied as one block.
  const size_t n = text.size();
  static_assert(kFusedPadding >= TokenList::kSlack);
  if (text_copy_.size() < n + kFusedPadding) {
    text_copy_.resize(n + kFusedPadding);
  }
  char* const copy = text_copy_.data();
  std::memcpy(copy, text.data(), n);
  std::memset(copy + n, 0, kFusedPadding);
  const char* const s = copy;
  const char* const text_end = s + n;
  // FindFinalPeriod, with the common case of a text that ends in one
  // period inline.
  const FinalPeriod fp = n >= 2 && s[n - 1] == '.' && s[n - 2] != '.'
                             ? FinalPeriod{n, n - 1, true}
                             : FindFinalPeriod(s, n);
  // As in Pad: a final period drops the trailing whitespace.
  const char* const stop = s + (fp.applies ? fp.tail : n);
  const char* const period = fp.applies ? s + fp.period : nullptr;
  const auto kind_at = [](const char* q) {
    return kFusedByte.v[static_cast<unsigned char>(*q)];
  };
  // Every token is a non-empty run of the text's bytes, or `` or '' for
  // one or two quotes: at most 2 * n bytes in at most n tokens.
  TokenList::Bulk bulk = out->BeginBulk(2 * n, n + 1);
  char* arena = bulk.arena;
  size_t used = bulk.used;
  uint32_t* bound = bulk.bound;
  // Appends text[b, e) as one token.
  const auto add = [&](const char* b, const char* e)
                       __attribute__((always_inline)) {
    const size_t len = static_cast<size_t>(e - b);
    if (len <= TokenList::kSlack) {
      std::memcpy(arena + used, b, TokenList::kSlack);
    } else {
      CopyLong(b, len, arena + used);
    }
    used += len;
    *bound++ = static_cast<uint32_t>(used);
  };
  // Appends `` or ''.
  const auto add_two = [&](char c) __attribute__((always_inline)) {
    arena[used] = c;
    arena[used + 1] = c;
    used += 2;
    *bound++ = static_cast<uint32_t>(used);
  };
  // The piece being scanned is [start, p): Pad would copy it unchanged.
  // `special` says it may hold a contraction (kMayContract) or has a quote
  // (kHasQuote); then the second pass's EmitPiece splits it, which for a
  // quote needs to know whether a literal ' ' precedes and follows the
  // piece in the padded text. Before: the piece starts the text, or after a
  // space Pad inserts (start == pad_start), or after whitespace of the text,
  // whose last byte is start[-1].
  constexpr unsigned kMayContract = 1;
  constexpr unsigned kHasQuote = 2;
  const char* p = s;
  const char* start = s;
  const char* pad_start = s;
  unsigned special = 0;
  const char* consumed = nullptr;  // a ':' or ',' here stays unpadded
  // Ends the current piece at e (where Pad writes or copies whitespace;
  // space_after: that whitespace is ' ').
  const auto end_piece = [&](const char* e, bool space_after)
                             __attribute__((always_inline)) {
    if (e == start) return;
    if (special == 0) {
      add(start, e);
      return;
    }
    const bool space_before =
        start == pad_start || start == s || start[-1] == ' ';
    const BulkState next = EmitFusedSpecial(
        BulkState{arena, used, bound},
        std::string_view(start, static_cast<size_t>(e - start)),
        (special & kHasQuote) != 0, (special & kMayContract) != 0,
        space_before, space_after,
        static_cast<size_t>(text_end - e), out);
    arena = next.arena;
    used = next.used;
    bound = next.bound;
    special = 0;
  };
  // Starts a piece at e after a space Pad inserts.
  const auto start_after_pad = [&](const char* e)
                                   __attribute__((always_inline)) {
    start = e;
    pad_start = e;
  };
  // At a word start: the contraction pre-filters (p[0, 4) is readable:
  // the copy has NUL bytes after the text, which no contraction has).
  const auto word_start = [&]() __attribute__((always_inline)) {
    // One branch, rarely taken, on the first two bytes (p[1] is readable:
    // the text's copy ends in NUL bytes), before the exact pre-filter.
    const uint64_t firsts =
        kContractionPair.v[static_cast<unsigned char>(p[1]) | 0x20];
    if (((firsts >> (static_cast<unsigned char>(p[0]) & 63)) & 1) != 0 &&
        kind_at(p) == kFusedContractionStart &&
        MayStartContractionPrefix(p)) {
      special |= kMayContract;
    }
  };
  // Whitespace at p (p < stop): ends the piece and skips it.
  const auto skip_space = [&]() __attribute__((always_inline)) {
    end_piece(p, *p == ' ');
    do {
      ++p;
    } while (p < stop && kind_at(p) == kFusedSpace);
    start = p;
  };
  // After a token Pad pads (p == start): the ASCII whitespace that mostly
  // follows it is skipped here, as skip_space() would on the next turn
  // (ending the empty piece is a no-op), without going back through the
  // dispatch on the byte's kind.
  const auto skip_space_after_pad = [&]() __attribute__((always_inline)) {
    if (p < stop && kind_at(p) == kFusedSpace) {
      do {
        ++p;
      } while (p < stop && kind_at(p) == kFusedSpace);
      start = p;
    }
  };
  // Everything but words and ASCII whitespace at p (p < stop).
  const auto other = [&](uint8_t kind) __attribute__((always_inline)) {
    const size_t i = static_cast<size_t>(p - s);
    switch (kind) {
      case kFusedOther:
        ++p;
        break;
      case kFusedPad:
        end_piece(p, true);
        add(p, p + 1);
        start_after_pad(++p);
        break;
      case kFusedPeriod: {
        if (p == period) {
          end_piece(p, true);
          add(p, p + 1);
          start_after_pad(++p);
          break;
        }
        const char* e = p + 1;
        while (e < text_end && *e == '.') ++e;
        if (e - p >= 2) {
          end_piece(p, true);
          add(p, e);
          start_after_pad(e);
        }
        p = e;
        break;
      }
      case kFusedColonComma: {
        int len;
        if (p == consumed ||
            (p + 1 < text_end &&
             IsPyDecimal(DecodeUtf8(p + 1, text_end, &len)))) {
          ++p;
          break;
        }
        end_piece(p, true);
        add(p, p + 1);
        start_after_pad(++p);
        consumed = p;
        skip_space_after_pad();
        break;
      }
      case kFusedDash: {
        const char* e = p + 1;
        while (e < text_end && *e == '-') ++e;
        if (e - p >= 2) {
          end_piece(p, true);
          for (; e - p >= 2; p += 2) add(p, p + 2);
          start_after_pad(p);  // an odd last '-' starts the next piece
        }
        p = e;
        break;
      }
      case kFusedLead: {
        const int space = SpaceLen(p, text_end);
        if (space != 0) {
          end_piece(p, false);
          p += space;
          start = p;
          break;
        }
        // « » and ‘ ’ “ ” „ are padded, as in Pad.
        int quote = 0;
        if (At(p, 0) == 0xC2) {
          if (p + 1 < text_end && (At(p, 1) == 0xAB || At(p, 1) == 0xBB)) {
            quote = 2;
          }
        } else if (At(p, 0) == 0xE2 && p + 2 < text_end && At(p, 1) == 0x80 &&
                   (At(p, 2) == 0x98 || At(p, 2) == 0x99 ||
                    At(p, 2) == 0x9C || At(p, 2) == 0x9D ||
                    At(p, 2) == 0x9E)) {
          quote = 3;
        }
        if (quote == 0) {
          ++p;
          break;
        }
        end_piece(p, true);
        add(p, p + quote);
        p += quote;
        start_after_pad(p);
        break;
      }
      case kFusedSpace:
        skip_space();
        break;
      default:  // kFusedQuote
        if (*p == '"') {
          // " `` " or " '' ".
          end_piece(p, true);
          add_two(i == 0 || OpensQuote(s, i) ? '`' : '\'');
          start_after_pad(++p);
        } else if (*p == '`') {
          // " `` `` ` ": pairs, then a last odd one.
          const char* e = p + 1;
          while (e < text_end && *e == '`') ++e;
          end_piece(p, true);
          for (; e - p >= 2; p += 2) add(p, p + 2);
          if (p < e) add(p, e);
          start_after_pad(p = e);
        } else if (i > 0 && i + 1 < n && p[1] == '\'' && OpensQuote(s, i)) {
          // An opening '' becomes " `` ".
          end_piece(p, true);
          add_two('`');
          start_after_pad(p += 2);
        } else {
          const char* e = p + 1;
          while (e < text_end && *e == '\'') ++e;
          if (e - p == 1) {
            // One quote: a space before it, after it, or neither.
            if (SpaceAfterQuote(s, n, fp, i)) {
              end_piece(p, true);
              start_after_pad(p);
            }
            special |= kHasQuote;
            ++p;
            if (SplitsBeforeSingleLetter(s, i, n)) {
              end_piece(p, true);
              start_after_pad(p);
            }
          } else {
            // " '' " per pair, then an odd last quote starts a piece.
            end_piece(p, true);
            for (; e - p >= 2; p += 2) add(p, p + 2);
            start_after_pad(p);
            if (p < e) {
              special |= kHasQuote;
              p = e;
              if (SplitsBeforeSingleLetter(s, static_cast<size_t>(e - 1 - s),
                                           n)) {
                end_piece(p, true);
                start_after_pad(p);
              }
            }
          }
        }
        break;
    }
  };
#if defined(__SSE2__)
  // The word scan's window: bit i of window_word says whether window[i] is
  // a word byte, for i < 64 (the bytes do not change, so it stays valid).
  const char* window = s;
  uint64_t window_word = ~uint64_t{0};  // no end known at first
#endif
  while (p < stop) {
    uint8_t kind = kind_at(p);
    if (kind < kFusedWord) {
      other(kind);
      continue;
    }
    // The rest of the word (the NUL after the text ends it at the latest;
    // when a final period drops the text's trailing whitespace, s[stop - 1]
    // is not a word byte, so the word ends before `stop`).
#if defined(__SSE2__)
    // From a mask of the word bytes among 64 (the window), kept across
    // words and pieces while it covers the word's end. A plain word
    // followed by one ASCII whitespace byte and a word byte is appended
    // here, and the loop goes on with that word (a word byte is before
    // `stop`).
    // Bit i of word: p[i] is a word byte, for the bits of known.
    uint64_t word = 0;
    uint64_t known = 0;
    const size_t off = static_cast<size_t>(p - window);
    if (off < 64) {
      word = window_word >> off;
      known = ~uint64_t{0} >> off;
    }
    bool scanned = false;  // p is at the end of the word
    while (true) {
      word_start();
      uint64_t word_end = ~word & known;
      if (word_end == 0) {
        window = p;
        window_word = WordByteMask64(p);
        word = window_word;
        known = ~uint64_t{0};
        word_end = ~word;
        if (word_end == 0) break;
      }
      const unsigned k = static_cast<unsigned>(__builtin_ctzll(word_end));
      p += k;
      scanned = true;
      // Bit k + 1 of word (k < 64) says whether p[1] is a word byte.
      if (special != 0 || kind_at(p) != kFusedSpace ||
          ((word >> k) & 2) == 0) {
        break;
      }
      add(start, p);
      start = ++p;
      word >>= k + 1;  // k + 1 < 64: bit k + 1 was set
      known >>= k + 1;
      scanned = false;
    }
    if (!scanned)
#else
    word_start();
#endif
    {
      // Four bytes per step (p + k is only read when p + k - 1 is a word
      // byte).
      while (true) {
        if (kind_at(p + 1) < kFusedWord) {
          p += 1;
          break;
        }
        if (kind_at(p + 2) < kFusedWord) {
          p += 2;
          break;
        }
        if (kind_at(p + 3) < kFusedWord) {
          p += 3;
          break;
        }
        if (kind_at(p + 4) < kFusedWord) {
          p += 4;
          break;
        }
        p += 4;
      }
    }
    // The common case, ASCII whitespace after the word (then p < stop):
    // skip_space() inlined, without end_piece's empty piece test for a
    // plain word (calling skip_space() here costs 4.6 M instructions per
    // Reuters pass).
    if (kind_at(p) == kFusedSpace) {
      if (special == 0) {
        add(start, p);
      } else {
        end_piece(p, *p == ' ');
      }
      do {
        ++p;
      } while (p < stop && kind_at(p) == kFusedSpace);
      start = p;
    }
  }
  end_piece(p, true);
  out->EndBulk(TokenList::Bulk{arena, used, bound});
}

void TreebankWordTokenizer::Tokenize(std::string_view text, TokenList* out) {
  if (fast_paths_) {
    TokenizeFused(text, out);
    return;
  }
  Pad(text);
  SplitPadded(out);
}

void TreebankWordTokenizer::EmitSpecialPiece(const char* start,
                                             const char* stop,
                                             TokenList* out) {
  const char* const b = padded_.data();
  const char* const end = b + padded_len_;
  const bool space_before = start == b || start[-1] == ' ';
  const bool space_after = stop == end || *stop == ' ';
  EmitPiece(std::string_view(start, static_cast<size_t>(stop - start)),
            space_before, space_after, out);
}

void TreebankWordTokenizer::SplitPadded(TokenList* out) {
  const char* const b = padded_.data();
  const char* const end = b + padded_len_;
  // Pad() leaves a NUL sentinel at *end, so the loops below only compare
  // with `end` when they meet a NUL byte.
  const auto kind_at = [](const char* q) {
    return kPieceByte.v[static_cast<unsigned char>(*q)];
  };
  const char* p = b;
  // Pieces are separated by whitespace, so the padded text has at most
  // padded_len_ / 2 + 1 of them; their bytes are at most padded_len_.
  TokenList::Bulk bulk = out->BeginBulk(padded_len_, padded_len_ / 2 + 1);
  char* arena = bulk.arena;
  size_t used = bulk.used;
  uint32_t* bound = bulk.bound;
  // Invariant at the top of the loop: kind == kind_at(p).
  uint8_t kind = kind_at(p);
  while (true) {
    while (kind == kByteSpace) kind = kind_at(++p);
    if (kind == kByteNul || kind == kByteMaybeSpace) {
      if (kind == kByteNul && p == end) break;
      int len;
      if (kind == kByteMaybeSpace && (len = SpaceLen(p, end)) != 0) {
        p += len;
        kind = kind_at(p);
        continue;
      }
    }
    // One whitespace-free piece. Note the quotes, and words that could be
    // one of the MacIntyre contractions (checked exactly later). Each exit
    // leaves p on the whitespace or sentinel after the piece, with kind
    // describing it.
    const char* start = p;
    bool special = false;  // has a quote or may hold a contraction
    while (true) {
      // Here p starts a word or is not a word character.
      if (kind >= kByteWord) {
        if (kind == kByteContractionStart && !special) {
          special = MayStartContraction(
              std::string_view(p, static_cast<size_t>(end - p)));
        }
        // The rest of the word, four bytes per step (p + k is only read
        // when p + k - 1 is a word byte, so never past the sentinel).
        while (true) {
          if ((kind = kind_at(p + 1)) < kByteWord) {
            p += 1;
            break;
          }
          if ((kind = kind_at(p + 2)) < kByteWord) {
            p += 2;
            break;
          }
          if ((kind = kind_at(p + 3)) < kByteWord) {
            p += 3;
            break;
          }
          if ((kind = kind_at(p + 4)) < kByteWord) {
            p += 4;
            break;
          }
          p += 4;
        }
      } else {
        if (kind == kByteQuote) {
          special = true;
        } else if (kind == kByteMaybeSpace) {
          if (SpaceLen(p, end) != 0) break;
        } else if (kind == kByteNul && p == end) {
          break;
        }
        kind = kind_at(++p);
      }
      if (kind == kByteSpace) break;
    }
    const std::string_view piece(start, static_cast<size_t>(p - start));
    if (!special) {
      // Add(piece); padded_ keeps kSlack bytes after `end`.
      if (piece.size() <= TokenList::kSlack) {
        std::memcpy(arena + used, piece.data(), TokenList::kSlack);
      } else {
        std::memcpy(arena + used, piece.data(), piece.size());
      }
      used += piece.size();
      *bound++ = static_cast<uint32_t>(used);
      continue;
    }
    // EmitPiece adds to the list itself.
    out->EndBulk(TokenList::Bulk{arena, used, bound});
    EmitSpecialPiece(start, p, out);
    const size_t rest = static_cast<size_t>(end - p);
    bulk = out->BeginBulk(rest, rest / 2 + 1);
    arena = bulk.arena;
    used = bulk.used;
    bound = bulk.bound;
  }
  out->EndBulk(TokenList::Bulk{arena, used, bound});
}

}  // namespace winnow::tokenize_internal
