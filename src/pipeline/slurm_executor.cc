#include "pipeline/slurm_executor.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "io/output_file.h"
#include "pipeline/job.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;

// Slurm's default MaxArraySize is 1001 (indices 0..1000).
constexpr size_t kDefaultMaxGroups = 1000;

std::string SlurmDir(const std::string& out) { return out + "/.work/slurm"; }

// Runs argv (argv[0] looked up in PATH) and returns its exit status (-1 when
// it could not be started, 128+N when killed by signal N); its stdout and
// stderr go to *output.
int RunCommand(const std::vector<std::string>& argv, std::string* output) {
  output->clear();
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    const char msg[] = "cannot execute command\n";
    ssize_t n = ::write(2, msg, sizeof(msg) - 1);
    (void)n;
    ::_exit(127);
  }
  ::close(fds[1]);
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Single-quotes `s` for bash.
std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

// The batch script of one phase: array element g runs the tasks on line
// g+1 of the groups file, up to SLURM_CPUS_PER_TASK at once, each retried.
std::string BatchScript(const std::string& winnow, const std::string& out,
                        const std::string& phase, int retries) {
  std::string s;
  s += "#!/bin/bash\n";
  s += "# winnow: phase " + phase + " of " + out +
       " (written by `winnow run --executor slurm`)\n";
  s += "WINNOW=" + ShellQuote(winnow) + "\n";
  s += "OUT=" + ShellQuote(out) + "\n";
  s += "PHASE=" + ShellQuote(phase) + "\n";
  s += "RETRIES=" + std::to_string(retries) + "\n";
  s += "export WINNOW OUT PHASE RETRIES\n";
  s +=
      R"SH(# Runs one task; a failed attempt (error, crash, kill) is recorded and the
# task started again, up to RETRIES more times.
run_one() {
  local i=$1 attempt=0 rc
  while :; do
    attempt=$((attempt + 1))
    "$WINNOW" task "$OUT" "$PHASE" "$i"
    rc=$?
    [ "$rc" -eq 0 ] && return 0
    printf 'attempt %d on %s (Slurm job %s) exited with status %d\n' "$attempt" \
      "$(hostname)" "${SLURM_JOB_ID:-?}" "$rc" \
      >> "$OUT/.work/tasks/$PHASE-$(printf %05d "$i").failed"
    echo "winnow: $PHASE task $i: attempt $attempt failed (exit status $rc)" >&2
    [ "$attempt" -gt "$RETRIES" ] && return 1
    sleep 1
  done
}
export -f run_one
tasks=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$OUT/.work/slurm/$PHASE.groups")
if [ -z "$tasks" ]; then
  echo "winnow: no tasks for array element $SLURM_ARRAY_TASK_ID of $PHASE" >&2
  exit 1
fi
printf '%s\n' $tasks | xargs -r -P "${SLURM_CPUS_PER_TASK:-1}" -I{} bash -c 'run_one "$1"' _ {}
)SH";
  return s;
}

// The job id in sbatch --parsable output ("123" or "123;cluster").
std::string ParseJobId(const std::string& output) {
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::string id = line.substr(0, line.find(';'));
    if (!id.empty() && std::all_of(id.begin(), id.end(), ::isdigit)) return id;
  }
  return "";
}

// The queued or running jobs of this user (array jobs by base id), each
// with the states of its elements ("RUNNING", "PENDING", ...; one entry per
// line of squeue's output).
using QueueStates = std::map<std::string, std::vector<std::string>>;
Result<QueueStates> QueuedJobs(const SlurmOptions& options) {
  std::string output;
  int rc = RunCommand({options.squeue, "--me", "--noheader", "--format=%F %T"},
                      &output);
  if (rc != 0)
    return Status::IOError("squeue failed (exit status " + std::to_string(rc) +
                           "): " + output);
  QueueStates jobs;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, state;
    if (fields >> id) {
      fields >> state;
      jobs[id].push_back(state);
    }
  }
  return jobs;
}

// "PHASE JOBID" lines of the latest submission.
std::vector<std::pair<std::string, std::string>> RecordedJobs(
    const std::string& out) {
  std::vector<std::pair<std::string, std::string>> jobs;
  std::string text;
  if (!ReadFileToString(SlurmDir(out) + "/jobs", &text).ok()) return jobs;
  std::istringstream in(text);
  std::string phase, id;
  while (in >> phase >> id) jobs.emplace_back(phase, id);
  return jobs;
}

