// winnow's generator of realistic crawled documents with known truth, so
// that tests, the demo and benchmarks never need third-party text.
//
// A corpus is spread over simulated sites (pages per site are Zipf-like).
// Each document is one of:
//   clean     - a news-like article, exactly as a perfect extractor would
//               give it: headline, blank line, paragraphs/subheadings
//               separated by blank lines;
//   debris    - an article with crawl debris around and inside it (site
//               header and menu, repeated navigation phrase, leaked heading
//               markup, glued sentences, headline echoed at the end, HTML
//               entities, mojibake, control characters, footer, plea);
//   junk      - a page quality filters should remove (see JunkKind);
//   near_dup  - a syndicated copy of an earlier article with controlled word
//               edits, possibly reordered paragraphs and added boilerplate;
//   exact_dup - the exact text of an earlier article document on a new URL;
//   bad       - a malformed record (see BadKind).
//
// Output is a pure function of GenOptions: same options, same bytes, on any
// platform (own PRNG and formatting, no std:: distributions or locale).
#ifndef WINNOW_GEN_GENERATOR_H_
#define WINNOW_GEN_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "winnow/status.h"

namespace winnow {

struct GenOptions {
  // Same seed + options -> same bytes. Default 1.
  uint64_t seed = 1;
  // Number of documents (lines) to emit. Default 1000.
  int64_t num_docs = 1000;
  // Number of simulated sites; pages per site follow 1/rank. Default 20.
  // REQUIRES: >= 1.
  int num_sites = 20;

  // Fractions of documents by kind. REQUIRES: each in [0, 1] and their sum
  // <= 1; the rest are clean articles. Kinds are assigned by a
  // low-discrepancy sequence, so every prefix of the corpus has each kind
  // within about one document of its share. Near and exact copies need an
  // earlier article to copy; before the first article exists they fall back
  // to clean.
  double debris_fraction = 0.30;     // default 0.30
  double junk_fraction = 0.10;       // default 0.10
  double near_dup_fraction = 0.10;   // default 0.10
  double exact_dup_fraction = 0.05;  // default 0.05
  // Invalid JSON, missing text, non-string text, invalid UTF-8. Default 0.
  double bad_record_fraction = 0;

  // Word edit fraction of near copies (insertions + deletions +
  // substitutions per source word), drawn uniformly from [min, max].
  // Defaults 0.0 and 0.05. Measured Jaccard of word 5-gram sets against the
  // source: fraction < 0.02 -> mean 0.90 (95% of copies >= 0.8);
  // 0.02-0.04 -> 0.76 (20% >= 0.8); 0.04-0.06 -> 0.64; 0.10 -> ~0.45.
  double near_dup_min_edit_fraction = 0.0;
  double near_dup_max_edit_fraction = 0.05;

  // 0 = natural article lengths (3-12 paragraphs, ~1-6 KB); else aim each
  // article at about this many bytes (e.g. 1000 for dedup benchmarks).
  // Site template lines and debris come on top. Default 0.
  int target_doc_bytes = 0;

