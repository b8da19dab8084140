#include "dedup/run_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace winnow::dedup {

static_assert(std::endian::native == std::endian::little,
              "run files are written with little-endian memory copies");

namespace {

constexpr char kMagic[8] = {'W', 'N', 'D', 'D', 'R', 'U', 'N', '1'};
constexpr uint32_t kVersion = 1;
constexpr size_t kBlockBytes = kRunRecordsPerBlock * kRunRecordSize;

template <typename T>
void Put(char* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}
template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

void EncodeHeader(uint64_t count, uint32_t partition, uint32_t num_partitions,
                  char* h) {
  std::memset(h, 0, kRunHeaderSize);
  std::memcpy(h, kMagic, 8);
  Put<uint32_t>(h + 8, kVersion);
  Put<uint32_t>(h + 12, static_cast<uint32_t>(kRunRecordSize));
  Put<uint64_t>(h + 16, count);
  Put<uint32_t>(h + 24, partition);
  Put<uint32_t>(h + 28, num_partitions);
  Put<uint64_t>(h + 32, 0);
  Put<uint64_t>(h + 40, XXH64(h, 40, 0));
}

// Streams records into an AtomicFileWriter in the block format.
class BlockWriter {
 public:
  explicit BlockWriter(AtomicFileWriter* out) : out_(out) {
    block_.reserve(kBlockBytes + 8);
  }
  void Add(const RunRecord* records, size_t n) {
    while (n > 0) {
      const size_t room = kRunRecordsPerBlock - in_block_;
      const size_t take = n < room ? n : room;
      block_.append(reinterpret_cast<const char*>(records),
                    take * kRunRecordSize);
      in_block_ += take;
      records += take;
      n -= take;
      if (in_block_ == kRunRecordsPerBlock) Flush();
    }
  }
  void Flush() {
    if (in_block_ == 0) return;
    char sum[8];
    Put<uint64_t>(sum, XXH64(block_.data(), block_.size(), block_index_));
    block_.append(sum, 8);
    out_->Append(block_);
    block_.clear();
    in_block_ = 0;
    ++block_index_;
  }

 private:
  AtomicFileWriter* out_;
  std::string block_;
  size_t in_block_ = 0;
  uint64_t block_index_ = 0;
};

Status OpenOutput(const std::string& path, uint64_t count, uint32_t partition,
                  uint32_t num_partitions,
                  std::unique_ptr<AtomicFileWriter>* out) {
  auto writer = AtomicFileWriter::Create(path, Compression::kNone, 0);
  if (!writer.ok()) return writer.status();
  char header[kRunHeaderSize];
  EncodeHeader(count, partition, num_partitions, header);
  (*writer)->Append(std::string_view(header, kRunHeaderSize));
  *out = std::move(writer).value();
  return Status::OK();
}

}  // namespace

uint64_t RunFileSize(uint64_t records) {
  const uint64_t blocks =
      (records + kRunRecordsPerBlock - 1) / kRunRecordsPerBlock;
  return kRunHeaderSize + records * kRunRecordSize + blocks * 8;
}

void SortRunRecords(std::vector<RunRecord>* records) {
  const size_t n = records->size();
  if (n < 4096) {
    std::sort(records->begin(), records->end());
    return;
  }
  constexpr int kBits = 16;
  std::vector<uint32_t> offsets((size_t{1} << kBits) + 1, 0);
  for (const RunRecord& r : *records) ++offsets[(r.key_hi >> (64 - kBits)) + 1];
  for (size_t b = 1; b < offsets.size(); ++b) offsets[b] += offsets[b - 1];
  std::vector<RunRecord> scratch(n);
  {
    std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
    for (const RunRecord& r : *records)
      scratch[next[r.key_hi >> (64 - kBits)]++] = r;
  }
  for (size_t b = 0; b + 1 < offsets.size(); ++b) {
    if (offsets[b + 1] - offsets[b] > 1) {
      std::sort(scratch.begin() + offsets[b], scratch.begin() + offsets[b + 1]);
    }
  }
  records->swap(scratch);
}

