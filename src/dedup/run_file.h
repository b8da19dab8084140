// Sorted run files: the on-disk exchange format of corpus-wide dedup.
//
// A map task adds fixed-size records (a 128-bit key and a 64-bit value) to a
// RunWriter, which sorts them in a bounded memory buffer (spilling sorted
// runs to temporary files when the buffer is full) and finally writes one
// sorted file per partition. A reduce task opens the files of one partition
// (one per map task) with a RunMerger and reads all their records in sorted
// order, streaming, with one fixed-size buffer per file.
//
// Record order is lexicographic on (key_hi, key_lo, value); equal records
// are indistinguishable, so the merged stream is the same byte sequence
// however the records were spread over tasks, runs and spills.
//
// Typical records (value = document position, e.g. file_index << 40 |
// ordinal, so ties and group minimums favour the earliest document):
//   MinHash band     key = MinHasher::BandKeys()[band] (band index mixed in)
//   exact text       key = ExactTextKey(text)
//   URL              key = UrlKey(url)
// Distinct key kinds may share files: their keys are distinct hashes.
//
// Partitioning: PartitionOf(key_hi, P) = floor(key_hi * P / 2^64). It
// depends only on the key and P (never on thread or task counts), and it is
// monotone in the key, so a sorted stream visits partitions in order. Keys
// should be hashes (uniform high bits) for balanced partitions.
//
// File format (version 1; all integers little-endian):
//   header, 48 bytes:
//     0  char[8] magic "WNDDRUN1"
//     8  u32 version (1)
//    12  u32 record size (24)
//    16  u64 record count N
//    24  u32 partition index (0xFFFFFFFF for a spill run holding all
//        partitions)
//    28  u32 partition count
//    32  u64 reserved (0)
//    40  u64 XXH64(bytes 0..39, seed 0)
//   then ceil(N / 2730) blocks, each:
//     up to 2730 records of 24 bytes {u64 key_hi, u64 key_lo, u64 value}
//     (every block but the last holds exactly 2730 = 65520 bytes)
//     u64 XXH64(the block's record bytes, seed = block index)
//   and nothing after the last block.
// Readers verify the header checksum, each block's checksum before handing
// out any of its records, the sort order, the record count and the exact
// end of file. Any mismatch (a flipped byte, a truncated or extended file,
// a swapped block) is reported as Status::Corruption naming the file; no
// unverified record is ever returned. Files are written with the atomic
// protocol of io/output_file.h (temp file, fsync, rename), so a crash never
// leaves a partial file under the final name.
//
// Thread safety: every class here is used by one thread at a time.
#ifndef WINNOW_DEDUP_RUN_FILE_H_
#define WINNOW_DEDUP_RUN_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "winnow/status.h"

namespace winnow::dedup {

struct RunRecord {
  uint64_t key_hi = 0;
  uint64_t key_lo = 0;
  uint64_t value = 0;
  friend auto operator<=>(const RunRecord&, const RunRecord&) = default;
  bool SameKey(const RunRecord& o) const {
    return key_hi == o.key_hi && key_lo == o.key_lo;
  }
};
static_assert(sizeof(RunRecord) == 24);

inline constexpr size_t kRunRecordSize = 24;
inline constexpr size_t kRunHeaderSize = 48;
inline constexpr size_t kRunRecordsPerBlock = 2730;
inline constexpr uint32_t kRunAllPartitions = 0xFFFFFFFFu;

// floor(key_hi * num_partitions / 2^64). REQUIRES: num_partitions >= 1.
inline uint32_t PartitionOf(uint64_t key_hi, uint32_t num_partitions) {
  return static_cast<uint32_t>(
      (static_cast<unsigned __int128>(key_hi) * num_partitions) >> 64);
}

// Size in bytes of a run file holding `records` records.
uint64_t RunFileSize(uint64_t records);

// Sorts records in (key_hi, key_lo, value) order: one scatter pass on the
// top 16 bits of key_hi into a scratch array of the same size, then
// std::sort within each bucket (the result equals std::sort's; fast for hash
// keys, still correct for skewed keys).
void SortRunRecords(std::vector<RunRecord>* records);

// Writes `records` (REQUIRES: sorted) as one run file at `path`, atomically.
Status WriteRunFile(const std::string& path, const RunRecord* records,
                    size_t count, uint32_t partition, uint32_t num_partitions);

struct RunWriterOptions {
  // Output files are "<prefix>.p<partition, 5 digits>.run", e.g.
  // "/out/dedup/map-00012.p00003.run"; spills are "<prefix>.spill<k>.run".
  // The directory must exist. Required.
  std::string prefix;
  // Number of partitions P (>= 1). Default 1.
  uint32_t num_partitions = 1;
  // Bytes of the in-memory record buffer (24 bytes per record); when full it
  // is sorted and spilled. Default 256 MiB (about 11 million records). The
  // radix sort needs a second buffer of the same size while sorting.
  size_t memory_budget_bytes = size_t{256} << 20;
  // Read buffer per spill file while merging spills in Finish(): at most
  // this (default 1 MiB), and with S spills at most memory_budget_bytes in
  // all (MergeBufferPerRun), so that a task with many spills does not grow
  // past its budget.
  size_t merge_buffer_bytes = size_t{1} << 20;
  // When true, equal records are written once (duplicates are dropped
  // from every spill and while merging; with spills, Finish() reads them
  // twice: once to count, once to write). Default false.
  bool unique = false;
};

// Collects records, then writes P sorted partition files.
//
// Memory: at most 2 x memory_budget_bytes while sorting (buffer plus radix
// scratch), plus during Finish() the spills' read buffers, S x
// MergeBufferPerRun(memory_budget_bytes, S, merge_buffer_bytes) x 2 (at
// most about memory_budget_bytes while S <= memory_budget_bytes / 128 KiB;
// one 64 KiB block and its copy per spill beyond), and about 2 MiB for the
// output file.
// Disk: spills hold every record once more until Finish() deletes them.
//
// Finish() always writes all P files (an empty partition gets a file with
// zero records), so a reducer can require exactly one file per map task.
// Like leveldb's TableBuilder: Add() has a sticky status(); after an error
// Add() does nothing and Finish() returns the error. The destructor (or
// Abandon()) removes spills and unfinished outputs.
class RunWriter {
 public:
  static Result<std::unique_ptr<RunWriter>> Create(RunWriterOptions options);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void Add(const RunRecord& record);
  Status status() const { return status_; }

