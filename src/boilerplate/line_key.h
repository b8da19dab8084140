// Line keys for site-level boilerplate: a normalized form of a line, so that
// template lines that differ only in case, spacing, numbers or calendar
// words count as one line, and its 64-bit hash.
//
// Thread safety: pure functions.
#ifndef WINNOW_BOILERPLATE_LINE_KEY_H_
#define WINNOW_BOILERPLATE_LINE_KEY_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::boilerplate {

// Appends to *out the normalized form of `line` (no '\n' inside):
//   * ASCII letters lowercased (other bytes kept; no Unicode case folding),
//   * every run of whitespace (ASCII whitespace, U+00A0, U+1680,
//     U+2000-U+200B, U+202F, U+205F, U+3000, U+FEFF) becomes one space, and
//     none is kept at either end,
//   * every number -- a run of ASCII digits, or digit runs joined by single
//     '.' or ',' ("12,345", "12.03.2021", "0.25") -- becomes one '0'
//     ("© 2009–2024" and "© 2009–2025" match as "© 0–0"; "Views: 17" and
//     "Views: 12,345" match; "14:35" becomes "0:0"),
//   * English month and weekday names and their common abbreviations
//     ("March", "mar", "Tuesday", "tue") become "#" when they are whole
//     words, so a dateline "Posted on 3 March 2021" matches
//     "Posted on 14 July 2024".
// Trade-off: two different content lines that differ only in numbers or
// calendar words are counted as one line; that merges few content lines
// (they must also repeat on a site), and template lines with counters and
// dates are common.
void AppendNormalizedLine(std::string_view line, std::string* out);
std::string NormalizeLine(std::string_view line);

// Line keys: XXH3-64 of the normalized line (seeded), with bit 0 set for a
// short line (see IsShortNormalizedLine) and cleared otherwise; never 0 or
// 1 (reserved for the site's count and shard records, see boilerplate.h). The
// empty normalized line has no key (callers skip it). At 64 bits, two distinct
// lines of one site collide with probability about n^2 / 2^65 for n distinct
// lines on the site (3e-4 for n = 10^8).
uint64_t LineKey(std::string_view normalized, uint32_t short_line_max_words,
                 uint32_t short_line_max_bytes);

// True when the normalized line has at most `max_words` space-separated
// words and at most `max_bytes` bytes ("share", "read more", "menu").
bool IsShortNormalizedLine(std::string_view normalized, uint32_t max_words,
                           uint32_t max_bytes);

inline bool IsShortLineKey(uint64_t key) { return (key & 1) != 0; }

// XXH3-64 of a site string (a separate seed from line keys).
uint64_t SiteKey(std::string_view site);

// XXH3-64 of a document's whole text, byte for byte (a third seed): exact
// copies of a page on one site count as one document.
uint64_t TextKey(std::string_view text);

}  // namespace winnow::boilerplate

#endif  // WINNOW_BOILERPLATE_LINE_KEY_H_
