// Site boilerplate (issue 5): lines that a site repeats on many of its pages
// (menus, navigation links, subscription pleas, copyright lines, datelines)
// are found by exact counting over the whole corpus and removed.
//
// A line is site boilerplate when, among the documents of its site
// (registered domain, see site_key.h), the number d of distinct documents
// that contain it (after NormalizeLine) satisfies
//     d >= min_docs_floor  and  (d >= min_docs  or  d >= min_fraction * n)
// where n is the number of documents of the site (a line on all n >= 2
// pages passes the floor); short lines (at most short_line_max_words words
// and short_line_max_bytes bytes normalized: "Share", "Menu") use
// min_docs_short, min_fraction_short and min_docs_floor_short instead.
// "Distinct documents" are distinct texts (TextKey): exact copies of a page
// on one site (tracking parameters, http and https) count once, so a copy
// never turns its own article into boilerplate. Once a (site, line) is
// boilerplate, the line is removed from every document of that site. A line
// that many sites share but no site repeats (a quotation, a syndicated
// paragraph) is not site boilerplate; CrossSiteMode decides, separately,
// whether lines found on many sites are removed too (off by default).
//
// Everything here works on in-memory data and never opens files. A pipeline
// stage runs it out of core and exactly (no sampling, no Bloom filter) with
// the sorted run files of dedup/run_file.h; KeyRecord has the fields and
// order of dedup::RunRecord {key_hi, key_lo, value}. With `shard` = the
// input file index:
//
//   map      (per input file, one DocumentKeyer per task): for each document,
//            DocumentKeyer::Keys(url, text, shard) appends
//              {site_key, kSiteDocsLine  = 0, text_key}   (site size)
//              {site_key, kSiteShardLine = 1, shard}      (where it lives)
//              {site_key, line_key,           text_key}   per distinct line
//            to a RunWriter with P partitions. PartitionOf(key_hi) sends all
//            records of a site to one partition, where they sort by (site,
//            line, value) with the two bookkeeping kinds first (a very large
//            site makes its partition slow, never bigger in memory).
//            Documents without a site emit nothing; count them by the
//            returned SiteOutcome (stats: no_url, malformed_url, ip_address).
//            About 24 bytes x (distinct lines + 2) per document.
//            With cross_site = kRemove, the keyer also appends
//            {line_key, site_key, 0} per distinct line to a second record
//            vector: write those to a second run set.
//   reduce   (per partition): merge the partition's map runs (RunMerger) and
//            feed every record, in order, to one SiteGroupReducer. For each
//            boilerplate (site, line) it calls on_decision(shard, site_key,
//            line_key) once per shard that holds documents of the site --
//            write {key_hi = shard, key_lo = site_key, value = line_key} to a
//            RunWriter (any partitioning) -- and on_group once with the
//            group's counts (for stats.json: lines and documents per site;
//            keep the top N groups per site by docs).
//            With set_on_repeated, it also reports the (site, line) groups
//            the site repeats below the thresholds (2+ pages, at least
//            repeated_min_fraction of the site): write them as well, with
//            a kind bit, for apply's anchors.
//            Memory: the distinct shards of the current site (at most the
//            number of input files); nothing grows with a site's size.
//            With set_on_propagate (propagate_min_words > 0), it reports
//            each long boilerplate line decided on propagate_min_docs+
//            pages once: write {line_key, 0, 0}; finalize merges them into
//            one sorted, unique set that apply passes to every document.
//            Cross-site: a CrossSiteReducer over the merged second run set
//            calls on_line(line_key) for lines on at least
//            cross_site_min_sites sites; O(1) memory.
//   finalize (one task): merge the decision runs of all reduce tasks (sorted
//            by shard, then site, then line) and cut the stream at shard
//            boundaries: one decision file per input file, sorted by (site,
//            line). Collect the cross-site line keys (sorted), if any.
//   apply    (per input file): load the file's decisions into a SiteLineSet
//            (16 bytes per (site, line) of the file's sites; a file's decision
//            count is at most its number of sites x their boilerplate and
//            repeated lines)
//            and, for each document, call
//              ApplyBoilerplate(options, text,
//                               set.LinesOf(SiteKey(site of url)),
//                               cross_site_keys, &out, removed,
//                               repeated.LinesOf(SiteKey(site of url)))
//            (SiteOfUrl + SiteKey give the site key, as in the map). A
//            document without a site, or whose site has no boilerplate line,
//            is untouched byte for byte. ApplyResult::too_short: remove the
//            document with reason kTooShortReason. Line texts exist only
//            here: to list the top removed lines per site in stats.json,
//            take the text of the top groups' lines from the `removed`
//            output (LineKey(NormalizeLine(text), options.short_line_max_words,
//            options.short_line_max_bytes) names the group).
//
// Results depend only on the documents, their URLs and the options: not on
// document order, -j, the partition count, nor the order in which tasks
// finish.
//
// Thread safety: the classes are used by one thread at a time; the free
// functions are pure.
#ifndef WINNOW_BOILERPLATE_BOILERPLATE_H_
#define WINNOW_BOILERPLATE_BOILERPLATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "boilerplate/site_key.h"
#include "winnow/status.h"

