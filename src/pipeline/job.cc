#include "pipeline/job.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include <simdjson.h>

#include "core/json_writer.h"
#include "formats/jsonl_writer.h"
#include "formats/record_reader.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/boilerplate_stage.h"
#include "pipeline/corpus_stage.h"
#include "pipeline/executor.h"
#include "pipeline/limits.h"
#include "pipeline/progress.h"
#include "pipeline/spill.h"
#include "pipeline/steps.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kVersion[] = "0.1.0";

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// User + system CPU seconds of the whole process so far.
double ProcessCpuSeconds() {
  struct rusage ru;
  if (::getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

bool HasGlobChars(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

std::string ShardName(size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%05zu", index);
  return buf;
}

std::string ShardSuffix(Compression c) {
  switch (c) {
    case Compression::kZstd:
      return ".jsonl.zst";
    case Compression::kGzip:
      return ".jsonl.gz";
    case Compression::kNone:
      return ".jsonl";
  }
  return ".jsonl";
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Everything one task needs; shared read-only between tasks.
//
// The job's steps are cut at corpus-wide steps into segments of per-document
// steps: segment 0, stage 0, segment 1, ..., stage K-1, segment K. Segment k
// runs in one task per input file: it reads the input (k = 0) or the spill
// of segment k-1, applies stage k-1's decisions, runs its steps, and either
// feeds stage k (spill + map keys) or, for k = K, writes kept/.
struct Plan {
  const JobConfig* config;
  std::vector<std::string> files;
  std::string out;
  std::vector<StepSpec> specs;  // every step in order, stages included
  std::vector<std::vector<size_t>> segments;  // indices into specs
  std::vector<size_t> stage_spec;             // index into specs per stage
  std::vector<CorpusStageOptions> stages;
  // Per stage: true when the next segment re-reads the input (replaying the
  // steps before the stage) instead of reading a spill of the documents.
  std::vector<bool> reread;
  ProgressReporter* progress = nullptr;  // RunOptions::progress
  // config->reader with the memory budget's max_parse_bytes.
  ReaderOptions reader;
  // limits.max_worker_memory_mb applied to this job (max_text_bytes per spec).
  WorkerMemoryPlan memory;

  size_t num_stages() const { return stages.size(); }
  // New instances of segment j's steps (one set per task).
  Result<std::vector<std::unique_ptr<Step>>> SegmentSteps(size_t j) const {
    std::vector<StepSpec> seg_specs;
    for (size_t s : segments[j]) seg_specs.push_back(specs[s]);
    return MakeSteps(seg_specs);
  }
  std::string StageDir(size_t k) const { return out + "/.work/s" + std::to_string(k); }
  std::string SpillPath(size_t k, size_t i) const {
    return StageDir(k) + "/docs-" + ShardName(i) + ".spill";
  }
  std::string MapPrefix(size_t k, size_t i) const {
    return StageDir(k) + "/map-" + ShardName(i);
  }
  std::string PairsPath(size_t k, uint32_t p) const {
    return StageDir(k) + "/pairs-" + ShardName(p) + ".run";
  }
  std::string RankPrefix(size_t k, size_t i) const {
    return StageDir(k) + "/ranks-" + ShardName(i);
  }
  std::string RankPath(size_t k, size_t i) const { return RankPrefix(k, i) + ".p00000.run"; }
  std::string ShinglePath(size_t k, size_t i) const {
    return StageDir(k) + "/shingles-" + ShardName(i) + ".bin";
  }
  bool IsBoilerplate(size_t k) const {
    return stages[k].kind == CorpusStageOptions::Kind::kBoilerplate;
  }
  std::string SiteMapPrefix(size_t k, size_t i) const {
    return StageDir(k) + "/site-" + ShardName(i);
  }
  std::string CrossMapPrefix(size_t k, size_t i) const {
    return StageDir(k) + "/cross-" + ShardName(i);
  }
  std::string DecisionPath(size_t k, size_t i) const {
    return StageDir(k) + "/decisions-" + ShardName(i) + ".run";
  }
  std::string SegmentMarker(size_t k, size_t i) const {
    return k == 0 ? out + "/.work/process/" + ShardName(i) + ".done"
                  : out + "/.work/seg" + std::to_string(k) + "/" + ShardName(i) + ".done";
  }
};

// Flushes a serialized batch to the writer once it grows past this size, so
// per-document writes are amortized.
constexpr size_t kFlushBytes = 1 << 20;

// A JSONL output shard with a serialization buffer.
class ShardOut {
 public:
  Status Open(const std::string& path, const JobConfig& c) {
    auto w = AtomicFileWriter::Create(path, c.compression, c.compression_level);
    if (!w.ok()) return w.status();
    writer_ = std::move(w).value();
    return Status::OK();
  }
  bool open() const { return writer_ != nullptr; }
  std::string* buf() { return &buf_; }
  void MaybeFlush() {
    if (buf_.size() >= kFlushBytes) Flush();
  }
  Status Finish() {
    if (!writer_) return Status::OK();
    Flush();
    return writer_->Finish();
  }
  void Abandon() {
    if (writer_) writer_->Abandon();
  }

 private:
  void Flush() {
    writer_->Append(buf_);
    buf_.clear();
  }
  std::unique_ptr<AtomicFileWriter> writer_;
  std::string buf_;
};

enum class Applied { kNone, kSurvivor, kAnnotated, kRemoved, kChanged };

// Applies corpus stage `stage`'s decision for document `id` (REQUIRES: ids
// in ascending order per cursor): annotates, or marks the document removed.
Applied ApplyDecision(const Plan& plan, size_t stage, DecisionCursor* cursor, uint64_t id,
                      Document* doc) {
  uint64_t survivor = 0, size = 0;
  if (!cursor->Find(id, &survivor, &size)) return Applied::kNone;
  if (plan.stages[stage].mode == CorpusStageOptions::Mode::kAnnotate) {
    doc->metadata.push_back(JsonField{"dedup", JsonObjectBuilder()
                                                   .Add("cluster_id", static_cast<int64_t>(survivor))
                                                   .Add("cluster_size", static_cast<int64_t>(size))
                                                   .Finish()});
    return survivor == id ? Applied::kSurvivor : Applied::kAnnotated;
  }
  if (survivor == id) return Applied::kSurvivor;
  doc->removed_by = plan.specs[plan.stage_spec[stage]].name;
  doc->reason = "duplicate";
  doc->details = JsonObjectBuilder()
                     .Add("cluster_id", static_cast<int64_t>(survivor))
                     .Add("cluster_size", static_cast<int64_t>(size))
                     .Add("kept_file", plan.files[survivor >> 40])
                     .Add("kept_ordinal", static_cast<int64_t>(survivor & ((uint64_t{1} << 40) - 1)))
                     .Finish();
  return Applied::kRemoved;
}

// The apply side of one corpus stage for one input file: dedup decisions
// streamed by document id, or the file's boilerplate lines.
struct StageApply {
  DecisionCursor cursor;
  std::unique_ptr<BoilerplateApplier> boilerplate;

  Status Open(const Plan& plan, size_t stage, size_t index) {
    if (plan.IsBoilerplate(stage)) {
      boilerplate = std::make_unique<BoilerplateApplier>();
      return boilerplate->Open(plan.stages[stage].boilerplate.get(), plan.StageDir(stage),
                               plan.DecisionPath(stage, index));
    }
    return cursor.Open(plan.DecisionPath(stage, index));
  }
  // Boilerplate stage `stage` for a file without sites, before its finalize
  // (SegmentWork's fusion): nothing to remove.
  void OpenWithoutDecisions(const Plan& plan, size_t stage) {
    boilerplate = std::make_unique<BoilerplateApplier>();
    boilerplate->OpenWithoutDecisions(plan.stages[stage].boilerplate.get());
  }
  Status status() const { return boilerplate ? Status::OK() : cursor.status(); }
};

// Applies stage `stage` to document `id` (ids ascending): dedup decisions
// (ApplyDecision), or boilerplate removal (kChanged when lines were removed,
// kRemoved when too little was left). *outcome, if given, receives the
// boilerplate outcome.
Applied ApplyStage(const Plan& plan, size_t stage, StageApply* apply, uint64_t id,
                   Document* doc, BoilerplateApplier::Outcome* outcome) {
  if (!apply->boilerplate) return ApplyDecision(plan, stage, &apply->cursor, id, doc);
  BoilerplateApplier::Outcome o = apply->boilerplate->Apply(doc);
  if (outcome != nullptr) *outcome = o;
  if (o.too_short) {
    doc->removed_by = plan.specs[plan.stage_spec[stage]].name;
    doc->reason = std::string(boilerplate::kTooShortReason);
    doc->details = JsonObjectBuilder()
                       .Add("lines_removed", static_cast<int64_t>(o.lines_removed))
                       .Add("words_left", static_cast<int64_t>(o.words_left))
                       .Finish();
    return Applied::kRemoved;
  }
  return o.lines_removed > 0 ? Applied::kChanged : Applied::kNone;
}

// Re-creates, from the input, the documents that segment k-1 handed to
// stage k-1 (for a stage whose handoff is a re-read): runs segments 0..k-1
// and the decisions of stages 0..k-2 again, writing and counting nothing.
// Steps are deterministic, so the documents are the ones a spill would hold.
class Replay {
 public:
  Status Init(const Plan& plan, size_t k, size_t index) {
    plan_ = &plan;
    k_ = k;
    index_ = index;
    for (size_t j = 0; j < k; ++j) {
      auto steps = plan.SegmentSteps(j);
      if (!steps.ok()) return steps.status();
      steps_.push_back(std::move(steps).value());
    }
    applies_.resize(k > 0 ? k - 1 : 0);
    for (size_t j = 0; j + 1 < k; ++j) WINNOW_RETURN_IF_ERROR(applies_[j].Open(plan, j, index));
    return Status::OK();
  }
  // True when the document reaches stage k-1 (it is then in the state a
  // spill would hold).
  bool Survives(Document* doc, uint64_t ordinal) {
    const uint64_t id = DocumentKey(static_cast<uint32_t>(index_), ordinal);
    for (size_t j = 0; j < k_; ++j) {
      if (j > 0 &&
          ApplyStage(*plan_, j - 1, &applies_[j - 1], id, doc, nullptr) == Applied::kRemoved)
        return false;
      const std::vector<size_t>& seg = plan_->segments[j];
      doc->work = SegmentWorkMeter(plan_->config->limits);
      for (size_t s = 0; s < seg.size(); ++s) {
        if (!RunStep(steps_[j][s].get(), seg[s] == 0, plan_->memory.max_text_bytes[seg[s]], doc,
                     &scratch_)
                 .keep)
          return false;
      }
    }
    return true;
  }
  Status status() const {
    for (const auto& a : applies_) WINNOW_RETURN_IF_ERROR(a.status());
    return Status::OK();
  }

 private:
  const Plan* plan_ = nullptr;
  size_t k_ = 0;
  size_t index_ = 0;
  std::vector<std::vector<std::unique_ptr<Step>>> steps_;
  std::vector<StageApply> applies_;
  Counters scratch_;
};

// What one segment task leaves for its commit besides its own stats.
struct SegmentTaskResult {
  // True when the task also ran segment k+1 to the end (SegmentWork's
  // fusion): `next` holds that task's stats, for its marker.
  bool fused_next = false;
  TaskStats next;
};

// The body of one segment task over input file i, fed one document at a
// time: stage k-1's decisions, segment k's steps, then kept/ (last segment),
// or stage k's map side (keys, spill). See Plan.
//
// Fusion (BoilerplateStageConfig::fuse_siteless): when stage k is a
// boilerplate stage and segment k+1 is the last, the task also runs segment
// k+1 on the documents that reach the stage, for as long as none of them has
// a site. A boilerplate stage leaves a document without a site untouched, so
// if the whole file had none, segment k+1's outputs are already right and
// its task need not read the file again: they are kept, with its marker
// (SegmentTaskResult::next). The first document with a site ends the
// speculation; its files are removed and segment k+1 runs as usual.
class SegmentWork {
 public:
  // `siteless`: stage k-1 is a boilerplate stage and no document of this
  // file has a site (the fused run of segment k): its decisions, which do
  // not exist yet, are not read; it leaves every document untouched.
  Status Open(const Plan& plan, size_t k, size_t index, TaskStats* stats, bool siteless) {
    t0_ = Clock::now();
    plan_ = &plan;
    k_ = k;
    index_ = index;
    stats_ = stats;
    const JobConfig& config = *plan.config;
    first_ = (k == 0);
    last_ = (k == plan.num_stages());
    Result<std::vector<std::unique_ptr<Step>>> steps_or = plan.SegmentSteps(k);
    if (!steps_or.ok()) return steps_or.status();
    steps_ = std::move(steps_or).value();
    counters_.resize(steps_.size());
    step_time_.assign(steps_.size(), Clock::duration::zero());
    stats->steps.resize(plan.specs.size());
    for (size_t s = 0; s < plan.specs.size(); ++s) {
      stats->steps[s].name = plan.specs[s].name;
      stats->steps[s].type = plan.specs[s].type;
    }

    // Outputs.
    const std::string name = ShardName(index);
    const std::string suffix = ShardSuffix(config.compression);
    if (last_) WINNOW_RETURN_IF_ERROR(kept_.Open(plan.out + "/kept/" + name + suffix, config));
    WINNOW_RETURN_IF_ERROR(removed_.Open(
        plan.out + "/removed/" + name + (first_ ? "" : "-" + std::to_string(k)) + suffix, config));
    if (first_)
      WINNOW_RETURN_IF_ERROR(rejected_.Open(plan.out + "/rejected/" + name + suffix, config));
    if (!last_) WINNOW_RETURN_IF_ERROR(OpenMapSide());

    // Stage k-1's decisions, applied before this segment's steps.
    if (!first_) {
      applied_stats_ = &stats->steps[plan.stage_spec[k - 1]];
      if (siteless)
        decisions_.OpenWithoutDecisions(plan, k - 1);
      else
        WINNOW_RETURN_IF_ERROR(decisions_.Open(plan, k - 1, index));
    }
    return Status::OK();
  }

  // Runs one document (the `ordinal`-th of the file) through the apply step
  // and this segment's steps, and writes or hands it on.
  void Process(Document& doc, uint64_t ordinal) {
    bool keep = Apply(doc, ordinal);
    doc.work = SegmentWorkMeter(plan_->config->limits);
    const std::vector<size_t>& seg = plan_->segments[k_];
    // One clock read per step: each step's time runs from the previous
    // step's end (the bookkeeping between them is a few counters).
    auto ts = Clock::now();
    for (size_t s = 0; keep && s < steps_.size(); ++s) {
      StepStats& ss = stats_->steps[seg[s]];
      ss.docs_in++;
      ss.bytes_in += static_cast<int64_t>(doc.text.size());
      StepResult r = RunStep(steps_[s].get(), seg[s] == 0, plan_->memory.max_text_bytes[seg[s]],
                             &doc, &counters_[s]);
      const auto now = Clock::now();
      step_time_[s] += now - ts;
      ts = now;
      if (!r.keep) {
        ss.removed[r.reason]++;
        doc.removed_by = plan_->specs[seg[s]].name;
        doc.reason = std::move(r.reason);
        doc.details = std::move(r.details);
        keep = false;
        break;
      }
      ss.docs_out++;
      ss.bytes_out += static_cast<int64_t>(doc.text.size());
    }
    if (!keep) {
      stats_->removed++;
      AppendDocumentJson(doc, removed_.buf());
      removed_.MaybeFlush();
    } else if (last_) {
      stats_->kept++;
      stats_->kept_bytes += static_cast<int64_t>(doc.text.size());
      AppendDocumentJson(doc, kept_.buf());
      kept_.MaybeFlush();
    } else if (site_map_) {
      const boilerplate::SiteOutcome outcome = site_map_->Add(doc);
      key_counters_.Add(SiteOutcomeCounter(outcome));
      if (spill_) spill_->Add(doc, ordinal);
      if (fusable_) Fuse(doc, ordinal, boilerplate::HasSite(outcome));
    } else {
      keys_.clear();
      keyer_->Keys(doc, &keys_);
      const uint64_t id = DocumentKey(static_cast<uint32_t>(index_), ordinal);
      for (const auto& key : keys_) keys_out_->Add(dedup::RunRecord{key.hi, key.lo, id});
      key_counters_.Add(keys_.empty() ? "docs_without_keys" : "docs_keyed");
      if (!keys_.empty()) {
        if (ranks_out_) ranks_out_->Add(dedup::RunRecord{id, keyer_->Rank(doc), 0});
        if (sets_out_) sets_out_->Add(id, keyer_->ShingleSet());
      }
      if (spill_) spill_->Add(doc, ordinal);
    }
  }

  // One rejected input record (segment 0).
  void Reject(const Rejection& r) {
    stats_->records_read++;
    stats_->rejected++;
    stats_->rejected_by_reason[r.reason]++;
    AppendRejectionJson(r, rejected_.buf());
    rejected_.MaybeFlush();
  }

  // Any error of the decisions read so far.
  Status status() const { return decisions_.status(); }

  // Adds the counters to the stats and finishes every file, and those of a
  // fused segment k+1 still running (then result->fused_next is set and
  // result->next holds its stats; `result` may be null when the task has no
  // next segment). On error everything written is removed.
  Status Finish(SegmentTaskResult* result) {
    const std::vector<size_t>& seg = plan_->segments[k_];
    for (size_t s = 0; s < steps_.size(); ++s) {
      StepStats& ss = stats_->steps[seg[s]];
      for (const auto& [key, v] : counters_[s].items()) ss.counters[key] += v;
      ss.seconds = std::chrono::duration<double>(step_time_[s]).count();
    }
    if (!last_) {
      for (const auto& [key, v] : key_counters_.items())
        stats_->steps[plan_->stage_spec[k_]].counters[key] += v;
    }
    if (applied_stats_ != nullptr) {
      for (const auto& [key, v] : apply_counters_.items()) applied_stats_->counters[key] += v;
    }
    Status st = kept_.Finish();
    if (st.ok()) st = removed_.Finish();
    if (st.ok()) st = rejected_.Finish();
    if (st.ok() && spill_) st = spill_->Finish();
    if (st.ok() && keys_out_) st = keys_out_->Finish();
    if (st.ok() && ranks_out_) st = ranks_out_->Finish();
    if (st.ok() && sets_out_) st = sets_out_->Finish();
    if (st.ok() && site_map_) st = site_map_->Finish();
    if (st.ok() && decisions_.boilerplate)
      st = decisions_.boilerplate->WriteTop(
          BoilerplateTaskTopPath(plan_->StageDir(k_ - 1), index_));
    // A file none of whose documents reached the stage is fused too.
    if (st.ok() && fusable_ && !next_) fusable_ = StartFusion();
    if (st.ok() && next_) {
      st = next_->Finish(nullptr);
      if (st.ok()) {
        result->fused_next = true;
        result->next = std::move(next_stats_);
      }
    }
    if (!st.ok()) {
      Abandon();
      return st;
    }
    stats_->seconds = Seconds(t0_, Clock::now());
    return Status::OK();
  }

  void Abandon() {
    kept_.Abandon();
    removed_.Abandon();
    rejected_.Abandon();
    if (spill_) spill_->Abandon();
    if (keys_out_) keys_out_->Abandon();
    if (ranks_out_) ranks_out_->Abandon();
    if (sets_out_) sets_out_->Abandon();
    if (site_map_) site_map_->Abandon();
    if (next_) EndFusion();
  }

 private:
  Status OpenMapSide() {
    const Plan& plan = *plan_;
    const size_t k = k_, index = index_;
    if (!plan.reread[k]) {
      auto sw = SpillWriter::Create(plan.SpillPath(k, index));
      if (!sw.ok()) return sw.status();
      spill_ = std::move(sw).value();
    }
    if (plan.IsBoilerplate(k)) {
      const BoilerplateStageConfig* bp = plan.stages[k].boilerplate.get();
      auto m = BoilerplateMapper::Create(bp, plan.SiteMapPrefix(k, index),
                                         plan.CrossMapPrefix(k, index),
                                         static_cast<uint32_t>(index));
      if (!m.ok()) return m.status();
      site_map_ = std::move(m).value();
      fusable_ = bp->fuse_siteless && k + 1 == plan.num_stages();
      return Status::OK();
    }
    if (plan.stages[k].keep != CorpusStageOptions::Keep::kEarliest) {
      dedup::RunWriterOptions ro;
      ro.prefix = plan.RankPrefix(k, index);
      ro.memory_budget_bytes = size_t{8} << 20;
      auto rw = dedup::RunWriter::Create(ro);
      if (!rw.ok()) return rw.status();
      ranks_out_ = std::move(rw).value();
    }
    if (plan.stages[k].verify_jaccard > 0) {
      auto sw = ShingleStoreWriter::Create(plan.ShinglePath(k, index));
      if (!sw.ok()) return sw.status();
      sets_out_ = std::move(sw).value();
    }
    dedup::RunWriterOptions ro;
    ro.prefix = plan.MapPrefix(k, index);
    ro.num_partitions = plan.stages[k].partitions;
    // map_memory_mb bounds the buffer and the radix sort's scratch together.
    ro.memory_budget_bytes = plan.stages[k].map_memory_bytes / 2;
    auto rw = dedup::RunWriter::Create(ro);
    if (!rw.ok()) return rw.status();
    keys_out_ = std::move(rw).value();
    keyer_ = std::make_unique<StageKeyer>(plan.stages[k]);
    return Status::OK();
  }

  // Stage k-1's decision for the document; false when it removes it.
  bool Apply(Document& doc, uint64_t ordinal) {
    if (first_) return true;
    StepStats& ss = *applied_stats_;
    ss.docs_in++;
    ss.bytes_in += static_cast<int64_t>(doc.text.size());
    bool keep = true;
    const uint64_t id = DocumentKey(static_cast<uint32_t>(index_), ordinal);
    BoilerplateApplier::Outcome bp{};
    switch (ApplyStage(*plan_, k_ - 1, &decisions_, id, &doc, &bp)) {
      case Applied::kNone:
      case Applied::kChanged:
        break;
      case Applied::kSurvivor:
        if (plan_->stages[k_ - 1].mode == CorpusStageOptions::Mode::kAnnotate)
          apply_counters_.Add("cluster_survivors");
        break;
      case Applied::kAnnotated:
        apply_counters_.Add("duplicates_annotated");
        break;
      case Applied::kRemoved:
        ss.removed[doc.reason]++;
        keep = false;
        break;
    }
    if (bp.lines_removed > 0) {
      apply_counters_.Add("docs_changed");
      apply_counters_.Add("lines_removed", bp.lines_removed);
      apply_counters_.Add("bytes_removed", static_cast<int64_t>(bp.bytes_removed));
    }
    if (keep) {
      ss.docs_out++;
      ss.bytes_out += static_cast<int64_t>(doc.text.size());
    }
    return keep;
  }

  // Opens the fused segment k+1 (on the first document that reaches the
  // stage without a site). False when it cannot be opened: not fusing is
  // always correct, it only costs segment k+1 its re-read.
  bool StartFusion() {
    next_ = std::make_unique<SegmentWork>();
    next_stats_ = TaskStats();
    if (next_->Open(*plan_, k_ + 1, index_, &next_stats_, /*siteless=*/true).ok())
      return true;
    EndFusion();
    return false;
  }

  // Hands a document that reached the stage to the fused segment k+1, or
  // ends the fusion for good when the document has a site.
  void Fuse(Document& doc, uint64_t ordinal, bool has_site) {
    if (!has_site && (next_ || StartFusion())) {
      next_->Process(doc, ordinal);
      return;
    }
    fusable_ = false;
    if (next_) EndFusion();
  }

  // Gives up the fused segment k+1: removes what it wrote.
  void EndFusion() {
    next_->Abandon();
    next_.reset();
  }

  const Plan* plan_ = nullptr;
  size_t k_ = 0, index_ = 0;
  TaskStats* stats_ = nullptr;
  bool first_ = false, last_ = false;
  // Stage k is a boilerplate stage that may be fused with segment k+1, and
  // no document with a site has reached it yet.
  bool fusable_ = false;
  Clock::time_point t0_;
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<Counters> counters_;
  std::vector<Clock::duration> step_time_;
  ShardOut kept_, removed_, rejected_;
  std::unique_ptr<SpillWriter> spill_;
  std::unique_ptr<dedup::RunWriter> keys_out_;
  std::unique_ptr<dedup::RunWriter> ranks_out_;
  std::unique_ptr<ShingleStoreWriter> sets_out_;
  std::unique_ptr<StageKeyer> keyer_;
  std::unique_ptr<BoilerplateMapper> site_map_;
  StageApply decisions_;
  StepStats* applied_stats_ = nullptr;
  Counters apply_counters_;  // stage k-1's apply step
  Counters key_counters_;    // stage k's map side
  std::vector<dedup::Key128> keys_;
  // The fused run of segment k+1 once started, while it lasts.
  std::unique_ptr<SegmentWork> next_;
  TaskStats next_stats_;  // next_'s stats
};

// One task of segment k over input file i. See Plan.
Status RunSegmentTask(const Plan& plan, size_t k, size_t index, TaskStats* stats,
                      SegmentTaskResult* result) {
  const std::string& path = plan.files[index];
  const bool first = (k == 0);
  SegmentWork work;
  WINNOW_RETURN_IF_ERROR(work.Open(plan, k, index, stats, /*siteless=*/false));

  Status input_status;
  const bool replay = !first && plan.reread[k - 1];
  if (replay) {
    // Read the input again; only documents that reach stage k-1 go on.
    Replay rp;
    Status st = rp.Init(plan, k, index);
    if (!st.ok()) {
      work.Abandon();
      return st;
    }
    // The input must yield the documents segment 0 counted (its marker
    // holds its stats): a file that became unreadable or changed since
    // fails this task, which leaves no marker, so a rerun retries it.
    std::string seg0_json;
    st = ReadFileToString(plan.SegmentMarker(0, index), &seg0_json);
    Result<TaskStats> seg0 = st.ok() ? TaskStats::FromJson(seg0_json) : Result<TaskStats>(st);
    if (!seg0.ok()) {
      work.Abandon();
      return seg0.status();
    }
    const int64_t expected_docs = seg0.value().records_read - seg0.value().rejected;
    Result<std::unique_ptr<RecordReader>> reader =
        OpenRecordReader(path, static_cast<uint32_t>(index), plan.reader);
    int64_t docs = 0;
    if (reader.ok()) {
      Document doc;
      Rejection rej;
      uint64_t ordinal = 0;
      for (;;) {
        RecordReader::Next next = reader.value()->Read(&doc, &rej);
        if (next == RecordReader::Next::kEnd) break;
        if (next == RecordReader::Next::kRejected) continue;
        if (plan.progress) plan.progress->Add(1, static_cast<int64_t>(doc.text.size()));
        const uint64_t ord = ordinal++;
        if (rp.Survives(&doc, ord)) work.Process(doc, ord);
      }
      docs = static_cast<int64_t>(ordinal);
    } else if (expected_docs > 0) {
      input_status = Status::IOError("cannot read input " + path + " again for segment " +
                                     std::to_string(k) + ": " + reader.status().ToString());
    }
    if (input_status.ok() && docs != expected_docs)
      input_status = Status::Corruption("input " + path + " changed since it was first read: " +
                                        std::to_string(docs) + " documents now, " +
                                        std::to_string(expected_docs) + " before");
    if (input_status.ok()) input_status = rp.status();
  } else if (first) {
    Result<std::unique_ptr<RecordReader>> reader =
        OpenRecordReader(path, static_cast<uint32_t>(index), plan.reader);
    Rejection rej;
    if (!reader.ok()) {
      // An input that vanished or became unreadable after planning: one
      // rejected record; the rest of the job goes on.
      rej.file = path;
      rej.reason = "open_failed";
      rej.error = reader.status().ToString();
      work.Reject(rej);
    } else {
      Document doc;
      uint64_t ordinal = 0;
      for (;;) {
        RecordReader::Next next = reader.value()->Read(&doc, &rej);
        if (next == RecordReader::Next::kEnd) break;
        if (next == RecordReader::Next::kRejected) {
          work.Reject(rej);
          continue;
        }
        stats->records_read++;
        stats->bytes_read += static_cast<int64_t>(doc.text.size());
        if (plan.progress) plan.progress->Add(1, static_cast<int64_t>(doc.text.size()));
        work.Process(doc, ordinal++);
      }
      for (const auto& [key, v] : reader.value()->counters().items())
        stats->reader_counters[key] += v;
    }
  } else {
    auto in = SpillReader::Open(plan.SpillPath(k - 1, index));
    if (!in.ok()) {
      work.Abandon();
      return in.status();
    }
    SpilledDocument sd;
    while (in.value()->Next(&sd)) {
      if (plan.progress) plan.progress->Add(1, static_cast<int64_t>(sd.doc.text.size()));
      work.Process(sd.doc, sd.ordinal);
    }
    input_status = in.value()->status();
  }
  if (input_status.ok()) input_status = work.status();
  if (!input_status.ok()) {
    work.Abandon();
    return input_status;
  }
  return work.Finish(result);
}

// Checks the accounting of one task or of the whole job.
bool AccountingHolds(const TaskStats& s, std::string* why) {
  if (s.records_read != s.kept + s.removed + s.rejected) {
    *why = "read " + std::to_string(s.records_read) + " != kept " +
           std::to_string(s.kept) + " + removed " + std::to_string(s.removed) +
           " + rejected " + std::to_string(s.rejected);
    return false;
  }
  int64_t docs = s.records_read - s.rejected;
  int64_t removed_by_steps = 0;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const StepStats& st = s.steps[i];
    int64_t expect_in = i == 0 ? docs : s.steps[i - 1].docs_out;
    int64_t removed = 0;
    for (const auto& [k, v] : st.removed) removed += v;
    removed_by_steps += removed;
    if (st.docs_in != expect_in || st.docs_out != st.docs_in - removed) {
      *why = "step '" + st.name + "' counts do not chain";
      return false;
    }
  }
  if (!s.steps.empty() && s.steps.back().docs_out != s.kept) {
    *why = "last step output != kept";
    return false;
  }
  if (removed_by_steps != s.removed) {
    *why = "removed by steps != removed";
    return false;
  }
  return true;
}

std::string TopReasons(const std::map<std::string, int64_t>& m) {
  std::vector<std::pair<int64_t, std::string>> v;
  for (const auto& [k, n] : m) v.emplace_back(-n, k);
  std::sort(v.begin(), v.end());
  std::string out;
  for (size_t i = 0; i < v.size() && i < 4; ++i) {
    if (i) out += ", ";
    out += v[i].second + " " + std::to_string(-v[i].first);
  }
  if (v.size() > 4) out += ", ...";
  return out;
}

// Removes temporary files that a killed run left behind (writers name them
// "<final>.tmp.<pid>.<n>"). Only safe while this process holds the OUT lock.
Status RemoveStaleTempFiles(const std::string& out) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (it->path().filename().string().find(".tmp.") == std::string::npos) continue;
    std::error_code rm;
    fs::remove(it->path(), rm);
    if (rm) return Status::IOError("cannot remove stale temporary file " +
                                   it->path().string() + ": " + rm.message());
  }
  if (ec) return Status::IOError("cannot list " + out + ": " + ec.message());
  return Status::OK();
}

// Holds an exclusive lock on OUT/.work/lock for the lifetime of the run, so
// two runs never write the same output directory at once.
class OutputLock {
 public:
  ~OutputLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const std::string& out) {
    std::string path = out + "/.work/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      return Status::InvalidArgument("another winnow run is writing " + out);
    return Status::OK();
  }

 private:
  int fd_ = -1;
};

