// Corpus-wide steps (exact, URL and MinHash near-duplicate removal) as
// phases of a job, following docs/ARCHITECTURE.md:
//   map      (per input file, inside the segment task that precedes the
//             stage): each surviving document emits keys into P sorted
//             partition files  OUT/.work/s<k>/map-NNNNN.pPPPPP.run
//   reduce   (per partition): merge the runs, turn each group of equal keys
//             into star pairs  OUT/.work/s<k>/pairs-PPPPP.run
//   finalize (one task): union-find over all pairs; one decision file per
//             input file       OUT/.work/s<k>/decisions-NNNNN.run
//   apply    (per input file, inside the next segment task): documents are
//             matched with their decisions by id while streaming.
// Document ids are (file_index << 40 | ordinal), so the survivor of every
// cluster is its earliest document in input order, whatever -j, the number
// of partitions, or the order in which tasks finish.
#ifndef WINNOW_PIPELINE_CORPUS_STAGE_H_
#define WINNOW_PIPELINE_CORPUS_STAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dedup/minhash.h"
#include "dedup/run_file.h"
#include "pipeline/config.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow {

// True for the step types handled as corpus-wide stages.
bool IsCorpusStepType(const std::string& type);

struct CorpusStageOptions {
  enum class Kind { kExactText, kUrl, kMinHash };
  enum class Mode {
    kRemove,    // duplicates go to removed/ with reason "duplicate"
    kAnnotate,  // everything kept; cluster members get metadata.dedup
  };
  Kind kind = Kind::kExactText;
  Mode mode = Mode::kRemove;
  // Number of partitions of the key space (reduce tasks). Results do not
  // depend on it. Default 8.
  uint32_t partitions = 8;
  // In-memory key buffer of one map task before it spills a sorted run.
  // Default 64 MiB (about 2.8 million keys).
  uint64_t map_memory_bytes = uint64_t{64} << 20;
  dedup::MinHashConfig minhash;  // kMinHash only; datatrove's defaults
};

// Parses a corpus step's options (mode, partitions, map_memory_mb, and for
// minhash_dedup shingle_size, num_buckets, hashes_per_bucket, seed).
Status ParseCorpusStage(const StepSpec& spec, CorpusStageOptions* out);

// Emits the keys of one document for a stage. One per map task.
class StageKeyer {
 public:
  explicit StageKeyer(const CorpusStageOptions& options);
  // Appends the document's keys (none for a document the stage ignores:
  // MinHash on fewer words than a shingle, URL dedup without a URL).
  void Keys(const Document& doc, std::vector<dedup::Key128>* keys);

 private:
  CorpusStageOptions options_;
  std::unique_ptr<dedup::MinHasher> minhasher_;
  std::vector<uint64_t> sig_;
};

// Reduce: merges the map runs of one partition and writes its pairs file.
Status ReduceStagePartition(const std::vector<std::string>& map_runs,
                            const std::string& pairs_path, uint64_t* pairs);

// Finalize: union-find over every pairs file; writes one decision file per
// input file (records {key_hi = document id, key_lo = survivor id,
// value = cluster size}, sorted by id; only documents in clusters of two or
// more appear).
Status FinalizeStage(const std::vector<std::string>& pairs_files,
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
