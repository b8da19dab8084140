#include "filters/filters.h"

#include <cstdlib>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/json_writer.h"
#include "filters/py_text.h"
#include "filters/string_set.h"
#include "filters/token_cache.h"

namespace winnow {
namespace {

StepResult Apply(Step& step, const std::string& text, Document* doc = nullptr) {
  Document local;
  Document* d = doc != nullptr ? doc : &local;
  d->text = text;
  return step.Process(d, nullptr);
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// `n` space-separated lowercase words cycling through a small vocabulary
// that contains the stop words "the" and "of".
std::string Words(size_t n) {
  static const char* kVocab[] = {"the",    "harbor", "of",     "lantern",
                                 "meadow", "copper", "window", "orchard",
                                 "gravel", "thistle", "basket", "candle"};
  std::vector<std::string> w;
  for (size_t i = 0; i < n; ++i) w.push_back(kVocab[i % 12]);
  return Join(w, " ");
}

// Gopher repetition with every rule disabled; tests enable one at a time.
GopherRepetitionOptions NoRepetitionRules() {
  GopherRepetitionOptions o;
  o.dup_line_frac = o.dup_para_frac = o.dup_line_char_frac =
      o.dup_para_char_frac = 0;
  o.top_n_grams.clear();
  o.dup_n_grams.clear();
  return o;
}

// ---------------------------------------------------------------- registry

TEST(RegisterFilterStepsTest, RegistersFourStepTypes) {
  StepRegistry registry;
  RegisterFilterSteps(&registry);
  for (const char* type :
       {"gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"}) {
    const StepRegistry::Entry* e = registry.Find(type);
    ASSERT_NE(e, nullptr) << type;
    StepOptions options;
    auto step = e->factory(options);
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    EXPECT_EQ(step.value()->name(), type);
  }
}

TEST(RegisterFilterStepsTest, RejectsUnknownAndMalformedOptions) {
  StepRegistry registry;
  RegisterFilterSteps(&registry);
  StepOptions unknown(std::map<std::string, std::string>{{"min_doc_wrds", "3"}});
  EXPECT_FALSE(registry.Find("gopher_quality")->factory(unknown).ok());
  StepOptions bad_number(std::map<std::string, std::string>{{"line_punct_thr", "often"}});
  EXPECT_FALSE(registry.Find("fineweb_quality")->factory(bad_number).ok());
  StepOptions bad_pairs(std::map<std::string, std::string>{{"top_n_grams", "2-0.2"}});
  EXPECT_FALSE(registry.Find("gopher_repetition")->factory(bad_pairs).ok());
  StepOptions good_pairs(std::map<std::string, std::string>{{"top_n_grams", "2:0.5,3:0.4"}, {"dup_n_grams", ""}});
  EXPECT_TRUE(registry.Find("gopher_repetition")->factory(good_pairs).ok());
}

TEST(FilterStepsTest, EmptyAndBlankTextsNeverCrash) {
  StepRegistry registry;
  RegisterFilterSteps(&registry);
  for (const auto& e : registry.entries()) {
    for (bool signals : {false, true}) {
      StepOptions options(std::map<std::string, std::string>{{"write_signals", signals ? "true" : "false"}});
      auto step = e.factory(options);
      ASSERT_TRUE(step.ok());
      for (const char* text : {"", " ", "\n", "\n\n\n", " \t\n \u00a0", "#", "\x01"}) {
        Document doc;
        doc.text = text;
        step.value()->Process(&doc, nullptr);
      }
    }
  }
}

// -------------------------------------------------------- gopher_repetition

TEST(GopherRepetitionTest, KeepsVariedText) {
  GopherRepetitionFilter f{GopherRepetitionOptions{}};
  EXPECT_TRUE(Apply(f,
                  "Morning fog lifted slowly over the harbor while fishermen "
                  "checked their nets.\n\nBy noon the market square was "
                  "crowded with traders selling apples, cheese and wool.")
                  .keep);
}

TEST(GopherRepetitionTest, DuplicateParagraphFractionAboveThresholdRemoves) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_para_frac = 0.3;
  GopherRepetitionFilter f(o);
  // 1 duplicate of 3 paragraphs = 0.333 > 0.3.
  StepResult r = Apply(f, "alpha beta\n\nalpha beta\n\ngamma delta");
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "dup_para_frac");
  EXPECT_NE(r.details.find("\"threshold\":0.3"), std::string::npos) << r.details;
  // 3 duplicates of 10 paragraphs = 0.3 exactly: kept.
  std::vector<std::string> paras = {"p0", "p1", "p2", "p3", "p4",
                                    "p5", "p6", "p0", "p1", "p2"};
  EXPECT_TRUE(Apply(f, Join(paras, "\n\n\n")).keep);
}

TEST(GopherRepetitionTest, DuplicateParagraphCharsAboveThresholdRemoves) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_para_char_frac = 0.2;
  GopherRepetitionFilter f(o);
  // Duplicate "abcdefghij" is 10 of 44 code points: 0.227 > 0.2.
  std::string text = "abcdefghij\n\nabcdefghij\n\nklmnopqrstuvwxyzABCD";
  ASSERT_EQ(text.size(), 44u);
  EXPECT_EQ(Apply(f, text).reason, "dup_para_char_frac");  // 10 / 44
  // 10 of 50 code points: 0.2 exactly, kept.
  EXPECT_TRUE(Apply(f, text + "012345").keep);
}

TEST(GopherRepetitionTest, LinesAreSplitAtNewlineRunsOfTheUnstrippedText) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_line_frac = 0.3;
  GopherRepetitionFilter f(o);
  // Leading and trailing newlines give two empty lines: 1 duplicate of 3.
  StepResult r = Apply(f, "\nsingle line\n");
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "dup_line_frac");
  EXPECT_TRUE(Apply(f, "single line\n").keep);  // 0 of 2
}