  // Sorts, merges spills and writes the P partition files.
  // REQUIRES: neither Finish() nor Abandon() was called.
  Status Finish();
  // Removes spills; no output file appears. A no-op after Finish().
  void Abandon();

  std::string PartitionPath(uint32_t partition) const;
  uint64_t records_added() const { return records_added_; }
  // Number of sorted runs spilled to disk so far.
  size_t num_spills() const { return spill_paths_.size(); }

 private:
  explicit RunWriter(RunWriterOptions options);
  void SortBuffer();
  Status Spill();
  class MergedStream;
  Status CountUniqueByMerging();
  // The read buffer per spill while merging (MergeBufferPerRun over the
  // memory budget).
  size_t SpillMergeBufferBytes() const;
  Status WritePartitionsFromMemory();
  Status WritePartitionsByMerging();

  RunWriterOptions options_;
  size_t capacity_records_;
  std::vector<RunRecord> buffer_;
  std::vector<uint64_t> partition_counts_;
  std::vector<std::string> spill_paths_;
  uint64_t records_added_ = 0;
  Status status_;
  bool done_ = false;
};

// Reads one run file sequentially, verifying it (see the format above).
class RunReader {
 public:
  // Opens `path` and verifies its header. NotFound if missing; Corruption if
  // the header is bad or the file size does not match the record count.
  // `buffer_bytes` (rounded up to whole blocks) is the read buffer.
  static Result<std::unique_ptr<RunReader>> Open(const std::string& path,
                                                 size_t buffer_bytes);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  // Sets *record to the next record and returns true; returns false at the
  // end or on error (then status() is not OK).
  bool Next(RunRecord* record) {
    if (pos_ == end_ && !Refill()) return false;
    *record = *pos_++;
    return true;
  }
  Status status() const { return status_; }

  uint64_t record_count() const { return record_count_; }
  uint32_t partition() const { return partition_; }
  uint32_t num_partitions() const { return num_partitions_; }
  const std::string& path() const { return path_; }

 private:
  RunReader(std::string path, int fd);
  bool Refill();
  // Reads and verifies the next blocks into raw_.
  bool ReadBlocks();
  bool Fail(Status status);

  std::string path_;
  int fd_;
  uint64_t record_count_ = 0;
  uint32_t partition_ = 0;
  uint32_t num_partitions_ = 0;
  uint64_t records_delivered_ = 0;  // records moved into buffer so far
  uint64_t next_block_ = 0;
  size_t blocks_per_read_ = 1;
  std::vector<uint64_t> raw_;   // blocks as read, 8-byte aligned
  size_t raw_blocks_ = 0;       // verified blocks in raw_
  size_t raw_block_index_ = 0;  // block of raw_ being handed out
  const RunRecord* pos_ = nullptr;
  const RunRecord* end_ = nullptr;
  RunRecord last_{};
  bool have_last_ = false;
  Status status_;
};

// The read buffer per input for a merge of `runs` inputs that may use about
// `total_bytes` in all: each input holds its buffer and a same-sized record
// copy, so total_bytes / (2 x runs), capped at `max_bytes` and never below
// one block (kRunRecordsPerBlock records, ~64 KiB), the least a reader can
// verify. Past total_bytes / 128 KiB inputs the floor wins and memory grows
// by ~128 KiB per input.
size_t MergeBufferPerRun(size_t total_bytes, size_t runs,
                         size_t max_bytes = size_t{1} << 20);

struct RunMergerOptions {
  // Read buffer per input file. Default 1 MiB; with K inputs the merger
  // holds K x (buffer_bytes + a same-sized record copy).
  size_t buffer_bytes = size_t{1} << 20;
};

// K-way merge of sorted run files into one sorted stream.
class RunMerger {
 public:
  // Opens all inputs (fails on the first that cannot be opened).
  static Result<std::unique_ptr<RunMerger>> Open(
      const std::vector<std::string>& paths, const RunMergerOptions& options);
  // Merges already opened readers.
  explicit RunMerger(std::vector<std::unique_ptr<RunReader>> readers);

  // Next record in (key_hi, key_lo, value) order; false at the end or on
  // the first error of any input (see status()).
  bool Next(RunRecord* record);
  Status status() const { return status_; }
  // Sum of the inputs' record counts.
  uint64_t total_records() const { return total_records_; }

 private:
  void SiftDown(size_t i);

  struct Entry {
    RunRecord record;
    uint32_t reader;
  };
  std::vector<std::unique_ptr<RunReader>> readers_;
  std::vector<Entry> heap_;
  bool started_ = false;
  uint64_t total_records_ = 0;
  Status status_;
};

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_RUN_FILE_H_
