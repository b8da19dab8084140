#include "tokenize/tokenizer.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {
namespace {

using Strings = std::vector<std::string>;

// Expected values were produced by NLTK 3.8 (untrained
// PunktSentenceTokenizer, NLTKWordTokenizer) on these fixtures and reviewed
// by hand; src/tokenize/nltk_diff.py re-checks them against NLTK.
struct Case {
  const char* name;
  std::string text;
  Strings sentences;   // PunktSentenceTokenizer().tokenize(text)
  Strings words;       // datatrove word_tokenize (per sentence)
  Strings line_words;  // NLTKWordTokenizer().tokenize(text)
};

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
    {"PlainSentence",
     "The cat sat on a warm mat.",
     {"The cat sat on a warm mat."},
     {"The", "cat", "sat", "on", "a", "warm", "mat", "."},
     {"The", "cat", "sat", "on", "a", "warm", "mat", "."}},
    {"TwoSentences",
     "Rain fell all night. Roads were closed by noon.",
     {"Rain fell all night.", "Roads were closed by noon."},
     {"Rain", "fell", "all", "night", ".", "Roads", "were", "closed", "by", "noon", "."},
     {"Rain", "fell", "all", "night.", "Roads", "were", "closed", "by", "noon", "."}},
    {"QuestionAndExclamation",
     "Is it ready? Yes! Ship it now?! Fine.",
     {"Is it ready?", "Yes!", "Ship it now?!", "Fine."},
     {"Is", "it", "ready", "?", "Yes", "!", "Ship", "it", "now", "?", "!", "Fine", "."},
     {"Is", "it", "ready", "?", "Yes", "!", "Ship", "it", "now", "?", "!", "Fine", "."}},
    {"CannotAndNegations",
     "We can't stop, they won't wait and I cannot say.",
     {"We can't stop, they won't wait and I cannot say."},
     {"We", "ca", "n't", "stop", ",", "they", "wo", "n't", "wait", "and", "I", "can", "not", "say", "."},
     {"We", "ca", "n't", "stop", ",", "they", "wo", "n't", "wait", "and", "I", "can", "not", "say", "."}},
    {"InformalContractions",
     "I'm gonna go, you wanna come? Gimme that, lemme see.",
     {"I'm gonna go, you wanna come?", "Gimme that, lemme see."},
     {"I", "'m", "gon", "na", "go", ",", "you", "wan", "na", "come", "?", "Gim", "me", "that", ",", "lem", "me", "see", "."},
     {"I", "'m", "gon", "na", "go", ",", "you", "wan", "na", "come", "?", "Gim", "me", "that", ",", "lem", "me", "see", "."}},
    {"PossessivesAndClitics",
     "The firm's profit rose; they'll report what we've seen.",
     {"The firm's profit rose; they'll report what we've seen."},
     {"The", "firm", "'s", "profit", "rose", ";", "they", "'ll", "report", "what", "we", "'ve", "seen", "."},
     {"The", "firm", "'s", "profit", "rose", ";", "they", "'ll", "report", "what", "we", "'ve", "seen", "."}},
    {"DoubleQuotes",
     "She said \"no way\" and left.",
     {"She said \"no way\" and left."},
     {"She", "said", "``", "no", "way", "''", "and", "left", "."},
     {"She", "said", "``", "no", "way", "''", "and", "left", "."}},
    {"QuoteAfterFinalPeriod",
     "He wrote \"done.\" Then he slept.",
     {"He wrote \"done.\"", "Then he slept."},
     {"He", "wrote", "``", "done", ".", "''", "Then", "he", "slept", "."},
     {"He", "wrote", "``", "done.", "''", "Then", "he", "slept", "."}},
    {"SingleQuotes",
     "They call it 'the box' these days.",
     {"They call it 'the box' these days."},
     {"They", "call", "it", "'the", "box", "'", "these", "days", "."},
     {"They", "call", "it", "'the", "box", "'", "these", "days", "."}},
    {"UnicodeQuotes",
     "\xe2\x80\x9c""Hello,\xe2\x80\x9d"" she said. \xe2\x80\x98""Fine\xe2\x80\x99"" he replied \xc2\xab""ok\xc2\xbb"".",
     {"\xe2\x80\x9c""Hello,\xe2\x80\x9d"" she said.", "\xe2\x80\x98""Fine\xe2\x80\x99"" he replied \xc2\xab""ok\xc2\xbb""."},
     {"\xe2\x80\x9c""", "Hello", ",", "\xe2\x80\x9d""", "she", "said", ".", "\xe2\x80\x98""", "Fine", "\xe2\x80\x99""", "he", "replied", "\xc2\xab""", "ok", "\xc2\xbb""", "."},
     {"\xe2\x80\x9c""", "Hello", ",", "\xe2\x80\x9d""", "she", "said.", "\xe2\x80\x98""", "Fine", "\xe2\x80\x99""", "he", "replied", "\xc2\xab""", "ok", "\xc2\xbb""", "."}},
    {"CurlyApostrophe",
     "It\xe2\x80\x99""s the company\xe2\x80\x99""s plan.",
     {"It\xe2\x80\x99""s the company\xe2\x80\x99""s plan."},
     {"It", "\xe2\x80\x99""", "s", "the", "company", "\xe2\x80\x99""", "s", "plan", "."},
     {"It", "\xe2\x80\x99""", "s", "the", "company", "\xe2\x80\x99""", "s", "plan", "."}},
    {"Ellipsis",
     "Wait... then go. Or not . . . maybe",
     {"Wait... then go.", "Or not .", ".", ".", "maybe"},
     {"Wait", "...", "then", "go", ".", "Or", "not", ".", ".", ".", "maybe"},
     {"Wait", "...", "then", "go.", "Or", "not", ".", ".", ".", "maybe"}},
    {"AbbreviationsSplitWithoutModel",
     "Mr. Smith met U.S. officials. Dr. Who came.",
     {"Mr.", "Smith met U.S.", "officials.", "Dr.", "Who came."},
     {"Mr", ".", "Smith", "met", "U.S", ".", "officials", ".", "Dr", ".", "Who", "came", "."},
     {"Mr.", "Smith", "met", "U.S.", "officials.", "Dr.", "Who", "came", "."}},
    {"InitialsAndNumbers",
     "J. R. Ewing paid 5. then left. Item 3. Next one.",
     {"J. R. Ewing paid 5. then left.", "Item 3.", "Next one."},
     {"J.", "R.", "Ewing", "paid", "5.", "then", "left", ".", "Item", "3", ".", "Next", "one", "."},
     {"J.", "R.", "Ewing", "paid", "5.", "then", "left.", "Item", "3.", "Next", "one", "."}},
    {"DecimalsAndThousands",
     "Output was 5.93 mln tonnes, up from 1,250,000 in 1986.",
     {"Output was 5.93 mln tonnes, up from 1,250,000 in 1986."},
     {"Output", "was", "5.93", "mln", "tonnes", ",", "up", "from", "1,250,000", "in", "1986", "."},
     {"Output", "was", "5.93", "mln", "tonnes", ",", "up", "from", "1,250,000", "in", "1986", "."}},
    {"Url",
     "See http://example.com/a?b=c.d for details.",
     {"See http://example.com/a?b=c.d for details."},
     {"See", "http", ":", "//example.com/a", "?", "b=c.d", "for", "details", "."},
     {"See", "http", ":", "//example.com/a", "?", "b=c.d", "for", "details", "."}},
    {"Parentheses",
     "The index (base 100) rose [sharply] {again} <fast>.",
     {"The index (base 100) rose [sharply] {again} <fast>."},
     {"The", "index", "(", "base", "100", ")", "rose", "[", "sharply", "]", "{", "again", "}", "<", "fast", ">", "."},
     {"The", "index", "(", "base", "100", ")", "rose", "[", "sharply", "]", "{", "again", "}", "<", "fast", ">", "."}},
    {"DoubleDashes",
     "It rose--then fell---slowly.",
     {"It rose--then fell---slowly."},
     {"It", "rose", "--", "then", "fell", "--", "-slowly", "."},
     {"It", "rose", "--", "then", "fell", "--", "-slowly", "."}},
    {"MultipleSpacesAndNewlines",
     "  First   line\n\nsecond\tline.  Third\r\nline  ",
     {"  First   line\n\nsecond\tline.", "Third\r\nline"},
     {"First", "line", "second", "line", ".", "Third", "line"},
     {"First", "line", "second", "line.", "Third", "line"}},
    {"LeadingPunctuation",
     "...and so it ends. \"Quoted start\" here.",
     {"...and so it ends.", "\"Quoted start\" here."},
     {"...", "and", "so", "it", "ends", ".", "``", "Quoted", "start", "''", "here", "."},
     {"...", "and", "so", "it", "ends.", "``", "Quoted", "start", "''", "here", "."}},
    {"ColonsAndCommas",
     "Ratio 3:1, time 10:30, list: a,b, c,1,000.",
     {"Ratio 3:1, time 10:30, list: a,b, c,1,000."},
     {"Ratio", "3:1", ",", "time", "10:30", ",", "list", ":", "a", ",", "b", ",", "c,1,000", "."},
     {"Ratio", "3:1", ",", "time", "10:30", ",", "list", ":", "a", ",", "b", ",", "c,1,000", "."}},
    {"Symbols",
     "Costs $5 & 10% more @ home #1 *now*.",
     {"Costs $5 & 10% more @ home #1 *now*."},
     {"Costs", "$", "5", "&", "10", "%", "more", "@", "home", "#", "1", "*", "now", "*", "."},
     {"Costs", "$", "5", "&", "10", "%", "more", "@", "home", "#", "1", "*", "now", "*", "."}},
    {"ClosingQuoteAfterBreak",
     "(He left.) \"She stayed.\" Then silence.",
     {"(He left.)", "\"She stayed.\"", "Then silence."},
     {"(", "He", "left", ".", ")", "``", "She", "stayed", ".", "''", "Then", "silence", "."},
     {"(", "He", "left.", ")", "``", "She", "stayed.", "''", "Then", "silence", "."}},
    {"NonAsciiLetters",
     "Caf\xc3\xa9"" \xc3\xa9""t\xc3\xa9"" na\xc3\xaf""ve. \xc3\x89""tude finie.",
     {"Caf\xc3\xa9"" \xc3\xa9""t\xc3\xa9"" na\xc3\xaf""ve.", "\xc3\x89""tude finie."},
     {"Caf\xc3\xa9""", "\xc3\xa9""t\xc3\xa9""", "na\xc3\xaf""ve", ".", "\xc3\x89""tude", "finie", "."},
     {"Caf\xc3\xa9""", "\xc3\xa9""t\xc3\xa9""", "na\xc3\xaf""ve.", "\xc3\x89""tude", "finie", "."}},
    {"TisAndTwas",
     "'Tis the season and 'twas fine.",
     {"'Tis the season and 'twas fine."},
     {"'T", "is", "the", "season", "and", "'t", "was", "fine", "."},
     {"'T", "is", "the", "season", "and", "'t", "was", "fine", "."}},
    {"EmptyText",
     "",
     {},
     {},
     {}},
    {"OnlyWhitespace",
     " \n\t ",
     {},
     {},
     {}},
  };
  return *cases;
}

