#include "core/utf8.h"

#include "core/swar.h"

namespace winnow {
namespace {

// Index of the first non-ASCII byte at or after `i`, or s.size().
inline size_t SkipAscii(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  while (i + 16 <= n) {
    if (swar::NonAscii(swar::Load(p + i) | swar::Load(p + i + 8))) break;
    i += 16;
  }
  while (i + 8 <= n) {
    const uint64_t m = swar::NonAscii(swar::Load(p + i));
    if (m != 0) return i + static_cast<size_t>(swar::FirstMatch(m));
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

}  // namespace

bool IsAscii(std::string_view s) { return SkipAscii(s, 0) == s.size(); }

bool IsValidUtf8(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    i = SkipAscii(s, i);
    if (i >= n) return true;
    size_t maximal;
    const size_t len = WellFormedUtf8Length(s, i, &maximal);
    if (len == 0) return false;
    i += len;
  }
}

size_t AppendRepairedUtf8(std::string_view s, std::string* out) {
  const size_t n = s.size();
  size_t replaced = 0;
  size_t i = 0, copied = 0;
  while (true) {
    i = SkipAscii(s, i);
    if (i >= n) break;
    size_t maximal;
    const size_t len = WellFormedUtf8Length(s, i, &maximal);
    if (len != 0) {
      i += len;
      continue;
    }
    if (replaced == 0) out->reserve(out->size() + n + 16);
    out->append(s.data() + copied, i - copied);
    out->append(kReplacementUtf8);
    ++replaced;
    i += maximal;
    copied = i;
  }
  out->append(s.data() + copied, n - copied);
  return replaced;
}

char32_t DecodeUtf8Before(std::string_view s, size_t end, size_t* len) {
  size_t start = end - 1;
  while (start > 0 && end - start < 4 &&
         (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t decoded;
  const char32_t cp = DecodeUtf8(s, start, &decoded);
  if (start + decoded != end) {
    *len = 1;
    return kReplacementChar;
  }
  *len = decoded;
  return cp;
}

size_t Utf8PrefixLength(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  // A unit that straddles max_bytes starts at a byte that is not a
  // continuation byte, at most three bytes back (units are <= 4 bytes; a
  // unit starting with a continuation byte is that byte alone).
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t start = max_bytes;
  while (start > 0 && max_bytes - start < 3 && (p[start] & 0xC0) == 0x80) {
    --start;
  }
  if ((p[start] & 0xC0) == 0x80) return max_bytes;
  size_t maximal = 0;
  size_t unit = WellFormedUtf8Length(s, start, &maximal);
  if (unit == 0) unit = maximal;
  return start + unit > max_bytes ? start : max_bytes;
}

void AppendUtf8Excerpt(std::string_view s, size_t max_bytes, std::string* out) {
  AppendRepairedUtf8(s.substr(0, Utf8PrefixLength(s, max_bytes)), out);
}

}  // namespace winnow
