#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "core/json_writer.h"
#include "gen/generator.h"
#include "io/input_stream.h"
#include "pipeline/config.h"
#include "pipeline/corpus_stage.h"
#include "pipeline/job.h"
#include "pipeline/stats.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/winnow_pipeline_test_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Decompressed content of an output shard.
std::string ReadShard(const std::string& path) {
  auto in = OpenInputStream(path, InputLimits{});
  EXPECT_TRUE(in.ok()) << path;
  if (!in.ok()) return "";
  std::string out;
  char buf[65536];
  for (;;) {
    size_t got = 0;
    Status st = in.value()->Read(buf, sizeof(buf), &got);
    EXPECT_TRUE(st.ok()) << st.ToString();
    if (!st.ok() || got == 0) break;
    out.append(buf, got);
  }
  return out;
}

int CountLines(const std::string& s) {
  int n = 0;
  for (char c : s) n += (c == '\n');
  return n;
}

// Every regular file under `dir` except the .work folder and stats.json
// (which holds timings), with its bytes.
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

// Compares two output trees by name and bytes, reporting names only.
void ExpectSameFiles(const std::map<std::string, std::string>& got,
                     const std::map<std::string, std::string>& want) {
  std::vector<std::string> got_names, want_names;
  for (const auto& [k, v] : got) got_names.push_back(k);
  for (const auto& [k, v] : want) want_names.push_back(k);
  ASSERT_EQ(got_names, want_names);
  for (const auto& [k, v] : want) EXPECT_TRUE(got.at(k) == v) << k << " differs";
}

JobConfig MakeConfig(std::vector<std::string> inputs, std::string out,
                     std::string recipe) {
  JobConfig c;
  c.inputs = std::move(inputs);
  c.output_dir = std::move(out);
  c.recipe = recipe;
  EXPECT_TRUE(RecipeSteps(recipe, &c.steps).ok());
  return c;
}

const char kMixed[] =
    "{\"id\":\"a\",\"text\":\"A short line.\",\"metadata\":{\"url\":\"http://x.org/a\"}}\n"
    "this is not json\n"
    "{\"id\":\"b\",\"metadata\":{}}\n"
    "{\"id\":\"c\",\"text\":42}\n"
    "{\"id\":\"d\",\"text\":\"\"}\n"
    "{\"id\":\"e\",\"text\":\"   \\n  \"}\n"
    "{\"id\":\"f\",\"text\":\"Another document, with\\u0000 a NUL and \\u00e9.\"}\n";

TEST(RunJob, EveryRecordIsKeptRemovedOrRejected) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, kMixed);
  JobConfig config = MakeConfig({in}, tmp.path() + "/out", "clean");
  auto summary = RunJob(config, RunOptions{});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const TaskStats& t = summary->totals;
  EXPECT_EQ(t.records_read, 7);
  EXPECT_EQ(t.rejected, 3);
  EXPECT_EQ(t.rejected_by_reason.at("invalid_json"), 1);
  EXPECT_EQ(t.rejected_by_reason.at("missing_text"), 1);
  EXPECT_EQ(t.rejected_by_reason.at("text_not_string"), 1);
  EXPECT_EQ(t.removed, 2);  // "" and blank
  EXPECT_EQ(t.kept, 2);
  EXPECT_TRUE(summary->accounting_ok);
  EXPECT_EQ(CountLines(ReadShard(tmp.path() + "/out/kept/00000.jsonl.zst")), 2);
  std::string removed = ReadShard(tmp.path() + "/out/removed/00000.jsonl.zst");
  EXPECT_EQ(CountLines(removed), 2);
  EXPECT_NE(removed.find("\"removed_by\":\"drop_empty\""), std::string::npos);
  EXPECT_NE(removed.find("\"reason\":\"empty\""), std::string::npos);
  std::string rejected = ReadShard(tmp.path() + "/out/rejected/00000.jsonl.zst");
  EXPECT_EQ(CountLines(rejected), 3);
  EXPECT_NE(rejected.find("\"offset\":"), std::string::npos);
  std::string stats = ReadFile(tmp.path() + "/out/stats.json");
  EXPECT_NE(stats.find("\"accounting_ok\":true"), std::string::npos);
}

TEST(RunJob, MissingInputIsAnErrorBeforeAnyWork) {
  TempDir tmp;
  JobConfig config = MakeConfig({tmp.path() + "/nope.jsonl"}, tmp.path() + "/out", "clean");
  auto summary = RunJob(config, RunOptions{});
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(tmp.path() + "/out"));
}

TEST(RunJob, UnwritableOutputIsAnErrorBeforeAnyWork) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, kMixed);
  WriteFile(tmp.path() + "/file", "x");
  // A path below a regular file can never be created, even as root.
  JobConfig config = MakeConfig({in}, tmp.path() + "/file/out", "clean");
  auto summary = RunJob(config, RunOptions{});
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), Status::Code::kIOError);
}

TEST(RunJob, RefusesAnOutputDirectoryOfAnotherJob) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, kMixed);
  ASSERT_TRUE(RunJob(MakeConfig({in}, tmp.path() + "/out", "clean"), {}).ok());
  auto again = RunJob(MakeConfig({in}, tmp.path() + "/out", "gopher"), {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kInvalidArgument);
}

TEST(RunJob, UnknownStepOrOptionIsRejectedUpFront) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, kMixed);
  JobConfig config = MakeConfig({in}, tmp.path() + "/out", "gopher");
  config.steps[0].options["no_such_option"] = "1";
  EXPECT_FALSE(RunJob(config, {}).ok());
  config.steps[0].options.clear();
  config.steps[0].type = "no_such_step";
  EXPECT_FALSE(RunJob(config, {}).ok());
}

// Writes `files` generated JSONL inputs of `docs` documents each.
std::vector<std::string> GenerateInputs(const std::string& dir, int files, int docs) {
  std::vector<std::string> paths;
  for (int f = 0; f < files; ++f) {
    GenOptions opt;
    opt.seed = 100 + f;
    opt.num_docs = docs;
    opt.bad_record_fraction = 0.01;
    std::string data;
    Status st = GenerateCorpus(
        opt, [&](std::string_view line) { data.append(line); }, nullptr);
    EXPECT_TRUE(st.ok());
    std::string p = dir + "/part-" + std::to_string(f) + ".jsonl";
    WriteFile(p, data);
    paths.push_back(p);
  }
  return paths;
}