// All bytes of a string literal, including embedded NULs.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

Strings ToStrings(const std::vector<std::string_view>& views) {
  return Strings(views.begin(), views.end());
}

class NltkFixtureTest : public ::testing::TestWithParam<size_t> {};

TEST_P(NltkFixtureTest, MatchesNltk) {
  const Case& c = Cases()[GetParam()];
  NltkEnglishTokenizer tokenizer;
  std::vector<std::string_view> sentences;
  TokenList words;
  tokenizer.SplitSentences(c.text, &sentences);
  EXPECT_EQ(ToStrings(sentences), c.sentences);
  tokenizer.SplitWords(c.text, &words);
  EXPECT_EQ(words.ToVector(), c.words);
  tokenizer.TokenizeSentence(c.text, &words);
  EXPECT_EQ(words.ToVector(), c.line_words);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, NltkFixtureTest, ::testing::Range<size_t>(0, Cases().size()),
    [](const ::testing::TestParamInfo<size_t>& info) {
      return std::string(Cases()[info.param].name);
    });

TEST(NltkEnglishTokenizer, SentencesAreViewsIntoTheText) {
  const std::string text = "One. Two? Three!";
  NltkEnglishTokenizer tokenizer;
  std::vector<std::string_view> sentences;
  tokenizer.SplitSentences(text, &sentences);
  ASSERT_EQ(sentences.size(), 3u);
  for (const std::string_view s : sentences) {
    EXPECT_GE(s.data(), text.data());
    EXPECT_LE(s.data() + s.size(), text.data() + text.size());
  }
}

