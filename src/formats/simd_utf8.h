// UTF-8 validation of whole payloads (HTML pages, text files) with
// simdjson's SIMD validator. It has the contract of IsValidUtf8 in
// core/utf8.h (formats_test checks that the two agree), and is about ten
// times faster on text that is mostly not ASCII; core keeps a portable
// word-at-a-time validator because core has no dependencies. Use
// IsValidUtf8 for short strings (header values, ids), where the two are as
// fast. Thread-safe.
#ifndef WINNOW_FORMATS_SIMD_UTF8_H_
#define WINNOW_FORMATS_SIMD_UTF8_H_

#include <string_view>

namespace winnow {

// True if `s` is well-formed UTF-8, as IsValidUtf8 (core/utf8.h).
bool IsValidUtf8Simd(std::string_view s);

}  // namespace winnow

#endif  // WINNOW_FORMATS_SIMD_UTF8_H_
