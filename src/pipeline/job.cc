#include "pipeline/job.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "core/json_writer.h"
#include "formats/jsonl_writer.h"
#include "formats/record_reader.h"
#include "io/output_file.h"
#include "pipeline/executor.h"
#include "pipeline/steps.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kVersion[] = "0.1.0";

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

bool HasGlobChars(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

std::string ShardName(size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%05zu", index);
  return buf;
}

std::string ShardSuffix(Compression c) {
  switch (c) {
    case Compression::kZstd:
      return ".jsonl.zst";
    case Compression::kGzip:
      return ".jsonl.gz";
    case Compression::kNone:
      return ".jsonl";
  }
  return ".jsonl";
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Everything one task needs; shared read-only between tasks.
struct Plan {
  const JobConfig* config;
  std::vector<std::string> files;
  std::vector<StepSpec> specs;  // drop_empty + the job's steps
  std::string out;
};

class ShardOutputs {
 public:
  Status Open(const Plan& plan, size_t index) {
    std::string name = ShardName(index) + ShardSuffix(plan.config->compression);
    const char* dirs[3] = {"/kept/", "/removed/", "/rejected/"};
    for (int i = 0; i < 3; ++i) {
      auto w = AtomicFileWriter::Create(plan.out + dirs[i] + name,
                                        plan.config->compression,
                                        plan.config->compression_level);
      if (!w.ok()) return w.status();
      writers_[i] = std::move(w).value();
    }
    return Status::OK();
  }
  AtomicFileWriter& kept() { return *writers_[0]; }
  AtomicFileWriter& removed() { return *writers_[1]; }
  AtomicFileWriter& rejected() { return *writers_[2]; }

  Status Finish() {
    for (auto& w : writers_) WINNOW_RETURN_IF_ERROR(w->Finish());
    return Status::OK();
  }
  void Abandon() {
    for (auto& w : writers_)
      if (w) w->Abandon();
  }

 private:
  std::unique_ptr<AtomicFileWriter> writers_[3];
};

// Flushes a serialized batch to the writer once it grows past this size, so
// per-document writes are amortized.
constexpr size_t kFlushBytes = 1 << 20;

Status RunProcessTask(const Plan& plan, size_t index, TaskStats* stats) {
  auto t0 = Clock::now();
  const std::string& path = plan.files[index];
  Result<std::vector<std::unique_ptr<Step>>> steps_or = MakeSteps(plan.specs);
  if (!steps_or.ok()) return steps_or.status();
  std::vector<std::unique_ptr<Step>>& steps = steps_or.value();
  std::vector<Counters> counters(steps.size());
  stats->steps.resize(steps.size());
  for (size_t s = 0; s < steps.size(); ++s) {
    stats->steps[s].name = plan.specs[s].name;
    stats->steps[s].type = plan.specs[s].type;
  }
  std::vector<Clock::duration> step_time(steps.size(), Clock::duration::zero());

  ShardOutputs out;
  WINNOW_RETURN_IF_ERROR(out.Open(plan, index));
  std::string kept_buf, removed_buf, rejected_buf;

  Rejection rej;
  auto reject = [&](const Rejection& r) {
    stats->records_read++;
    stats->rejected++;
    stats->rejected_by_reason[r.reason]++;
    AppendRejectionJson(r, &rejected_buf);
  };

  Result<std::unique_ptr<RecordReader>> reader =
      OpenRecordReader(path, static_cast<uint32_t>(index), plan.config->reader);
  if (!reader.ok()) {
    // An input that vanished or became unreadable after planning: reported
    // as one rejected record; the rest of the job goes on.
    rej = Rejection{};
    rej.file = path;
    rej.reason = "open_failed";
    rej.error = reader.status().ToString();
    reject(rej);
  } else {
    Document doc;
    for (;;) {
      RecordReader::Next next = reader.value()->Read(&doc, &rej);
      if (next == RecordReader::Next::kEnd) break;
      if (next == RecordReader::Next::kRejected) {
        reject(rej);
      } else {
        stats->records_read++;
        stats->bytes_read += static_cast<int64_t>(doc.text.size());
        bool kept = true;
        for (size_t s = 0; s < steps.size(); ++s) {
          StepStats& ss = stats->steps[s];
          ss.docs_in++;
          ss.bytes_in += static_cast<int64_t>(doc.text.size());
          auto ts = Clock::now();
          StepResult r = steps[s]->Process(&doc, &counters[s]);
          step_time[s] += Clock::now() - ts;
          if (r.keep && s > 0 && IsBlank(doc.text)) {
            r = StepResult::Remove("empty");
          }
          if (!r.keep) {
            ss.removed[r.reason]++;
            doc.removed_by = plan.specs[s].name;
            doc.reason = std::move(r.reason);
            doc.details = std::move(r.details);
            kept = false;
            break;
          }
          ss.docs_out++;
          ss.bytes_out += static_cast<int64_t>(doc.text.size());
        }
        if (kept) {
          stats->kept++;
          stats->kept_bytes += static_cast<int64_t>(doc.text.size());
          AppendDocumentJson(doc, &kept_buf);
        } else {
          stats->removed++;
          AppendDocumentJson(doc, &removed_buf);
        }
      }
      if (kept_buf.size() >= kFlushBytes) {
        out.kept().Append(kept_buf);
        kept_buf.clear();
      }
      if (removed_buf.size() >= kFlushBytes) {
        out.removed().Append(removed_buf);
        removed_buf.clear();
      }
      if (rejected_buf.size() >= kFlushBytes) {
        out.rejected().Append(rejected_buf);
        rejected_buf.clear();
      }
    }
    for (const auto& [k, v] : reader.value()->counters().items())
      stats->reader_counters[k] += v;
  }
  out.kept().Append(kept_buf);
  out.removed().Append(removed_buf);
  out.rejected().Append(rejected_buf);
  for (size_t s = 0; s < steps.size(); ++s) {
    for (const auto& [k, v] : counters[s].items()) stats->steps[s].counters[k] += v;
    stats->steps[s].seconds =
        std::chrono::duration<double>(step_time[s]).count();
  }
  Status st = out.Finish();
  if (!st.ok()) {
    out.Abandon();
    return st;
  }
  stats->seconds = Seconds(t0, Clock::now());
  return Status::OK();
}

// Checks the accounting of one task or of the whole job.
bool AccountingHolds(const TaskStats& s, std::string* why) {
  if (s.records_read != s.kept + s.removed + s.rejected) {
    *why = "read " + std::to_string(s.records_read) + " != kept " +
           std::to_string(s.kept) + " + removed " + std::to_string(s.removed) +
           " + rejected " + std::to_string(s.rejected);
    return false;
  }
  int64_t docs = s.records_read - s.rejected;
  int64_t removed_by_steps = 0;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const StepStats& st = s.steps[i];
    int64_t expect_in = i == 0 ? docs : s.steps[i - 1].docs_out;
    int64_t removed = 0;
    for (const auto& [k, v] : st.removed) removed += v;
    removed_by_steps += removed;
    if (st.docs_in != expect_in || st.docs_out != st.docs_in - removed) {
      *why = "step '" + st.name + "' counts do not chain";
      return false;
    }
  }
  if (!s.steps.empty() && s.steps.back().docs_out != s.kept) {
    *why = "last step output != kept";
    return false;
  }
  if (removed_by_steps != s.removed) {
    *why = "removed by steps != removed";
    return false;
  }
  return true;
}

std::string TopReasons(const std::map<std::string, int64_t>& m) {
  std::vector<std::pair<int64_t, std::string>> v;
  for (const auto& [k, n] : m) v.emplace_back(-n, k);
  std::sort(v.begin(), v.end());
  std::string out;
  for (size_t i = 0; i < v.size() && i < 4; ++i) {
    if (i) out += ", ";
    out += v[i].second + " " + std::to_string(-v[i].first);
  }
  if (v.size() > 4) out += ", ...";
  return out;
}

// Removes temporary files that a killed run left behind (writers name them
// "<final>.tmp.<pid>.<n>"). Only safe while this process holds the OUT lock.
Status RemoveStaleTempFiles(const std::string& out) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (it->path().filename().string().find(".tmp.") == std::string::npos) continue;
    std::error_code rm;
    fs::remove(it->path(), rm);
    if (rm) return Status::IOError("cannot remove stale temporary file " +
                                   it->path().string() + ": " + rm.message());
  }
  if (ec) return Status::IOError("cannot list " + out + ": " + ec.message());
  return Status::OK();
}

