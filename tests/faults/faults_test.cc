// The fault suite (docs/RELIABILITY.md): the real CLI runs in a child
// process and meets the faults a long corpus job meets in production:
//   * SIGKILL at random moments of a multi-shard, multi-phase job (cleaning,
//     quality filters, exact and MinHash dedup), resumed after every kill;
//   * an output disk that fills up (a small tmpfs; needs root);
//   * an input file that cannot be read (needs root and setpriv).
// Each test checks what a user relies on: the outputs are byte-identical to
// an undisturbed run's, no document is lost or doubled, no task is marked
// complete whose outputs are not, the error says what went wrong, and one bad
// input does not stop the others.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kInputFiles = 4;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string ShardName(int index) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%05d", index);
  return buf;
}

using winnow::testing::ChildResult;
using winnow::testing::RunChild;

// Decompresses one zstd file. True only when the input is one or more
// complete frames whose checksums match: a truncated or damaged shard fails.
bool Unzstd(const std::string& compressed, std::string* out, std::string* error) {
  out->clear();
  ZSTD_DStream* ds = ZSTD_createDStream();
  ZSTD_initDStream(ds);
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  size_t last = 1;
  while (in.pos < in.size || last != 0) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    const size_t before = in.pos;
    last = ZSTD_decompressStream(ds, &o, &in);
    if (ZSTD_isError(last)) {
      *error = ZSTD_getErrorName(last);
      ZSTD_freeDStream(ds);
      return false;
    }
    out->append(buf.data(), o.pos);
    if (in.pos == before && o.pos == 0 && in.pos == in.size) break;  // needs more input
  }
  ZSTD_freeDStream(ds);
  if (last != 0 || compressed.empty()) {
    *error = "truncated zstd frame";
    return false;
  }
  return true;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// The value of the leading "id" of a JSONL line as winnow writes it
// ({"id":"...",...}); empty when the line does not start so.
std::string LeadingId(const std::string& line) {
  static constexpr std::string_view kPrefix = "{\"id\":\"";
  if (line.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  std::string id;
  for (size_t i = kPrefix.size(); i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      id += line[++i];
    } else if (line[i] == '"') {
      return id;
    } else {
      id += line[i];
    }
  }
  return "";
}

// An integer field of the "totals" object of stats.json (as hostile_test).
int64_t Total(const std::string& stats, const std::string& key) {
  const size_t totals = stats.find("\"totals\"");
  const size_t at = stats.find("\"" + key + "\":", totals);
  if (totals == std::string::npos || at == std::string::npos) return -1;
  return std::strtoll(stats.c_str() + at + key.size() + 3, nullptr, 10);
}

// stats.json without what legitimately varies between runs of one job:
// timings ("seconds", "wall_seconds", "phases", "phases_cpu") and the number
// of tasks a resumed run found complete.
std::string WithoutTimings(const std::string& stats) {
  static const std::regex kVarying(
      "\"(seconds|wall_seconds|phases|phases_cpu|tasks_skipped|tasks_fused)\":(\\{[^{}]*\\}|[-+0-9.eE]+)");
  return std::regex_replace(stats, kVarying, "\"$1\":_");
}

// Every regular file under `out` except .work/ and stats.json, with its bytes.
std::map<std::string, std::string> OutputFiles(const std::string& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), out).string();
    if (rel.rfind(".work", 0) == 0 || rel == "stats.json") continue;
    files[rel] = ReadFile(e.path().string());
  }
  return files;
}

// The shards of `out` and its stats.json (timings aside) equal `want`'s.
void ExpectSameOutputs(const std::string& got, const std::string& want) {
  const auto got_files = OutputFiles(got);
  const auto want_files = OutputFiles(want);
  std::vector<std::string> got_names, want_names;
  for (const auto& [name, bytes] : got_files) got_names.push_back(name);
  for (const auto& [name, bytes] : want_files) want_names.push_back(name);
  ASSERT_EQ(got_names, want_names);
  for (const auto& [name, bytes] : want_files)
    EXPECT_TRUE(got_files.at(name) == bytes) << name << " differs from the reference run";
  EXPECT_EQ(WithoutTimings(ReadFile(got + "/stats.json")),
            WithoutTimings(ReadFile(want + "/stats.json")));
}

