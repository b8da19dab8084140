// filters_agreement: prints how often winnow's quality filters agree with
// datatrove's recorded verdicts on the Reuters-21578 documents.
//
// Usage: filters_agreement [--shared DIR] [--examples N] [--signals]
// --signals runs every step with write_signals=true (verdicts must not change).
// DIR defaults to $WINNOW_SHARED_DIR, else /work/shared.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "filters/agreement.h"

int main(int argc, char** argv) {
  const char* env = std::getenv("WINNOW_SHARED_DIR");
  std::string shared = env != nullptr ? env : "/work/shared";
  size_t examples = 5;
  bool signals = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--shared") == 0 && i + 1 < argc) {
      shared = argv[++i];
    } else if (std::strcmp(argv[i], "--signals") == 0) {
      signals = true;
    } else if (std::strcmp(argv[i], "--examples") == 0 && i + 1 < argc) {
      examples = static_cast<size_t>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      std::fprintf(stderr, "usage: %s [--shared DIR] [--examples N] [--signals]\n", argv[0]);
      return 2;
    }
  }
  auto report = winnow::filters_agreement::Compare(
      shared + "/data/news/reuters21578.jsonl.gz",
      shared + "/data/oracle/reuters21578.datatrove.jsonl.gz", examples,
      signals);
  if (!report.ok()) {
    std::fprintf(stderr, "filters_agreement: %s\n",
                 report.status().ToString().c_str());
    return 1;
  }
  std::fputs(winnow::filters_agreement::FormatReport(report.value()).c_str(),
             stdout);
  return 0;
}
