#include "dedup/minhash.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <xxhash.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dedup/numpy_random.h"
#include "dedup/simplify.h"

namespace winnow::dedup {
namespace {

std::string SharedPath(const char* rel) {
  const char* dir = std::getenv("WINNOW_SHARED_DIR");
  if (dir == nullptr) return {};
  return std::string(dir) + "/" + rel;
}

std::vector<uint64_t> U64Array(simdjson::dom::element e) {
  std::vector<uint64_t> out;
  for (simdjson::dom::element v : e.get_array()) {
    uint64_t x;
    if (v.get_uint64().get(x) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not a uint64";
      return {};
    }
    out.push_back(x);
  }
  return out;
}

class MinHashGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path =
        SharedPath("data/oracle/minhash_golden_seed1.json");
    if (path.empty() || parser_.load(path).get(doc_) != simdjson::SUCCESS) {
      GTEST_SKIP() << "golden file absent: " << path;
    }
  }
  simdjson::dom::parser parser_;
  simdjson::dom::element doc_;
};

TEST_F(MinHashGolden, PermutationParametersMatchNumpy) {
  MinHasher hasher(MinHashConfig{});
  EXPECT_EQ(hasher.a(), U64Array(doc_["a"]));
  EXPECT_EQ(hasher.b(), U64Array(doc_["b"]));
}

TEST_F(MinHashGolden, SimplifiedTextMatches) {
  MinHasher hasher(MinHashConfig{});
  std::string simplified;
  hasher.Simplify(std::string_view(doc_["text"]), &simplified);
  EXPECT_EQ(simplified, std::string_view(doc_["simplified"]));
}

void CheckVariant(simdjson::dom::element doc, const char* name,
                  MinHashConfig::Hash hash) {
  SCOPED_TRACE(name);
  MinHashConfig config;
  config.hash = hash;
  MinHasher hasher(config);
  const std::string_view text(doc["text"]);
  simdjson::dom::element v = doc[name];

  std::vector<std::string> want_tokens;
  for (simdjson::dom::element t : v["tokens"].get_array()) {
    want_tokens.emplace_back(std::string_view(t));
  }
  EXPECT_EQ(hasher.Tokens(text), want_tokens);

  std::vector<uint64_t> shingles;
  hasher.Shingles(text, &shingles);
  EXPECT_EQ(shingles, U64Array(v["shingles"]));
  EXPECT_EQ(shingles.size(), uint64_t(v["n_shingles"]));

  std::vector<uint64_t> want_sig;
  for (simdjson::dom::element band : v["signature"].get_array()) {
    for (uint64_t x : U64Array(band)) want_sig.push_back(x);
  }
  std::vector<uint64_t> sig;
  hasher.Signature(text, &sig);
  EXPECT_EQ(sig, want_sig);
  EXPECT_EQ(hasher.last_num_shingles(), shingles.size());
}

TEST_F(MinHashGolden, XxhashSignatureMatchesBitForBit) {
  CheckVariant(doc_, "xxhash", MinHashConfig::Hash::kXxhash64);
}

TEST_F(MinHashGolden, Sha1SignatureMatchesBitForBit) {
  CheckVariant(doc_, "sha1", MinHashConfig::Hash::kSha1);
}

TEST(NumpyLegacyRandom, IsDeterministicAndInRange) {
  NumpyLegacyRandom r1(7), r2(7), r3(8);
  const uint64_t high = (uint64_t{1} << 61) - 1;
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = r1.RandintUint64(1, high);
    EXPECT_EQ(x, r2.RandintUint64(1, high));
    differs |= x != r3.RandintUint64(1, high);
    EXPECT_GE(x, 1u);
    EXPECT_LT(x, high);
  }
  EXPECT_TRUE(differs);
}

