// ProgressReporter: what a long run is doing, per phase, on stderr.
//
// On a terminal it keeps one live line per phase, redrawn in place with '\r'
// at most every `redraw_seconds`:
//   segment 0   12,345 docs   45.6 MB/s   0:12 elapsed   ETA 0:30
// and ends it with '\n' when the phase ends. In a pipe, a file or under CI
// (the CI environment variable is set) it prints the same text as a plain
// log line every `plain_interval_seconds` and once at the end of the phase.
// Mode kQuiet prints nothing (the CLI's --quiet).
//
// ETA: from the bytes done against `total_bytes` when that is known (the
// inputs' sizes), else from documents against `total_docs`, else none.
//
// Thread safety: Add() may be called from any number of worker threads at
// once; it updates atomics and prints from whichever caller finds the
// redraw due (others do not wait). BeginPhase/EndPhase/Log are called by the
// thread that drives the phases, not concurrently with each other.
#ifndef WINNOW_PIPELINE_PROGRESS_H_
#define WINNOW_PIPELINE_PROGRESS_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace winnow {

class ProgressReporter {
 public:
  enum class Mode {
    kAuto,      // kTerminal when the stream is a terminal and CI is unset, else kPlain
    kTerminal,  // live line redrawn with '\r'
    kPlain,     // periodic log lines
    kQuiet,     // nothing
  };

  struct Options {
    Mode mode = Mode::kAuto;
    // Where lines go. Not owned; must outlive the reporter. Default stderr.
    std::FILE* stream = nullptr;
    // Terminal: redraw at most this often. 0.2 s looks live and costs nothing.
    double redraw_seconds = 0.2;
    // Plain: one line per interval. 10 s keeps CI logs short yet shows a
    // stuck run within seconds.
    double plain_interval_seconds = 10;
    // Monotonic seconds; null = std::chrono::steady_clock. Tests inject one.
    std::function<double()> clock;
  };

  ProgressReporter();
  explicit ProgressReporter(Options options);
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;
  ~ProgressReporter();  // ends an open phase's live line (no I/O errors reported)

  // The resolved mode (never kAuto).
  Mode mode() const { return mode_; }

  // Starts a phase. Totals of 0 mean unknown (no ETA from that measure).
  // An open phase is ended first.
  void BeginPhase(std::string_view name, int64_t total_docs = 0, int64_t total_bytes = 0);
  // Records work done in the current phase; may print. Cheap (atomics, one
  // clock read).
  void Add(int64_t docs, int64_t bytes);
  // Ends the phase: prints its final line (terminal: completes the live line).
  void EndPhase();
  // Prints a line of its own (a warning, a summary) without mangling the
  // live line. Nothing in kQuiet.
  void Log(std::string_view line);

  // The status text for the given state (no '\r' or '\n'). Exposed for tests.
  static std::string FormatStatus(std::string_view phase, int64_t docs, int64_t bytes,
                                  double elapsed_seconds, int64_t total_docs,
                                  int64_t total_bytes, bool done);
  // 75 -> "1:15", 3725 -> "1:02:05".
  static std::string FormatDuration(double seconds);

 private:
  double Now() const;
  void Print(bool final_line);

  Mode mode_;
  Options options_;
  std::FILE* stream_;
  std::mutex print_mu_;
  std::string phase_;
  bool open_ = false;
  bool live_line_ = false;  // terminal: a line without '\n' is on screen
  size_t last_width_ = 0;
  double phase_start_ = 0;
  std::atomic<int64_t> docs_{0};
  std::atomic<int64_t> bytes_{0};
  std::atomic<double> next_print_{0};
  int64_t total_docs_ = 0;
  int64_t total_bytes_ = 0;
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_PROGRESS_H_
