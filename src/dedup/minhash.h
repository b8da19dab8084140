// MinHash signatures compatible bit for bit with datatrove v0.10.0's
// MinhashDedupSignature (64-bit precision), and LSH band keys for them.
//
// For a text, datatrove computes:
//   1. s = simplify_text(text)                     (dedup/simplify.h)
//   2. tokens = word_tokenize(s)                   (NLTK 3.8 English word
//      tokenizer with untrained Punkt). Simplified text has no ASCII
//      punctuation, so this is a whitespace split plus NLTK's contraction
//      splits ("cannot" -> "can not", also gimme, gonna, gotta, lemme,
//      wanna) and U+2018 split off as a token; done here directly. Texts
//      whose simplification still holds ASCII punctuation (made by
//      decompositions such as U+037E -> ';') go through
//      tokenize/tokenizer.h's NltkEnglishTokenizer instead.
//   3. shingles: for each run of `shingle_size` consecutive tokens, the
//      64-bit hash of the tokens joined by single spaces, encoded as UTF-8:
//      XXH64 with seed 0 (xxhash.xxh64_intdigest), or the first 8 bytes of
//      SHA-1 read as a little-endian integer (kSha1)
//   4. for each of the num_buckets * hashes_per_bucket permutations j:
//      sig[j] = min over shingles of ((shingle * a[j] + b[j]) mod 2^64)
//               mod (2^61 - 1)
//      where a, b come from numpy's legacy np.random.RandomState(seed):
//      a = randint(1, 2^61 - 1, size=n), then b = randint(0, 2^61 - 1,
//      size=n), dtype uint64 (dedup/numpy_random.h).
//   5. the signature is split into num_buckets bands of hashes_per_bucket.
// A text with fewer than `shingle_size` tokens (including the empty text)
// has no shingles: datatrove writes no signature for it, so it is never a
// near duplicate of anything. Signature() then returns an empty signature,
// and callers must emit no band keys for it.
//
// Agreement: the golden vector of minhash_golden_seed1.json (parameters,
// simplified text, tokens, shingles, signatures for xxhash and sha1) is
// reproduced bit for bit, and on Reuters-21578 every document's shingle
// count and the duplicate clusters equal datatrove's (dedup_oracle_test).
//
// Speed: the permutations run in an AVX2 kernel when the CPU has AVX2
// (detected at run time) and in a portable scalar loop otherwise; both give
// identical results. Nothing is allocated per shingle or per token once the
// scratch buffers have grown to the working size. Memory per MinHasher is a
// few times the largest text seen (simplified copy, token offsets, shingle
// hashes: about 2 + 24/(average word length + 1) bytes per input byte),
// plus 16 KiB for ordering the shingles by length.
//
// Thread safety: a MinHasher keeps scratch buffers; use one per thread.
// Const methods are safe to call concurrently.
#ifndef WINNOW_DEDUP_MINHASH_H_
#define WINNOW_DEDUP_MINHASH_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dedup/keys.h"
#include "tokenize/tokenizer.h"
#include "winnow/status.h"

namespace winnow::dedup {

struct MinHashConfig {
  enum class Hash {
    kXxhash64,  // datatrove's default HashConfig(hash_fc="xxhash")
    kSha1,      // HashConfig(hash_fc="sha1"), precision 64
  };
  // Words per shingle (datatrove n_grams). Default 5. Larger values make
  // matches stricter.
  int shingle_size = 5;
  // LSH bands (datatrove num_buckets). Default 14.
  int num_buckets = 14;
  // Hashes per band (datatrove hashes_per_bucket). Default 8. With the
  // defaults, a pair with Jaccard similarity 0.8 becomes a candidate with
  // probability 1 - (1 - 0.8^8)^14 = 0.92; the 50% point is near 0.72.
  int hashes_per_bucket = 8;
  // Seed of the permutation parameters (numpy RandomState). Default 1.
  // Must be below 2^32 (numpy rejects larger seeds).
  uint64_t seed = 1;
  // Shingle hash. Default kXxhash64.
  Hash hash = Hash::kXxhash64;

  // OK, or InvalidArgument naming the bad field.
  Status Validate() const;
};

class MinHasher {
 public:
  // REQUIRES: config.Validate().ok().
  explicit MinHasher(const MinHashConfig& config);

  MinHasher(const MinHasher&) = delete;
  MinHasher& operator=(const MinHasher&) = delete;

  // Replaces *sig with the num_buckets * hashes_per_bucket signature values
  // of `text` (band-major: band k is sig[k * hashes_per_bucket, (k + 1) *
  // hashes_per_bucket)), or with nothing if the text has fewer than
  // shingle_size tokens. Every value is below 2^61 - 1.
  void Signature(std::string_view text, std::vector<uint64_t>* sig);

