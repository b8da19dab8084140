// winnow's command-line tool: a thin face over the library.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "formats/charset.h"
#include "gen/generator.h"
#include "html/extractor.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/config.h"
#include "pipeline/job.h"
#include "pipeline/progress.h"
#include "pipeline/slurm_executor.h"
#include "pipeline/steps.h"
#include "report/explain.h"
#include "report/report.h"

namespace winnow {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTooManyRejected = 3;

int Fail(const Status& st) {
  std::fprintf(stderr, "winnow: error: %s\n", st.ToString().c_str());
  return st.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitError;
}

struct RunArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string recipe;
  std::string config;
  int threads = 0;
  std::string compression;
  double max_rejected = -1;
  bool quiet = false;
  bool report = false;
  std::string executor = "local";
  SlurmOptions slurm;
  bool wait = false;
};

struct ReportArgs {
  std::string out;
  report::ReportOptions options;
  bool no_inputs = false;
};

int DoReport(const ReportArgs& a) {
  report::ReportOptions options = a.options;
  if (a.no_inputs) options.reread_inputs = false;
  Result<report::ReportResult> r = report::WriteReport(a.out, options);
  if (!r.ok()) return Fail(r.status());
  for (const std::string& note : r->notes)
    std::fprintf(stderr, "winnow: report: %s\n", note.c_str());
  std::fprintf(stderr, "winnow: report: %s (%.1f KB, %.2fs)\n", r->path.c_str(),
               static_cast<double>(r->bytes) / 1000, r->seconds);
  return kExitOk;
}

struct ExplainArgs {
  std::string out;
  std::string id;
  report::ExplainOptions options;
  bool no_inputs = false;
};

