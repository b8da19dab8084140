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
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "core/json_writer.h"
#include "formats/jsonl_writer.h"
#include "formats/record_reader.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/boilerplate_stage.h"
#include "pipeline/corpus_stage.h"
#include "pipeline/executor.h"
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

  size_t num_stages() const { return stages.size(); }
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
      std::vector<StepSpec> specs;
      for (size_t s : plan.segments[j]) specs.push_back(plan.specs[s]);
      auto steps = MakeSteps(specs);
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
      for (size_t s = 0; s < seg.size(); ++s) {
        if (!RunStep(steps_[j][s].get(), seg[s] == 0, doc, &scratch_).keep) return false;
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

// One task of segment k over input file i. See Plan.
Status RunSegmentTask(const Plan& plan, size_t k, size_t index, TaskStats* stats) {
  auto t0 = Clock::now();
  const JobConfig& config = *plan.config;
  const std::string& path = plan.files[index];
  const std::vector<size_t>& seg = plan.segments[k];
  const bool first = (k == 0);
  const bool last = (k == plan.num_stages());

  std::vector<StepSpec> seg_specs;
  for (size_t j : seg) seg_specs.push_back(plan.specs[j]);
  Result<std::vector<std::unique_ptr<Step>>> steps_or = MakeSteps(seg_specs);
  if (!steps_or.ok()) return steps_or.status();
  std::vector<std::unique_ptr<Step>>& steps = steps_or.value();
  std::vector<Counters> counters(steps.size());
  std::vector<Clock::duration> step_time(steps.size(), Clock::duration::zero());
  stats->steps.resize(plan.specs.size());
  for (size_t s = 0; s < plan.specs.size(); ++s) {
    stats->steps[s].name = plan.specs[s].name;
    stats->steps[s].type = plan.specs[s].type;
  }

  // Outputs.
  std::string name = ShardName(index);
  std::string suffix = ShardSuffix(config.compression);
  ShardOut kept, removed, rejected;
  if (last) WINNOW_RETURN_IF_ERROR(kept.Open(plan.out + "/kept/" + name + suffix, config));
  WINNOW_RETURN_IF_ERROR(removed.Open(
      plan.out + "/removed/" + name + (first ? "" : "-" + std::to_string(k)) + suffix, config));
  if (first) WINNOW_RETURN_IF_ERROR(rejected.Open(plan.out + "/rejected/" + name + suffix, config));
  std::unique_ptr<SpillWriter> spill;
  std::unique_ptr<dedup::RunWriter> keys_out;
  std::unique_ptr<dedup::RunWriter> ranks_out;
  std::unique_ptr<ShingleStoreWriter> sets_out;
  std::unique_ptr<StageKeyer> keyer;
  std::unique_ptr<BoilerplateMapper> site_map;
  if (!last) {
    if (!plan.reread[k]) {
      auto sw = SpillWriter::Create(plan.SpillPath(k, index));
      if (!sw.ok()) return sw.status();
      spill = std::move(sw).value();
    }
    if (plan.IsBoilerplate(k)) {
      auto m = BoilerplateMapper::Create(plan.stages[k].boilerplate.get(),
                                         plan.SiteMapPrefix(k, index),
                                         plan.CrossMapPrefix(k, index),
                                         static_cast<uint32_t>(index));
      if (!m.ok()) return m.status();
      site_map = std::move(m).value();
    }
    if (!site_map && plan.stages[k].keep != CorpusStageOptions::Keep::kEarliest) {
      dedup::RunWriterOptions ro;
      ro.prefix = plan.RankPrefix(k, index);
      ro.memory_budget_bytes = size_t{8} << 20;
      auto rw = dedup::RunWriter::Create(ro);
      if (!rw.ok()) return rw.status();
      ranks_out = std::move(rw).value();
    }
    if (!site_map && plan.stages[k].verify_jaccard > 0) {
      auto sw = ShingleStoreWriter::Create(plan.ShinglePath(k, index));
      if (!sw.ok()) return sw.status();
      sets_out = std::move(sw).value();
    }
    if (!site_map) {
      dedup::RunWriterOptions ro;
      ro.prefix = plan.MapPrefix(k, index);
      ro.num_partitions = plan.stages[k].partitions;
      // map_memory_mb bounds the buffer and the radix sort's scratch together.
      ro.memory_budget_bytes = plan.stages[k].map_memory_bytes / 2;
      auto rw = dedup::RunWriter::Create(ro);
      if (!rw.ok()) return rw.status();
      keys_out = std::move(rw).value();
      keyer = std::make_unique<StageKeyer>(plan.stages[k]);
    }
  }

  // Stage k-1's decisions, applied before this segment's steps.
  StageApply decisions;
  const bool applied = !first;
  StepStats* applied_stats = first ? nullptr : &stats->steps[plan.stage_spec[k - 1]];
  if (!first) WINNOW_RETURN_IF_ERROR(decisions.Open(plan, k - 1, index));
  Counters apply_counters;  // stage k-1's apply step
  Counters key_counters;    // stage k's map side
  std::vector<dedup::Key128> keys;

  // Runs one document through the apply step and this segment's steps.
  auto process = [&](Document& doc, uint64_t ordinal) {
    bool keep = true;
    if (applied) {
      StepStats& ss = *applied_stats;
      ss.docs_in++;
      ss.bytes_in += static_cast<int64_t>(doc.text.size());
      uint64_t id = DocumentKey(static_cast<uint32_t>(index), ordinal);
      BoilerplateApplier::Outcome bp{};
      switch (ApplyStage(plan, k - 1, &decisions, id, &doc, &bp)) {
        case Applied::kNone:
        case Applied::kChanged:
          break;
        case Applied::kSurvivor:
          if (plan.stages[k - 1].mode == CorpusStageOptions::Mode::kAnnotate)
            apply_counters.Add("cluster_survivors");
          break;
        case Applied::kAnnotated:
          apply_counters.Add("duplicates_annotated");
          break;
        case Applied::kRemoved:
          ss.removed[doc.reason]++;
          keep = false;
          break;
      }
      if (bp.lines_removed > 0) {
        apply_counters.Add("docs_changed");
        apply_counters.Add("lines_removed", bp.lines_removed);
        apply_counters.Add("bytes_removed", static_cast<int64_t>(bp.bytes_removed));
      }
      if (keep) {
        ss.docs_out++;
        ss.bytes_out += static_cast<int64_t>(doc.text.size());
      }
    }
    for (size_t s = 0; keep && s < steps.size(); ++s) {
      StepStats& ss = stats->steps[seg[s]];
      ss.docs_in++;
      ss.bytes_in += static_cast<int64_t>(doc.text.size());
      auto ts = Clock::now();
      StepResult r = RunStep(steps[s].get(), seg[s] == 0, &doc, &counters[s]);
      step_time[s] += Clock::now() - ts;
      if (!r.keep) {
        ss.removed[r.reason]++;
        doc.removed_by = plan.specs[seg[s]].name;
        doc.reason = std::move(r.reason);
        doc.details = std::move(r.details);
        keep = false;
        break;
      }
      ss.docs_out++;
      ss.bytes_out += static_cast<int64_t>(doc.text.size());
    }
    if (!keep) {
      stats->removed++;
      AppendDocumentJson(doc, removed.buf());
      removed.MaybeFlush();
    } else if (last) {
      stats->kept++;
      stats->kept_bytes += static_cast<int64_t>(doc.text.size());
      AppendDocumentJson(doc, kept.buf());
      kept.MaybeFlush();
    } else if (site_map) {
      key_counters.Add(SiteOutcomeCounter(site_map->Add(doc)));
      if (spill) spill->Add(doc, ordinal);
    } else {
      keys.clear();
      keyer->Keys(doc, &keys);
      uint64_t id = DocumentKey(static_cast<uint32_t>(index), ordinal);
      for (const auto& key : keys) keys_out->Add(dedup::RunRecord{key.hi, key.lo, id});
      key_counters.Add(keys.empty() ? "docs_without_keys" : "docs_keyed");
      if (!keys.empty()) {
        if (ranks_out) ranks_out->Add(dedup::RunRecord{id, keyer->Rank(doc), 0});
        if (sets_out) sets_out->Add(id, keyer->ShingleSet());
      }
      if (spill) spill->Add(doc, ordinal);
    }
  };

  Status input_status;
  const bool replay = !first && plan.reread[k - 1];
  if (replay) {
    // Read the input again; only documents that reach stage k-1 go on.
    Replay rp;
    WINNOW_RETURN_IF_ERROR(rp.Init(plan, k, index));
    // The input must yield the documents segment 0 counted (its marker
    // holds its stats): a file that became unreadable or changed since
    // fails this task, which leaves no marker, so a rerun retries it.
    std::string seg0_json;
    WINNOW_RETURN_IF_ERROR(ReadFileToString(plan.SegmentMarker(0, index), &seg0_json));
    Result<TaskStats> seg0 = TaskStats::FromJson(seg0_json);
    if (!seg0.ok()) return seg0.status();
    const int64_t expected_docs = seg0.value().records_read - seg0.value().rejected;
    Result<std::unique_ptr<RecordReader>> reader =
        OpenRecordReader(path, static_cast<uint32_t>(index), config.reader);
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
        if (rp.Survives(&doc, ord)) process(doc, ord);
      }
      docs = static_cast<int64_t>(ordinal);
    } else if (expected_docs > 0) {
      return Status::IOError("cannot read input " + path + " again for segment " +
                             std::to_string(k) + ": " + reader.status().ToString());
    }
    if (docs != expected_docs)
      return Status::Corruption("input " + path + " changed since it was first read: " +
                                std::to_string(docs) + " documents now, " +
                                std::to_string(expected_docs) + " before");
    input_status = rp.status();
    if (input_status.ok()) input_status = decisions.status();
  } else if (first) {
    Result<std::unique_ptr<RecordReader>> reader =
        OpenRecordReader(path, static_cast<uint32_t>(index), config.reader);
    auto reject = [&](const Rejection& r) {
      stats->records_read++;
      stats->rejected++;
      stats->rejected_by_reason[r.reason]++;
      AppendRejectionJson(r, rejected.buf());
      rejected.MaybeFlush();
    };
    Rejection rej;
    if (!reader.ok()) {
      // An input that vanished or became unreadable after planning: one
      // rejected record; the rest of the job goes on.
      rej.file = path;
      rej.reason = "open_failed";
      rej.error = reader.status().ToString();
      reject(rej);
    } else {
      Document doc;
      uint64_t ordinal = 0;
      for (;;) {
        RecordReader::Next next = reader.value()->Read(&doc, &rej);
        if (next == RecordReader::Next::kEnd) break;
        if (next == RecordReader::Next::kRejected) {
          reject(rej);
          continue;
        }
        stats->records_read++;
        stats->bytes_read += static_cast<int64_t>(doc.text.size());
        if (plan.progress) plan.progress->Add(1, static_cast<int64_t>(doc.text.size()));
        process(doc, ordinal++);
      }
      for (const auto& [key, v] : reader.value()->counters().items())
        stats->reader_counters[key] += v;
    }
  } else {
    auto in = SpillReader::Open(plan.SpillPath(k - 1, index));
    if (!in.ok()) return in.status();
    SpilledDocument sd;
    while (in.value()->Next(&sd)) {
      if (plan.progress) plan.progress->Add(1, static_cast<int64_t>(sd.doc.text.size()));
      process(sd.doc, sd.ordinal);
    }
    input_status = in.value()->status();
    if (input_status.ok()) input_status = decisions.status();
  }
  if (!input_status.ok()) return input_status;

  for (size_t s = 0; s < steps.size(); ++s) {
    StepStats& ss = stats->steps[seg[s]];
    for (const auto& [key, v] : counters[s].items()) ss.counters[key] += v;
    ss.seconds = std::chrono::duration<double>(step_time[s]).count();
  }
  if (!last) {
    for (const auto& [key, v] : key_counters.items())
      stats->steps[plan.stage_spec[k]].counters[key] += v;
  }
  if (applied_stats != nullptr) {
    for (const auto& [key, v] : apply_counters.items()) applied_stats->counters[key] += v;
  }
  Status st = kept.Finish();
  if (st.ok()) st = removed.Finish();
  if (st.ok()) st = rejected.Finish();
  if (st.ok() && spill) st = spill->Finish();
  if (st.ok() && keys_out) st = keys_out->Finish();
  if (st.ok() && ranks_out) st = ranks_out->Finish();
  if (st.ok() && sets_out) st = sets_out->Finish();
  if (st.ok() && site_map) st = site_map->Finish();
  if (st.ok() && decisions.boilerplate)
    st = decisions.boilerplate->WriteTop(BoilerplateTaskTopPath(plan.StageDir(k - 1), index));
  if (!st.ok()) {
    kept.Abandon();
    removed.Abandon();
    rejected.Abandon();
    if (spill) spill->Abandon();
    if (keys_out) keys_out->Abandon();
    if (ranks_out) ranks_out->Abandon();
    if (sets_out) sets_out->Abandon();
    if (site_map) site_map->Abandon();
    return st;
  }
  stats->seconds = Seconds(t0, Clock::now());
  return Status::OK();
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
  std::string inputs = "[";
  for (size_t i = 0; i < plan.files.size(); ++i) {
    if (i) inputs += ",";
    AppendJsonString(plan.files[i], &inputs);
  }
  inputs += "]";
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
      .AddRaw("inputs", inputs)
      .Add("threads", threads)
      .Add("tasks", summary.tasks)
      .Add("tasks_skipped", summary.tasks_skipped)
      .Add("accounting_ok", summary.accounting_ok)
      .Add("wall_seconds", summary.wall_seconds)
      .AddRaw("phases", phases.Finish())
      .AddRaw("phases_cpu", phases_cpu.Finish())
      .AddRaw("stages", stages.Finish());
  if (!summary.boilerplate_json.empty()) json.AddRaw("boilerplate", summary.boilerplate_json);
  return json.AddRaw("totals", t.ToJson()).Finish() + "\n";
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
      for (auto it = fs::recursive_directory_iterator(arg, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list directory " + arg + ": " + ec.message());
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
  auto log = [&](const std::string& line) {
    if (options.progress != nullptr) {
      options.progress->Log(line);  // serialized by the reporter
      return;
    }
    if (!options.log) return;
    std::lock_guard<std::mutex> lock(log_mu);
    options.log(line);
  };

  if (config.output_dir.empty()) return Status::InvalidArgument("no output directory (-o)");
  if (config.inputs.empty()) return Status::InvalidArgument("no inputs");
  Plan plan;
  plan.config = &config;
  plan.out = config.output_dir;
  plan.progress = options.progress;
  WINNOW_RETURN_IF_ERROR(ExpandInputs(config.inputs, &plan.files));
  plan.specs = WithImplicitSteps(config.steps);
  // Cut into segments at corpus-wide steps and validate every step and
  // option before touching the output directory.
  plan.segments.emplace_back();
  std::set<std::string> names;
  for (size_t j = 0; j < plan.specs.size(); ++j) {
    const StepSpec& spec = plan.specs[j];
    if (!names.insert(spec.name).second)
      return Status::InvalidArgument("two steps are named '" + spec.name + "'; give one a `name`");
    if (IsCorpusStepType(spec.type)) {
      CorpusStageOptions stage;
      WINNOW_RETURN_IF_ERROR(ParseCorpusStage(spec, &stage));
      plan.stages.push_back(stage);
      plan.stage_spec.push_back(j);
      plan.segments.emplace_back();
    } else {
      plan.segments.back().push_back(j);
    }
  }
  // A stage hands its survivors on by re-reading the input when everything
  // before it is cheap to redo (see CorpusStageOptions::Handoff).
  for (size_t k = 0; k < plan.num_stages(); ++k) {
    bool cheap = true;
    for (size_t j = 0; j <= k; ++j)
      for (size_t s : plan.segments[j])
        cheap &= plan.specs[s].type == "drop_empty" || plan.specs[s].type == "extract_html";
    switch (plan.stages[k].handoff) {
      case CorpusStageOptions::Handoff::kAuto:
        plan.reread.push_back(cheap);
        break;
      case CorpusStageOptions::Handoff::kSpill:
        plan.reread.push_back(false);
        break;
      case CorpusStageOptions::Handoff::kReread:
        plan.reread.push_back(true);
        break;
    }
  }
  for (const auto& seg : plan.segments) {
    std::vector<StepSpec> specs;
    for (size_t j : seg) specs.push_back(plan.specs[j]);
    auto steps = MakeSteps(specs);
    if (!steps.ok()) return steps.status();
  }

  WINNOW_RETURN_IF_ERROR(CheckOutputDir(plan.out));
  OutputLock lock;
  WINNOW_RETURN_IF_ERROR(lock.Acquire(plan.out));
  WINNOW_RETURN_IF_ERROR(RemoveStaleTempFiles(plan.out));
  std::string fingerprint = JobFingerprint(config, plan.files) + "\n";
  std::string job_path = plan.out + "/.work/job.json";
  if (FileExists(job_path)) {
    std::string existing;
    WINNOW_RETURN_IF_ERROR(ReadFileToString(job_path, &existing));
    if (existing != fingerprint)
      return Status::InvalidArgument(
          "output directory " + plan.out +
          " holds the results of a different job (other inputs, steps or options); "
          "use a new output directory or remove this one");
  } else {
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(job_path, fingerprint));
  }

  int threads = config.threads > 0
                    ? config.threads
                    : std::max(1u, std::thread::hardware_concurrency());
  JobSummary summary;
  const size_t nfiles = plan.files.size();
  std::vector<TaskStats> task_stats(nfiles);
  std::mutex stats_mu;

  // Runs one phase's tasks; a task is skipped when its marker exists (for
  // segment tasks the marker holds the task's stats).
  // `totals(t)` gives the documents and text bytes task t will report to
  // the progress line (0 = unknown), for its ETA; only tasks still to run
  // count.
  using TaskTotals = std::function<std::pair<int64_t, int64_t>(size_t)>;
  auto run_phase = [&](const std::string& phase, std::vector<Task> tasks,
                       std::vector<std::string> markers,
                       const TaskTotals& totals) -> bool {
    std::vector<Task> todo;
    int64_t total_docs = 0, total_bytes = 0;
    bool known = static_cast<bool>(totals);
    for (size_t t = 0; t < tasks.size(); ++t) {
      summary.tasks++;
      if (FileExists(markers[t])) {
        summary.tasks_skipped++;
        continue;
      }
      if (known) {
        const auto [docs, bytes] = totals(t);
        if (docs <= 0 && bytes <= 0) known = false;
        total_docs += docs;
        total_bytes += bytes;
      }
      todo.push_back(std::move(tasks[t]));
    }
    if (!known) total_docs = total_bytes = 0;
    if (options.progress != nullptr)
      options.progress->BeginPhase(phase, total_docs, total_bytes);
    std::vector<Status> results = RunLocal(todo, threads);
    if (options.progress != nullptr) options.progress->EndPhase();
    bool ok = true;
    for (size_t t = 0; t < results.size(); ++t) {
      if (results[t].ok()) continue;
      ok = false;
      summary.tasks_failed++;
      summary.errors.push_back(phase + " " + todo[t].name + ": " + results[t].ToString());
    }
    return ok;
  };

  auto timed_phase = [&](const std::string& key, const std::string& phase,
                         std::vector<Task> tasks, std::vector<std::string> markers,
                         const TaskTotals& totals = nullptr) -> bool {
    auto start = Clock::now();
    const double cpu = ProcessCpuSeconds();
    bool phase_ok = run_phase(phase, std::move(tasks), std::move(markers), totals);
    summary.phase_seconds.emplace_back(key, Seconds(start, Clock::now()));
    summary.phase_cpu_seconds.emplace_back(key, ProcessCpuSeconds() - cpu);
    return phase_ok;
  };

  // Reduce and finalize of a boilerplate stage (pipeline/boilerplate_stage.h).
  auto run_boilerplate_stage = [&](size_t k) -> bool {
    const BoilerplateStageConfig* bp = plan.stages[k].boilerplate.get();
    const std::string dir = plan.StageDir(k);
    const bool cross = bp->options.cross_site == boilerplate::CrossSiteMode::kRemove;
    std::vector<Task> reduce;
    std::vector<std::string> reduce_markers;
    for (uint32_t p = 0; p < bp->partitions; ++p) {
      BoilerplateReducePaths paths = BoilerplateReduceFiles(dir, p);
      Task task;
      task.name = "partition " + ShardName(p);
      task.body = [&plan, bp, k, p, paths, nfiles, cross]() -> Status {
        std::vector<std::string> sites, crosses;
        const std::string part = ".p" + ShardName(p) + ".run";
        for (size_t i = 0; i < nfiles; ++i) {
          sites.push_back(plan.SiteMapPrefix(k, i) + part);
          if (cross) crosses.push_back(plan.CrossMapPrefix(k, i) + part);
        }
        return ReduceBoilerplatePartition(*bp, sites, crosses, paths);
      };
      reduce.push_back(std::move(task));
      reduce_markers.push_back(paths.decisions);
    }
    if (!timed_phase("reduce_" + std::to_string(k), "reduce " + std::to_string(k),
                     std::move(reduce), reduce_markers))
      return false;
    const std::string fin_marker = dir + "/finalize.done";
    std::vector<Task> fin(1);
    fin[0].name = "finalize";
    fin[0].body = [&plan, bp, k, dir, fin_marker, nfiles, &log]() -> Status {
      std::vector<std::string> decisions;
      for (size_t i = 0; i < nfiles; ++i) decisions.push_back(plan.DecisionPath(k, i));
      BoilerplateCounts c;
      WINNOW_RETURN_IF_ERROR(FinalizeBoilerplate(*bp, dir, decisions, &c));
      log("winnow: " + plan.specs[plan.stage_spec[k]].name + ": " +
          std::to_string(c.boilerplate_groups) + " boilerplate lines on " +
          std::to_string(c.sites_with_boilerplate) + " of " + std::to_string(c.sites) +
          " sites");
      return WriteFileAtomically(
          fin_marker, std::to_string(c.sites) + " " + std::to_string(c.boilerplate_groups) + " " +
                          std::to_string(c.sites_with_boilerplate) + " " +
                          std::to_string(c.decisions) + " " +
                          std::to_string(c.cross_site_lines) + "\n");
    };
    if (!timed_phase("finalize_" + std::to_string(k), "finalize " + std::to_string(k),
                     std::move(fin), {fin_marker}))
      return false;
    std::string text;
    long long v[5] = {};
    if (ReadFileToString(fin_marker, &text).ok() &&
        std::sscanf(text.c_str(), "%lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3],
                    &v[4]) == 5) {
      auto& counters = summary.stage_counters[plan.specs[plan.stage_spec[k]].name];
      counters["sites"] = v[0];
      counters["boilerplate_lines"] = v[1];
      counters["sites_with_boilerplate"] = v[2];
      counters["decisions"] = v[3];
      if (cross) counters["cross_site_lines"] = v[4];
    }
    return true;
  };

  bool ok = true;
  for (size_t k = 0; ok && k <= plan.num_stages(); ++k) {
    std::vector<Task> tasks;
    std::vector<std::string> markers;
    for (size_t i = 0; i < nfiles; ++i) {
      std::string marker = plan.SegmentMarker(k, i);
      Task task;
      task.name = ShardName(i);
      task.body = [&plan, &log, k, i, marker]() -> Status {
        TaskStats stats;
        WINNOW_RETURN_IF_ERROR(RunSegmentTask(plan, k, i, &stats));
        WINNOW_RETURN_IF_ERROR(WriteFileAtomically(marker, stats.ToJson() + "\n"));
        log("winnow: segment " + std::to_string(k) + " done: " + plan.files[i]);
        return Status::OK();
      };
      tasks.push_back(std::move(task));
      markers.push_back(marker);
    }
    if (k > 0 || plan.num_stages() > 0) {
      std::error_code ec;
      fs::create_directories(plan.out + "/.work/seg" + std::to_string(k), ec);
      if (k < plan.num_stages()) fs::create_directories(plan.StageDir(k), ec);
    }
    // What each task of segment k will count, for the ETA: segment 0 reads
    // the files (known only for uncompressed inputs, by size); a segment
    // that re-reads its input reads again what segment 0's marker counted.
    TaskTotals totals = [&plan, k](size_t i) -> std::pair<int64_t, int64_t> {
      if (k == 0) {
        std::error_code ec;
        const auto size = fs::file_size(plan.files[i], ec);
        auto in = OpenInputStream(plan.files[i], InputLimits{});
        if (ec || !in.ok() || in.value()->compression() != Compression::kNone)
          return {0, 0};
        return {0, static_cast<int64_t>(size)};
      }
      // A spill holds what survived segment k-1, which its marker does not
      // count: no ETA then.
      if (!plan.reread[k - 1]) return {0, 0};
      std::string json;
      if (!ReadFileToString(plan.SegmentMarker(0, i), &json).ok()) return {0, 0};
      Result<TaskStats> t = TaskStats::FromJson(json);
      if (!t.ok()) return {0, 0};
      return {t.value().records_read - t.value().rejected, t.value().bytes_read};
    };
    ok = timed_phase("segment_" + std::to_string(k), "segment " + std::to_string(k),
                     std::move(tasks), markers, totals);
    if (!ok || k == plan.num_stages()) break;
    if (plan.IsBoilerplate(k)) {
      ok = run_boilerplate_stage(k);
      continue;
    }

    // Reduce stage k: one task per partition.
    const CorpusStageOptions& stage = plan.stages[k];
    std::vector<Task> reduce;
    std::vector<std::string> reduce_markers;
    std::vector<std::string> pairs_files;
    for (uint32_t p = 0; p < stage.partitions; ++p) {
      std::string pairs = plan.PairsPath(k, p);
      pairs_files.push_back(pairs);
      Task task;
      task.name = "partition " + ShardName(p);
      task.body = [&plan, k, p, pairs, nfiles]() -> Status {
        const CorpusStageOptions& st = plan.stages[k];
        std::vector<std::string> runs;
        ReduceOptions ro;
        ro.memory_bytes = st.map_memory_bytes;
        ro.verify_jaccard = st.verify_jaccard;
        for (size_t i = 0; i < nfiles; ++i) {
          runs.push_back(plan.MapPrefix(k, i) + ".p" + ShardName(p) + ".run");
          if (st.verify_jaccard > 0) ro.shingle_stores.push_back(plan.ShinglePath(k, i));
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
      reduce.push_back(std::move(task));
      reduce_markers.push_back(pairs);
    }
    ok = timed_phase("reduce_" + std::to_string(k), "reduce " + std::to_string(k),
                     std::move(reduce), reduce_markers);
    if (!ok) break;
    {
      int64_t candidates = 0, verified = 0;
      for (const std::string& pairs : pairs_files) {
        std::string text;
        long long c = 0, v = 0;
        if (ReadFileToString(pairs + ".counts", &text).ok() &&
            std::sscanf(text.c_str(), "%lld %lld", &c, &v) == 2) {
          candidates += c;
          verified += v;
        }
      }
      auto& counters = summary.stage_counters[plan.specs[plan.stage_spec[k]].name];
      counters["candidate_pairs"] = candidates;
      if (stage.verify_jaccard > 0) counters["verified_pairs"] = verified;
    }

    // Finalize stage k: union-find, one decision file per input file.
    std::string fin_marker = plan.StageDir(k) + "/finalize.done";
    std::vector<Task> fin(1);
    fin[0].name = "finalize";
    fin[0].body = [&plan, k, pairs_files, fin_marker, nfiles, &log]() -> Status {
      std::vector<std::string> decisions, ranks;
      for (size_t i = 0; i < nfiles; ++i) {
        decisions.push_back(plan.DecisionPath(k, i));
        if (plan.stages[k].keep != CorpusStageOptions::Keep::kEarliest)
          ranks.push_back(plan.RankPath(k, i));
      }
      uint64_t docs = 0, clusters = 0;
      WINNOW_RETURN_IF_ERROR(FinalizeStage(pairs_files, ranks, decisions, &docs, &clusters));
      log("winnow: " + plan.specs[plan.stage_spec[k]].name + ": " + std::to_string(clusters) +
          " clusters over " + std::to_string(docs) + " documents");
      return WriteFileAtomically(fin_marker, std::to_string(clusters) + " " +
                                                 std::to_string(docs) + "\n");
    };
    ok = timed_phase("finalize_" + std::to_string(k), "finalize " + std::to_string(k),
                     std::move(fin), {fin_marker});
    if (ok) {
      std::string text;
      long long c = 0, d = 0;
      if (ReadFileToString(fin_marker, &text).ok() &&
          std::sscanf(text.c_str(), "%lld %lld", &c, &d) == 2) {
        auto& counters = summary.stage_counters[plan.specs[plan.stage_spec[k]].name];
        counters["clusters"] = c;
        counters["clustered_docs"] = d;
      }
    }
  }
  (void)stats_mu;

  // Gather every segment task's stats from its marker.
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
  if (summary.tasks_skipped > 0)
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
  return summary;
}

}  // namespace winnow
