// HTML and SVG building blocks of the report: escaping and number formats.
//
// Everything that came from a crawl (text, ids, URLs, metadata, file names)
// goes through AppendEscaped before it reaches the page, so it is shown as
// text and never parsed as markup: '<' '>' '&' '"' '\'' become entities,
// bytes that are not valid UTF-8 become U+FFFD, and control characters other
// than tab and newline become U+FFFD (HTML forbids them in text).
#ifndef WINNOW_REPORT_HTML_H_
#define WINNOW_REPORT_HTML_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::report {

// Appends `text` escaped for use as HTML text or a quoted attribute value.
void AppendEscaped(std::string_view text, std::string* out);
std::string Escaped(std::string_view text);

// Cuts `text` to at most `max_bytes` bytes at a UTF-8 character boundary;
// appends " …" when it cut.
std::string Truncated(std::string_view text, size_t max_bytes);

// 1234567 -> "1,234,567".
std::string FormatCount(int64_t n);
// 1536 -> "1.5 KB" (powers of 1000: KB, MB, GB).
std::string FormatBytes(double bytes);
// 0.0123 -> "12.3 ms", 75 -> "1m 15s".
std::string FormatSeconds(double seconds);
// 0.1234 -> "12.3%"; small non-zero shares keep two significant digits.
std::string FormatPercent(double fraction);
// A short number for axis ticks and values: 1200 -> "1.2k", 0.25 -> "0.25".
std::string FormatNumber(double v);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_HTML_H_