  // Site-templates mode, for measuring site boilerplate removal (issue 5).
  // Default false: output is byte-identical to earlier versions. When true,
  // debris documents become template pages of their site: each site has a
  // fixed set of template lines, each shown on a site-specific share of its
  // pages (title and menu, a dateline whose date, time and counters vary,
  // a single navigation link, short share lines, a "related" heading, the
  // plea, a disclaimer, a cookie notice, a contact line, a footer with a
  // varying year or number) around an article that may carry the other
  // debris kinds (leaked headings, glued sentences, entities, ...; no
  // repeated-navigation line); each part is kept on 30-100% of a site's
  // pages (a per-site share). Sites expected to have at least 30 template
  // pages get three stock sentences, each a paragraph of its own in 2-4 of
  // the site's articles (content, not boilerplate). Ten quotations are each
  // adopted by about a quarter of the sites and quoted as a paragraph of its
  // own in 1 (sites expected below 30 template pages) to 3 of the site's
  // articles (content). Use many
  // sites (e.g. 1000 for 30000 documents) to get sites with few pages.
  // The truth gains "site_boilerplate" (see GenTruth).
  bool site_templates = false;
};

enum class GenKind : uint8_t { kClean, kDebris, kJunk, kNearDup, kExactDup, kBad };

// Bit positions in GenTruth::debris.
enum class DebrisKind : uint8_t {
  kSiteHeader,      // site title and menu lines above the headline
  kNavRepeat,       // "Back to news » Back to news » ..." on one line
  kHeadingMarkup,   // `H4 "Sub" behind / h4 text...` or literal `<h2>Sub</h2>`
  kGluedSentences,  // "word.Next": the space after a sentence lost
  kHeadlineEcho,    // the headline repeated as a last line
  kHtmlEntities,    // &amp; &quot; &#8217; &#8220; &#8221; &nbsp; &#39;
  kControlChars,    // U+0007/U+0001 controls, zero-width and no-break
                    // spaces, soft hyphens, a BOM at a line start, tabs,
                    // doubled and trailing spaces, CR before LF
  kMojibake,        // UTF-8 read as Windows-1252: ’ -> â€™
  kInvalidUtf8,     // raw invalid bytes (seed-like page only; in a corpus
                    // invalid UTF-8 only comes as BadKind::kInvalidUtf8)
  kSiteFooter,      // copyright/footer line with a varying year or number
  kSubscribePlea,   // the site's recurring subscription plea
  kCount,
};

enum class JunkKind : uint8_t {
  kNone = 0,
  kShort,            // a line or two ("Page not found")
  kKeywordList,      // comma-separated keyword stuffing
  kLinkList,         // lines of bare URLs and link titles
  kRepeatedLines,    // one line many times
  kBoilerplateOnly,  // site title, menu, cookie notice, plea, footer only
  kBullets,          // a page of bullet points
  kEllipses,         // teaser lines ending in "..." or "…"
  kSymbolSoup,       // non-prose symbols
};
inline constexpr int kNumJunkKinds = 8;

enum class BadKind : uint8_t {
  kNone = 0,
  kInvalidJson,    // truncated line, unterminated string or single quotes
  kMissingText,    // valid JSON without a "text" member
  kNonStringText,  // "text" is null, a number, an array or an object
  kInvalidUtf8,    // valid JSON syntax with raw invalid UTF-8 in "text"
};
inline constexpr int kNumBadKinds = 4;

std::string_view GenKindName(GenKind kind);        // "clean", "near_dup", ...
std::string_view DebrisKindName(DebrisKind kind);  // "site_header", ...
std::string_view JunkKindName(JunkKind kind);      // "none", "keyword_list", ...
std::string_view BadKindName(BadKind kind);        // "none", "invalid_json", ...

// Word-level edits that made a near copy from its source article.
struct EditStats {
  int source_words = 0;   // words of the source article's blocks (no headline)
  int insertions = 0;
  int deletions = 0;
  int substitutions = 0;
  int paragraph_moves = 0;    // adjacent paragraphs swapped
  int boilerplate_lines = 0;  // syndication lines added (role 'B')
  // (insertions + deletions + substitutions) / source_words.
  double fraction = 0;
};

// The truth for one document. Serialized as one JSON object per line by
// GenerateCorpus's emit_truth, with the field names given below.
struct GenTruth {
  int64_t index = 0;   // 0-based position in the corpus
  std::string id;      // "gen-<index>"                        ("id")
  GenKind kind = GenKind::kClean;                           // ("kind")
  int site_index = 0;  // 0 = the biggest site                 ("site_index")
  std::string site;    // domain, as in metadata.site          ("site")
  std::string url;     //                                      ("url")
  std::string date;    // YYYY-MM-DD                           ("date")
  // The article text a perfect cleaner would output: headline, blank line,
  // blocks separated by blank lines, no template lines, no debris. For
  // debris inside lines the original is restored (entities decoded, glued
  // sentences separated, controls removed, a leaked heading becomes its own
  // line). Empty for junk and for bad records other than kInvalidUtf8 (for
  // which it is the text without the invalid bytes).        ("clean_text")
  std::string clean_text;
  // Bit set of (1 << DebrisKind) present in the text.  ("debris": names)
  uint32_t debris = 0;
  JunkKind junk = JunkKind::kNone;  // ("junk": name or null)
  BadKind bad = BadKind::kNone;     // ("bad": name or null)
  // Duplicate family: index of the original article all copies derive from
  // (itself for articles; -1 for junk and bad).  ("family": id or null)
  int64_t family = -1;
  // Index of the document copied (near/exact dups), else -1. ("source")
  int64_t source = -1;
  EditStats edits;  // near_dup only                ("edits": object or null)
  // One character per '\n'-separated line of the emitted text:
  //   'A' article line (may carry inline debris)   '.' empty line
  //   'T' site template line, identical on every page of the site that
  //       shows it (title, menu, plea, cookie notice)
  //   'F' site footer: template with a varying year/number
  //   'N' navigation phrase repeated on one line (count varies)
  //   'H' headline echoed at the end
  //   'M' leaked heading markup (`<h2>Sub</h2>`, `H4 "Sub" behind / h4 ...`)
  //   'B' boilerplate added to a syndicated copy ("Originally published...")
  //   'J' junk line
  // and in site-templates mode also
  //   'D' site template line whose date, time or counters vary per page
  //   'S' a stock sentence: a paragraph that several articles of the site
  //       share (content)
  //   'Q' a quotation that articles of several sites quote (content)
  // Empty for bad records.                               ("line_roles")
  std::string line_roles;
  // Site-templates mode only (else empty and not serialized): one character
  // per line, SiteBoilerplateTruth(role): 'y' site boilerplate (must be
  // removed), 'n' content (must be kept), '-' no claim (blank lines, junk,
  // repeated navigation, syndication lines).          ("site_boilerplate")
  std::string site_boilerplate;

