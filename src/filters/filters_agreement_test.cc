#include <cstdlib>
#include <string>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "filters/agreement.h"

namespace winnow::filters_agreement {
namespace {

std::string SharedDir() {
  const char* dir = std::getenv("WINNOW_SHARED_DIR");
  return dir == nullptr ? std::string() : std::string(dir);
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

class FiltersAgreementTest : public testing::TestWithParam<bool> {};

TEST_P(FiltersAgreementTest, MatchesDatatroveOnReutersForEachFilterAndCascade) {
  const bool write_signals = GetParam();
  const std::string shared = SharedDir();
  const std::string news = shared + "/data/news/reuters21578.jsonl.gz";
  const std::string oracle =
      shared + "/data/oracle/reuters21578.datatrove.jsonl.gz";
  if (shared.empty() || !Exists(news) || !Exists(oracle))
    GTEST_SKIP() << "shared data not available";

  auto report = Compare(news, oracle, 10, write_signals);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->documents, 21578);
  ASSERT_EQ(report->rows.size(), 5u);
  for (const Row& row : report->rows) {
    EXPECT_EQ(row.total, report->documents) << row.name;
    EXPECT_GE(row.agreement(), 0.995) << FormatReport(report.value());
  }
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutSignals, FiltersAgreementTest,
                         testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "WriteSignals" : "Default";
                         });

}  // namespace
}  // namespace winnow::filters_agreement
