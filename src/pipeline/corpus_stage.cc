#include "pipeline/corpus_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "dedup/clusters.h"
#include "dedup/keys.h"
#include "io/output_file.h"
#include "pipeline/boilerplate_stage.h"
#include "pipeline/put_bytes.h"

namespace winnow {

bool IsCorpusStepType(const std::string& type) {
  return type == "exact_dedup" || type == "url_dedup" || type == "minhash_dedup" ||
         type == kBoilerplateStepType;
}

uint32_t AutoPartitions(uint64_t input_bytes) {
  constexpr uint64_t kBytesPerPartition = uint64_t{16} << 20;
  constexpr uint64_t kMaxAuto = 8;
  const uint64_t wanted = (input_bytes + kBytesPerPartition - 1) / kBytesPerPartition;
  return static_cast<uint32_t>(std::clamp<uint64_t>(wanted, 1, kMaxAuto));
}

Status ParseCorpusStage(const StepSpec& spec, CorpusStageOptions* out) {
  CorpusStageOptions o;
  if (spec.type == kBoilerplateStepType) {
    auto config = std::make_shared<BoilerplateStageConfig>();
    WINNOW_RETURN_IF_ERROR(ParseBoilerplateStage(spec, config.get()));
    o.kind = CorpusStageOptions::Kind::kBoilerplate;
    o.partitions = config->partitions;
    o.map_memory_bytes = config->map_memory_bytes;
    if (config->handoff == "spill") o.handoff = CorpusStageOptions::Handoff::kSpill;
    else if (config->handoff == "reread") o.handoff = CorpusStageOptions::Handoff::kReread;
    else o.handoff = CorpusStageOptions::Handoff::kAuto;
    o.boilerplate = std::move(config);
    *out = std::move(o);
    return Status::OK();
  }
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
  int64_t memory_mb = opts.GetInt("map_memory_mb", kDedupMapMemoryMb);
  if (partitions < 1 || partitions > 65536)
    return Status::InvalidArgument("step '" + spec.name + "': partitions must be 1..65536");
  if (memory_mb < 1) return Status::InvalidArgument("step '" + spec.name + "': map_memory_mb >= 1");
  o.partitions = static_cast<uint32_t>(partitions);
  o.map_memory_bytes = static_cast<uint64_t>(memory_mb) << 20;
  std::string keep = opts.GetString("keep", "earliest");
  if (keep == "earliest") o.keep = CorpusStageOptions::Keep::kEarliest;
  else if (keep == "longest") o.keep = CorpusStageOptions::Keep::kLongest;
  else if (keep == "quality") o.keep = CorpusStageOptions::Keep::kQuality;
  else return Status::InvalidArgument("step '" + spec.name + "': keep must be earliest, longest or quality");
  o.quality_field = opts.GetString("quality_field", "");
  if (o.keep == CorpusStageOptions::Keep::kQuality && o.quality_field.empty())
    return Status::InvalidArgument("step '" + spec.name + "': keep: quality needs quality_field");
  if (o.keep != CorpusStageOptions::Keep::kQuality && !o.quality_field.empty())
    return Status::InvalidArgument("step '" + spec.name + "': quality_field needs keep: quality");
  std::string handoff = opts.GetString("handoff", "auto");
  if (handoff == "auto") o.handoff = CorpusStageOptions::Handoff::kAuto;
  else if (handoff == "spill") o.handoff = CorpusStageOptions::Handoff::kSpill;
  else if (handoff == "reread") o.handoff = CorpusStageOptions::Handoff::kReread;
  else return Status::InvalidArgument("step '" + spec.name + "': handoff must be auto, spill or reread");
  if (o.kind == CorpusStageOptions::Kind::kMinHash) {
    o.minhash.shingle_size = static_cast<int>(opts.GetInt("shingle_size", 5));
    o.minhash.num_buckets = static_cast<int>(opts.GetInt("num_buckets", 14));
    o.minhash.hashes_per_bucket = static_cast<int>(opts.GetInt("hashes_per_bucket", 8));
    o.minhash.seed = static_cast<uint64_t>(opts.GetInt("seed", 1));
    o.verify_jaccard = opts.GetDouble("verify_jaccard", 0.0);
    if (!(o.verify_jaccard >= 0.0 && o.verify_jaccard <= 1.0))
      return Status::InvalidArgument("step '" + spec.name + "': verify_jaccard must be in [0, 1]");
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

// Order-preserving map of a finite double to [1, 2^64): greater numbers
// give greater codes. NaN gives 0 (ranks as missing).
uint64_t OrderedCode(double d) {
  if (std::isnan(d)) return 0;
  if (d == 0) d = 0;  // -0 == +0
  uint64_t bits = std::bit_cast<uint64_t>(d);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

// A JSON number (raw JSON text) as a double; false for anything else.
bool ParseJsonNumber(std::string_view raw, double* out) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
  if (raw.empty() || !(raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))) return false;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), *out);
  return ec == std::errc() && p == raw.data() + raw.size() && std::isfinite(*out);
}

