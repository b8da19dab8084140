// The generator's own English word model: general and per-topic word lists
// with their inflected forms, and Zipf-like sampling tables. All words were
// chosen for winnow; no third-party text is used.
//
// Thread safety: Lexicon::Get() returns an immutable singleton that is built
// once (thread-safe static initialization) and may be shared by any threads.
#ifndef WINNOW_GEN_LEXICON_H_
#define WINNOW_GEN_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/rng.h"

namespace winnow::gen {

// Draws an index in [0, n) with probability proportional to
// 1 / (rank + offset)^exponent, by a 4096-entry quantized lookup table
// (one random number per draw).
class ZipfTable {
 public:
  ZipfTable() = default;
  ZipfTable(size_t n, double exponent, double offset);
  uint32_t Sample(Rng& rng) const { return table_[rng.Next() >> 52]; }
  size_t size() const { return n_; }

 private:
  size_t n_ = 0;
  std::vector<uint16_t> table_;
};

struct Noun {
  std::string singular;
  std::string plural;
};

struct Verb {
  std::string base;   // "build"
  std::string third;  // "builds"
  std::string past;   // "built"
  std::string participle;  // "built"
};

// A topic: the words an article about it favours.
struct Topic {
  std::string name;               // "politics"
  std::string section;            // URL/menu section, e.g. "politics"
  std::vector<Noun> nouns;
  std::vector<Verb> verbs;        // transitive
  std::vector<std::string> adjectives;
  std::vector<std::string> roles; // job titles, e.g. "deputy minister"
  std::vector<std::string> fields;  // for "Ministry of ...", e.g. "Finance"
  ZipfTable noun_zipf, verb_zipf, adjective_zipf;
};

class Lexicon {
 public:
  static const Lexicon& Get();

  std::vector<Noun> nouns;            // general nouns, most common first
  std::vector<Verb> verbs;            // general transitive verbs
  std::vector<Verb> speech_verbs;     // said, warned, ... (take a that-clause)
  std::vector<Verb> control_verbs;    // plan, agree, ... (take "to" + verb)
  std::vector<std::string> adjectives;
  std::vector<std::string> adverbs;
  std::vector<std::string> institutions;  // Council, Authority, ...
  std::vector<Topic> topics;
  ZipfTable noun_zipf, verb_zipf, adjective_zipf, adverb_zipf;

  // Samples from the general list or (with probability topic_bias) from the
  // topic's own list.
  const Noun& SampleNoun(Rng& rng, int topic, double topic_bias = 0.45) const;
  const Verb& SampleVerb(Rng& rng, int topic, double topic_bias = 0.4) const;
  const std::string& SampleAdjective(Rng& rng, int topic,
                                     double topic_bias = 0.35) const;
  const std::string& SampleAdverb(Rng& rng) const {
    return adverbs[adverb_zipf.Sample(rng)];
  }

 private:
  Lexicon();
};

// "a" or "an" for the word that follows.
std::string_view IndefiniteArticle(std::string_view next_word);

// Calendar words.
extern const char* const kMonths[12];
extern const char* const kWeekdays[7];
extern const char* const kNumberWords[13];  // "zero" .. "twelve"

}  // namespace winnow::gen

#endif  // WINNOW_GEN_LEXICON_H_