Status CheckOutputDir(const std::string& out) {
  for (const char* sub : {"", "/kept", "/removed", "/rejected", "/.work", "/.work/process"}) {
    std::error_code ec;
    fs::create_directories(out + sub, ec);
    if (ec)
      return Status::IOError("cannot create output directory " + out + sub + ": " +
                             ec.message());
  }
  if (::access(out.c_str(), W_OK) != 0)
    return Status::IOError("output directory is not writable: " + out);
  return WriteFileAtomically(out + "/.work/.probe", "ok\n");
}

std::string StatsJson(const JobConfig& config, const Plan& plan,
                      const JobSummary& summary, int threads) {
  const TaskStats& t = summary.totals;
  JsonObjectBuilder phases;
  for (const auto& [name, seconds] : summary.phase_seconds) phases.Add(name, seconds);
  JsonObjectBuilder phases_cpu;
  for (const auto& [name, seconds] : summary.phase_cpu_seconds) phases_cpu.Add(name, seconds);
  JsonObjectBuilder stages;
  for (const auto& [name, counters] : summary.stage_counters) {
    JsonObjectBuilder c;
    for (const auto& [key, v] : counters) c.Add(key, v);
    stages.AddRaw(name, c.Finish());
  }
  JsonObjectBuilder json;
  json.Add("winnow_version", kVersion)
      .Add("recipe", config.recipe)
      .AddRaw("inputs", JsonStringArray(plan.files))
      .Add("threads", threads)
      .Add("tasks", summary.tasks)
      .Add("tasks_skipped", summary.tasks_skipped)
      .Add("tasks_fused", summary.tasks_fused)
      .Add("accounting_ok", summary.accounting_ok)
      .Add("wall_seconds", summary.wall_seconds)
      .AddRaw("phases", phases.Finish())
      .AddRaw("phases_cpu", phases_cpu.Finish())
      .AddRaw("stages", stages.Finish());
  if (!summary.boilerplate_json.empty()) json.AddRaw("boilerplate", summary.boilerplate_json);
  return json.AddRaw("totals", t.ToJson()).Finish() + "\n";
}

