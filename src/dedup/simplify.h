// datatrove v0.10.0's simplify_text() with its default TextNormConfig, on
// UTF-8, in one pass and without per-character allocation.
//
// The Python function applies, in this order, to the whole string:
//   1. str.lower()                       (full lowercase: U+0130 becomes
//                                         "i" + U+0307, capital sigma becomes
//                                         final sigma in the Final_Sigma
//                                         context)
//   2. \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?  ->  "0"  (a number, with at most one
//                                         decimal separator, becomes "0")
//   3. every character of datatrove's PUNCTUATION string -> " " (ASCII
//      punctuation, C0/C1 controls except \t and \n, and 35 other symbols;
//      TERMINAL_PUNCTUATION is not part of this translation)
//   4. str.strip(), then runs of Python whitespace -> one " "
//   5. NFD, dropping every character of category Mn
//   6. str.strip()
// SimplifyText reproduces that composition exactly, including its quirks:
// step 5 runs after step 4, so a lone combining mark between two spaces
// leaves two spaces ("a \u0301 b" -> "a  b"), and decompositions made in
// step 5 are not re-lowered or re-punctuated (U+037E GREEK QUESTION MARK
// decomposes to ';', which stays).
//
// Known differences from CPython 3.11 (Unicode 14): character properties
// come from utf8proc, whose Unicode version may differ for recently assigned
// characters; canonical reordering of the combining marks that survive
// step 5 (non-Mn marks with a nonzero combining class, e.g. musical
// symbols) is not performed; Python's "cased"/"case-ignorable" properties
// used by the Final_Sigma rule are derived from general categories and case
// mappings. Invalid UTF-8 bytes are copied through unchanged as ordinary
// characters (Python never sees them: its str is always valid).
//
// Thread safety: pure functions.
#ifndef WINNOW_DEDUP_SIMPLIFY_H_
#define WINNOW_DEDUP_SIMPLIFY_H_

#include <string>
#include <string_view>

namespace winnow::dedup {

struct SimplifyInfo {
  // True when the output contains ASCII punctuation, which NLTK's word
  // tokenizer treats specially (only decompositions produce it, e.g.
  // U+037E GREEK QUESTION MARK -> ';' and U+1FEF GREEK VARIA -> '`').
  bool has_nltk_special = false;
  // True when the output contains U+2018 LEFT SINGLE QUOTATION MARK (not
  // in datatrove's punctuation), which NLTK splits off as its own token.
  bool has_left_quote = false;
  // Otherwise, the NLTK word tokens of the output are its space-separated
  // words with NLTK's contraction splits applied (see minhash.cc).
};

// Replaces *out with simplify_text(text). `info` may be null.
void SimplifyText(std::string_view text, std::string* out,
                  SimplifyInfo* info = nullptr);

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_SIMPLIFY_H_
