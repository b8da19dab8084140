#include "text/utf8.h"

#include <cstring>

namespace winnow::text {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Index of the first non-ASCII byte at or after `i`, or s.size().
size_t SkipAscii(std::string_view s, size_t i) {
  const size_t n = s.size();
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & kHighBits) break;
    i += 8;
  }
  while (i < n && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Length of the well-formed sequence at s[i] (lead byte >= 0x80), or 0 when
// it is ill-formed; then *maximal is the length of its maximal subpart (>= 1).
size_t ScanSequence(std::string_view s, size_t i, size_t* maximal) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  unsigned char b = p[i];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    need = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    *maximal = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < need; ++k) {
    if (i + k >= n) break;
    unsigned char c = p[i + k];
    if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) break;
  }
  if (k == need) return need;
  *maximal = k;
  return 0;
}

}  // namespace

bool IsAscii(std::string_view s) { return SkipAscii(s, 0) == s.size(); }

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (true) {
    i = SkipAscii(s, i);
    if (i >= n) return true;
    size_t maximal;
    size_t len = ScanSequence(s, i, &maximal);
    if (len == 0) return false;
    i += len;
  }
}

size_t RepairUtf8(std::string_view in, std::string* out) {
  out->clear();
  size_t replaced = 0;
  size_t i = 0, copied = 0;
  const size_t n = in.size();
  while (true) {
    i = SkipAscii(in, i);
    if (i >= n) break;
    size_t maximal;
    size_t len = ScanSequence(in, i, &maximal);
    if (len != 0) {
      i += len;
      continue;
    }
    if (replaced == 0) out->reserve(n + 16);
    out->append(in.data() + copied, i - copied);
    out->append("\xEF\xBF\xBD");
    ++replaced;
    i += maximal;
    copied = i;
  }
  out->append(in.data() + copied, n - copied);
  return replaced;
}

char32_t DecodeUtf8Before(std::string_view s, size_t end, size_t* len) {
  size_t start = end - 1;
  while (start > 0 && end - start < 4 &&
         (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t decoded;
  char32_t cp = DecodeUtf8(s, start, &decoded);
  if (start + decoded != end) {
    *len = 1;
    return kReplacementChar;
  }
  *len = decoded;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace winnow::text