using LogFn = std::function<void(const std::string&)>;
using HookFn = std::function<void(std::string_view, size_t)>;

// True when `path` is named as a crawl archive (FormatFromName, the
// reader's own choice by name): the only inputs whose documents extract_html
// parses (the WARC and ARC readers mark HTML payloads; the others yield text).
bool NamedAsCrawlArchive(const std::string& path) {
  const RecordFormat format = FormatFromName(path);
  return format == RecordFormat::kWarc || format == RecordFormat::kArc;
}

// Cuts the job's steps into segments at corpus-wide steps and validates every
// step and option (nothing is touched on disk). `files`: the input files
// when already known (a task process reads them from the spec), else the
// inputs are expanded.
Status BuildPlan(const JobConfig& config, const std::vector<std::string>* files, Plan* plan) {
  if (config.output_dir.empty()) return Status::InvalidArgument("no output directory (-o)");
  if (config.inputs.empty() && (files == nullptr || files->empty()))
    return Status::InvalidArgument("no inputs");
  plan->config = &config;
  plan->out = config.output_dir;
  if (files != nullptr) {
    plan->files = *files;
  } else {
    WINNOW_RETURN_IF_ERROR(ExpandInputs(config.inputs, &plan->files));
  }
  plan->specs = WithImplicitSteps(config.steps);
  plan->segments.emplace_back();
  std::set<std::string> names;
  for (size_t j = 0; j < plan->specs.size(); ++j) {
    const StepSpec& spec = plan->specs[j];
    if (!names.insert(spec.name).second)
      return Status::InvalidArgument("two steps are named '" + spec.name + "'; give one a `name`");
    if (IsCorpusStepType(spec.type)) {
      CorpusStageOptions stage;
      WINNOW_RETURN_IF_ERROR(ParseCorpusStage(spec, &stage));
      plan->stages.push_back(stage);
      plan->stage_spec.push_back(j);
      plan->segments.emplace_back();
    } else {
      plan->segments.back().push_back(j);
    }
  }
  // A stage hands its survivors on by re-reading the input when everything
  // before it is cheap to redo (see CorpusStageOptions::Handoff).
  // extract_html passes JSONL and text documents through untouched but parses
  // every page of a crawl archive: it is cheap only when no input is named as
  // one. (Names, not content: the plan is rebuilt by every task process, and
  // a misnamed archive costs a second extraction, never a different output.)
  const bool html_inputs = std::any_of(plan->files.begin(), plan->files.end(), NamedAsCrawlArchive);
  for (size_t k = 0; k < plan->num_stages(); ++k) {
    bool cheap = true;
    for (size_t j = 0; j <= k; ++j)
      for (size_t s : plan->segments[j])
        cheap &= plan->specs[s].type == "drop_empty" ||
                 (plan->specs[s].type == "extract_html" && !html_inputs);
    switch (plan->stages[k].handoff) {
      case CorpusStageOptions::Handoff::kAuto:
        plan->reread.push_back(cheap);
        break;
      case CorpusStageOptions::Handoff::kSpill:
        plan->reread.push_back(false);
        break;
      case CorpusStageOptions::Handoff::kReread:
        plan->reread.push_back(true);
        break;
    }
  }
  for (size_t j = 0; j < plan->segments.size(); ++j) {
    auto steps = plan->SegmentSteps(j);
    if (!steps.ok()) return steps.status();
  }
  uint64_t map_memory = 0;
  for (const CorpusStageOptions& st : plan->stages)
    map_memory = std::max(map_memory, st.map_memory_bytes);
  Result<WorkerMemoryPlan> memory = PlanWorkerMemory(
      config.limits, config.reader.max_record_bytes, map_memory, plan->specs);
  if (!memory.ok()) return memory.status();
  plan->memory = std::move(memory).value();
  plan->reader = config.reader;
  plan->reader.max_parse_bytes = plan->memory.max_parse_bytes;
  return Status::OK();
}

