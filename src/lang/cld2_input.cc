#include "lang/cld2_input.h"

#include <array>
#include <cstdint>

#include "core/swar.h"
#include "core/utf8.h"

namespace winnow::lang {
namespace {

// kAsciiOk[b] for b < 0x80: 1 when CLD2 accepts the byte.
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

// Index of the first byte at or after `i` that is not printable ASCII
// (0x20..0x7E), or s.size(); word-at-a-time, since most text is mostly that.
size_t SkipPrintableAscii(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  while (i + 8 <= n) {
    const uint64_t w = swar::Load(p + i);
    const uint64_t m =
        swar::NonAscii(w) | swar::Less(w, 0x20) | swar::Equal(w, 0x7F);
    if (m != 0) return i + static_cast<size_t>(swar::FirstMatch(m));
    i += 8;
  }
  while (i < n && p[i] >= 0x20 && p[i] < 0x7F) ++i;
  return i;
}

// Examines the code point at s[i] (i < s.size()). Returns its length when
// it is well-formed and accepted. Otherwise returns 0 and sets *skip to the
// number of bytes to replace with one space: the maximal subpart of an
// ill-formed sequence, or the whole rejected code point.
size_t AcceptedLength(std::string_view s, size_t i, size_t* skip) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    *skip = 1;
    return kAsciiOk[b] ? 1 : 0;
  }
  const size_t len = WellFormedUtf8Length(s, i, skip);
  if (len == 0) return 0;
  *skip = len;
  size_t decoded;
  return RejectedCodePoint(DecodeUtf8(s, i, &decoded)) ? 0 : len;
}

}  // namespace

Cld2Input PrepareCld2Input(std::string_view text, size_t max_bytes,
                           std::string* scratch) {
  Cld2Input result;
  // Cut where no character (or ill-formed unit) is split, so that a
  // sequence cut by the limit is dropped rather than replaced.
  const std::string_view prefix =
      text.substr(0, Utf8PrefixLength(text, max_bytes));
  result.truncated = prefix.size() < text.size();
  const size_t n = prefix.size();
  size_t i = 0;
  size_t skip = 0;
  // Fast path: nothing to replace, return a view of the prefix.
  while (true) {
    i = SkipPrintableAscii(prefix, i);
    if (i >= n) break;
    const size_t len = AcceptedLength(prefix, i, &skip);
    if (len == 0) break;
    i += len;
  }
  if (i >= n) {
    result.text = prefix;
    return result;
  }
  scratch->assign(text.data(), i);
  while (i < n) {
    const size_t len = AcceptedLength(prefix, i, &skip);
    if (len == 0) {
      scratch->push_back(' ');
      ++result.replaced;
      i += skip;
      continue;
    }
    const size_t end = SkipPrintableAscii(prefix, i + len);
    scratch->append(text.data() + i, end - i);
    i = end;
  }
  result.text = *scratch;
  return result;
}

bool IsCld2InterchangeValid(std::string_view text) {
  size_t skip = 0;
  size_t i = 0;
  while (true) {
    i = SkipPrintableAscii(text, i);
    if (i >= text.size()) return true;
    const size_t len = AcceptedLength(text, i, &skip);
    if (len == 0) return false;
    i += len;
  }
}

}  // namespace winnow::lang
