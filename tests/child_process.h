// Runs a child process for the suites that drive the CLI (tests/hostile,
// tests/faults): stdout discarded, stderr captured, optional SIGKILL, and
// the child's own peak memory.
#ifndef WINNOW_TESTS_CHILD_PROCESS_H_
#define WINNOW_TESTS_CHILD_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace winnow::testing {

struct ChildResult {
  int exit_code = -1;   // -1 when ended by a signal
  bool signaled = false;
  bool killed = false;  // ended by our SIGKILL
  std::string stderr_text;
  std::chrono::milliseconds elapsed{0};
  uint64_t max_rss_bytes = 0;  // the child's peak resident set (wait4)
};

// Runs `argv` (argv[0] is a path) with stdout discarded and stderr captured
// through `err_path`. Sends SIGKILL if the child is still running
// `kill_after` after it started (when non-negative) or as soon as
// `kill_when` returns true (when given; polled every millisecond).
inline ChildResult RunChild(const std::vector<std::string>& argv, const std::string& err_path,
                            std::chrono::milliseconds kill_after = std::chrono::milliseconds(-1),
                            const std::function<bool()>& kill_when = nullptr) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) dup2(err, 2);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1);
    execv(args[0], args.data());
    _exit(127);
  }
  ChildResult r;
  int status = 0;
  struct rusage usage {};
  if (kill_after.count() < 0 && !kill_when) {
    wait4(pid, &status, 0, &usage);
  } else {
    const auto deadline = start + kill_after;
    for (;;) {
      if (wait4(pid, &status, WNOHANG, &usage) == pid) break;
      if ((kill_after.count() >= 0 && Clock::now() >= deadline) || (kill_when && kill_when())) {
        kill(pid, SIGKILL);
        wait4(pid, &status, 0, &usage);
        r.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  r.signaled = WIFSIGNALED(status);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.max_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  std::ifstream in(err_path);
  r.stderr_text.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

}  // namespace winnow::testing

#endif  // WINNOW_TESTS_CHILD_PROCESS_H_
