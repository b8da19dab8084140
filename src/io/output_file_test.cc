#include "io/output_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <string>

#include "io/input_stream.h"
#include "io/testing.h"

namespace winnow {
namespace {

using testing::ReadAll;
using testing::TempDir;

std::string Lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"line " +
         std::to_string(i * 7919 % 1000) + "\"}\n";
  }
  return s;
}

std::string Decode(const std::string& path) {
  auto in = OpenInputStream(path, {});
  if (!in.ok()) return "<open failed>";
  std::string out;
  if (!ReadAll(in->get(), &out).ok()) return "<read failed>";
  return out;
}

TEST(AtomicFileWriter, NoFinalFileBeforeFinishAndNoTempAfter) {
  TempDir dir;
  std::string path = dir.File("out.jsonl.zst");
  auto w = AtomicFileWriter::Create(path, Compression::kZstd, 3);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  (*w)->Append(Lines(50000));
  EXPECT_EQ(dir.List().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.jsonl.zst"});
  EXPECT_EQ(Decode(path), Lines(50000));
  EXPECT_EQ((*w)->uncompressed_bytes(), Lines(50000).size());
}

TEST(SyncList, DeferredFinishRenamesNowAndSyncsLater) {
  TempDir dir;
  SyncList sync;
  {
    ScopedDeferSync defer(&sync);
    auto w = AtomicFileWriter::Create(dir.File("a.jsonl.zst"),
                                      Compression::kZstd, 3);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->Append(Lines(1000));
    ASSERT_TRUE((*w)->Finish().ok());
    ASSERT_TRUE(WriteFileAtomically(dir.File("b.done"), "x\n").ok());
    // Complete under their final names for every reader already.
    EXPECT_EQ(dir.List(), (std::vector<std::string>{"a.jsonl.zst", "b.done"}));
    EXPECT_EQ(Decode(dir.File("a.jsonl.zst")), Lines(1000));
  }
  EXPECT_EQ(sync.files(), 2u);
  // Outside the scope Finish() syncs itself again.
  ASSERT_TRUE(WriteFileAtomically(dir.File("c.done"), "y\n").ok());
  EXPECT_EQ(sync.files(), 2u);
  ASSERT_TRUE(sync.SyncAll().ok());
  EXPECT_EQ(sync.files(), 0u);
  EXPECT_TRUE(sync.SyncAll().ok());  // empty: nothing to do
}

TEST(SyncList, SkipsFilesDeletedBeforeTheSyncAndNests) {
  TempDir dir;
  SyncList outer;
  SyncList inner;
  {
    ScopedDeferSync a(&outer);
    ASSERT_TRUE(WriteFileAtomically(dir.File("spill"), "s").ok());
    {
      ScopedDeferSync b(&inner);
      ASSERT_TRUE(WriteFileAtomically(dir.File("inner"), "i").ok());
    }
    ASSERT_TRUE(WriteFileAtomically(dir.File("outer"), "o").ok());
  }
  EXPECT_EQ(outer.files(), 2u);
  EXPECT_EQ(inner.files(), 1u);
  // A merged spill is deleted before the task commits: nothing to sync.
  ASSERT_TRUE(std::filesystem::remove(dir.File("spill")));
  EXPECT_TRUE(outer.SyncAll().ok());
  EXPECT_TRUE(inner.SyncAll().ok());
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"inner", "outer"}));
}

