// The site boilerplate stage: its phases in isolation (against the in-memory
// computation of boilerplate.h) and through the job runner on a generated
// corpus with site templates.
#include "pipeline/boilerplate_stage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "boilerplate/boilerplate.h"
#include "core/json_writer.h"
#include "formats/record_reader.h"
#include "gen/generator.h"
#include "io/output_file.h"
#include "io/testing.h"
#include "pipeline/config.h"
#include "pipeline/job.h"
#include "pipeline/stats.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
namespace bp = boilerplate;

bool HavePsl() {
  return fs::exists(std::string(bp::kDebianPublicSuffixListPath));
}

using winnow::testing::TempDir;

void WriteFile(const std::string& path, const std::string& data) {
  ASSERT_TRUE(WriteFileAtomically(path, data).ok()) << path;
}

std::string ReadFile(const std::string& path) {
  std::string data;
  EXPECT_TRUE(ReadFileToString(path, &data).ok()) << path;
  return data;
}

// Every document of a JSONL file (or shard), in order.
std::vector<Document> ReadDocs(const std::string& path) {
  std::vector<Document> docs;
  auto reader = OpenRecordReader(path, 0, ReaderOptions{});
  EXPECT_TRUE(reader.ok()) << path;
  if (!reader.ok()) return docs;
  Document doc;
  Rejection rej;
  for (;;) {
    RecordReader::Next next = reader.value()->Read(&doc, &rej);
    if (next == RecordReader::Next::kEnd) break;
    if (next == RecordReader::Next::kRejected) continue;
    docs.push_back(doc);
  }
  return docs;
}

struct Corpus {
  std::vector<std::string> files;
  std::map<std::string, GenTruth> truth;  // by id
};

// A site-templates corpus over `nfiles` JSONL files.
Corpus MakeCorpus(const std::string& dir, int nfiles, int64_t docs, int sites) {
  GenOptions opt;
  opt.seed = 7;
  opt.num_docs = docs;
  opt.num_sites = sites;
  opt.site_templates = true;
  Corpus c;
  std::vector<std::string> lines;
  EXPECT_TRUE(GenerateCorpusWithTruth(
                  opt, [&](std::string_view l) { lines.emplace_back(l); },
                  [&](const GenTruth& t) { c.truth[t.id] = t; })
                  .ok());
  std::vector<std::string> parts(nfiles);
  for (size_t i = 0; i < lines.size(); ++i)
    parts[i * nfiles / lines.size()] += lines[i];
  for (int f = 0; f < nfiles; ++f) {
    c.files.push_back(dir + "/part-" + std::to_string(f) + ".jsonl");
    WriteFile(c.files.back(), parts[f]);
  }
  return c;
}

StepSpec BoilerplateSpec(std::map<std::string, std::string> options = {}) {
  StepSpec s;
  s.type = s.name = "boilerplate";
  s.options = std::move(options);
  return s;
}

// Runs the four phases by hand over `files` with the step options `options`
// and returns every document's text after apply (in input order), and
// whether it was too short.
std::vector<std::pair<std::string, bool>> RunPhases(
    const std::vector<std::string>& files, const std::string& dir,
    uint32_t partitions, std::map<std::string, std::string> options = {}) {
  BoilerplateStageConfig config;
  options["partitions"] = std::to_string(partitions);
  EXPECT_TRUE(
      ParseBoilerplateStage(BoilerplateSpec(std::move(options)), &config).ok());
  fs::create_directories(dir);
  std::vector<std::vector<Document>> docs;
  for (size_t i = 0; i < files.size(); ++i) {
    docs.push_back(ReadDocs(files[i]));
    char name[32];
    std::snprintf(name, sizeof(name), "%05zu", i);
    auto mapper = BoilerplateMapper::Create(&config, dir + "/site-" + name,
                                            dir + "/cross-" + name,
                                            static_cast<uint32_t>(i));
    EXPECT_TRUE(mapper.ok());
    for (const Document& d : docs.back()) mapper.value()->Add(d);
    EXPECT_TRUE(mapper.value()->Finish().ok());
  }
  for (uint32_t p = 0; p < partitions; ++p) {
    std::vector<std::string> runs, cross_runs;
    char part[32];
    std::snprintf(part, sizeof(part), ".p%05u.run", p);
    for (size_t i = 0; i < files.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "%05zu", i);
      runs.push_back(dir + "/site-" + name + part);
      if (config.options.cross_site == bp::CrossSiteMode::kRemove)
        cross_runs.push_back(dir + "/cross-" + name + part);
    }
    Status st = ReduceBoilerplatePartition(config, runs, cross_runs,
                                           BoilerplateReduceFiles(dir, p));
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  std::vector<std::string> decisions;
  for (size_t i = 0; i < files.size(); ++i)
    decisions.push_back(dir + "/decisions-" + std::to_string(i) + ".run");
  BoilerplateCounts counts;
  Status st = FinalizeBoilerplate(config, dir, decisions, &counts);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_GT(counts.boilerplate_groups, 0);
  std::vector<std::pair<std::string, bool>> out;
  for (size_t i = 0; i < files.size(); ++i) {
    BoilerplateApplier applier;
    st = applier.Open(&config, dir, decisions[i]);
    EXPECT_TRUE(st.ok()) << st.ToString();
    for (Document& d : docs[i]) {
      BoilerplateApplier::Outcome o = applier.Apply(&d);
      out.emplace_back(d.text, o.too_short);
    }
  }
  return out;
}