// `config` with the partitions of every corpus-wide step that does not set
// them fixed from the size of the input files (AutoPartitions), and the
// expanded inputs in *files. Done before the fingerprint and the spec are
// written, so that task processes, which rebuild the plan from the spec, and
// a resumed run over the same files plan the same partitions.
Status ResolvePartitions(const JobConfig& config, JobConfig* resolved,
                         std::vector<std::string>* files) {
  *resolved = config;
  if (config.output_dir.empty()) return Status::InvalidArgument("no output directory (-o)");
  if (config.inputs.empty()) return Status::InvalidArgument("no inputs");
  WINNOW_RETURN_IF_ERROR(ExpandInputs(config.inputs, files));
  bool any = false;
  for (const StepSpec& s : resolved->steps)
    any |= IsCorpusStepType(s.type) && s.options.count("partitions") == 0;
  if (!any) return Status::OK();
  uint64_t bytes = 0;
  for (const std::string& f : *files) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(f, ec);
    if (!ec) bytes += size;  // an unreadable input fails when it is opened
  }
  const std::string partitions = std::to_string(AutoPartitions(bytes));
  for (StepSpec& s : resolved->steps)
    if (IsCorpusStepType(s.type) && s.options.count("partitions") == 0)
      s.options["partitions"] = partitions;
  return Status::OK();
}

// The job spec: everything a task process needs to rebuild the plan. What
// determines the output bytes is the fingerprint (JobFingerprint, also
// OUT/.work/job.json), under "job"; beside it what does not: where OUT is,
// the recipe's name (stats.json), threads and the rejection limit.
std::string SpecJson(const JobConfig& config, const std::vector<std::string>& files) {
  return JsonObjectBuilder()
             .Add("spec_version", 2)
             .Add("output_dir", config.output_dir)
             .Add("recipe", config.recipe)
             .Add("threads", config.threads)
             .Add("max_rejected", config.max_rejected_fraction)
             .AddRaw("job", JobFingerprint(config, files))
             .Finish() +
         "\n";
}