void ExpectNoTempFiles(const std::string& out) {
  for (const auto& e : fs::recursive_directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
        << "temporary file left behind: " << e.path();
}

// The decompressed lines of every shard in OUT/<sub>/.
std::vector<std::string> ShardLines(const std::string& out, const std::string& sub) {
  std::vector<std::string> lines;
  std::vector<fs::path> shards;
  for (const auto& e : fs::directory_iterator(out + "/" + sub)) shards.push_back(e.path());
  std::sort(shards.begin(), shards.end());
  for (const fs::path& shard : shards) {
    std::string text, error;
    EXPECT_TRUE(Unzstd(ReadFile(shard.string()), &text, &error)) << shard << ": " << error;
    for (std::string& line : Lines(text)) lines.push_back(std::move(line));
  }
  return lines;
}

// Checks a finished OUT: stats.json says the accounting holds and its totals
// add up; the shards hold exactly as many records as it counts; every
// document read appears once, in kept/ or removed/.
// `out`'s stats.json counts one more record read and rejected than `ref`'s,
// and the same kept (at least one) and removed.
void ExpectOneMoreRejectedRecordThan(const std::string& out, const std::string& ref) {
  const std::string stats = ReadFile(out + "/stats.json");
  const std::string ref_stats = ReadFile(ref + "/stats.json");
  EXPECT_EQ(Total(stats, "records_read"), Total(ref_stats, "records_read") + 1);
  EXPECT_EQ(Total(stats, "rejected"), Total(ref_stats, "rejected") + 1);
  EXPECT_EQ(Total(stats, "kept"), Total(ref_stats, "kept"));
  EXPECT_EQ(Total(stats, "removed"), Total(ref_stats, "removed"));
  EXPECT_GT(Total(stats, "kept"), 0);
}

void ExpectNothingLostOrDoubled(const std::string& out) {
  const std::string stats = ReadFile(out + "/stats.json");
  EXPECT_NE(stats.find("\"accounting_ok\":true"), std::string::npos) << stats;
  const int64_t read = Total(stats, "records_read");
  const int64_t kept = Total(stats, "kept");
  const int64_t removed = Total(stats, "removed");
  const int64_t rejected = Total(stats, "rejected");
  EXPECT_GT(read, 0);
  EXPECT_EQ(read, kept + removed + rejected) << stats;
  const auto kept_lines = ShardLines(out, "kept");
  const auto removed_lines = ShardLines(out, "removed");
  EXPECT_EQ(static_cast<int64_t>(kept_lines.size()), kept);
  EXPECT_EQ(static_cast<int64_t>(removed_lines.size()), removed);
  EXPECT_EQ(static_cast<int64_t>(ShardLines(out, "rejected").size()), rejected);
  std::set<std::string> ids;
  int64_t documents = 0;
  for (const auto* lines : {&kept_lines, &removed_lines}) {
    for (const std::string& line : *lines) {
      const std::string id = LeadingId(line);
      EXPECT_FALSE(id.empty()) << line.substr(0, 100);
      EXPECT_TRUE(ids.insert(id).second) << "document " << id << " written twice";
      ++documents;
    }
  }
  EXPECT_EQ(documents, read - rejected) << "documents lost or doubled";
}

// Every completion marker under OUT/.work must stand for complete outputs:
//   .work/process/NNNNN.done (segment 0) and .work/seg<k>/NNNNN.done: the
//     task's shards (removed/NNNNN[-k], rejected/ for k = 0, kept/ for the
//     last segment) and, before the last segment of a job that spills, the
//     spill the next segment reads (.work/s<k>/docs-NNNNN.spill) exist and
//     are complete, checksummed zstd;
//   .work/s<k>/finalize.done: every input's decision file exists.
// Returns the number of markers checked.
int ExpectMarkersStandForCompleteOutputs(const std::string& out, int stages,
                                         bool spills = true) {
  int markers = 0;
  const fs::path work = fs::path(out) / ".work";
  if (!fs::exists(work)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(work)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !EndsWith(name, ".done")) continue;
    ++markers;
    const std::string dir = e.path().parent_path().filename().string();
    std::vector<std::string> needed;  // relative to OUT
    std::vector<std::string> zstd;    // of those, the zstd files
    if (name == "finalize.done") {
      for (int i = 0; i < kInputFiles; ++i)
        needed.push_back(".work/" + dir + "/decisions-" + ShardName(i) + ".run");
    } else {
      const int k = dir == "process" ? 0 : std::stoi(dir.substr(3));  // seg<k>
      const std::string shard = name.substr(0, name.size() - 5);
      zstd.push_back("removed/" + shard + (k == 0 ? "" : "-" + std::to_string(k)) +
                     ".jsonl.zst");
      if (k == 0) zstd.push_back("rejected/" + shard + ".jsonl.zst");
      if (k == stages) {
        zstd.push_back("kept/" + shard + ".jsonl.zst");
      } else if (spills) {
        zstd.push_back(".work/s" + std::to_string(k) + "/docs-" + shard + ".spill");
      }
      needed = zstd;
    }
    for (const std::string& rel : needed)
      EXPECT_TRUE(fs::exists(fs::path(out) / rel))
          << e.path() << " marks a task complete but " << rel << " is missing";
    for (const std::string& rel : zstd) {
      const fs::path p = fs::path(out) / rel;
      if (!fs::exists(p)) continue;
      std::string text, error;
      EXPECT_TRUE(Unzstd(ReadFile(p.string()), &text, &error))
          << e.path() << " marks a task complete but " << rel << " is incomplete: " << error;
    }
  }
  return markers;
}

