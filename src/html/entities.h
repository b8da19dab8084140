// Decoding of HTML character references (&amp; &#233; &#x20AC; ...).
#ifndef WINNOW_HTML_ENTITIES_H_
#define WINNOW_HTML_ENTITIES_H_

#include <string>
#include <string_view>

namespace winnow::html {

// Appends `in` to `out` with character references decoded: numeric
// references (with or without the final ';'; C1 code points mapped as
// windows-1252, invalid ones to U+FFFD), the HTML 4 named references plus
// &apos; (the legacy Latin-1 names also without ';'). Unknown references are
// copied verbatim. In attribute values (`in_attribute`), a name without ';'
// followed by an alphanumeric or '=' is left as is, as browsers do.
// The output is never longer than the input.
void AppendDecoded(std::string_view in, bool in_attribute, std::string* out);

}  // namespace winnow::html

#endif  // WINNOW_HTML_ENTITIES_H_