TEST(GopherRepetitionTest, DuplicateLineCharsAboveThresholdRemoves) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_line_char_frac = 0.2;
  GopherRepetitionFilter f(o);
  // "same line!" (10) repeated once in a 42-code-point text: 0.238.
  std::string text = "same line!\nsame line!\nsomething else entirely";
  EXPECT_EQ(Apply(f, text).reason, "dup_line_char_frac");
  // Code points, not bytes: "\u00e9" counts once.
  o = NoRepetitionRules();
  o.dup_line_char_frac = 0.5;
  GopherRepetitionFilter g(o);
  EXPECT_TRUE(Apply(g, "\u00e9\u00e9\n\u00e9\u00e9\nabc").keep);  // 2/8
}

TEST(GopherRepetitionTest, TopBigramFractionAboveThresholdRemoves) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.top_n_grams = {{2, 0.2}};
  GopherRepetitionFilter f(o);
  // "red fox" (7 chars) appears 3 times in 47 code points: 0.447.
  StepResult r = Apply(f, "red fox jumps and red fox runs while red fox naps");
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "top_2_gram");
  EXPECT_TRUE(Apply(f, "every word here differs from all others in this line").keep);
}

TEST(GopherRepetitionTest, TopNgramTieGoesToFirstSeenNgram) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.top_n_grams = {{2, 0.5}};
  GopherRepetitionFilter f(o);
  // "x y" and "longer wordsz" both occur twice; the first seen ("x y") is
  // the top bigram: 3 * 2 / 35 = 0.17, whereas the other would give 0.74.
  EXPECT_TRUE(Apply(f, "x y x y longer wordsz longer wordsz").keep);
  EXPECT_EQ(Apply(f, "longer wordsz longer wordsz x y x y").reason, "top_2_gram");
}

TEST(GopherRepetitionTest, RepeatedNgramsSkipOverMatchesAndJoinWithoutSpaces) {
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_n_grams = {{2, 0.3}};
  GopherRepetitionFilter f(o);
  // Bigrams joined without spaces: "abc", "ca", "abc": 3 of 9 code points.
  StepResult r = Apply(f, "ab c a bc");
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "duplicated_2_n_grams");
  EXPECT_TRUE(Apply(f, "ab c d ef").keep);
}

TEST(GopherRepetitionTest, RepeatedFiveGramsAboveThresholdRemove) {
  GopherRepetitionFilter f{GopherRepetitionOptions{}};
  std::string phrase = "quick brown foxes leap fences";
  std::string text = phrase + " near " + phrase + " after " + phrase +
                     " then sleep under old oak trees beside streams";
  StepResult r = Apply(f, text);
  EXPECT_FALSE(r.keep);
  // The 2-gram rule fires first with default thresholds.
  EXPECT_EQ(r.reason, "top_2_gram");
  GopherRepetitionOptions o = NoRepetitionRules();
  o.dup_n_grams = {{5, 0.15}};
  GopherRepetitionFilter g(o);
  EXPECT_EQ(Apply(g, text).reason, "duplicated_5_n_grams");
}

TEST(GopherRepetitionTest, ParagraphsAndLinesFromOneScanMatchTheTwoSplits) {
  // Newline runs of 1 to 3, spaces and other whitespace that strip()
  // removes, at both ends and across the 16-byte blocks of the scan.
  const char* kPieces[] = {"\n", "\n\n", "\n\n\n", " ", "\t", "a", "bc",
                           "\u00a0", "\u2028", "\r", "word word", "x\n y"};
  std::mt19937 rng(13);
  std::vector<gopher_internal::NewlineRun> runs;
  std::vector<std::string_view> got, want;
  for (int trial = 0; trial < 5000; ++trial) {
    std::string text;
    const int pieces = static_cast<int>(rng() % 25);
    for (int k = 0; k < pieces; ++k) text += kPieces[rng() % std::size(kPieces)];
    gopher_internal::FindNewlineRuns(text, &runs);
    // The runs themselves, against a byte-by-byte scan (the scan reads 16
    // bytes at a time, the last ones as the 16 ending at the text's end).
    std::vector<std::pair<size_t, size_t>> naive;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\n') continue;
      size_t end = i;
      while (end < text.size() && text[end] == '\n') ++end;
      naive.emplace_back(i, end);
      i = end - 1;
    }
    ASSERT_EQ(runs.size(), naive.size()) << text;
    for (size_t k = 0; k < runs.size(); ++k) {
      EXPECT_EQ(runs[k].begin, naive[k].first) << text;
      EXPECT_EQ(runs[k].end, naive[k].second) << text;
    }
    gopher_internal::ParagraphsFromRuns(text, runs, &got);
    gopher_internal::SplitAtNewlineRuns(pytext::Strip(text), 2, &want);
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k], want[k]) << text;
      EXPECT_EQ(got[k].data() - text.data(), want[k].data() - text.data()) << text;
    }
    gopher_internal::LinesFromRuns(text, runs, &got);
    gopher_internal::SplitAtNewlineRuns(text, 1, &want);
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t k = 0; k < got.size(); ++k) EXPECT_EQ(got[k], want[k]) << text;
  }
}

TEST(GopherRepetitionTest, WriteSignalsRecordsEveryRatio) {
  GopherRepetitionOptions o;
  o.write_signals = true;
  GopherRepetitionFilter f(o);
  Document doc;
  StepResult r = Apply(f, "red fox jumps and red fox runs while red fox naps", &doc);
  EXPECT_EQ(r.reason, "top_2_gram");
  ASSERT_EQ(doc.signals.size(), 1u);
  EXPECT_EQ(doc.signals[0].key, "gopher_repetition");
  for (const char* key : {"dup_para_frac", "dup_line_char_frac", "top_2_gram",
                          "top_4_gram", "duplicated_10_n_grams"})
    EXPECT_NE(doc.signals[0].raw.find(key), std::string::npos) << key;
}