Status ParseSpec(const std::string& text, JobConfig* config, std::vector<std::string>* files) {
  simdjson::dom::parser parser;
  simdjson::dom::element root, job;
  const Status bad = Status::Corruption("job spec (.work/spec.json) is malformed");
  if (parser.parse(text).get(root) || root["job"].get(job)) return bad;
  auto str = [](simdjson::dom::element e, const char* key, std::string* out) {
    std::string_view v;
    if (e[key].get(v)) return false;
    *out = std::string(v);
    return true;
  };
  auto strs = [](simdjson::dom::element e, const char* key, std::vector<std::string>* out) {
    simdjson::dom::array a;
    if (e[key].get(a)) return false;
    out->clear();
    for (auto x : a) {
      std::string_view v;
      if (x.get(v)) return false;
      out->emplace_back(v);
    }
    return true;
  };
  auto i64 = [](simdjson::dom::element e, const char* key, int64_t* out) {
    return !e[key].get(*out);
  };
  int64_t version = 0, level = 0, threads = 0;
  std::string compression;
  if (!i64(root, "spec_version", &version) || version != 2) return bad;
  if (!str(root, "output_dir", &config->output_dir) || !str(root, "recipe", &config->recipe) ||
      !i64(root, "threads", &threads) || root["max_rejected"].get(config->max_rejected_fraction) ||
      !strs(job, "inputs", files) || !str(job, "compression", &compression) ||
      !i64(job, "level", &level))
    return bad;
  config->compression_level = static_cast<int>(level);
  config->threads = static_cast<int>(threads);
  if (!ParseCompressionName(compression, &config->compression)) return bad;
  simdjson::dom::array steps;
  if (job["steps"].get(steps)) return bad;
  config->steps.clear();
  for (auto s : steps) {
    StepSpec spec;
    simdjson::dom::object opts;
    if (!str(s, "type", &spec.type) || !str(s, "name", &spec.name) || s["options"].get(opts))
      return bad;
    for (auto field : opts) {
      std::string_view v;
      if (field.value.get(v)) return bad;
      spec.options[std::string(field.key)] = std::string(v);
    }
    config->steps.push_back(std::move(spec));
  }
  simdjson::dom::element warc;
  if (job["warc"].get(warc)) return bad;
  ReaderOptions& r = config->reader;
  int64_t max_record = 0, max_decompressed = 0, min_status = 0, max_status = 0,
          max_payload = 0, sniff = 0, max_depth = 0, max_work = 0, max_memory = 0;
  if (!i64(job, "max_record_bytes", &max_record) ||
      !i64(job, "max_document_work", &max_work) ||
      !i64(job, "max_worker_memory_mb", &max_memory) ||
      !i64(job, "max_json_depth", &max_depth) ||
      !i64(job, "max_decompressed_bytes", &max_decompressed) ||
      !str(job, "id_key", &r.id_key) || !str(job, "text_key", &r.text_key) ||
      !i64(warc, "min_status", &min_status) || !i64(warc, "max_status", &max_status) ||
      !strs(warc, "mime_types", &r.warc.mime_types) ||
      !i64(warc, "max_payload_bytes", &max_payload) ||
      warc["keep_resource"].get(r.warc.keep_resource) ||
      warc["keep_conversion"].get(r.warc.keep_conversion) ||
      !i64(warc, "meta_sniff_bytes", &sniff))
    return bad;
  r.max_record_bytes = static_cast<uint64_t>(max_record);
  config->limits.max_document_work = static_cast<uint64_t>(max_work);
  config->limits.max_worker_memory_mb = static_cast<uint64_t>(max_memory);
  r.max_json_depth = static_cast<uint32_t>(max_depth);
  r.input.max_decompressed_bytes = static_cast<uint64_t>(max_decompressed);
  r.warc.min_status = static_cast<int>(min_status);
  r.warc.max_status = static_cast<int>(max_status);
  r.warc.max_payload_bytes = static_cast<uint64_t>(max_payload);
  r.warc.meta_sniff_bytes = static_cast<size_t>(sniff);
  return Status::OK();
}

std::string TasksDir(const std::string& out) { return out + "/.work/tasks"; }

// OUT/.work/tasks/prepared, written by PrepareJob and read by FinishJob: the
// time of the preparation on the first line, then one line per phase,
// "complete KEY I J ...", with the tasks that were complete then.
std::string FormatPreparedTime(double unix_seconds) {
  char line[64];
  std::snprintf(line, sizeof(line), "%.6f\n", unix_seconds);
  return line;
}

std::string FormatPreparedPhase(const std::string& key, const std::vector<size_t>& complete) {
  std::string line = "complete " + key;
  for (size_t t : complete) {
    line += ' ';
    line += std::to_string(t);
  }
  return line + "\n";
}

struct PreparedRecord {
  double time = 0;  // 0 when there is no record
  // Per phase key, the tasks complete at preparation. A phase missing here
  // (a record from an older winnow) is not known.
  std::map<std::string, std::set<size_t>> complete;
};

PreparedRecord ReadPreparedRecord(const std::string& out) {
  PreparedRecord record;
  std::string text;
  if (!ReadFileToString(TasksDir(out) + "/prepared", &text).ok()) return record;
  std::istringstream lines(text);
  std::string line;
  if (std::getline(lines, line)) record.time = std::strtod(line.c_str(), nullptr);
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string tag, key;
    if (!(words >> tag >> key) || tag != "complete") continue;
    std::set<size_t>& tasks = record.complete[key];
    size_t t;
    while (words >> t) tasks.insert(t);
  }
  return record;
}

std::string TaskFile(const std::string& out, const std::string& phase, size_t index,
                     const char* ext) {
  return TasksDir(out) + "/" + phase + "-" + ShardName(index) + ext;
}

// Appends one line to a task's failure record (best effort: the failure
// itself is what gets reported).
void RecordTaskFailure(const std::string& out, const std::string& phase, size_t index,
                       const std::string& error) {
  std::string line = error;
  for (char& c : line)
    if (c == '\n') c = ' ';
  line += "\n";
  const std::string path = TaskFile(out, phase, index, ".failed");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t n = ::write(fd, line.data(), line.size());
  (void)n;
  ::close(fd);
}

// Creates OUT and its work directories, takes OUT's lock, removes stale
// temporary files, checks or writes the fingerprint and writes the spec.
Status PrepareOutput(const JobConfig& config, const Plan& plan, OutputLock* lock) {
  WINNOW_RETURN_IF_ERROR(CheckOutputDir(plan.out));
  WINNOW_RETURN_IF_ERROR(lock->Acquire(plan.out));
  WINNOW_RETURN_IF_ERROR(RemoveStaleTempFiles(plan.out));
  std::string fingerprint = JobFingerprint(config, plan.files) + "\n";
  std::string job_path = plan.out + "/.work/job.json";
  if (FileExists(job_path)) {
    std::string existing;
    WINNOW_RETURN_IF_ERROR(ReadFileToString(job_path, &existing));
    if (existing != fingerprint)
      return Status::InvalidArgument(
          "output directory " + plan.out +
          " holds the results of a different job (other inputs, steps or options, or another "
          "build of winnow); "
          "use a new output directory or remove this one");
  } else {
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(job_path, fingerprint));
  }
  WINNOW_RETURN_IF_ERROR(CreateDirectories(TasksDir(plan.out)));
  for (size_t k = 0; k < plan.num_stages(); ++k) {
    WINNOW_RETURN_IF_ERROR(CreateDirectories(plan.StageDir(k)));
    WINNOW_RETURN_IF_ERROR(CreateDirectories(plan.out + "/.work/seg" + std::to_string(k + 1)));
  }
  const std::string spec_path = plan.out + "/.work/spec.json";
  const std::string spec = SpecJson(config, plan.files);
  std::string old;
  if (!ReadFileToString(spec_path, &old).ok() || old != spec)
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(spec_path, spec));
  return Status::OK();
}

// What each task of a phase will count, for the ETA (0 = unknown).
using TaskTotals = std::function<std::pair<int64_t, int64_t>(size_t)>;

// What a segment task's work hands to its commit: the files whose fsyncs
// were deferred and the stats its marker records.
struct TaskCommitState {
  SyncList sync;
  TaskStats stats;
  SegmentTaskResult result;
};

// One phase of the plan: its tasks, their markers and bodies.
struct PlanPhase {
  std::string key;    // "segment_0"; stats.json "phases"
  std::string title;  // "segment 0"; progress and errors
  size_t tasks = 0;
  std::function<std::string(size_t)> task_name;
  std::function<std::string(size_t)> marker;
  std::function<Status(size_t)> run;  // runs task i and writes its marker
  // Optional, segment phases: `run` split in two so that the local executor
  // can commit on its commit thread (executor.h) while the worker starts the
  // next task. work(i) does the task with its files' fsyncs deferred
  // (output_file.h, SyncList); commit(i) makes them durable, then writes the
  // marker. `run` is the two in a row.
  std::function<Status(size_t, TaskCommitState*)> work;
  std::function<Status(size_t, TaskCommitState*)> commit;
  TaskTotals totals;  // may be null
};

std::string PhaseKey(const char* kind, size_t k) { return kind + std::string("_") + std::to_string(k); }