TEST(NltkEnglishTokenizer, ReusedInstanceGivesSameResults) {
  NltkEnglishTokenizer tokenizer;
  TokenList words;
  for (int round = 0; round < 2; ++round) {
    for (const Case& c : Cases()) {
      tokenizer.SplitWords(c.text, &words);
      EXPECT_EQ(words.ToVector(), c.words) << c.name;
    }
  }
}

TEST(NltkEnglishTokenizer, SplitWordsTokenizesEachSentence) {
  NltkEnglishTokenizer tokenizer;
  const std::string text =
      "Prices fell 2.5 pct. \"We're done,\" he said. (Shares rose.) Next?";
  std::vector<std::string_view> sentences;
  tokenizer.SplitSentences(text, &sentences);
  Strings expected;
  TokenList words;
  for (const std::string_view s : sentences) {
    tokenizer.TokenizeSentence(s, &words);
    for (const std::string_view w : words) expected.emplace_back(w);
  }
  tokenizer.SplitWords(text, &words);
  EXPECT_EQ(words.ToVector(), expected);
}

TEST(NltkEnglishTokenizer, InvalidUtf8NeverCrashesAndKeepsTokensClean) {
  const std::string inputs[] = {
      Bytes("\xff\xfe abc. \xc3"),
      Bytes("caf\xc3 done.\x80\x80 Next \xe2\x80"),
      Bytes("\xe2\x80\x9c\xe2\x80"),
      Bytes("a\0b. C\0"),
      Bytes("'\xf0\x9f\x98' x"),
      Bytes("\xc2\xa0\xc2. \xe3\x80\x80'"),
  };
  NltkEnglishTokenizer tokenizer;
  TokenList words;
  std::vector<std::string_view> sentences;
  for (const std::string& text : inputs) {
    tokenizer.SplitSentences(text, &sentences);
    tokenizer.SplitWords(text, &words);
    for (const std::string_view w : words) {
      EXPECT_FALSE(w.empty());
      EXPECT_EQ(w.find(' '), std::string_view::npos);
    }
    tokenizer.TokenizeSentence(text, &words);
    EXPECT_FALSE(words.empty());
  }
}