// datatrove's find_top_duplicate(get_n_grams(words, n)) and
// find_all_duplicate(words, n), written as plainly as the Python.
size_t ReferenceTopNgramChars(const std::vector<std::string>& words, size_t n) {
  if (words.size() < n) return 0;
  std::map<std::string, size_t> count;
  std::vector<std::string> order;  // Counter's insertion order
  for (size_t i = 0; i + n <= words.size(); ++i) {
    std::string gram = words[i];
    for (size_t k = 1; k < n; ++k) gram += " " + words[i + k];
    if (count[gram]++ == 0) order.push_back(gram);
  }
  const std::string* best = &order[0];
  for (const std::string& g : order)
    if (count[g] > count[*best]) best = &g;
  return pytext::Length(*best) * count[*best];
}

size_t ReferenceRepeatedNgramChars(const std::vector<std::string>& words,
                                   size_t n) {
  std::set<std::string> unique;
  size_t repeated = 0;
  size_t idx = 0;
  while (idx + n <= words.size()) {
    std::string gram;
    for (size_t k = 0; k < n; ++k) gram += words[idx + k];
    if (unique.count(gram) != 0) {
      repeated += pytext::Length(gram);
      idx += n;
    } else {
      unique.insert(gram);
      ++idx;
    }
  }
  return repeated;
}

TEST(GopherRepetitionTest, NgramSignalsMatchTheReferenceOnRandomTexts) {
  // Short words (exact 1- and 2-gram keys, 5-grams under 8 bytes), long
  // words sharing prefixes of 8 to 64+ bytes, joins that collide without
  // spaces ("ab"+"c" and "a"+"bc"), non-ASCII words, and texts ending within
  // 8 bytes of a word start.
  const std::string a40(40, 'a');
  const std::string a70(70, 'a');
  const std::vector<std::string> vocab = {
      "a", "ab", "c", "bc", "abc", "of", "the", "I", ".", ",", "x", "--",
      "lantern", "lanterns", "internationalization", "internationalisation",
      "abcdefghij", "abcdefghik", a40 + "b", a40 + "c", a70 + "b", a70 + "c",
      "caf\u00e9", "na\u00efve", "\u65e5\u672c", "\u00e9\u00e9"};
  const char* kSeparators[] = {" ", " ", " ", "\n", "\n\n", "  "};
  std::mt19937 rng(29);
  GopherRepetitionOptions with;
  with.write_signals = true;
  GopherRepetitionFilter signals(with);
  GopherRepetitionFilter plain{GopherRepetitionOptions{}};
  for (int trial = 0; trial < 3000; ++trial) {
    // Small vocabularies repeat a lot; some texts use the whole list.
    const size_t vocab_size = 1 + rng() % vocab.size();
    const size_t offset = rng() % vocab.size();
    const size_t num_words = rng() % (trial % 10 == 0 ? 400 : 40);
    std::string text;
    for (size_t k = 0; k < num_words; ++k) {
      if (k > 0) text += kSeparators[rng() % std::size(kSeparators)];
      text += vocab[(offset + rng() % vocab_size) % vocab.size()];
    }
    std::vector<std::string> words;
    for (std::string_view w : TokenCache::ForThisThread().Words(text))
      words.emplace_back(w);
    const double len = static_cast<double>(pytext::Length(text));
    auto ratio = [&](size_t chars) {
      return len == 0 ? 0.0 : static_cast<double>(chars) / len;
    };
    JsonObjectBuilder want;
    for (const auto& [n, frac] : with.top_n_grams)
      want.Add("top_" + std::to_string(n) + "_gram",
               ratio(ReferenceTopNgramChars(words, n)));
    for (const auto& [n, frac] : with.dup_n_grams)
      want.Add("duplicated_" + std::to_string(n) + "_n_grams",
               ratio(ReferenceRepeatedNgramChars(words, n)));
    const std::string tail = "," + want.Finish().substr(1);

    Document doc;
    const StepResult r = Apply(signals, text, &doc);
    ASSERT_EQ(doc.signals.size(), 1u);
    const std::string& raw = doc.signals[0].raw;
    ASSERT_GE(raw.size(), tail.size()) << text;
    EXPECT_EQ(raw.substr(raw.size() - tail.size()), tail) << text;
    // Without signals the first failing rule is the same.
    const StepResult q = Apply(plain, text);
    EXPECT_EQ(q.keep, r.keep) << text;
    EXPECT_EQ(q.reason, r.reason) << text;
    // Only the duplicated n-gram rules, with thresholds around the ratios
    // (the rules passed by their bound without signals).
    GopherRepetitionOptions dup_only = NoRepetitionRules();
    for (int n = 5; n <= 10; ++n)
      dup_only.dup_n_grams.push_back({n, 0.01 * static_cast<int>(rng() % 60)});
    GopherRepetitionFilter dup_plain(dup_only);
    dup_only.write_signals = true;
    GopherRepetitionFilter dup_signals(dup_only);
    const StepResult a = Apply(dup_plain, text);
    const StepResult b = Apply(dup_signals, text);
    EXPECT_EQ(a.keep, b.keep) << text;
    EXPECT_EQ(a.reason, b.reason) << text;
    EXPECT_EQ(a.details, b.details) << text;
    // Top n-grams counted by hashing from n = 3 (then 5 by pairs, then 2
    // by hashing again).
    GopherRepetitionOptions top_order = NoRepetitionRules();
    top_order.top_n_grams = {{3, 1e9}, {5, 1e9}, {2, 1e9}};
    top_order.write_signals = true;
    GopherRepetitionFilter top_filter(top_order);
    JsonObjectBuilder want_top;
    for (const auto& [n, frac] : top_order.top_n_grams)
      want_top.Add("top_" + std::to_string(n) + "_gram",
                   ratio(ReferenceTopNgramChars(words, n)));
    const std::string top_tail = "," + want_top.Finish().substr(1);
    Document top_doc;
    Apply(top_filter, text, &top_doc);
    ASSERT_EQ(top_doc.signals.size(), 1u);
    const std::string& top_raw = top_doc.signals[0].raw;
    ASSERT_GE(top_raw.size(), top_tail.size()) << text;
    EXPECT_EQ(top_raw.substr(top_raw.size() - top_tail.size()), top_tail) << text;
  }
}

// ----------------------------------------------------------- gopher_quality