// How far a job got: the first phase whose markers are not all there
// (for reporting where kills landed).
std::string PhaseReached(const std::string& out, int stages) {
  const std::string work = out + "/.work";
  auto all = [&](const std::string& dir, const std::string& prefix, const std::string& suffix,
                 int n) {
    for (int i = 0; i < n; ++i)
      if (!fs::exists(work + "/" + dir + "/" + prefix + ShardName(i) + suffix)) return false;
    return true;
  };
  if (!fs::exists(work + "/job.json")) return "start";
  for (int k = 0; k <= stages; ++k) {
    const std::string seg = k == 0 ? "process" : "seg" + std::to_string(k);
    if (!all(seg, "", ".done", kInputFiles)) return "segment_" + std::to_string(k);
    if (k == stages) break;
    const std::string s = "s" + std::to_string(k);
    // Dedup stages leave pairs-*.run, boilerplate stages sitelines-*.run.
    if (!all(s, "pairs-", ".run", 1) && !all(s, "sitelines-", ".run", 1))
      return "reduce_" + std::to_string(k);
    if (!fs::exists(work + "/" + s + "/finalize.done")) return "finalize_" + std::to_string(k);
  }
  return fs::exists(out + "/stats.json") ? "done" : "stats";
}

class Faults : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("WINNOW_BIN");
    if (bin == nullptr || !fs::exists(bin)) GTEST_SKIP() << "winnow binary not built";
    bin_ = bin;
    char tmpl[] = "/tmp/winnow-faults-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }

  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) umount2(it->c_str(), MNT_DETACH);
    if (dir_.empty()) return;
    std::error_code ec;
    // Undo chmod 000 so that the tree can be removed by a non-root user too.
    for (auto it = fs::recursive_directory_iterator(dir_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  std::string Path(const std::string& rel) const { return dir_ + "/" + rel; }

  // Runs `winnow ARGS...`, behind `wrapper` (e.g. setpriv ...) when given.
  ChildResult Winnow(const std::vector<std::string>& args,
                     milliseconds kill_after = milliseconds(-1),
                     const std::vector<std::string>& wrapper = {},
                     const std::function<bool()>& kill_when = nullptr) {
    std::vector<std::string> argv = wrapper;
    argv.push_back(bin_);
    argv.insert(argv.end(), args.begin(), args.end());
    return RunChild(argv, Path("stderr.txt"), kill_after, kill_when);
  }

  // Writes kInputFiles JSONL inputs to DIR/in/ from one generated crawl of
  // `docs` documents (so ids are unique), cut into consecutive parts, and
  // appends exact copies (under new ids) of some documents of part 0 to
  // parts 2 and 3, so exact dedup works across files. Returns DIR/in.
  std::string MakeCorpus(int docs, int seed) {
    const std::string all = Path("all.jsonl");
    const ChildResult gen = Winnow(
        {"gen", "-n", std::to_string(docs), "--seed", std::to_string(seed), "--bad-records",
         "0.01", "-o", all});
    EXPECT_EQ(gen.exit_code, 0) << gen.stderr_text;
    const std::vector<std::string> lines = Lines(ReadFile(all));
    fs::remove(all);
    EXPECT_GT(lines.size(), static_cast<size_t>(kInputFiles));
    std::vector<std::string> parts(kInputFiles);
    const size_t per = (lines.size() + kInputFiles - 1) / kInputFiles;
    for (size_t i = 0; i < lines.size(); ++i) parts[i / per] += lines[i] + "\n";
    int copies = 0;
    for (size_t i = 0; i < per && i < lines.size(); i += 23) {
      const std::string& line = lines[i];
      if (LeadingId(line).empty()) continue;  // a deliberately broken record
      parts[2 + copies % 2] += "{\"id\":\"copy-" + line.substr(7) + "\n";
      ++copies;
    }
    EXPECT_GT(copies, 0);
    fs::create_directories(Path("in"));
    for (int f = 0; f < kInputFiles; ++f)
      WriteFile(Path("in/part-" + std::to_string(f) + ".jsonl"), parts[f]);
    return Path("in");
  }

  std::string Config(const std::string& name, const std::string& yaml) {
    WriteFile(Path(name), yaml);
    return Path(name);
  }

  // Mounts a tmpfs of `size` (mount(8) syntax, e.g. "1m") on DIR/`rel`.
  // False (and nothing mounted) when this process may not mount.
  bool MountTmpfs(const std::string& rel, const std::string& size) {
    const std::string target = Path(rel);
    fs::create_directories(target);
    const std::string options = "size=" + size + ",mode=0777";
    if (mount("tmpfs", target.c_str(), "tmpfs", 0, options.c_str()) != 0) return false;
    mounts_.push_back(target);
    return true;
  }

  bool ResizeTmpfs(const std::string& rel, const std::string& size) {
    const std::string options = "size=" + size;
    return mount("tmpfs", Path(rel).c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
  }

  void Unmount(const std::string& rel) {
    const std::string target = Path(rel);
    umount2(target.c_str(), 0);
    mounts_.erase(std::remove(mounts_.begin(), mounts_.end(), target), mounts_.end());
  }

  std::string bin_;
  std::string dir_;
  std::vector<std::string> mounts_;
};

// Cleaning, site boilerplate, a filter, exact dedup (longest copy kept: rank
// files), a filter, MinHash dedup with verification (shingle files), a
// filter: four segments and three corpus-wide stages, each handing its
// documents on through spills.
constexpr int kStages = 3;
constexpr char kMultiPhaseJob[] = R"(steps:
  - recipe: clean
  - type: boilerplate
    partitions: 3
  - gopher_repetition
  - type: exact_dedup
    keep: longest
    partitions: 4
  - gopher_quality
  - type: minhash_dedup
    partitions: 4
    verify_jaccard: 0.8
  - fineweb_quality
)";

// A job SIGKILLed at random moments spread over a whole run (segments,
// reduce, finalize, writing stats), and rerun after every kill, ends with
// the bytes of an undisturbed run; at every kill, each completion marker
// stands for complete outputs.
TEST_F(Faults, JobKilledAtRandomMomentsResumesToTheBytesOfAnUndisturbedRun) {
  const std::string in = MakeCorpus(3000, 11);
  const std::string config = Config("job.yaml", kMultiPhaseJob);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", in, "-o", out, "--config", config, "-j", "2", "-q"};
  };
  const std::string ref = Path("ref");
  const ChildResult first = Winnow(args(ref));
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  ExpectNothingLostOrDoubled(ref);
  const std::string ref_stats = ReadFile(ref + "/stats.json");
  ASSERT_GT(Total(ref_stats, "rejected"), 0) << "the corpus should hold broken records";
  ASSERT_NE(ref_stats.find("\"duplicate\":"), std::string::npos) << "no duplicates removed";
  ASSERT_NE(ref_stats.find("\"lines_removed\":"), std::string::npos) << "no boilerplate removed";

  const std::string out = Path("killed");
  std::mt19937 rng(20261127);
  // Kill delays are uniform over [0, 1.1 x a whole run]. A run that ends
  // before its kill shows a whole run is now shorter than the reference
  // (measured on a machine whose load changes): the bound follows it, so
  // that most attempts are interrupted whatever the load.
  int bound_ms = static_cast<int>(first.elapsed.count() * 11 / 10);
  std::map<std::string, int> kills_by_phase;
  int kills = 0, finished = 0;
  for (int attempt = 0; attempt < 200 && kills < 25; ++attempt) {
    const int delay_ms = std::uniform_int_distribution<int>(0, bound_ms)(rng);
    const ChildResult r = Winnow(args(out), milliseconds(delay_ms));
    if (r.killed) {
      ++kills;
      ++kills_by_phase[PhaseReached(out, kStages)];
      ExpectMarkersStandForCompleteOutputs(out, kStages);
      continue;
    }
    // The run finished before its kill: it must be right, and the next
    // attempt starts afresh.
    ASSERT_EQ(r.exit_code, 0) << "attempt " << attempt << ": " << r.stderr_text;
    ++finished;
    bound_ms = std::max(1, std::min(bound_ms, static_cast<int>(r.elapsed.count() * 11 / 10)));
    ExpectSameOutputs(out, ref);
    fs::remove_all(out);
  }
  const ChildResult last = Winnow(args(out));
  ASSERT_EQ(last.exit_code, 0) << last.stderr_text;
  ExpectSameOutputs(out, ref);
  ExpectNoTempFiles(out);
  ExpectNothingLostOrDoubled(out);

  std::string where;
  for (const auto& [phase, n] : kills_by_phase) where += " " + phase + ":" + std::to_string(n);
  std::printf("  reference run %lld ms; %d kills (phase reached:%s), %d runs finished first\n",
              static_cast<long long>(first.elapsed.count()), kills, where.c_str(), finished);
  EXPECT_GE(kills, 20) << "too few runs were interrupted for the test to prove much";
}

