// Character-level cleaning: Unicode normalization, removal of control and
// invisible characters, whitespace normalization.
//
// Each function reads `in` and, when the text must change, writes the cleaned
// text to `*out` (replacing its contents) and returns true. When it returns
// false, `in` is already clean and `*out` holds unspecified scratch content.
// `in` must not alias `*out`. Thread-safe (no shared mutable state; the NFC
// quick-check table is built once, thread-safely, on first use).
#ifndef WINNOW_TEXT_CHAR_CLEANING_H_
#define WINNOW_TEXT_CHAR_CLEANING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::text {

enum class NfcOutcome {
  kUnchanged,  // already NFC
  kChanged,    // *out holds the NFC form
  kInvalid,    // `in` is not valid UTF-8; left alone
};

// Normalizes to Unicode NFC (canonical composition) with utf8proc.
// Fast path: text made only of code points that are NFC-stable starters
// (ASCII, Latin, Cyrillic, CJK, general punctuation, emoji, ...) is
// recognised by a table lookup per code point and never copied.
// REQUIRES for a useful result: valid UTF-8 (run fix_utf8, i.e.
// AppendRepairedUtf8 of core/utf8.h, first).
NfcOutcome NormalizeNfc(std::string_view in, std::string* out);

struct ControlCharOptions {
  // Also drop invisible format characters that carry no text in crawled
  // prose: U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER, U+FEFF BOM/ZWNBSP,
  // U+00AD SOFT HYPHEN, U+FFFC OBJECT REPLACEMENT, noncharacters U+FFFE/FFFF.
  // Default true. ZWNJ/ZWJ (U+200C/D, needed by Persian, Indic scripts and
  // emoji sequences) and bidi marks (U+200E/F, U+202A-E, U+2066-9, which
  // carry direction in Arabic/Hebrew text) are always kept.
  bool drop_invisible = true;
};

struct ControlCharStats {
  int64_t chars_dropped = 0;          // controls and invisible chars removed
  int64_t line_breaks_normalized = 0; // CR, CRLF, NEL, VT, FF, LS, PS
};

// Drops C0 controls except '\n' and '\t' (including NUL and DEL), C1 controls
// (U+0080-U+009F), and, per options, invisible characters. Unifies line
// terminators: "\r\n", "\r", U+0085 NEL, VT, FF and U+2028 LINE SEPARATOR
// become "\n"; U+2029 PARAGRAPH SEPARATOR becomes "\n\n". VT and FF are
// turned into line breaks rather than dropped because they separate lines or
// pages (PDF and terminal captures); dropping them would glue words.
// REQUIRES: valid UTF-8.
bool DropControlChars(std::string_view in, const ControlCharOptions& options,
                      std::string* out, ControlCharStats* stats);

struct WhitespaceOptions {
  // Maximum number of consecutive empty lines kept between paragraphs.
  // Default 1 (paragraphs separated by one blank line).
  int max_blank_lines = 1;
};

// Maps horizontal whitespace (tab, NBSP U+00A0, U+1680, U+2000-U+200A,
// U+202F, U+205F, U+3000) to ' ' and any remaining CR, CRLF, VT or FF to a
// line break (so the step is safe without DropControlChars), collapses
// runs of spaces, trims both ends of each line (indentation is not kept:
// this chain is for prose), limits runs of empty lines, and trims the
// document (no leading or trailing whitespace, no final newline).
bool NormalizeWhitespace(std::string_view in, const WhitespaceOptions& options,
                         std::string* out);

}  // namespace winnow::text

#endif  // WINNOW_TEXT_CHAR_CLEANING_H_
