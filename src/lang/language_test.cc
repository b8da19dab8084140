#include "lang/language.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "lang/lang_testing.h"

namespace winnow {
namespace {

using lang_testing::FixtureText;

TEST(LanguageIdentifier, UsesFullCld2Tables) {
  // libcld2_full must precede libcld2 in the link; otherwise the smaller
  // Chrome tables (dated 20141016) are used silently.
  EXPECT_NE(LanguageIdentifier::DetectorVersion().find("20140204"),
            std::string_view::npos)
      << LanguageIdentifier::DetectorVersion();
}

TEST(LanguageIdentifier, IdentifiesEachFixtureLanguageReliably) {
  LanguageIdentifier id;
  for (const auto& f : lang_testing::Fixtures()) {
    LanguageGuess g = id.Identify(f.text);
    EXPECT_EQ(g.code, f.code);
    EXPECT_TRUE(g.reliable) << f.code;
    EXPECT_GE(g.score, 0.9) << f.code;
    EXPECT_LE(g.score, 1.0) << f.code;
  }
}

TEST(LanguageIdentifier, EmptyTextIsUndetermined) {
  LanguageIdentifier id;
  LanguageGuess g = id.Identify("");
  EXPECT_EQ(g.code, "und");
  EXPECT_EQ(g.score, 0.0);
  EXPECT_FALSE(g.reliable);
}

TEST(LanguageIdentifier, NumbersAndPunctuationAreUndetermined) {
  LanguageIdentifier id;
  for (const char* text :
       {"12 345 678,90", "2024-01-31 12:00:00 +0100",
        "3.14159 2.71828 1.41421\n42 %", "!!! ??? ... ---"}) {
    LanguageGuess g = id.Identify(text);
    EXPECT_EQ(g.code, "und") << text;
    EXPECT_EQ(g.score, 0.0) << text;
    EXPECT_FALSE(g.reliable) << text;
  }
}

TEST(LanguageIdentifier, EvenlyMixedTextScoresBelowFineWebThreshold) {
  LanguageIdentifier id;
  const std::string mixed = std::string(FixtureText("en")) + "\n\n" +
                            FixtureText("de") + "\n\n" + FixtureText("en") +
                            "\n\n" + FixtureText("de");
  LanguageGuess g = id.Identify(mixed);
  EXPECT_TRUE(g.code == "en" || g.code == "de") << g.code;
  EXPECT_GT(g.score, 0.0);
  EXPECT_LT(g.score, 0.65);
}

TEST(LanguageIdentifier, MostlyOneLanguageKeepsItsCode) {
  LanguageIdentifier id;
  std::string text;
  for (int i = 0; i < 5; ++i) text += std::string(FixtureText("fr")) + "\n";
  text += FixtureText("en");
  LanguageGuess g = id.Identify(text);
  EXPECT_EQ(g.code, "fr");
  EXPECT_GE(g.score, 0.65);
  EXPECT_LT(g.score, 0.95);
}

TEST(LanguageIdentifier, EnglishWithAGermanParagraphStaysEnglishAndReliable) {
  // CLD2's own summary calls this German (English as "boilerplate" once
  // another language has 17% of the text); the identifier reports the
  // majority language with CLD2's reliability rule applied to it.
  LanguageIdentifier id;
  const std::string en = FixtureText("en");
  LanguageGuess g =
      id.Identify(en + "\n" + en + "\n" + en + "\n" + FixtureText("de"));
  EXPECT_EQ(g.code, "en");
  EXPECT_TRUE(g.reliable);
  EXPECT_GE(g.score, 0.65);
  EXPECT_LT(g.score, 0.9);
}

TEST(LanguageIdentifier, InvalidUtf8IsReplacedNotFatal) {
  LanguageIdentifier id;
  std::string text = FixtureText("es");
  // Stray bytes, a truncated sequence and control characters in the middle.
  text.insert(text.find(' ', 40), "\xff\xfe\x01\x02");
  text.insert(text.find(' ', 100), "\xE2\x82");
  text += "\x80\x1b";
  LanguageGuess g = id.Identify(text);
  EXPECT_EQ(g.code, "es");
  EXPECT_TRUE(g.reliable);
  EXPECT_GE(g.score, 0.9);
  EXPECT_EQ(id.last_stats().replaced, 7u);
  EXPECT_FALSE(id.last_stats().truncated);
}

TEST(LanguageIdentifier, GarbageBytesAreUndetermined) {
  LanguageIdentifier id;
  std::string garbage;
  for (int i = 0; i < 4096; ++i)
    garbage.push_back(static_cast<char>(0x80 + i % 64));
  LanguageGuess g = id.Identify(garbage);
  EXPECT_EQ(g.code, "und");
  EXPECT_EQ(g.score, 0.0);
}

TEST(LanguageIdentifier, HugeDocumentIsJudgedOnItsPrefix) {
  // 20 MB: one German paragraph, then English up to the end.
  std::string text = std::string(FixtureText("de")) + "\n";
  const std::string en = std::string(FixtureText("en")) + "\n";
  while (text.size() < 20u * 1024 * 1024) text += en;

  LanguageIdentifier whole_prefix;  // default: first 64 KiB, mostly English
  LanguageGuess g = whole_prefix.Identify(text);
  EXPECT_EQ(g.code, "en");
  EXPECT_GE(g.score, 0.9);
  EXPECT_TRUE(whole_prefix.last_stats().truncated);

  LanguageIdOptions opts;
  opts.max_bytes = 300;  // inside the German paragraph
  LanguageIdentifier short_prefix(opts);
  g = short_prefix.Identify(text);
  EXPECT_EQ(g.code, "de");
  EXPECT_TRUE(short_prefix.last_stats().truncated);
}

TEST(LanguageIdentifier, CutInsideMultibyteTextNeedsNoReplacement) {
  LanguageIdOptions opts;
  opts.max_bytes = 101;  // odd: falls inside a two-byte Cyrillic letter
  LanguageIdentifier id(opts);
  LanguageGuess g = id.Identify(FixtureText("ru"));
  EXPECT_EQ(g.code, "ru");
  EXPECT_EQ(id.last_stats().replaced, 0u);
  EXPECT_TRUE(id.last_stats().truncated);
}

TEST(LanguageIdentifier, UnreliableGuessIsScaledDown) {
  // A short earnings table: some English words, mostly figures.
  const char* text =
      "Shr 45 cts vs 58 cts\nNet 1.1 mln vs 829,000\nRevs 7.9 mln vs 9.4 mln\n"
      "Avg shrs 2,332,397 vs 1,428,000\nYear\nShr 1.22 dlrs vs 1.06 dlrs\n";
  LanguageIdOptions half;
  LanguageIdOptions full;
  full.unreliable_factor = 1.0;
  LanguageGuess a = LanguageIdentifier(half).Identify(text);
  LanguageGuess b = LanguageIdentifier(full).Identify(text);
  EXPECT_EQ(a.code, b.code);
  if (!a.reliable && a.code != "und") {
    EXPECT_DOUBLE_EQ(a.score, b.score * 0.5);
  }
  EXPECT_LT(a.score, 0.5);
}

TEST(LanguageIdentifier, IdentifiersOnSeveralThreadsAgreeWithOneThread) {
  std::vector<std::string> texts;
  for (const auto& f : lang_testing::Fixtures()) texts.emplace_back(f.text);
  texts.push_back(std::string(FixtureText("en")) + "\n" + FixtureText("ja"));
  std::vector<LanguageGuess> expected;
  LanguageIdentifier id;
  for (const std::string& t : texts) expected.push_back(id.Identify(t));

  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      LanguageIdentifier local;
      for (int round = 0; round < 200; ++round) {
        const size_t i = (round + w) % texts.size();
        LanguageGuess g = local.Identify(texts[i]);
        if (g.code != expected[i].code || g.score != expected[i].score ||
            g.reliable != expected[i].reliable) {
          ++mismatches[w];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < 4; ++w) EXPECT_EQ(mismatches[w], 0) << "thread " << w;
}

TEST(LanguageIdentifier, RoundsScoresToFourDecimals) {
  EXPECT_DOUBLE_EQ(RoundLanguageScore(0.123456), 0.1235);
  EXPECT_DOUBLE_EQ(RoundLanguageScore(0.99), 0.99);
  EXPECT_DOUBLE_EQ(RoundLanguageScore(0.0), 0.0);
}

// Real data: Reuters-21578 newswire (all English).
TEST(LanguageIdentifierOnSharedData, ReutersIsEnglishAboveFineWebThreshold) {
  const std::string path = lang_testing::ReutersPath();
  if (path.empty() || !std::filesystem::exists(path))
    GTEST_SKIP() << "no " << path;
  std::vector<std::string> texts;
  ASSERT_TRUE(lang_testing::LoadJsonlTexts(path, &texts));
  LanguageIdentifier id;
  size_t non_empty = 0, english = 0, english_065 = 0, und = 0;
  for (const std::string& t : texts) {
    if (t.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    ++non_empty;
    LanguageGuess g = id.Identify(t);
    if (g.code == "en") {
      ++english;
      if (g.score >= 0.65) ++english_065;
    }
    if (g.code == "und") ++und;
  }
  const double fraction = static_cast<double>(english_065) / non_empty;
  std::printf(
      "reuters: %zu non-empty docs, en %zu, en>=0.65 %zu (%.4f), und %zu\n",
      non_empty, english, english_065, fraction, und);
  RecordProperty("en_ge_065_fraction", std::to_string(fraction));
  EXPECT_GT(non_empty, 19000u);
  EXPECT_GE(fraction, 0.985);
}

// Crude tag stripper for the HTML test pages: drops script/style bodies,
// comments and tags.
std::string StripTags(const std::string& html) {
  std::string out;
  out.reserve(html.size() / 2);
  size_t i = 0;
  auto starts_with_ci = [&](size_t at, std::string_view word) {
    if (at + word.size() > html.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      char c = html[at + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[k]) return false;
    }
    return true;
  };
  while (i < html.size()) {
    if (html[i] != '<') {
      out.push_back(html[i++]);
      continue;
    }
    std::string_view close;
    if (starts_with_ci(i, "<script")) close = "</script";
    if (starts_with_ci(i, "<style")) close = "</style";
    if (starts_with_ci(i, "<!--")) close = "-->";
    size_t end = std::string::npos;
    if (!close.empty()) {
      for (size_t j = i + 1; j < html.size(); ++j) {
        if (starts_with_ci(j, close)) {
          end = j + close.size();
          break;
        }
      }
    }
    if (end == std::string::npos || close != "-->") {
      end = html.find('>', end == std::string::npos ? i : end);
      end = end == std::string::npos ? html.size() : end + 1;
    }
    out.push_back(' ');
    i = end;
  }
  return out;
}

bool ReadGzip(const std::string& path, std::string* out) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out->append(buf, n);
  gzclose(f);
  return n == 0;
}

// Real data: trafilatura's evaluation pages, mostly German.
TEST(LanguageIdentifierOnSharedData, TrafilaturaPagesAreMostlyGerman) {
  const char* dir = std::getenv("WINNOW_SHARED_DIR");
  if (dir == nullptr) GTEST_SKIP() << "WINNOW_SHARED_DIR unset";
  const std::filesystem::path html_dir =
      std::filesystem::path(dir) / "data/extraction/trafilatura-eval/html";
  if (!std::filesystem::is_directory(html_dir))
    GTEST_SKIP() << "no " << html_dir;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(html_dir))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());
  LanguageIdOptions opts;
  opts.max_bytes = 1 << 20;  // boilerplate-heavy pages: look further
  LanguageIdentifier id(opts);
  size_t pages = 0, german = 0, english = 0, und = 0;
  for (const auto& file : files) {
    std::string html;
    ASSERT_TRUE(ReadGzip(file.string(), &html)) << file;
    LanguageGuess g = id.Identify(StripTags(html));
    ++pages;
    if (g.code == "de" && g.score >= 0.65) ++german;
    if (g.code == "en") ++english;
    if (g.code == "und") ++und;
  }
  std::printf("trafilatura-eval: %zu pages, de>=0.65 %zu, en %zu, und %zu\n",
              pages, german, english, und);
  // SOURCE.md: about 70-80% of the pages are German.
  EXPECT_GE(static_cast<double>(german) / pages, 0.65);
}

}  // namespace
}  // namespace winnow
