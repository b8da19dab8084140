// The fast path of language identification: decides documents of running
// prose in a Latin-script language from its function words (function_words.h)
// in a few microseconds, and leaves every other document to CLD2.
//
// CLD2 costs ~50 us per 800-byte news story on this project's machines,
// which alone is more than the spine's budget per document; most web text
// is prose in a handful of languages whose function words settle the
// question. LanguageIdentifier (language.h) calls FastIdentify first and
// CLD2 only when it returns decided == false.
//
// Method. Words are maximal runs of Latin letters (ASCII, Latin-1, Latin
// Extended-A/B and Extended Additional, with combining marks and with
// apostrophes between letters, so "company's" and "l'homme" are one word
// that is on no list), lowercased. Each word on some list is a *hit*. A hit
// on exactly one list is *unique* evidence for that language. The top
// language is the one with the most unique hits; a hit shared by several
// lists goes to the top language when the top language's list has it, else
// to whichever of its languages has the most unique hits. The share is the
// top language's hits over all hits: about the fraction of the text written
// in that language, the quantity CLD2's percentages also estimate.
//
// The document is decided only when all of these hold (FastLidOptions):
//   - at most 1% of its letters are outside the Latin script;
//   - at least min_hits hits, and hits are at least min_hit_density of the
//     words (tables, lists of names and code have few function words);
//   - the top language has at least min_unique unique hits, strictly more
//     than any other language, and may decide (FunctionWordList);
//   - its share is at least min_share.
// A decided guess is reported as {code, share, reliable = true}. With the
// defaults no decided document scores below 0.9, above FineWeb's 0.65
// threshold, so the fast path never keeps a document that the threshold
// would have to weigh; documents with any real doubt get CLD2's verdict.
//
// Pure and thread-safe (the word table is built once, on first use).
#ifndef WINNOW_LANG_FAST_LID_H_
#define WINNOW_LANG_FAST_LID_H_

#include <cstddef>
#include <string_view>

namespace winnow::lang {

struct FastLidOptions {
  size_t min_hits = 10;
  double min_hit_density = 0.2;
  size_t min_unique = 3;
  double min_share = 0.9;
};

struct FastLidResult {
  bool decided = false;
  // Valid when decided: a code from FunctionWordLists(), and the share.
  std::string_view code;
  double share = 0.0;
  // What the scan saw (also when not decided), for tests and tuning.
  size_t words = 0;
  size_t hits = 0;
  size_t latin_letters = 0;
  size_t other_letters = 0;
};

// Examines all of `text` (the caller cuts it to its byte budget). Any bytes
// are accepted; ill-formed UTF-8 separates words like punctuation does.
// Pure-ASCII texts are scanned with bit masks (SSE2), others code point by
// code point; both give the same result.
FastLidResult FastIdentify(std::string_view text,
                           const FastLidOptions& options = {});

namespace internal {
// FastIdentify without the ASCII scan, for tests that compare the two.
FastLidResult FastIdentifyGeneral(std::string_view text,
                                  const FastLidOptions& options = {});
}  // namespace internal

}  // namespace winnow::lang

#endif  // WINNOW_LANG_FAST_LID_H_
