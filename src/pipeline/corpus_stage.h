// Corpus-wide steps (exact, URL and MinHash near-duplicate removal, and
// site boilerplate: pipeline/boilerplate_stage.h) as phases of a job, following docs/ARCHITECTURE.md:
//   map      (per input file, inside the segment task that precedes the
//             stage): each surviving document emits keys into P sorted
//             partition files  OUT/.work/s<k>/map-NNNNN.pPPPPP.run
//   reduce   (per partition): merge the runs, turn each group of equal keys
//             into star pairs  OUT/.work/s<k>/pairs-PPPPP.run
//   finalize (one task): union-find over all pairs; one decision file per
//             input file       OUT/.work/s<k>/decisions-NNNNN.run
//   apply    (per input file, inside the next segment task): documents are
//             matched with their decisions by id while streaming. The next
//             segment gets the documents from a spill written by the map
//             task, or by reading the input again and replaying the cheap
//             steps before the stage (Handoff below).
// Optional files of the map side: ranks-NNNNN.p00000.run (survivor ranks,
// keep != earliest) and shingles-NNNNN.bin (shingle sets, verify_jaccard);
// of the reduce side: pairs-PPPPP.run.counts (candidate and verified pair
// counts).
// Document ids are (file_index << 40 | ordinal). The survivor of every
// cluster is chosen by a policy (earliest, longest, highest quality; ties
// to the earliest) from values that depend only on the documents, so it is
// the same whatever -j, the number of partitions, or the order in which
// tasks finish.
#ifndef WINNOW_PIPELINE_CORPUS_STAGE_H_
#define WINNOW_PIPELINE_CORPUS_STAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dedup/minhash.h"
#include "dedup/run_file.h"
#include "io/output_file.h"
#include "pipeline/config.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow {

struct BoilerplateStageConfig;  // pipeline/boilerplate_stage.h

// True for the step types handled as corpus-wide stages.
bool IsCorpusStepType(const std::string& type);

// Default map_memory_mb of exact_dedup, url_dedup and minhash_dedup. 16 MiB
// rather than 64: at 1M documents of ~1 KB a 64 MiB buffer never fills while
// at 5M it does, so peak RSS grew 1.58x for 5x the corpus; with 16 MiB both
// fill (81 vs 100 MB, 1.23x) at the same speed and the same intermediate
// bytes, and the dense-duplicate reduce with verification peaks at 143 MB
// instead of 203 MB (docs/BENCHMARKS.md, "Deduplication").
inline constexpr int64_t kDedupMapMemoryMb = 16;

struct CorpusStageOptions {
  // kBoilerplate: site boilerplate; its phases and files are those of
  // pipeline/boilerplate_stage.h, its options in `boilerplate`.
  enum class Kind { kExactText, kUrl, kMinHash, kBoilerplate };
  enum class Mode {
    kRemove,    // duplicates go to removed/ with reason "duplicate"
    kAnnotate,  // everything kept; cluster members get metadata.dedup
  };
  // Which member of a cluster survives. Every policy breaks ties by the
  // earliest document (smallest id), so all are deterministic and
  // independent of -j, partitions and task order.
  enum class Keep {
    kEarliest,  // the earliest document in input order (default)
    kLongest,   // the longest text (UTF-8 bytes entering the stage)
    kQuality,   // the highest number at `quality_field`; documents without
                // a number there rank below every document with one
  };
  // How the documents that survive this stage reach the next segment.
  enum class Handoff {
    kAuto,    // kReread when every step before the stage is drop_empty or
              // extract_html, and extract_html only counts when no input
              // is named as a crawl archive (FormatFromName gives kWarc or
              // kArc: .warc .wet .wat .arc, compressed or not); else kSpill
    kSpill,   // written once more, losslessly, to OUT/.work/s<k>/docs-*.spill
    kReread,  // the input is read again and the steps before the stage are
              // run again (cheap steps: no document bytes on disk)
  };
  Kind kind = Kind::kExactText;
  Mode mode = Mode::kRemove;
  Keep keep = Keep::kEarliest;
  // kQuality: a top-level metadata field holding a JSON number (e.g.
  // "score"), or "winnow.signals.<step>.<signal>" for a signal a filter
  // recorded with write_signals: true.
  std::string quality_field;
  Handoff handoff = Handoff::kAuto;
  // Number of partitions of the key space (reduce tasks). Results do not
  // depend on it. A job sets it from its input's size when the step's
  // options do not (AutoPartitions); 8 otherwise.
  uint32_t partitions = 8;
  // Memory of one map or reduce task's sort: the key buffer (half) and the
  // radix sort's scratch (half); a full buffer is spilled as a sorted run.
  // Default kDedupMapMemoryMb for the dedup steps (16 MiB: about 350,000
  // keys, 25,000 MinHash documents, per spill) and 64 MiB for boilerplate.
  uint64_t map_memory_bytes = uint64_t{kDedupMapMemoryMb} << 20;
  dedup::MinHashConfig minhash;  // kMinHash only; datatrove's defaults
  // kMinHash only. 0 (default) = off. Otherwise every candidate pair is
  // checked against the true Jaccard similarity of the two documents'
  // shingle sets (dedup::ShingleSet32) and kept only when it is at least
  // this value. Costs about 4 bytes of disk per distinct shingle of every
  // keyed document (OUT/.work/s<k>/shingles-*.bin) and one set comparison
  // per candidate pair; see docs/CONFIG.md.
  double verify_jaccard = 0;
  // kBoilerplate only: the parsed options and Public Suffix List (shared,
  // immutable).
  std::shared_ptr<const BoilerplateStageConfig> boilerplate;
};

