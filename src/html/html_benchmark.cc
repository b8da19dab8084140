// Extraction speed on the 181 ScrapingHub pages (decompressed and decoded
// in memory first): parse only, and parse + extraction. Reports pages/s
// (items) and MB/s (bytes). Needs WINNOW_SHARED_DIR or ../shared.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "html/eval.h"
#include "html/extractor.h"
#include "html/html_parser.h"

namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& Pages() {
  static const std::vector<std::string> pages = [] {
    std::vector<std::string> out;
    const char* env = std::getenv("WINNOW_SHARED_DIR");
    fs::path dir = fs::path(env ? env : "../shared") / "data" / "extraction" / "scrapinghub" / "html";
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string html;
      if (winnow::html::eval::LoadPage(f.string(), &html).ok()) out.push_back(std::move(html));
    }
    return out;
  }();
  return pages;
}

size_t TotalBytes() {
  size_t n = 0;
  for (const std::string& p : Pages()) n += p.size();
  return n;
}

void BM_Parse(benchmark::State& state) {
  if (Pages().empty()) {
    state.SkipWithError("no pages (set WINNOW_SHARED_DIR)");
    return;
  }
  winnow::html::HtmlParser parser;
  winnow::html::Dom dom;
  for (auto _ : state) {
    for (const std::string& p : Pages()) {
      parser.Parse(p, &dom);
      benchmark::DoNotOptimize(dom.size());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Pages().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(TotalBytes()));
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

void BM_Extract(benchmark::State& state) {
  if (Pages().empty()) {
    state.SkipWithError("no pages (set WINNOW_SHARED_DIR)");
    return;
  }
  winnow::html::ExtractOptions options;
  options.format = state.range(0) ? winnow::html::OutputFormat::kMarkdown
                                  : winnow::html::OutputFormat::kText;
  winnow::html::Extractor extractor(options);
  winnow::html::ExtractResult result;
  for (auto _ : state) {
    for (const std::string& p : Pages()) {
      benchmark::DoNotOptimize(extractor.Extract(p, &result).ok());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Pages().size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(TotalBytes()));
}
BENCHMARK(BM_Extract)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