TEST(RunJob, OutputDoesNotDependOnThreadCount) {
  TempDir tmp;
  auto inputs = GenerateInputs(tmp.path(), 5, 300);
  JobConfig one = MakeConfig({tmp.path() + "/part-*.jsonl"}, tmp.path() + "/j1", "fineweb");
  one.threads = 1;
  JobConfig two = MakeConfig({tmp.path() + "/part-*.jsonl"}, tmp.path() + "/j2", "fineweb");
  two.threads = 2;
  auto s1 = RunJob(one, {});
  auto s2 = RunJob(two, {});
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_TRUE(s1->accounting_ok);
  EXPECT_GT(s1->totals.removed, 0);
  EXPECT_GT(s1->totals.rejected, 0);
  ExpectSameFiles(OutputFiles(tmp.path() + "/j1"), OutputFiles(tmp.path() + "/j2"));
}

TEST(RunJob, RerunSkipsCompletedTasksAndRedoesMissingOnes) {
  TempDir tmp;
  GenerateInputs(tmp.path(), 3, 200);
  JobConfig config = MakeConfig({tmp.path()}, tmp.path() + "-out", "fineweb");
  auto first = RunJob(config, {});
  ASSERT_TRUE(first.ok());
  auto before = OutputFiles(config.output_dir);
  // Lose one task's marker and shard, as if killed before it finished. The
  // fineweb recipe's boilerplate stage makes the kept shards the work of
  // segment 1 (after the stage's reduce and finalize).
  fs::remove(config.output_dir + "/.work/seg1/00001.done");
  fs::remove(config.output_dir + "/kept/00001.jsonl.zst");
  auto second = RunJob(config, {});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->tasks_skipped, second->tasks - 1);
  EXPECT_EQ(second->totals.records_read, first->totals.records_read);
  ExpectSameFiles(OutputFiles(config.output_dir), before);
  fs::remove_all(config.output_dir);
}

// Runs the CLI and kills it with SIGKILL after `delay`; returns true if it
// was killed (false if it finished first).
bool RunAndKill(const std::vector<std::string>& args, std::chrono::milliseconds delay) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status);
}

int RunCli(const std::vector<std::string>& args) {
  std::string cmd;
  for (const auto& a : args) cmd += "'" + a + "' ";
  cmd += "2>/dev/null";
  return WEXITSTATUS(std::system(cmd.c_str()));
}

TEST(RunJob, KilledRunsResumeToIdenticalBytes) {
  const char* bin = std::getenv("WINNOW_BIN");
  if (bin == nullptr || !fs::exists(bin)) GTEST_SKIP() << "winnow binary not built";
  TempDir tmp;
  GenerateInputs(tmp.path(), 4, 1500);
  std::string ref = tmp.path() + "/ref";
  std::string out = tmp.path() + "/killed";
  auto args = [&](const std::string& o) {
    return std::vector<std::string>{bin, "run", tmp.path() + "/part-*.jsonl", "-o", o,
                                    "--recipe", "fineweb", "-j", "2", "-q"};
  };
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RunCli(args(ref)), 0);
  auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t0);
  std::mt19937 rng(12345);
  int kills = 0;
  for (int i = 0; i < 6; ++i) {
    auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(
        1, std::max<int>(2, static_cast<int>(full.count() * 6 / 10)))(rng));
    bool killed = RunAndKill(args(out), delay);
    kills += killed;
    // A run that finished leaves nothing to resume: start the next one afresh.
    if (!killed) fs::remove_all(out);
  }
  EXPECT_GT(kills, 0) << "no run was interrupted; the test proves nothing";
  ASSERT_EQ(RunCli(args(out)), 0);
  ExpectSameFiles(OutputFiles(out), OutputFiles(ref));
  // No temporary file survives a completed run.
  for (auto& e : fs::recursive_directory_iterator(out))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
  auto stats_out = ReadFile(out + "/stats.json");
  EXPECT_NE(stats_out.find("\"accounting_ok\":true"), std::string::npos);
}

// A corpus with exact and near copies (the generator's defaults).
std::string GenerateDupCorpus(const std::string& dir) {
  GenOptions opt;
  opt.seed = 5;
  opt.num_docs = 600;
  std::string data;
  EXPECT_TRUE(GenerateCorpus(opt, [&](std::string_view l) { data.append(l); }, nullptr).ok());
  // Split over three files so clusters cross file boundaries.
  std::vector<std::string> parts(3);
  size_t line = 0, start = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    parts[(line++ * 3) / 600].append(data, start, i + 1 - start);
    start = i + 1;
  }
  for (int f = 0; f < 3; ++f) WriteFile(dir + "/d" + std::to_string(f) + ".jsonl", parts[f]);
  return dir + "/d*.jsonl";
}

int64_t RemovedFor(const TaskStats& t, const std::string& step, const std::string& reason) {
  for (const auto& s : t.steps)
    if (s.name == step) {
      auto it = s.removed.find(reason);
      return it == s.removed.end() ? 0 : it->second;
    }
  return -1;
}

TEST(Dedup, RemovesExactAndNearCopiesIndependentlyOfThreadsAndPartitions) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig a = MakeConfig({glob}, tmp.path() + "/a", "dedup");
  a.threads = 1;
  JobConfig b = MakeConfig({glob}, tmp.path() + "/b", "dedup");
  b.threads = 2;
  for (auto& s : b.steps) s.options["partitions"] = "3";
  auto sa = RunJob(a, {});
  auto sb = RunJob(b, {});
  ASSERT_TRUE(sa.ok()) << sa.status().ToString();
  ASSERT_TRUE(sb.ok()) << sb.status().ToString();
  EXPECT_TRUE(sa->accounting_ok) << sa->summary_line;
  EXPECT_GT(RemovedFor(sa->totals, "exact_dedup", "duplicate"), 10);
  EXPECT_GT(RemovedFor(sa->totals, "minhash_dedup", "duplicate"), 10);
  EXPECT_EQ(sa->totals.kept, sb->totals.kept);
  // Partition counts are part of the job's options, so compare shard bytes.
  ExpectSameFiles(OutputFiles(tmp.path() + "/a"), OutputFiles(tmp.path() + "/b"));
  // Rerunning skips everything and changes nothing.
  auto again = RunJob(a, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->tasks_skipped, again->tasks);
  ExpectSameFiles(OutputFiles(tmp.path() + "/a"), OutputFiles(tmp.path() + "/b"));
}

