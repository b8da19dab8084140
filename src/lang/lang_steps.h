// Language identification steps, registered under these type names:
//
//   language_id      annotates every document, never removes one
//   language_filter  annotates, then removes documents not in the wanted
//                    languages or scoring below min_score (FineWeb keeps
//                    English with score >= 0.65)
//
// Both write two user-metadata fields, the names datatrove and FineWeb use:
//   "language"        JSON string, code from LanguageIdentifier (language.h)
//   "language_score"  JSON number, the score rounded to 4 decimals
// A field already present under either name is overwritten in place (every
// occurrence, keeping its position); a missing one is appended. No other
// field is touched.
//
// Options:
//   max_bytes        (both) bytes of text examined, default 65536
//   fast_path        (both) default true: documents the function-word fast
//                    path decides (language.h, fast_lid.h) skip CLD2
//   languages        (language_filter) codes to keep, a list or comma-
//                    separated, case-insensitive, default "en"
//   min_score        (language_filter) minimum score to keep, default 0.65,
//                    compared with the rounded score that is written
//   reuse_metadata   (language_filter) default true: when the document
//                    already has a "language" string and a "language_score"
//                    number in [0, 1] (written by language_id earlier in the
//                    run, or by datatrove/FineWeb upstream) use them instead
//                    of identifying again; they are left as they are
//
// Removal: reason "language", details
//   {"language": <code>, "score": <score>, "min_score": <min_score>}.
//
// Counters: "lang_<code>" per identified document, "unreliable",
// "truncated" (longer than max_bytes), "fast_path" (decided without CLD2),
// "utf8_replaced" (documents sent to CLD2 with bytes it cannot take,
// replaced by spaces for detection only), and "reused_metadata"
// (language_filter).
//
// Each step instance owns a LanguageIdentifier with scratch memory, so it is
// used by one thread at a time (see winnow/step.h).
#ifndef WINNOW_LANG_LANG_STEPS_H_
#define WINNOW_LANG_LANG_STEPS_H_

#include <string>
#include <string_view>

#include "lang/language.h"
#include "winnow/document.h"
#include "winnow/step.h"

namespace winnow {

// Registers language_id and language_filter. REQUIRES: not yet registered.
void RegisterLangSteps(StepRegistry* registry);

// Writes guess.code and RoundLanguageScore(guess.score) to doc->metadata as
// described above.
void WriteLanguageMetadata(const LanguageGuess& guess, Document* doc);

// Reads "language" and "language_score" back from doc->metadata. Returns
// false unless both are present and well-formed (an unescaped JSON string
// and a JSON number in [0, 1]). On success sets guess->code and
// guess->score; guess->reliable is left unchanged (it is not stored).
bool ReadLanguageMetadata(const Document& doc, LanguageGuess* guess);

}  // namespace winnow

#endif  // WINNOW_LANG_LANG_STEPS_H_
