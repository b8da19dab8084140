// gen_tool: a thin command-line face over GenerateCorpus, independent of the
// winnow CLI.
//
//   gen_tool --docs N --seed S --out FILE.jsonl [--truth FILE.jsonl]
//            [--sites N] [--doc-bytes B] [--debris F] [--junk F]
//            [--near-dups F] [--exact-dups F] [--bad F]
//            [--seed-page FILE.txt] [--site-templates 0|1]
//
// Prints the number of documents, bytes and seconds to stderr.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "gen/gen_flags.h"
#include "gen/generator.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: gen_tool --docs N --seed S --out FILE.jsonl [--truth FILE]\n"
               "                [--sites N] [--doc-bytes B] [--debris F] [--junk F]\n"
               "                [--near-dups F] [--exact-dups F] [--bad F]\n"
               "                [--seed-page FILE.txt] [--site-templates 0|1]\n");
  return 2;
}

class Output {
 public:
  explicit Output(const std::string& path) {
    if (path.empty()) return;
    f_ = std::fopen(path.c_str(), "wb");
    if (f_ != nullptr) std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  }
  ~Output() {
    if (f_ != nullptr) std::fclose(f_);
  }
  bool ok() const { return f_ != nullptr; }
  void Write(std::string_view s) {
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
    bytes_ += s.size();
  }
  // Closes the file; returns false if any write or the close failed.
  bool Close() {
    bool ok = !failed_ && std::fclose(f_) == 0;
    f_ = nullptr;
    return ok;
  }
  uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* f_ = nullptr;
  bool failed_ = false;
  uint64_t bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  winnow::GenOptions options;
  std::string out_path, truth_path, seed_page_path;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return Usage();
    const char* value = argv[++i];
    const winnow::GenFlag g = winnow::ParseGenFlag(flag, value, &options);
    if (g == winnow::GenFlag::kBad) return Usage();
    if (g == winnow::GenFlag::kSet) {
      continue;
    } else if (flag == "--out") {
      out_path = value;
    } else if (flag == "--truth") {
      truth_path = value;
    } else if (flag == "--seed-page") {
      seed_page_path = value;
    } else {
      return Usage();
    }
  }
  if (!seed_page_path.empty()) {
    Output page(seed_page_path);
    if (!page.ok()) {
      std::fprintf(stderr, "gen_tool: cannot open %s\n", seed_page_path.c_str());
      return 1;
    }
    page.Write(winnow::GenerateSeedLikePage(options.seed, nullptr));
    if (!page.Close()) return 1;
    if (out_path.empty()) return 0;
  }
  if (out_path.empty()) return Usage();
  Output out(out_path);
  Output truth(truth_path);
  if (!out.ok() || (!truth_path.empty() && !truth.ok())) {
    std::fprintf(stderr, "gen_tool: cannot open output\n");
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  std::function<void(std::string_view)> emit_truth;
  if (truth.ok()) emit_truth = [&](std::string_view s) { truth.Write(s); };
  winnow::Status st = winnow::GenerateCorpus(
      options, [&](std::string_view s) { out.Write(s); }, emit_truth);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!st.ok()) {
    std::fprintf(stderr, "gen_tool: %s\n", st.ToString().c_str());
    return 1;
  }
  uint64_t doc_bytes = out.bytes(), truth_bytes = truth.bytes();
  if (!out.Close() || (truth.ok() && !truth.Close())) {
    std::fprintf(stderr, "gen_tool: write failed\n");
    return 1;
  }
  std::fprintf(stderr, "gen_tool: %lld docs, %llu doc bytes, %llu truth bytes, %.2f s\n",
               static_cast<long long>(options.num_docs),
               static_cast<unsigned long long>(doc_bytes),
               static_cast<unsigned long long>(truth_bytes), seconds);
  return 0;
}