// The executor split: PrepareJob, then every (phase, task) alone in any
// order within its phase (here in reverse, as separate processes would),
// then FinishJob, gives the bytes of RunJob; progress follows the markers.
TEST(JobTasks, RunningEachTaskAloneGivesTheBytesOfALocalRun) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig local = MakeConfig({glob}, tmp.path() + "/local", "dedup");
  local.threads = 2;
  for (auto& s : local.steps) s.options["partitions"] = "3";
  auto ref = RunJob(local, {});
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_TRUE(ref->accounting_ok);

  JobConfig split = local;
  split.output_dir = tmp.path() + "/split";
  auto prepared = PrepareJob(split);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  std::vector<std::string> keys;
  for (const auto& p : prepared->phases) keys.push_back(p.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"segment_0", "reduce_0", "finalize_0", "segment_1",
                                             "reduce_1", "finalize_1", "segment_2", "finish"}));
  // A phase whose predecessor is incomplete is refused.
  EXPECT_FALSE(RunJobTask(split.output_dir, "reduce_0", 0, {}).ok());
  EXPECT_FALSE(RunJobTask(split.output_dir, "segment_0", 99, {}).ok());
  EXPECT_FALSE(RunJobTask(split.output_dir, "no_such_phase", 0, {}).ok());
  EXPECT_FALSE(FinishJob(split.output_dir, {}).ok());

  auto progress = GetJobProgress(split.output_dir);
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  ASSERT_EQ(progress->phases.size(), keys.size());
  EXPECT_EQ(progress->phases[0].done, 0u);
  EXPECT_EQ(progress->phases[0].tasks, 3u);
  EXPECT_EQ(progress->phases[1].failed, 1u);  // the refused reduce_0 task 0
  EXPECT_FALSE(progress->finished);

  for (const auto& phase : prepared->phases) {
    for (size_t t = phase.tasks; t-- > 0;) {
      Status st = RunJobTask(split.output_dir, phase.key, t, {});
      ASSERT_TRUE(st.ok()) << phase.key << " " << t << ": " << st.ToString();
    }
  }
  ExpectSameFiles(OutputFiles(split.output_dir), OutputFiles(local.output_dir));
  progress = GetJobProgress(split.output_dir);
  ASSERT_TRUE(progress.ok());
  EXPECT_TRUE(progress->finished);
  EXPECT_EQ(progress->outcome, "ok");
  EXPECT_NE(progress->summary_line.find("read"), std::string::npos) << progress->summary_line;
  EXPECT_TRUE(progress->errors.empty());
  for (const auto& p : progress->phases) EXPECT_EQ(p.done, p.tasks) << p.key;
  EXPECT_EQ(progress->phases[1].retried, 1u);
  // stats.json: the same counts; phase times come from the tasks' records.
  std::string stats = ReadFile(split.output_dir + "/stats.json");
  EXPECT_NE(stats.find("\"accounting_ok\":true"), std::string::npos);
  EXPECT_NE(stats.find("\"segment_2\":"), std::string::npos);
  auto totals = [](const std::string& json) { return json.substr(json.find("\"totals\"")); };
  auto strip_seconds = [](std::string s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
      size_t k = s.find("seconds\":", i);
      if (k == std::string::npos) {
        out += s.substr(i);
        break;
      }
      out += s.substr(i, k - i);
      i = s.find_first_of(",}", k);
    }
    return out;
  };
  EXPECT_EQ(strip_seconds(totals(stats)),
            strip_seconds(totals(ReadFile(local.output_dir + "/stats.json"))));
  // A rerun prepares nothing but finish; a lost task is the only one to do.
  fs::remove(split.output_dir + "/.work/seg2/00001.done");
  prepared = PrepareJob(split);
  ASSERT_TRUE(prepared.ok());
  for (const auto& p : prepared->phases) {
    if (p.key == "segment_2") EXPECT_EQ(p.todo, std::vector<size_t>{1});
    else if (p.key == "finish") EXPECT_EQ(p.todo.size(), 1u);
    else EXPECT_TRUE(p.todo.empty()) << p.key;
  }
  progress = GetJobProgress(split.output_dir);
  ASSERT_TRUE(progress.ok());
  EXPECT_FALSE(progress->finished);
  // Local runs leave progress to read as well.
  progress = GetJobProgress(local.output_dir);
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_TRUE(progress->finished);
  EXPECT_EQ(progress->outcome, "");
}

// A corpus step without `partitions` gets one per 16 MiB of input, 1 to 8,
// fixed in the job's spec; one that sets them keeps its number.
TEST(JobTasks, PartitionsFollowTheInputSizeUnlessSet) {
  EXPECT_EQ(AutoPartitions(0), 1u);
  EXPECT_EQ(AutoPartitions(uint64_t{16} << 20), 1u);
  EXPECT_EQ(AutoPartitions((uint64_t{16} << 20) + 1), 2u);
  EXPECT_EQ(AutoPartitions(uint64_t{100} << 20), 7u);
  EXPECT_EQ(AutoPartitions(uint64_t{1} << 40), 8u);

  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  auto reduce_tasks = [](const PreparedJob& job) {
    std::vector<size_t> tasks;
    for (const auto& p : job.phases)
      if (p.key.rfind("reduce_", 0) == 0) tasks.push_back(p.tasks);
    return tasks;
  };
  JobConfig c = MakeConfig({glob}, tmp.path() + "/auto", "dedup");
  auto prepared = PrepareJob(c);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(reduce_tasks(*prepared), (std::vector<size_t>{1, 1}));
  EXPECT_NE(ReadFile(c.output_dir + "/.work/spec.json").find("\"partitions\":\"1\""),
            std::string::npos);
  c.output_dir = tmp.path() + "/set";
  c.steps[1].options["partitions"] = "3";
  prepared = PrepareJob(c);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(reduce_tasks(*prepared), (std::vector<size_t>{1, 3}));
}

TEST(Dedup, AnnotateModeKeepsEveryDocumentWithItsCluster) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig c = MakeConfig({glob}, tmp.path() + "/out", "dedup");
  c.steps.pop_back();
  c.steps[0].options["mode"] = "annotate";
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(RemovedFor(s->totals, "exact_dedup", "duplicate"), 0);
  std::string kept;
  for (int f = 0; f < 3; ++f)
    kept += ReadShard(tmp.path() + "/out/kept/0000" + std::to_string(f) + ".jsonl.zst");
  EXPECT_NE(kept.find("\"dedup\":{\"cluster_id\":"), std::string::npos);
}

