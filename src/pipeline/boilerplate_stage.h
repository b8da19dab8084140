// Site boilerplate (src/boilerplate/boilerplate.h) as a corpus-wide stage of
// a job: the phases that boilerplate.h describes, over the files of one
// stage directory OUT/.work/s<k>/ (docs/BOILERPLATE.md, docs/CONFIG.md):
//
//   map      (per input file i, inside the segment task before the stage):
//            BoilerplateMapper keys every document that reaches the stage:
//              site-NNNNN.pPPPPP.run   {site, line, text} records, P parts
//              cross-NNNNN.pPPPPP.run  {line, site, 0} (cross_site: remove)
//   reduce   (per partition p): ReduceBoilerplatePartition merges the
//            partition's map runs through one SiteGroupReducer and writes
//              sitelines-PPPPP.top     the partition's top sites and lines
//              sitelines-PPPPP.xrun    cross-site line keys (remove only)
//              sitelines-PPPPP.prun    {line, 0, 0}, each key once: long
//                                      boilerplate lines to propagate to
//                                      every site (propagate_min_words > 0;
//                                      short ones too with propagate_edges:
//                                      removed at page edges only)
//              sitelines-PPPPP.counts  sites, groups, decisions (text)
//              sitelines-PPPPP.run     {2 * shard + kind, site, line}: the
//                                      decisions (kind 0 boilerplate, 1 a
//                                      line the site repeats below the
//                                      thresholds: never an anchor; also a
//                                      weakly decided long line, besides
//                                      its kind 0 record), renamed
//                                      into place last (the marker)
//   finalize (one task): FinalizeBoilerplate cuts the merged decisions at
//            shard boundaries and merges the partition files:
//              decisions-NNNNN.run     {site, line, kind} of input file i
//              cross.run               {line, 0, 0}, sorted (may be empty)
//              propagated.run          {line, 0, 0}, sorted, unique: lines
//                                      decided on some site, removed on all
//                                      (propagate_min_words > 0)
//              top.run                 the job's top sites and lines
//            then the caller writes finalize.done.
//   apply    (per input file, inside the next segment task):
//            BoilerplateApplier loads the file's decisions, the cross-site
//            keys, the propagated keys and the top groups, removes the decided lines of every
//            document (ApplyBoilerplate) and tallies the top groups' removed
//            lines with their first text; WriteTop() leaves them in
//              top-NNNNN.txt
//            for MergeBoilerplateReport, which builds stats.json's
//            "boilerplate" member.
//
// Top sites: each partition keeps its `top_sites` sites with the largest
// estimated removal (sum over the site's boilerplate groups of the distinct
// pages holding the line), each with its `top_lines` groups by pages; a site
// lives in one partition, so the job's top list is the top of the partitions'
// lists. Their removed lines are then counted exactly by the apply tasks.
// Ties go to the smaller key, so everything is deterministic and independent
// of -j, the partition count and task order.
//
// Every file is written atomically; run files are checksummed
// (dedup/run_file.h). A missing or corrupt file fails the task that reads it.
//
// Thread safety: a parsed BoilerplateStageConfig is immutable and shared by
// all tasks; the classes are used by one task (thread) at a time.
#ifndef WINNOW_PIPELINE_BOILERPLATE_STAGE_H_
#define WINNOW_PIPELINE_BOILERPLATE_STAGE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "boilerplate/boilerplate.h"
#include "boilerplate/site_key.h"
#include "dedup/run_file.h"
#include "pipeline/config.h"
#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

inline constexpr std::string_view kBoilerplateStepType = "boilerplate";

