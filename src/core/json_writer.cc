#include "core/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "core/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace winnow {

namespace {

// True if any of the 8 bytes in `w` is < 0x20, '"' or '\\'.
inline bool NeedsEscape8(uint64_t w) {
  return (swar::Less(w, 0x20) | swar::Equal(w, '"') |
          swar::Equal(w, '\\')) != 0;
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;
  size_t i = 0;
  const size_t n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
#ifdef __SSE2__
    // Skip to the first byte that needs escaping, 16 bytes at a time.
    const __m128i below_space = _mm_set1_epi8(0x1F);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (i + 16 <= n) {
      const __m128i v =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      // c <= 0x1F (unsigned) iff min(c, 0x1F) == c.
      const __m128i bad = _mm_or_si128(
          _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
          _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(bad));
      if (mask != 0) {
        i += static_cast<size_t>(__builtin_ctz(mask));
        break;
      }
      i += 16;
    }
#endif
    // Skip 8 clean bytes at a time.
    while (i + 8 <= n) {
      if (NeedsEscape8(swar::Load(p + i))) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out->append(s.data() + start, i - start);
    start = i + 1;
    ++i;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + start, n - start);
  out->push_back('"');
}

void AppendJsonNumber(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
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