TEST(Dedup, CorruptIntermediateFileIsReportedNotUsed) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig c = MakeConfig({glob}, tmp.path() + "/out", "dedup");
  ASSERT_TRUE(RunJob(c, {}).ok());
  // Damage a decision file and force the output tasks to run again.
  std::string dec = tmp.path() + "/out/.work/s0/decisions-00001.run";
  std::string bytes = ReadFile(dec);
  ASSERT_GT(bytes.size(), 60u);
  bytes[bytes.size() - 20] ^= 0x5a;
  WriteFile(dec, bytes);
  fs::remove(tmp.path() + "/out/.work/seg1/00001.done");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tasks_failed, 1);
  ASSERT_FALSE(s->errors.empty());
  EXPECT_NE(s->errors[0].find("orrupt"), std::string::npos) << s->errors[0];
}

// --- Corpus-wide dedup: survivor policies, verification, handoff, bad input.

// One JSONL line.
std::string Line(const std::string& id, const std::string& text, const std::string& meta = "{}") {
  std::string out = "{\"id\":\"" + id + "\",\"text\":";
  AppendJsonString(text, &out);
  return out + ",\"metadata\":" + meta + "}\n";
}

// Ids of the documents in the shards under OUT/<sub>/, sorted.
std::vector<std::string> IdsIn(const std::string& out, const std::string& sub) {
  std::vector<std::string> ids;
  if (!fs::exists(out + "/" + sub)) return ids;
  for (auto& e : fs::directory_iterator(out + "/" + sub)) {
    std::string data = ReadShard(e.path().string());
    size_t pos = 0;
    while ((pos = data.find("{\"id\":\"", pos)) != std::string::npos) {
      pos += 7;
      ids.push_back(data.substr(pos, data.find('"', pos) - pos));
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

JobConfig StepsConfig(std::vector<std::string> inputs, std::string out,
                      std::vector<StepSpec> steps) {
  JobConfig c;
  c.inputs = std::move(inputs);
  c.output_dir = std::move(out);
  c.recipe = "custom";
  c.steps = std::move(steps);
  return c;
}

StepSpec Stage(const std::string& type, std::map<std::string, std::string> options = {}) {
  StepSpec s;
  s.type = s.name = type;
  s.options = std::move(options);
  return s;
}

// Three copies of one text that differ only in case and whitespace, over two
// files, with a quality score each: which one survives depends on `keep`
// only, never on threads or partitions.
TEST(Dedup, KeepPolicyChoosesTheSurvivorIndependentlyOfThreadsAndPartitions) {
  TempDir tmp;
  WriteFile(tmp.path() + "/a.jsonl",
            Line("short", "The same story, reprinted.", "{\"score\":0.5}") +
                Line("other", "Something else entirely here.", "{\"score\":0.1}"));
  WriteFile(tmp.path() + "/b.jsonl",
            Line("long", "The  same   story,\n\nreprinted.", "{\"score\":0.2}") +
                Line("best", "THE SAME STORY, REPRINTED.", "{\"score\":0.9}") +
                Line("tie", "the same story, reprinted.", "{\"score\":0.9}"));
  struct Case {
    std::map<std::string, std::string> options;
    std::string survivor;
  };
  const Case cases[] = {
      {{}, "short"},
      {{{"keep", "earliest"}}, "short"},
      {{{"keep", "longest"}}, "long"},
      {{{"keep", "quality"}, {"quality_field", "score"}}, "best"},  // ties to the earliest
      {{{"keep", "quality"}, {"quality_field", "missing"}}, "short"},
  };
  int n = 0;
  for (const Case& c : cases) {
    for (int variant = 0; variant < 2; ++variant) {
      auto options = c.options;
      options["partitions"] = variant == 0 ? "1" : "5";
      std::string out = tmp.path() + "/out" + std::to_string(n++);
      JobConfig config = StepsConfig({tmp.path() + "/a.jsonl", tmp.path() + "/b.jsonl"}, out,
                                     {Stage("exact_dedup", options)});
      config.threads = variant == 0 ? 1 : 2;
      auto s = RunJob(config, {});
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      ASSERT_TRUE(s->accounting_ok) << s->summary_line;
      std::vector<std::string> want = {c.survivor, "other"};
      std::sort(want.begin(), want.end());
      EXPECT_EQ(IdsIn(out, "kept"), want) << c.survivor;
      EXPECT_EQ(RemovedFor(s->totals, "exact_dedup", "duplicate"), 3);
    }
  }
}

TEST(Dedup, KeepQualityReadsAFilterSignal) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, Line("a", "Same text here.") + Line("b", "same text here."));
  JobConfig config = StepsConfig({in}, tmp.path() + "/out",
                                 {Stage("exact_dedup", {{"keep", "quality"},
                                                        {"quality_field", "winnow.signals.x.y"}})});
  // No document has the signal: every rank is missing, so the earliest wins.
  auto s = RunJob(config, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(IdsIn(tmp.path() + "/out", "kept"), std::vector<std::string>{"a"});
}

TEST(Dedup, BadSurvivorOptionsAreRejectedUpFront) {
  TempDir tmp;
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, Line("a", "x"));
  for (auto options : std::vector<std::map<std::string, std::string>>{
           {{"keep", "newest"}},
           {{"keep", "quality"}},
           {{"quality_field", "score"}},
           {{"handoff", "mail"}}}) {
    auto s = RunJob(StepsConfig({in}, tmp.path() + "/out", {Stage("exact_dedup", options)}), {});
    EXPECT_FALSE(s.ok());
  }
  auto s = RunJob(StepsConfig({in}, tmp.path() + "/out",
                              {Stage("minhash_dedup", {{"verify_jaccard", "1.5"}})}),
                  {});
  EXPECT_FALSE(s.ok());
}

// Extraction is not cheap to redo on crawl pages: with crawl archive
// inputs (the only documents extract_html parses), auto hands the extracted
// text on in a spill, and the output is the one re-reading gives.
TEST(Dedup, AutoHandoffSpillsAfterExtractingCrawlPages) {
  TempDir tmp;
  const std::string page =
      "<html><head><title>t</title></head><body><nav>Home | News</nav><article><p>The "
      "harbour board met on Tuesday and agreed to dredge the eastern channel before the "
      "autumn storms, a plan the fishing crews had asked for since spring.</p></article>"
      "</body></html>";
  for (const char* name : {"a", "b"}) {
    const std::string http =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page;
    WriteFile(tmp.path() + "/" + name + ".warc",
              "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/" +
                  std::string(name) + "\r\nWARC-Record-ID: <urn:uuid:" + name +
                  ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
                  std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n");
  }
  JobConfig a = StepsConfig({tmp.path() + "/a.warc", tmp.path() + "/b.warc"},
                            tmp.path() + "/a", {Stage("exact_dedup", {})});
  JobConfig b = a;
  b.output_dir = tmp.path() + "/b";
  for (auto& s : b.steps) s.options["handoff"] = "reread";
  for (JobConfig* config : {&a, &b}) {
    auto s = RunJob(*config, {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE(s->accounting_ok) << s->summary_line;
    EXPECT_EQ(RemovedFor(s->totals, "exact_dedup", "duplicate"), 1);
    EXPECT_EQ(s->totals.steps[1].counters["docs_extracted"], 2) << s->summary_line;
  }
  EXPECT_TRUE(fs::exists(tmp.path() + "/a/.work/s0/docs-00000.spill"));
  EXPECT_FALSE(fs::exists(tmp.path() + "/b/.work/s0/docs-00000.spill"));
  ExpectSameFiles(OutputFiles(tmp.path() + "/a"), OutputFiles(tmp.path() + "/b"));
}

TEST(Dedup, SpillAndRereadHandoffsGiveIdenticalOutputs) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig a = MakeConfig({glob}, tmp.path() + "/a", "dedup");
  JobConfig b = MakeConfig({glob}, tmp.path() + "/b", "dedup");
  for (auto& s : b.steps) s.options["handoff"] = "spill";
  JobConfig c = MakeConfig({glob}, tmp.path() + "/c", "clean");  // steps before the stages
  for (auto& s : MakeConfig({glob}, "", "dedup").steps) c.steps.push_back(s);
  JobConfig d = c;
  d.output_dir = tmp.path() + "/d";
  for (auto& s : d.steps)
    if (s.type.ends_with("_dedup")) s.options["handoff"] = "reread";
  for (JobConfig* config : {&a, &b, &c, &d}) {
    auto s = RunJob(*config, {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE(s->accounting_ok) << s->summary_line;
  }
  // Auto re-reads for the dedup recipe and spills after cleaning steps.
  EXPECT_FALSE(fs::exists(tmp.path() + "/a/.work/s0/docs-00000.spill"));
  EXPECT_TRUE(fs::exists(tmp.path() + "/b/.work/s0/docs-00000.spill"));
  EXPECT_TRUE(fs::exists(tmp.path() + "/c/.work/s0/docs-00000.spill"));
  EXPECT_FALSE(fs::exists(tmp.path() + "/d/.work/s1/docs-00000.spill"));
  ExpectSameFiles(OutputFiles(tmp.path() + "/a"), OutputFiles(tmp.path() + "/b"));
  ExpectSameFiles(OutputFiles(tmp.path() + "/c"), OutputFiles(tmp.path() + "/d"));
  // stats.json has per-phase times and stage counters.
  std::string stats = ReadFile(tmp.path() + "/a/stats.json");
  for (const char* key : {"\"phases\":{\"segment_0\":", "\"reduce_1\":", "\"finalize_1\":",
                          "\"segment_2\":", "\"candidate_pairs\":", "\"clusters\":"})
    EXPECT_NE(stats.find(key), std::string::npos) << key;
}

TEST(Dedup, VerificationKeepsOnlyPairsAboveTheThreshold) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  auto run = [&](const std::string& name, const std::string& verify) {
    std::map<std::string, std::string> o;
    if (!verify.empty()) o["verify_jaccard"] = verify;
    JobConfig c = StepsConfig({glob}, tmp.path() + "/" + name, {Stage("minhash_dedup", o)});
    c.threads = 2;
    auto s = RunJob(c, {});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_TRUE(s->accounting_ok);
    return s.ok() ? *s : JobSummary{};
  };
  JobSummary plain = run("plain", "");
  JobSummary any = run("any", "0.000001");
  JobSummary strict = run("strict", "0.8");
  JobSummary exact = run("exact", "1");
  int64_t removed_plain = RemovedFor(plain.totals, "minhash_dedup", "duplicate");
  EXPECT_GT(removed_plain, 10);
  // A threshold that every candidate passes changes nothing.
  ExpectSameFiles(OutputFiles(tmp.path() + "/plain"), OutputFiles(tmp.path() + "/any"));
  int64_t removed_strict = RemovedFor(strict.totals, "minhash_dedup", "duplicate");
  int64_t removed_exact = RemovedFor(exact.totals, "minhash_dedup", "duplicate");
  EXPECT_LE(removed_strict, removed_plain);
  EXPECT_LE(removed_exact, removed_strict);
  auto& counters = strict.stage_counters["minhash_dedup"];
  EXPECT_LE(counters["verified_pairs"], counters["candidate_pairs"]);
  EXPECT_GT(counters["verified_pairs"], 0);
}

TEST(Dedup, CorruptOrMissingIntermediateFilesAreReported) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig c = StepsConfig({glob}, tmp.path() + "/out",
                            {Stage("minhash_dedup", {{"verify_jaccard", "0.8"}, {"keep", "longest"}})});
  ASSERT_TRUE(RunJob(c, {}).ok());
  std::string work = tmp.path() + "/out/.work/s0/";
  // A damaged shingle store: the reduce that reads it fails.
  std::string sets = work + "shingles-00001.bin";
  std::string bytes = ReadFile(sets);
  ASSERT_GT(bytes.size(), 100u);
  bytes[bytes.size() - 40] ^= 0x20;  // in the index
  WriteFile(sets, bytes);
  for (uint32_t p = 0; p < 8; ++p) fs::remove(work + "pairs-0000" + std::to_string(p) + ".run");
  fs::remove(work + "finalize.done");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok());
  EXPECT_GE(s->tasks_failed, 1);
  ASSERT_FALSE(s->errors.empty());
  EXPECT_NE(s->errors[0].find("orrupt"), std::string::npos) << s->errors[0];
  // A missing rank file: finalize fails and says which file.
  TempDir tmp2;
  glob = GenerateDupCorpus(tmp2.path());
  c.inputs = {glob};
  c.output_dir = tmp2.path() + "/out";
  ASSERT_TRUE(RunJob(c, {}).ok());
  work = tmp2.path() + "/out/.work/s0/";
  fs::remove(work + "ranks-00002.p00000.run");
  fs::remove(work + "finalize.done");
  s = RunJob(c, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tasks_failed, 1);
  ASSERT_FALSE(s->errors.empty());
  EXPECT_NE(s->errors[0].find("ranks-00002"), std::string::npos) << s->errors[0];
}

TEST(Dedup, AnInputThatChangedBeforeItIsReadAgainFailsItsTask) {
  TempDir tmp;
  std::string glob = GenerateDupCorpus(tmp.path());
  JobConfig c = MakeConfig({glob}, tmp.path() + "/out", "dedup");
  ASSERT_TRUE(RunJob(c, {}).ok());
  // Drop the last line of file 1 and force its last segment to run again.
  std::string in = tmp.path() + "/d1.jsonl";
  std::string data = ReadFile(in);
  data.resize(data.rfind('\n', data.size() - 2) + 1);
  WriteFile(in, data);
  fs::remove(tmp.path() + "/out/.work/seg2/00001.done");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tasks_failed, 1);
  ASSERT_FALSE(s->errors.empty());
  EXPECT_NE(s->errors[0].find("changed since it was first read"), std::string::npos)
      << s->errors[0];
  EXPECT_FALSE(fs::exists(tmp.path() + "/out/.work/seg2/00001.done"));
}

// A distinct word of letters for each i (digits would all simplify to "0").
std::string LetterWord(uint64_t i) {
  std::string w;
  do {
    w += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i > 0);
  return w;
}

// The bad inputs of the dedup issue, each with its defined result.
TEST(Dedup, BadInputsHaveDefinedResults) {
  TempDir tmp;
  std::string words;  // 60 distinct words
  for (int i = 0; i < 60; ++i) words += "w" + LetterWord(i * 7919 % 1000) + " ";
  std::string repeated1, repeated2;
  for (int i = 0; i < 300; ++i) repeated1 += "buffalo ";
  for (int i = 0; i < 40; ++i) repeated2 += "buffalo ";
  const std::string chinese = "\xe4\xb8\xad\xe5\x9b\xbd\xe7\x9a\x84\xe7\xbb\x8f\xe6\xb5\x8e"
                              "\xe5\xa2\x9e\xe9\x95\xbf\xe5\xbe\x88\xe5\xbf\xab";  // no spaces
  std::string russian;  // Cyrillic words with spaces
  for (int i = 0; i < 30; ++i)
    russian += "\xd0\xa1\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe" + LetterWord(i) + " ";
  std::string russian_upper = russian;  // same words, one changed
  russian_upper.replace(0, 10, "\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe");
  WriteFile(tmp.path() + "/in.jsonl",
            Line("empty", "") + Line("word1", "Hello") + Line("word2", "hello") +
                Line("rep1", repeated1) + Line("rep2", repeated2) + Line("zh1", chinese) +
                Line("zh2", chinese + "\xe3\x80\x82") + Line("zh3", chinese) +
                Line("ru1", russian) + Line("ru2", russian_upper + "\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbe\xd0\xb5") +
                Line("ws1", words) + Line("ws2", "  " + words + "\n\n") + Line("case", words + "X") +
                Line("case2", words + "x"));
  JobConfig c = MakeConfig({tmp.path() + "/in.jsonl"}, tmp.path() + "/out", "dedup");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->accounting_ok) << s->summary_line;
  // Kept: the first of each group. Empty -> drop_empty. One word: exact
  // dedup only (no shingle). One repeated word: a single distinct shingle,
  // so any two such texts are near duplicates (Jaccard 1). Chinese without
  // spaces: one token, no shingles: exact copies only. Cyrillic: lowercased
  // and shingled like Latin. Whitespace or case only: exact duplicates.
  EXPECT_EQ(IdsIn(tmp.path() + "/out", "kept"),
            (std::vector<std::string>{"rep1", "ru1", "word1", "ws1", "zh1", "zh2"}));
  EXPECT_EQ(RemovedFor(s->totals, "drop_empty", "empty"), 1);
  EXPECT_EQ(RemovedFor(s->totals, "exact_dedup", "duplicate"), 4);  // word2 zh3 ws2 case2
  // rep2, ru2, and "case" (ws1 plus one word: 56 of 57 shingles shared).
  EXPECT_EQ(RemovedFor(s->totals, "minhash_dedup", "duplicate"), 3);
}

