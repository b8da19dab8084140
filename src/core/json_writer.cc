#include "core/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace winnow {

namespace {

// Whether a byte is escaped: the control characters, '"' and '\\' (a table:
// the byte loop over the ends of strings is hot).
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

// The second character of a two-character escape, by byte (0: none).
constexpr std::array<char, 256> kShortEscape = [] {
  std::array<char, 256> t{};
  t['"'] = '"';
  t['\\'] = '\\';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['\b'] = 'b';
  t['\f'] = 'f';
  return t;
}();

#ifdef __SSE2__
// Bit k set when byte k of the 16 at p needs escaping (< 0x20, '"', '\\').
inline unsigned EscapeMask16(const unsigned char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // c <= 0x1F (unsigned) iff min(c, 0x1F) == c.
  const __m128i bad = _mm_or_si128(
      _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  return static_cast<unsigned>(_mm_movemask_epi8(bad));
}
#endif

// Writes the escape of byte c (kNeedsEscape[c]) at d; returns its end.
inline char* WriteEscape(unsigned char c, char* d) {
  static const char kHex[] = "0123456789abcdef";
  d[0] = '\\';
  if (const char e = kShortEscape[c]; e != 0) {
    d[1] = e;
    return d + 2;
  }
  d[1] = 'u';
  d[2] = '0';
  d[3] = '0';
  d[4] = kHex[c >> 4];
  d[5] = kHex[c & 15];
  return d + 6;
}

// std::to_chars(v) for the values written most (scores and ratios rounded
// to at most four decimals), without its general shortest-digits search:
// when 0.01 <= |v| < 10000 and v is the double nearest k / 10^4 for an
// integer k, the shortest decimal that reads back as v is k / 10^4 with
// its trailing zeros dropped (distinct decimals of at most 15 significant
// digits are distinct doubles), and in that range the fixed notation is
// never longer than the scientific one, so to_chars picks it. Writes at p
// and returns the end, or nullptr when v is not such a value.
char* FourDecimals(double v, char* p) {
  const double a = std::fabs(v);
  if (!(a >= 0.01 && a < 10000.0)) return nullptr;
  const double scaled = std::nearbyint(a * 10000.0);
  if (scaled / 10000.0 != a) return nullptr;
  const auto k = static_cast<uint32_t>(scaled);  // below 10^8
  if (v < 0) *p++ = '-';
  p = std::to_chars(p, p + 8, k / 10000).ptr;
  uint32_t frac = k % 10000;
  if (frac == 0) return p;
  *p++ = '.';
  int digits = 4;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  for (int d = digits - 1; d >= 0; --d) {
    p[d] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return p + digits;
}

}  // namespace

// One pass through a pointer into the output, which is sized for the text
// plus some slack for escapes and grown (rarely: one escape per line or so is
// usual) when an escape would not fit; then cut to what was written.
// Writing through the pointer, 16 bytes at a time, avoids appending each run
// and each escape to the string.
void AppendJsonString(std::string_view s, std::string* out) {
  const size_t n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  // The longest escape (\u00XX) adds 5 bytes to its byte.
  constexpr size_t kMaxExtra = 5;
  const size_t old = out->size();
  out->resize(old + n + 2 + n / 8 + 2 * kMaxExtra);
  char* d = out->data() + old;
  char* end = out->data() + out->size();
  *d++ = '"';
  // Invariant: end - d >= (input bytes left) + 1 (the closing quote), so a
  // 16-byte store at d fits while 16 input bytes are left. Before an escape
  // at input offset i, makes room for its extra bytes.
  const auto reserve_escape = [&](size_t i) {
    if (static_cast<size_t>(end - d) >= (n - i) + 1 + kMaxExtra) return;
    const size_t at = static_cast<size_t>(d - out->data());
    out->resize(out->size() + (n - i) / 4 + 8 * kMaxExtra);
    d = out->data() + at;
    end = out->data() + out->size();
  };
  size_t i = 0;
#ifdef __SSE2__
  while (i + 16 <= n) {
    const unsigned m = EscapeMask16(p + i);
    std::memcpy(d, p + i, 16);
    if (m == 0) {
      i += 16;
      d += 16;
      continue;
    }
    const size_t k = static_cast<size_t>(__builtin_ctz(m));
    i += k;
    d += k;
    reserve_escape(i);
    d = WriteEscape(p[i], d);
    ++i;
  }
#endif
  for (; i < n; ++i) {
    if (!kNeedsEscape[p[i]]) {
      *d++ = static_cast<char>(p[i]);
    } else {
      reserve_escape(i);
      d = WriteEscape(p[i], d);
    }
  }
  *d++ = '"';
  out->resize(static_cast<size_t>(d - out->data()));
}

void AppendJsonNumber(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
  if (char* end = FourDecimals(v, buf); end != nullptr) {
    out->append(buf, end);
    return;
  }
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

void JsonObjectBuilder::Key(std::string_view key) {
  if (!first_) out_.push_back(',');
  first_ = false;
  AppendJsonString(key, &out_);
  out_.push_back(':');
}

JsonObjectBuilder& JsonObjectBuilder::Add(std::string_view key, double v) {
  Key(key);
  AppendJsonNumber(v, &out_);
  return *this;
}

JsonObjectBuilder& JsonObjectBuilder::Add(std::string_view key, int64_t v) {
  Key(key);
  out_.append(std::to_string(v));
  return *this;
}

JsonObjectBuilder& JsonObjectBuilder::Add(std::string_view key, bool v) {
  Key(key);
  out_.append(v ? "true" : "false");
  return *this;
}

JsonObjectBuilder& JsonObjectBuilder::Add(std::string_view key,
                                          std::string_view v) {
  Key(key);
  AppendJsonString(v, &out_);
  return *this;
}

JsonObjectBuilder& JsonObjectBuilder::AddRaw(std::string_view key,
                                             std::string_view raw) {
  Key(key);
  out_.append(raw);
  return *this;
}

std::string JsonObjectBuilder::Finish() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace winnow
