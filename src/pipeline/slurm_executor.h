// The Slurm executor: runs a job's phases (pipeline/job.h) as Slurm job
// arrays over a filesystem that the submitting machine and every compute
// node see at the same paths (OUT, the inputs and the winnow binary).
//
// SubmitToSlurm prepares OUT (PrepareJob) and submits, for each phase with
// tasks still to run, one job array whose element g runs the g-th group of
// those tasks (`winnow task OUT PHASE INDEX` each, up to --cpus-per-task at
// once), each phase depending on the one before (afterok), and a last job
// for `finish` (stats.json). Nothing is submitted for complete tasks, so
// rerunning the same command retries only what is missing.
//
// Retries happen inside the batch script: a task whose process fails (error,
// crash, SIGKILL from the OOM killer) is started again up to `retries`
// times in the same allocation, and each failed attempt is appended to
// OUT/.work/tasks/PHASE-NNNNN.failed. An element that still fails exits
// non-zero; the later phases, whose dependency can then never be met, are
// cancelled by Slurm (--kill-on-invalid-dep=yes), and `winnow status`
// shows what failed. We retry in the script rather than with Slurm's requeue
// because requeue depends on site policy (JobRequeue, permissions), requeues
// a whole array element (every task of its group) with a trip through the
// queue, and hides the count of attempts; a lost node is better served by
// rerunning the command, which submits just the incomplete tasks.
//
// Files: OUT/.work/slurm/PHASE.sh (batch script), PHASE.groups (one line
// per array element: task indices), jobs (PHASE JOBID per line, the latest
// submission), logs/PHASE-JOBID-ELEMENT.log.
#ifndef WINNOW_PIPELINE_SLURM_EXECUTOR_H_
#define WINNOW_PIPELINE_SLURM_EXECUTOR_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/config.h"
#include "winnow/status.h"

namespace winnow {

struct SlurmOptions {
  std::string partition;  // sbatch --partition (empty = the cluster's default)
  std::string account;    // --account
  std::string time;       // --time per array element, e.g. "2:00:00"
  std::string mem;        // --mem per array element, e.g. "8G"
  int cpus_per_task = 1;  // --cpus-per-task; also tasks run at once per element
  // Array elements per phase: the tasks still to run are cut into this many
  // contiguous groups (fewer when there are fewer tasks). 0 = one element
  // per task, at most 1000 (Slurm's default MaxArraySize is 1001).
  int groups = 0;
  int retries = 2;                      // extra attempts of a failed task
  std::vector<std::string> extra_args;  // passed to every sbatch as they are
  // Absolute path of the winnow binary the batch scripts run. REQUIRED.
  std::string winnow_binary;
  std::string sbatch = "sbatch";
  std::string squeue = "squeue";
  double poll_seconds = 2;  // WaitForSlurm
};

struct SlurmPhaseJob {
  std::string phase;
  std::string job_id;
  size_t tasks = 0;   // in the phase
  size_t todo = 0;    // submitted (the rest were complete)
  size_t groups = 0;  // array elements
};

struct SlurmSubmission {
  std::string out;                  // absolute
  std::vector<SlurmPhaseJob> jobs;  // in dependency order, `finish` last
};

// Ids of the Slurm jobs of OUT's latest submission that are still queued or
// running (empty when none, or when OUT was never submitted).
Result<std::vector<std::string>> ActiveSlurmJobs(const std::string& out,
                                                 const SlurmOptions& options);

// Prepares OUT for `config` and submits its incomplete phases. Refuses while
// a job of an earlier submission into OUT is still queued or running.
Result<SlurmSubmission> SubmitToSlurm(const JobConfig& config,
                                      const SlurmOptions& options);

// Waits until no job of `submission` is queued or running, calling
// `progress` with a one-line summary whenever the job's progress changes.
// Returns OK when the job finished (OUT/.work/finish.txt written; read it
// for the outcome), else an error saying which phases did not complete.
Status WaitForSlurm(const SlurmSubmission& submission,
                    const SlurmOptions& options,
                    const std::function<void(std::string_view)>& progress);

// Per phase of OUT's latest submission whose job is still queued or
// running, the states of its array elements, e.g. "1 PENDING, 2 RUNNING".
// Empty when OUT was never submitted or nothing of it is queued.
Result<std::map<std::string, std::string>> SlurmPhaseStates(
    const std::string& out, const SlurmOptions& options);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_SLURM_EXECUTOR_H_