namespace winnow::boilerplate {

enum class CrossSiteMode : uint8_t {
  kKeep,    // lines shared by many sites but not repeated by one: kept
  kRemove,  // also removed when on >= cross_site_min_sites sites (CCNet-like;
            // removes quotations that several outlets reprint)
};

struct BoilerplateOptions {
  // Absolute threshold: a line on at least this many documents of its site
  // is boilerplate, whatever the fraction. Default 1000. Measured
  // (docs/BOILERPLATE.md): every K that fires on the generator's sites (up
  // to ~2,800 pages) takes recurring subheadings ("What comes next?" on 6%
  // of a big site's articles); with F = 0.15, K only matters on sites of
  // more than K / F = 6,667 pages, where a section template on a few
  // percent of the pages would otherwise stay. 0 disables the rule.
  uint32_t min_docs = 1000;
  // Relative threshold: a line on at least this fraction of its site's
  // documents is boilerplate. Default 0.15 (measured): 0.1 starts taking
  // stock sentences that 2-4 articles of a 20-40 page site share; 0.3 loses
  // template parts that extraction kept on few pages. 0 or above 1
  // disables the relative rule.
  double min_fraction = 0.15;
  // Short lines ("Share", "Menu", "Read more"): at most this many words and
  // bytes after normalization. Defaults 2 and 24.
  uint32_t short_line_max_words = 2;
  uint32_t short_line_max_bytes = 24;
  // Thresholds for short lines. Defaults 100 and 0.1. The absolute
  // threshold only matters on sites of more than 100 / 0.1 = 1,000 pages;
  // at 20 it took a table header and first row that a documentation site
  // repeats on 41 of its 1,169 pages ("Column Type", "oid oid"), costing
  // nothing on the generator's sites (docs/BOILERPLATE.md).
  uint32_t min_docs_short = 100;
  double min_fraction_short = 0.1;
  // No line is boilerplate on fewer distinct documents of its site than
  // this, whatever the fraction. Default 3 (measured): with 2, a quotation
  // on two pages of a small site (one a syndicated copy) is taken for a
  // template (9 of 1,921 quotations on the generator's corpus); the price is
  // the template parts a site shows on exactly two pages. Short lines have
  // their own floor, default 2 (a quotation is never short).
  uint32_t min_docs_floor = 3;
  uint32_t min_docs_floor_short = 2;
  // A line on every page of a site of at least two pages passes the floor
  // (the templates of two-page sites). Default true.
  bool every_page_passes_floor = true;

  CrossSiteMode cross_site = CrossSiteMode::kKeep;  // default kKeep
  // kRemove only: number of distinct sites. Default 10.
  uint32_t cross_site_min_sites = 10;

  // Per-document work bounds: only the first max_lines_per_doc lines are
  // counted and can be removed; lines longer than max_line_bytes are neither
  // counted nor removed (a page-long line is content or junk, never a
  // template). Defaults 10000 and 4096.
  uint32_t max_lines_per_doc = 10000;
  uint32_t max_line_bytes = 4096;

