// `winnow report`: one self-contained HTML page about a finished run.
//
// The page is built from OUT/stats.json, OUT/.work/job.json and one pass
// over the kept/, removed/ and rejected/ shards, plus (optionally) one pass
// over the job's inputs for cleaning before/after views and the kept copies
// of duplicate clusters. Sections: summary, funnel, distributions (length,
// language, every quality signal with its thresholds), duplicates, site
// boilerplate, samples per removal reason, cleaning examples, the run.
//
// Safety: every string from the data is HTML-escaped; the page has no
// script and carries a Content-Security-Policy that forbids scripts and any
// network access, so even a bug in escaping could not execute or fetch.
//
// Size and speed are bounded independently of the run's size: signal
// histograms come from a deterministic sample of documents (the
// `signal_sample_docs` documents with the smallest hash of shard and line),
// samples and examples are capped in number and bytes.
#ifndef WINNOW_REPORT_REPORT_H_
#define WINNOW_REPORT_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "winnow/status.h"

namespace winnow::report {

struct ReportOptions {
  // Documents sampled for the signal histograms. Default 100,000: exact for
  // runs up to that size; memory is about 300 bytes per sampled document.
  size_t signal_sample_docs = 100000;
  // Removed documents shown per (step, reason); also the kept sample size.
  size_t samples_per_reason = 5;
  // Text shown per sampled document, in bytes (cut at a character boundary).
  size_t sample_text_bytes = 1200;
  // Largest duplicate clusters listed.
  size_t top_clusters = 10;
  // Documents shown with their cleaning diff (input text vs output text).
  size_t cleaning_examples = 6;
  // Re-read the job's inputs to show cleaning diffs and to name the kept copy
  // of each duplicate cluster. Costs one read of the inputs; off = those
  // parts say "not computed".
  bool reread_inputs = true;
  // Bins per signal histogram.
  int histogram_bins = 30;
};

struct ReportResult {
  std::string path;  // OUT/report.html
  int64_t bytes = 0;
  double seconds = 0;
  std::vector<std::string> notes;  // what could not be shown, and why
};

// Renders the report of the run in `out_dir` into *html.
// NotFound when out_dir/stats.json is missing; Corruption when it does not
// parse. Damaged shards are skipped and mentioned in the page.
Status RenderReport(const std::string& out_dir, const ReportOptions& options,
                    std::string* html, std::vector<std::string>* notes);

// Renders and writes out_dir/report.html atomically.
Result<ReportResult> WriteReport(const std::string& out_dir, const ReportOptions& options);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_REPORT_H_
