// Language identification of document text in two tiers: a fast path of
// our own (fast_lid.h) that decides running prose in the major Latin-script
// languages from their function words, and CLD2 (Compact Language Detector
// 2, Debian libcld2 with its full 160-language tables) for every document
// the fast path is not sure of. A decided document gets the fast path's
// code, its share of the function words as the score (at least 0.9 with
// the defaults) and reliable = true; LanguageIdStats::fast_path tells which
// tier answered. On the shared data the fast path decides 67-91% of the
// documents and names the language CLD2 names on every one of them
// (docs/BENCHMARKS.md, lang_agreement). The rest of this comment is about
// the CLD2 tier.
//
// FineWeb keeps documents whose fastText lid.176 English probability is at
// least 0.65. fastText is not available here, so LanguageIdentifier derives a
// comparable 0..1 score from what CLD2 reports:
//
//   code   The language with the largest share of the text: CLD2 returns up
//          to three languages with the percentage of the text's letter bytes
//          it attributes to each (bytes in chunks CLD2 could not attribute
//          reliably count for no language). Entries that map to the same
//          code are merged (zh and zh-Hant both give "zh"). CLD2's own
//          "summary language" is not used: it applies a web-page heuristic
//          that treats English or French/Italian/German/Spanish text as
//          boilerplate whenever another language covers 17-20% of the page,
//          which mislabels extracted main text (an English news item quoting
//          a German company name came out as German).
//   score  share / 100 when the guess is reliable, share / 200 otherwise
//          (options.unreliable_factor, default 0.5).
//   reliable  CLD2's is_reliable when CLD2's summary language is `code`.
//          CLD2 clears it when the summary language has less than 51% of
//          the text (after discounting English, or French/Italian/German/
//          Spanish, as boilerplate), or when more than 20% of the text is
//          attributed to no language. When CLD2 summarized as another
//          language or as unknown, its flag is about that choice, so the
//          same rule is applied to `code` directly: share >= 51% and at most
//          20% unattributed.
//          With the default factor no unreliable guess reaches FineWeb's 0.65
//          threshold. Scores are multiples of 0.005 (CLD2 percentages are
//          integers); because CLD2 counts a leading and trailing space as
//          text bytes, the largest share of a one-sentence text is about
//          0.92 and of a paragraph 0.97-0.99.
//   "und"  nothing identifiable (empty text, digits and symbols, too short,
//          unsupported script): score 0, not reliable.
//
// Codes are ISO 639-1 where one exists ("en", "de", "zh", "he", "jv"), else
// ISO 639-2/3 ("ceb", "haw", "chr"). CLD2's legacy or regional codes are
// mapped: iw->he, jw->jv, zh-Hant->zh, sr-ME->sr.
//
// Measured on Reuters-21578 (19,043 non-empty stories): 99.0% get "en" with
// score >= 0.65; the rest are mostly earnings tables ("Shr 45 cts vs 58
// cts / Net 1.1 mln ..."), which come out "und".
#ifndef WINNOW_LANG_LANGUAGE_H_
#define WINNOW_LANG_LANGUAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow {

struct LanguageGuess {
  // ISO 639-1 code like "en", "de", "zh" (ISO 639-2/3 when there is no
  // two-letter code), or "und".
  std::string code;
  // 0..1, see the file comment.
  double score = 0.0;
  // CLD2's reliability flag (false for "und").
  bool reliable = false;
};

struct LanguageIdOptions {
  // Only the first max_bytes bytes of a document are examined (cut back to a
  // code point boundary). Language is settled well before this; the limit
  // bounds the work on huge documents (CLD2 runs at about 15 MB/s).
  // Default 64 KiB. REQUIRES: 1 <= max_bytes <= 1 GiB.
  size_t max_bytes = 64 * 1024;
  // Factor applied to the score of a guess CLD2 does not call reliable.
  // Default 0.5, which keeps every unreliable guess below 0.5.
  // REQUIRES: 0 <= unreliable_factor <= 1.
  double unreliable_factor = 0.5;
  // Try the function-word fast path (fast_lid.h) before CLD2. Default true;
  // false gives CLD2's answer for every document (~6x slower on news).
  bool fast_path = true;
};

// What the last Identify() call had to do to its input.
struct LanguageIdStats {
  bool truncated = false;  // text longer than max_bytes
  size_t replaced = 0;     // ill-formed or control sequences replaced by ' '
                           // (CLD2 only; 0 when the fast path decided)
  bool fast_path = false;  // decided by the fast path, not by CLD2
};

// Thread-compatible: keeps a scratch buffer, so use one instance per thread.
// CLD2 itself is thread-safe (its tables are read-only).
class LanguageIdentifier {
 public:
  explicit LanguageIdentifier(LanguageIdOptions options = {});

  // Identifies the language of `utf8_text`. Any bytes are accepted:
  // ill-formed UTF-8 and characters CLD2 refuses (C0/C1 controls other than
  // whitespace, noncharacters) are replaced by spaces in a private copy
  // before detection. Never fails; the view need only be valid during the
  // call.
  LanguageGuess Identify(std::string_view utf8_text);

  // Details of the last Identify() call.
  const LanguageIdStats& last_stats() const { return last_stats_; }

  const LanguageIdOptions& options() const { return options_; }

  // CLD2's version and table date, e.g. "V2.0 - 20140204" for the full
  // tables (the smaller Chrome tables report 20141016).
  static std::string_view DetectorVersion();

 private:
  LanguageIdOptions options_;
  std::string scratch_;
  LanguageIdStats last_stats_;
};

// Rounds a score to 4 decimals, the precision written to metadata.
double RoundLanguageScore(double score);

}  // namespace winnow

#endif  // WINNOW_LANG_LANGUAGE_H_
