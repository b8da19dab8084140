#include "dedup/simplify.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dedup/ascii_block.h"
#include "tokenize/char_classes.h"

namespace winnow::dedup {
namespace {

using tokenize_internal::DecodeUtf8;
using tokenize_internal::DecodeUtf8Backward;
using tokenize_internal::IsPySpace;
using tokenize_internal::kInvalidCodePoint;

// Class of an ASCII byte after lowercasing (steps 1-4).
enum AsciiClass : uint8_t {
  kContent = 0,  // kept as is
  kUpper,        // kept, lowercased
  kDigit,        // starts a number
  kBreak,        // punctuation or whitespace: becomes a separator
};

struct AsciiTable {
  uint8_t cls[128] = {};
  bool nltk_special[128] = {};
  constexpr AsciiTable() {
    for (int c = 0; c < 0x20; ++c) cls[c] = kBreak;  // controls and \t \n
    cls[0x7F] = kBreak;
    cls[' '] = kBreak;
    for (int c = 'A'; c <= 'Z'; ++c) cls[c] = kUpper;
    for (int c = '0'; c <= '9'; ++c) cls[c] = kDigit;
    for (char c : std::string_view("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")) {
      cls[static_cast<unsigned char>(c)] = kBreak;
      nltk_special[static_cast<unsigned char>(c)] = true;
    }
  }
};
constexpr AsciiTable kAscii;

utf8proc_category_t Category(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

bool IsDecimal(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return cp != kInvalidCodePoint && Category(cp) == UTF8PROC_CATEGORY_ND;
}

// Non-ASCII characters of datatrove's PUNCTUATION string (utils/text.py).
bool IsNonAsciiPunctuation(char32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F) return true;
  switch (cp) {
    case 0xAB:
    case 0xB4:
    case 0xBB:
    case 0x2013:
    case 0x2014:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2026:
    case 0x2236:
    case 0x2501:
    case 0x25BA:
    case 0x3001:
    case 0x3002:
    case 0x3008:
    case 0x3009:
    case 0x300A:
    case 0x300B:
    case 0x300C:
    case 0x300D:
    case 0x3010:
    case 0x3011:
    case 0xFF01:
    case 0xFF05:
    case 0xFF08:
    case 0xFF09:
    case 0xFF0C:
    case 0xFF0E:
    case 0xFF11:
    case 0xFF1A:
    case 0xFF1B:
    case 0xFF1F:
    case 0xFF5E:
      return true;
    default:
      return false;
  }
}

bool IsNumberSeparator(char32_t cp) {
  return cp == '.' || cp == ',' || cp == 0x060C || cp == 0x066B ||
         (cp >= 0x2396 && cp <= 0x2398);
}

// Unicode Case_Ignorable: Mn Me Cf Lm Sk plus Word_Break MidLetter,
// MidNumLet and Single_Quote.
bool IsCaseIgnorable(char32_t cp) {
  if (cp == kInvalidCodePoint) return false;
  switch (cp) {
    case 0x27:
    case 0x2E:
    case 0x3A:
    case 0xB7:
    case 0x387:
    case 0x55F:
    case 0x5F4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xFE13:
    case 0xFE52:
    case 0xFE55:
    case 0xFF07:
    case 0xFF0E:
    case 0xFF1A:
      return true;
    default:
      break;
  }
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_SK:
      return true;
    default:
      return false;
  }
}

// Unicode Cased: Lu Ll Lt, Other_Lowercase/Other_Uppercase (approximated by
// "has a case mapping", plus the two Other_Lowercase letters of Latin-1).
bool IsCased(char32_t cp) {
  if (cp == kInvalidCodePoint) return false;
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
      return true;
    default:
      break;
  }
  if (cp == 0xAA || cp == 0xBA) return true;
  const auto c = static_cast<utf8proc_int32_t>(cp);
  return utf8proc_tolower(c) != c || utf8proc_toupper(c) != c;
}

// Python's Final_Sigma test for the capital sigma at text[pos, pos + 2).
bool IsFinalSigma(std::string_view text, size_t pos) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const char* p = begin + pos;
  char32_t before = kInvalidCodePoint;
  bool found = false;
  while (p > begin) {
    int len;
    before = DecodeUtf8Backward(begin, p, &len);
    p -= len;
    if (!IsCaseIgnorable(before)) {
      found = true;
      break;
    }
  }
  if (!found || !IsCased(before)) return false;
  p = begin + pos + 2;
  while (p < end) {
    int len;
    const char32_t after = DecodeUtf8(p, end, &len);
    p += len;
    if (!IsCaseIgnorable(after)) return !IsCased(after);
  }
  return true;
}