Status WriteRunFile(const std::string& path, const RunRecord* records,
                    size_t count, uint32_t partition, uint32_t num_partitions) {
  std::unique_ptr<AtomicFileWriter> out;
  WINNOW_RETURN_IF_ERROR(
      OpenOutput(path, count, partition, num_partitions, &out));
  BlockWriter blocks(out.get());
  blocks.Add(records, count);
  blocks.Flush();
  return out->Finish();
}

// RunWriter

Result<std::unique_ptr<RunWriter>> RunWriter::Create(RunWriterOptions options) {
  if (options.prefix.empty()) {
    return Status::InvalidArgument("RunWriter: empty prefix");
  }
  if (options.num_partitions < 1 ||
      options.num_partitions == kRunAllPartitions) {
    return Status::InvalidArgument("RunWriter: bad partition count");
  }
  if (options.memory_budget_bytes < kRunRecordSize) {
    return Status::InvalidArgument("RunWriter: memory budget below one record");
  }
  return std::unique_ptr<RunWriter>(new RunWriter(std::move(options)));
}

RunWriter::RunWriter(RunWriterOptions options)
    : options_(std::move(options)),
      capacity_records_(options_.memory_budget_bytes / kRunRecordSize),
      partition_counts_(options_.num_partitions, 0) {}

RunWriter::~RunWriter() { Abandon(); }

std::string RunWriter::PartitionPath(uint32_t partition) const {
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), ".p%05u.run", partition);
  return options_.prefix + suffix;
}

void RunWriter::Add(const RunRecord& record) {
  if (!status_.ok() || done_) return;
  if (buffer_.size() >= capacity_records_) {
    status_ = Spill();
    if (!status_.ok()) return;
  }
  if (buffer_.size() == buffer_.capacity()) {
    // Grow geometrically but never past the budget.
    buffer_.reserve(std::min<size_t>(
        capacity_records_, std::max<size_t>(2 * buffer_.capacity(), 1 << 16)));
  }
  buffer_.push_back(record);
  ++partition_counts_[PartitionOf(record.key_hi, options_.num_partitions)];
  ++records_added_;
}

void RunWriter::SortBuffer() {
  SortRunRecords(&buffer_);
  if (options_.unique)
    buffer_.erase(std::unique(buffer_.begin(), buffer_.end()), buffer_.end());
}

Status RunWriter::Spill() {
  SortBuffer();
  const std::string path =
      options_.prefix + ".spill" + std::to_string(spill_paths_.size()) + ".run";
  WINNOW_RETURN_IF_ERROR(WriteRunFile(path, buffer_.data(), buffer_.size(),
                                      kRunAllPartitions,
                                      options_.num_partitions));
  spill_paths_.push_back(path);
  buffer_.clear();
  return Status::OK();
}

Status RunWriter::WritePartitionsFromMemory() {
  SortBuffer();
  if (options_.unique) {
    std::fill(partition_counts_.begin(), partition_counts_.end(), 0);
    for (const RunRecord& r : buffer_)
      ++partition_counts_[PartitionOf(r.key_hi, options_.num_partitions)];
  }
  size_t begin = 0;
  for (uint32_t p = 0; p < options_.num_partitions; ++p) {
    const size_t count = static_cast<size_t>(partition_counts_[p]);
    WINNOW_RETURN_IF_ERROR(WriteRunFile(PartitionPath(p),
                                        buffer_.data() + begin, count, p,
                                        options_.num_partitions));
    begin += count;
  }
  return Status::OK();
}

// The spilled runs merged with the sorted in-memory tail, in order;
// with `unique`, equal records come out once.
class RunWriter::MergedStream {
 public:
  explicit MergedStream(const RunWriter& w) : tail_(w.buffer_), unique_(w.options_.unique) {}

  Status Open(const std::vector<std::string>& spill_paths, size_t buffer_bytes) {
    std::vector<std::unique_ptr<RunReader>> readers;
    for (const std::string& path : spill_paths) {
      auto reader = RunReader::Open(path, buffer_bytes);
      if (!reader.ok()) return reader.status();
      readers.push_back(std::move(reader).value());
    }
    merger_ = std::make_unique<RunMerger>(std::move(readers));
    have_file_ = merger_->Next(&from_files_);
    return Status::OK();
  }