// Bytes of every regular file under `dir`, intermediate files included.
uint64_t Footprint(const std::string& dir) {
  uint64_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) bytes += e.file_size();
  return bytes;
}

// An output disk that fills up (a tmpfs too small for the job, filled at
// several sizes so that space runs out in different phases): the run exits
// with status 1 and an error that says the disk is full; no task is marked
// complete whose outputs are missing or truncated; no temporary file and no
// stats.json is left; and once there is space, rerunning the same command
// completes the job with the bytes of a run on a roomy disk.
TEST_F(Faults, FullOutputDiskFailsClearlyAndTheRerunWithSpaceCompletesTheJob) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
  const std::string in = MakeCorpus(3000, 12);
  const std::string config = Config("job.yaml", kMultiPhaseJob);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", in, "-o", out, "--config", config, "-j", "2", "-q"};
  };
  const std::string ref = Path("ref");
  const ChildResult reference = Winnow(args(ref));
  ASSERT_EQ(reference.exit_code, 0) << reference.stderr_text;
  const uint64_t footprint = Footprint(ref);
  ASSERT_GT(footprint, uint64_t{3} << 20) << "the job must need more than the small disks";

  const std::vector<uint64_t> sizes = {uint64_t{256} << 10, uint64_t{1} << 20,
                                       footprint / 2, footprint * 7 / 8};
  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string disk = "disk" + std::to_string(i);
    if (!MountTmpfs(disk, std::to_string(sizes[i]))) {
      GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN): " << std::strerror(errno);
    }
    SCOPED_TRACE("output disk of " + std::to_string(sizes[i] >> 10) + " KiB");
    const std::string out = Path(disk + "/out");
    const ChildResult full = Winnow(args(out));
    EXPECT_EQ(full.exit_code, 1) << full.stderr_text;
    EXPECT_NE(full.stderr_text.find("No space left on device"), std::string::npos)
        << full.stderr_text;
    const int markers = ExpectMarkersStandForCompleteOutputs(out, kStages);
    ExpectNoTempFiles(out);
    EXPECT_FALSE(fs::exists(out + "/stats.json"));
    std::printf("  %llu KiB disk: full in %s, %d markers; stderr: %s",
                static_cast<unsigned long long>(sizes[i] >> 10),
                PhaseReached(out, kStages).c_str(), markers, full.stderr_text.c_str());

    ASSERT_TRUE(ResizeTmpfs(disk, "256m")) << std::strerror(errno);
    const ChildResult rerun = Winnow(args(out));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
    ExpectSameOutputs(out, ref);
    ExpectNoTempFiles(out);
    ExpectNothingLostOrDoubled(out);
    Unmount(disk);
  }
}

