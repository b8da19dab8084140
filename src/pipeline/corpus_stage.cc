#include "pipeline/corpus_stage.h"

#include <algorithm>
#include <unordered_map>

#include "dedup/clusters.h"
#include "dedup/keys.h"

namespace winnow {

bool IsCorpusStepType(const std::string& type) {
  return type == "exact_dedup" || type == "url_dedup" || type == "minhash_dedup";
}

Status ParseCorpusStage(const StepSpec& spec, CorpusStageOptions* out) {
  CorpusStageOptions o;
  if (spec.type == "exact_dedup") o.kind = CorpusStageOptions::Kind::kExactText;
  else if (spec.type == "url_dedup") o.kind = CorpusStageOptions::Kind::kUrl;
  else if (spec.type == "minhash_dedup") o.kind = CorpusStageOptions::Kind::kMinHash;
  else return Status::InvalidArgument("not a corpus-wide step: " + spec.type);
  StepOptions opts(spec.options);
  std::string mode = opts.GetString("mode", "remove");
  if (mode == "remove") o.mode = CorpusStageOptions::Mode::kRemove;
  else if (mode == "annotate") o.mode = CorpusStageOptions::Mode::kAnnotate;
  else return Status::InvalidArgument("step '" + spec.name + "': mode must be remove or annotate");
  int64_t partitions = opts.GetInt("partitions", 8);
  int64_t memory_mb = opts.GetInt("map_memory_mb", 64);
  if (partitions < 1 || partitions > 65536)
    return Status::InvalidArgument("step '" + spec.name + "': partitions must be 1..65536");
  if (memory_mb < 1) return Status::InvalidArgument("step '" + spec.name + "': map_memory_mb >= 1");
  o.partitions = static_cast<uint32_t>(partitions);
  o.map_memory_bytes = static_cast<uint64_t>(memory_mb) << 20;
  if (o.kind == CorpusStageOptions::Kind::kMinHash) {
    o.minhash.shingle_size = static_cast<int>(opts.GetInt("shingle_size", 5));
    o.minhash.num_buckets = static_cast<int>(opts.GetInt("num_buckets", 14));
    o.minhash.hashes_per_bucket = static_cast<int>(opts.GetInt("hashes_per_bucket", 8));
    o.minhash.seed = static_cast<uint64_t>(opts.GetInt("seed", 1));
    WINNOW_RETURN_IF_ERROR(o.minhash.Validate());
  }
  Status st = opts.status();
  if (!st.ok()) return Status::InvalidArgument("step '" + spec.name + "': " + st.message());
  *out = o;
  return Status::OK();
}

StageKeyer::StageKeyer(const CorpusStageOptions& options) : options_(options) {
  if (options_.kind == CorpusStageOptions::Kind::kMinHash)
    minhasher_ = std::make_unique<dedup::MinHasher>(options_.minhash);
}

namespace {

// The value of metadata "url" when it is a JSON string without escapes
// (URLs virtually never need one); otherwise the raw JSON text, which is
// still a deterministic key.
std::string_view UrlOf(const Document& doc) {
  const JsonField* f = doc.FindMetadata("url");
  if (f == nullptr || f->raw.size() < 2 || f->raw.front() != '"') return {};
  std::string_view raw(f->raw);
  if (raw.find('\\') == std::string_view::npos) return raw.substr(1, raw.size() - 2);
  return raw;
}

}  // namespace

void StageKeyer::Keys(const Document& doc, std::vector<dedup::Key128>* keys) {
  switch (options_.kind) {
    case CorpusStageOptions::Kind::kExactText:
      keys->push_back(dedup::ExactTextKey(doc.text));
      return;
    case CorpusStageOptions::Kind::kUrl: {
      std::string_view url = UrlOf(doc);
      if (!url.empty()) keys->push_back(dedup::UrlKey(url));
      return;
    }
    case CorpusStageOptions::Kind::kMinHash:
      minhasher_->Signature(doc.text, &sig_);
      minhasher_->BandKeys(sig_, keys);
      return;
  }
}

Status ReduceStagePartition(const std::vector<std::string>& map_runs,
                            const std::string& pairs_path, uint64_t* pairs_out) {
  auto merger = dedup::RunMerger::Open(map_runs, dedup::RunMergerOptions{});
  if (!merger.ok()) return merger.status();
  dedup::GroupPairEmitter emitter;
  std::vector<dedup::RunRecord> pairs;
  dedup::RunRecord r;
  while (merger.value()->Next(&r)) {
    emitter.Add(r, [&](uint64_t member, uint64_t min) {
      pairs.push_back(dedup::RunRecord{member, min, 0});
    });
  }
  WINNOW_RETURN_IF_ERROR(merger.value()->status());
  dedup::SortRunRecords(&pairs);
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  *pairs_out = pairs.size();
  return dedup::WriteRunFile(pairs_path, pairs.data(), pairs.size(), 0, 1);
}

Status FinalizeStage(const std::vector<std::string>& pairs_files,
                     const std::vector<std::string>& decision_paths,
                     uint64_t* clustered_docs, uint64_t* clusters) {
  dedup::UnionFind uf;
  std::vector<std::pair<uint64_t, uint64_t>> batch;
  batch.reserve(1 << 16);
  for (const std::string& path : pairs_files) {
    auto reader = dedup::RunReader::Open(path, size_t{1} << 20);
    if (!reader.ok()) return reader.status();
    dedup::RunRecord r;
    while (reader.value()->Next(&r)) {
      batch.emplace_back(r.key_hi, r.key_lo);
      if (batch.size() == batch.capacity()) {
        uf.UnionAll(batch.data(), batch.size());
        batch.clear();
      }
    }
    WINNOW_RETURN_IF_ERROR(reader.value()->status());
  }
  uf.UnionAll(batch.data(), batch.size());
  std::vector<dedup::DedupDecision> decisions = uf.Decisions();
  std::unordered_map<uint64_t, uint64_t> sizes;
  for (const auto& d : decisions) sizes[d.survivor]++;
  *clustered_docs = decisions.size();
  *clusters = sizes.size();
  std::vector<dedup::RunRecord> records;
  size_t next = 0;
  for (size_t file = 0; file < decision_paths.size(); ++file) {
    records.clear();
    while (next < decisions.size() && (decisions[next].id >> 40) == file) {
      const auto& d = decisions[next++];
      records.push_back(dedup::RunRecord{d.id, d.survivor, sizes[d.survivor]});
    }
    WINNOW_RETURN_IF_ERROR(dedup::WriteRunFile(decision_paths[file], records.data(),
                                               records.size(), 0, 1));
  }
  if (next != decisions.size())
    return Status::Internal("dedup decision for an id outside the job's files");
  return Status::OK();
}

Status DecisionCursor::Open(const std::string& path) {
  auto r = dedup::RunReader::Open(path, size_t{1} << 20);
  if (!r.ok()) return r.status();
  reader_ = std::move(r).value();
  return Status::OK();
}

bool DecisionCursor::Find(uint64_t id, uint64_t* survivor, uint64_t* cluster_size) {
  while (!done_ && (!have_ || current_.key_hi < id)) {
    have_ = reader_->Next(&current_);
    if (!have_) done_ = true;
  }
  if (have_ && current_.key_hi == id) {
    *survivor = current_.key_lo;
    *cluster_size = current_.value;
    return true;
  }
  return false;
}

Status DecisionCursor::status() const {
  return reader_ ? reader_->status() : Status::OK();
}

}  // namespace winnow