// The raw value of member `key` of the JSON object `obj` (top level only),
// by a small scanner that skips strings, nested objects and arrays.
bool FindJsonMember(std::string_view obj, std::string_view key, std::string_view* value) {
  size_t i = 0, n = obj.size();
  auto skip_ws = [&] { while (i < n && (obj[i] == ' ' || obj[i] == '\n' || obj[i] == '\t' || obj[i] == '\r')) ++i; };
  auto skip_string = [&]() -> bool {  // at '"'
    ++i;
    while (i < n && obj[i] != '"') i += (obj[i] == '\\') ? 2 : 1;
    if (i >= n) return false;
    ++i;
    return true;
  };
  auto skip_value = [&]() -> bool {
    skip_ws();
    if (i >= n) return false;
    if (obj[i] == '"') return skip_string();
    if (obj[i] == '{' || obj[i] == '[') {
      int depth = 0;
      while (i < n) {
        char c = obj[i];
        if (c == '"') {
          if (!skip_string()) return false;
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') --depth;
        ++i;
        if (depth == 0) return true;
      }
      return false;
    }
    while (i < n && obj[i] != ',' && obj[i] != '}') ++i;
    return true;
  };
  skip_ws();
  if (i >= n || obj[i] != '{') return false;
  ++i;
  for (;;) {
    skip_ws();
    if (i >= n || obj[i] != '"') return false;
    size_t kb = i + 1;
    if (!skip_string()) return false;
    std::string_view k = obj.substr(kb, i - 1 - kb);
    skip_ws();
    if (i >= n || obj[i] != ':') return false;
    ++i;
    skip_ws();
    size_t vb = i;
    if (!skip_value()) return false;
    if (k == key) {
      *value = obj.substr(vb, i - vb);
      return true;
    }
    skip_ws();
    if (i >= n || obj[i] != ',') return false;
    ++i;
  }
}


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

uint64_t StageKeyer::Rank(const Document& doc) const {
  switch (options_.keep) {
    case CorpusStageOptions::Keep::kEarliest:
      return 0;
    case CorpusStageOptions::Keep::kLongest:
      return doc.text.size();
    case CorpusStageOptions::Keep::kQuality: {
      std::string_view raw;
      constexpr std::string_view kSignals = "winnow.signals.";
      std::string_view field = options_.quality_field;
      if (field.starts_with(kSignals)) {
        std::string_view rest = field.substr(kSignals.size());
        size_t dot = rest.find('.');
        if (dot == std::string_view::npos) return 0;
        std::string_view step = rest.substr(0, dot), name = rest.substr(dot + 1);
        const JsonField* f = nullptr;
        for (const auto& s : doc.signals)
          if (s.key == step) f = &s;
        if (f == nullptr || !FindJsonMember(f->raw, name, &raw)) return 0;
      } else {
        const JsonField* f = doc.FindMetadata(field);
        if (f == nullptr) return 0;
        raw = f->raw;
      }
      double d;
      return ParseJsonNumber(raw, &d) ? OrderedCode(d) : 0;
    }
  }
  return 0;
}

const std::vector<uint32_t>& StageKeyer::ShingleSet() {
  set_.clear();
  if (minhasher_ && !sig_.empty()) dedup::ShingleSet32(minhasher_->last_shingles(), &set_);
  return set_;
}

void StageKeyer::Keys(const Document& doc, std::vector<dedup::Key128>* keys) {
  switch (options_.kind) {
    case CorpusStageOptions::Kind::kExactText:
      sig_.clear();
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
    case CorpusStageOptions::Kind::kBoilerplate:
      return;  // keyed by BoilerplateMapper
  }
}

// ShingleStore

namespace {

constexpr char kSetMagic[8] = {'W', 'N', 'S', 'H', 'S', 'E', 'T', '1'};
constexpr char kIdxMagic[8] = {'W', 'N', 'S', 'H', 'I', 'D', 'X', '1'};
constexpr uint64_t kNoRecord = ~uint64_t{0};
constexpr uint64_t kOrdinalMask = (uint64_t{1} << 40) - 1;


bool PreadFully(int fd, char* buf, size_t n, uint64_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, buf, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buf += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<ShingleStoreWriter>> ShingleStoreWriter::Create(const std::string& path) {
  auto file = AtomicFileWriter::Create(path, Compression::kNone, 0);
  if (!file.ok()) return file.status();
  std::unique_ptr<ShingleStoreWriter> w(new ShingleStoreWriter(std::move(file).value()));
  w->buf_.append(kSetMagic, 8);
  w->offset_ = 8;
  return w;
}

void ShingleStoreWriter::Add(uint64_t id, const std::vector<uint32_t>& set) {
  const uint64_t ordinal = id & kOrdinalMask;
  if (index_.size() < ordinal) index_.resize(ordinal, kNoRecord);
  index_.push_back(offset_);
  const size_t start = buf_.size();
  PutU32(static_cast<uint32_t>(set.size()), &buf_);
  buf_.append(reinterpret_cast<const char*>(set.data()), set.size() * 4);
  PutU64(XXH64(buf_.data() + start, buf_.size() - start, id), &buf_);
  offset_ += buf_.size() - start;
  if (buf_.size() >= (1 << 20)) {
    file_->Append(buf_);
    buf_.clear();
  }
}

Status ShingleStoreWriter::Finish() {
  const uint64_t index_offset = offset_;
  std::string_view idx(reinterpret_cast<const char*>(index_.data()), index_.size() * 8);
  file_->Append(buf_);
  buf_.clear();
  file_->Append(idx);
  PutU64(index_.size(), &buf_);
  PutU64(XXH64(idx.data(), idx.size(), 0), &buf_);
  PutU64(index_offset, &buf_);
  buf_.append(kIdxMagic, 8);
  file_->Append(buf_);
  buf_.clear();
  index_ = std::vector<uint64_t>();
  return file_->Finish();
}

void ShingleStoreWriter::Abandon() { file_->Abandon(); }

Result<std::unique_ptr<ShingleStoreReader>> ShingleStoreReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("missing shingle store " + path);
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<ShingleStoreReader> r(new ShingleStoreReader(path, fd));
  struct stat st;
  char trailer[32];
  if (::fstat(fd, &st) != 0 || st.st_size < 40 ||
      !PreadFully(fd, trailer, 32, static_cast<uint64_t>(st.st_size) - 32) ||
      std::memcmp(trailer + 24, kIdxMagic, 8) != 0)
    return Status::Corruption("shingle store " + path + ": bad trailer");
  uint64_t count, sum, index_offset;
  std::memcpy(&count, trailer, 8);
  std::memcpy(&sum, trailer + 8, 8);
  std::memcpy(&index_offset, trailer + 16, 8);
  if (index_offset < 8 || count > (uint64_t{1} << 40) ||
      index_offset + count * 8 + 32 != static_cast<uint64_t>(st.st_size))
    return Status::Corruption("shingle store " + path + ": size does not match its index");
  // Verify the index checksum once, streaming.
  XXH64_state_t* h = XXH64_createState();
  XXH64_reset(h, 0);
  std::vector<char> buf(1 << 20);
  bool ok = true;
  for (uint64_t done = 0; done < count * 8;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), count * 8 - done));
    if (!PreadFully(fd, buf.data(), n, index_offset + done)) {
      ok = false;
      break;
    }
    XXH64_update(h, buf.data(), n);
    done += n;
  }
  ok = ok && XXH64_digest(h) == sum;
  XXH64_freeState(h);
  if (!ok) return Status::Corruption("shingle store " + path + ": index checksum mismatch");
  r->count_ = count;
  r->index_offset_ = index_offset;
  return r;
}

