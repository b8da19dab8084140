// UTF-8 validation and repair for the readers and writers.
#ifndef WINNOW_FORMATS_UTF8_H_
#define WINNOW_FORMATS_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points
// above U+10FFFF). Uses simdjson's SIMD validator.
bool IsValidUtf8(std::string_view s);

// Appends `s` to `out` with each maximal invalid subsequence replaced by
// U+FFFD (the W3C/Unicode "maximal subpart" practice, as Python's
// bytes.decode("utf-8", "replace")). Returns the number of replacements.
size_t AppendRepairedUtf8(std::string_view s, std::string* out);

// Appends at most `max_bytes` of `s` (cut back to a character boundary when
// the cut falls inside a valid sequence), repaired, to `out`.
void AppendUtf8Excerpt(std::string_view s, size_t max_bytes, std::string* out);

}  // namespace winnow

#endif  // WINNOW_FORMATS_UTF8_H_