TEST(TokenList, CopiesTokensAndClears) {
  TokenList list;
  EXPECT_TRUE(list.empty());
  std::string source = "alpha";
  list.Add(source);
  list.Add("");
  list.Add(std::string(300, 'x'));
  source[0] = 'A';  // the list owns its copy
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], "alpha");
  EXPECT_EQ(list[1], "");
  EXPECT_EQ(list[2], std::string(300, 'x'));
  Strings seen;
  for (const std::string_view t : list) seen.emplace_back(t);
  EXPECT_EQ(seen.size(), 3u);
  list.Clear();
  EXPECT_TRUE(list.empty());
  list.Add("beta");
  EXPECT_EQ(list.ToVector(), Strings{"beta"});
}

// The fast paths (ASCII shortcuts, contraction pre-filter) must give what
// the general code gives.
void ExpectFastMatchesGeneral(std::string_view text, NltkEnglishTokenizer* fast,
                              NltkEnglishTokenizer* general) {
  std::vector<std::string_view> fast_sentences, general_sentences;
  TokenList fast_words, general_words;
  fast->SplitSentences(text, &fast_sentences);
  general->SplitSentences(text, &general_sentences);
  ASSERT_EQ(fast_sentences, general_sentences) << text;
  fast->SplitWords(text, &fast_words);
  general->SplitWords(text, &general_words);
  ASSERT_EQ(fast_words.ToVector(), general_words.ToVector()) << text;
  fast->TokenizeSentence(text, &fast_words);
  general->TokenizeSentence(text, &general_words);
  ASSERT_EQ(fast_words.ToVector(), general_words.ToVector()) << text;
}