  // Structure of removal. A template sits around the article (header,
  // menus, dateline; share buttons, plea, footer, "Previous topic" links)
  // while a short line that a site repeats *inside* its pages is the page's
  // own structure: a reference manual's "Description" or "Parameters"
  // heading, a table header, a code line ("else:", "endif()"). So short
  // decided lines are removed only around the article: an *anchor* is an
  // undecided line of at least anchor_min_words words (prose); a run of
  // decided lines (blank lines and nothing else between them) with an
  // anchor before it and an anchor after it, fewer than min_interior_run
  // lines and only short lines, is kept. Decided lines before the first
  // anchor or after the last one, long decided lines (a disclaimer between
  // the article and its comments) and longer runs are removed.
  // min_interior_run 1 removes every decided line wherever it is.
  // Defaults 3 and 5 (measured, docs/BOILERPLATE.md).
  uint32_t min_interior_run = 3;
  uint32_t anchor_min_words = 5;
  // false: the rule above keeps interior runs of long lines too.
  bool interior_short_only = true;
  // A line that is not boilerplate but that the site repeats on at least
  // two pages and at least this fraction of its pages (a template part a
  // small site shows below the thresholds) is never an anchor. Default
  // 0.05: on a 5-page site, a plea on 2 pages is not the page's prose; on a
  // 1,169-page documentation site, a command's one-line summary that its
  // index page repeats still is (measured, docs/BOILERPLATE.md). Above 1
  // disables the rule.
  double repeated_min_fraction = 0.05;

  // Propagation: a page copied from site A onto site B carries A's template
  // (A's menus, footer, plea), shown once on B, where counting cannot see
  // it. A long line that is boilerplate on some site (its home) is removed
  // wherever it appears, on any site, when the line has at least
  // propagate_min_words words and its home site decided it on at least
  // propagate_min_docs distinct pages. Quotations and syndicated
  // paragraphs are never propagated: they are shared across sites but not
  // repeated within one, so no site decides them. Short generic lines
  // ("Home", "Share") never spread. Defaults 4 words and 5 pages
  // (measured, docs/BOILERPLATE.md): at 3 words a recurring subheading
  // ("What comes next?") that one big site repeats spread to every site's
  // articles (P 0.988); at 3 pages a quotation that a small site printed on
  // three pages (near-duplicates) spread to every site quoting it (421 of
  // 2,142 quotation lines on a heavy-copy corpus). propagate_min_words 0
  // disables.
  uint32_t propagate_min_words = 4;
  uint32_t propagate_min_docs = 5;
  // Edge propagation: a boilerplate line of some site on at least
  // propagate_min_docs of its pages that is too short to propagate
  // everywhere (a short line, or fewer than propagate_min_words words: a
  // site's title, "Share", "Read also", "Back to news »") is removed on any
  // site where it sits in the page's template region: before the page's
  // first anchor or after its last one (see anchor_min_words), never
  // between two anchors and never on a page without anchors. A line
  // without a letter ("2", "...": data, code) never spreads. Default
  // true (measured, docs/BOILERPLATE.md). Needs propagate_min_words > 0.
  bool propagate_edges = true;
  // A long boilerplate line decided on fewer than this many pages of its
  // site (a weak decision: 3 or 4 pages of a small site) is removed only
  // where a short one would be: around the article or in a run of
  // min_interior_run lines, not alone between two anchors. Near-duplicate
  // copies of an article on one small site put its quotation on three
  // pages of 17; a template line sits around the article. The reducer
  // reports such lines through set_on_repeated too (a decided line is never
  // an anchor anyway, so that report changes nothing else). Default 5
  // (measured, docs/BOILERPLATE.md); 0 disables.
  uint32_t interior_long_min_docs = 5;
  // A page that carries another site's template -- a long line that some
  // other site decided (propagate_min_words, propagate_min_docs) and the
  // page's own site did not -- is a copy of that site's page: the site's
  // weak decisions (interior_long_min_docs) are kept on it wherever they
  // sit. A site that printed such a copy and, in two articles of its own,
  // the same quotation has the quotation on 3 pages (a weak decision), and
  // on the copy it is the last paragraph, in the template region. Default
  // true (measured, docs/BOILERPLATE.md).
  bool keep_weak_on_foreign_copies = true;
  // Code and data are never removed as their own site's boilerplate: a
  // line without a letter (digits, punctuation, symbols: "2", "...", "}",
  // "192.0.2.1"; such lines never spread to other sites either, see
  // propagate_edges) or one that starts with a space or a tab (an indented
  // line of preformatted text: "    try:"). Number-only lines share one
  // line key, so the output rows of a documentation site's examples add up
  // to a decided line "2", and a code line "try:" recurs in examples.
  // Extracted text has no leading blanks outside preformatted blocks.
  // Default true (measured, docs/BOILERPLATE.md).
  bool code_lines_stay = true;
  // Before the page's first anchor, a run of fewer than min_interior_run
  // short decided lines whose previous non-blank line is the page's own
  // (kept, not a line the site repeats) is kept: an admonition label "Note"
  // between a reference page's "Source code: Lib/x.py" line and its first
  // paragraph. A site's header (title, menu, dateline) starts at the top of
  // the page or follows other template lines. After the last anchor, only
  // the run right after it, and only when every non-blank line after the run
  // is the page's own: a heading "Examples" over the code that ends a
  // reference page. Not for other runs after the last anchor: a navigation
  // block "Previous topic / <title> / Next topic / <title>" alternates
  // decided labels with kept link titles (measured, docs/BOILERPLATE.md).
  // Default true.
  bool keep_enclosed_head_lines = true;