std::string ProgressLine(const JobProgress& p) {
  std::string line = "winnow:";
  for (const PhaseProgress& ph : p.phases) {
    line += " " + ph.key + " " + std::to_string(ph.done) + "/" +
            std::to_string(ph.tasks);
    if (ph.failed > 0) line += " (" + std::to_string(ph.failed) + " failed)";
  }
  return line;
}

}  // namespace

Result<std::vector<std::string>> ActiveSlurmJobs(const std::string& out,
                                                 const SlurmOptions& options) {
  std::vector<std::string> active;
  auto recorded = RecordedJobs(out);
  if (recorded.empty()) return active;
  auto queued = QueuedJobs(options);
  if (!queued.ok()) return queued.status();
  for (const auto& [phase, id] : recorded)
    if (queued.value().count(id)) active.push_back(id);
  return active;
}

Result<std::map<std::string, std::string>> SlurmPhaseStates(
    const std::string& out, const SlurmOptions& options) {
  std::map<std::string, std::string> states;
  auto recorded = RecordedJobs(out);
  if (recorded.empty()) return states;
  auto queued = QueuedJobs(options);
  if (!queued.ok()) return queued.status();
  for (const auto& [phase, id] : recorded) {
    auto it = queued.value().find(id);
    if (it == queued.value().end()) continue;
    std::map<std::string, int> counts;
    for (const std::string& state : it->second) counts[state]++;
    std::string s;
    for (const auto& [state, n] : counts)
      s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + state;
    states[phase] = s;
  }
  return states;
}

