// Support for measuring extraction quality on the shared evaluation sets
// (used by extract_tool --eval and html_eval_test; not part of the step).
//
//  * LoadPage: a gzipped page decoded to UTF-8 from the charset its
//    <meta> declares (iconv), windows-1252 when undeclared and not UTF-8.
//  * ScoreShingles: the ScrapingHub article-body metric: \w+ tokens, 4-gram
//    shingles counted with multiplicity, per-page tp/fp/fn normalised to
//    sum 1, precision and recall averaged over pages (pages without
//    predicted resp. true shingles left out), F1 of the two means.
//  * ScoreSnippets: trafilatura's evaluation: each "with" snippet found in
//    the whitespace-normalised output is a true positive (else a false
//    negative), each "without" snippet found is a false positive;
//    micro-averaged over all pages.
#ifndef WINNOW_HTML_EVAL_H_
#define WINNOW_HTML_EVAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "winnow/status.h"

namespace winnow::html::eval {

// Reads `path` (gzip or plain) and converts it to UTF-8.
Status LoadPage(const std::string& path, std::string* utf8);

// Reads a whole (plain) file.
Status ReadFile(const std::string& path, std::string* out);

struct Scores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  size_t pages = 0;
};

struct ShinglePair {
  std::string truth;
  std::string prediction;
};

Scores ScoreShingles(const std::vector<ShinglePair>& pages);

struct SnippetPage {
  std::vector<std::string> with;
  std::vector<std::string> without;
  std::string prediction;
};

Scores ScoreSnippets(const std::vector<SnippetPage>& pages);

// Parses snippets.json ({id: {"with": [...], "without": [...]}}) into
// (id, page) pairs with empty predictions.
Status LoadSnippets(const std::string& path,
                    std::vector<std::pair<std::string, SnippetPage>>* out);

}  // namespace winnow::html::eval

#endif  // WINNOW_HTML_EVAL_H_