TEST(GopherQualityTest, KeepsOrdinaryProse) {
  GopherQualityFilter f{GopherQualityOptions{}};
  EXPECT_TRUE(Apply(f, Words(60)).keep);
}

TEST(GopherQualityTest, ShortDocBoundaryIsFiftyNonSymbolWords) {
  GopherQualityFilter f{GopherQualityOptions{}};
  StepResult r = Apply(f, Words(49) + " # % &");
  EXPECT_FALSE(r.keep);
  EXPECT_EQ(r.reason, "gopher_short_doc");
  EXPECT_EQ(r.details, "{\"value\":49,\"threshold\":50}");
  EXPECT_TRUE(Apply(f, Words(50)).keep);
}

TEST(GopherQualityTest, LongDocAboveMaximumRemoves) {
  GopherQualityOptions o;
  o.max_doc_words = 60;
  GopherQualityFilter f(o);
  EXPECT_EQ(Apply(f, Words(61)).reason, "gopher_long_doc");
  EXPECT_TRUE(Apply(f, Words(60)).keep);
}

TEST(GopherQualityTest, AverageWordLengthOutsideRangeRemoves) {
  GopherQualityFilter f{GopherQualityOptions{}};
  std::string shortw = "the of";
  for (int i = 0; i < 60; ++i) shortw += " ox";
  EXPECT_EQ(Apply(f, shortw).reason, "gopher_below_avg_threshold");
  std::string longw = "the of";
  for (int i = 0; i < 60; ++i) longw += " extraordinarily";
  EXPECT_EQ(Apply(f, longw).reason, "gopher_above_avg_threshold");
}

TEST(GopherQualityTest, HashRatioAboveTenthRemoves) {
  GopherQualityFilter f{GopherQualityOptions{}};
  // 6 of 56 words: 0.107 > 0.1.
  EXPECT_EQ(Apply(f, Words(50) + " # # # # # #").reason, "gopher_too_many_hashes");
  // 5 of 55: 0.0909.
  EXPECT_TRUE(Apply(f, Words(50) + " # # # # #").keep);
}

TEST(GopherQualityTest, EllipsisRatioAboveTenthRemoves) {
  GopherQualityFilter f{GopherQualityOptions{}};
  EXPECT_EQ(Apply(f, Words(50) + " \u2026 \u2026 \u2026 \u2026 \u2026 \u2026").reason,
            "gopher_too_many_ellipsis");
}

TEST(GopherQualityTest, MostlyBulletLinesRemove) {
  GopherQualityFilter f{GopherQualityOptions{}};
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back("  - " + Words(8));
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "gopher_too_many_bullets");
  lines[0] = Words(8);  // 9 of 10 = 0.9: kept
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);
}

TEST(GopherQualityTest, LinesEndingWithEllipsisAboveThirtyPercentRemove) {
  GopherQualityOptions o;
  o.max_symbol_word_ratio = 0;  // isolate the line rule
  GopherQualityFilter f(o);
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back(Words(8) + (i < 4 ? " ... " : ""));
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "gopher_too_many_end_ellipsis");
  lines[3] = Words(8);  // 3 of 10 = 0.3: kept
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);
}

TEST(GopherQualityTest, FewAlphabeticWordsRemove) {
  GopherQualityFilter f{GopherQualityOptions{}};
  std::string numbers;
  for (int i = 0; i < 13; ++i) numbers += " 1234";
  // 50 of 63 words alphabetic: 0.794 < 0.8.
  EXPECT_EQ(Apply(f, Words(50) + numbers).reason, "gopher_below_alpha_threshold");
  // 50 of 62: 0.806.
  EXPECT_TRUE(Apply(f, Words(50) + numbers.substr(5)).keep);
}

TEST(GopherQualityTest, FewerThanTwoDistinctStopWordsRemove) {
  GopherQualityFilter f{GopherQualityOptions{}};
  std::string text = "the";
  for (int i = 0; i < 60; ++i) text += " garden The";
  StepResult r = Apply(f, text);
  EXPECT_EQ(r.reason, "gopher_enough_stop_words");
  EXPECT_TRUE(Apply(f, text + " with").keep);
}

TEST(GopherQualityTest, WriteSignalsRecordsValuesEvenWhenRemoved) {
  GopherQualityOptions o;
  o.write_signals = true;
  GopherQualityFilter f(o);
  Document doc;
  EXPECT_EQ(Apply(f, Words(10), &doc).reason, "gopher_short_doc");
  ASSERT_EQ(doc.signals.size(), 1u);
  EXPECT_EQ(doc.signals[0].key, "gopher_quality");
  EXPECT_NE(doc.signals[0].raw.find("\"n_non_symbol_words\":10"), std::string::npos)
      << doc.signals[0].raw;
  EXPECT_NE(doc.signals[0].raw.find("\"stop_words\":2"), std::string::npos);
}

// --------------------------------------------------------------- c4_quality

const std::vector<std::string> kSentences = {
    "The river runs past the old mill every spring.",
    "Farmers bring their grain to the market on Tuesdays.",
    "A small bridge crosses the water near the church.",
    "Children play in the meadow until the evening bell.",
    "The baker opens his shop before the sun rises.",
    "Visitors often stop to photograph the stone tower."};

std::vector<std::string> FirstSentences(size_t n) {
  return std::vector<std::string>(kSentences.begin(), kSentences.begin() + n);
}

TEST(C4QualityTest, KeepsFiveSentencesAndRewritesTheText) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(5);
  lines.insert(lines.begin() + 1, "Home | News | Contact");
  lines.insert(lines.begin(), "   ");
  Document doc;
  StepResult r = Apply(f, Join(lines, "\n") + "\n", &doc);
  EXPECT_TRUE(r.keep) << r.reason;
  EXPECT_EQ(doc.text, Join(FirstSentences(5), "\n"));
}