// Returns the end of the number that starts at text[i] (a decimal digit).
size_t NumberEnd(std::string_view text, size_t i) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto skip_digits = [&](size_t at) {
    while (at < text.size()) {
      int len;
      const char32_t cp = DecodeUtf8(begin + at, end, &len);
      if (!IsDecimal(cp)) break;
      at += static_cast<size_t>(len);
    }
    return at;
  };
  i = skip_digits(i);
  if (i < text.size()) {
    int len;
    const char32_t sep = DecodeUtf8(begin + i, end, &len);
    if (IsNumberSeparator(sep)) {
      const size_t after_sep = i + static_cast<size_t>(len);
      if (after_sep < text.size()) {
        int len2;
        if (IsDecimal(DecodeUtf8(begin + after_sep, end, &len2))) {
          return skip_digits(after_sep);
        }
      }
    }
  }
  return i;
}

// Steps 1 and 3-5 for one BMP code point, precomputed: what a character
// contributes when it is not part of a number and needs no context.
struct BmpEntry {
  enum Kind : uint8_t { kBytes, kSeparator, kDigitStart, kSlow };
  uint8_t kind = kSlow;
  uint8_t len = 0;      // output bytes (kBytes; may be 0 for Mn)
  uint8_t special = 0;  // bit 0: ASCII punctuation, bit 1: U+2018
  char bytes[9] = {};
};

class BmpTable {
 public:
  BmpTable() : entries_(0x10000) {
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) Fill(cp, &entries_[cp]);
  }
  const BmpEntry& operator[](char32_t cp) const { return entries_[cp]; }

 private:
  static void Fill(char32_t cp, BmpEntry* e) {
    if (cp >= 0xD800 && cp <= 0xDFFF) return;  // never decoded
    if (cp == 0x130 || cp == 0x3A3) return;    // context or special casing
    if (IsDecimal(cp)) {
      e->kind = BmpEntry::kDigitStart;
      return;
    }
    const auto lower = static_cast<char32_t>(
        utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
    if (lower < 0x80) {
      if (kAscii.cls[lower] == kBreak) {
        e->kind = BmpEntry::kSeparator;
      } else {
        e->kind = BmpEntry::kBytes;
        e->len = 1;
        e->bytes[0] = static_cast<char>(lower);
      }
      return;
    }
    if (IsNonAsciiPunctuation(lower) || IsPySpace(lower)) {
      e->kind = BmpEntry::kSeparator;
      return;
    }
    utf8proc_int32_t decomposed[8];
    utf8proc_int32_t boundclass = 0;
    const utf8proc_ssize_t n =
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(lower),
                                decomposed, 8, UTF8PROC_DECOMPOSE, &boundclass);
    if (n <= 0 || n > 8) return;
    char buf[64];
    size_t len = 0;
    uint8_t special = 0;
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      const auto d = static_cast<char32_t>(decomposed[k]);
      if (d < 0x80) {
        special |= kAscii.nltk_special[d] ? 1 : 0;
        buf[len++] = static_cast<char>(d);
        continue;
      }
      if (Category(d) == UTF8PROC_CATEGORY_MN) continue;
      special |= d == 0x2018 ? 2 : 0;
      len += static_cast<size_t>(utf8proc_encode_char(
          decomposed[k], reinterpret_cast<utf8proc_uint8_t*>(buf + len)));
    }
    if (len > sizeof(e->bytes)) return;  // kSlow
    e->kind = BmpEntry::kBytes;
    e->len = static_cast<uint8_t>(len);
    e->special = special;
    std::memcpy(e->bytes, buf, len);
  }
  std::vector<BmpEntry> entries_;
};

const BmpTable& Bmp() {
  static const BmpTable* table = new BmpTable();
  return *table;
}

}  // namespace

