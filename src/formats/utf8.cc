#include "formats/utf8.h"

#include <simdjson.h>

namespace winnow {
namespace {

// Length of the valid sequence starting at s[i], or 0 if invalid; *prefix is
// set to the length of the maximal valid prefix (>= 1) when invalid.
size_t ValidSequenceLength(std::string_view s, size_t i, size_t* prefix) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *prefix = 1;
    return 0;
  }
  size_t k = 1;
  for (; k <= need; ++k) {
    if (i + k >= s.size()) break;
    unsigned char x = b(i + k);
    unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (x < l || x > h) break;
  }
  if (k == need + 1) return k;
  *prefix = k;
  return 0;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

size_t AppendRepairedUtf8(std::string_view s, std::string* out) {
  size_t replaced = 0;
  size_t i = 0, run = 0;
  out->reserve(out->size() + s.size() + 16);
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t prefix = 0;
    size_t len = ValidSequenceLength(s, i, &prefix);
    if (len > 0) {
      i += len;
      continue;
    }
    out->append(s.data() + run, i - run);
    out->append("\xEF\xBF\xBD");
    ++replaced;
    i += prefix;
    run = i;
  }
  out->append(s.data() + run, s.size() - run);
  return replaced;
}

void AppendUtf8Excerpt(std::string_view s, size_t max_bytes,
                       std::string* out) {
  if (s.size() > max_bytes) {
    size_t cut = max_bytes;
    // Step back over continuation bytes (at most 3) to a lead byte.
    size_t back = 0;
    while (cut > 0 && back < 3 &&
           (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
      --cut;
      ++back;
    }
    if (back == 3 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
      cut = max_bytes;  // not UTF-8 anyway; the repair handles it
    }
    s = s.substr(0, cut);
  }
  AppendRepairedUtf8(s, out);
}

}  // namespace winnow