std::string FindSetpriv() {
  for (const char* p : {"/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"})
    if (fs::exists(p)) return p;
  return "";
}

// One of several input files cannot be read (permission denied): the job
// goes on and completes; the file is reported as one rejected record
// (reason open_failed, with its path and the error) and in the summary; the
// other files' outputs are byte-identical to those of a run in which that
// file is empty.
TEST_F(Faults, UnreadableInputFileIsReportedAndTheRestOfTheJobGoesOn) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run winnow as another user";
  const std::string setpriv = FindSetpriv();
  if (setpriv.empty()) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  // Root reads files whatever their mode: run winnow as nobody.
  const std::vector<std::string> nobody = {setpriv, "--reuid=65534", "--regid=65534",
                                           "--clear-groups"};
  const std::string in = MakeCorpus(2000, 13);
  fs::permissions(dir_, fs::perms::all);  // nobody writes the outputs here
  const std::string config = Config("job.yaml", kMultiPhaseJob);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", in, "-o", out, "--config", config, "-j", "2", "-q"};
  };
  const std::string victim = in + "/part-1.jsonl";
  const std::string bytes = ReadFile(victim);

  // Reference: the same job with that file empty.
  WriteFile(victim, "");
  const std::string ref = Path("ref");
  const ChildResult reference = Winnow(args(ref), milliseconds(-1), nobody);
  ASSERT_EQ(reference.exit_code, 0) << reference.stderr_text;

  WriteFile(victim, bytes);
  fs::permissions(victim, fs::perms::none);
  const std::string out = Path("out");
  const ChildResult r = Winnow(args(out), milliseconds(-1), nobody);
  std::printf("  exit %d; stderr: %s", r.exit_code, r.stderr_text.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  ASSERT_TRUE(fs::exists(out + "/stats.json"));
  EXPECT_NE(r.stderr_text.find("open_failed"), std::string::npos) << r.stderr_text;
  ExpectNothingLostOrDoubled(out);

  // The report: one rejected record naming the file and the error.
  std::string text, error;
  ASSERT_TRUE(Unzstd(ReadFile(out + "/rejected/00001.jsonl.zst"), &text, &error)) << error;
  const std::vector<std::string> rejected = Lines(text);
  ASSERT_EQ(rejected.size(), 1u) << text;
  EXPECT_NE(rejected[0].find("\"reason\":\"open_failed\""), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[0].find(victim), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[0].find("Permission denied"), std::string::npos) << rejected[0];

  // The rest of the job: as if the file were empty.
  auto got = OutputFiles(out);
  auto want = OutputFiles(ref);
  got.erase("rejected/00001.jsonl.zst");
  want.erase("rejected/00001.jsonl.zst");
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [name, data] : want) {
    ASSERT_TRUE(got.count(name)) << name << " is missing";
    EXPECT_TRUE(got.at(name) == data) << name << " differs from the run without the file";
  }
  ExpectOneMoreRejectedRecordThan(out, ref);
}

