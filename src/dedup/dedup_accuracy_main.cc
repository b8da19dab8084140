// dedup_accuracy: precision and recall of near-duplicate detection on
// generated families of near copies with known true Jaccard similarity,
// through the real job runner; and removals on Reuters against datatrove.
//
//   dedup_accuracy [--seed N] [--families F] [--copies C] [--singletons S]
//                  [--threshold T] [--work DIR]
//       generates the corpus (near_copy_gen.h), computes the true Jaccard
//       similarity of every pair of documents (word 5-gram shingle sets,
//       64-bit hashes, as MinHasher), runs minhash_dedup in annotate mode
//       with the defaults and with verify_jaccard: T, and prints precision
//       and recall of pairs (two documents in one cluster) against the true
//       pairs with similarity >= T, and of removals.
//   dedup_accuracy --write DIR [--files K] [generation options]
//       only writes the generated corpus as K JSONL files (for benchmarks).
//   dedup_accuracy --reuters DOCS.jsonl.gz --oracle ORACLE.jsonl.gz [--work DIR]
//       runs minhash_dedup (default and verified) on Reuters and compares
//       the removed documents with datatrove's `minhash.dedup` verdicts.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json_writer.h"
#include "dedup/minhash.h"
#include "dedup/near_copy_gen.h"
#include "io/input_stream.h"
#include "pipeline/config.h"
#include "pipeline/job.h"

namespace winnow::dedup {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  auto in = OpenInputStream(path, InputLimits{});
  if (!in.ok()) {
    std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), in.status().ToString().c_str());
    std::exit(1);
  }
  std::string out;
  std::vector<char> buf(1 << 20);
  for (;;) {
    size_t got = 0;
    Status st = in.value()->Read(buf.data(), buf.size(), &got);
    if (!st.ok()) {
      std::fprintf(stderr, "read %s: %s\n", path.c_str(), st.ToString().c_str());
      std::exit(1);
    }
    if (got == 0) break;
    out.append(buf.data(), got);
  }
  return out;
}

// Calls fn(line) for every JSONL line of the file, or of every shard under
// the directory.
template <typename Fn>
void ForEachLine(const std::string& dir, Fn&& fn) {
  if (!fs::exists(dir)) return;
  std::vector<std::string> files;
  if (fs::is_directory(dir)) {
    for (auto& e : fs::directory_iterator(dir)) files.push_back(e.path().string());
  } else {
    files.push_back(dir);
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string data = ReadAll(f);
    size_t start = 0;
    while (start < data.size()) {
      size_t end = data.find('\n', start);
      if (end == std::string::npos) end = data.size();
      if (end > start) fn(std::string_view(data).substr(start, end - start));
      start = end + 1;
    }
  }
}

std::string JsonLine(const std::string& id, const std::string& text) {
  std::string line = "{\"id\":";
  AppendJsonString(id, &line);
  line += ",\"text\":";
  AppendJsonString(text, &line);
  return line + "}\n";
}

Result<JobSummary> RunMinhash(const std::vector<std::string>& inputs, const std::string& out,
                              std::map<std::string, std::string> options) {
  fs::remove_all(out);
  JobConfig c;
  c.inputs = inputs;
  c.output_dir = out;
  c.recipe = "custom";
  StepSpec s;
  s.type = s.name = "minhash_dedup";
  s.options = std::move(options);
  c.steps.push_back(s);
  c.threads = 2;
  return RunJob(c, {});
}

struct Flags {
  NearCopyOptions gen;
  double threshold = 0.8;
  std::string work = "/tmp/winnow-dedup-accuracy";
  std::string write;
  int files = 2;
  std::string reuters, oracle;
};

double Ratio(uint64_t a, uint64_t b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; }

