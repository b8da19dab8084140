#include "dedup/run_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "io/testing.h"

namespace winnow::dedup {
namespace {

std::vector<RunRecord> RandomRecords(size_t n, uint64_t seed,
                                     uint64_t distinct_keys = 0) {
  std::mt19937_64 rng(seed);
  std::vector<RunRecord> v(n);
  for (auto& r : v) {
    const uint64_t k = distinct_keys ? rng() % distinct_keys : rng();
    r.key_hi = k * 0x9E3779B97F4A7C15ull;
    r.key_lo = k;
    r.value = rng() % 1000;
  }
  return v;
}

std::vector<RunRecord> ReadAll(const std::string& path, Status* status) {
  std::vector<RunRecord> out;
  auto reader = RunReader::Open(path, 1 << 16);
  if (!reader.ok()) {
    *status = reader.status();
    return out;
  }
  RunRecord r;
  while ((*reader)->Next(&r)) out.push_back(r);
  *status = (*reader)->status();
  return out;
}

TEST(SortRunRecords, MatchesStdSort) {
  for (size_t n : {size_t{0}, size_t{10}, size_t{100000}}) {
    auto v = RandomRecords(n, n + 1, 500);
    auto want = v;
    std::sort(want.begin(), want.end());
    SortRunRecords(&v);
    EXPECT_EQ(v, want);
  }
}

TEST(RunFile, RoundTripsRecords) {
  testing::TempDir dir;
  for (size_t n : {size_t{0}, size_t{1}, kRunRecordsPerBlock,
                   kRunRecordsPerBlock + 1, size_t{50000}}) {
    auto v = RandomRecords(n, 7);
    SortRunRecords(&v);
    const std::string path = dir.File("r" + std::to_string(n) + ".run");
    ASSERT_TRUE(WriteRunFile(path, v.data(), v.size(), 3, 8).ok());
    Status s;
    EXPECT_EQ(ReadAll(path, &s), v);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto reader = RunReader::Open(path, 1);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->record_count(), n);
    EXPECT_EQ((*reader)->partition(), 3u);
    EXPECT_EQ((*reader)->num_partitions(), 8u);
    std::string bytes;
    ASSERT_TRUE(ReadFileToString(path, &bytes).ok());
    EXPECT_EQ(bytes.size(), RunFileSize(n));
  }
}

TEST(RunFile, DetectsEveryFlippedByte) {
  testing::TempDir dir;
  auto v = RandomRecords(kRunRecordsPerBlock + 40, 9);
  SortRunRecords(&v);
  const std::string path = dir.File("good.run");
  ASSERT_TRUE(WriteRunFile(path, v.data(), v.size(), 0, 1).ok());
  std::string good;
  ASSERT_TRUE(ReadFileToString(path, &good).ok());
  std::mt19937 rng(1);
  std::vector<size_t> positions = {
      0,
      7,
      16,
      40,
      47,
      48,
      60,
      good.size() - 1,
      kRunHeaderSize + kRunRecordsPerBlock * 24,
      kRunHeaderSize + kRunRecordsPerBlock * 24 + 8};
  for (int i = 0; i < 200; ++i) positions.push_back(rng() % good.size());
  for (size_t pos : positions) {
    std::string bad = good;
    bad[pos] = static_cast<char>(bad[pos] ^ (1 << (pos % 8)));
    const std::string bad_path = dir.File("bad.run");
    ASSERT_TRUE(WriteFileAtomically(bad_path, bad).ok());
    Status s;
    ReadAll(bad_path, &s);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "byte " << pos;
  }
}

TEST(RunFile, DetectsTruncationAndTrailingBytes) {
  testing::TempDir dir;
  auto v = RandomRecords(5000, 11);
  SortRunRecords(&v);
  const std::string path = dir.File("good.run");
  ASSERT_TRUE(WriteRunFile(path, v.data(), v.size(), 0, 1).ok());
  std::string good;
  ASSERT_TRUE(ReadFileToString(path, &good).ok());
  for (size_t len : {size_t{0}, size_t{10}, kRunHeaderSize, good.size() / 2,
                     good.size() - 8, good.size() - 1}) {
    ASSERT_TRUE(WriteFileAtomically(path, good.substr(0, len)).ok());
    Status s;
    ReadAll(path, &s);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "length " << len;
  }
  ASSERT_TRUE(WriteFileAtomically(path, good + "x").ok());
  Status s;
  ReadAll(path, &s);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
}

TEST(RunFile, NeverReturnsRecordsOfACorruptBlock) {
  testing::TempDir dir;
  auto v = RandomRecords(3 * kRunRecordsPerBlock, 12);
  SortRunRecords(&v);
  const std::string path = dir.File("x.run");
  ASSERT_TRUE(WriteRunFile(path, v.data(), v.size(), 0, 1).ok());
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(path, &bytes).ok());
  // Corrupt a record in the second block.
  bytes[kRunHeaderSize + (kRunRecordsPerBlock * 24 + 8) + 100] ^= 1;
  ASSERT_TRUE(WriteFileAtomically(path, bytes).ok());
  auto reader = RunReader::Open(path, 1);  // one block per read
  ASSERT_TRUE(reader.ok());
  RunRecord r;
  size_t n = 0;
  while ((*reader)->Next(&r)) {
    EXPECT_EQ(r, v[n]);
    ++n;
  }
  EXPECT_EQ(n, kRunRecordsPerBlock);
  EXPECT_EQ((*reader)->status().code(), Status::Code::kCorruption);
}