// A subdirectory of an input directory cannot be listed (permission denied):
// the job goes on and completes through every phase of the multi-phase job;
// the subdirectory is reported as one rejected record (open_failed, with its
// path and the error) and in the summary; every other output is
// byte-identical to a run without the subdirectory. As root, winnow runs as
// nobody (root lists any directory); otherwise as the current user.
TEST_F(Faults, UnlistableSubdirectoryIsReportedAndTheRestOfTheJobGoesOn) {
  std::vector<std::string> as_user;
  if (geteuid() == 0) {
    const std::string setpriv = FindSetpriv();
    if (setpriv.empty()) GTEST_SKIP() << "setpriv (util-linux) is not installed";
    as_user = {setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"};
    fs::permissions(dir_, fs::perms::all);  // nobody writes the outputs here
  }
  const std::string in = MakeCorpus(2000, 17);
  const std::string config = Config("job.yaml", kMultiPhaseJob);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", in, "-o", out, "--config", config, "-j", "2", "-q"};
  };

  // Reference: the same job without the subdirectory.
  const std::string ref = Path("ref");
  const ChildResult reference = Winnow(args(ref), milliseconds(-1), as_user);
  ASSERT_EQ(reference.exit_code, 0) << reference.stderr_text;

  // Sorted after every part-N.jsonl, so it is the last input.
  const std::string sub = in + "/zz-sub";
  fs::create_directories(sub);
  WriteFile(sub + "/hidden.jsonl", "{\"id\":\"hidden-1\",\"text\":\"Never read.\"}\n");
  fs::permissions(sub, fs::perms::none);
  const std::string out = Path("out");
  const ChildResult r = Winnow(args(out), milliseconds(-1), as_user);
  fs::permissions(sub, fs::perms::owner_all);  // so the fixture can remove it
  std::printf("  exit %d; stderr: %s", r.exit_code, r.stderr_text.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("open_failed"), std::string::npos) << r.stderr_text;
  ExpectNothingLostOrDoubled(out);

  // The report: one rejected record naming the subdirectory and the error.
  const std::string extra = "rejected/0000" + std::to_string(kInputFiles) + ".jsonl.zst";
  std::string text, error;
  ASSERT_TRUE(Unzstd(ReadFile(out + "/" + extra), &text, &error)) << error;
  const std::vector<std::string> rejected = Lines(text);
  ASSERT_EQ(rejected.size(), 1u) << text;
  EXPECT_NE(rejected[0].find("\"reason\":\"open_failed\""), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[0].find(sub), std::string::npos) << rejected[0];
  EXPECT_NE(rejected[0].find("Permission denied"), std::string::npos) << rejected[0];

  // The rest of the job: as if the subdirectory were absent. Its own task's
  // other shards hold nothing.
  const auto got = OutputFiles(out);
  const auto want = OutputFiles(ref);
  for (const auto& [name, data] : want) {
    ASSERT_TRUE(got.count(name)) << name << " is missing";
    EXPECT_TRUE(got.at(name) == data) << name << " differs from the run without the subdirectory";
  }
  for (const auto& [name, data] : got) {
    if (want.count(name) || name == extra) continue;
    std::string lines;
    ASSERT_TRUE(Unzstd(data, &lines, &error)) << name << ": " << error;
    EXPECT_EQ(lines, "") << name << " holds records of the unlistable subdirectory";
  }
  ExpectOneMoreRejectedRecordThan(out, ref);
}