TEST(AtomicFileWriter, AbandonAndDestructorRemoveTheTempFile) {
  TempDir dir;
  {
    auto w = AtomicFileWriter::Create(dir.File("a.gz"), Compression::kGzip, 6);
    ASSERT_TRUE(w.ok());
    (*w)->Append(Lines(100000));
    (*w)->Abandon();
    EXPECT_TRUE(dir.List().empty());
  }
  {
    auto w = AtomicFileWriter::Create(dir.File("b"), Compression::kNone, 0);
    ASSERT_TRUE(w.ok());
    (*w)->Append("partial");
    EXPECT_EQ(dir.List().size(), 1u);
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(AtomicFileWriter, ReplacesAnExistingFileOnlyAtFinish) {
  TempDir dir;
  std::string path = dir.File("f.txt");
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  auto w = AtomicFileWriter::Create(path, Compression::kNone, 0);
  ASSERT_TRUE(w.ok());
  (*w)->Append("new");
  std::string got;
  ASSERT_TRUE(ReadFileToString(path, &got).ok());
  EXPECT_EQ(got, "old");
  ASSERT_TRUE((*w)->Finish().ok());
  ASSERT_TRUE(ReadFileToString(path, &got).ok());
  EXPECT_EQ(got, "new");
}

TEST(AtomicFileWriter, OutputIsByteDeterministicWhateverTheAppendSizes) {
  TempDir dir;
  std::string data = Lines(200000);  // several blocks
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    std::string one = dir.File("one"), two = dir.File("two");
    auto w1 = AtomicFileWriter::Create(one, c, 3);
    ASSERT_TRUE(w1.ok());
    (*w1)->Append(data);
    ASSERT_TRUE((*w1)->Finish().ok());
    auto w2 = AtomicFileWriter::Create(two, c, 3);
    ASSERT_TRUE(w2.ok());
    for (size_t i = 0; i < data.size(); i += 777) {
      (*w2)->Append(std::string_view(data).substr(i, 777));
    }
    ASSERT_TRUE((*w2)->Finish().ok());
    std::string a, b;
    ASSERT_TRUE(ReadFileToString(one, &a).ok());
    ASSERT_TRUE(ReadFileToString(two, &b).ok());
    EXPECT_EQ(a, b) << CompressionName(c);
    EXPECT_LT(a.size(), data.size() / 3);
    EXPECT_EQ(Decode(one), data);
  }
}

TEST(AtomicFileWriter, GzipHeaderHasNoTimestampOrName) {
  TempDir dir;
  std::string path = dir.File("h.gz");
  auto w = AtomicFileWriter::Create(path, Compression::kGzip, 9);
  ASSERT_TRUE(w.ok());
  (*w)->Append("abc");
  ASSERT_TRUE((*w)->Finish().ok());
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(path, &bytes).ok());
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes[3], 0) << "flags: no name, comment or extra";
  EXPECT_EQ(bytes.substr(4, 4), std::string(4, '\0')) << "mtime";
  EXPECT_EQ(bytes[9], 3) << "OS byte";
}

TEST(AtomicFileWriter, RejectsBadLevelAndMissingDirectory) {
  TempDir dir;
  EXPECT_EQ(AtomicFileWriter::Create(dir.File("x"), Compression::kGzip, 12)
                .status()
                .code(),
            Status::Code::kInvalidArgument);
  auto missing =
      AtomicFileWriter::Create(dir.File("no/such/x"), Compression::kNone, 0);
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("no/such/x"), std::string::npos);
}

// A file-size limit makes write() fail with EFBIG, standing in for a full
// disk: the error must surface as a status naming the file.
TEST(AtomicFileWriter, WriteErrorBecomesStatusAndLeavesNoFiles) {
  TempDir dir;
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  sighandler_t old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 256 << 10;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);

  std::string path = dir.File("big.jsonl");
  auto w = AtomicFileWriter::Create(path, Compression::kNone, 0);
  ASSERT_TRUE(w.ok());
  std::string data = Lines(100000);
  (*w)->Append(data);
  (*w)->Append(data);
  Status finish = (*w)->Finish();

  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);

  EXPECT_EQ(finish.code(), Status::Code::kIOError);
  EXPECT_NE(finish.message().find(path), std::string::npos) << finish.message();
  EXPECT_NE(finish.message().find("too large"), std::string::npos)
      << finish.message();
  EXPECT_FALSE((*w)->status().ok());
  EXPECT_TRUE(dir.List().empty());
}

TEST(FileUtil, CreateDirectoriesAndReadFile) {
  TempDir dir;
  std::string nested = dir.File("a/b/c");
  ASSERT_TRUE(CreateDirectories(nested).ok());
  ASSERT_TRUE(CreateDirectories(nested).ok());
  ASSERT_TRUE(WriteFileAtomically(nested + "/f", std::string("x\0y", 3)).ok());
  std::string got;
  ASSERT_TRUE(ReadFileToString(nested + "/f", &got).ok());
  EXPECT_EQ(got, std::string("x\0y", 3));
  EXPECT_EQ(ReadFileToString(nested + "/g", &got).code(),
            Status::Code::kNotFound);
  EXPECT_FALSE(CreateDirectories(nested + "/f").ok());
}

}  // namespace
}  // namespace winnow
