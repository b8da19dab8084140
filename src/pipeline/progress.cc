#include "pipeline/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace winnow {
namespace {

std::string Count(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

bool IsTerminal(std::FILE* f) {
  if (::isatty(::fileno(f)) == 0) return false;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

}  // namespace

ProgressReporter::ProgressReporter() : ProgressReporter(Options{}) {}

ProgressReporter::ProgressReporter(Options options) : options_(std::move(options)) {
  stream_ = options_.stream ? options_.stream : stderr;
  mode_ = options_.mode;
  if (mode_ == Mode::kAuto) mode_ = IsTerminal(stream_) ? Mode::kTerminal : Mode::kPlain;
}

ProgressReporter::~ProgressReporter() {
  if (open_) EndPhase();
}

double ProgressReporter::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string ProgressReporter::FormatDuration(double seconds) {
  if (seconds < 0) seconds = 0;
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string ProgressReporter::FormatStatus(std::string_view phase, int64_t docs, int64_t bytes,
                                           double elapsed, int64_t total_docs,
                                           int64_t total_bytes, bool done) {
  std::string out(phase);
  out += "  " + Count(docs) + " docs";
  if (total_docs > 0) out += " of " + Count(total_docs);
  char buf[64];
  double mbps = elapsed > 0 ? static_cast<double>(bytes) / 1e6 / elapsed : 0;
  std::snprintf(buf, sizeof(buf), "  %.1f MB/s", mbps);
  out += buf;
  out += "  " + FormatDuration(elapsed) + " elapsed";
  if (done) {
    out += "  done";
    return out;
  }
  double frac = -1;
  if (total_bytes > 0 && bytes > 0)
    frac = static_cast<double>(bytes) / static_cast<double>(total_bytes);
  else if (total_docs > 0 && docs > 0)
    frac = static_cast<double>(docs) / static_cast<double>(total_docs);
  if (frac > 0 && elapsed > 0) {
    if (frac > 1) frac = 1;
    std::snprintf(buf, sizeof(buf), "  %.0f%%", frac * 100);
    out += buf;
    out += "  ETA " + FormatDuration(elapsed * (1 - frac) / frac);
  }
  return out;
}

void ProgressReporter::BeginPhase(std::string_view name, int64_t total_docs,
                                  int64_t total_bytes) {
  if (open_) EndPhase();
  std::lock_guard<std::mutex> lock(print_mu_);
  phase_ = std::string(name);
  total_docs_ = total_docs;
  total_bytes_ = total_bytes;
  docs_ = 0;
  bytes_ = 0;
  phase_start_ = Now();
  open_ = true;
  double interval =
      mode_ == Mode::kTerminal ? options_.redraw_seconds : options_.plain_interval_seconds;
  next_print_ = phase_start_ + interval;
  if (mode_ == Mode::kTerminal) Print(false);
}

void ProgressReporter::Add(int64_t docs, int64_t bytes) {
  docs_.fetch_add(docs, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  if (mode_ == Mode::kQuiet || !open_) return;
  double now = Now();
  if (now < next_print_.load(std::memory_order_relaxed)) return;
  std::unique_lock<std::mutex> lock(print_mu_, std::try_to_lock);
  if (!lock.owns_lock() || now < next_print_.load()) return;
  double interval =
      mode_ == Mode::kTerminal ? options_.redraw_seconds : options_.plain_interval_seconds;
  next_print_ = now + interval;
  Print(false);
}

void ProgressReporter::EndPhase() {
  std::lock_guard<std::mutex> lock(print_mu_);
  if (!open_) return;
  Print(true);
  open_ = false;
}

void ProgressReporter::Log(std::string_view line) {
  if (mode_ == Mode::kQuiet) return;
  std::lock_guard<std::mutex> lock(print_mu_);
  if (live_line_) {
    std::fprintf(stream_, "\r%*s\r", static_cast<int>(last_width_), "");
    live_line_ = false;
  }
  std::fprintf(stream_, "%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(stream_);
}

// REQUIRES: print_mu_ held.
void ProgressReporter::Print(bool final_line) {
  if (mode_ == Mode::kQuiet) return;
  std::string text = FormatStatus(phase_, docs_.load(), bytes_.load(), Now() - phase_start_,
                                  total_docs_, total_bytes_, final_line);
  if (mode_ == Mode::kTerminal) {
    // Pad over the previous, possibly longer, line.
    size_t width = text.size();
    if (last_width_ > text.size()) text.append(last_width_ - text.size(), ' ');
    last_width_ = width;
    std::fprintf(stream_, "\r%s%s", text.c_str(), final_line ? "\n" : "");
    live_line_ = !final_line;
    if (final_line) last_width_ = 0;
  } else {
    std::fprintf(stream_, "winnow: %s\n", text.c_str());
  }
  std::fflush(stream_);
}

}  // namespace winnow
