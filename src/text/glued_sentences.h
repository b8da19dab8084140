// Repair of sentences glued together by a lost line break or space:
// "the riots.In response" becomes "the riots. In response".
//
// A space is inserted, not a line break: the lost separator may have been a
// space, a line break or a paragraph break, and only the space is safe when
// the guess is wrong ("approx.Five" becomes "approx. Five", still the
// same words; a wrong line break would split a paragraph). Downstream
// sentence splitters and tokenizers then see normal punctuation.
//
// A split happens at '.', '!' or '?' (optionally followed by one closing ’ ”
// or ')') only when all of these hold:
//  * the character before the terminator is a lowercase letter, or a
//    closing ) ] " ’ ” preceded by one;
//  * the word before it (back to the previous space) has at least two
//    letters and only letters, hyphens, apostrophes and opening/closing
//    quotes or brackets: no '.', digit, '/', '@', ':', '_' ... so
//    abbreviations (U.S.A., e.g.), decimals (3.14), versions (v1.2.3),
//    domains and paths (www.site.org, file.txt) never qualify;
//  * the next character is an uppercase letter followed by a lowercase
//    letter ("In", "McDonald"), or is 'I' or 'A' standing alone as a word;
//    so ".NET", "U.S.In" (uppercase before the dot), "iPhone" (lowercase
//    after) and acronyms are left alone;
//  * the next word contains no '/', '@', '_', '(', '=', '\\', '<', '>',
//    '#', and no '.', '!' or '?' followed by a letter or digit (code such as
//    "System.Console.WriteLine" or a glued chain is left alone);
//  * not a capitalized word before and a camel-case word after
//    ("Console.WriteLine" is an identifier; "late.McDonald" still splits).
// Letters beyond ASCII are classified with utf8proc (Lu/Lt uppercase, Ll
// lowercase), so "Москве.Он" is split too. Ellipses ("wait...Then") are
// left alone: the character before the last dot is a dot.
//
// Thread-safe.
#ifndef WINNOW_TEXT_GLUED_SENTENCES_H_
#define WINNOW_TEXT_GLUED_SENTENCES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::text {

// Writes the repaired text to *out and returns the number of spaces
// inserted; returns 0 (then *out is unspecified) when nothing was glued.
// REQUIRES: valid UTF-8. `in` must not alias `*out`.
int64_t SplitGluedSentences(std::string_view in, std::string* out);

}  // namespace winnow::text

#endif  // WINNOW_TEXT_GLUED_SENTENCES_H_