Result<SlurmSubmission> SubmitToSlurm(const JobConfig& config_in,
                                      const SlurmOptions& options) {
  if (options.winnow_binary.empty() || options.winnow_binary[0] != '/')
    return Status::InvalidArgument(
        "the Slurm executor needs the winnow binary's absolute path");
  if (options.retries < 0 || options.cpus_per_task < 1 || options.groups < 0)
    return Status::InvalidArgument(
        "--retries and --tasks must be >= 0, --cpus-per-task >= 1");
  if (config_in.output_dir.empty())
    return Status::InvalidArgument("no output directory (-o)");
  JobConfig config = config_in;
  std::error_code ec;
  config.output_dir =
      fs::absolute(config.output_dir, ec).lexically_normal().string();
  if (ec)
    return Status::IOError("cannot resolve " + config_in.output_dir + ": " +
                           ec.message());
  while (config.output_dir.size() > 1 && config.output_dir.back() == '/')
    config.output_dir.pop_back();
  const std::string out = config.output_dir;

  // An earlier submission still running would have its temporary files
  // removed under it by PrepareJob, and would race with this one.
  auto active = ActiveSlurmJobs(out, options);
  if (!active.ok()) return active.status();
  if (!active.value().empty()) {
    std::string ids;
    for (const auto& id : active.value()) ids += (ids.empty() ? "" : ",") + id;
    return Status::InvalidArgument("Slurm jobs of an earlier submission into " +
                                   out + " are still queued or running (" +
                                   ids +
                                   "); wait for them or scancel them first");
  }

  Result<PreparedJob> prepared = PrepareJob(config);
  if (!prepared.ok()) return prepared.status();
  const std::string dir = SlurmDir(out);
  fs::create_directories(dir + "/logs", ec);
  if (ec)
    return Status::IOError("cannot create " + dir + "/logs: " + ec.message());
  // A stale outcome must not be mistaken for this submission's.
  fs::remove(out + "/.work/finish.txt", ec);

  char cwd[4096];
  if (::getcwd(cwd, sizeof(cwd)) == nullptr)
    return Status::IOError(std::string("getcwd: ") + std::strerror(errno));

  SlurmSubmission submission;
  submission.out = out;
  std::string previous;  // job id the next phase depends on
  std::string jobs_text;
  for (const PhasePlan& phase : prepared->phases) {
    if (phase.todo.empty()) continue;
    const size_t n = phase.todo.size();
    const size_t want = options.groups > 0 ? static_cast<size_t>(options.groups)
                                           : kDefaultMaxGroups;
    const size_t groups = std::min(n, want);
    std::string lines;
    for (size_t g = 0; g < groups; ++g) {
      const size_t begin = g * n / groups, end = (g + 1) * n / groups;
      for (size_t t = begin; t < end; ++t)
        lines += (t == begin ? "" : " ") + std::to_string(phase.todo[t]);
      lines += "\n";
    }
    const std::string script = dir + "/" + phase.key + ".sh";
    WINNOW_RETURN_IF_ERROR(
        WriteFileAtomically(dir + "/" + phase.key + ".groups", lines));
    WINNOW_RETURN_IF_ERROR(WriteFileAtomically(
        script,
        BatchScript(options.winnow_binary, out, phase.key, options.retries)));

    std::vector<std::string> argv = {
        options.sbatch,
        "--parsable",
        "--job-name=winnow-" + phase.key,
        "--array=0-" + std::to_string(groups - 1),
        "--chdir=" + std::string(cwd),
        "--output=" + dir + "/logs/" + phase.key + "-%A-%a.log",
        "--cpus-per-task=" + std::to_string(options.cpus_per_task)};
    if (!previous.empty()) {
      argv.push_back("--dependency=afterok:" + previous);
      argv.push_back("--kill-on-invalid-dep=yes");
    }
    if (!options.partition.empty())
      argv.push_back("--partition=" + options.partition);
    if (!options.account.empty())
      argv.push_back("--account=" + options.account);
    if (!options.time.empty()) argv.push_back("--time=" + options.time);
    if (!options.mem.empty()) argv.push_back("--mem=" + options.mem);
    for (const std::string& a : options.extra_args) argv.push_back(a);
    argv.push_back(script);
    std::string output;
    const int rc = RunCommand(argv, &output);
    const std::string id = rc == 0 ? ParseJobId(output) : "";
    if (id.empty()) {
      // Record what was submitted so far: `winnow status` and the guard
      // against a second submission see it.
      (void)WriteFileAtomically(dir + "/jobs", jobs_text);
      return Status::IOError("sbatch for phase " + phase.key +
                             " failed (exit status " + std::to_string(rc) +
                             "): " + output);
    }
    jobs_text += phase.key + " " + id + "\n";
    previous = id;
    SlurmPhaseJob job;
    job.phase = phase.key;
    job.job_id = id;
    job.tasks = phase.tasks;
    job.todo = n;
    job.groups = groups;
    submission.jobs.push_back(job);
  }
  WINNOW_RETURN_IF_ERROR(WriteFileAtomically(dir + "/jobs", jobs_text));
  return submission;
}

Status WaitForSlurm(const SlurmSubmission& submission,
                    const SlurmOptions& options,
                    const std::function<void(std::string_view)>& progress) {
  std::string last;
  for (;;) {
    auto queued = QueuedJobs(options);
    if (!queued.ok()) return queued.status();
    bool any = false;
    for (const SlurmPhaseJob& job : submission.jobs)
      any |= queued.value().count(job.job_id) > 0;
    auto p = GetJobProgress(submission.out);
    if (p.ok() && progress) {
      std::string line = ProgressLine(p.value());
      if (line != last) progress(line);
      last = line;
    }
    if (!any) break;
    std::this_thread::sleep_for(
        std::chrono::duration<double>(options.poll_seconds));
  }
  std::error_code ec;
  if (fs::exists(submission.out + "/.work/finish.txt", ec)) return Status::OK();
  auto p = GetJobProgress(submission.out);
  if (!p.ok()) return p.status();
  std::string missing;
  for (const PhaseProgress& ph : p->phases) {
    if (ph.done == ph.tasks) continue;
    missing += (missing.empty() ? "" : ", ") + ph.key + " " +
               std::to_string(ph.done) + "/" + std::to_string(ph.tasks) +
               " done";
    if (ph.failed > 0) missing += " (" + std::to_string(ph.failed) + " failed)";
  }
  return Status::Internal(
      "the Slurm job ended incomplete: " + missing + "; see " + submission.out +
      "/.work/slurm/logs and .work/tasks/*.failed, and rerun to retry");
}

}  // namespace winnow