// The partitions a job gives a corpus-wide step whose options do not set
// them: one per 16 MiB of input files (as stored, so compressed), at least 1
// and at most 8. A small job then writes a few intermediate files instead of
// 8 partitions' worth (each fsynced), and a job of 128 MiB or more gets the
// 8 it always had. Pure.
uint32_t AutoPartitions(uint64_t input_bytes);

// Parses a corpus step's options (mode, keep, quality_field, handoff,
// partitions, map_memory_mb, and for minhash_dedup shingle_size,
// num_buckets, hashes_per_bucket, seed, verify_jaccard; for boilerplate see
// ParseBoilerplateStage, which also reads the Public Suffix List).
Status ParseCorpusStage(const StepSpec& spec, CorpusStageOptions* out);

// Emits the keys of one document for a stage. One per map task.
class StageKeyer {
 public:
  explicit StageKeyer(const CorpusStageOptions& options);
  // Appends the document's keys (none for a document the stage ignores:
  // MinHash on fewer words than a shingle, URL dedup without a URL).
  void Keys(const Document& doc, std::vector<dedup::Key128>* keys);
  // The survivor rank of a document under options.keep (greater survives):
  // kLongest the text bytes, kQuality an order-preserving encoding of the
  // number (0 when missing or not a number), kEarliest 0.
  uint64_t Rank(const Document& doc) const;
  // After Keys() of a MinHash stage: the document's shingle set
  // (dedup::ShingleSet32). Valid until the next Keys().
  const std::vector<uint32_t>& ShingleSet();

 private:
  CorpusStageOptions options_;
  std::unique_ptr<dedup::MinHasher> minhasher_;
  std::vector<uint64_t> sig_;
  std::vector<uint32_t> set_;
};

// Per-document shingle sets of one input file, for exact verification:
//   "WNSHSET1", then per document with a set:
//     u32 n, u32 values[n] (sorted, distinct), u64 XXH64(n and values,
//     seed = document id)
//   then the index: u64 offset of each ordinal's record (or ~0), then
//   u64 count, u64 XXH64(index), u64 index offset, "WNSHIDX1".
// Reading checks sizes, the index checksum and every record's checksum
// (seeded with the id, so a record read for the wrong document fails too).
// The writer keeps the index in memory: 8 bytes per document of the file.
class ShingleStoreWriter {
 public:
  static Result<std::unique_ptr<ShingleStoreWriter>> Create(const std::string& path);
  // REQUIRES: ordinals strictly ascending; `set` sorted and distinct.
  void Add(uint64_t id, const std::vector<uint32_t>& set);
  Status Finish();
  void Abandon();

 private:
  explicit ShingleStoreWriter(std::unique_ptr<AtomicFileWriter> file)
      : file_(std::move(file)) {}
  std::unique_ptr<AtomicFileWriter> file_;
  std::vector<uint64_t> index_;
  uint64_t offset_ = 0;
  std::string buf_;
};

class ShingleStoreReader {
 public:
  static Result<std::unique_ptr<ShingleStoreReader>> Open(const std::string& path);
  ~ShingleStoreReader();
  ShingleStoreReader(const ShingleStoreReader&) = delete;
  ShingleStoreReader& operator=(const ShingleStoreReader&) = delete;
  // Replaces *set with document `id`'s set (empty if it has none).
  Status Get(uint64_t id, std::vector<uint32_t>* set);

 private:
  ShingleStoreReader(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  uint64_t count_ = 0;
  uint64_t index_offset_ = 0;
};

struct ReduceOptions {
  // Bytes of the pair buffer before it is sorted and spilled.
  uint64_t memory_bytes = uint64_t{64} << 20;
  // 0 = no verification. Otherwise `shingle_stores[file_index]` are read and
  // only pairs with true Jaccard >= verify_jaccard are written.
  double verify_jaccard = 0;
  std::vector<std::string> shingle_stores;
};

struct ReduceCounts {
  uint64_t candidate_pairs = 0;  // distinct pairs before verification
  uint64_t pairs = 0;            // pairs written
};

// Reduce: merges the map runs of one partition and writes its pairs file.
// Without verification each group of equal keys {v0 < ... < vk} gives the
// star pairs (vi, v0). With verification it also gives the chain pairs
// (vi, vi-1), so that a member unlike the group's minimum can still join
// a similar member; each distinct pair is verified once.
// Memory: about 1.5 x options.memory_bytes: the pair buffer and its radix
// scratch (memory_bytes), and the map runs' read buffers (memory_bytes / 2
// shared by the runs, at least ~128 KiB per run: dedup::MergeBufferPerRun).
Status ReduceStagePartition(const std::vector<std::string>& map_runs,
                            const std::string& pairs_path,
                            const ReduceOptions& options, ReduceCounts* counts);

// Finalize: union-find over every pairs file; writes one decision file per
// input file (records {key_hi = document id, key_lo = survivor id,
// value = cluster size}, sorted by id; only documents in clusters of two or
// more appear). With `rank_files` (one per input file, records {id, rank})
// the survivor is the member of greatest rank, ties to the smallest id;
// without, the smallest id.
Status FinalizeStage(const std::vector<std::string>& pairs_files,
                     const std::vector<std::string>& rank_files,
                     const std::vector<std::string>& decision_paths,
                     uint64_t* clustered_docs, uint64_t* clusters);

// Streams one decision file alongside documents in ascending id order.
class DecisionCursor {
 public:
  Status Open(const std::string& path);
  // If document `id` has a decision, sets survivor and size and returns
  // true. REQUIRES: ids asked in ascending order.
  bool Find(uint64_t id, uint64_t* survivor, uint64_t* cluster_size);
  Status status() const;

 private:
  std::unique_ptr<dedup::RunReader> reader_;
  dedup::RunRecord current_{};
  bool have_ = false;
  bool done_ = false;
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_CORPUS_STAGE_H_
