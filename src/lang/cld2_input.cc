#include "lang/cld2_input.h"

#include <array>
#include <cstdint>

namespace winnow::lang {
namespace {

// kAsciiClass[b] for b < 0x80: 1 when CLD2 accepts the byte.
constexpr std::array<uint8_t, 128> MakeAsciiTable() {
  std::array<uint8_t, 128> t{};
  for (int b = 0x20; b < 0x7F; ++b) t[b] = 1;
  t['\t'] = t['\n'] = t['\f'] = t['\r'] = 1;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiOk = MakeAsciiTable();

// Code points that are well-formed but not interchange-valid for CLD2.
bool RejectedCodePoint(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
         (cp & 0xFFFE) == 0xFFFE;
}

// Examines the code point at p[i] (i < n). Returns its length when it is
// well-formed and accepted. Otherwise returns 0 and sets *skip to the number
// of bytes to replace with one space: the maximal subpart of an ill-formed
// sequence, or the whole rejected code point.
size_t AcceptedLength(const unsigned char* p, size_t n, size_t i,
                      size_t* skip) {
  const unsigned char b = p[i];
  if (b < 0x80) {
    *skip = 1;
    return kAsciiOk[b] ? 1 : 0;
  }
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  uint32_t cp;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 2;
    cp = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 3;
    cp = b & 0x0Fu;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 4;
    cp = b & 0x07u;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    *skip = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < need && i + k < n; ++k) {
    const unsigned char c = p[i + k];
    const unsigned char klo = k == 1 ? lo : 0x80;
    const unsigned char khi = k == 1 ? hi : 0xBF;
    if (c < klo || c > khi) break;
    cp = (cp << 6) | (c & 0x3Fu);
  }
  if (k < need) {
    *skip = k;
    return 0;
  }
  *skip = need;
  return RejectedCodePoint(cp) ? 0 : need;
}

}  // namespace

Cld2Input PrepareCld2Input(std::string_view text, size_t max_bytes,
                           std::string* scratch) {
  Cld2Input result;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  if (n > max_bytes) {
    result.truncated = true;
    n = max_bytes;
    // Step back over at most three continuation bytes so that a sequence
    // cut by the limit is dropped rather than replaced.
    for (int back = 0; back < 3 && n > 0 && (p[n] & 0xC0) == 0x80; ++back) --n;
  }
  size_t i = 0;
  size_t skip = 0;
  // Fast path: nothing to replace, return a view of the prefix.
  while (i < n) {
    const size_t len = AcceptedLength(p, n, i, &skip);
    if (len == 0) break;
    i += len;
  }
  if (i == n) {
    result.text = text.substr(0, n);
    return result;
  }
  scratch->assign(text.data(), i);
  while (i < n) {
    const size_t len = AcceptedLength(p, n, i, &skip);
    if (len == 0) {
      scratch->push_back(' ');
      ++result.replaced;
      i += skip;
    } else {
      scratch->append(text.data() + i, len);
      i += len;
    }
  }
  result.text = *scratch;
  return result;
}

bool IsCld2InterchangeValid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t skip = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t len = AcceptedLength(p, text.size(), i, &skip);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace winnow::lang
