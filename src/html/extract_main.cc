// extract_tool: main-content extraction from the command line.
//
//   extract_tool [--markdown] [--meta] FILE.html|-
//       prints the extracted text (and, with --meta, the metadata first)
//   extract_tool --eval SET_DIR --out PRED_DIR [--markdown]
//       writes PRED_DIR/<id>.txt for every SET_DIR/html/<id>.html.gz, then
//       prints precision/recall/F1 against SET_DIR/gt/<id>.txt (ScrapingHub
//       metric) or SET_DIR/snippets.json (trafilatura's), and the
//       extraction speed (CPU time, charset decoding excluded).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "html/eval.h"
#include "html/extractor.h"

namespace {

using winnow::Status;
namespace eval = winnow::html::eval;
namespace fs = std::filesystem;

double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

int Usage() {
  std::fprintf(stderr,
               "usage: extract_tool [--markdown] [--meta] FILE.html|-\n"
               "       extract_tool --eval SET_DIR --out PRED_DIR [--markdown]\n");
  return 2;
}

int ExtractOne(const std::string& path, const winnow::html::ExtractOptions& options, bool meta) {
  std::string html;
  if (path == "-") {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0) html.append(buf, n);
  } else {
    Status st = eval::LoadPage(path, &html);
    if (!st.ok()) {
      std::fprintf(stderr, "extract_tool: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  winnow::html::Extractor extractor(options);
  winnow::html::ExtractResult result;
  Status st = extractor.Extract(html, &result);
  if (!st.ok()) {
    std::fprintf(stderr, "extract_tool: %s\n", st.ToString().c_str());
    return 1;
  }
  if (meta) {
    std::printf("title: %s\ndate: %s\nauthor: %s\ncanonical_url: %s\ndeclared_language: %s\n\n",
                result.title.c_str(), result.date.c_str(), result.author.c_str(),
                result.canonical_url.c_str(), result.declared_language.c_str());
  }
  std::fwrite(result.text.data(), 1, result.text.size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

int Eval(const std::string& set_dir, const std::string& out_dir,
         const winnow::html::ExtractOptions& options) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(set_dir) / "html", ec)) {
    std::string name = entry.path().filename().string();
    const std::string suffix = ".html.gz";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      ids.push_back(name.substr(0, name.size() - suffix.size()));
  }
  if (ec || ids.empty()) {
    std::fprintf(stderr, "extract_tool: no html/*.html.gz under %s\n", set_dir.c_str());
    return 1;
  }
  std::sort(ids.begin(), ids.end());
  fs::create_directories(out_dir, ec);
  std::vector<std::string> pages(ids.size());
  size_t bytes = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    Status st = eval::LoadPage((fs::path(set_dir) / "html" / (ids[i] + ".html.gz")).string(), &pages[i]);
    if (!st.ok()) {
      std::fprintf(stderr, "extract_tool: %s\n", st.ToString().c_str());
      return 1;
    }
    bytes += pages[i].size();
  }
  winnow::html::Extractor extractor(options);
  winnow::html::ExtractResult result;
  std::vector<std::string> texts(ids.size());
  double t0 = CpuSeconds();
  for (size_t i = 0; i < ids.size(); ++i) {
    Status st = extractor.Extract(pages[i], &result);
    if (!st.ok()) {
      std::fprintf(stderr, "extract_tool: %s: %s\n", ids[i].c_str(), st.ToString().c_str());
      return 1;
    }
    texts[i].swap(result.text);
  }
  double secs = CpuSeconds() - t0;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string path = (fs::path(out_dir) / (ids[i] + ".txt")).string();
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
      std::fprintf(stderr, "extract_tool: cannot write %s\n", path.c_str());
      return 1;
    }
    std::fwrite(texts[i].data(), 1, texts[i].size(), f);
    std::fclose(f);
  }
  std::printf("pages %zu  %.1f MB  cpu %.3f s  %.0f pages/s  %.1f MB/s\n", ids.size(), bytes / 1e6,
              secs, ids.size() / secs, bytes / 1e6 / secs);

  eval::Scores scores;
  fs::path snippets = fs::path(set_dir) / "snippets.json";
  if (fs::exists(snippets)) {
    std::vector<std::pair<std::string, eval::SnippetPage>> sp;
    Status st = eval::LoadSnippets(snippets.string(), &sp);
    if (!st.ok()) {
      std::fprintf(stderr, "extract_tool: %s\n", st.ToString().c_str());
      return 1;
    }
    std::vector<eval::SnippetPage> scored;
    for (auto& [id, page] : sp) {
      auto it = std::lower_bound(ids.begin(), ids.end(), id);
      if (it == ids.end() || *it != id) continue;
      page.prediction = texts[static_cast<size_t>(it - ids.begin())];
      scored.push_back(std::move(page));
    }
    scores = eval::ScoreSnippets(scored);
  } else {
    std::vector<eval::ShinglePair> pairs;
    for (size_t i = 0; i < ids.size(); ++i) {
      eval::ShinglePair p;
      if (!eval::ReadFile((fs::path(set_dir) / "gt" / (ids[i] + ".txt")).string(), &p.truth).ok())
        continue;
      p.prediction = texts[i];
      pairs.push_back(std::move(p));
    }
    scores = eval::ScoreShingles(pairs);
  }
  std::printf("scored %zu  precision %.4f  recall %.4f  F1 %.4f\n", scores.pages, scores.precision,
              scores.recall, scores.f1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  winnow::html::ExtractOptions options;
  std::string eval_dir, out_dir, file;
  bool meta = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--markdown") {
      options.format = winnow::html::OutputFormat::kMarkdown;
    } else if (a == "--meta") {
      meta = true;
    } else if (a == "--eval" && i + 1 < argc) {
      eval_dir = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      return Usage();
    } else {
      file = a;
    }
  }
  if (!eval_dir.empty()) {
    if (out_dir.empty()) return Usage();
    return Eval(eval_dir, out_dir, options);
  }
  if (file.empty()) return Usage();
  return ExtractOne(file, options, meta);
}