int Generated(const Flags& flags) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<NearCopyDoc> docs = GenerateNearCopies(flags.gen);
  // Two input files; document i goes to file i * 2 / n, so its id number is
  // (file << 40) | ordinal.
  fs::create_directories(flags.work);
  const size_t n = docs.size();
  const int nfiles = 2;
  std::vector<std::string> inputs;
  std::unordered_map<uint64_t, size_t> by_number;
  std::unordered_map<std::string, size_t> by_id;
  for (int f = 0; f < nfiles; ++f) {
    std::string path = flags.work + "/in-" + std::to_string(f) + ".jsonl";
    std::ofstream out(path, std::ios::binary);
    uint64_t ordinal = 0;
    for (size_t i = 0; i < n; ++i) {
      if (static_cast<int>(i * nfiles / n) != f) continue;
      out << JsonLine(docs[i].id, docs[i].text);
      by_number[(uint64_t{static_cast<uint64_t>(f)} << 40) | ordinal++] = i;
      by_id[docs[i].id] = i;
    }
    inputs.push_back(path);
  }

  // True similarity: sorted distinct 64-bit shingle sets.
  MinHasher hasher(MinHashConfig{});
  std::vector<std::vector<uint64_t>> sets(n);
  for (size_t i = 0; i < n; ++i) {
    hasher.Shingles(docs[i].text, &sets[i]);
    std::sort(sets[i].begin(), sets[i].end());
    sets[i].erase(std::unique(sets[i].begin(), sets[i].end()), sets[i].end());
  }
  auto jaccard = [&](size_t a, size_t b) {
    const auto& x = sets[a];
    const auto& y = sets[b];
    if (x.empty() || y.empty()) return 0.0;
    size_t common = 0, i = 0, j = 0;
    while (i < x.size() && j < y.size()) {
      if (x[i] < y[j]) ++i;
      else if (y[j] < x[i]) ++j;
      else { ++common; ++i; ++j; }
    }
    return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
  };
  // Candidate pairs for the truth: documents sharing at least one shingle
  // (an inverted index), then the exact Jaccard of each.
  std::set<std::pair<size_t, size_t>> truth;
  std::vector<bool> true_dup(n, false);  // similar to an earlier document
  {
    std::unordered_map<uint64_t, std::vector<uint32_t>> postings;
    std::vector<uint32_t> seen_mark(n, UINT32_MAX);
    for (size_t b = 0; b < n; ++b) {
      std::vector<size_t> partners;
      for (uint64_t sh : sets[b]) {
        auto& list = postings[sh];
        for (uint32_t a : list) {
          if (seen_mark[a] == b) continue;
          seen_mark[a] = static_cast<uint32_t>(b);
          partners.push_back(a);
        }
        list.push_back(static_cast<uint32_t>(b));
      }
      for (size_t a : partners) {
        if (jaccard(a, b) >= flags.threshold) {
          truth.insert({a, b});
          true_dup[b] = true;
        }
      }
    }
  }
  uint64_t true_dups = 0;
  for (bool d : true_dup) true_dups += d;
  // Distribution of true similarity inside families.
  std::map<int, uint64_t> family_hist;  // tenths
  std::map<int, std::vector<size_t>> members_of;
  for (size_t i = 0; i < n; ++i)
    if (docs[i].family >= 0) members_of[docs[i].family].push_back(i);
  for (const auto& [family, members] : members_of)
    for (size_t x = 0; x < members.size(); ++x)
      for (size_t y = x + 1; y < members.size(); ++y)
        family_hist[static_cast<int>(jaccard(members[x], members[y]) * 10)]++;
  double gen_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("corpus: %zu documents (%d families x %d, %d singletons), seed %llu; "
              "%zu true pairs with Jaccard >= %.2f, %llu documents similar to an earlier one "
              "(%.1f s to generate and compute truth)\n",
              n, flags.gen.families, flags.gen.copies + 1, flags.gen.singletons,
              static_cast<unsigned long long>(flags.gen.seed), truth.size(), flags.threshold,
              static_cast<unsigned long long>(true_dups), gen_seconds);
  std::printf("pairs inside families by true Jaccard:");
  for (const auto& [tenth, count] : family_hist)
    std::printf(" [%.1f,%.1f):%llu", tenth / 10.0, tenth / 10.0 + 0.1,
                static_cast<unsigned long long>(count));
  std::printf("\n\n");

  std::printf("| mode | pairs found | pair precision | pair recall | removed | removal precision | "
              "removal recall | candidate pairs | seconds |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  char threshold_text[32];
  std::snprintf(threshold_text, sizeof(threshold_text), "%g", flags.threshold);
  for (int mode = 0; mode < 2; ++mode) {
    std::map<std::string, std::string> options = {{"mode", "annotate"}};
    if (mode == 1) options["verify_jaccard"] = threshold_text;
    std::string out = flags.work + (mode == 0 ? "/out-default" : "/out-verified");
    auto t1 = std::chrono::steady_clock::now();
    auto summary = RunMinhash(inputs, out, options);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (!summary.ok() || summary->tasks_failed > 0) {
      std::fprintf(stderr, "run failed: %s\n",
                   summary.ok() ? summary->summary_line.c_str() : summary.status().ToString().c_str());
      return 1;
    }
    // cluster id -> members
    std::map<uint64_t, std::vector<size_t>> clusters;
    simdjson::dom::parser parser;
    ForEachLine(out + "/kept", [&](std::string_view line) {
      simdjson::dom::element doc;
      if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) return;
      std::string_view id;
      if (doc["id"].get(id) != simdjson::SUCCESS) return;
      int64_t cluster = 0;
      if (doc["metadata"]["dedup"]["cluster_id"].get(cluster) != simdjson::SUCCESS) return;
      clusters[static_cast<uint64_t>(cluster)].push_back(by_id.at(std::string(id)));
    });
    uint64_t found = 0, tp = 0, removed = 0, removed_ok = 0, removed_true = 0;
    for (auto& [cluster, members] : clusters) {
      std::sort(members.begin(), members.end());
      const size_t survivor = by_number.at(cluster);
      for (size_t i = 0; i < members.size(); ++i) {
        for (size_t j = i + 1; j < members.size(); ++j) {
          ++found;
          tp += truth.count({members[i], members[j]});
        }
        if (members[i] == survivor) continue;
        ++removed;
        removed_ok += jaccard(members[i], survivor) >= flags.threshold;
        removed_true += true_dup[members[i]];
      }
    }
    auto& counters = summary->stage_counters["minhash_dedup"];
    std::printf("| %s | %llu | %.4f | %.4f | %llu | %.4f | %.4f | %lld | %.1f |\n",
                mode == 0 ? "default (LSH only)" : ("verified, verify_jaccard " + std::string(threshold_text)).c_str(),
                static_cast<unsigned long long>(found), Ratio(tp, found), Ratio(tp, truth.size()),
                static_cast<unsigned long long>(removed), Ratio(removed_ok, removed),
                Ratio(removed_true, true_dups), static_cast<long long>(counters["candidate_pairs"]),
                seconds);
  }
  std::printf("\npair precision: share of same-cluster pairs whose true Jaccard >= %s; pair recall: "
              "share of true pairs that ended in one cluster. removal precision: share of removed "
              "documents whose true Jaccard with their cluster's survivor is >= %s; removal recall: "
              "share of documents similar to an earlier one that were removed.\n",
              threshold_text, threshold_text);
  return 0;
}