TEST(C4QualityTest, FourSentencesAreTooFew) {
  C4QualityFilter f{C4QualityOptions{}};
  Document doc;
  const std::string text = Join(FirstSentences(4), "\n");
  StepResult r = Apply(f, text, &doc);
  EXPECT_EQ(r.reason, "too_few_sentences");
  EXPECT_EQ(r.details, "{\"value\":4,\"threshold\":5}");
  EXPECT_EQ(doc.text, text);  // unchanged when removed
}

TEST(C4QualityTest, SentencesWithinOneLineCountSeparately) {
  C4QualityFilter f{C4QualityOptions{}};
  EXPECT_TRUE(Apply(f, Join(FirstSentences(3), " ") + "\n" +
                         Join({kSentences[3], kSentences[4]}, " "))
                  .keep);
}

TEST(C4QualityTest, LinesWithoutTerminalPunctuationOrEndingInEllipsisDrop) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(4);
  lines.push_back("Read more about the mill and its history...");
  lines.push_back("Photos of the tower at dusk");
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "too_few_sentences");
  lines.push_back("\"The tower is older than the town,\" she said.'");
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);

  C4QualityOptions o;
  o.filter_no_terminal_punct = false;
  C4QualityFilter g(o);
  Document doc;
  EXPECT_TRUE(Apply(g, Join(FirstSentences(4), "\n") + "\nPhotos of the tower at dusk",
                  &doc)
                  .keep);
  EXPECT_NE(doc.text.find("Photos of the tower"), std::string::npos);
}

TEST(C4QualityTest, CitationsAreRemovedBeforeThePunctuationTest) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(4);
  lines.push_back("The mill was rebuilt twice[12] after floods.[edit]");
  Document doc;
  ASSERT_TRUE(Apply(f, Join(lines, "\n"), &doc).keep);
  EXPECT_NE(doc.text.find("rebuilt twice after floods."), std::string::npos)
      << doc.text;
  EXPECT_EQ(doc.text.find('['), std::string::npos);
}

TEST(C4QualityTest, ShortLinesAndLongWordsAreDropped) {
  C4QualityFilter f{C4QualityOptions{}};
  Document doc;
  std::vector<std::string> lines = FirstSentences(5);
  lines.push_back("Too short.");
  lines.push_back("This " + std::string(1001, 'w') + " is long.");
  lines.push_back("This " + std::string(1000, 'v') + " is fine.");
  ASSERT_TRUE(Apply(f, Join(lines, "\n"), &doc).keep);
  EXPECT_EQ(doc.text.find("Too short."), std::string::npos);
  EXPECT_EQ(doc.text.find("www"), std::string::npos);
  EXPECT_NE(doc.text.find("vvv"), std::string::npos);
}

TEST(C4QualityTest, JavascriptAndPolicyLinesAreDropped) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(4);
  lines.push_back("Please enable JavaScript to see the map.");
  lines.push_back("This site uses cookies to improve your visit.");
  lines.push_back("Read our Privacy Policy for more details.");
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "too_few_sentences");
}

TEST(C4QualityTest, LoremIpsumRemovesTheDocument) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(6);
  lines.push_back("Lorem Ipsum dolor sit amet, consectetur.");
  StepResult r = Apply(f, Join(lines, "\n"));
  EXPECT_EQ(r.reason, "lorem_ipsum");
  EXPECT_EQ(r.details, "{\"line\":6}");
}

TEST(C4QualityTest, CurlyBracketRemovesOnlyWhenItsLineSurvives) {
  C4QualityFilter f{C4QualityOptions{}};
  std::vector<std::string> lines = FirstSentences(5);
  lines.push_back("var config = {");  // dropped: no terminal punctuation
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);
  lines.push_back("The template uses {name} as a placeholder.");
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "curly_bracket");
}

TEST(C4QualityTest, CountersUseDatatroveStatNames) {
  C4QualityFilter f{C4QualityOptions{}};
  Counters counters;
  Document doc;
  doc.text = Join(FirstSentences(5), "\n") + "\nno punctuation here";
  ASSERT_TRUE(f.Process(&doc, &counters).keep);
  bool saw_total = false;
  for (const auto& [k, v] : counters.items()) {
    if (k == "line-total") {
      saw_total = true;
      EXPECT_EQ(v, 6);
    }
    if (k == "line-filter-no_terminal_punc") {
      EXPECT_EQ(v, 1);
    }
  }
  EXPECT_TRUE(saw_total);
}

// ---------------------------------------------------------- fineweb_quality

// Distinct sentences for i < 12.
std::string Sentence(int i) {
  const size_t n = kSentences.size();
  return (static_cast<size_t>(i) < n ? "" : "Again, ") +
         kSentences[static_cast<size_t>(i) % n];
}

TEST(FineWebQualityTest, KeepsProseAndRemovesBlankText) {
  FineWebQualityFilter f{FineWebQualityOptions{}};
  EXPECT_TRUE(Apply(f, Join(FirstSentences(6), " ")).keep);
  EXPECT_EQ(Apply(f, " \n\t\n").reason, "empty");
}

TEST(FineWebQualityTest, FewLinesEndingInPunctuationRemove) {
  FineWebQualityFilter f{FineWebQualityOptions{}};
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) {
    std::string s = Sentence(i);
    if (i > 0) s.pop_back();  // drop the period
    lines.push_back(s);
  }
  StepResult r = Apply(f, Join(lines, "\n"));  // 1 of 10 = 0.1 < 0.12
  EXPECT_EQ(r.reason, "line_punct_ratio");
  EXPECT_EQ(r.details, "{\"value\":0.1,\"threshold\":0.12}");
  lines[1] += "\u3002";  // another script's full stop counts: 0.2
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);
  lines[1] = Sentence(1) + " ";  // trailing space: the line does not count
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "line_punct_ratio");
}

TEST(FineWebQualityTest, ZeroPunctuationRatioCanBeExcluded) {
  FineWebQualityOptions o;
  o.line_punct_exclude_zero = true;
  FineWebQualityFilter f(o);
  std::string s = Sentence(0);
  s.pop_back();
  EXPECT_TRUE(Apply(f, s).keep);
  FineWebQualityFilter g{FineWebQualityOptions{}};
  EXPECT_EQ(Apply(g, s).reason, "line_punct_ratio");
}