struct BoilerplateStageConfig {
  boilerplate::BoilerplateOptions options;
  // The Public Suffix List, read when the job is planned. Default Debian's
  // publicsuffix package (boilerplate::kDebianPublicSuffixListPath).
  std::string psl_path;
  std::shared_ptr<const boilerplate::PublicSuffixList> psl;
  // Reduce tasks (partitions of the site space). Default 8.
  uint32_t partitions = 8;
  // Sort buffer of one map task, and of the reduce/finalize writers.
  // Default 64 MiB.
  uint64_t map_memory_bytes = uint64_t{64} << 20;
  // stats.json: this many sites (by lines removed), with this many lines
  // each. Defaults 20 and 10.
  uint32_t top_sites = 20;
  uint32_t top_lines = 10;
  // "auto", "spill" or "reread" (CorpusStageOptions::Handoff).
  std::string handoff = "auto";
  // When the stage is followed by the job's last segment: the map task of an
  // input file also runs that segment on the file's documents for as long as
  // none of them has a site (no URL, or a malformed one), since the stage
  // leaves those untouched; if none has, that segment's outputs are written
  // then and the file is not read (or its spill written) again. The outputs
  // are the same either way. Default true.
  bool fuse_siteless = true;
};

// Parses the options of a `boilerplate` step (BoilerplateOptions fields:
// min_docs, min_fraction, min_docs_short, min_fraction_short,
// min_docs_floor, min_docs_floor_short, every_page_passes_floor,
// min_interior_run, anchor_min_words, interior_short_only,
// repeated_min_fraction, propagate_min_words, propagate_min_docs,
// propagate_edges, interior_long_min_docs, keep_weak_on_foreign_copies,
// code_lines_stay, keep_enclosed_head_lines,
// short_line_max_words, short_line_max_bytes, cross_site (keep|remove), cross_site_min_sites,
// min_words_after_removal, max_lines_per_doc, max_line_bytes; and
// partitions, map_memory_mb, top_sites, top_lines, handoff, fuse_siteless,
// psl_path) and
// reads and parses the Public Suffix List. InvalidArgument for a bad or
// unknown option, NotFound (naming the path and the Debian package) when the
// list cannot be read.
Status ParseBoilerplateStage(const StepSpec& spec, BoilerplateStageConfig* out);

// The URL of a document: metadata "url" (the JSONL reader puts both
// metadata.url and a top-level url there, metadata.url first; WARC readers
// put the target URI there). A JSON string is unescaped into *scratch; null
// or absent gives ""; any other JSON value is returned raw (a malformed URL).
std::string_view DocumentUrl(const Document& doc, std::string* scratch);

// Counter name of a site outcome in the stage's stats ("no_url",
// "malformed_url", "ip_address", "registered_domain", "suffix_host").
std::string_view SiteOutcomeCounter(boilerplate::SiteOutcome outcome);

// Map side of one input file.
class BoilerplateMapper {
 public:
  // Writes "<site_prefix>.pPPPPP.run" (and, with cross_site: remove,
  // "<cross_prefix>.pPPPPP.run") for the config's partitions. `config` must
  // outlive the mapper.
  static Result<std::unique_ptr<BoilerplateMapper>> Create(
      const BoilerplateStageConfig* config, const std::string& site_prefix,
      const std::string& cross_prefix, uint32_t shard);
  ~BoilerplateMapper();

  // Keys one document; returns what its URL gave.
  boilerplate::SiteOutcome Add(const Document& doc);
  // Writes the partition files. Then Abandon() is a no-op.
  Status Finish();
  // Removes everything written so far.
  void Abandon();

 private:
  BoilerplateMapper(const BoilerplateStageConfig* config, uint32_t shard);
  uint32_t shard_;
  boilerplate::DocumentKeyer keyer_;
  std::unique_ptr<dedup::RunWriter> sites_;
  std::unique_ptr<dedup::RunWriter> cross_;
  std::vector<boilerplate::KeyRecord> site_records_, cross_records_;
  std::string url_scratch_;
};

// Paths of one partition's reduce outputs (see the header comment).
struct BoilerplateReducePaths {
  std::string decisions;  // ".run": written last, the task's marker
  std::string top;        // ".top"
  std::string cross;      // ".xrun"
  std::string propagated; // ".prun"
  std::string counts;     // ".counts"
};
BoilerplateReducePaths BoilerplateReduceFiles(const std::string& stage_dir,
                                              uint32_t partition);

// Reduce of one partition. `cross_runs` is empty unless cross_site: remove.
Status ReduceBoilerplatePartition(const BoilerplateStageConfig& config,
                                  const std::vector<std::string>& site_runs,
                                  const std::vector<std::string>& cross_runs,
                                  const BoilerplateReducePaths& out);