TEST(Dedup, FiftyMegabyteDocumentIsRejectedByDefaultAndDedupedWhenAllowed) {
  TempDir tmp;
  std::string big;
  big.reserve(50u << 20);
  for (uint64_t i = 0; big.size() < (50u << 20); ++i) big += LetterWord(i % 100003) + " ";
  WriteFile(tmp.path() + "/in.jsonl", Line("big1", big) + Line("big2", big + " tail") +
                                          Line("small", "A small document."));
  JobConfig c = MakeConfig({tmp.path() + "/in.jsonl"}, tmp.path() + "/out", "dedup");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->totals.rejected_by_reason["record_too_large"], 2);  // above 32 MiB by default
  c.output_dir = tmp.path() + "/out2";
  c.reader.max_record_bytes = uint64_t{64} << 20;
  s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->totals.rejected, 0);
  EXPECT_EQ(RemovedFor(s->totals, "minhash_dedup", "duplicate"), 1);  // big2
  EXPECT_EQ(IdsIn(tmp.path() + "/out2", "kept"), (std::vector<std::string>{"big1", "small"}));
}

TEST(Config, LoadsStepsWithOptionsAndInlinedRecipes) {
  TempDir tmp;
  std::string path = tmp.path() + "/job.yaml";
  WriteFile(path,
            "steps:\n"
            "  - recipe: gopher\n"
            "  - type: c4_quality\n"
            "    name: c4\n"
            "    filter_no_terminal_punct: false\n"
            "options:\n"
            "  gopher_quality: {min_doc_words: 80}\n"
            "output: {compression: gzip, level: 6}\n"
            "reader: {max_json_depth: 64, warc: {max_payload_bytes: 1000}}\n"
            "max_rejected: 0.05\n");
  JobConfig c;
  ASSERT_TRUE(LoadYamlConfig(path, &c).ok());
  ASSERT_EQ(c.steps.size(), 3u);
  EXPECT_EQ(c.steps[0].type, "gopher_repetition");
  EXPECT_EQ(c.steps[1].options.at("min_doc_words"), "80");
  EXPECT_EQ(c.steps[2].name, "c4");
  EXPECT_EQ(c.steps[2].options.at("filter_no_terminal_punct"), "false");
  EXPECT_EQ(c.compression, Compression::kGzip);
  EXPECT_EQ(c.compression_level, 6);
  EXPECT_EQ(c.reader.max_json_depth, 64u);
  EXPECT_EQ(c.reader.warc.max_payload_bytes, 1000u);
  EXPECT_DOUBLE_EQ(c.max_rejected_fraction, 0.05);
  WriteFile(path, "reader: {max_json_depth: 5000}\n");
  EXPECT_FALSE(LoadYamlConfig(path, &c).ok());
}