TEST(NltkEnglishTokenizer, FastPathsMatchGeneralCodeOnRandomText) {
  NltkEnglishTokenizer fast;
  NltkEnglishTokenizer general;
  general.SetFastPathsForTesting(false);
  // Pieces chosen to hit the contraction rules (every first letter, mixed
  // case, the Unicode case-folding letters), Punkt's word-ending and
  // multi-character punctuation, quotes and non-ASCII whitespace.
  const std::vector<std::string> pieces = {
      "cannot", "CanNot", "can", "ca", "d'ye", "D'YE", "d'", "gimme", "GIMME",
      "g\xc4\xb0mme", "g\xc4\xb1mme", "gonna", "gotta", "go", "lemme", "le",
      "more'n", "MORE'N", "mo", "wanna", "WaNNa", "wa", "'tis", "'twas",
      "'T", "\xc5\xbf", "mln", "dlrs", "company", "was", "left", "going",
      "It's", "don't", "they'll", "I'M", "x", "U.S.", "e.g.", "1,000", "3.5",
      "-", "--", "---", ".", "..", "...", ". . .", ",", ":", ";", "?", "!",
      "(", ")", "[", "]", "{", "}", "<", ">", "\"", "'", "''", "`", "``",
      "*", "@", "#", "$", "%", "&", "_", "\xc2\xa0", "\xe2\x80\x83",
      "\xe3\x80\x80", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x9c", "\xe2\x80\x9d",
      "\xe2\x80\x98", "\xe2\x80\x99", "\xc3\xa9t\xc3\xa9", "\xff", "\t",
      "\n", "\n\n", " ", " ", " ", "  "};
  const char* const edge_cases[] = {
      "a--b. c", "a-b. c", "x--y. Z", "a,b. c", "a,,b. c", "a, b. c",
      "a,. b", "a,\" b. c", "a.b. c", "A.. b", "I.B.M. was", "e.g. the",
      "3.5. x", "1,000. x", "-1. x", "x.) y", "x.' y", "end?! no",
      "mm. cannot", "lemme. gimme. gonna. d'ye. 'twas", ("a\xc2\xa0" "b. c"),
      // Punkt's FastContainsSentbreak: the word before the period, and the
      // next word, with '.', ',' and '-' inside or at the end.
      "said. Inc., x", "a. Inc.,", "1,000. 2, x", "x. -y z", "x. a- b",
      "x. a. b", "x.\n\nY z", "x.\tY", "J. Smith", "J. smith", "5. x",
      "5. X", "x. #a b", "x. `a b", "&x. y", "#x. Y", "`x. Y", "x.) y",
      "x?? y", "a-. b", "a,. b", "a.. b", "a,b. C", "a-b. c", "a.b. C",
      "x. a,b c", "x. a,,b c", "x. a,-b c", "x. a..b c", "x. a--b c",
      "x. . . y", "x. .y", "x. ,y", "x.\xc2\xa0Y", "x. \xc3\xa9t\xc3\xa9",
      "e.g. X", "U.S. Treasury", "x. U.S.", "x. U.S.,", "ab. . . cd",
      "ab. .cd", "ab.\n. . cd", "(ab. Cd", "a(bc. De", "1ab. cd",
      ("\xc3\xa9" "b. cd"), "b\xc3\xa9. cd", "ab.. cd", "a.b. Cd", "Ab.) cd",
      "ab.\" Cd"};
  for (const char* text : edge_cases) {
    ExpectFastMatchesGeneral(text, &fast, &general);
    if (HasFatalFailure()) return;
  }
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  std::uniform_int_distribution<int> coin(0, 3);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
      text += pieces[pick(rng)];
      if (coin(rng) != 0) text += ' ';
    }
    ExpectFastMatchesGeneral(text, &fast, &general);
    if (HasFatalFailure()) return;
  }
  // Random bytes over a small alphabet, including every ASCII byte the
  // tables special-case.
  const std::string alphabet =
      "cdglmwCDGLMWaeiost' .,-:;!?\"`()[]{}<>*@#$%&_\n\t\x1c\x0b\x7f";
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text;
    const int n = length(rng) * 2;
    for (int k = 0; k < n; ++k) text += alphabet[letter(rng)];
    ExpectFastMatchesGeneral(text, &fast, &general);
    if (HasFatalFailure()) return;
  }
  // Word-shaped contexts of sentence ends: words of letters, digits and
  // the in-word punctuation Punkt treats specially, separated by various
  // whitespace.
  const std::vector<std::string> word_parts = {
      "a", "X", "J", "5", "93", "mln", "Inc", ".", ",", "-", "--", "..", "#",
      "`", "&", "$", ")", "(", "'", "\""};
  const std::vector<std::string> separators = {
      ". ", ".  ", ".\n", ".\n\n", ".\t", "? ", "! ", ".) ", ". (", " ",
      " ", "\xc2\xa0", ".\xe3\x80\x80"};
  std::uniform_int_distribution<size_t> part_pick(0, word_parts.size() - 1);
  std::uniform_int_distribution<size_t> sep_pick(0, separators.size() - 1);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
      const int parts = 1 + coin(rng);
      for (int j = 0; j < parts; ++j) text += word_parts[part_pick(rng)];
      text += separators[sep_pick(rng)];
    }
    ExpectFastMatchesGeneral(text, &fast, &general);
    if (HasFatalFailure()) return;
  }
  // Punctuation around sentence ends, densely.
  const std::string dense = "abAB.-,!?' ";
  std::uniform_int_distribution<size_t> dense_pick(0, dense.size() - 1);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) text += dense[dense_pick(rng)];
    ExpectFastMatchesGeneral(text, &fast, &general);
    if (HasFatalFailure()) return;
  }
}