void SimplifyText(std::string_view text, std::string* out, SimplifyInfo* info) {
  // Output bytes never exceed 4x the input (the largest growth is a 3-byte
  // Hangul syllable becoming three 3-byte jamo, plus a separator); ASCII
  // never grows. Room is reserved lazily: `cap` tracks the usable size.
  out->resize(text.size() + 64);
  char* w = out->data();
  size_t cap = out->size();
  size_t n_out = 0;
  auto ensure = [&](size_t extra) {
    if (n_out + extra > cap) {
      out->resize(std::max(2 * cap, n_out + extra));
      cap = out->size();
      w = out->data();
    }
  };
  const BmpTable& bmp = Bmp();
  bool special = false;
  bool left_quote = false;
  bool pending_space = false;  // a separator is owed before the next char
  bool started = false;        // the text after step 4 is not empty
  auto begin_char = [&]() {
    if (pending_space && started) w[n_out++] = ' ';
    pending_space = false;
    started = true;
  };
  const char* data = text.data();
  const char* end = data + text.size();
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const auto b = static_cast<unsigned char>(data[i]);
    if (b < 0x80) {
      const uint8_t cls = kAscii.cls[b];
      if (cls <= kUpper) {
        // A run of ASCII letters and other kept bytes: the output of a run
        // is never longer than the run, and the input is never shorter than
        // what is left of the buffer's ASCII allowance.
        ensure(size - i + 17);  // + 16: the block loop stores whole blocks
        begin_char();
        // Local pointers: stores through char* could alias the counters.
        const char* src = data + i;
        char* dst = w + n_out;
#ifdef __SSE2__
        // 16 bytes at a time while the text is letters and single spaces
        // (the common case): letters are lowercased, a space between two
        // letters is copied, a space at the end of the block becomes the
        // pending separator. Anything else ends the block there and the
        // byte loops below take over, so the output is the same.
        while (src + 16 <= end) {
          const auto block = dedup_internal::LowerPlainBlock(
              src, dst, [](__m128i, unsigned letters, unsigned spaces) {
                return ~(letters | spaces) & 0xFFFFu;
              });
          src += block.len;
          dst += block.len - (block.ends_in_space ? 1 : 0);
          pending_space = block.ends_in_space;
          if (block.len < 16 || src >= end) break;
          const auto next = static_cast<unsigned char>(*src);
          if (next >= 0x80 || kAscii.cls[next] > kUpper) break;
          // The next block starts a letter run: owe its separator.
          if (pending_space) *dst++ = ' ';
          pending_space = false;
        }
        if (pending_space) {
          // The block ended in a space: the run is over.
          n_out = static_cast<size_t>(dst - w);
          i = static_cast<size_t>(src - data);
          continue;
        }
#endif
        while (src < end) {
          const auto c = static_cast<unsigned char>(*src);
          if (c >= 0x80) break;
          const uint8_t k = kAscii.cls[c];
          if (k > kUpper) break;
          *dst++ = static_cast<char>(c + (k == kUpper ? ('a' - 'A') : 0));
          ++src;
        }
        n_out = static_cast<size_t>(dst - w);
        i = static_cast<size_t>(src - data);
      } else if (cls == kDigit) {
        ensure(2);
        begin_char();
        w[n_out++] = '0';
        i = NumberEnd(text, i);
      } else {
        pending_space = true;
        ++i;
      }
      continue;
    }
    ensure(1 + 8 * 4);
    int len;
    const char32_t cp = DecodeUtf8(data + i, end, &len);
    if (cp < 0x10000) {
      const BmpEntry& e = bmp[cp];
      if (e.kind == BmpEntry::kBytes) {
        begin_char();
        std::memcpy(w + n_out, e.bytes, sizeof(e.bytes));
        n_out += e.len;
        special |= (e.special & 1) != 0;
        left_quote |= (e.special & 2) != 0;
        i += static_cast<size_t>(len);
        continue;
      }
      if (e.kind == BmpEntry::kSeparator) {
        pending_space = true;
        i += static_cast<size_t>(len);
        continue;
      }
    }
    if (cp == kInvalidCodePoint) {
      begin_char();
      w[n_out++] = static_cast<char>(b);
      ++i;
      continue;
    }
    if (IsDecimal(cp)) {
      begin_char();
      w[n_out++] = '0';
      i = NumberEnd(text, i);
      continue;
    }
    char32_t lower;
    if (cp == 0x130) {
      lower = 'i';  // "i" + U+0307, and step 5 drops the U+0307
    } else if (cp == 0x3A3) {
      lower = IsFinalSigma(text, i) ? 0x3C2 : 0x3C3;
    } else {
      lower = static_cast<char32_t>(
          utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
    }
    i += static_cast<size_t>(len);
    if (lower < 0x80) {
      // Only U+212A KELVIN SIGN lowers to ASCII ('k').
      if (kAscii.cls[lower] == kBreak) {
        pending_space = true;
      } else {
        begin_char();
        w[n_out++] = static_cast<char>(lower);
      }
      continue;
    }
    if (IsNonAsciiPunctuation(lower) || IsPySpace(lower)) {
      pending_space = true;
      continue;
    }
    begin_char();
    utf8proc_int32_t decomposed[8];
    utf8proc_int32_t boundclass = 0;
    const utf8proc_ssize_t n =
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(lower),
                                decomposed, 8, UTF8PROC_DECOMPOSE, &boundclass);
    if (n <= 0 || n > 8) {
      n_out += static_cast<size_t>(
          utf8proc_encode_char(static_cast<utf8proc_int32_t>(lower),
                               reinterpret_cast<utf8proc_uint8_t*>(w + n_out)));
      continue;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      const auto d = static_cast<char32_t>(decomposed[k]);
      if (d < 0x80) {
        special |= kAscii.nltk_special[d];
        w[n_out++] = static_cast<char>(d);
        continue;
      }
      if (Category(d) == UTF8PROC_CATEGORY_MN) continue;
      left_quote |= d == 0x2018;
      n_out += static_cast<size_t>(utf8proc_encode_char(
          decomposed[k], reinterpret_cast<utf8proc_uint8_t*>(w + n_out)));
    }
  }
  size_t first = 0;
  while (first < n_out && w[first] == ' ') ++first;
  while (n_out > first && w[n_out - 1] == ' ') --n_out;
  out->resize(n_out);
  if (first > 0) out->erase(0, first);
  if (info != nullptr) {
    info->has_nltk_special = special;
    info->has_left_quote = left_quote;
  }
}

}  // namespace winnow::dedup