  // A document with lines removed whose remaining text has fewer than this
  // many whitespace-separated words is removed, reason kTooShortReason.
  // Default 20 (a headline and a sentence; quality filters with higher
  // minimums come later). 0 keeps every document.
  uint32_t min_words_after_removal = 20;
};

// Reason of a document removed because too little was left after its
// boilerplate lines were removed.
inline constexpr std::string_view kTooShortReason = "boilerplate_too_short";

// Returns InvalidArgument when an option is out of range.
Status ValidateOptions(const BoilerplateOptions& options);

// Decision for a (site, line) group of `docs` distinct documents on a site of
// `site_docs` documents. Pure.
bool IsBoilerplate(const BoilerplateOptions& options, bool short_line,
                   uint64_t docs, uint64_t site_docs);

// The document count at and above which a group is boilerplate on a site of
// `site_docs` documents (UINT64_MAX when no count is enough).
uint64_t Threshold(const BoilerplateOptions& options, bool short_line,
                   uint64_t site_docs);

// A sorted-run record; same fields and order as dedup::RunRecord.
struct KeyRecord {
  uint64_t key_hi = 0;
  uint64_t key_lo = 0;
  uint64_t value = 0;
  friend auto operator<=>(const KeyRecord&, const KeyRecord&) = default;
};

// One line of a text as seen by the keyer and by ApplyBoilerplate: lines
// are the '\n'-separated pieces (a '\r' before '\n' belongs to the line).
// Lines that normalize to nothing (blank lines) have key 0 and are never
// counted or removed; so are lines past max_lines_per_doc or longer than
// max_line_bytes.
struct LineInfo {
  std::string_view text;
  uint64_t key = 0;
  bool blank = false;  // normalizes to the empty string
};

// Splits `text` into lines with their keys (key 0 for the lines not
// counted). Reuses `scratch` for normalization.
void KeyLines(const BoilerplateOptions& options, std::string_view text,
              std::vector<LineInfo>* lines, std::string* scratch);

// Reserved line keys of the bookkeeping records (LineKey never returns
// them).
inline constexpr uint64_t kSiteDocsLine = 0;
inline constexpr uint64_t kSiteShardLine = 1;

// Map: emits the records of one document. One per map task.
class DocumentKeyer {
 public:
  // `psl` must outlive the keyer.
  DocumentKeyer(const PublicSuffixList* psl, BoilerplateOptions options);

  // Finds the document's site from `url` and, if it has one, appends its
  // two bookkeeping records and one record per distinct counted line to
  // *site_records, and (only with cross_site == kRemove) one record per
  // distinct counted line to *cross_site_records (may be null otherwise).
  // Returns what SiteOfUrl found; nothing is appended without a site.
  SiteOutcome Keys(std::string_view url, std::string_view text, uint64_t shard,
                   std::vector<KeyRecord>* site_records,
                   std::vector<KeyRecord>* cross_site_records);

  // The site found by the last Keys() call (empty if none) and its key
  // (0 if none).
  const std::string& site() const { return site_; }
  uint64_t site_key() const { return site_key_; }