TEST(Sha1Hash64, MatchesKnownDigests) {
  // SHA-1("abc") = a9993e36 4706816a ...; first 8 bytes little-endian.
  EXPECT_EQ(Sha1Hash64("abc"), 0x6a810647363e99a9ull);
  // SHA-1("") = da39a3ee 5e6b4b0d ...
  EXPECT_EQ(Sha1Hash64(""), 0x0d4b6b5eeea339daull);
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(
      Sha1Hash64("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      0x6ed23b1c443e9884ull);
}

TEST(PermuteMin, Avx2AndScalarAgree) {
  MinHasher hasher(MinHashConfig{});
  std::mt19937_64 rng(3);
  std::vector<uint64_t> shingles(1000);
  for (auto& s : shingles) s = rng();
  shingles[0] = ~uint64_t{0};
  shingles[1] = 0;
  std::vector<uint64_t> want(hasher.a().size(), ~uint64_t{0});
  PermuteMinScalar(shingles.data(), shingles.size(), hasher.a().data(),
                   hasher.b().data(), want.size(), want.data());
  // Signature() goes through the dispatched kernel; compare on a text whose
  // shingles we know.
  std::string text;
  for (int i = 0; i < 300; ++i) text += "w" + std::to_string(rng() % 50) + "x ";
  std::vector<uint64_t> sh;
  hasher.Shingles(text, &sh);
  std::vector<uint64_t> ref(hasher.a().size(), ~uint64_t{0});
  PermuteMinScalar(sh.data(), sh.size(), hasher.a().data(), hasher.b().data(),
                   ref.size(), ref.data());
  std::vector<uint64_t> sig;
  hasher.Signature(text, &sig);
  EXPECT_EQ(sig, ref);
  for (uint64_t v : want) EXPECT_LT(v, (uint64_t{1} << 61) - 1);
}

// Shingles that make the AVX2 kernel's shortcuts fail: for an odd a (so
// x -> x * a + b is a bijection mod 2^64), x is chosen so that x * a + b
// mod 2^64 is a given value v. v = p (all low 61 bits set) carries into bit
// 61; v = 2^64 - 1 and v = 5 * 2^61 + p - 3 have a partial reduction >= p;
// v = 3 has a true minimum below 8; v = 2^62 - 2 makes the partial
// reduction of v + 1 exactly 2^61, and v = 7 * 2^61 + p - 8 makes it exactly
// p (a true value of p - 1). The kernel must still agree with the
// scalar reference for every lane.
TEST(PermuteMin, FastKernelIsExactInRareReductionCases) {
  MinHasher hasher(MinHashConfig{});
  const auto& a = hasher.a();
  const auto& b = hasher.b();
  const uint64_t p = (uint64_t{1} << 61) - 1;
  auto inverse = [](uint64_t odd) {
    uint64_t inv = odd;  // Newton iteration for the inverse mod 2^64
    for (int i = 0; i < 6; ++i) inv *= 2 - odd * inv;
    return inv;
  };
  const uint64_t targets[] = {p,
                              ~uint64_t{0},
                              5 * (uint64_t{1} << 61) + p - 3,
                              3,
                              p - 1,
                              uint64_t{1} << 61,
                              (uint64_t{1} << 62) - 2,
                              7 * (uint64_t{1} << 61) + p - 8};
  std::mt19937_64 rng(11);
  size_t lanes_tested = 0;
  for (size_t lane = 0; lane < a.size(); ++lane) {
    if ((a[lane] & 1) == 0) continue;
    for (uint64_t v : targets) {
      std::vector<uint64_t> shingles(40);
      for (auto& s : shingles) s = rng();
      const uint64_t x = (v - b[lane]) * inverse(a[lane]);
      ASSERT_EQ(x * a[lane] + b[lane], v);
      shingles[rng() % shingles.size()] = x;
      std::vector<uint64_t> want(a.size(), ~uint64_t{0} >> 1);
      std::vector<uint64_t> got = want;
      PermuteMinScalar(shingles.data(), shingles.size(), a.data(), b.data(),
                       want.size(), want.data());
      PermuteMinFast(shingles.data(), shingles.size(), a.data(), b.data(),
                     got.size(), got.data());
      ASSERT_EQ(got, want) << "lane " << lane << " v " << v;
      // Incoming minimums of every size, including unsigned ones >= 2^63.
      std::vector<uint64_t> in(a.size());
      for (auto& m : in) m = rng() >> (rng() % 64);
      want = in;
      got = in;
      PermuteMinScalar(shingles.data(), shingles.size(), a.data(), b.data(),
                       want.size(), want.data());
      PermuteMinFast(shingles.data(), shingles.size(), a.data(), b.data(),
                     got.size(), got.data());
      ASSERT_EQ(got, want) << "lane " << lane << " v " << v;
    }
    ++lanes_tested;
  }
  EXPECT_GT(lanes_tested, 20u);
  // Lane counts that are not multiples of 16 or 4 (the kernel's blocks).
  for (size_t n : {1u, 3u, 4u, 5u, 17u, 21u, 100u}) {
    std::vector<uint64_t> shingles(33);
    for (auto& s : shingles) s = rng();
    std::vector<uint64_t> want(n, ~uint64_t{0} >> 1), got = want;
    PermuteMinScalar(shingles.data(), shingles.size(), a.data(), b.data(), n,
                     want.data());
    PermuteMinFast(shingles.data(), shingles.size(), a.data(), b.data(), n,
                   got.data());
    EXPECT_EQ(got, want) << n;
  }
}

// A word's tokens do not depend on the rest of the document (the fast
// path, taken when no word may hold an NLTK contraction, and the general
// path must agree), including words with non-ASCII characters.
TEST(MinHasher, WordTokensDoNotDependOnOtherWords) {
  MinHasher h(MinHashConfig{});
  const std::string words =
      "liaport\xE2\x80\x99s x\xE2\x80\x99gonna caf\xC3\xA9wanna "
      "wanna\xC3\xA9 \xC3\xA9lemme stra\xC3\x9F"
      "e gonna gotta";
  for (const std::string extra : {"", " cannot", " \xE2\x80\x98q"}) {
    std::vector<std::string> with = h.Tokens(words + extra);
    std::vector<std::string> alone = h.Tokens(words);
    ASSERT_GE(with.size(), alone.size());
    with.resize(alone.size());
    EXPECT_EQ(with, alone) << extra;
  }
}

// Shingles are hashed in order of length (in chunks of 4,096) but stored
// in text order: each must be XXH64 of its own five words, for texts below
// the sorting threshold, above it, and across chunks.
TEST(MinHasher, ShinglesAreInTextOrderWhateverTheHashingOrder) {
  MinHasher h(MinHashConfig{});
  std::mt19937 rng(9);
  for (size_t num_words : {5u, 20u, 40u, 300u, 4100u, 9000u}) {
    std::vector<std::string> words;
    std::string text;
    for (size_t w = 0; w < num_words; ++w) {
      // Lowercase letters only: simplification leaves them as they are.
      words.push_back(
          std::string(1 + rng() % 14, static_cast<char>('a' + rng() % 26)) +
          static_cast<char>('a' + rng() % 26));
      text += words.back() + " ";
    }
    std::vector<uint64_t> got;
    h.Shingles(text, &got);
    ASSERT_EQ(got.size(), num_words - 4);
    for (size_t i = 0; i + 5 <= num_words; ++i) {
      const std::string shingle = words[i] + " " + words[i + 1] + " " +
                                  words[i + 2] + " " + words[i + 3] + " " +
                                  words[i + 4];
      ASSERT_EQ(got[i], XXH64(shingle.data(), shingle.size(), 0))
          << num_words << " " << i;
    }
  }
}

TEST(MinHasher, IdenticalTextsGiveIdenticalSignatures) {
  MinHasher h1(MinHashConfig{}), h2(MinHashConfig{});
  const std::string text =
      "A river runs past the mill, and the miller counts sacks of grain "
      "every evening before the lamps are lit.";
  std::vector<uint64_t> s1, s2, s3;
  h1.Signature(text, &s1);
  h2.Signature(text, &s2);
  h1.Signature(text, &s3);
  EXPECT_EQ(s1.size(), 112u);
  EXPECT_EQ(s1, s2);
  EXPECT_EQ(s1, s3);
}

TEST(MinHasher, CaseWhitespaceAndPunctuationDoNotChangeTheSignature) {
  MinHasher h(MinHashConfig{});
  std::vector<uint64_t> s1, s2;
  h.Signature("the old mill stood by the river for years", &s1);
  h.Signature("  The OLD mill -- stood by\tthe river, for 12 years!", &s2);
  std::vector<uint64_t> s3;
  h.Signature("the old mill stood by the river for 0 years", &s3);
  EXPECT_NE(s1, s2);
  EXPECT_EQ(s2, s3);
}

TEST(MinHasher, TooFewTokensGiveNoSignature) {
  MinHasher h(MinHashConfig{});
  std::vector<uint64_t> sig = {1, 2, 3};
  h.Signature("", &sig);
  EXPECT_TRUE(sig.empty());
  EXPECT_EQ(h.last_num_shingles(), 0u);
  h.Signature("word", &sig);
  EXPECT_TRUE(sig.empty());
  h.Signature("one two three four", &sig);
  EXPECT_TRUE(sig.empty());
  h.Signature("!!! ... ???", &sig);
  EXPECT_TRUE(sig.empty());
  h.Signature("one two three four five", &sig);
  EXPECT_EQ(sig.size(), 112u);
  EXPECT_EQ(h.last_num_shingles(), 1u);
  std::vector<Key128> keys = {Key128{}};
  h.BandKeys({}, &keys);
  EXPECT_TRUE(keys.empty());
}

TEST(MinHasher, OneRepeatedWordHasOneDistinctShingle) {
  MinHasher h(MinHashConfig{});
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "echo ";
  std::vector<uint64_t> sig, shingles;
  h.Signature(text, &sig);
  EXPECT_EQ(h.last_num_shingles(), 9996u);
  h.Shingles("echo echo echo echo echo", &shingles);
  ASSERT_EQ(shingles.size(), 1u);
  std::vector<uint64_t> one;
  h.Signature("echo echo echo echo echo", &one);
  EXPECT_EQ(sig, one);
}

TEST(MinHasher, HandlesAFiftyMegabyteDocument) {
  MinHasher h(MinHashConfig{});
  std::string text;
  text.reserve(50u << 20);
  std::mt19937 rng(5);
  while (text.size() < (50u << 20)) {
    text += "tok";
    text += std::to_string(rng() % 100000);
    text += (rng() % 10 == 0) ? ".\n" : " ";
  }
  std::vector<uint64_t> sig;
  h.Signature(text, &sig);
  EXPECT_EQ(sig.size(), 112u);
  EXPECT_GT(h.last_num_shingles(), 5000000u);
}

TEST(MinHasher, NonLatinScriptsAreTokenizedOnWhitespace) {
  MinHasher h(MinHashConfig{});
  EXPECT_EQ(
      h.Tokens("Москва — столица России, 2024 год."),
      (std::vector<std::string>{"москва", "столица", "россии", "0", "год"}));
  // Hangul syllables come out decomposed into jamo (NFD), like datatrove.
  std::string s;
  h.Simplify("한국어", &s);
  EXPECT_EQ(s, "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165");
  std::vector<uint64_t> sig;
  h.Signature("東京 は 日本 の 首都 です", &sig);
  EXPECT_EQ(sig.size(), 112u);
  EXPECT_EQ(h.last_num_shingles(), 2u);
}

TEST(MinHasher, AppliesNltkContractionSplits) {
  MinHasher h(MinHashConfig{});
  EXPECT_EQ(h.Tokens("I cannot go, gonna stay; wanna"),
            (std::vector<std::string>{"i", "can", "not", "go", "gon", "na",
                                      "stay", "wan", "na"}));
  // No split inside a longer word.
  EXPECT_EQ(h.Tokens("cannotx xgonna"),
            (std::vector<std::string>{"cannotx", "xgonna"}));
  // A non-word character is a boundary: NLTK splits around the match.
  EXPECT_EQ(h.Tokens("\u00a9cannot\u00a9"),
            (std::vector<std::string>{"\u00a9", "can", "not", "\u00a9"}));
}

// The fast path looks for contractions only in 5- and 6-byte words and in
// words with a byte >= 0x80, which it tracks per word across its 16-byte
// blocks: every alignment of such a word, after ASCII words and between
// long ASCII words, must still split.
TEST(MinHasher, FindsContractionsInNonAsciiWordsAtEveryAlignment) {
  MinHasher h(MinHashConfig{});
  for (int pad = 1; pad < 40; ++pad) {
    const std::string lead(pad, 'q');
    EXPECT_EQ(
        h.Tokens(lead + " abcdefghij \u00a9cannot abcdefghijkl "
                        "xx\u0434gonna"),
        (std::vector<std::string>{lead, "abcdefghij", "\u00a9", "can", "not",
                                  "abcdefghijkl", "xx\u0434gonna"}))
        << pad;
    // A long ASCII word after a non-ASCII one stays one token.
    EXPECT_EQ(h.Tokens(lead + " \u0434\u0434 xcannotxgonna"),
              (std::vector<std::string>{lead, "\u0434\u0434", "xcannotxgonna"}))
        << pad;
  }
}

// The fast path first looks for any contraction in the whole text (by the
// doubled letter each has); every contraction must be found wherever it
// falls relative to that scan's 16-byte blocks and its scalar tail.
TEST(MinHasher, FindsEveryContractionAtEveryOffset) {
  MinHasher h(MinHashConfig{});
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"cannot", {"can", "not"}},
      {"gimme", {"gim", "me"}},
      {"g\u0131mme", {"g\u0131m", "me"}},
      {"gonna", {"gon", "na"}},
      {"gotta", {"got", "ta"}},
      {"lemme", {"lem", "me"}},
      {"wanna", {"wan", "na"}}};
  for (const auto& [word, split] : cases) {
    for (int pad = 1; pad < 40; ++pad) {
      const std::string lead(pad, 'q');
      // At the end (the scan's tail) and before a long word.
      for (const std::string tail : {"", " abcdefghijklmnopqrstuvwxyz"}) {
        std::vector<std::string> want = {lead};
        want.insert(want.end(), split.begin(), split.end());
        if (!tail.empty()) want.push_back(tail.substr(1));
        EXPECT_EQ(h.Tokens(lead + " " + word + tail), want)
            << word << " " << pad;
      }
    }
  }
  // Doubled letters without a contraction leave words whole.
  EXPECT_EQ(h.Tokens("planned committee annotated summer gotten"),
            (std::vector<std::string>{"planned", "committee", "annotated",
                                      "summer", "gotten"}));
}

