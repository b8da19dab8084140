// Main-content extraction: from an HTML page to the text of its article,
// with headings, paragraphs, lists, quotes, tables and preformatted blocks
// kept as text structure, plus the page's title, date, author, canonical
// URL and declared language.
//
// The algorithm (details in extractor.cc): parse with the bounded parser of
// html_parser.h; drop elements that never hold main content (scripts,
// navigation, forms' controls, hidden elements) and those whose class/id/role
// name boilerplate (comments, share bars, related links, cookie banners, ...);
// score every block of running text by length, commas and link density and
// credit its ancestors; take the best-scoring container, widen it to
// siblings of similar score, and write it out while skipping link lists and
// other low-content blocks inside it. When that yields too little text the
// page is extracted again with class/id names removing nothing, then with
// the class/id rules off, and a retry wins when it has more than twice the
// text.
//
// Thread safety: an Extractor keeps scratch buffers; use one instance per
// thread and reuse it (no allocation per call once buffers have grown).
#ifndef WINNOW_HTML_EXTRACTOR_H_
#define WINNOW_HTML_EXTRACTOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "html/html_parser.h"
#include "winnow/status.h"

namespace winnow::html {

enum class OutputFormat : uint8_t {
  kText,      // blocks separated by a blank line, list items as "- item",
              // table cells separated by " | ", <pre> verbatim
  kMarkdown,  // "#" headings, "- " lists, "> " quotes, fenced <pre>,
              // "| a | b |" tables
};

struct ExtractOptions {
  // Output syntax. Default kText.
  OutputFormat format = OutputFormat::kText;
  // Input beyond this many bytes is ignored (ExtractResult::truncated is
  // set). Bounds time and memory on huge pages. Default 16 MiB.
  size_t max_input_bytes = size_t{16} << 20;
  // Parser bounds: tree depth, node count, attributes per element.
  ParseOptions parse;
  // Below this many non-space characters of extracted text the page is
  // extracted again, first with class/id names removing nothing, then with
  // the class/id rules switched off; a retry's text is kept when it is more
  // than twice as long. Default 250.
  size_t retry_below_chars = 250;
  // Keep tables inside the main content. Default true.
  bool include_tables = true;
  // Longest metadata value kept, in bytes (cut at a character boundary).
  // Default 1024.
  size_t max_metadata_bytes = 1024;
};

struct ExtractResult {
  std::string text;  // main content; empty when nothing was found
  // Metadata, plain UTF-8 strings (empty when absent).
  std::string title;
  std::string date;  // as declared by the page (usually ISO 8601)
  std::string author;
  std::string canonical_url;
  std::string declared_language;  // <html lang>, Content-Language or og:locale
  // True when max_input_bytes or ParseOptions::max_nodes cut the input.
  bool truncated = false;
  // Start tags dropped because of ParseOptions::max_depth.
  size_t depth_limited = 0;
  // True when a retry pass (see retry_below_chars) produced the text.
  bool used_fallback = false;

  void Clear();
};

class Extractor {
 public:
  explicit Extractor(const ExtractOptions& options = ExtractOptions());
  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // Extracts the main content of `html` (UTF-8; invalid bytes are passed
  // through) into `*out`, replacing its content. Never fails on any byte
  // string; returns a non-OK status only for internal errors. An empty
  // out->text means no content was found.
  Status Extract(std::string_view html, ExtractResult* out);

  const ExtractOptions& options() const { return options_; }

 private:
  struct Impl;
  ExtractOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winnow::html

#endif  // WINNOW_HTML_EXTRACTOR_H_