// Sums of the reduce tasks' counts (stats.json "stages").
struct BoilerplateCounts {
  int64_t sites = 0;               // sites with at least one document
  int64_t boilerplate_groups = 0;  // (site, line) pairs decided boilerplate
  int64_t sites_with_boilerplate = 0;
  int64_t decisions = 0;  // (file, site, line) triples
  int64_t cross_site_lines = 0;
};

// Finalize: from every partition's outputs, one decision file per input file
// (`decision_paths`, in input order), the sorted cross-site keys and the
// job's top groups. Adds the partitions' counts to *counts.
Status FinalizeBoilerplate(const BoilerplateStageConfig& config,
                           const std::string& stage_dir,
                           const std::vector<std::string>& decision_paths,
                           BoilerplateCounts* counts);

// The finalize outputs other than the decision files.
std::string BoilerplateCrossPath(const std::string& stage_dir);
std::string BoilerplatePropagatedPath(const std::string& stage_dir);
std::string BoilerplateTopPath(const std::string& stage_dir);
std::string BoilerplateTaskTopPath(const std::string& stage_dir, size_t file);

// Apply side of one input file.
class BoilerplateApplier {
 public:
  struct Outcome {
    boilerplate::SiteOutcome site = boilerplate::SiteOutcome::kNoUrl;
    uint32_t lines_removed = 0;
    uint64_t bytes_removed = 0;
    uint32_t words_left = 0;
    bool too_short = false;  // remove the document (kTooShortReason)
  };

  // Loads the file's decisions, the cross-site keys and the top groups from
  // the finalize outputs in `stage_dir`. `config` must outlive the applier.
  Status Open(const BoilerplateStageConfig* config,
              const std::string& stage_dir, const std::string& decisions_path);

  // An applier without decisions or top groups, for a file none of whose
  // documents has a site (BoilerplateStageConfig::fuse_siteless), before the
  // finalize outputs exist: it leaves every document untouched, and
  // WriteTop() writes no tallies, which MergeBoilerplateReport reads like the
  // zero counts Open()'s applier would write for such a file.
  void OpenWithoutDecisions(const BoilerplateStageConfig* config);

  // Removes the decided lines from doc->text, unless the document is left
  // too short (then its text is untouched and Outcome::too_short is set).
  // A document without a site, or with nothing to remove, is untouched.
  Outcome Apply(Document* doc);

  // Writes the tallies of the top groups (text file, atomically).
  Status WriteTop(const std::string& path) const;


 private:
  struct SiteTally {
    std::string site;
    int64_t docs = 0;          // documents of the site in this file
    int64_t docs_changed = 0;  // with lines removed (kept or too short)
    int64_t lines_removed = 0;
  };
  struct LineTally {
    int64_t count = 0;
    std::string text_json;  // first removed text, as a JSON string
  };
  const BoilerplateStageConfig* config_ = nullptr;
  boilerplate::SiteLineSet set_, repeated_;
  std::vector<uint64_t> cross_keys_, propagated_keys_;
  std::map<uint64_t, SiteTally> top_sites_;
  std::map<std::pair<uint64_t, uint64_t>, LineTally> top_lines_;
  std::string site_, url_scratch_, out_;
  std::vector<std::string_view> removed_;
  std::string normalized_;
};

// stats.json's "boilerplate" member for stage `step_name`: the top sites by
// lines removed, each with its documents and its top removed lines:
//   {"step": "...", "sites": [{"site", "site_docs", "docs", "docs_changed",
//    "lines_removed", "boilerplate_lines",
//    "top_lines": [{"line", "count", "pages"}]}]}
// from the job's top file and the per-file tallies (`task_tops`, in input
// order; the first file holding a line gives its text).
Result<std::string> MergeBoilerplateReport(
    const BoilerplateStageConfig& config, const std::string& step_name,
    const std::string& stage_dir, const std::vector<std::string>& task_tops);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_BOILERPLATE_STAGE_H_