// An input file that becomes unreadable between two phases of a job whose
// dedup stage re-reads the input (recipe dedup): the job is killed after
// stage 0 is final and the file is made unreadable before the resume. The
// re-reading task must fail, naming the file, and leave no marker (its
// documents were counted in segment 0 and cannot vanish); once the file is
// readable again, rerunning completes the job with the reference bytes.
constexpr int kDedupRecipeStages = 2;  // exact_dedup, minhash_dedup

TEST_F(Faults, InputUnreadableOnResumeFailsItsTaskAndTheJobCompletesOnceReadable) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run winnow as another user";
  const std::string setpriv = FindSetpriv();
  if (setpriv.empty()) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  const std::vector<std::string> nobody = {setpriv, "--reuid=65534", "--regid=65534",
                                           "--clear-groups"};
  const std::string in = MakeCorpus(2000, 14);
  fs::permissions(dir_, fs::perms::all);
  // One worker: segment 1 reaches file 1 well after stage 0 is final.
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", in, "-o", out, "--recipe", "dedup", "-j", "1", "-q"};
  };
  const std::string ref = Path("ref");
  const ChildResult reference = Winnow(args(ref), milliseconds(-1), nobody);
  ASSERT_EQ(reference.exit_code, 0) << reference.stderr_text;

  const std::string out = Path("out");
  const std::string stage0_final = out + "/.work/s0/finalize.done";
  const std::string marker = out + "/.work/seg1/00001.done";
  const ChildResult killed = Winnow(args(out), milliseconds(-1), nobody,
                                    [&] { return fs::exists(stage0_final); });
  ASSERT_TRUE(killed.killed) << "the job ended before stage 0 was final: " << killed.stderr_text;
  if (fs::exists(marker)) GTEST_SKIP() << "the job got past file 1 of segment 1 before the kill";

  const std::string victim = in + "/part-1.jsonl";
  fs::permissions(victim, fs::perms::none);
  const ChildResult resumed = Winnow(args(out), milliseconds(-1), nobody);
  std::printf("  resumed with %s unreadable: exit %d; stderr: %s", victim.c_str(),
              resumed.exit_code, resumed.stderr_text.c_str());
  EXPECT_EQ(resumed.exit_code, 1);
  EXPECT_FALSE(fs::exists(marker)) << "the task that could not read its input was marked complete";
  EXPECT_NE(resumed.stderr_text.find(victim), std::string::npos) << resumed.stderr_text;
  EXPECT_NE(resumed.stderr_text.find("Permission denied"), std::string::npos)
      << resumed.stderr_text;
  ExpectMarkersStandForCompleteOutputs(out, kDedupRecipeStages, /*spills=*/false);

  fs::permissions(victim, fs::perms::owner_read | fs::perms::owner_write |
                              fs::perms::group_read | fs::perms::others_read);
  const ChildResult again = Winnow(args(out), milliseconds(-1), nobody);
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  ExpectSameOutputs(out, ref);
  ExpectNothingLostOrDoubled(out);
}

}  // namespace