TEST(Config, RejectsUnknownKeysAndBadYaml) {
  TempDir tmp;
  std::string path = tmp.path() + "/job.yaml";
  WriteFile(path, "recipe: fineweb\nthresholds: 3\n");
  JobConfig c;
  EXPECT_FALSE(LoadYamlConfig(path, &c).ok());
  WriteFile(path, "steps: [unclosed\n");
  EXPECT_FALSE(LoadYamlConfig(path, &c).ok());
  EXPECT_EQ(LoadYamlConfig(tmp.path() + "/missing.yaml", &c).code(), Status::Code::kNotFound);
}

TEST(TaskStats, RoundTripsThroughJson) {
  TaskStats t;
  t.records_read = 10;
  t.kept = 6;
  t.removed = 3;
  t.rejected = 1;
  t.rejected_by_reason["invalid_json"] = 1;
  StepStats s;
  s.name = "gq";
  s.type = "gopher_quality";
  s.docs_in = 9;
  s.docs_out = 6;
  s.removed["gopher_short_doc"] = 3;
  s.counters["x"] = 2;
  t.steps.push_back(s);
  auto back = TaskStats::FromJson(t.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), t.ToJson());
  EXPECT_FALSE(TaskStats::FromJson("{\"records_read\":1}").ok());
}