TEST(BoilerplateStage,
     PhasesOverFilesMatchTheInMemoryComputationForAnyPartitionCount) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 3, 900, 25);
  // The defaults, then with cross-site removal (cross.run next to
  // propagated.run).
  const std::map<std::string, std::string> variants[] = {
      {}, {{"cross_site", "remove"}, {"cross_site_min_sites", "3"}}};
  std::vector<std::pair<std::string, bool>> defaults;
  for (const auto& options : variants) {
    SCOPED_TRACE(options.empty() ? "defaults" : "cross_site remove");
    const std::string dir = tmp.path() + (options.empty() ? "/d" : "/x");
    // The reference: everything in memory.
    BoilerplateStageConfig config;
    ASSERT_TRUE(ParseBoilerplateStage(BoilerplateSpec(options), &config).ok());
    bp::InMemoryBoilerplate mem(config.psl.get(), config.options);
    std::vector<Document> all;
    std::string scratch;
    for (const std::string& f : c.files)
      for (Document& d : ReadDocs(f)) all.push_back(std::move(d));
    for (const Document& d : all)
      mem.AddDocument(DocumentUrl(d, &scratch), d.text);
    mem.Compute();
    std::vector<std::pair<std::string, bool>> want;
    int changed = 0;
    for (const Document& d : all) {
      std::string out;
      bp::ApplyResult r = mem.Apply(DocumentUrl(d, &scratch), d.text, &out);
      changed += r.lines_removed > 0;
      want.emplace_back(r.too_short || r.lines_removed == 0 ? d.text : out,
                        r.too_short);
    }
    EXPECT_GT(changed, 100);
    EXPECT_EQ(RunPhases(c.files, dir + "/p1", 1, options), want);
    EXPECT_EQ(RunPhases(c.files, dir + "/p5", 5, options), want);
    if (options.empty()) {
      defaults = want;
    } else {
      EXPECT_NE(want, defaults);  // cross-site removal took lines
    }
  }
}