  bool HasDebris(DebrisKind k) const {
    return (debris >> static_cast<int>(k)) & 1u;
  }
};

// Whether a line of role `role` (GenTruth::line_roles) is site boilerplate:
// 'y' for T, F, D; 'n' for A, S, Q, M, H; '-' otherwise.
char SiteBoilerplateTruth(char role);

// Appends `truth` as one JSON object line (with '\n') to *out.
void AppendGenTruthJson(const GenTruth& truth, std::string* out);

// Generates options.num_docs documents. Calls emit_doc once per document
// with one JSONL line (ending in '\n'):
//   {"id":"gen-<n>","text":...,"metadata":{"url":...,"site":...,"date":...}}
// (bad records break this shape on purpose) and, if emit_truth is non-null,
// emit_truth once per document with its truth line (AppendGenTruthJson).
// The string_views are valid only during the call. Returns InvalidArgument
// for bad options; nothing is emitted then. Single-threaded.
Status GenerateCorpus(const GenOptions& options,
                      const std::function<void(std::string_view)>& emit_doc,
                      const std::function<void(std::string_view)>& emit_truth);

// Same, with the truth as a struct (valid only during the call); on_truth
// may be null.
Status GenerateCorpusWithTruth(
    const GenOptions& options,
    const std::function<void(std::string_view)>& emit_doc,
    const std::function<void(const GenTruth&)>& on_truth);

// One article page with every DebrisKind, including raw invalid UTF-8
// bytes, modelled on the seed page (for fixtures and the demo). Its article
// contains every must-not-break construct (U.S., e.g., decimals, a domain,
// initials, "very, very", a product name, an ampersand). If clean_article is
// non-null it receives the expected clean text (GenTruth::clean_text rules).
std::string GenerateSeedLikePage(uint64_t seed, std::string* clean_article);

// Same, with the full truth (kind kDebris; line_roles, debris bits).
std::string GenerateSeedLikePageWithTruth(uint64_t seed, GenTruth* truth);

}  // namespace winnow

#endif  // WINNOW_GEN_GENERATOR_H_