TEST(RunFile, RejectsUnsortedInput) {
  testing::TempDir dir;
  std::vector<RunRecord> v = {{2, 0, 0}, {1, 0, 0}};
  const std::string path = dir.File("u.run");
  ASSERT_TRUE(WriteRunFile(path, v.data(), v.size(), 0, 1).ok());
  Status s;
  ReadAll(path, &s);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
}

TEST(RunFile, MissingFileIsNotFound) {
  auto r = RunReader::Open("/nonexistent/dir/x.run", 1 << 16);
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(PartitionOf, IsMonotoneAndCoversAllPartitions) {
  EXPECT_EQ(PartitionOf(0, 7), 0u);
  EXPECT_EQ(PartitionOf(~uint64_t{0}, 7), 6u);
  EXPECT_EQ(PartitionOf(~uint64_t{0}, 1), 0u);
  uint32_t last = 0;
  for (uint64_t k = 0; k < 1000; ++k) {
    const uint32_t p = PartitionOf(k * (~uint64_t{0} / 1000), 13);
    EXPECT_GE(p, last);
    last = p;
  }
  EXPECT_EQ(last, 12u);
}

// Writes `records` through RunWriters (one per task, as map tasks would)
// and returns the merged contents of each partition.
std::vector<std::vector<RunRecord>> MapAndReduce(
    const testing::TempDir& dir, const std::string& tag,
    const std::vector<std::vector<RunRecord>>& per_task, uint32_t partitions,
    size_t budget, size_t* spills) {
  std::vector<std::vector<std::string>> files(partitions);
  *spills = 0;
  for (size_t t = 0; t < per_task.size(); ++t) {
    RunWriterOptions o;
    o.prefix = dir.File(tag + "-task" + std::to_string(t));
    o.num_partitions = partitions;
    o.memory_budget_bytes = budget;
    o.merge_buffer_bytes = 4096;
    auto w = RunWriter::Create(o);
    EXPECT_TRUE(w.ok());
    for (const RunRecord& r : per_task[t]) (*w)->Add(r);
    *spills += (*w)->num_spills();
    EXPECT_TRUE((*w)->Finish().ok());
    for (uint32_t p = 0; p < partitions; ++p) {
      files[p].push_back((*w)->PartitionPath(p));
    }
  }
  std::vector<std::vector<RunRecord>> out(partitions);
  for (uint32_t p = 0; p < partitions; ++p) {
    RunMergerOptions mo;
    mo.buffer_bytes = 1;
    auto m = RunMerger::Open(files[p], mo);
    EXPECT_TRUE(m.ok());
    RunRecord r;
    while ((*m)->Next(&r)) {
      EXPECT_EQ(PartitionOf(r.key_hi, partitions), p);
      out[p].push_back(r);
    }
    EXPECT_TRUE((*m)->status().ok()) << (*m)->status().ToString();
    EXPECT_EQ((*m)->total_records(), out[p].size());
  }
  return out;
}

TEST(RunWriterAndMerger, OutputIsIndependentOfHowRecordsWereSplit) {
  testing::TempDir dir;
  auto all = RandomRecords(40000, 21, 3000);  // many equal keys
  auto sorted = all;
  std::sort(sorted.begin(), sorted.end());

  // Layout A: one task, everything in memory.
  size_t spills_a;
  auto a = MapAndReduce(dir, "a", {all}, 5, size_t{64} << 20, &spills_a);
  EXPECT_EQ(spills_a, 0u);
  // Layout B: 7 tasks in a shuffled order, tiny budgets forcing spills.
  std::vector<RunRecord> shuffled = all;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(4));
  std::vector<std::vector<RunRecord>> tasks(7);
  for (size_t i = 0; i < shuffled.size(); ++i) {
    tasks[(i * 31) % 7].push_back(shuffled[i]);
  }
  size_t spills_b;
  auto b = MapAndReduce(dir, "b", tasks, 5, 24 * 1000, &spills_b);
  EXPECT_GT(spills_b, 7u);
  EXPECT_EQ(a, b);

  std::vector<RunRecord> concat;
  for (const auto& part : a)
    concat.insert(concat.end(), part.begin(), part.end());
  EXPECT_EQ(concat, sorted);
}