// The phases of the plan in run order (without `finish`). `log` and `hook`
// are copied; whatever they refer to must outlive the phases' bodies.
std::vector<PlanPhase> PlanPhases(const Plan& plan, const LogFn& log, const HookFn& hook) {
  std::vector<PlanPhase> phases;
  const size_t nfiles = plan.files.size();
  const Plan* p = &plan;
  for (size_t k = 0; k <= plan.num_stages(); ++k) {
    PlanPhase seg;
    seg.key = PhaseKey("segment", k);
    seg.title = "segment " + std::to_string(k);
    seg.tasks = nfiles;
    seg.task_name = [](size_t i) { return ShardName(i); };
    seg.marker = [p, k](size_t i) { return p->SegmentMarker(k, i); };
    seg.work = [p, k](size_t i, TaskCommitState* state) -> Status {
      ScopedDeferSync defer(&state->sync);
      return RunSegmentTask(*p, k, i, &state->stats, &state->result);
    };
    seg.commit = [p, log, hook, k, key = seg.key](size_t i, TaskCommitState* state) -> Status {
      WINNOW_RETURN_IF_ERROR(state->sync.SyncAll());
      if (state->result.fused_next) {
        // Segment k+1's task for this file is done too (SegmentWork); its
        // marker goes first, so a marker of segment k means both are.
        if (hook) hook(PhaseKey("segment", k + 1), i);
        WINNOW_RETURN_IF_ERROR(WriteFileAtomically(p->SegmentMarker(k + 1, i),
                                                   state->result.next.ToJson() + "\n"));
      }
      if (hook) hook(key, i);
      WINNOW_RETURN_IF_ERROR(
          WriteFileAtomically(p->SegmentMarker(k, i), state->stats.ToJson() + "\n"));
      if (log) log("winnow: segment " + std::to_string(k) + " done: " + p->files[i]);
      return Status::OK();
    };
    seg.run = [work = seg.work, commit = seg.commit](size_t i) -> Status {
      TaskCommitState state;
      WINNOW_RETURN_IF_ERROR(work(i, &state));
      return commit(i, &state);
    };
    // Segment 0 reads the files (known only for uncompressed inputs, by
    // size); a segment that re-reads its input reads again what segment 0's
    // marker counted.
    seg.totals = [p, k](size_t i) -> std::pair<int64_t, int64_t> {
      if (k == 0) {
        std::error_code ec;
        const auto size = fs::file_size(p->files[i], ec);
        auto in = OpenInputStream(p->files[i], InputLimits{});
        if (ec || !in.ok() || in.value()->compression() != Compression::kNone) return {0, 0};
        return {0, static_cast<int64_t>(size)};
      }
      // A spill holds what survived segment k-1, which its marker does not
      // count: no ETA then.
      if (!p->reread[k - 1]) return {0, 0};
      std::string json;
      if (!ReadFileToString(p->SegmentMarker(0, i), &json).ok()) return {0, 0};
      Result<TaskStats> t = TaskStats::FromJson(json);
      if (!t.ok()) return {0, 0};
      return {t.value().records_read - t.value().rejected, t.value().bytes_read};
    };
    phases.push_back(std::move(seg));
    if (k == plan.num_stages()) break;

    PlanPhase reduce;
    reduce.key = PhaseKey("reduce", k);
    reduce.title = "reduce " + std::to_string(k);
    reduce.task_name = [](size_t t) { return "partition " + ShardName(t); };
    PlanPhase fin;
    fin.key = PhaseKey("finalize", k);
    fin.title = "finalize " + std::to_string(k);
    fin.tasks = 1;
    fin.task_name = [](size_t) { return std::string("finalize"); };
    const std::string fin_marker = plan.StageDir(k) + "/finalize.done";
    fin.marker = [fin_marker](size_t) { return fin_marker; };

    if (plan.IsBoilerplate(k)) {
      // Reduce and finalize of a boilerplate stage (pipeline/boilerplate_stage.h).
      const BoilerplateStageConfig* bp = plan.stages[k].boilerplate.get();
      const std::string dir = plan.StageDir(k);
      reduce.tasks = bp->partitions;
      reduce.marker = [dir](size_t t) {
        return BoilerplateReduceFiles(dir, static_cast<uint32_t>(t)).decisions;
      };
      reduce.run = [p, bp, k, dir, nfiles](size_t t) -> Status {
        const bool cross = bp->options.cross_site == boilerplate::CrossSiteMode::kRemove;
        BoilerplateReducePaths paths = BoilerplateReduceFiles(dir, static_cast<uint32_t>(t));
        std::vector<std::string> sites, crosses;
        const std::string part = ".p" + ShardName(t) + ".run";
        for (size_t i = 0; i < nfiles; ++i) {
          sites.push_back(p->SiteMapPrefix(k, i) + part);
          if (cross) crosses.push_back(p->CrossMapPrefix(k, i) + part);
        }
        return ReduceBoilerplatePartition(*bp, sites, crosses, paths);
      };
      fin.run = [p, log, hook, bp, k, dir, fin_marker, nfiles,
                 key = fin.key](size_t) -> Status {
        std::vector<std::string> decisions;
        for (size_t i = 0; i < nfiles; ++i) decisions.push_back(p->DecisionPath(k, i));
        BoilerplateCounts c;
        WINNOW_RETURN_IF_ERROR(FinalizeBoilerplate(*bp, dir, decisions, &c));
        if (log)
          log("winnow: " + p->specs[p->stage_spec[k]].name + ": " +
              std::to_string(c.boilerplate_groups) + " boilerplate lines on " +
              std::to_string(c.sites_with_boilerplate) + " of " + std::to_string(c.sites) +
              " sites");
        if (hook) hook(key, 0);
        return WriteFileAtomically(
            fin_marker, std::to_string(c.sites) + " " + std::to_string(c.boilerplate_groups) +
                            " " + std::to_string(c.sites_with_boilerplate) + " " +
                            std::to_string(c.decisions) + " " +
                            std::to_string(c.cross_site_lines) + "\n");
      };
    } else {
      // Reduce stage k: one task per partition.
      reduce.tasks = plan.stages[k].partitions;
      reduce.marker = [p, k](size_t t) { return p->PairsPath(k, static_cast<uint32_t>(t)); };
      reduce.run = [p, k, nfiles](size_t t) -> Status {
        const CorpusStageOptions& st = p->stages[k];
        const std::string pairs = p->PairsPath(k, static_cast<uint32_t>(t));
        std::vector<std::string> runs;
        ReduceOptions ro;
        ro.memory_bytes = st.map_memory_bytes;
        ro.verify_jaccard = st.verify_jaccard;
        for (size_t i = 0; i < nfiles; ++i) {
          runs.push_back(p->MapPrefix(k, i) + ".p" + ShardName(t) + ".run");
          if (st.verify_jaccard > 0) ro.shingle_stores.push_back(p->ShinglePath(k, i));
        }
        ReduceCounts counts;
        WINNOW_RETURN_IF_ERROR(ReduceStagePartition(runs, pairs + ".tmp.reduce", ro, &counts));
        // The counts first, then the pairs file (the task's marker).
        WINNOW_RETURN_IF_ERROR(WriteFileAtomically(
            pairs + ".counts", std::to_string(counts.candidate_pairs) + " " +
                                   std::to_string(counts.pairs) + "\n"));
        if (std::rename((pairs + ".tmp.reduce").c_str(), pairs.c_str()) != 0)
          return Status::IOError("cannot rename into " + pairs + ": " + std::strerror(errno));
        return Status::OK();
      };
      // Finalize stage k: union-find, one decision file per input file.
      fin.run = [p, log, hook, k, fin_marker, nfiles, key = fin.key](size_t) -> Status {
        std::vector<std::string> decisions, ranks, pairs_files;
        for (uint32_t t = 0; t < p->stages[k].partitions; ++t)
          pairs_files.push_back(p->PairsPath(k, t));
        for (size_t i = 0; i < nfiles; ++i) {
          decisions.push_back(p->DecisionPath(k, i));
          if (p->stages[k].keep != CorpusStageOptions::Keep::kEarliest)
            ranks.push_back(p->RankPath(k, i));
        }
        uint64_t docs = 0, clusters = 0;
        WINNOW_RETURN_IF_ERROR(FinalizeStage(pairs_files, ranks, decisions, &docs, &clusters));
        if (log)
          log("winnow: " + p->specs[p->stage_spec[k]].name + ": " + std::to_string(clusters) +
              " clusters over " + std::to_string(docs) + " documents");
        if (hook) hook(key, 0);
        return WriteFileAtomically(fin_marker, std::to_string(clusters) + " " +
                                                   std::to_string(docs) + "\n");
      };
    }
    phases.push_back(std::move(reduce));
    phases.push_back(std::move(fin));
  }
  return phases;
}

bool PhaseComplete(const PlanPhase& phase) {
  for (size_t t = 0; t < phase.tasks; ++t)
    if (!FileExists(phase.marker(t))) return false;
  return true;
}

// stats.json "stages": the corpus stages' counts, from the files their
// reduce and finalize tasks left (only for stages that got that far).
void GatherStageCounters(const Plan& plan, JobSummary* summary) {
  for (size_t k = 0; k < plan.num_stages(); ++k) {
    const std::string name = plan.specs[plan.stage_spec[k]].name;
    const std::string fin_marker = plan.StageDir(k) + "/finalize.done";
    std::string text;
    if (plan.IsBoilerplate(k)) {
      long long v[5] = {};
      if (ReadFileToString(fin_marker, &text).ok() &&
          std::sscanf(text.c_str(), "%lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3],
                      &v[4]) == 5) {
        auto& counters = summary->stage_counters[name];
        counters["sites"] = v[0];
        counters["boilerplate_lines"] = v[1];
        counters["sites_with_boilerplate"] = v[2];
        counters["decisions"] = v[3];
        if (plan.stages[k].boilerplate->options.cross_site ==
            boilerplate::CrossSiteMode::kRemove)
          counters["cross_site_lines"] = v[4];
      }
      continue;
    }
    int64_t candidates = 0, verified = 0;
    bool reduced = true;
    for (uint32_t t = 0; t < plan.stages[k].partitions; ++t) {
      const std::string pairs = plan.PairsPath(k, t);
      reduced &= FileExists(pairs);
      long long c = 0, v = 0;
      if (ReadFileToString(pairs + ".counts", &text).ok() &&
          std::sscanf(text.c_str(), "%lld %lld", &c, &v) == 2) {
        candidates += c;
        verified += v;
      }
    }
    if (!reduced) continue;
    auto& counters = summary->stage_counters[name];
    counters["candidate_pairs"] = candidates;
    if (plan.stages[k].verify_jaccard > 0) counters["verified_pairs"] = verified;
    long long c = 0, d = 0;
    if (ReadFileToString(fin_marker, &text).ok() &&
        std::sscanf(text.c_str(), "%lld %lld", &c, &d) == 2) {
      counters["clusters"] = c;
      counters["clustered_docs"] = d;
    }
  }
}

