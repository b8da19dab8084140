// Function-word lists of languages written in the Latin script, the data of
// the fast language-identification path (fast_lid.h).
//
// Each list holds a language's most frequent short words (articles,
// pronouns, prepositions, conjunctions, auxiliaries), written for winnow
// from knowledge of the languages, lowercase and in NFC. They are evidence,
// not a vocabulary: a word may be on several lists ("de", "in", "a"), and
// the fast path only decides a document when the words it finds point to
// one language overwhelmingly.
//
// Thread-safe: the table is constant.
#ifndef WINNOW_LANG_FUNCTION_WORDS_H_
#define WINNOW_LANG_FUNCTION_WORDS_H_

#include <span>
#include <string_view>

namespace winnow::lang {

struct FunctionWordList {
  // The code LanguageIdentifier reports (language.h), e.g. "en".
  std::string_view code;
  // True when the fast path may decide a document as this language. False
  // for languages whose lists are too close to a neighbour's (Malay and
  // Indonesian, Danish and Norwegian, ...) or too short to be trusted;
  // their words still count as evidence against the others, and such
  // documents go to CLD2.
  bool may_decide;
  // Space-separated lowercase words, each at most 16 bytes of UTF-8 and
  // without an apostrophe (the fast path does not look up words that have
  // one).
  std::string_view words;
};

// All lists, in a fixed order (at most 63).
std::span<const FunctionWordList> FunctionWordLists();

}  // namespace winnow::lang

#endif  // WINNOW_LANG_FUNCTION_WORDS_H_
