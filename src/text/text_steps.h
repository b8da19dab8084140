// The text cleaning steps, registered under these type names:
//
//   fix_utf8               replace ill-formed UTF-8 with U+FFFD
//   normalize_unicode      Unicode NFC
//   drop_control_chars     drop control/invisible chars, unify line breaks
//   normalize_whitespace   one space between words, trimmed lines, at most
//                          max_blank_lines empty lines in a row
//   remove_nav_runs        "Back to news » Back to news » ..." debris
//   fix_leaked_markup      entities, "H4 Title / h4", literal <h2>/<b> tags
//   split_glued_sentences  "riots.In response" -> "riots. In response"
//   drop_headline_echo     last line repeating the headline
//   drop_site_chrome       site name and menu lines above the headline
//
// Every step accepts `enabled` (bool, default true); a disabled step passes
// documents through untouched, so a recipe can switch one off in a config
// without reordering. Other options and their defaults are documented in
// the headers of the functions each step wraps (char_cleaning.h,
// nav_runs.h, leaked_markup.h, glued_sentences.h, page_layout.h) and in
// `winnow steps`. Every step counts `docs_changed`, plus its own events.
//
// Steps never remove documents; they only rewrite doc->text. Each instance
// keeps scratch buffers, so it is used by one thread at a time (see
// winnow/step.h).
#ifndef WINNOW_TEXT_TEXT_STEPS_H_
#define WINNOW_TEXT_TEXT_STEPS_H_

#include <string>
#include <vector>

#include "winnow/step.h"

namespace winnow {

// Registers the steps listed above. REQUIRES: not yet registered.
void RegisterTextSteps(StepRegistry* registry);

// The step types of recipe `clean`, in the order they must run:
//   fix_utf8               every later step assumes valid UTF-8
//   drop_control_chars     CR/CRLF unified before anything works on lines
//   fix_leaked_markup      decoding creates characters (NBSP, combining
//                          marks) and tag repair inserts line breaks, so it
//                          precedes normalization of both
//   normalize_unicode      NFC of original and decoded text alike
//   normalize_whitespace   single spaces, trimmed lines: what the
//                          word-based steps below expect
//   remove_nav_runs        runs compared word by word
//   split_glued_sentences  independent of layout; before the headline
//                          comparisons so both copies are repaired alike
//   drop_site_chrome       needs the headline echo as evidence, so it runs
//                          before the echo is removed
//   drop_headline_echo     last
std::vector<std::string> CleanRecipeSteps();

}  // namespace winnow

#endif  // WINNOW_TEXT_TEXT_STEPS_H_