// Gathers every segment task's statistics from its marker, checks the
// accounting, fills the summary and writes stats.json (when no task failed).
// `ok`: every phase completed.
Status FinishSummary(const Plan& plan, bool ok, int threads, Clock::time_point t0,
                     const LogFn& log, JobSummary* summary_out) {
  JobSummary& summary = *summary_out;
  const JobConfig& config = *plan.config;
  const size_t nfiles = plan.files.size();
  std::vector<TaskStats> task_stats(nfiles);
  for (size_t k = 0; ok && k <= plan.num_stages(); ++k) {
    for (size_t i = 0; i < nfiles; ++i) {
      std::string json;
      Status st = ReadFileToString(plan.SegmentMarker(k, i), &json);
      Result<TaskStats> ts = st.ok() ? TaskStats::FromJson(json) : Result<TaskStats>(st);
      if (!ts.ok()) {
        ok = false;
        summary.tasks_failed++;
        summary.errors.push_back("stats of " + plan.files[i] + ": " + ts.status().ToString());
        break;
      }
      task_stats[i].Merge(ts.value());
    }
  }
  if (summary.tasks_skipped > 0 && log)
    log("winnow: resumed: " + std::to_string(summary.tasks_skipped) + " of " +
        std::to_string(summary.tasks) + " tasks were already complete");
  if (ok) {
    for (size_t i = 0; i < nfiles; ++i) {
      std::string why;
      if (!AccountingHolds(task_stats[i], &why)) {
        summary.tasks_failed++;
        summary.errors.push_back("accounting does not hold for " + plan.files[i] + ": " + why);
      }
    }
  }
  for (const TaskStats& ts : task_stats) summary.totals.Merge(ts);
  // stats.json "boilerplate": the first boilerplate stage's top sites.
  for (size_t k = 0; ok && k < plan.num_stages(); ++k) {
    if (!plan.IsBoilerplate(k)) continue;
    std::vector<std::string> tops;
    for (size_t i = 0; i < nfiles; ++i) tops.push_back(BoilerplateTaskTopPath(plan.StageDir(k), i));
    Result<std::string> report = MergeBoilerplateReport(
        *plan.stages[k].boilerplate, plan.specs[plan.stage_spec[k]].name, plan.StageDir(k), tops);
    if (!report.ok()) {
      summary.tasks_failed++;
      summary.errors.push_back("boilerplate statistics: " + report.status().ToString());
    } else {
      summary.boilerplate_json = std::move(report).value();
    }
    break;
  }
  summary.wall_seconds = Seconds(t0, Clock::now());
  std::string why;
  summary.accounting_ok = summary.tasks_failed == 0 && AccountingHolds(summary.totals, &why);
  const TaskStats& t = summary.totals;
  if (t.records_read > 0 &&
      static_cast<double>(t.rejected) / static_cast<double>(t.records_read) >
          config.max_rejected_fraction)
    summary.too_many_rejected = true;

  char line[512];
  std::snprintf(line, sizeof(line),
                "winnow: %d files, read %" PRId64 " records: kept %" PRId64
                ", removed %" PRId64 ", rejected %" PRId64 " in %.2fs",
                static_cast<int>(nfiles), t.records_read, t.kept, t.removed, t.rejected,
                summary.wall_seconds);
  summary.summary_line = line;
  if (t.rejected > 0) summary.summary_line += " (rejected: " + TopReasons(t.rejected_by_reason) + ")";
  if (summary.tasks_failed > 0)
    summary.summary_line += "; " + std::to_string(summary.tasks_failed) +
                            " tasks FAILED, rerun to retry them";
  else if (!summary.accounting_ok)
    summary.summary_line += "; ACCOUNTING MISMATCH: " + why;

  if (summary.tasks_failed == 0) {
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(plan.out + "/stats.json",
                                               StatsJson(config, plan, summary, threads)));
  }
  return Status::OK();
}

int ResolvedThreads(const JobConfig& config) {
  return config.threads > 0 ? config.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// A job loaded from OUT's spec by a process that did not plan it.
struct LoadedJob {
  JobConfig config;
  Plan plan;
};

Result<std::unique_ptr<LoadedJob>> LoadJob(const std::string& out) {
  auto job = std::make_unique<LoadedJob>();
  std::string text;
  const std::string spec_path = out + "/.work/spec.json";
  if (!FileExists(spec_path))
    return Status::NotFound("no winnow job in " + out + " (no .work/spec.json)");
  WINNOW_RETURN_IF_ERROR(ReadFileToString(spec_path, &text));
  std::vector<std::string> files;
  WINNOW_RETURN_IF_ERROR(ParseSpec(text, &job->config, &files));
  // The spec may name OUT differently (a relative path from elsewhere).
  job->config.output_dir = out;
  WINNOW_RETURN_IF_ERROR(BuildPlan(job->config, &files, &job->plan));
  std::string fingerprint;
  WINNOW_RETURN_IF_ERROR(ReadFileToString(out + "/.work/job.json", &fingerprint));
  if (fingerprint != JobFingerprint(job->config, files) + "\n")
    return Status::Corruption("job spec of " + out + " does not match its fingerprint");
  return job;
}

// Unix time in seconds (task times from several machines are compared).
double UnixSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}


// Appends the regular files under `dir` (recursively, not following
// symbolic links to directories; names starting with '.' are skipped). A
// subdirectory that cannot be listed is appended itself: its task then
// reports it as one rejected record (open_failed, with the error) and the
// rest of the job goes on. Only `dir` itself must be listable.
Status ListDirectory(const std::string& dir, std::vector<std::string>* found) {
  std::vector<std::string> pending = {dir};
  while (!pending.empty()) {
    const std::string d = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(d, ec);
    if (ec) {
      if (d == dir) return Status::IOError("cannot list directory " + dir + ": " + ec.message());
      found->push_back(d);
      continue;
    }
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') continue;
      std::error_code sec;
      if (it->symlink_status(sec).type() == fs::file_type::directory) {
        pending.push_back(it->path().string());
      } else if (it->is_regular_file(sec)) {
        found->push_back(it->path().string());
      }
    }
    if (ec) {
      if (d == dir) return Status::IOError("cannot list directory " + dir + ": " + ec.message());
      found->push_back(d);
    }
  }
  return Status::OK();
}

// .work/finish.txt, written when a run finishes and read by GetJobProgress:
// the outcome ("ok", "failed", "too_many_rejected"), the summary line, then
// one error per line. A newline inside a field would shift every later
// field, so each field is kept to one line.
struct FinishRecord {
  std::string outcome;
  std::string summary_line;
  std::vector<std::string> errors;
};

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string FormatFinishRecord(const FinishRecord& r) {
  std::string text = OneLine(r.outcome) + "\n" + OneLine(r.summary_line) + "\n";
  for (const std::string& e : r.errors) text += OneLine(e) + "\n";
  return text;
}

FinishRecord ParseFinishRecord(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  FinishRecord r;
  if (lines.size() > 0) r.outcome = lines[0];
  if (lines.size() > 1) r.summary_line = lines[1];
  if (lines.size() > 2) r.errors.assign(lines.begin() + 2, lines.end());
  return r;
}

}  // namespace

Status ExpandInputs(const std::vector<std::string>& args,
                    std::vector<std::string>* files) {
  std::set<std::string> seen;
  auto add = [&](const std::string& f) {
    if (seen.insert(f).second) files->push_back(f);
  };
  for (const std::string& arg : args) {
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (!ec && fs::is_regular_file(st)) {
      add(arg);
    } else if (!ec && fs::is_directory(st)) {
      std::vector<std::string> found;
      WINNOW_RETURN_IF_ERROR(ListDirectory(arg, &found));
      std::sort(found.begin(), found.end());
      if (found.empty()) return Status::NotFound("input directory has no files: " + arg);
      for (const auto& f : found) add(f);
    } else if (HasGlobChars(arg)) {
      glob_t g;
      int rc = ::glob(arg.c_str(), 0, nullptr, &g);
      if (rc != 0) {
        if (rc != GLOB_NOMATCH) globfree(&g);
        return Status::NotFound("input pattern matches nothing: " + arg);
      }
      std::vector<std::string> found;
      for (size_t i = 0; i < g.gl_pathc; ++i) {
        if (fs::is_regular_file(g.gl_pathv[i], ec)) found.push_back(g.gl_pathv[i]);
      }
      globfree(&g);
      std::sort(found.begin(), found.end());
      if (found.empty()) return Status::NotFound("input pattern matches no file: " + arg);
      for (const auto& f : found) add(f);
    } else {
      return Status::NotFound("input not found: " + arg);
    }
  }
  return Status::OK();
}

Result<JobSummary> RunJob(const JobConfig& config, const RunOptions& options) {
  auto t0 = Clock::now();
  std::mutex log_mu;
  LogFn log = [&](const std::string& line) {
    if (options.progress != nullptr) {
      options.progress->Log(line);  // serialized by the reporter
      return;
    }
    if (!options.log) return;
    std::lock_guard<std::mutex> lock(log_mu);
    options.log(line);
  };

  // Validate every step and option before touching the output directory.
  JobConfig resolved;
  std::vector<std::string> files;
  WINNOW_RETURN_IF_ERROR(ResolvePartitions(config, &resolved, &files));
  Plan plan;
  WINNOW_RETURN_IF_ERROR(BuildPlan(resolved, &files, &plan));
  plan.progress = options.progress;
  OutputLock lock;
  WINNOW_RETURN_IF_ERROR(PrepareOutput(resolved, plan, &lock));

  const int threads = ResolvedThreads(resolved);
  JobSummary summary;

  const std::vector<PlanPhase> phases = PlanPhases(plan, log, nullptr);
  // The tasks complete before this run started (resumed).
  std::vector<std::vector<bool>> complete_before(phases.size());
  for (size_t p = 0; p < phases.size(); ++p) {
    for (size_t t = 0; t < phases[p].tasks; ++t)
      complete_before[p].push_back(FileExists(phases[p].marker(t)));
  }

  // Runs one phase's tasks; a task is skipped when its marker exists (for
  // segment tasks the marker holds the task's stats). The phase's totals
  // give the documents and text bytes each task will report to the progress
  // line (0 = unknown), for its ETA; only tasks still to run count.
  auto run_phase = [&](size_t p) -> bool {
    const PlanPhase& phase = phases[p];
    std::vector<Task> todo;
    std::vector<size_t> todo_index;
    int64_t total_docs = 0, total_bytes = 0;
    bool known = static_cast<bool>(phase.totals);
    for (size_t t = 0; t < phase.tasks; ++t) {
      summary.tasks++;
      if (FileExists(phase.marker(t))) {
        // Complete before the run, or done by a fused task of this run.
        if (complete_before[p][t])
          summary.tasks_skipped++;
        else
          summary.tasks_fused++;
        continue;
      }
      if (known) {
        const auto [docs, bytes] = phase.totals(t);
        if (docs <= 0 && bytes <= 0) known = false;
        total_docs += docs;
        total_bytes += bytes;
      }
      Task task;
      task.name = phase.task_name(t);
      if (phase.work && phase.commit) {
        auto state = std::make_shared<TaskCommitState>();
        task.body = [&phase, t, state]() { return phase.work(t, state.get()); };
        task.commit = [&phase, t, state]() { return phase.commit(t, state.get()); };
      } else {
        task.body = [&phase, t]() { return phase.run(t); };
      }
      todo.push_back(std::move(task));
      todo_index.push_back(t);
    }
    if (!known) total_docs = total_bytes = 0;
    if (options.progress != nullptr)
      options.progress->BeginPhase(phase.title, total_docs, total_bytes);
    std::vector<Status> results = RunLocal(todo, threads);
    if (options.progress != nullptr) options.progress->EndPhase();
    bool ok = true;
    for (size_t t = 0; t < results.size(); ++t) {
      if (results[t].ok()) continue;
      ok = false;
      summary.tasks_failed++;
      summary.errors.push_back(phase.title + " " + todo[t].name + ": " + results[t].ToString());
      RecordTaskFailure(plan.out, phase.key, todo_index[t], results[t].ToString());
    }
    return ok;
  };

  bool ok = true;
  for (size_t p = 0; p < phases.size(); ++p) {
    const PlanPhase& phase = phases[p];
    auto start = Clock::now();
    const double cpu = ProcessCpuSeconds();
    ok = run_phase(p);
    summary.phase_seconds.emplace_back(phase.key, Seconds(start, Clock::now()));
    summary.phase_cpu_seconds.emplace_back(phase.key, ProcessCpuSeconds() - cpu);
    if (!ok) break;
  }
  GatherStageCounters(plan, &summary);
  WINNOW_RETURN_IF_ERROR(FinishSummary(plan, ok, threads, t0, log, &summary));
  return summary;
}