// A text of `words` distinct words on one line (nothing repeats, so the
// filters that look for repetition keep it).
std::string DistinctWords(uint64_t words) {
  std::string text;
  for (uint64_t i = 0; i < words; ++i) text += (i ? " " : "") + LetterWord(i);
  return text;
}

const StepStats* FindStep(const TaskStats& t, const std::string& name) {
  for (const auto& s : t.steps)
    if (s.name == name) return &s;
  return nullptr;
}

// Every step is charged the bytes it receives: 4 steps (drop_empty,
// extract_html and the two configured) charge a document 4x its text. With
// a budget between 4x the middle document and 4x the large one, only the
// large one is removed, by the step where its work ran out; counts add up
// and the output does not depend on the thread count.
TEST(Limits, WorkLimitRemovesTheDocumentWhereItsWorkRunsOut) {
  TempDir tmp;
  const std::string small = DistinctWords(20), middle = DistinctWords(2000),
                    large = DistinctWords(10000);
  ASSERT_LT(4 * middle.size(), 100000u);
  ASSERT_GT(3 * large.size(), 100000u);
  ASSERT_LT(2 * large.size(), 100000u);
  WriteFile(tmp.path() + "/a.jsonl", Line("s", small) + Line("m", middle) + Line("l", large));
  WriteFile(tmp.path() + "/b.jsonl", Line("l2", large) + Line("s2", small));
  auto config = [&](const std::string& out, int threads) {
    JobConfig c = StepsConfig({tmp.path() + "/*.jsonl"}, tmp.path() + "/" + out,
                              {Stage("fix_utf8"), Stage("normalize_whitespace")});
    c.limits.max_document_work = 100000;
    c.threads = threads;
    return c;
  };
  auto s1 = RunJob(config("j1", 1), {});
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  EXPECT_TRUE(s1->accounting_ok);
  EXPECT_EQ(s1->totals.records_read, 5);
  EXPECT_EQ(s1->totals.kept, 3);
  EXPECT_EQ(s1->totals.removed, 2);
  EXPECT_EQ(RemovedFor(s1->totals, "fix_utf8", "work_limit"), 2);  // 3rd step: over
  EXPECT_EQ(IdsIn(tmp.path() + "/j1", "removed"), (std::vector<std::string>{"l", "l2"}));
  const std::string removed = ReadShard(tmp.path() + "/j1/removed/00000.jsonl.zst");
  EXPECT_NE(removed.find("\"reason\":\"work_limit\""), std::string::npos) << removed;
  EXPECT_NE(removed.find("\"max_document_work\":100000"), std::string::npos) << removed;
  const std::string stats = ReadFile(tmp.path() + "/j1/stats.json");
  EXPECT_NE(stats.find("\"work_limit\":2"), std::string::npos) << stats;
  auto s2 = RunJob(config("j2", 2), {});
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  ExpectSameFiles(OutputFiles(tmp.path() + "/j1"), OutputFiles(tmp.path() + "/j2"));
}

