// Executors run the independent tasks of one phase. They know nothing about
// what a task does; plan building and task bodies live elsewhere, so a Slurm
// executor can run the same tasks as job-array elements.
#ifndef WINNOW_PIPELINE_EXECUTOR_H_
#define WINNOW_PIPELINE_EXECUTOR_H_

#include <functional>
#include <string>
#include <vector>

#include "winnow/status.h"

namespace winnow {

struct Task {
  std::string name;              // unique within its phase, e.g. "00003"
  std::function<Status()> body;  // must be safe to run concurrently with others
  // Optional: runs after `body` succeeded, on the executor's one commit
  // thread, so that the worker can start its next task meanwhile (the job
  // runner makes the task's files durable and writes its marker here). The
  // task's status is the commit's. Commits run one at a time, in the order
  // their bodies finished.
  std::function<Status()> commit;
};

// Runs every task of a phase on a pool of `threads` threads and waits for all
// of them, commits included. Tasks are started in index order. Returns the
// statuses of all tasks, in task order (so error reporting does not depend
// on timing).
// Afterwards, memory the tasks freed is returned to the system (glibc
// malloc_trim), so that a phase's peak does not add to the next one's.
// REQUIRES: threads >= 1.
std::vector<Status> RunLocal(const std::vector<Task>& tasks, int threads);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_EXECUTOR_H_