// The lines of `data` without their '\n' (none after a final newline).
std::vector<std::string_view> Lines(std::string_view data) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    lines.push_back(data.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// The decompressed Reuters JSONL file of the shared data, or false with
// the reason to skip.
bool ReadReutersJsonl(std::string* data, std::string* why) {
  const char* shared = std::getenv("WINNOW_SHARED_DIR");
  if (shared == nullptr) {
    *why = "WINNOW_SHARED_DIR not set";
    return false;
  }
  const std::string path =
      std::string(shared) + "/data/news/reuters21578.jsonl.gz";
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    *why = path + " not readable";
    return false;
  }
  char buf[1 << 16];
  int got;
  while ((got = gzread(f, buf, sizeof(buf))) > 0) data->append(buf, got);
  gzclose(f);
  return true;
}

TEST(NltkEnglishTokenizer, FastPathsMatchGeneralCodeOnReuters) {
  std::string data, why;
  if (!ReadReutersJsonl(&data, &why)) GTEST_SKIP() << why;
  NltkEnglishTokenizer fast;
  NltkEnglishTokenizer general;
  general.SetFastPathsForTesting(false);
  // The raw JSON lines (escapes included) are real text enough here.
  const std::vector<std::string_view> lines = Lines(data);
  for (const std::string_view line : lines) {
    ExpectFastMatchesGeneral(line, &fast, &general);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(lines.size(), 21578u);
}

// Treebank's fused scan (pad and split in one pass) against its two passes,
// on the whole text (TokenizeSentence: the final-period rule sees the end)
// and per Punkt sentence. The text is copied into a buffer of exactly its
// size, so that a read past its end is visible to memory checkers.
void ExpectFusedMatchesTwoPasses(std::string_view text,
                                 NltkEnglishTokenizer* fused,
                                 NltkEnglishTokenizer* two_passes) {
  std::unique_ptr<char[]> exact(new char[text.size()]);
  if (!text.empty()) std::memcpy(exact.get(), text.data(), text.size());
  const std::string_view t(exact.get(), text.size());
  TokenList fused_words, general_words;
  fused->TokenizeSentence(t, &fused_words);
  two_passes->TokenizeSentence(t, &general_words);
  ASSERT_EQ(fused_words.ToVector(), general_words.ToVector()) << text;
  fused->SplitWords(t, &fused_words);
  two_passes->SplitWords(t, &general_words);
  ASSERT_EQ(fused_words.ToVector(), general_words.ToVector()) << text;
}

TEST(NltkEnglishTokenizer, FusedTreebankScanMatchesTwoPassesOnRandomText) {
  NltkEnglishTokenizer fused;
  NltkEnglishTokenizer two_passes;
  two_passes.SetFastPathsForTesting(false);
  // What the fused scan decides itself (whitespace, padded characters,
  // period and dash runs, ':' and ',' before digits, quote forms, padded
  // non-ASCII quotes, non-ASCII whitespace) and what it hands over
  // (clitics, contractions), with words long and short.
  const std::vector<std::string> pieces = {
      "a", "ab", "word", "Reuters", "abcdefghijklmnopqrstuvwxyz0123", "_x",
      "3", "1,000", "12:30", "5.", "cannot", "CANNOT", "cann", "d'ye",
      "gimme", "g\xc4\xb1mme", "gonna", "gotta", "lemme", "more'n", "wanna",
      "wannabe", "can", "'tis", "'Twas", "'s", "'S", "'m", "'d", "'ll", "'re",
      "'ve", "n't", "N'T", "'LL", "'Re", "'VE", "'M", "'D", "n'T", "N't",
      "'Ll", "'lL", "'rE", "'vE", "'Ve",
      "don't", "they'll", "It's", "x's", "a'", "'", "''", "'''", "''''",
      "\"", "`", "``", "```", "'x", "'xy", "x'", "s'", ".", "..", "...",
      "....", "-", "--", "---", "----", ",", ":", ",,", "::", ",5", ":7",
      ":\xd9\xa3", ";", "@", "#", "$", "%", "&", "?", "!", "*", "(", ")",
      "[", "]", "{", "}", "<", ">", "/", "+", "=", "\\", "|", "~", "^",
      "\x7f", std::string(1, '\0'),
      "\xc3\xa9", "\xc3\xa9t\xc3\xa9", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x98",
      "\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x9e",
      "\xe2\x80\x94", "\xc2\xa0", "\xc2\x85", "\xe2\x80\x83", "\xe2\x80\xa8",
      "\xe1\x9a\x80", "\xe3\x80\x80", "\xc2", "\xe2", "\xe2\x80", "\xe1",
      "\xe3", "\xff", " ", " ", " ", "  ", "\n", "\t", "\r\n", "\x0b"};
  // Sentence ends: the final-period rule and what may follow the period.
  const std::vector<std::string> ends = {
      "", ".", ". ", ".\n", ". )", ".)", ".'", ".\"", ". '", ". \"", ". ''",
      ".]}>", ".\xc2\xbb", ".\xe2\x80\x9d", ".\xe2\x80\x99 ", "..", "?",
      "'", "' ", "\"", ":", ",", "-", "--", " ", "\n"};
  std::mt19937 rng(9);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<size_t> end_pick(0, ends.size() - 1);
  std::uniform_int_distribution<int> length(0, 24);
  std::uniform_int_distribution<int> coin(0, 2);
  for (int iter = 0; iter < 30000; ++iter) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) {
      text += pieces[pick(rng)];
      if (coin(rng) == 0) text += ' ';
    }
    text += ends[end_pick(rng)];
    ExpectFusedMatchesTwoPasses(text, &fused, &two_passes);
    if (HasFatalFailure()) return;
  }
  // Dense random bytes over the characters the scan dispatches on.
  const std::string alphabet = "abcdglmnstwCDGLMNST'`\". ,:-;()?!0_\n\t";
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  for (int iter = 0; iter < 30000; ++iter) {
    std::string text;
    const int n = length(rng);
    for (int k = 0; k < n; ++k) text += alphabet[letter(rng)];
    ExpectFusedMatchesTwoPasses(text, &fused, &two_passes);
    if (HasFatalFailure()) return;
  }
}

