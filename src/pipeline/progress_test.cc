#include "pipeline/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace winnow {
namespace {

// A reporter writing to a temporary file, with a clock the test moves.
class ProgressTest : public ::testing::Test {
 protected:
  void SetUp() override { file_ = std::tmpfile(); }
  void TearDown() override { std::fclose(file_); }

  ProgressReporter::Options Opts(ProgressReporter::Mode mode) {
    ProgressReporter::Options o;
    o.mode = mode;
    o.stream = file_;
    o.clock = [this] { return now_; };
    o.plain_interval_seconds = 10;
    o.redraw_seconds = 0.2;
    return o;
  }
  std::string Output() {
    std::fflush(file_);
    std::rewind(file_);
    std::string s;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), file_)) > 0) s.append(buf, n);
    return s;
  }
  static int Count(const std::string& s, char c) {
    int n = 0;
    for (char x : s) n += x == c;
    return n;
  }

  std::FILE* file_ = nullptr;
  double now_ = 100;
};

TEST_F(ProgressTest, FormatsStatusWithRateAndEta) {
  std::string s = ProgressReporter::FormatStatus("segment 0", 12345, 50'000'000, 10, 0,
                                                 100'000'000, false);
  EXPECT_EQ(s, "segment 0  12,345 docs  5.0 MB/s  0:10 elapsed  50%  ETA 0:10");
}

TEST_F(ProgressTest, EtaFromDocumentsWhenBytesUnknown) {
  std::string s = ProgressReporter::FormatStatus("reduce", 25, 0, 30, 100, 0, false);
  EXPECT_NE(s.find("25 docs of 100"), std::string::npos) << s;
  EXPECT_NE(s.find("ETA 1:30"), std::string::npos) << s;
}

TEST_F(ProgressTest, NoEtaWithoutTotals) {
  std::string s = ProgressReporter::FormatStatus("p", 5, 10, 1, 0, 0, false);
  EXPECT_EQ(s.find("ETA"), std::string::npos) << s;
}

TEST_F(ProgressTest, FormatsDurations) {
  EXPECT_EQ(ProgressReporter::FormatDuration(0), "0:00");
  EXPECT_EQ(ProgressReporter::FormatDuration(75), "1:15");
  EXPECT_EQ(ProgressReporter::FormatDuration(3725), "1:02:05");
}

TEST_F(ProgressTest, PlainModePrintsOneLinePerInterval) {
  ProgressReporter p(Opts(ProgressReporter::Mode::kPlain));
  p.BeginPhase("segment 0", 0, 1000);
  for (int i = 0; i < 100; ++i) {
    now_ += 1;  // 100 s of work, a line every 10 s
    p.Add(1, 10);
  }
  p.EndPhase();
  std::string out = Output();
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(Count(out, '\n'), 11) << out;  // 10 periodic + the final line
  EXPECT_NE(out.find("winnow: segment 0  100 docs"), std::string::npos) << out;
  EXPECT_NE(out.find("done"), std::string::npos);
}

TEST_F(ProgressTest, TerminalModeRedrawsOneLineInPlace) {
  ProgressReporter p(Opts(ProgressReporter::Mode::kTerminal));
  p.BeginPhase("segment 0", 50, 0);
  for (int i = 0; i < 50; ++i) {
    now_ += 0.1;
    p.Add(1, 1000);
  }
  p.EndPhase();
  p.BeginPhase("reduce 0");
  p.EndPhase();
  std::string out = Output();
  EXPECT_GT(Count(out, '\r'), 10);
  EXPECT_EQ(Count(out, '\n'), 2) << "one finished line per phase";
  EXPECT_NE(out.find("ETA"), std::string::npos);
}

TEST_F(ProgressTest, LogClearsTheLiveLine) {
  ProgressReporter p(Opts(ProgressReporter::Mode::kTerminal));
  p.BeginPhase("segment 0");
  p.Log("winnow: a warning");
  p.EndPhase();
  std::string out = Output();
  size_t warn = out.find("winnow: a warning\n");
  ASSERT_NE(warn, std::string::npos);
  EXPECT_EQ(out[warn - 1], '\r') << "the live line is erased first";
}

TEST_F(ProgressTest, QuietPrintsNothing) {
  ProgressReporter p(Opts(ProgressReporter::Mode::kQuiet));
  p.BeginPhase("segment 0", 10, 10);
  now_ += 100;
  p.Add(10, 10);
  p.Log("hello");
  p.EndPhase();
  EXPECT_EQ(Output(), "");
}

TEST_F(ProgressTest, AutoIsPlainForAFile) {
  ProgressReporter p(Opts(ProgressReporter::Mode::kAuto));
  EXPECT_EQ(p.mode(), ProgressReporter::Mode::kPlain);
}

}  // namespace
}  // namespace winnow