// Without contractions the fast path stores token ends per 16-byte block
// (four without a branch, more in a loop) and leaves it for the general
// path at an empty token: blocks full of one-letter words, and a double
// space (left by a lone combining mark) at every offset, must give the
// same tokens as word splitting.
TEST(MinHasher, FastPathBlocksGiveTheWordsAtEveryOffset) {
  MinHasher h(MinHashConfig{});
  std::mt19937 rng(21);
  std::vector<std::string> words;
  std::string text;
  for (int w = 0; w < 300; ++w) {
    words.push_back(std::string(1 + rng() % (w % 3 == 0 ? 20 : 2),
                                static_cast<char>('a' + rng() % 5)));
    text += (w > 0 ? " " : "") + words.back();
  }
  EXPECT_EQ(h.Tokens(text), words);
  for (size_t pos = 0; pos < 60; ++pos) {
    // After word `pos`, " \u0301 " simplifies to two spaces.
    std::string doubled;
    for (size_t w = 0; w < words.size(); ++w) {
      doubled += (w > 0 ? " " : "") + words[w];
      if (w == pos) doubled += " \u0301";
    }
    EXPECT_EQ(h.Tokens(doubled), words) << pos;
  }
}

TEST(MinHasher, NltkSpecialCharactersGoThroughTheNltkTokenizer) {
  MinHasher h(MinHashConfig{});
  // U+037E GREEK QUESTION MARK decomposes to ';' after punctuation removal;
  // NLTK then splits it off.
  EXPECT_EQ(h.Tokens("ab\u037ecd"),
            (std::vector<std::string>{"ab", ";", "cd"}));
  // U+2018 is not in datatrove's punctuation; NLTK splits it off.
  EXPECT_EQ(h.Tokens("\u2018quoted"),
            (std::vector<std::string>{"\u2018", "quoted"}));
}

