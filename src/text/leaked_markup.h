// Repair of HTML that leaked into extracted text: character references and
// tags printed as words.
//
// Rules (all on one line at a time; nothing spans lines):
//  * Character references: named ones from a table of the common entities
//    (markup, quotes, dashes, spaces, currency, Latin-1 letters; see the
//    table in leaked_markup.cc) and numeric ones (&#8217; &#x2019;), each
//    terminated by ';'. Decoded once: "&amp;amp;" becomes "&amp;". Numeric
//    references to 0x80-0x9F use the windows-1252 mapping (as HTML does);
//    NUL, surrogates, values above 0x10FFFF and C0 controls other than tab
//    and newline become U+FFFD. Unknown names are left as they are.
//  * Spelled-out heading tags, as some converters print them:
//    "H4 Heading words / h4 Rest of paragraph". The opening word is H1..H6
//    (either case) at the start of the line or after a sentence end
//    (. ! ? ” " followed by a space); the closing word is "/ hN" or "/hN"
//    with the same digit, followed by a space or the end of the line; the
//    heading between them has at most max_heading_chars bytes and no
//    sentence end. The heading is put on a line of its own and the rest
//    starts a new paragraph. Without the closing word nothing happens, so
//    "H4 visa holders can apply" is prose and stays.
//  * Literal heading elements "<h2>Heading</h2>" (attributes allowed, either
//    case, same level, on one line): the same treatment.
//  * Literal inline elements b, i, u, em, strong, span, a, font, small, mark,
//    p: the tags are dropped, the content kept, but only when the opening and
//    the matching closing tag are both on the line ("<b>bold</b>"). "<br>",
//    "<br/>", "<br />" become line breaks. A lone "<p>" or "<b>", as prose
//    about HTML uses them, is left alone.
// The paragraph break inserted around a heading is "\n\n" when the text
// already separates paragraphs by blank lines, else "\n".
//
// Thread-safe when each thread uses its own LeakedMarkupFixer.
#ifndef WINNOW_TEXT_LEAKED_MARKUP_H_
#define WINNOW_TEXT_LEAKED_MARKUP_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::text {

struct LeakedMarkupOptions {
  // Decode character references. Default true.
  bool decode_entities = true;
  // Spelled-out and literal heading tags. Default true.
  bool heading_tags = true;
  // Literal inline tag pairs and <br>. Default true; turn off for corpora of
  // HTML tutorials, where "<b>x</b>" in prose is meant literally.
  bool inline_tags = true;
  // Longest heading accepted between opening and closing tag, in bytes.
  // Default 150 (a long headline is ~100 characters).
  int max_heading_chars = 150;
};

struct LeakedMarkupStats {
  int64_t entities_decoded = 0;
  int64_t headings_fixed = 0;
  int64_t tags_removed = 0;
};

// Decodes the character reference starting at s[i] (s[i] == '&'). On
// success appends the UTF-8 text to *out, sets *len to the reference's byte
// length and returns true.
bool DecodeCharacterReference(std::string_view s, size_t i, std::string* out,
                              size_t* len);

class LeakedMarkupFixer {
 public:
  explicit LeakedMarkupFixer(LeakedMarkupOptions options) : options_(options) {}

  // Writes the repaired text to *out and returns true, or returns false
  // (then *out is unspecified) when there is nothing to repair. `in` must not
  // alias `*out`.
  bool Fix(std::string_view in, std::string* out, LeakedMarkupStats* stats);

 private:
  bool DecodeEntities(std::string_view in, std::string* out,
                      LeakedMarkupStats* stats);
  bool FixTags(std::string_view in, std::string* out, LeakedMarkupStats* stats);
  // Appends `line` with its tags repaired; returns true if it changed.
  bool FixLine(std::string_view line, std::string_view para_break,
               std::string* out, LeakedMarkupStats* stats);

  LeakedMarkupOptions options_;
  std::string scratch_;
};

}  // namespace winnow::text

#endif  // WINNOW_TEXT_LEAKED_MARKUP_H_