ShingleStoreReader::~ShingleStoreReader() { ::close(fd_); }

Status ShingleStoreReader::Get(uint64_t id, std::vector<uint32_t>* set) {
  set->clear();
  const uint64_t ordinal = id & kOrdinalMask;
  if (ordinal >= count_) return Status::OK();
  uint64_t offset;
  if (!PreadFully(fd_, reinterpret_cast<char*>(&offset), 8, index_offset_ + ordinal * 8))
    return Status::Corruption("shingle store " + path_ + ": short read");
  if (offset == kNoRecord) return Status::OK();
  uint32_t n;
  if (offset + 12 > index_offset_ || !PreadFully(fd_, reinterpret_cast<char*>(&n), 4, offset) ||
      offset + 12 + uint64_t{n} * 4 > index_offset_)
    return Status::Corruption("shingle store " + path_ + ": bad record offset");
  std::vector<char> rec(4 + size_t{n} * 4 + 8);
  if (!PreadFully(fd_, rec.data(), rec.size(), offset))
    return Status::Corruption("shingle store " + path_ + ": short read");
  uint64_t sum;
  std::memcpy(&sum, rec.data() + rec.size() - 8, 8);
  if (XXH64(rec.data(), rec.size() - 8, id) != sum)
    return Status::Corruption("shingle store " + path_ + ": record checksum mismatch");
  set->resize(n);
  std::memcpy(set->data(), rec.data() + 4, size_t{n} * 4);
  return Status::OK();
}