TEST(SimplifyText, FollowsDatatroveStepOrder) {
  std::string out;
  SimplifyText("1,000,000 and 3.14 or 1.2.3", &out);
  EXPECT_EQ(out, "0 0 and 0 or 0 0");
  SimplifyText("a \u0301 b", &out);
  EXPECT_EQ(out, "a  b");
  SimplifyText("\u0301 a \u0301", &out);
  EXPECT_EQ(out, "a");
  SimplifyText("Caf\u00e9 na\u00efve \u0130stanbul", &out);
  EXPECT_EQ(out, "cafe naive istanbul");
  // Final sigma: word-final capital sigma lowers to U+03C2.
  SimplifyText("\u039f\u0394\u039f\u03a3 \u03a3\u039f", &out);
  EXPECT_EQ(out, "\u03bf\u03b4\u03bf\u03c2 \u03c3\u03bf");
  SimplifyText("x\u00a0\u2003y\x01z", &out);
  EXPECT_EQ(out, "x y z");
  SimplifyText("\u0661\u0662\u066b\u0663", &out);  // Arabic-Indic 12.3
  EXPECT_EQ(out, "0");
}

TEST(MinHasher, ShingleJaccardIsExactOnShingleSets) {
  MinHasher h(MinHashConfig{});
  EXPECT_DOUBLE_EQ(h.ShingleJaccard("a b c d e f", "a b c d e f"), 1.0);
  // {abcde, bcdef} vs {abcde, bcdeg}: 1 common of 3.
  EXPECT_DOUBLE_EQ(h.ShingleJaccard("a b c d e f", "A b c d e g"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(h.ShingleJaccard("a b c", "a b c"), 0.0);
  EXPECT_DOUBLE_EQ(h.ShingleJaccard("a b c d e", "v w x y z"), 0.0);
}

TEST(MinHashConfig, ValidateRejectsBadValues) {
  MinHashConfig c;
  EXPECT_TRUE(c.Validate().ok());
  c.seed = uint64_t{1} << 32;
  EXPECT_FALSE(c.Validate().ok());
  c = MinHashConfig{};
  c.shingle_size = 0;
  EXPECT_FALSE(c.Validate().ok());
}

TEST(MinHasher, BandKeysDependOnBandIndexAndValues) {
  MinHashConfig config;
  config.num_buckets = 2;
  config.hashes_per_bucket = 2;
  MinHasher h(config);
  std::vector<Key128> keys;
  h.BandKeys({5, 6, 5, 6}, &keys);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_NE(keys[0], keys[1]);
  std::vector<Key128> keys2;
  h.BandKeys({5, 6, 5, 7}, &keys2);
  EXPECT_EQ(keys[0], keys2[0]);
  EXPECT_NE(keys[1], keys2[1]);
}

TEST(ShingleSet32, JaccardOfCompactSetsMatchesThe64BitSets) {
  MinHasher h(MinHashConfig{});
  const std::string a =
      "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat "
      "and the bird sings in the old tree near the river bank all day long";
  const std::string b =
      "the quick brown fox jumps over the lazy dog while the cat naps on the warm mat "
      "and the bird sings in the old tree near the river bank all night long";
  std::vector<uint64_t> sig;
  std::vector<uint32_t> sa, sb;
  h.Signature(a, &sig);
  ShingleSet32(h.last_shingles(), &sa);
  h.Signature(b, &sig);
  ShingleSet32(h.last_shingles(), &sb);
  EXPECT_TRUE(std::is_sorted(sa.begin(), sa.end()));
  EXPECT_EQ(std::adjacent_find(sa.begin(), sa.end()), sa.end());
  EXPECT_DOUBLE_EQ(SortedSetJaccard(sa.data(), sa.size(), sb.data(), sb.size()),
                   h.ShingleJaccard(a, b));
  EXPECT_DOUBLE_EQ(SortedSetJaccard(sa.data(), sa.size(), sa.data(), sa.size()), 1.0);
  EXPECT_EQ(SortedSetJaccard(sa.data(), sa.size(), nullptr, 0), 0.0);
}

}  // namespace
}  // namespace winnow::dedup
