// The HTML extraction step, registered under this type name:
//
//   extract_html   main-content extraction (see html/extractor.h)
//
// Acts only on documents with format == TextFormat::kHtml; others pass
// through untouched. It replaces doc->text with the extracted text, sets the
// format to kText and appends the metadata fields "title", "date", "author",
// "canonical_url" and "declared_language" (JSON strings; only those found
// on the page, and never over a field of the same name the input already
// has). A page with no extractable text is removed with reason
// "no_content".
//
// Options (defaults in parentheses):
//   format             text | markdown (text)
//   max_input_bytes    bytes of HTML parsed, the rest ignored (16777216)
//   max_depth          deepest element nesting kept (512)
//   max_nodes          most DOM nodes per page (1048576)
//   include_tables     keep tables of the main content (true)
//   retry_below_chars  rules-off second pass below this many characters (250)
//
// Counters: docs_extracted, no_content, truncated, depth_limited,
// fallback_used, not_html.
//
// Each instance owns an Extractor and is used by one thread at a time.
#ifndef WINNOW_HTML_HTML_STEPS_H_
#define WINNOW_HTML_HTML_STEPS_H_

#include "winnow/step.h"

namespace winnow {

// Registers "extract_html". REQUIRES: not yet registered.
void RegisterHtmlSteps(StepRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_HTML_HTML_STEPS_H_
