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

bool ParseDouble(const char* s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s, &end);
  return end != s && *end == '\0';
}

bool ParseInt(const char* s, int64_t* out) {
  char* end = nullptr;
  *out = std::strtoll(s, &end, 10);
  return end != s && *end == '\0';
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
    int64_t n = 0;
    double f = 0;
    if (flag == "--docs" && ParseInt(value, &n)) {
      options.num_docs = n;
    } else if (flag == "--seed" && ParseInt(value, &n)) {
      options.seed = static_cast<uint64_t>(n);
    } else if (flag == "--sites" && ParseInt(value, &n)) {
      options.num_sites = static_cast<int>(n);
    } else if (flag == "--doc-bytes" && ParseInt(value, &n)) {
      options.target_doc_bytes = static_cast<int>(n);
    } else if (flag == "--debris" && ParseDouble(value, &f)) {
      options.debris_fraction = f;
    } else if (flag == "--junk" && ParseDouble(value, &f)) {
      options.junk_fraction = f;
    } else if (flag == "--near-dups" && ParseDouble(value, &f)) {
      options.near_dup_fraction = f;
    } else if (flag == "--exact-dups" && ParseDouble(value, &f)) {
      options.exact_dup_fraction = f;
    } else if (flag == "--bad" && ParseDouble(value, &f)) {
      options.bad_record_fraction = f;
    } else if (flag == "--site-templates" && ParseInt(value, &n) && (n == 0 || n == 1)) {
      options.site_templates = n == 1;
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