TEST(RunWriter, UniqueWritesEqualRecordsOnceWithOrWithoutSpills) {
  testing::TempDir dir;
  auto all = RandomRecords(30000, 5, 500);  // values < 1000: many exact repeats
  std::vector<RunRecord> want = all;
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  ASSERT_LT(want.size(), all.size());
  for (size_t budget : {size_t{64} << 20, size_t{24} * 700}) {
    RunWriterOptions o;
    o.prefix = dir.File("u" + std::to_string(budget));
    o.num_partitions = 3;
    o.memory_budget_bytes = budget;
    o.unique = true;
    auto w = RunWriter::Create(o);
    ASSERT_TRUE(w.ok());
    for (const auto& r : all) (*w)->Add(r);
    ASSERT_TRUE((*w)->Finish().ok());
    std::vector<RunRecord> got;
    for (uint32_t p = 0; p < 3; ++p) {
      Status s;
      auto part = ReadAll((*w)->PartitionPath(p), &s);
      ASSERT_TRUE(s.ok()) << s.ToString();
      got.insert(got.end(), part.begin(), part.end());
    }
    EXPECT_EQ(got, want) << budget;
  }
}

TEST(RunWriter, WritesEveryPartitionEvenWhenEmpty) {
  testing::TempDir dir;
  RunWriterOptions o;
  o.prefix = dir.File("m");
  o.num_partitions = 4;
  auto w = RunWriter::Create(o);
  ASSERT_TRUE(w.ok());
  (*w)->Add({0, 0, 1});  // partition 0 only
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_EQ(dir.List(),
            (std::vector<std::string>{"m.p00000.run", "m.p00001.run",
                                      "m.p00002.run", "m.p00003.run"}));
  Status s;
  EXPECT_EQ(ReadAll((*w)->PartitionPath(3), &s).size(), 0u);
  EXPECT_TRUE(s.ok());
}

TEST(RunWriter, AbandonLeavesNoFiles) {
  testing::TempDir dir;
  {
    RunWriterOptions o;
    o.prefix = dir.File("m");
    o.num_partitions = 2;
    o.memory_budget_bytes = 24 * 10;
    auto w = RunWriter::Create(o);
    ASSERT_TRUE(w.ok());
    for (uint64_t i = 0; i < 100; ++i) (*w)->Add({i * 977, 0, i});
    EXPECT_GT((*w)->num_spills(), 0u);
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(RunMerger, ReportsCorruptInputAfterGoodRecords) {
  testing::TempDir dir;
  auto v = RandomRecords(10000, 3);
  SortRunRecords(&v);
  const std::string good = dir.File("g.run"), bad = dir.File("b.run");
  ASSERT_TRUE(WriteRunFile(good, v.data(), v.size(), 0, 1).ok());
  ASSERT_TRUE(WriteRunFile(bad, v.data(), v.size(), 0, 1).ok());
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(bad, &bytes).ok());
  bytes[bytes.size() - 20] ^= 0x40;
  ASSERT_TRUE(WriteFileAtomically(bad, bytes).ok());
  RunMergerOptions mo;
  mo.buffer_bytes = 1;
  auto m = RunMerger::Open({good, bad}, mo);
  ASSERT_TRUE(m.ok());
  RunRecord r;
  size_t n = 0;
  while ((*m)->Next(&r)) ++n;
  EXPECT_LT(n, 2 * v.size());
  EXPECT_EQ((*m)->status().code(), Status::Code::kCorruption);
}

TEST(MergeBufferPerRun, SharesTheBudgetBetweenTheRunsWithinItsFloorAndCap) {
  const size_t block = kRunRecordsPerBlock * kRunRecordSize;
  // Few runs: the cap (1 MiB by default, or the caller's).
  EXPECT_EQ(MergeBufferPerRun(size_t{64} << 20, 16), size_t{1} << 20);
  EXPECT_EQ(MergeBufferPerRun(size_t{64} << 20, 16, 4096), block);
  // More runs: buffer plus record copy per run fill the budget.
  EXPECT_EQ(MergeBufferPerRun(size_t{8} << 20, 16), size_t{256} << 10);
  EXPECT_LE(16 * 2 * MergeBufferPerRun(size_t{8} << 20, 16), size_t{8} << 20);
  // Very many runs: one block each, the least a reader can verify.
  EXPECT_EQ(MergeBufferPerRun(size_t{8} << 20, 1000), block);
  EXPECT_EQ(MergeBufferPerRun(0, 0), block);
}

}  // namespace
}  // namespace winnow::dedup