  // Replaces *keys with one key per band: XXH3-128 of the band's values (as
  // little-endian uint64) seeded with the band index, so equal bands at
  // different band indexes get different keys. Two documents share a band
  // key iff they have the same values in that band (up to a 2^-128 hash
  // collision). An empty signature gives no keys.
  // REQUIRES: sig is empty or has num_buckets * hashes_per_bucket values.
  void BandKeys(const std::vector<uint64_t>& sig,
                std::vector<Key128>* keys) const;

  // Jaccard similarity of the shingle sets of `a` and `b`, with the same
  // simplification, tokenization and shingle hashes as Signature() (two
  // different shingles are treated as equal only on a 64-bit hash
  // collision). Returns 0 when either text has no shingles.
  double ShingleJaccard(std::string_view a, std::string_view b);

  // Number of shingles (with repetitions) of the last Signature() text.
  size_t last_num_shingles() const { return last_num_shingles_; }
  // The shingle hashes (in text order, with repetitions) of the last
  // Signature() text. Valid until the next call of any non-const method.
  const std::vector<uint64_t>& last_shingles() const { return shingles_; }

  // Step-by-step views, for tests and tools. Each replaces its output.
  // The simplified text of `text`.
  void Simplify(std::string_view text, std::string* simplified);
  // The tokens of `text` (simplified first).
  std::vector<std::string> Tokens(std::string_view text);
  // The shingle hashes of `text`, in order, with repetitions.
  void Shingles(std::string_view text, std::vector<uint64_t>* shingles);

  const std::vector<uint64_t>& a() const { return a_; }
  const std::vector<uint64_t>& b() const { return b_; }
  const MinHashConfig& config() const { return config_; }

 private:
  // Fills simplified_, token spans and shingle_text_ for `text`.
  void Tokenize(std::string_view text);
  void AddToken(std::string_view token);
  void AddWordWithContractions(std::string_view word);
  // AddWordWithContractions, or AddToken when no split is possible.
  void AddWord(std::string_view word);
  // Fills shingles_ from the current tokens.
  void ComputeShingles();
  uint64_t HashShingle(std::string_view s) const;

  MinHashConfig config_;
  size_t num_hashes_;
  std::vector<uint64_t> a_;
  std::vector<uint64_t> b_;
  bool use_avx2_;
  std::vector<uint64_t> xs_;  // kernel scratch: 2 values per shingle

  std::string simplified_;
  std::string joined_;  // tokens separated by single spaces (slow path)
  // The text the token spans index: simplified_ or joined_.
  std::string_view shingle_text_;
  std::vector<size_t> token_begin_;
  std::vector<size_t> token_end_;
  std::vector<uint64_t> shingles_;
  std::vector<uint32_t> by_length_;  // up to 4096 shingle indexes (scratch)
  std::vector<uint64_t> other_shingles_;
  NltkEnglishTokenizer nltk_;
  TokenList nltk_tokens_;
  size_t last_num_shingles_ = 0;
};

// The SHA-1 based 64-bit hash datatrove uses for hash_fc="sha1": the first
// 8 bytes of SHA-1(bytes) as a little-endian integer.
uint64_t Sha1Hash64(std::string_view bytes);

// The compact shingle set used by exact verification: the distinct low 32
// bits of `shingles`, sorted ascending. Two different shingles collide with
// probability 2^-32, so the Jaccard similarity of two such sets differs from
// the 64-bit one by far less than 0.001 for any realistic pair of texts.
void ShingleSet32(const std::vector<uint64_t>& shingles,
                  std::vector<uint32_t>* set);

// Jaccard similarity |a & b| / |a | b| of two sorted sets of distinct
// values; 0 when either is empty.
double SortedSetJaccard(const uint32_t* a, size_t na, const uint32_t* b,
                        size_t nb);

// Minimum over shingles of the permuted hashes: for each j < n,
// mins[j] = min(mins[j], min_s ((s * a[j] + b[j]) mod 2^64) mod (2^61-1)).
// Portable reference implementation of the kernel (exposed for tests).
void PermuteMinScalar(const uint64_t* shingles, size_t num_shingles,
                      const uint64_t* a, const uint64_t* b, size_t n,
                      uint64_t* mins);

// The same computation by the kernel Signature() uses on this CPU (AVX2
// when available; returns whether it was used). Exposed for tests.
// REQUIRES: every b[j] < 2^61 - 1.
bool PermuteMinFast(const uint64_t* shingles, size_t num_shingles,
                    const uint64_t* a, const uint64_t* b, size_t n,
                    uint64_t* mins);

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_MINHASH_H_