TEST(BoilerplateStage, UrlComesFromMetadataOrTopLevelAndIsUnescaped) {
  std::string scratch;
  auto docs_of = [](const std::string& line) {
    TempDir tmp;
    WriteFile(tmp.path() + "/a.jsonl", line + "\n");
    return ReadDocs(tmp.path() + "/a.jsonl");
  };
  auto d = docs_of(
      R"({"id":"a","text":"x","metadata":{"url":"https:\/\/a.example.com\/x"}})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(DocumentUrl(d[0], &scratch), "https://a.example.com/x");
  d = docs_of(R"({"id":"a","text":"x","url":"http://b.example.org/"})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(DocumentUrl(d[0], &scratch), "http://b.example.org/");
  d = docs_of(R"({"id":"a","text":"x","url":null})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(DocumentUrl(d[0], &scratch), "");
  d = docs_of(R"({"id":"a","text":"x"})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(DocumentUrl(d[0], &scratch), "");
}

TEST(BoilerplateStage, MissingPublicSuffixListIsAClearConfigError) {
  BoilerplateStageConfig config;
  Status st = ParseBoilerplateStage(
      BoilerplateSpec({{"psl_path", "/nonexistent/psl.dat"}}), &config);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/nonexistent/psl.dat"), std::string::npos)
      << st.ToString();
  EXPECT_NE(st.message().find("publicsuffix"), std::string::npos)
      << st.ToString();
  st = ParseBoilerplateStage(BoilerplateSpec({{"min_fraktion", "0.2"}}),
                             &config);
  EXPECT_FALSE(st.ok());
  st = ParseBoilerplateStage(BoilerplateSpec({{"cross_site", "maybe"}}),
                             &config);
  EXPECT_FALSE(st.ok());
}

// --- Through the job runner -------------------------------------------------

// Every regular file under `dir` except .work and stats.json.
std::map<std::string, std::string> OutputFiles(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).string();
    if (rel.rfind(".work", 0) == 0 || rel == "stats.json") continue;
    files[rel] = ReadFile(e.path().string());
  }
  return files;
}

std::string StatsWithoutTimings(const std::string& dir) {
  static const std::regex kVarying(
      "\"(seconds|wall_seconds|phases|phases_cpu|tasks_skipped|tasks_fused|tasks|"
      "threads)"
      "\":(\\{[^{}]*\\}|[-+0-9.eE]+)");
  return std::regex_replace(ReadFile(dir + "/stats.json"), kVarying,
                            "\"$1\":_");
}

void ExpectSameOutputs(const std::string& got, const std::string& want) {
  auto g = OutputFiles(got), w = OutputFiles(want);
  std::vector<std::string> gn, wn;
  for (const auto& [k, v] : g) gn.push_back(k);
  for (const auto& [k, v] : w) wn.push_back(k);
  ASSERT_EQ(gn, wn);
  for (const auto& [k, v] : w) EXPECT_TRUE(g.at(k) == v) << k << " differs";
  EXPECT_EQ(StatsWithoutTimings(got), StatsWithoutTimings(want));
}

JobConfig BoilerplateJob(const std::vector<std::string>& inputs,
                         const std::string& out, int threads,
                         std::map<std::string, std::string> options = {}) {
  JobConfig c;
  c.inputs = inputs;
  c.output_dir = out;
  c.recipe = "boilerplate";
  c.threads = threads;
  EXPECT_TRUE(RecipeSteps("boilerplate", &c.steps).ok());
  for (auto& [k, v] : options) c.steps[0].options[k] = v;
  return c;
}

std::vector<Document> ReadShards(const std::string& dir) {
  std::vector<Document> docs;
  if (!fs::exists(dir)) return docs;
  std::vector<std::string> paths;
  for (auto& e : fs::directory_iterator(dir))
    paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  for (const std::string& p : paths)
    for (Document& d : ReadDocs(p)) docs.push_back(std::move(d));
  return docs;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool Blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

std::map<std::string, std::string> TextsById(
    const std::vector<std::string>& files) {
  std::map<std::string, std::string> texts;
  for (const std::string& f : files)
    for (Document& d : ReadDocs(f)) texts[d.id] = std::move(d.text);
  return texts;
}

const StepStats* FindStep(const TaskStats& t, const std::string& name) {
  for (const StepStats& s : t.steps)
    if (s.name == name) return &s;
  return nullptr;
}

int64_t Counter(const StepStats* s, const std::string& key) {
  if (s == nullptr) return -1;
  auto it = s->counters.find(key);
  return it == s->counters.end() ? 0 : it->second;
}

TEST(BoilerplateJob, RemovesTemplateLinesAndKeepsQuotations) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 3, 1500, 30);
  const std::string out = tmp.path() + "/out";
  auto s = RunJob(BoilerplateJob(c.files, out, 2), {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->accounting_ok) << s->summary_line;

  // Score the kept documents' lines against the truth: walking the original
  // lines, a non-blank line is kept when it is the next non-blank output line.
  const std::map<std::string, std::string> originals = TextsById(c.files);
  int64_t tp = 0, fp = 0, fn = 0, quotes = 0, quotes_removed = 0;
  std::vector<Document> kept = ReadShards(out + "/kept");
  ASSERT_GT(kept.size(), 1000u);
  for (const Document& d : kept) {
    const GenTruth& t = c.truth.at(d.id);
    const std::vector<std::string> in = Lines(originals.at(d.id));
    const std::vector<std::string> got = Lines(d.text);
    size_t o = 0;
    for (size_t l = 0; l < in.size(); ++l) {
      if (Blank(in[l])) continue;
      while (o < got.size() && Blank(got[o])) ++o;
      const bool line_kept = o < got.size() && got[o] == in[l];
      if (line_kept) ++o;
      const char truth =
          l < t.site_boilerplate.size() ? t.site_boilerplate[l] : '-';
      const char role = l < t.line_roles.size() ? t.line_roles[l] : '-';
      if (role == 'Q') {
        ++quotes;
        quotes_removed += !line_kept;
      }
      if (truth == 'y') (line_kept ? fn : tp)++;
      if (truth == 'n') fp += !line_kept;
    }
  }
  const double precision =
      static_cast<double>(tp) / static_cast<double>(tp + fp);
  const double recall = static_cast<double>(tp) / static_cast<double>(tp + fn);
  std::printf(
      "  template lines removed %lld, content lines removed %lld, template "
      "lines left "
      "%lld: P %.4f R %.4f; quotations %lld, removed %lld\n",
      static_cast<long long>(tp), static_cast<long long>(fp),
      static_cast<long long>(fn), precision, recall,
      static_cast<long long>(quotes), static_cast<long long>(quotes_removed));
  EXPECT_GT(tp, 1000);
  EXPECT_GE(precision, 0.995);
  EXPECT_GE(recall, 0.85);
  EXPECT_GT(quotes, 0);
  EXPECT_EQ(quotes_removed, 0) << "a quoted sentence was removed";

  const StepStats* step = FindStep(s->totals, "boilerplate");
  ASSERT_NE(step, nullptr);
  // Also counts lines of documents then removed as too short.
  EXPECT_GE(Counter(step, "lines_removed"), tp + fp);
  EXPECT_GT(Counter(step, "docs_changed"), 0);
  const std::string stats = ReadFile(out + "/stats.json");
  EXPECT_NE(
      stats.find(
          "\"boilerplate\":{\"step\":\"boilerplate\",\"sites\":[{\"site\":"),
      std::string::npos);
  EXPECT_NE(stats.find("\"top_lines\":[{\"line\":"), std::string::npos);
}

TEST(BoilerplateJob, OutputDoesNotDependOnThreadsOrPartitions) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 3, 900, 20);
  const std::string ref = tmp.path() + "/j1";
  auto s1 = RunJob(BoilerplateJob(c.files, ref, 1, {{"partitions", "1"}}), {});
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  ASSERT_TRUE(s1->accounting_ok) << s1->summary_line;
  EXPECT_GT(s1->totals.removed, 0);
  for (const auto& [threads, partitions] :
       {std::pair{2, "3"}, std::pair{2, "8"}}) {
    const std::string out =
        tmp.path() + "/j" + std::to_string(threads) + "-" + partitions;
    auto s = RunJob(
        BoilerplateJob(c.files, out, threads, {{"partitions", partitions}}),
        {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ExpectSameOutputs(out, ref);
  }
}

TEST(BoilerplateJob, ResumesEveryPhaseAfterAnInterruptionToIdenticalBytes) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 3, 900, 20);
  const std::string ref = tmp.path() + "/ref";
  ASSERT_TRUE(
      RunJob(BoilerplateJob(c.files, ref, 2, {{"partitions", "4"}}), {}).ok());
  const std::string out = tmp.path() + "/out";
  const JobConfig job = BoilerplateJob(c.files, out, 2, {{"partitions", "4"}});
  ASSERT_TRUE(RunJob(job, {}).ok());
  // Lose what a kill in each phase would lose: a map task (segment 0), a
  // reduce task, the finalize, an apply task (segment 1) with its shards.
  for (const char* rel :
       {".work/process/00002.done", ".work/s0/sitelines-00001.run",
        ".work/s0/finalize.done", ".work/seg1/00001.done",
        "kept/00001.jsonl.zst", "removed/00001-1.jsonl.zst", "stats.json"})
    fs::remove(out + "/" + rel);
  auto again = RunJob(job, {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_GT(again->tasks_skipped, 0);
  EXPECT_TRUE(again->accounting_ok) << again->summary_line;
  ExpectSameOutputs(out, ref);
}

TEST(BoilerplateJob, DocumentsWithoutAUsableUrlAreCountedAndLeftUntouched) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 2, 900, 10);
  // Template pages of the corpus again, without a usable URL or on IP hosts.
  std::vector<Document> docs = ReadDocs(c.files[0]);
  std::string extra;
  int n = 0;
  for (const Document& d : docs) {
    if (c.truth.at(d.id).site_boilerplate.find('y') == std::string::npos)
      continue;
    const int kind = n % 3;
    std::string line =
        "{\"id\":\"nosite-" + std::to_string(n++) + "\",\"text\":";
    AppendJsonString(d.text, &line);
    if (kind == 1) line += ",\"url\":\"not a url\"";
    // An IP host is a site of its own (here of one page each).
    if (kind == 2)
      line += ",\"metadata\":{\"url\":\"http://192.0.2." + std::to_string(n) +
              "/\"}";
    extra += line + "}\n";
    if (n == 60) break;
  }
  ASSERT_EQ(n, 60);
  c.files.push_back(tmp.path() + "/nosite.jsonl");
  WriteFile(c.files.back(), extra);
  const std::string out = tmp.path() + "/out";
  auto s = RunJob(BoilerplateJob(c.files, out, 2), {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->accounting_ok) << s->summary_line;
  const StepStats* step = FindStep(s->totals, "boilerplate");
  EXPECT_EQ(Counter(step, "no_url"), 20);
  EXPECT_EQ(Counter(step, "malformed_url"), 20);
  EXPECT_EQ(Counter(step, "ip_address"), 20);
  EXPECT_GT(Counter(step, "lines_removed"), 0);
  const std::map<std::string, std::string> originals =
      TextsById({c.files.back()});
  // Documents without a site are untouched. The IP-host copies are sites
  // of one page: only lines propagated from their home site
  // (propagate_min_words) can go, never anything else.
  int untouched = 0, ip_hosts = 0;
  for (const Document& d : ReadShards(out + "/kept")) {
    if (d.id.rfind("nosite-", 0) != 0) continue;
    if (std::stoi(d.id.substr(7)) % 3 == 2) {
      ip_hosts += d.text != originals.at(d.id);
      continue;
    }
    EXPECT_EQ(d.text, originals.at(d.id)) << d.id;
    ++untouched;
  }
  EXPECT_EQ(untouched, 40);
  EXPECT_GT(ip_hosts, 0);  // the home sites' long template lines went
}

// fuse_siteless: a file none of whose documents has a site is finished by
// its map task (segment 0 runs segment 1 too); a file where a site turns up
// late, or never, gives the same bytes as without fusion, also on resume.
TEST(BoilerplateJob, FilesWithoutSitesAreNotReadTwiceAndGiveTheSameOutputs) {
  if (!HavePsl()) GTEST_SKIP() << "publicsuffix is not installed";
  TempDir tmp;
  Corpus c = MakeCorpus(tmp.path(), 1, 600, 10);
  const std::vector<Document> site_docs = ReadDocs(c.files[0]);
  ASSERT_GT(site_docs.size(), 100u);
  // The same texts without a usable URL; some too short for the filter.
  auto siteless = [&](size_t from, size_t n, const std::string& tag) {
    std::string out;
    for (size_t d = from; d < from + n; ++d) {
      std::string line = "{\"id\":\"" + tag + std::to_string(d) + "\",\"text\":";
      AppendJsonString(d % 7 == 0 ? "too short" : site_docs[d].text, &line);
      if (d % 5 == 0) line += ",\"url\":\"not a url\"";
      out += line + "}\n";
    }
    return out;
  };
  // b: no site at all; c: a site after 40 documents without; d: empty;
  // e: one bad record and documents that the first segment removes.
  std::string late = siteless(0, 40, "late-");
  {
    std::string line = "{\"id\":\"late-site\",\"text\":";
    AppendJsonString(site_docs[41].text, &line);
    late += line + ",\"url\":\"https://www.example.org/a/page\"}\n";
  }
  late += siteless(42, 30, "late-");
  const std::vector<std::pair<std::string, std::string>> extra = {
      {"b.jsonl", siteless(0, 80, "b-")},
      {"c.jsonl", late},
      {"d.jsonl", ""},
      {"e.jsonl", "{\"id\":\"e-0\",\"text\":\"\"}\nnot json\n" + siteless(80, 20, "e-")}};
  for (const auto& [name, body] : extra) {
    c.files.push_back(tmp.path() + "/" + name);
    WriteFile(c.files.back(), body);
  }
  auto job = [&](const std::string& out, const std::string& fuse) {
    JobConfig j = BoilerplateJob(c.files, out, 2, {{"fuse_siteless", fuse}});
    StepSpec filter;
    filter.type = filter.name = "gopher_quality";
    j.steps.push_back(filter);
    return j;
  };
  const std::string ref = tmp.path() + "/unfused";
  auto s0 = RunJob(job(ref, "false"), {});
  ASSERT_TRUE(s0.ok()) << s0.status().ToString();
  ASSERT_TRUE(s0->accounting_ok) << s0->summary_line;
  EXPECT_EQ(s0->tasks_fused, 0);
  EXPECT_GT(s0->totals.kept, 0);
  EXPECT_GT(s0->totals.removed, 0);
  EXPECT_EQ(s0->totals.rejected, 1);

  const std::string out = tmp.path() + "/fused";
  auto s1 = RunJob(job(out, "true"), {});
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  ASSERT_TRUE(s1->accounting_ok) << s1->summary_line;
  // b, d and e (files 1, 3, 4); not the site file (0) nor c (2).
  EXPECT_EQ(s1->tasks_fused, 3);
  ExpectSameOutputs(out, ref);

  // Kills between the fused files and their markers: segment 1 of b
  // re-reads as usual; segment 0 of e runs again and so rewrites e's
  // segment 1 files (its marker, still there, counts as resumed).
  auto kill_after_fused_files = [](const std::string& dir) {
    for (const char* rel : {".work/seg1/00001.done", "kept/00001.jsonl.zst",
                            ".work/process/00004.done", "kept/00004.jsonl.zst",
                            "removed/00004-1.jsonl.zst", "stats.json"})
      fs::remove(dir + "/" + rel);
  };
  kill_after_fused_files(out);
  auto again = RunJob(job(out, "true"), {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->accounting_ok) << again->summary_line;
  EXPECT_EQ(again->tasks_fused, 0);
  EXPECT_EQ(again->tasks_skipped, again->tasks - 2);  // all but the two markers removed
  ExpectSameOutputs(out, ref);

  // Task by task (as under Slurm): the same outputs, and FinishJob counts
  // fused and resumed tasks as the local run does.
  const std::string split = tmp.path() + "/split";
  auto run_tasks = [&]() -> Result<JobSummary> {
    auto prepared = PrepareJob(job(split, "true"));
    if (!prepared.ok()) return prepared.status();
    for (const PhasePlan& phase : prepared->phases) {
      if (phase.key == "finish") continue;
      for (size_t t : phase.todo) {
        Status st = RunJobTask(split, phase.key, t, {});
        if (!st.ok()) return st;
      }
    }
    return FinishJob(split, {});
  };
  auto s2 = run_tasks();
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  EXPECT_TRUE(s2->accounting_ok) << s2->summary_line;
  EXPECT_EQ(s2->tasks, s1->tasks);
  EXPECT_EQ(s2->tasks_fused, 3);
  EXPECT_EQ(s2->tasks_skipped, 0);
  ExpectSameOutputs(split, ref);
  kill_after_fused_files(split);
  auto s3 = run_tasks();
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  EXPECT_TRUE(s3->accounting_ok) << s3->summary_line;
  EXPECT_EQ(s3->tasks_fused, 0);
  EXPECT_EQ(s3->tasks_skipped, again->tasks_skipped);
  ExpectSameOutputs(split, ref);
}

}  // namespace
}  // namespace winnow
