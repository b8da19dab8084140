// Families of near copies with controlled edits, for measuring the accuracy
// of near-duplicate detection against known true Jaccard similarity.
//
// Every family starts from an original text (paragraphs of pseudo-words
// drawn from a Zipf-like vocabulary of letter-only words, so that
// simplification and shingling behave as on real prose) and adds `copies`
// variants, each made by one kind of edit at a strength drawn uniformly
// from [0, max_edit_fraction] of the original's words:
//   kInsert      insert random words at random places
//   kDelete      delete random words
//   kSubstitute  replace random words by random words
//   kReorder     move paragraphs (strength = fraction of paragraphs moved)
//   kBoilerplate add a block of site boilerplate (shared by many families)
//                before or after the text
//   kMixed       insertions, deletions and substitutions together
// Unrelated single documents (`singletons`) are added too. The output is
// deterministic for a seed. True similarity is not estimated here: compute
// it from the texts (e.g. with MinHasher::ShingleJaccard or exact shingle
// sets), since edits at random places can overlap.
//
// Thread safety: pure functions.
#ifndef WINNOW_DEDUP_NEAR_COPY_GEN_H_
#define WINNOW_DEDUP_NEAR_COPY_GEN_H_

#include <cstdint>
#include <string>
#include <vector>

namespace winnow::dedup {

enum class EditKind { kOriginal, kInsert, kDelete, kSubstitute, kReorder, kBoilerplate, kMixed };

// "original", "insert", ... (stable names for reports).
const char* EditKindName(EditKind kind);

struct NearCopyOptions {
  uint64_t seed = 1;
  int families = 200;
  int copies = 5;             // variants per family, besides the original
  int singletons = 1000;      // unrelated documents
  int words_per_doc = 250;    // words of an original (+-30%)
  int paragraphs = 6;         // paragraphs of an original
  int vocabulary = 30000;     // distinct words
  double max_edit_fraction = 0.3;
  int boilerplate_blocks = 20;  // distinct boilerplate blocks in the corpus
  int boilerplate_words = 40;   // words per block
};

struct NearCopyDoc {
  std::string id;      // "f<family>-<copy>" or "s<index>"
  std::string text;
  int family = -1;     // -1 for singletons
  EditKind edit = EditKind::kOriginal;
  double strength = 0;  // edit fraction actually applied
};

// Documents in a deterministic order that interleaves families (copy 0 of
// every family first, then copy 1, ...), with singletons spread through.
std::vector<NearCopyDoc> GenerateNearCopies(const NearCopyOptions& options);

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_NEAR_COPY_GEN_H_