int WriteOnly(const Flags& flags) {
  std::vector<NearCopyDoc> docs = GenerateNearCopies(flags.gen);
  fs::create_directories(flags.write);
  const size_t n = docs.size();
  for (int f = 0; f < flags.files; ++f) {
    char name[64];
    std::snprintf(name, sizeof(name), "/part-%03d.jsonl", f);
    std::ofstream out(flags.write + name, std::ios::binary);
    for (size_t i = 0; i < n; ++i)
      if (static_cast<int>(i * flags.files / n) == f) out << JsonLine(docs[i].id, docs[i].text);
  }
  std::printf("wrote %zu documents to %s\n", n, flags.write.c_str());
  return 0;
}

int Reuters(const Flags& flags) {
  std::set<std::string> datatrove_drops;
  size_t oracle_docs = 0;
  simdjson::dom::parser parser;
  ForEachLine(flags.oracle, [&](std::string_view line) {
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) return;
    ++oracle_docs;
    std::string_view id, verdict;
    if (doc["id"].get(id) == simdjson::SUCCESS &&
        doc["minhash"]["dedup"].get(verdict) == simdjson::SUCCESS && verdict != "keep")
      datatrove_drops.insert(std::string(id));
  });
  std::printf("datatrove (oracle): %zu documents, %zu removed by MinHash dedup\n\n", oracle_docs,
              datatrove_drops.size());
  std::printf("| mode | removed | also removed by datatrove | only winnow | only datatrove | seconds |\n"
              "|---|---:|---:|---:|---:|---:|\n");
  char threshold_text[32];
  std::snprintf(threshold_text, sizeof(threshold_text), "%g", flags.threshold);
  for (int mode = 0; mode < 3; ++mode) {
    std::map<std::string, std::string> options;
    std::string name = "default";
    if (mode == 1) {
      options["verify_jaccard"] = threshold_text;
      name = std::string("verify_jaccard ") + threshold_text;
    } else if (mode == 2) {
      options["keep"] = "longest";
      name = "keep: longest";
    }
    std::string out = flags.work + "/reuters-" + std::to_string(mode);
    auto t1 = std::chrono::steady_clock::now();
    auto summary = RunMinhash({flags.reuters}, out, options);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (!summary.ok() || summary->tasks_failed > 0) {
      std::fprintf(stderr, "run failed\n");
      return 1;
    }
    std::set<std::string> removed;
    ForEachLine(out + "/removed", [&](std::string_view line) {
      simdjson::dom::element doc;
      std::string_view id, by;
      if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) return;
      if (doc["id"].get(id) != simdjson::SUCCESS) return;
      if (doc["metadata"]["winnow"]["removed_by"].get(by) == simdjson::SUCCESS && by != "minhash_dedup")
        return;
      removed.insert(std::string(id));
    });
    size_t both = 0;
    for (const auto& id : removed) both += datatrove_drops.count(id);
    std::printf("| %s | %zu | %zu | %zu | %zu | %.2f |\n", name.c_str(), removed.size(), both,
                removed.size() - both, datatrove_drops.size() - both, seconds);
  }
  return 0;
}

int Main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seed") flags.gen.seed = std::stoull(next());
    else if (a == "--families") flags.gen.families = std::stoi(next());
    else if (a == "--copies") flags.gen.copies = std::stoi(next());
    else if (a == "--singletons") flags.gen.singletons = std::stoi(next());
    else if (a == "--words") flags.gen.words_per_doc = std::stoi(next());
    else if (a == "--max-edit") flags.gen.max_edit_fraction = std::stod(next());
    else if (a == "--threshold") flags.threshold = std::stod(next());
    else if (a == "--work") flags.work = next();
    else if (a == "--write") flags.write = next();
    else if (a == "--files") flags.files = std::stoi(next());
    else if (a == "--reuters") flags.reuters = next();
    else if (a == "--oracle") flags.oracle = next();
    else {
      std::fprintf(stderr, "unknown argument %s (see the header of dedup_accuracy_main.cc)\n",
                   a.c_str());
      return 2;
    }
  }
  if (!flags.write.empty()) return WriteOnly(flags);
  if (!flags.reuters.empty()) return Reuters(flags);
  return Generated(flags);
}

}  // namespace
}  // namespace winnow::dedup

int main(int argc, char** argv) { return winnow::dedup::Main(argc, argv); }