// The JSON string that starts at s (after its opening quote), unescaped
// well enough for tests: \uXXXX becomes the UTF-8 of the code unit.
std::string UnescapeJsonString(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == 'r') {
      out += '\r';
    } else if (c == 'u' && i + 4 < s.size()) {
      const unsigned cp = static_cast<unsigned>(
          std::strtoul(std::string(s.substr(i + 1, 4)).c_str(), nullptr, 16));
      i += 4;
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out += c;  // \" \\ \/ (and \b \f as their letter: rare enough here)
    }
  }
  return out;
}

TEST(NltkEnglishTokenizer, FusedTreebankScanMatchesTwoPassesOnReuters) {
  std::string data, why;
  if (!ReadReutersJsonl(&data, &why)) GTEST_SKIP() << why;
  NltkEnglishTokenizer fused;
  NltkEnglishTokenizer two_passes;
  two_passes.SetFastPathsForTesting(false);
  size_t texts = 0;
  for (const std::string_view line : Lines(data)) {
    const size_t key = line.find("\"text\": \"");
    if (key == std::string_view::npos) continue;
    const std::string text = UnescapeJsonString(line.substr(key + 9));
    ExpectFusedMatchesTwoPasses(text, &fused, &two_passes);
    if (HasFatalFailure()) return;
    ++texts;
  }
  EXPECT_EQ(texts, 21578u);
}

