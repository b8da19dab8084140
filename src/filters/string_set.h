// StringSet: an allocation-free (after warm-up) set of string_views, used to
// count duplicate lines and paragraphs like datatrove's find_duplicates.
//
// The set stores views, not copies: the viewed bytes must outlive the set's
// use until the next Reset(). Not thread-safe; one instance per Step.
#ifndef WINNOW_FILTERS_STRING_SET_H_
#define WINNOW_FILTERS_STRING_SET_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace winnow {

// What FindDuplicates (below) counts.
struct DuplicateCounts {
  size_t elements = 0;
  size_t chars = 0;
};

class StringSet {
 public:
  // Empties the set and sizes it for about `expected` insertions (more are
  // allowed; the table grows).
  void Reset(size_t expected);

  // Inserts `s`; returns false if an equal string was already present.
  bool Insert(std::string_view s);

 private:
  struct Slot {
    uint64_t hash;
    const char* data;
    uint32_t size;
    uint32_t gen;
  };
  // Table slot where the probe for hash `h` starts: its top bits.
  size_t Bucket(uint64_t h) const { return static_cast<size_t>(h >> shift_); }
  // Hash of `s`: a cheap mix of its length and first and last 8 bytes, or,
  // once too many different strings met with equal cheap hashes, XXH3 of
  // all its bytes. Equal strings have equal hashes either way.
  uint64_t Hash(std::string_view s) const;
  // Switches to the XXH3 hash and rehashes the strings present.
  void MakeStrong();
  void Grow();
  // Insert() where no string with the same hash and size is met on the
  // probe path (the common case; inline in FindDuplicates), else
  // InsertGeneral(), which compares bytes and may switch to XXH3.
  bool InsertFast(std::string_view s);
  bool InsertGeneral(std::string_view s);

  friend DuplicateCounts FindDuplicates(
      const std::vector<std::string_view>& items, StringSet* scratch);

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 63;  // Bucket(): 64 - log2(mask_ + 1)
  size_t count_ = 0;
  uint32_t gen_ = 0;
  bool strong_ = false;     // Hash() uses XXH3
  size_t false_equal_ = 0;  // equal hashes of different strings since Reset
};

// Python find_duplicates(): over `items` in order, the number of elements
// equal to an earlier element and the sum of their code point lengths.
DuplicateCounts FindDuplicates(const std::vector<std::string_view>& items,
                               StringSet* scratch);

}  // namespace winnow

#endif  // WINNOW_FILTERS_STRING_SET_H_
