#include "gen/prose.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gen/lexicon.h"
#include "gen/rng.h"

namespace winnow::gen {
namespace {

int CountWords(std::string_view s) {
  int words = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

TEST(Rng, IsReproducibleAndSeedDependent) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
  Rng r(1);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(r.Below(7), 7u);
    int v = r.Range(3, 5);
    EXPECT_GE(v, 3);
    EXPECT_LE(v, 5);
    double u = r.Uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(Lexicon, ZipfTableFavoursEarlyRanks) {
  ZipfTable table(100, 1.0, 2.0);
  Rng rng(3);
  std::vector<int> counts(100);
  for (int i = 0; i < 100000; ++i) {
    uint32_t k = table.Sample(rng);
    ASSERT_LT(k, 100u);
    ++counts[k];
  }
  EXPECT_GT(counts[0], 2 * counts[5]);
  EXPECT_GT(counts[5], counts[50]);
  EXPECT_GT(counts[99], 0);
}

TEST(Lexicon, InflectsRegularAndIrregularForms) {
  const Lexicon& lex = Lexicon::Get();
  auto find_noun = [&](const std::string& s) -> const Noun* {
    for (const Noun& n : lex.nouns)
      if (n.singular == s) return &n;
    for (const Topic& t : lex.topics)
      for (const Noun& n : t.nouns)
        if (n.singular == s) return &n;
    return nullptr;
  };
  ASSERT_NE(find_noun("city"), nullptr);
  EXPECT_EQ(find_noun("city")->plural, "cities");
  EXPECT_EQ(find_noun("child")->plural, "children");
  EXPECT_EQ(find_noun("tax")->plural, "taxes");
  EXPECT_EQ(find_noun("police officer")->plural, "police officers");
  auto find_verb = [&](const std::string& s) -> const Verb* {
    for (const Verb& v : lex.verbs)
      if (v.base == s) return &v;
    return nullptr;
  };
  ASSERT_NE(find_verb("build"), nullptr);
  EXPECT_EQ(find_verb("build")->past, "built");
  EXPECT_EQ(find_verb("approve")->past, "approved");
  EXPECT_EQ(find_verb("approve")->third, "approves");
  EXPECT_EQ(find_verb("take")->participle, "taken");
  EXPECT_GE(lex.topics.size(), 8u);
  size_t words = lex.nouns.size() + lex.verbs.size() + lex.adjectives.size() +
                 lex.adverbs.size();
  for (const Topic& t : lex.topics)
    words += t.nouns.size() + t.verbs.size() + t.adjectives.size();
  EXPECT_GT(words, 500u);
}

TEST(Lexicon, ChoosesIndefiniteArticle) {
  EXPECT_EQ(IndefiniteArticle("apple"), "an");
  EXPECT_EQ(IndefiniteArticle("bridge"), "a");
  EXPECT_EQ(IndefiniteArticle("university"), "a");
  EXPECT_EQ(IndefiniteArticle("hour"), "an");
}

TEST(Prose, FormatsThousands) {
  std::string s;
  AppendThousands(2300, &s);
  EXPECT_EQ(s, "2,300");
  s.clear();
  AppendThousands(999, &s);
  EXPECT_EQ(s, "999");
  s.clear();
  AppendThousands(1234567, &s);
  EXPECT_EQ(s, "1,234,567");
}

TEST(Prose, NamesAreCapitalizedAsciiWords) {
  Rng rng(5);
  for (int i = 0; i < 200; ++i) {
    std::string name = MakeName(rng, 1 + i % 3);
    ASSERT_GE(name.size(), 3u);
    EXPECT_TRUE(name[0] >= 'A' && name[0] <= 'Z') << name;
    for (size_t j = 1; j < name.size(); ++j)
      EXPECT_TRUE(name[j] >= 'a' && name[j] <= 'z') << name;
  }
}

TEST(Prose, SentencesAndParagraphsHaveNewsLengths) {
  Rng rng(11);
  Article a;
  int sentences = 0;
  for (int doc = 0; doc < 300; ++doc) {
    WriteArticle(rng, ArticleOptions(), &a);
    ASSERT_GE(a.num_blocks, 3u);
    EXPECT_FALSE(a.headline.empty());
    EXPECT_TRUE(a.headline[0] >= 'A' && a.headline[0] <= 'Z') << a.headline;
    EXPECT_FALSE(a.blocks[a.num_blocks - 1].subhead);
    for (size_t b = 0; b < a.num_blocks; ++b) {
      const Block& blk = a.blocks[b];
      ASSERT_FALSE(blk.text.empty());
      EXPECT_EQ(blk.text.find('\n'), std::string::npos);
      if (blk.subhead) {
        EXPECT_LE(CountWords(blk.text), 8) << blk.text;
        EXPECT_TRUE(blk.sentence_ends.empty());
        continue;
      }
      ASSERT_GE(blk.sentence_ends.size(), 2u) << blk.text;
      ASSERT_LE(blk.sentence_ends.size(), 6u) << blk.text;
      EXPECT_EQ(blk.sentence_ends.back(), blk.text.size());
      uint32_t start = 0;
      for (uint32_t end : blk.sentence_ends) {
        std::string_view s(blk.text.data() + start, end - start);
        char last = s.back();
        EXPECT_TRUE(last == '.' || last == '?' || last == '!') << s;
        int words = CountWords(s);
        EXPECT_GE(words, 8) << s;
        EXPECT_LE(words, 30) << s;
        ++sentences;
        start = end;
      }
      EXPECT_EQ(blk.words, CountWords(blk.text)) << blk.text;
    }
  }
  EXPECT_GT(sentences, 3000);
}

TEST(Prose, NaturalArticlesVaryInLength) {
  Rng rng(2);
  Article a;
  size_t shortest = SIZE_MAX, longest = 0;
  for (int doc = 0; doc < 300; ++doc) {
    WriteArticle(rng, ArticleOptions(), &a);
    std::string text;
    a.AppendText(&text);
    shortest = std::min(shortest, text.size());
    longest = std::max(longest, text.size());
  }
  EXPECT_LT(shortest, 1500u);
  EXPECT_GT(longest, 4000u);
}

TEST(Prose, ForcedSpecialsAllAppear) {
  Rng rng(9);
  Article a;
  ArticleOptions options;
  options.force_specials = true;
  for (int doc = 0; doc < 50; ++doc) {
    WriteArticle(rng, options, &a);
    std::string text;
    a.AppendText(&text);
    EXPECT_NE(text.find("U.S."), std::string::npos) << text;
    EXPECT_NE(text.find("e.g."), std::string::npos);
    EXPECT_NE(text.find("very, very"), std::string::npos);
    EXPECT_NE(text.find(" & "), std::string::npos);
    EXPECT_NE(text.find("“"), std::string::npos);
    int subheads = 0;
    for (size_t b = 0; b < a.num_blocks; ++b) subheads += a.blocks[b].subhead;
    EXPECT_GE(subheads, 2);
  }
}

TEST(Prose, StandaloneSentenceEndsWithPunctuation) {
  Rng rng(4);
  for (int i = 0; i < 200; ++i) {
    std::string s;
    AppendSentence(rng, &s);
    int words = CountWords(s);
    EXPECT_GE(words, 8);
    EXPECT_LE(words, 30);
    EXPECT_TRUE(s.back() == '.' || s.back() == '?') << s;
  }
}

}  // namespace
}  // namespace winnow::gen