int DoExplain(const ExplainArgs& a) {
  report::ExplainOptions options = a.options;
  if (a.no_inputs) options.use_inputs = false;
  std::string text;
  Status st = report::ExplainDocument(a.out, a.id, options, &text);
  if (!st.ok()) return Fail(st);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

// The absolute path of this binary, for the batch scripts.
std::string SelfPath() {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

// `run --executor slurm`: submit, then wait (--wait) or leave it to Slurm.
int DoRunSlurm(const RunArgs& a, const JobConfig& config) {
  SlurmOptions options = a.slurm;
  options.winnow_binary = SelfPath();
  Result<SlurmSubmission> sub = SubmitToSlurm(config, options);
  if (!sub.ok()) return Fail(sub.status());
  if (sub->jobs.empty()) {
    std::fprintf(stderr, "winnow: nothing to submit\n");
    return kExitOk;
  }
  for (const SlurmPhaseJob& job : sub->jobs)
    std::fprintf(stderr, "winnow: %-12s Slurm job %s: %zu of %zu tasks in %zu array elements\n",
                 job.phase.c_str(), job.job_id.c_str(), job.todo, job.tasks, job.groups);
  if (!a.wait) {
    std::fprintf(stderr,
                 "winnow: submitted; follow with `winnow status %s`, rerun this command to "
                 "retry what did not complete\n",
                 sub->out.c_str());
    return kExitOk;
  }
  Status st = WaitForSlurm(*sub, options, [&a](std::string_view line) {
    if (!a.quiet) std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  });
  if (!st.ok()) return Fail(st);
  Result<JobProgress> done = GetJobProgress(sub->out);
  if (!done.ok()) return Fail(done.status());
  const std::string& outcome = done->outcome;
  if (outcome.empty())
    return Fail(Status::Internal("no outcome in " + sub->out + "/.work/finish.txt"));
  if (!done->summary_line.empty()) std::fprintf(stderr, "%s\n", done->summary_line.c_str());
  for (const std::string& e : done->errors)
    std::fprintf(stderr, "winnow: task failed: %s\n", e.c_str());
  if (outcome == "failed") return kExitError;
  if (a.report) {
    ReportArgs r;
    r.out = sub->out;
    int rc = DoReport(r);
    if (rc != kExitOk) return rc;
  }
  if (outcome == "too_many_rejected") {
    std::fprintf(stderr, "winnow: rejected records exceed --max-rejected %.4g\n",
                 config.max_rejected_fraction);
    return kExitTooManyRejected;
  }
  return kExitOk;
}

int DoRun(const RunArgs& a) {
  JobConfig config;
  config.inputs = a.inputs;
  config.output_dir = a.out;
  if (!a.recipe.empty() && !a.config.empty())
    return Fail(Status::InvalidArgument("give --recipe or --config, not both"));
  if (!a.config.empty()) {
    Status st = LoadYamlConfig(a.config, &config);
    if (!st.ok()) return Fail(st);
  } else {
    config.recipe = a.recipe.empty() ? "fineweb" : a.recipe;
    Status st = RecipeSteps(config.recipe, &config.steps);
    if (!st.ok()) return Fail(st);
  }
  if (a.threads > 0) config.threads = a.threads;
  if (a.max_rejected >= 0) config.max_rejected_fraction = a.max_rejected;
  if (!a.compression.empty()) ParseCompressionName(a.compression, &config.compression);

  if (a.executor == "slurm") return DoRunSlurm(a, config);

  // Live progress on a terminal, periodic lines in a pipe or under CI; the
  // job's log lines go through it too. Nothing with --quiet.
  ProgressReporter::Options progress_options;
  progress_options.mode =
      a.quiet ? ProgressReporter::Mode::kQuiet : ProgressReporter::Mode::kAuto;
  ProgressReporter progress(progress_options);
  RunOptions options;
  options.progress = &progress;
  Result<JobSummary> summary = RunJob(config, options);
  if (!summary.ok()) return Fail(summary.status());
  std::fprintf(stderr, "%s\n", summary->summary_line.c_str());
  for (const std::string& e : summary->errors)
    std::fprintf(stderr, "winnow: task failed: %s\n", e.c_str());
  if (summary->tasks_failed > 0 || !summary->accounting_ok) return kExitError;
  if (a.report) {
    ReportArgs r;
    r.out = a.out;
    int rc = DoReport(r);
    if (rc != kExitOk) return rc;
  }
  if (summary->too_many_rejected) {
    std::fprintf(stderr, "winnow: rejected records exceed --max-rejected %.4g\n",
                 config.max_rejected_fraction);
    return kExitTooManyRejected;
  }
  return kExitOk;
}

struct TaskArgs {
  std::string out;
  std::string phase;
  size_t index = 0;
};

// Test hook: WINNOW_TEST_KILL_TASK=PHASE:INDEX:SENTINEL makes that task's
// process die by SIGKILL just before writing its marker, once (the
// sentinel file records that it happened).
void MaybeKillForTest(std::string_view phase, size_t index) {
  const char* spec = std::getenv("WINNOW_TEST_KILL_TASK");
  if (spec == nullptr) return;
  std::string s(spec);
  size_t a = s.find(':'), b = a == std::string::npos ? a : s.find(':', a + 1);
  if (b == std::string::npos) return;
  if (s.substr(0, a) != phase || s.substr(a + 1, b - a - 1) != std::to_string(index)) return;
  const std::string sentinel = s.substr(b + 1);
  if (std::filesystem::exists(sentinel)) return;
  if (!WriteFileAtomically(sentinel, "killed\n").ok()) return;
  std::fprintf(stderr, "winnow: WINNOW_TEST_KILL_TASK: killing %s task %zu\n",
               std::string(phase).c_str(), index);
  std::fflush(stderr);
  std::raise(SIGKILL);
}

// `winnow task OUT PHASE INDEX`: one task of a prepared job (executors).
int DoTask(const TaskArgs& a) {
  RunOptions options;
  options.log = [](std::string_view line) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };
  options.before_marker = MaybeKillForTest;
  Status st = RunJobTask(a.out, a.phase, a.index, options);
  if (!st.ok()) {
    std::fprintf(stderr, "winnow: task %s %zu failed\n", a.phase.c_str(), a.index);
    return Fail(st);
  }
  return kExitOk;
}

// `winnow status OUT`: per-phase progress of a job, local or on Slurm.
int DoStatus(const std::string& out) {
  Result<JobProgress> p = GetJobProgress(out);
  if (!p.ok()) return Fail(p.status());
  // Slurm states of the latest submission; none when squeue is absent.
  const auto states = SlurmPhaseStates(out, SlurmOptions{});
  const std::map<std::string, std::string> slurm =
      states.ok() ? states.value() : std::map<std::string, std::string>{};
  std::printf("%-12s %7s %7s %7s %8s  %s\n", "phase", "tasks", "done", "failed", "retried",
              slurm.empty() ? "" : "slurm");
  for (const PhaseProgress& ph : p->phases) {
    auto it = slurm.find(ph.key);
    std::printf("%-12s %7zu %7zu %7zu %8zu  %s\n", ph.key.c_str(), ph.tasks, ph.done, ph.failed,
                ph.retried, it == slurm.end() ? "" : it->second.c_str());
  }
  size_t failed = 0;
  for (const PhaseProgress& ph : p->phases) failed += ph.failed;
  if (p->finished) {
    std::printf("complete%s: %s/stats.json\n",
                p->outcome.empty() || p->outcome == "ok" ? "" : (" (" + p->outcome + ")").c_str(),
                out.c_str());
  } else if (!slurm.empty()) {
    std::printf("running on Slurm\n");
  } else if (failed > 0) {
    std::printf("incomplete: %zu tasks failed (OUT/.work/tasks/*.failed); rerun to retry\n",
                failed);
  } else {
    std::printf("incomplete: running, or interrupted (rerun to resume)\n");
  }
  return kExitOk;
}

struct GenArgs {
  std::string out;
  std::string truth;
  GenOptions options;
};

int DoGen(const GenArgs& a) {
  auto writer = AtomicFileWriter::Create(a.out, Compression::kNone, 0);
  if (!writer.ok()) return Fail(writer.status());
  std::unique_ptr<AtomicFileWriter> truth;
  if (!a.truth.empty()) {
    auto t = AtomicFileWriter::Create(a.truth, Compression::kNone, 0);
    if (!t.ok()) return Fail(t.status());
    truth = std::move(t).value();
  }
  AtomicFileWriter* w = writer.value().get();
  AtomicFileWriter* tw = truth.get();
  Status st = GenerateCorpus(
      a.options, [w](std::string_view line) { w->Append(line); },
      tw ? std::function<void(std::string_view)>(
               [tw](std::string_view line) { tw->Append(line); })
         : std::function<void(std::string_view)>());
  if (!st.ok()) return Fail(st);
  st = writer.value()->Finish();
  if (!st.ok()) return Fail(st);
  if (tw) {
    st = tw->Finish();
    if (!st.ok()) return Fail(st);
  }
  return kExitOk;
}

struct ExtractArgs {
  std::string input;
  bool markdown = false;
  bool meta = false;
};

// Prints the main content of one HTML page (file, possibly compressed, or
// "-" for stdin), converted to UTF-8 as the WARC reader would.
int DoExtract(const ExtractArgs& a) {
  auto in = OpenInputStream(a.input, InputLimits{});
  if (!in.ok()) return Fail(in.status());
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    size_t got = 0;
    Status st = in.value()->Read(buf, sizeof(buf), &got);
    if (!st.ok()) return Fail(st);
    if (got == 0) break;
    bytes.append(buf, got);
  }
  std::string html;
  CharsetConverter charset;
  charset.ConvertHtml(bytes, "", 2048, &html);
  html::ExtractOptions options;
  if (a.markdown) options.format = html::OutputFormat::kMarkdown;
  html::Extractor extractor(options);
  html::ExtractResult result;
  Status st = extractor.Extract(html, &result);
  if (!st.ok()) return Fail(st);
  if (a.meta) {
    auto field = [](const char* name, const std::string& v) {
      if (!v.empty()) std::printf("%s: %s\n", name, v.c_str());
    };
    field("title", result.title);
    field("date", result.date);
    field("author", result.author);
    field("canonical_url", result.canonical_url);
    field("language", result.declared_language);
    std::printf("\n");
  }
  std::fwrite(result.text.data(), 1, result.text.size(), stdout);
  if (!result.text.empty() && result.text.back() != '\n') std::printf("\n");
  return result.text.empty() ? kExitError : kExitOk;
}