// Structural checks on every Reuters document: sentences are ordered,
// non-empty views and the word tokens are non-empty and whitespace-free.
TEST(NltkEnglishTokenizer, ReutersDocumentsTokenizeCleanly) {
  std::string data, why;
  if (!ReadReutersJsonl(&data, &why)) GTEST_SKIP() << why;
  NltkEnglishTokenizer tokenizer;
  TokenList words;
  std::vector<std::string_view> sentences;
  size_t docs = 0;
  size_t tokens = 0;
  // Each line is one JSON object; tokenizing the raw line exercises the
  // scanners on real text without needing a JSON parser here.
  for (const std::string_view line : Lines(data)) {
    tokenizer.SplitSentences(line, &sentences);
    const char* prev_end = line.data();
    for (const std::string_view s : sentences) {
      ASSERT_FALSE(s.empty());
      ASSERT_GE(s.data(), prev_end);
      prev_end = s.data() + s.size();
    }
    ASSERT_LE(prev_end, line.data() + line.size());
    tokenizer.SplitWords(line, &words);
    for (const std::string_view w : words) {
      ASSERT_FALSE(w.empty());
      ASSERT_EQ(w.find_first_of(" \t\n\r"), std::string_view::npos);
    }
    tokens += words.size();
    ++docs;
  }
  EXPECT_EQ(docs, 21578u);
  EXPECT_GT(tokens, docs * 50);
}

}  // namespace
}  // namespace winnow