TEST(FineWebQualityTest, MostlyShortLinesRemove) {
  FineWebQualityFilter f{FineWebQualityOptions{}};
  // 7 short lines (30 code points or fewer) of 10: 0.7 > 0.67.
  std::vector<std::string> lines;
  for (int i = 0; i < 7; ++i) lines.push_back("Short line number " + std::to_string(i) + ".");
  for (int i = 0; i < 3; ++i) lines.push_back(Sentence(i));
  EXPECT_EQ(Apply(f, Join(lines, "\n")).reason, "short_line_ratio");
  lines[0] = std::string(26, 'a') + " \u00e9\u00e9\u00e9.";  // 31 code points
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);  // 6 of 10
}

TEST(FineWebQualityTest, DuplicatedLineCharactersRemove) {
  FineWebQualityFilter f{FineWebQualityOptions{}};
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i) lines.push_back(Sentence(i));
  lines.push_back(Sentence(0));
  StepResult r = Apply(f, Join(lines, "\n"));
  EXPECT_EQ(r.reason, "char_dup_ratio");
}

TEST(FineWebQualityTest, ListLikeTextRemoves) {
  FineWebQualityFilter f{FineWebQualityOptions{}};
  // Each line is two words and a period: 3 tokens per newline.
  std::vector<std::string> lines;
  const char* kWords[] = {"Apples", "Pears", "Plums", "Figs", "Dates", "Limes",
                          "Kiwis", "Grapes", "Melons", "Cherries", "Peaches"};
  for (int i = 0; i < 10; ++i) {
    lines.push_back(std::string(kWords[i]) + " and " + kWords[i + 1] +
                    " are sold in this market today.");
  }
  EXPECT_TRUE(Apply(f, Join(lines, "\n")).keep);
  std::vector<std::string> list;
  for (int i = 0; i < 10; ++i)
    list.push_back("Item " + std::string(kWords[i]) + " here today and there!");
  std::string text = Join(list, "\n\n\n\n");
  StepResult r = Apply(f, text);
  EXPECT_EQ(r.reason, "list_ratio") << r.details;
}

// -------------------------------------------------------------- token cache

TEST(TokenCacheTest, CascadeTokenizesEachTextOnce) {
  GopherRepetitionFilter rep{GopherRepetitionOptions{}};
  GopherQualityFilter qual{GopherQualityOptions{}};
  FineWebQualityFilter fw{FineWebQualityOptions{}};
  TokenCache& cache = TokenCache::ForThisThread();
  Document doc;
  doc.text = Join(FirstSentences(6), "\n") + " A fresh text for the cache.";
  const int64_t misses = cache.misses();
  rep.Process(&doc, nullptr);
  qual.Process(&doc, nullptr);
  fw.Process(&doc, nullptr);
  EXPECT_EQ(cache.misses(), misses + 1);
  doc.text += " Changed.";
  qual.Process(&doc, nullptr);
  EXPECT_EQ(cache.misses(), misses + 2);
}

TEST(TokenCacheTest, WordsAreAsciiFollowsTheLastTokenizedText) {
  TokenCache& cache = TokenCache::ForThisThread();
  cache.Words("plain words only");
  EXPECT_TRUE(cache.WordsAreAscii());
  EXPECT_TRUE(cache.WordsAreAscii());
  cache.Words("caf\u00e9 words");
  EXPECT_FALSE(cache.WordsAreAscii());
  cache.Words("caf\u00e9 words");  // a hit keeps the answer
  EXPECT_FALSE(cache.WordsAreAscii());
  // A no-break space is whitespace: no word keeps it.
  cache.Words("two\u00a0words");
  EXPECT_TRUE(cache.WordsAreAscii());
  cache.Words("back to ascii");
  EXPECT_TRUE(cache.WordsAreAscii());
}

TEST(TokenCacheTest, LinesAreSplitOncePerTextAndFollowChanges) {
  TokenCache& cache = TokenCache::ForThisThread();
  std::string text = "first line\nsecond line\r\nthird";
  const std::vector<std::string_view>& lines = cache.Lines(text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], "third");
  EXPECT_EQ(lines[0].data(), text.data());
  text[0] = 'F';
  text += "\nfourth";
  const std::vector<std::string_view>& changed = cache.Lines(text);
  ASSERT_EQ(changed.size(), 4u);
  EXPECT_EQ(changed[0], "First line");
  EXPECT_EQ(changed[3], "fourth");
  const std::string copy = text;
  const std::vector<std::string_view>& moved = cache.Lines(copy);
  ASSERT_EQ(moved.size(), 4u);
  EXPECT_EQ(moved[0].data(), copy.data());
}

// ------------------------------------------------------------ string set

TEST(StringSetTest, FindsDuplicatesAmongStringsSharingLengthAndEnds) {
  // Equal length, first and last 8 bytes: the cheap hash cannot tell these
  // apart, so the set must fall back to comparing all bytes.
  std::vector<std::string> owned;
  for (int i = 0; i < 500; ++i) {
    owned.push_back("same-start/" + std::to_string(1000 + i) + "/same-end");
  }
  for (int i = 0; i < 500; i += 7) owned.push_back(owned[i]);
  owned.push_back("");
  owned.push_back("");
  owned.push_back("short");
  owned.push_back("short");
  std::vector<std::string_view> items(owned.begin(), owned.end());
  StringSet set;
  const DuplicateCounts counts = FindDuplicates(items, &set);
  EXPECT_EQ(counts.elements, 72u + 1u + 1u);
  EXPECT_EQ(counts.chars, 72u * owned[0].size() + 0u + 5u);
  // The set is reusable and starts with the cheap hash again.
  const DuplicateCounts again = FindDuplicates(items, &set);
  EXPECT_EQ(again.elements, counts.elements);
  EXPECT_EQ(again.chars, counts.chars);
}

// ------------------------------------ repetition signals vs. naive reference