  bool Next(RunRecord* r) {
    for (;;) {
      const bool have_mem = mem_pos_ < tail_.size();
      if (!have_file_ && !have_mem) return false;
      if (have_file_ && (!have_mem || from_files_ <= tail_[mem_pos_])) {
        *r = from_files_;
        have_file_ = merger_->Next(&from_files_);
      } else {
        *r = tail_[mem_pos_++];
      }
      if (unique_) {
        if (have_last_ && *r == last_) continue;
        last_ = *r;
        have_last_ = true;
      }
      return true;
    }
  }

  Status status() const { return merger_->status(); }

 private:
  const std::vector<RunRecord>& tail_;
  const bool unique_;
  std::unique_ptr<RunMerger> merger_;
  RunRecord from_files_{}, last_{};
  bool have_file_ = false, have_last_ = false;
  size_t mem_pos_ = 0;
};

Status RunWriter::CountUniqueByMerging() {
  MergedStream in(*this);
  WINNOW_RETURN_IF_ERROR(in.Open(spill_paths_, SpillMergeBufferBytes()));
  std::fill(partition_counts_.begin(), partition_counts_.end(), 0);
  RunRecord r;
  while (in.Next(&r)) ++partition_counts_[PartitionOf(r.key_hi, options_.num_partitions)];
  return in.status();
}

Status RunWriter::WritePartitionsByMerging() {
  // The in-memory tail is one more sorted input, read from memory. With
  // `unique`, a first pass counts each partition's distinct records, which
  // the partition files' headers need before their records.
  SortBuffer();
  if (options_.unique) WINNOW_RETURN_IF_ERROR(CountUniqueByMerging());
  MergedStream in(*this);
  WINNOW_RETURN_IF_ERROR(in.Open(spill_paths_, SpillMergeBufferBytes()));
  std::unique_ptr<AtomicFileWriter> out;
  std::unique_ptr<BlockWriter> blocks;
  uint32_t open_partition = 0;
  uint64_t written_in_partition = 0;
  auto open = [&](uint32_t p) -> Status {
    WINNOW_RETURN_IF_ERROR(OpenOutput(PartitionPath(p), partition_counts_[p], p,
                                      options_.num_partitions, &out));
    blocks = std::make_unique<BlockWriter>(out.get());
    open_partition = p;
    written_in_partition = 0;
    return Status::OK();
  };
  auto close = [&]() -> Status {
    blocks->Flush();
    if (written_in_partition != partition_counts_[open_partition]) {
      out->Abandon();
      return Status::Internal("RunWriter: partition count mismatch");
    }
    return out->Finish();
  };
  WINNOW_RETURN_IF_ERROR(open(0));
  RunRecord r;
  while (in.Next(&r)) {
    const uint32_t p = PartitionOf(r.key_hi, options_.num_partitions);
    while (open_partition < p) {
      WINNOW_RETURN_IF_ERROR(close());
      WINNOW_RETURN_IF_ERROR(open(open_partition + 1));
    }
    blocks->Add(&r, 1);
    ++written_in_partition;
  }
  WINNOW_RETURN_IF_ERROR(in.status());
  while (true) {
    WINNOW_RETURN_IF_ERROR(close());
    if (open_partition + 1 >= options_.num_partitions) break;
    WINNOW_RETURN_IF_ERROR(open(open_partition + 1));
  }
  return Status::OK();
}

Status RunWriter::Finish() {
  if (done_) return Status::Internal("RunWriter: Finish() called twice");
  if (!status_.ok()) {
    Abandon();
    return status_;
  }
  Status s = spill_paths_.empty() ? WritePartitionsFromMemory()
                                  : WritePartitionsByMerging();
  for (const std::string& path : spill_paths_) ::unlink(path.c_str());
  spill_paths_.clear();
  buffer_ = std::vector<RunRecord>();
  done_ = true;
  status_ = s;
  return s;
}

void RunWriter::Abandon() {
  if (done_) return;
  for (const std::string& path : spill_paths_) ::unlink(path.c_str());
  spill_paths_.clear();
  buffer_ = std::vector<RunRecord>();
  done_ = true;
}

// RunReader

RunReader::RunReader(std::string path, int fd)
    : path_(std::move(path)), fd_(fd) {}

RunReader::~RunReader() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// Reads exactly n bytes unless the file ends; returns bytes read or -1.
ssize_t ReadFully(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

}  // namespace

