// lang_agreement: how the fast path (fast_lid.h) agrees with CLD2.
//
// Usage: lang_agreement FILE.jsonl[.gz]...
// For every non-empty "text" it runs LanguageIdentifier twice, with and
// without the fast path, and prints per file: documents, how many the fast
// path decided, how many of those got another code than CLD2 gives, and how
// many got the other side of FineWeb's filter (English with score >= 0.65).
// Each disagreement is printed with the two guesses and the text's start.
// Exit status 0; this is a measurement, not a test.
#include <cstdio>
#include <string>
#include <vector>

#include "lang/fast_lid.h"
#include "lang/lang_testing.h"
#include "lang/language.h"

namespace {

bool KeptByFineWeb(const winnow::LanguageGuess& g) {
  return g.code == "en" && winnow::RoundLanguageScore(g.score) >= 0.65;
}

std::string Excerpt(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 100)) out.push_back(c == '\n' ? ' ' : c);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  winnow::LanguageIdOptions fast_options;
  winnow::LanguageIdOptions cld2_options;
  cld2_options.fast_path = false;
  winnow::LanguageIdentifier fast(fast_options);
  winnow::LanguageIdentifier cld2(cld2_options);
  for (int a = 1; a < argc; ++a) {
    std::vector<std::string> texts;
    if (!winnow::lang_testing::LoadJsonlTexts(argv[a], &texts)) {
      std::fprintf(stderr, "cannot read %s\n", argv[a]);
      return 2;
    }
    size_t docs = 0, decided = 0, other_code = 0, other_verdict = 0;
    size_t cld2_en = 0;
    for (const std::string& text : texts) {
      if (text.empty()) continue;
      ++docs;
      const winnow::LanguageGuess f = fast.Identify(text);
      const winnow::LanguageGuess c = cld2.Identify(text);
      cld2_en += KeptByFineWeb(c);
      if (!fast.last_stats().fast_path) continue;
      ++decided;
      const bool code_differs = f.code != c.code;
      const bool verdict_differs = KeptByFineWeb(f) != KeptByFineWeb(c);
      other_code += code_differs;
      other_verdict += verdict_differs;
      if (code_differs || verdict_differs) {
        std::printf("  fast %s %.4f | cld2 %s %.4f%s | %s\n", f.code.c_str(),
                    f.score, c.code.c_str(), c.score,
                    c.reliable ? "" : " (unreliable)", Excerpt(text).c_str());
      }
    }
    std::printf(
        "%s: %zu docs, CLD2 keeps %zu as en>=0.65; fast path decided %zu "
        "(%.1f%%): other code %zu, other FineWeb verdict %zu\n",
        argv[a], docs, cld2_en, decided, docs ? 100.0 * decided / docs : 0.0,
        other_code, other_verdict);
  }
  return 0;
}