double SignalValue(const std::string& json, const std::string& key) {
  const std::string pattern = "\"" + key + "\":";
  size_t pos = json.find(pattern);
  if (pos == std::string::npos) return -1;
  return std::strtod(json.c_str() + pos + pattern.size(), nullptr);
}

// Gopher repetition options that remove nothing and write the n-gram
// signals that ExpectNgramSignalsMatchNaive compares.
GopherRepetitionOptions NgramSignalsOnly() {
  GopherRepetitionOptions o;
  o.dup_line_frac = o.dup_para_frac = o.dup_line_char_frac =
      o.dup_para_char_frac = 0;
  o.top_n_grams = {{1, 1e9}, {2, 1e9}, {3, 1e9}, {4, 1e9}};
  o.dup_n_grams = {{1, 1e9}, {2, 1e9}, {3, 1e9}, {5, 1e9}, {8, 1e9}};
  o.write_signals = true;
  return o;
}

// Runs `f` (write_signals, every threshold off) on `text` and compares its
// top and duplicated n-gram signals with the naive computation over the
// same tokens.
void ExpectNgramSignalsMatchNaive(GopherRepetitionFilter* f,
                                  const std::string& text) {
  Document doc;
  doc.text = text;
  ASSERT_TRUE(f->Process(&doc, nullptr).keep);
  ASSERT_EQ(doc.signals.size(), 1u);
  const std::string& sig = doc.signals[0].raw;
  const TokenList& tl = TokenCache::ForThisThread().Words(text);
  std::vector<std::string> w;
  for (size_t i = 0; i < tl.size(); ++i) w.emplace_back(tl[i]);
  const double len = static_cast<double>(pytext::Length(text));
  for (size_t n : {1, 2, 3, 4}) {
    if (w.size() < n) continue;
    EXPECT_EQ(SignalValue(sig, "top_" + std::to_string(n) + "_gram"),
              static_cast<double>(ReferenceTopNgramChars(w, n)) / len)
        << "n=" << n << " text=" << text;
  }
  for (size_t n : {1, 2, 3, 5, 8}) {
    EXPECT_EQ(SignalValue(sig, "duplicated_" + std::to_string(n) + "_n_grams"),
              static_cast<double>(ReferenceRepeatedNgramChars(w, n)) / len)
        << "n=" << n << " text=" << text;
  }
}

TEST(GopherRepetitionTest, NgramSignalsMatchNaiveComputationOnRandomTexts) {
  // Short tokens that are prefixes of each other make different word
  // windows with equal concatenations ("ab"+"c" == "a"+"bc").
  const char* kTokens[] = {"a", "ab", "b", "bc", "c", "abc", "ca", "\u00e9",
                           "a\u00e9", "long", "longer", "x"};
  GopherRepetitionFilter f(NgramSignalsOnly());
  std::mt19937 rng(7);
  for (int trial = 0; trial < 400; ++trial) {
    std::string text;
    const int n_words = static_cast<int>(rng() % 60);
    const int vocab = 2 + static_cast<int>(rng() % 11);
    for (int i = 0; i < n_words; ++i) {
      if (i > 0) text += (rng() % 9 == 0) ? "\n" : " ";
      text += kTokens[rng() % vocab];
    }
    if (text.empty()) continue;
    ExpectNgramSignalsMatchNaive(&f, text);
  }
}

TEST(GopherRepetitionTest, NgramSignalsMatchNaiveComputationWithLongSharedPrefixes) {
  // Long tokens that share prefixes of 8 to 70 bytes reach every prefix
  // level that decides which windows can repeat (8, 16, 32 and 64 bytes),
  // with windows ending just before and after each level's length.
  const std::string base =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      "abcdefghijklmnopqrstuvwxyz";
  std::vector<std::string> vocab;
  for (size_t len : {7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70})
    vocab.push_back(base.substr(0, len));
  vocab.push_back(base.substr(0, 20) + "X");
  vocab.push_back(base.substr(0, 40) + "Y");
  vocab.push_back("a");
  vocab.push_back("bc");
  vocab.push_back("\u00e9t\u00e9");
  GopherRepetitionFilter f(NgramSignalsOnly());
  std::mt19937 rng(11);
  for (int trial = 0; trial < 400; ++trial) {
    std::string text;
    const int n_words = static_cast<int>(rng() % 50);
    const size_t vocab_size = 2 + rng() % (vocab.size() - 1);
    for (int i = 0; i < n_words; ++i) {
      if (i > 0) text += " ";
      text += vocab[rng() % vocab_size];
      if (rng() % 5 == 0) text += vocab[rng() % vocab_size];  // glued
    }
    if (text.empty()) continue;
    ExpectNgramSignalsMatchNaive(&f, text);
  }
}

// ------------------------------ gopher_quality: ASCII fast path vs. general