Result<PreparedJob> PrepareJob(const JobConfig& config) {
  JobConfig resolved;
  std::vector<std::string> files;
  WINNOW_RETURN_IF_ERROR(ResolvePartitions(config, &resolved, &files));
  Plan plan;
  WINNOW_RETURN_IF_ERROR(BuildPlan(resolved, &files, &plan));
  OutputLock lock;
  WINNOW_RETURN_IF_ERROR(PrepareOutput(resolved, plan, &lock));
  PreparedJob job;
  job.out = plan.out;
  // The record FinishJob reads (FormatPreparedRecord): phase times of this
  // run count only tasks started after this moment, and the tasks complete
  // now are the resumed ones.
  std::string record = FormatPreparedTime(UnixSeconds());
  for (const PlanPhase& phase : PlanPhases(plan, nullptr, nullptr)) {
    PhasePlan p;
    p.key = phase.key;
    p.tasks = phase.tasks;
    std::vector<size_t> complete;
    for (size_t t = 0; t < phase.tasks; ++t) {
      if (FileExists(phase.marker(t))) complete.push_back(t);
      else p.todo.push_back(t);
    }
    record += FormatPreparedPhase(phase.key, complete);
    job.phases.push_back(std::move(p));
  }
  WINNOW_RETURN_IF_ERROR(WriteFileAtomically(TasksDir(plan.out) + "/prepared", record));
  PhasePlan finish;
  finish.key = kFinishPhase;
  finish.tasks = 1;
  finish.todo = {0};  // always: it rewrites stats.json from the markers
  job.phases.push_back(std::move(finish));
  return job;
}

Status RunJobTask(const std::string& out, const std::string& phase_key, size_t index,
                  const RunOptions& options) {
  LogFn log = [&options](const std::string& line) {
    if (options.log) options.log(line);
  };
  if (phase_key == kFinishPhase) {
    if (index != 0) return Status::InvalidArgument("phase finish has one task (0)");
    Result<JobSummary> summary = FinishJob(out, options);
    if (!summary.ok()) {
      RecordTaskFailure(out, phase_key, 0, summary.status().ToString());
      return summary.status();
    }
    log(summary->summary_line);
    if (summary->tasks_failed > 0 || !summary->accounting_ok) {
      std::string why = summary->errors.empty() ? summary->summary_line : summary->errors[0];
      RecordTaskFailure(out, phase_key, 0, why);
      return Status::Internal("the job's statistics are not consistent: " + why);
    }
    return Status::OK();
  }
  auto job = LoadJob(out);
  if (!job.ok()) return job.status();
  const Plan& plan = job.value()->plan;
  const std::vector<PlanPhase> phases = PlanPhases(plan, log, options.before_marker);
  size_t which = phases.size();
  for (size_t p = 0; p < phases.size(); ++p)
    if (phases[p].key == phase_key) which = p;
  if (which == phases.size())
    return Status::InvalidArgument("job in " + out + " has no phase '" + phase_key + "'");
  const PlanPhase& phase = phases[which];
  if (index >= phase.tasks)
    return Status::InvalidArgument("phase " + phase_key + " has " +
                                   std::to_string(phase.tasks) + " tasks, not task " +
                                   std::to_string(index));
  if (FileExists(phase.marker(index))) {
    log("winnow: " + phase_key + " task " + std::to_string(index) + " was already complete");
    return Status::OK();
  }
  if (which > 0 && !PhaseComplete(phases[which - 1])) {
    Status st = Status::InvalidArgument("phase " + phases[which - 1].key +
                                        " is not complete; cannot run " + phase_key);
    RecordTaskFailure(out, phase_key, index, st.ToString());
    return st;
  }
  const double start = UnixSeconds();
  const double cpu = ProcessCpuSeconds();
  Status st = phase.run(index);
  if (!st.ok()) {
    RecordTaskFailure(out, phase_key, index, st.ToString());
    return st;
  }
  char times[128];
  std::snprintf(times, sizeof(times), "%.6f %.6f %.6f\n", start, UnixSeconds(),
                ProcessCpuSeconds() - cpu);
  // Times only feed stats.json's phase timings: not worth failing the task.
  (void)WriteFileAtomically(TaskFile(out, phase_key, index, ".time"), times);
  return Status::OK();
}

Result<JobSummary> FinishJob(const std::string& out, const RunOptions& options) {
  LogFn log = [&options](const std::string& line) {
    if (options.log) options.log(line);
  };
  auto job = LoadJob(out);
  if (!job.ok()) return job.status();
  const Plan& plan = job.value()->plan;
  const std::vector<PlanPhase> phases = PlanPhases(plan, nullptr, nullptr);
  JobSummary summary;
  // Only the tasks of this run (started after PrepareJob) count for the
  // phase times, as in a local run. A task complete without a time of this
  // run was either complete at preparation (resumed) or done by a fused
  // task of this run (its marker written by another task).
  const PreparedRecord prepared = ReadPreparedRecord(out);
  double first_start = 0;
  for (const PlanPhase& phase : phases) {
    size_t missing = 0;
    double begin = 0, end = 0, cpu = 0;
    bool timed = false;
    const auto complete_before = prepared.complete.find(phase.key);
    for (size_t t = 0; t < phase.tasks; ++t) {
      summary.tasks++;
      if (!FileExists(phase.marker(t))) {
        ++missing;
        continue;
      }
      std::string text;
      double a = 0, b = 0, c = 0;
      if (ReadFileToString(TaskFile(out, phase.key, t, ".time"), &text).ok() &&
          std::sscanf(text.c_str(), "%lf %lf %lf", &a, &b, &c) == 3 && a >= prepared.time) {
        begin = timed ? std::min(begin, a) : a;
        end = timed ? std::max(end, b) : b;
        cpu += c;
        timed = true;
      } else if (complete_before == prepared.complete.end() ||
                 complete_before->second.count(t) > 0) {
        summary.tasks_skipped++;
      } else {
        summary.tasks_fused++;
      }
    }
    if (missing > 0)
      return Status::InvalidArgument("phase " + phase.key + " of the job in " + out + " has " +
                                     std::to_string(missing) + " of " +
                                     std::to_string(phase.tasks) +
                                     " tasks incomplete; run them first");
    summary.phase_seconds.emplace_back(phase.key, timed ? end - begin : 0.0);
    summary.phase_cpu_seconds.emplace_back(phase.key, cpu);
    if (timed) first_start = first_start == 0 ? begin : std::min(first_start, begin);
  }
  // Attempts killed before their rename left temporary files; every task is
  // complete now, so nothing writes OUT and they can go.
  {
    OutputLock lock;
    WINNOW_RETURN_IF_ERROR(lock.Acquire(out));
    WINNOW_RETURN_IF_ERROR(RemoveStaleTempFiles(out));
  }
  GatherStageCounters(plan, &summary);
  // Wall time of the run: from its first task's start.
  const double elapsed = first_start > 0 ? std::max(0.0, UnixSeconds() - first_start) : 0;
  const auto t0 = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(elapsed));
  WINNOW_RETURN_IF_ERROR(
      FinishSummary(plan, true, ResolvedThreads(*plan.config), t0, log, &summary));
  std::string outcome = summary.tasks_failed > 0 || !summary.accounting_ok ? "failed"
                        : summary.too_many_rejected                        ? "too_many_rejected"
                                                                           : "ok";
  WINNOW_RETURN_IF_ERROR(WriteFileAtomically(
      out + "/.work/finish.txt",
      FormatFinishRecord({std::move(outcome), summary.summary_line, summary.errors})));
  return summary;
}

Result<JobProgress> GetJobProgress(const std::string& out) {
  auto job = LoadJob(out);
  if (!job.ok()) return job.status();
  const Plan& plan = job.value()->plan;
  JobProgress progress;
  bool all_done = true;
  auto count = [&](const std::string& key, size_t tasks,
                   const std::function<bool(size_t)>& done) {
    PhaseProgress p;
    p.key = key;
    p.tasks = tasks;
    for (size_t t = 0; t < tasks; ++t) {
      const bool failed_before = FileExists(TaskFile(out, key, t, ".failed"));
      if (done(t)) {
        p.done++;
        if (failed_before) p.retried++;
      } else if (failed_before) {
        p.failed++;
      }
    }
    return p;
  };
  for (const PlanPhase& phase : PlanPhases(plan, nullptr, nullptr)) {
    progress.phases.push_back(
        count(phase.key, phase.tasks, [&](size_t t) { return FileExists(phase.marker(t)); }));
    all_done &= progress.phases.back().done == phase.tasks;
  }
  progress.finished = all_done && FileExists(out + "/stats.json");
  progress.phases.push_back(
      count(kFinishPhase, 1, [&](size_t) { return progress.finished; }));
  std::string text;
  if (ReadFileToString(out + "/.work/finish.txt", &text).ok()) {
    FinishRecord r = ParseFinishRecord(text);
    progress.outcome = std::move(r.outcome);
    progress.summary_line = std::move(r.summary_line);
    progress.errors = std::move(r.errors);
  }
  return progress;
}

}  // namespace winnow