 private:
  const PublicSuffixList* psl_;
  BoilerplateOptions options_;
  std::string site_;
  uint64_t site_key_ = 0;
  std::string scratch_;
  std::vector<LineInfo> lines_;
  std::vector<uint64_t> keys_;
};

// A boilerplate (site, line) group, reported once by the reducer.
struct GroupStat {
  uint64_t site_key = 0;
  uint64_t line_key = 0;
  uint64_t docs = 0;       // distinct documents of the site with the line
  uint64_t site_docs = 0;  // distinct documents of the site
};

// Reduce: consumes the site records of one partition in sorted order and
// reports the decisions. Repeated records (same key and value) count once.
class SiteGroupReducer {
 public:
  using DecisionFn =
      std::function<void(uint64_t shard, uint64_t site_key, uint64_t line_key)>;
  using GroupFn = std::function<void(const GroupStat&)>;

  // on_group may be null.
  SiteGroupReducer(BoilerplateOptions options, DecisionFn on_decision,
                   GroupFn on_group);
  // Optional: called like on_decision, once per shard of the site, for
  // every (site, line) group on at least two distinct documents of its site
  // and at least options.repeated_min_fraction of them that is *not*
  // boilerplate (a template part below the thresholds, a
  // stock sentence, a quotation, a near-duplicate's paragraph). Apply uses
  // these lines to tell prose that is the page's own (anchors, see
  // BoilerplateOptions::anchor_min_words) from lines the site repeats.
  // Also called, besides on_decision, for every boilerplate group of a long
  // line on fewer than options.interior_long_min_docs documents (a weak
  // decision; repeated_groups() does not count these).
  void set_on_repeated(DecisionFn on_repeated) {
    on_repeated_ = std::move(on_repeated);
  }
  // Optional: called once per boilerplate group of a long line (not
  // IsShortLineKey; any line with options.propagate_edges) on at least
  // options.propagate_min_docs documents of
  // its site, with the line key, when options.propagate_min_words > 0.
  // The union over all sites (sorted, unique) is the job's propagated line
  // set for MarkRemovedLines / ApplyBoilerplate.
  void set_on_propagate(std::function<void(uint64_t line_key)> on_propagate) {
    on_propagate_ = std::move(on_propagate);
  }

  // REQUIRES: records in ascending (key_hi, key_lo, value) order.
  void Add(const KeyRecord& record);
  // Completes the last group. Call once, after the last Add().
  void Finish();

  uint64_t sites() const { return sites_; }
  uint64_t groups() const { return groups_; }
  uint64_t boilerplate_groups() const { return boilerplate_groups_; }
  uint64_t decisions() const { return decisions_; }
  uint64_t repeated_groups() const { return repeated_groups_; }

 private:
  void EndGroup();

  BoilerplateOptions options_;
  DecisionFn on_decision_;
  GroupFn on_group_;
  DecisionFn on_repeated_;
  std::function<void(uint64_t)> on_propagate_;
  bool have_prev_ = false;
  KeyRecord prev_;
  uint64_t site_docs_ = 0;
  std::vector<uint64_t> shards_;
  bool in_group_ = false;
  uint64_t group_docs_ = 0;
  uint64_t sites_ = 0, groups_ = 0, boilerplate_groups_ = 0, decisions_ = 0,
           repeated_groups_ = 0;
};

// Reduce for cross-site removal: consumes {line_key, site_key, *} records in
// sorted order; calls on_line(line_key) once for each line found on at least
// options.cross_site_min_sites distinct sites, in ascending key order.
class CrossSiteReducer {
 public:
  CrossSiteReducer(BoilerplateOptions options,
                   std::function<void(uint64_t line_key)> on_line);
  void Add(const KeyRecord& record);
  void Finish();