TEST(GopherQualityTest, AsciiWordCountsMatchTheGeneralPathOnRandomTexts) {
  // Letters, digits, punctuation and control bytes (not whitespace, which
  // words never contain) in words of 1 to 30 bytes, stop words and words
  // that differ from one by a byte or a length.
  const char* kPieces[] = {"the", "The", "th", "thee", "be", "to", "of",
                           "and", "that", "have", "with", "withs", "a",
                           "7", "-", "...", "#", "\x01", "\x7f", "_", "'s",
                           "n't", "x1", "abcdefgh", "abcdefghi", "(", "Q"};
  GopherQualityOptions o;
  GopherQualityFilter f(o);
  ASSERT_TRUE(f.has_stop_hash());
  std::mt19937 rng(3);
  TokenList words;
  for (int trial = 0; trial < 3000; ++trial) {
    words.Clear();
    const int n_words = static_cast<int>(rng() % 40);
    for (int i = 0; i < n_words; ++i) {
      std::string w;
      const int parts = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < parts; ++k) w += kPieces[rng() % std::size(kPieces)];
      words.Add(w);
    }
    const auto fast = f.CountAsciiWords(words);
    const auto general = f.CountWords(words);
    EXPECT_EQ(fast.non_symbol, general.non_symbol) << trial;
    EXPECT_EQ(fast.non_symbol_chars, general.non_symbol_chars) << trial;
    EXPECT_EQ(fast.alpha, general.alpha) << trial;
    EXPECT_EQ(fast.stop, general.stop) << trial;
    // Looking stop words up only until `enough` are found: the other counts
    // stay, the stop count is exact below `enough` and at least it above.
    for (size_t enough = 0; enough <= 3; ++enough) {
      const auto bounded = f.CountAsciiWords(words, enough);
      EXPECT_EQ(bounded.non_symbol, general.non_symbol) << trial;
      EXPECT_EQ(bounded.non_symbol_chars, general.non_symbol_chars) << trial;
      EXPECT_EQ(bounded.alpha, general.alpha) << trial;
      if (general.stop < enough) {
        EXPECT_EQ(bounded.stop, general.stop) << trial << " " << enough;
      } else {
        EXPECT_GE(bounded.stop, enough) << trial;
        EXPECT_LE(bounded.stop, general.stop) << trial;
      }
    }
  }
  // Every ASCII byte but whitespace (which words never contain) alone and
  // inside a word (at byte 8 of 9, 15 of 16, 16 of 17 and 17 of 24), at the
  // end of the arena and 16 bytes before it.
  for (int c = 1; c < 128; ++c) {
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
      continue;
    const std::string b(1, static_cast<char>(c));
    for (const std::string& w :
         {b, "--" + b + "--------", std::string(9, '.') + b,
          std::string(15, '.') + b, std::string(16, '-') + b,
          std::string(17, '.') + b + std::string(6, '.')}) {
      for (bool tail : {false, true}) {
        words.Clear();
        words.Add("of");
        words.Add(w);
        if (tail) words.Add(std::string(16, '#'));
        EXPECT_EQ(f.CountAsciiWords(words), f.CountWords(words))
            << c << " " << w.size() << " " << tail;
      }
    }
  }
}

// ------------------------- c4_quality: phrase anchors in one pass vs. five

TEST(C4QualityTest, OnePassPhraseTestMatchesOnePassPerPhrase) {
  // Anchors in both cases, pieces sharing their first and last letters,
  // multi-byte characters and the Kelvin sign, at every distance from the
  // end of texts of 0 to ~120 bytes (the one-pass scan stops 29 bytes
  // before the end).
  const char* kPieces[] = {"lorem ipsum", "LOREM IPSUM", "lorem  ipsum",
                           "javascript", "JavaScript", "javascrip",
                           "terms of use", "terms of us", "privacy policy",
                           "Privacy Policy", "privacypolicy", "cookie",
                           "COOKIE", "cookee", "cooki", "l", "m", "j", "t",
                           "e", "p", "y", "c", " ", "x", "\n", "\xC3\xA9",
                           "\xE2\x84\xAA", "\xE2\x84", "lorem", "ipsum"};
  std::mt19937 rng(5);
  int positives = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const int target = static_cast<int>(rng() % 120);
    // Mostly filler, so that one anchor (or none) lands anywhere.
    while (static_cast<int>(text.size()) < target) {
      if (rng() % 8 == 0)
        text += kPieces[rng() % std::size(kPieces)];
      else
        text += static_cast<char>('a' + rng() % 26);
    }
    const bool expected = c4_internal::MayContainPhraseByAnchor(text);
    positives += expected;
    EXPECT_EQ(c4_internal::MayContainPhrase(text), expected) << text;
  }
  EXPECT_GT(positives, 1000);
  EXPECT_LT(positives, 19000);
  // Each anchor alone at every offset of a 64-byte filler.
  for (const char* a : {"lorem ipsum", "javascript", "terms of use",
                        "privacy policy", "cookie", "\xE2\x84\xAA"}) {
    for (size_t at = 0; at <= 64; ++at) {
      for (size_t after : {0, 1, 13, 14, 15, 16, 30}) {
        std::string text(at, 'q');
        text += a;
        text += std::string(after, 'q');
        EXPECT_TRUE(c4_internal::MayContainPhrase(text)) << text;
        text[at] = 'Q';  // breaks the anchor (not the Kelvin sign)
        EXPECT_EQ(c4_internal::MayContainPhrase(text),
                  c4_internal::MayContainPhraseByAnchor(text))
            << text;
      }
    }
  }
}

TEST(GopherQualityTest, CustomStopWordsGetAPerfectHashOrTheGeneralPath) {
  GopherQualityOptions o;
  o.stop_words = {"a", "an", "abcdefgh", "zz", "the"};
  EXPECT_TRUE(GopherQualityFilter(o).has_stop_hash());
  o.stop_words = {"the", "abcdefghi"};  // 9 bytes: no perfect hash
  EXPECT_FALSE(GopherQualityFilter(o).has_stop_hash());
  // Both give the same verdicts and signals.
  std::mt19937 rng(5);
  const char* kVocab[] = {"the", "abcdefghi", "abcdefgh", "a", "an", "zz",
                          "dog", "ran", "far", "away"};
  for (auto stops : {std::vector<std::string>{"a", "an", "abcdefgh", "zz"},
                     std::vector<std::string>{"the", "abcdefghi"}}) {
    o.stop_words = stops;
    o.write_signals = true;
    GopherQualityFilter f(o);
    for (int trial = 0; trial < 50; ++trial) {
      std::string text;
      for (int i = 0; i < 60; ++i) text += std::string(kVocab[rng() % 10]) + " ";
      const TokenList& tl = TokenCache::ForThisThread().Words(text);
      if (f.has_stop_hash()) {
        EXPECT_EQ(f.CountAsciiWords(tl), f.CountWords(tl));
      }
      Document doc;
      doc.text = text;
      f.Process(&doc, nullptr);
      ASSERT_EQ(doc.signals.size(), 1u);
      std::set<std::string> present;
      for (size_t i = 0; i < tl.size(); ++i) {
        for (const auto& s : stops)
          if (tl[i] == s) present.insert(s);
      }
      EXPECT_EQ(SignalValue(doc.signals[0].raw, "stop_words"),
                static_cast<double>(present.size()));
    }
  }
}

}  // namespace
}  // namespace winnow