// Reduce

namespace {

// A direct-mapped cache of shingle sets by document id, for the partners
// of verified pairs (group minimums recur across many pairs).
class SetCache {
 public:
  SetCache(const std::vector<std::string>& paths) : paths_(paths), stores_(paths.size()) {}
  Status Get(uint64_t id, const std::vector<uint32_t>** set) {
    Entry& e = entries_[(id * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
    if (!e.valid || e.id != id) {
      const size_t file = id >> 40;
      if (file >= stores_.size()) return Status::Internal("document id outside the job's files");
      if (!stores_[file]) {
        auto r = ShingleStoreReader::Open(paths_[file]);
        if (!r.ok()) return r.status();
        stores_[file] = std::move(r).value();
      }
      e.valid = false;
      WINNOW_RETURN_IF_ERROR(stores_[file]->Get(id, &e.set));
      e.id = id;
      e.valid = true;
    }
    *set = &e.set;
    return Status::OK();
  }

 private:
  static constexpr int kBits = 10;
  struct Entry {
    uint64_t id = 0;
    bool valid = false;
    std::vector<uint32_t> set;
  };
  const std::vector<std::string>& paths_;
  std::vector<std::unique_ptr<ShingleStoreReader>> stores_;
  Entry entries_[1 << kBits];
};

Status WriterFor(const std::string& prefix, uint64_t memory_bytes,
                 std::unique_ptr<dedup::RunWriter>* out) {
  dedup::RunWriterOptions ro;
  ro.prefix = prefix;
  ro.num_partitions = 1;
  ro.memory_budget_bytes = static_cast<size_t>(std::max<uint64_t>(memory_bytes, 1 << 20));
  ro.unique = true;
  auto w = dedup::RunWriter::Create(ro);
  if (!w.ok()) return w.status();
  *out = std::move(w).value();
  return Status::OK();
}

}  // namespace

Status ReduceStagePartition(const std::vector<std::string>& map_runs,
                            const std::string& pairs_path,
                            const ReduceOptions& options, ReduceCounts* counts) {
  *counts = ReduceCounts{};
  // The map tasks' runs share half the budget for their read buffers (one
  // run per map task: with 1 MiB each, 1,000 input files would have needed
  // 2 GB here).
  dedup::RunMergerOptions merge;
  merge.buffer_bytes = dedup::MergeBufferPerRun(options.memory_bytes / 2, map_runs.size());
  auto merger = dedup::RunMerger::Open(map_runs, merge);
  if (!merger.ok()) return merger.status();
  const bool verify = options.verify_jaccard > 0;
  // Candidates (verification) or final pairs, sorted and unique.
  const std::string prefix = pairs_path + (verify ? ".cand" : ".out");
  std::unique_ptr<dedup::RunWriter> pairs;
  // The sorting buffer takes half the budget; its radix scratch the rest.
  WINNOW_RETURN_IF_ERROR(WriterFor(prefix, options.memory_bytes / 2, &pairs));
  dedup::RunRecord r, first;
  uint64_t prev = 0;
  bool have = false;
  while (merger.value()->Next(&r)) {
    if (have && r.SameKey(first)) {
      if (r.value == prev) continue;  // the same document twice under a key
      pairs->Add(dedup::RunRecord{r.value, first.value, 0});
      if (verify && prev != first.value) pairs->Add(dedup::RunRecord{r.value, prev, 0});
      prev = r.value;
      continue;
    }
    first = r;
    prev = r.value;
    have = true;
  }
  WINNOW_RETURN_IF_ERROR(merger.value()->status());
  WINNOW_RETURN_IF_ERROR(pairs->Finish());
  const std::string written = pairs->PartitionPath(0);
  if (!verify) {
    auto check = dedup::RunReader::Open(written, 4096);
    if (!check.ok()) return check.status();
    counts->candidate_pairs = counts->pairs = check.value()->record_count();
    return RenameFile(written, pairs_path);
  }
  // Verification: stream the sorted unique candidates; the member's set is
  // read once per member, partners through the cache.
  auto cand = dedup::RunReader::Open(written, size_t{1} << 20);
  if (!cand.ok()) return cand.status();
  std::unique_ptr<dedup::RunWriter> out;
  WINNOW_RETURN_IF_ERROR(WriterFor(pairs_path + ".out", options.memory_bytes / 2, &out));
  SetCache cache(options.shingle_stores);
  std::vector<uint32_t> member_set;
  uint64_t member = 0;
  bool have_member = false;
  std::vector<std::unique_ptr<ShingleStoreReader>> member_stores(options.shingle_stores.size());
  while (cand.value()->Next(&r)) {
    counts->candidate_pairs++;
    if (!have_member || r.key_hi != member) {
      member = r.key_hi;
      have_member = true;
      const size_t file = member >> 40;
      if (file >= member_stores.size()) return Status::Internal("document id outside the job's files");
      if (!member_stores[file]) {
        auto s = ShingleStoreReader::Open(options.shingle_stores[file]);
        if (!s.ok()) return s.status();
        member_stores[file] = std::move(s).value();
      }
      WINNOW_RETURN_IF_ERROR(member_stores[file]->Get(member, &member_set));
    }
    const std::vector<uint32_t>* partner = nullptr;
    WINNOW_RETURN_IF_ERROR(cache.Get(r.key_lo, &partner));
    double j = dedup::SortedSetJaccard(member_set.data(), member_set.size(), partner->data(),
                                       partner->size());
    if (j >= options.verify_jaccard) {
      out->Add(r);
      counts->pairs++;
    }
  }
  WINNOW_RETURN_IF_ERROR(cand.value()->status());
  cand.value().reset();
  ::unlink(written.c_str());
  WINNOW_RETURN_IF_ERROR(out->Finish());
  return RenameFile(out->PartitionPath(0), pairs_path);
}

Status FinalizeStage(const std::vector<std::string>& pairs_files,
                     const std::vector<std::string>& rank_files,
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
  batch = {};
  std::vector<dedup::DedupDecision> decisions;
  if (rank_files.empty()) {
    decisions = uf.Decisions();
  } else {
    // Ranks of the clustered documents only, by dense index.
    std::vector<uint64_t> rank(uf.num_ids(), 0);
    for (const std::string& path : rank_files) {
      auto reader = dedup::RunReader::Open(path, size_t{1} << 20);
      if (!reader.ok()) return reader.status();
      dedup::RunRecord r;
      while (reader.value()->Next(&r)) {
        size_t i = uf.IndexFor(r.key_hi);
        if (i < rank.size()) rank[i] = r.key_lo;
      }
      WINNOW_RETURN_IF_ERROR(reader.value()->status());
    }
    decisions = uf.DecisionsBy([&](uint64_t id) { return rank[uf.IndexFor(id)]; });
  }
  *clustered_docs = decisions.size();
  *clusters = 0;
  std::vector<dedup::RunRecord> records;
  size_t next = 0;
  for (size_t file = 0; file < decision_paths.size(); ++file) {
    records.clear();
    while (next < decisions.size() && (decisions[next].id >> 40) == file) {
      const auto& d = decisions[next++];
      *clusters += (d.id == d.survivor);
      records.push_back(dedup::RunRecord{d.id, d.survivor, uf.ComponentSize(d.id)});
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