 private:
  void EndGroup();
  BoilerplateOptions options_;
  std::function<void(uint64_t)> on_line_;
  bool in_group_ = false;
  uint64_t line_ = 0;
  uint64_t last_site_ = 0;
  uint64_t sites_ = 0;
};

struct ApplyResult {
  uint32_t lines_removed = 0;
  uint64_t bytes_removed = 0;
  uint32_t words_left = 0;
  // Lines were removed and fewer than min_words_after_removal words are
  // left: remove the document with reason kTooShortReason.
  bool too_short = false;
};

// Marks (*drop)[i] = 1 for every line of `lines` (KeyLines of a document)
// that apply removes: its key is in `site_line_keys` or `cross_site_keys`
// (both sorted ascending) and its run passes options.min_interior_run.
// Returns the number of lines marked.
// `site_repeated_keys` (sorted; may be empty) are the site's lines on two
// or more of its pages that are not boilerplate (SiteGroupReducer::
// set_on_repeated): they are never anchors.
// `propagated_keys` (sorted; may be empty; SiteGroupReducer::
// set_on_propagate over all sites): a line whose key is in it, is long
// (!IsShortLineKey) and has at least options.propagate_min_words words is
// decided too, on any site; with options.propagate_edges, any other line
// whose key is in it and that has a letter (not "2", "...") is removed when
// it lies before the first anchor or after the last one (min_interior_run
// > 1 and a page with an anchor).
// A decided long line that is also in `site_repeated_keys` (a weak
// decision, interior_long_min_docs) counts as short for the interior-run
// rule. Options keep_weak_on_foreign_copies, code_lines_stay and
// keep_enclosed_head_lines unmark lines as their comments say.
uint32_t MarkRemovedLines(const BoilerplateOptions& options,
                          std::span<const LineInfo> lines,
                          std::span<const uint64_t> site_line_keys,
                          std::span<const uint64_t> cross_site_keys,
                          std::vector<char>* drop,
                          std::span<const uint64_t> site_repeated_keys = {},
                          std::span<const uint64_t> propagated_keys = {});

// Apply: removes from `text` the lines MarkRemovedLines marks (lines whose
// key is in `site_line_keys`
// (the boilerplate lines of the document's site) or in `cross_site_keys`,
// both sorted ascending (duplicates allowed), in a run that starts or ends
// the document or is long enough). Writes the new text to *out.
// When nothing is removed, *out == text byte for byte. When lines are
// removed, the blank lines around them are merged: between two kept
// non-blank lines the longest blank run of the gap is kept; blank lines
// before the first or after the last kept non-blank line are dropped. If
// `removed` is not null, the removed lines (views into `text`) are appended.
ApplyResult ApplyBoilerplate(const BoilerplateOptions& options,
                             std::string_view text,
                             std::span<const uint64_t> site_line_keys,
                             std::span<const uint64_t> cross_site_keys,
                             std::string* out,
                             std::vector<std::string_view>* removed = nullptr,
                             std::span<const uint64_t> site_repeated_keys = {},
                             std::span<const uint64_t> propagated_keys = {});

// The boilerplate lines of the sites of one input file (or of a whole
// in-memory corpus): (site_key, line_key) pairs, sorted.
class SiteLineSet {
 public:
  // Appends a pair; call Seal() after the last one. Pairs may come in any
  // order and repeat.
  void Add(uint64_t site_key, uint64_t line_key);
  void Seal();
  // The line keys of `site_key`, sorted. REQUIRES: Seal() was called.
  std::span<const uint64_t> LinesOf(uint64_t site_key) const;
  size_t size() const { return sites_.size(); }

 private:
  std::vector<uint64_t> sites_, lines_;
  std::vector<std::pair<uint64_t, uint64_t>> pending_;
};

// The whole computation in memory (for tests and the measurement tool),
// through the same keyer, reducers and apply as a pipeline stage:
// AddDocument for every document, Compute() once, then Apply per document.
class InMemoryBoilerplate {
 public:
  InMemoryBoilerplate(const PublicSuffixList* psl, BoilerplateOptions options);

  SiteOutcome AddDocument(std::string_view url, std::string_view text);
  void Compute();
  // Applies the decisions to a document (found by its URL's site).
  ApplyResult Apply(std::string_view url, std::string_view text,
                    std::string* out,
                    std::vector<std::string_view>* removed = nullptr);

  std::span<const uint64_t> cross_site_keys() const { return cross_keys_; }
  std::span<const uint64_t> propagated_keys() const { return prop_keys_; }
  const std::vector<GroupStat>& groups() const { return groups_; }
  uint64_t outcome_count(SiteOutcome o) const {
    return outcomes_[static_cast<int>(o)];
  }

 private:
  BoilerplateOptions options_;
  const PublicSuffixList* psl_;
  DocumentKeyer keyer_;
  std::vector<KeyRecord> site_records_, cross_records_;
  SiteLineSet set_, repeated_;
  std::vector<uint64_t> cross_keys_, prop_keys_;
  std::vector<GroupStat> groups_;
  std::string site_;
  uint64_t outcomes_[kNumSiteOutcomes] = {};
};

}  // namespace winnow::boilerplate

#endif  // WINNOW_BOILERPLATE_BOILERPLATE_H_