int DoSteps() {
  for (const auto& e : BuiltinSteps().entries())
    std::printf("%-24s %s\n", e.type.c_str(), e.summary.c_str());
  return kExitOk;
}

int DoRecipes() {
  for (const std::string& r : RecipeNames()) {
    std::vector<StepSpec> steps;
    if (!RecipeSteps(r, &steps).ok()) continue;
    std::printf("%-10s", r.c_str());
    for (size_t i = 0; i < steps.size(); ++i)
      std::printf("%s%s", i ? " -> " : " ", steps[i].type.c_str());
    std::printf("\n");
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  CLI::App app{"winnow: raw web crawls in, clean deduplicated corpora out"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "winnow 0.1.0");

  RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "run a recipe or config over input files");
  run_cmd->add_option("inputs", run.inputs, "input files, directories or globs: JSONL[.gz|.zst], WARC/WET/ARC[.gz], .txt")
      ->required();
  run_cmd->add_option("-o,--output", run.out, "output directory")->required();
  run_cmd->add_option("--recipe", run.recipe,
                      "recipe: clean, gopher, c4, fineweb, dedup, boilerplate (default fineweb)");
  run_cmd->add_option("--config", run.config, "YAML job file (see docs/CONFIG.md)");
  run_cmd->add_option("-j,--threads", run.threads, "worker threads (default: all cores)");
  run_cmd->add_option("--compression", run.compression, "output: zstd (default), gzip, none")
      ->check(CLI::IsMember({"zstd", "gzip", "none"}));
  run_cmd->add_option("--max-rejected", run.max_rejected,
                      "fail (exit 3) when more than this fraction of records is rejected");
  run_cmd->add_flag("-q,--quiet", run.quiet, "print only errors and the summary");
  run_cmd->add_flag("--report", run.report, "write OUT/report.html when the run succeeds");
  run_cmd->add_option("--executor", run.executor,
                      "local (default: threads) or slurm (job arrays; README: Slurm)")
      ->check(CLI::IsMember({"local", "slurm"}));
  run_cmd->add_option("--partition", run.slurm.partition, "slurm: partition");
  run_cmd->add_option("--account", run.slurm.account, "slurm: account");
  run_cmd->add_option("--time", run.slurm.time, "slurm: time limit per array element");
  run_cmd->add_option("--mem", run.slurm.mem, "slurm: memory per array element, e.g. 8G");
  run_cmd->add_option("--cpus-per-task", run.slurm.cpus_per_task,
                      "slurm: CPUs per array element = tasks it runs at once (default 1)")
      ->check(CLI::Range(1, 1024));
  run_cmd->add_option("--tasks", run.slurm.groups,
                      "slurm: array elements per phase (default: one per task, at most 1000)")
      ->check(CLI::Range(0, 1000000));
  run_cmd->add_option("--retries", run.slurm.retries,
                      "slurm: extra attempts of a failed task (default 2)")
      ->check(CLI::Range(0, 100));
  run_cmd->add_option("--sbatch-arg", run.slurm.extra_args,
                      "slurm: extra sbatch argument, e.g. --sbatch-arg=--qos=low (repeatable)")
      ->allow_extra_args(false);  // one value per occurrence: never eat the inputs
  run_cmd->add_flag("--wait", run.wait, "slurm: wait for the job and exit with its outcome");

  ReportArgs rep;
  CLI::App* report_cmd =
      app.add_subcommand("report", "write OUT/report.html: an HTML report of a finished run");
  report_cmd->add_option("out", rep.out, "the run's output directory")->required();
  report_cmd->add_option("--sample-docs", rep.options.signal_sample_docs,
                         "documents sampled for signal histograms (default 100000)");
  report_cmd->add_option("--samples", rep.options.samples_per_reason,
                         "removed documents shown per reason (default 5)");
  report_cmd->add_flag("--no-inputs", rep.no_inputs,
                       "do not re-read the inputs (no cleaning diffs, no kept-copy ids)");

  ExplainArgs explain;
  CLI::App* explain_cmd =
      app.add_subcommand("explain", "print what happened to one document in a finished run");
  explain_cmd->add_option("out", explain.out, "the run's output directory")->required();
  explain_cmd->add_option("id", explain.id, "the document's id")->required();
  explain_cmd->add_option("--max-diff-lines", explain.options.max_diff_lines,
                          "lines of text diff printed at most (default 200)");
  explain_cmd->add_flag("--no-inputs", explain.no_inputs,
                        "use only the output shards (no replay, no diff)");

  GenArgs gen;
  CLI::App* gen_cmd = app.add_subcommand("gen", "generate a synthetic crawl with known truth");
  gen_cmd->add_option("-o,--output", gen.out, "output JSONL file")->required();
  gen_cmd->add_option("--truth", gen.truth, "write the truth records to this JSONL file");
  gen_cmd->add_option("-n,--docs", gen.options.num_docs, "number of documents");
  gen_cmd->add_option("--seed", gen.options.seed, "random seed");
  gen_cmd->add_option("--sites", gen.options.num_sites, "number of sites");
  gen_cmd->add_option("--bad-records", gen.options.bad_record_fraction,
                      "fraction of deliberately broken records");
  gen_cmd->add_option("--doc-bytes", gen.options.target_doc_bytes,
                      "approximate document size (0 = natural)");

  ExtractArgs extract;
  CLI::App* extract_cmd =
      app.add_subcommand("extract", "print the main content of one HTML page");
  extract_cmd->add_option("input", extract.input, "HTML file (.gz/.zst too) or - for stdin")
      ->required();
  extract_cmd->add_flag("--markdown", extract.markdown, "Markdown instead of plain text");
  extract_cmd->add_flag("--meta", extract.meta, "print title, date, author, URL, language first");

  TaskArgs task;
  CLI::App* task_cmd =
      app.add_subcommand("task", "internal: run one task of a prepared job (executors)");
  task_cmd->group("");  // hidden
  task_cmd->add_option("out", task.out, "the job's output directory")->required();
  task_cmd->add_option("phase", task.phase, "segment_K, reduce_K, finalize_K or finish")
      ->required();
  task_cmd->add_option("index", task.index, "task index within the phase")->required();

  std::string status_out;
  CLI::App* status_cmd =
      app.add_subcommand("status", "show a job's progress per phase (local or Slurm)");
  status_cmd->add_option("out", status_out, "the job's output directory")->required();

  CLI::App* steps_cmd = app.add_subcommand("steps", "list the available steps");
  CLI::App* recipes_cmd = app.add_subcommand("recipes", "list the recipes and their steps");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (run_cmd->parsed()) {
    if (run.executor != "slurm" && (run.wait || !run.slurm.partition.empty() ||
                                    !run.slurm.account.empty() || !run.slurm.time.empty() ||
                                    !run.slurm.mem.empty() || !run.slurm.extra_args.empty())) {
      std::fprintf(stderr, "winnow: error: Slurm options need --executor slurm\n");
      return kExitUsage;
    }
    return DoRun(run);
  }
  if (task_cmd->parsed()) return DoTask(task);
  if (status_cmd->parsed()) return DoStatus(status_out);
  if (gen_cmd->parsed()) return DoGen(gen);
  if (extract_cmd->parsed()) return DoExtract(extract);
  if (report_cmd->parsed()) return DoReport(rep);
  if (explain_cmd->parsed()) return DoExplain(explain);
  if (steps_cmd->parsed()) return DoSteps();
  if (recipes_cmd->parsed()) return DoRecipes();
  return kExitUsage;
}

}  // namespace
}  // namespace winnow

int main(int argc, char** argv) { return winnow::Main(argc, argv); }