// Holds an exclusive lock on OUT/.work/lock for the lifetime of the run, so
// two runs never write the same output directory at once.
class OutputLock {
 public:
  ~OutputLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const std::string& out) {
    std::string path = out + "/.work/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      return Status::InvalidArgument("another winnow run is writing " + out);
    return Status::OK();
  }

 private:
  int fd_ = -1;
};

Status CheckOutputDir(const std::string& out) {
  for (const char* sub : {"", "/kept", "/removed", "/rejected", "/.work", "/.work/process"}) {
    std::error_code ec;
    fs::create_directories(out + sub, ec);
    if (ec)
      return Status::IOError("cannot create output directory " + out + sub + ": " +
                             ec.message());
  }
  if (::access(out.c_str(), W_OK) != 0)
    return Status::IOError("output directory is not writable: " + out);
  return WriteFileAtomically(out + "/.work/.probe", "ok\n");
}

std::string StatsJson(const JobConfig& config, const Plan& plan,
                      const JobSummary& summary, int threads) {
  std::string inputs = "[";
  for (size_t i = 0; i < plan.files.size(); ++i) {
    if (i) inputs += ",";
    AppendJsonString(plan.files[i], &inputs);
  }
  inputs += "]";
  const TaskStats& t = summary.totals;
  return JsonObjectBuilder()
             .Add("winnow_version", kVersion)
             .Add("recipe", config.recipe)
             .AddRaw("inputs", inputs)
             .Add("threads", threads)
             .Add("tasks", summary.tasks)
             .Add("tasks_skipped", summary.tasks_skipped)
             .Add("accounting_ok", summary.accounting_ok)
             .Add("wall_seconds", summary.wall_seconds)
             .AddRaw("totals", t.ToJson())
             .Finish() +
         "\n";
}

}  // namespace