// gopher_repetition charges its n-gram passes itself and stops once the
// budget is spent: with a budget just above the bytes the runner charges
// (3 steps x the text), the document is removed by gopher_repetition, while
// a step that only costs its bytes keeps it under the same budget.
TEST(Limits, GopherRepetitionChargesItsNgramPasses) {
  TempDir tmp;
  const std::string text = DistinctWords(3000);
  WriteFile(tmp.path() + "/in.jsonl", Line("d", text));
  for (const std::string step : {"gopher_repetition", "normalize_whitespace"}) {
    JobConfig c = StepsConfig({tmp.path() + "/in.jsonl"}, tmp.path() + "/" + step, {Stage(step)});
    c.limits.max_document_work = 3 * text.size() + 100;
    auto s = RunJob(c, {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_TRUE(s->accounting_ok);
    if (step == "gopher_repetition") {
      EXPECT_EQ(RemovedFor(s->totals, step, "work_limit"), 1);
    } else {
      EXPECT_EQ(s->totals.kept, 1) << step;
    }
  }
}

// The default limits never fire on an ordinary multi-step run: the fineweb
// recipe over generated corpora (five files, with bad records).
TEST(Limits, DefaultLimitsDoNotFireOnAnOrdinaryRun) {
  TempDir tmp;
  GenerateInputs(tmp.path(), 5, 300);
  JobConfig c = MakeConfig({tmp.path() + "/part-*.jsonl"}, tmp.path() + "/out", "fineweb");
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->accounting_ok);
  EXPECT_GT(s->totals.removed, 0);
  EXPECT_EQ(s->totals.rejected_by_reason.count("memory_limit"), 0u);
  int steps_seen = 0;
  for (const auto& st : s->totals.steps) {
    steps_seen += st.docs_in > 0;
    EXPECT_EQ(st.removed.count("work_limit"), 0u) << st.name;
    EXPECT_EQ(st.removed.count("memory_limit"), 0u) << st.name;
  }
  EXPECT_GE(steps_seen, 7);
}

// Budget 20 MiB with 1 MiB records leaves 4 MiB over the fixed needs: a
// JSONL record parses when 5x it fits (838,860 bytes), a step runs when
// (5 + its factor) x the text fits: gopher_repetition (factor 40) takes up
// to 93,206 bytes, extract_html (2) up to 599,186.
TEST(Limits, MemoryLimitRejectsOrRemovesWhatWouldNotFit) {
  TempDir tmp;
  const std::string too_big_to_parse = DistinctWords(175000);   // ~857 KB
  const std::string too_big_for_gopher = DistinctWords(30000);  // ~200 KB
  const std::string over_max_record = DistinctWords(300000);    // > 1 MiB
  ASSERT_GT(too_big_to_parse.size(), 838860u);
  ASSERT_LT(too_big_to_parse.size(), 1000000u);
  ASSERT_GT(too_big_for_gopher.size(), 93206u);
  ASSERT_LT(too_big_for_gopher.size(), 599186u);
  WriteFile(tmp.path() + "/in.jsonl", Line("a", too_big_to_parse) + Line("b", too_big_for_gopher) +
                                          Line("c", DistinctWords(200)) +
                                          Line("d", over_max_record));
  JobConfig c = StepsConfig({tmp.path() + "/in.jsonl"}, tmp.path() + "/out",
                            {Stage("gopher_repetition")});
  c.reader.max_record_bytes = uint64_t{1} << 20;
  c.limits.max_worker_memory_mb = 20;
  auto s = RunJob(c, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->accounting_ok);
  EXPECT_EQ(s->totals.records_read, 4);
  EXPECT_EQ(s->totals.rejected_by_reason["memory_limit"], 1);
  EXPECT_EQ(s->totals.rejected_by_reason["record_too_large"], 1);
  EXPECT_EQ(RemovedFor(s->totals, "gopher_repetition", "memory_limit"), 1);
  EXPECT_EQ(IdsIn(tmp.path() + "/out", "kept"), (std::vector<std::string>{"c"}));
  const std::string rejected = ReadShard(tmp.path() + "/out/rejected/00000.jsonl.zst");
  EXPECT_NE(rejected.find("\"reason\":\"memory_limit\""), std::string::npos);
  const StepStats* extract = FindStep(s->totals, "extract_html");
  ASSERT_NE(extract, nullptr);
  EXPECT_EQ(extract->docs_out, 2);
}

TEST(Limits, MemoryBudgetBelowTheFixedNeedsFailsBeforeAnyWork) {
  TempDir tmp;
  WriteFile(tmp.path() + "/in.jsonl", Line("a", "Some text."));
  // dedup: reader buffer 32 MiB + map 16 MiB (the dedup steps' default
  // map_memory_mb) + overhead 16 MiB = 64 MiB.
  JobConfig c = MakeConfig({tmp.path() + "/in.jsonl"}, tmp.path() + "/out", "dedup");
  c.limits.max_worker_memory_mb = 63;
  auto s = RunJob(c, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("max_worker_memory_mb (63)"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("64 MiB"), std::string::npos) << s.status().message();
  EXPECT_FALSE(fs::exists(tmp.path() + "/out"));
  c.limits.max_worker_memory_mb = 64;
  EXPECT_TRUE(RunJob(c, {}).ok());
}

TEST(Fingerprint, NamesTheBuildOfWinnow) {
  // Step options are stored as written, so a rerun by another build (other
  // defaults, other behaviour) must not resume the OUT directory.
  const std::string& id = WinnowBuildId();
  ASSERT_EQ(id.size(), 16u) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(&WinnowBuildId(), &id);  // computed once
  JobConfig c = MakeConfig({"/x/in.jsonl"}, "/x/out", "clean");
  EXPECT_NE(JobFingerprint(c, {"/x/in.jsonl"}).find("\"build\":\"" + id + "\""),
            std::string::npos);
}

TEST(Limits, AreJobOptionsInTheFingerprint) {
  TempDir tmp;
  std::string path = tmp.path() + "/job.yaml";
  WriteFile(path, "recipe: clean\nlimits: {max_document_work: 5000, max_worker_memory_mb: 300}\n");
  JobConfig c;
  ASSERT_TRUE(LoadYamlConfig(path, &c).ok());
  EXPECT_EQ(c.limits.max_document_work, 5000u);
  EXPECT_EQ(c.limits.max_worker_memory_mb, 300u);
  for (const char* bad : {"limits: {max_document_work: 0}\n", "limits: {max_worker_memory_mb: 0}\n",
                          "limits: {max_work: 3}\n", "limits: 5\n"}) {
    WriteFile(path, bad);
    JobConfig d;
    EXPECT_FALSE(LoadYamlConfig(path, &d).ok()) << bad;
  }
  JobConfig defaults;
  EXPECT_EQ(defaults.limits.max_document_work, uint64_t{1} << 30);
  EXPECT_EQ(defaults.limits.max_worker_memory_mb, 2048u);
  // A rerun into the same OUT with another budget is another job.
  std::string in = tmp.path() + "/in.jsonl";
  WriteFile(in, kMixed);
  JobConfig a = MakeConfig({in}, tmp.path() + "/out", "clean");
  ASSERT_TRUE(RunJob(a, {}).ok());
  a.limits.max_document_work = 12345;
  auto again = RunJob(a, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kInvalidArgument);
  a.limits.max_document_work = JobLimits{}.max_document_work;
  a.limits.max_worker_memory_mb = 4096;
  EXPECT_FALSE(RunJob(a, {}).ok());
}

}  // namespace
}  // namespace winnow