Result<std::unique_ptr<RunReader>> RunReader::Open(const std::string& path,
                                                   size_t buffer_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("run file not found: " + path);
    return Status::IOError("cannot open run file " + path + ": " +
                           std::strerror(err));
  }
  std::unique_ptr<RunReader> r(new RunReader(path, fd));
  char h[kRunHeaderSize];
  const ssize_t got = ReadFully(fd, h, kRunHeaderSize);
  if (got < 0) {
    return Status::IOError("cannot read run file " + path + ": " +
                           std::strerror(errno));
  }
  if (static_cast<size_t>(got) < kRunHeaderSize) {
    return Status::Corruption("run file " + path + ": truncated header");
  }
  if (std::memcmp(h, kMagic, 8) != 0) {
    return Status::Corruption("run file " + path + ": bad magic");
  }
  if (Get<uint64_t>(h + 40) != XXH64(h, 40, 0)) {
    return Status::Corruption("run file " + path +
                              ": header checksum mismatch");
  }
  if (Get<uint32_t>(h + 8) != kVersion ||
      Get<uint32_t>(h + 12) != kRunRecordSize) {
    return Status::Corruption("run file " + path +
                              ": unsupported version or record size");
  }
  r->record_count_ = Get<uint64_t>(h + 16);
  r->partition_ = Get<uint32_t>(h + 24);
  r->num_partitions_ = Get<uint32_t>(h + 28);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return Status::IOError("cannot stat run file " + path + ": " +
                           std::strerror(errno));
  }
  const uint64_t want = RunFileSize(r->record_count_);
  if (static_cast<uint64_t>(st.st_size) != want) {
    return Status::Corruption(
        "run file " + path + ": size " + std::to_string(st.st_size) +
        " does not match " + std::to_string(r->record_count_) +
        " records (expected " + std::to_string(want) + " bytes; truncated?)");
  }
  r->blocks_per_read_ =
      std::max<size_t>(1, (buffer_bytes + kBlockBytes + 7) / (kBlockBytes + 8));
  return r;
}

bool RunReader::Fail(Status status) {
  status_ = std::move(status);
  pos_ = end_ = nullptr;
  return false;
}

bool RunReader::ReadBlocks() {
  const uint64_t remaining = record_count_ - records_delivered_;
  if (remaining == 0) return false;
  const uint64_t max_records =
      static_cast<uint64_t>(blocks_per_read_) * kRunRecordsPerBlock;
  const uint64_t records = remaining < max_records ? remaining : max_records;
  const size_t blocks = static_cast<size_t>(
      (records + kRunRecordsPerBlock - 1) / kRunRecordsPerBlock);
  const size_t bytes =
      static_cast<size_t>(records) * kRunRecordSize + blocks * 8;
  if (raw_.size() * 8 < bytes) raw_.resize((bytes + 7) / 8);
  char* base = reinterpret_cast<char*>(raw_.data());
  const ssize_t got = ReadFully(fd_, base, bytes);
  if (got < 0) {
    return Fail(Status::IOError("cannot read run file " + path_ + ": " +
                                std::strerror(errno)));
  }
  if (static_cast<size_t>(got) != bytes) {
    return Fail(Status::Corruption("run file " + path_ + ": truncated"));
  }
  // Verify every block (checksum, then order) before exposing any record.
  uint64_t left = records;
  for (size_t b = 0; b < blocks; ++b) {
    const size_t n = static_cast<size_t>(
        left < kRunRecordsPerBlock ? left : kRunRecordsPerBlock);
    const char* block = base + b * (kBlockBytes + 8);
    const size_t len = n * kRunRecordSize;
    if (Get<uint64_t>(block + len) != XXH64(block, len, next_block_ + b)) {
      return Fail(Status::Corruption("run file " + path_ + ": block " +
                                     std::to_string(next_block_ + b) +
                                     " checksum mismatch"));
    }
    const auto* recs = reinterpret_cast<const RunRecord*>(block);
    for (size_t k = 0; k < n; ++k) {
      if (have_last_ && recs[k] < last_) {
        return Fail(Status::Corruption("run file " + path_ +
                                       ": records out of order in block " +
                                       std::to_string(next_block_ + b)));
      }
      last_ = recs[k];
      have_last_ = true;
    }
    left -= n;
  }
  next_block_ += blocks;
  records_delivered_ += records;
  raw_blocks_ = blocks;
  raw_block_index_ = 0;
  return true;
}