Status ExpandInputs(const std::vector<std::string>& args,
                    std::vector<std::string>* files) {
  std::set<std::string> seen;
  auto add = [&](const std::string& f) {
    if (seen.insert(f).second) files->push_back(f);
  };
  for (const std::string& arg : args) {
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (!ec && fs::is_regular_file(st)) {
      add(arg);
    } else if (!ec && fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(arg, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list directory " + arg + ": " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty()) return Status::NotFound("input directory has no files: " + arg);
      for (const auto& f : found) add(f);
    } else if (HasGlobChars(arg)) {
      glob_t g;
      int rc = ::glob(arg.c_str(), 0, nullptr, &g);
      if (rc != 0) {
        if (rc != GLOB_NOMATCH) globfree(&g);
        return Status::NotFound("input pattern matches nothing: " + arg);
      }
      std::vector<std::string> found;
      for (size_t i = 0; i < g.gl_pathc; ++i) {
        if (fs::is_regular_file(g.gl_pathv[i], ec)) found.push_back(g.gl_pathv[i]);
      }
      globfree(&g);
      std::sort(found.begin(), found.end());
      if (found.empty()) return Status::NotFound("input pattern matches no file: " + arg);
      for (const auto& f : found) add(f);
    } else {
      return Status::NotFound("input not found: " + arg);
    }
  }
  return Status::OK();
}

Result<JobSummary> RunJob(const JobConfig& config, const RunOptions& options) {
  auto t0 = Clock::now();
  std::mutex log_mu;
  auto log = [&](const std::string& line) {
    if (!options.log) return;
    std::lock_guard<std::mutex> lock(log_mu);
    options.log(line);
  };

  if (config.output_dir.empty()) return Status::InvalidArgument("no output directory (-o)");
  if (config.inputs.empty()) return Status::InvalidArgument("no inputs");
  Plan plan;
  plan.config = &config;
  plan.out = config.output_dir;
  WINNOW_RETURN_IF_ERROR(ExpandInputs(config.inputs, &plan.files));
  // Every job starts by dropping blank records and, unless the job places it
  // itself, by extracting the main content of HTML records (WARC inputs);
  // the extraction step passes text documents through untouched.
  StepSpec empty;
  empty.type = empty.name = "drop_empty";
  plan.specs.push_back(empty);
  bool has_extract = false;
  for (const StepSpec& s : config.steps) has_extract |= (s.type == "extract_html");
  if (!has_extract) {
    StepSpec extract;
    extract.type = extract.name = "extract_html";
    plan.specs.push_back(extract);
  }
  for (const StepSpec& s : config.steps) plan.specs.push_back(s);
  // Validate every step and option before touching the output directory.
  {
    auto steps = MakeSteps(plan.specs);
    if (!steps.ok()) return steps.status();
  }

  WINNOW_RETURN_IF_ERROR(CheckOutputDir(plan.out));
  OutputLock lock;
  WINNOW_RETURN_IF_ERROR(lock.Acquire(plan.out));
  WINNOW_RETURN_IF_ERROR(RemoveStaleTempFiles(plan.out));
  std::string fingerprint = JobFingerprint(config, plan.files) + "\n";
  std::string job_path = plan.out + "/.work/job.json";
  if (FileExists(job_path)) {
    std::string existing;
    WINNOW_RETURN_IF_ERROR(ReadFileToString(job_path, &existing));
    if (existing != fingerprint)
      return Status::InvalidArgument(
          "output directory " + plan.out +
          " holds the results of a different job (other inputs, steps or options); "
          "use a new output directory or remove this one");
  } else {
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(job_path, fingerprint));
  }

  int threads = config.threads > 0
                    ? config.threads
                    : std::max(1u, std::thread::hardware_concurrency());
  JobSummary summary;
  summary.tasks = static_cast<int>(plan.files.size());
  std::vector<TaskStats> task_stats(plan.files.size());
  std::vector<Task> tasks;
  std::vector<size_t> task_index;
  for (size_t i = 0; i < plan.files.size(); ++i) {
    std::string marker = plan.out + "/.work/process/" + ShardName(i) + ".done";
    if (FileExists(marker)) {
      std::string json;
      Status st = ReadFileToString(marker, &json);
      if (st.ok()) {
        Result<TaskStats> ts = TaskStats::FromJson(json);
        if (ts.ok()) {
          task_stats[i] = std::move(ts).value();
          summary.tasks_skipped++;
          continue;
        }
      }
      log("winnow: completion marker " + marker + " is unreadable; redoing the task");
    }
    Task task;
    task.name = ShardName(i);
    task.body = [&plan, &task_stats, &log, i, marker]() -> Status {
      TaskStats stats;
      Status st = RunProcessTask(plan, i, &stats);
      if (!st.ok()) return st;
      std::string why;
      if (!AccountingHolds(stats, &why))
        return Status::Internal("accounting does not hold for " + plan.files[i] + ": " + why);
      WINNOW_RETURN_IF_ERROR(WriteFileAtomically(marker, stats.ToJson() + "\n"));
      task_stats[i] = std::move(stats);
      log("winnow: done " + plan.files[i]);
      return Status::OK();
    };
    tasks.push_back(std::move(task));
    task_index.push_back(i);
  }
  if (summary.tasks_skipped > 0)
    log("winnow: resuming: " + std::to_string(summary.tasks_skipped) + " of " +
        std::to_string(summary.tasks) + " tasks already complete");

  std::vector<Status> results = RunLocal(tasks, threads);
  for (size_t k = 0; k < results.size(); ++k) {
    if (!results[k].ok()) {
      summary.tasks_failed++;
      summary.errors.push_back(plan.files[task_index[k]] + ": " + results[k].ToString());
    }
  }
  for (const TaskStats& ts : task_stats) summary.totals.Merge(ts);
  summary.wall_seconds = Seconds(t0, Clock::now());
  std::string why;
  summary.accounting_ok = summary.tasks_failed == 0 && AccountingHolds(summary.totals, &why);
  const TaskStats& t = summary.totals;
  if (t.records_read > 0 &&
      static_cast<double>(t.rejected) / static_cast<double>(t.records_read) >
          config.max_rejected_fraction)
    summary.too_many_rejected = true;

  char line[512];
  std::snprintf(line, sizeof(line),
                "winnow: %d files, read %" PRId64 " records: kept %" PRId64
                ", removed %" PRId64 ", rejected %" PRId64 " in %.2fs",
                summary.tasks, t.records_read, t.kept, t.removed, t.rejected,
                summary.wall_seconds);
  summary.summary_line = line;
  if (t.rejected > 0) summary.summary_line += " (rejected: " + TopReasons(t.rejected_by_reason) + ")";
  if (summary.tasks_failed > 0)
    summary.summary_line += "; " + std::to_string(summary.tasks_failed) +
                            " tasks FAILED, rerun to retry them";
  else if (!summary.accounting_ok)
    summary.summary_line += "; ACCOUNTING MISMATCH: " + why;

  if (summary.tasks_failed == 0) {
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(plan.out + "/stats.json",
                                               StatsJson(config, plan, summary, threads)));
  }
  return summary;
}

}  // namespace winnow