bool RunReader::Refill() {
  if (!status_.ok()) return false;
  while (true) {
    if (raw_block_index_ >= raw_blocks_) {
      if (!ReadBlocks()) {
        if (status_.ok() && records_delivered_ == record_count_) {
          // The size check at Open() guarantees nothing follows.
          pos_ = end_ = nullptr;
        }
        return false;
      }
    }
    const size_t b = raw_block_index_++;
    const char* base = reinterpret_cast<const char*>(raw_.data());
    const char* block = base + b * (kBlockBytes + 8);
    // Records in this block: full blocks except possibly the chunk's last.
    size_t n = kRunRecordsPerBlock;
    if (b + 1 == raw_blocks_) {
      const uint64_t rem = records_delivered_ % kRunRecordsPerBlock;
      if (rem != 0) n = static_cast<size_t>(rem);
    }
    pos_ = reinterpret_cast<const RunRecord*>(block);
    end_ = pos_ + n;
    if (n > 0) return true;
  }
}

size_t MergeBufferPerRun(size_t total_bytes, size_t runs, size_t max_bytes) {
  const size_t per = total_bytes / (2 * std::max<size_t>(runs, 1));
  return std::max(kBlockBytes, std::min(per, std::max(max_bytes, kBlockBytes)));
}

size_t RunWriter::SpillMergeBufferBytes() const {
  return MergeBufferPerRun(options_.memory_budget_bytes, spill_paths_.size(),
                           options_.merge_buffer_bytes);
}

// RunMerger

Result<std::unique_ptr<RunMerger>> RunMerger::Open(
    const std::vector<std::string>& paths, const RunMergerOptions& options) {
  std::vector<std::unique_ptr<RunReader>> readers;
  readers.reserve(paths.size());
  for (const std::string& path : paths) {
    auto reader = RunReader::Open(path, options.buffer_bytes);
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(reader).value());
  }
  return std::make_unique<RunMerger>(std::move(readers));
}

RunMerger::RunMerger(std::vector<std::unique_ptr<RunReader>> readers)
    : readers_(std::move(readers)) {
  for (const auto& r : readers_) total_records_ += r->record_count();
}

namespace {
inline bool EntryLess(const RunRecord& a, uint32_t ra, const RunRecord& b,
                      uint32_t rb) {
  if (a.key_hi != b.key_hi) return a.key_hi < b.key_hi;
  if (a.key_lo != b.key_lo) return a.key_lo < b.key_lo;
  if (a.value != b.value) return a.value < b.value;
  return ra < rb;
}
}  // namespace

void RunMerger::SiftDown(size_t i) {
  const size_t n = heap_.size();
  Entry e = heap_[i];
  while (true) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n &&
        EntryLess(heap_[child + 1].record, heap_[child + 1].reader,
                  heap_[child].record, heap_[child].reader)) {
      ++child;
    }
    if (!EntryLess(heap_[child].record, heap_[child].reader, e.record,
                   e.reader)) {
      break;
    }
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = e;
}

bool RunMerger::Next(RunRecord* record) {
  if (!status_.ok()) return false;
  if (!started_) {
    started_ = true;
    heap_.reserve(readers_.size());
    for (uint32_t k = 0; k < readers_.size(); ++k) {
      Entry e;
      if (readers_[k]->Next(&e.record)) {
        e.reader = k;
        heap_.push_back(e);
      } else if (!readers_[k]->status().ok()) {
        status_ = readers_[k]->status();
        return false;
      }
    }
    for (size_t i = heap_.size(); i-- > 0;) SiftDown(i);
  }
  if (heap_.empty()) return false;
  *record = heap_[0].record;
  RunReader* reader = readers_[heap_[0].reader].get();
  if (reader->Next(&heap_[0].record)) {
    SiftDown(0);
  } else {
    if (!reader->status().ok()) {
      status_ = reader->status();
      heap_.clear();
      return false;
    }
    heap_[0] = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(0);
  }
  return true;
}

}  // namespace winnow::dedup
