#include "io/input_stream.h"

#include <gtest/gtest.h>

#include <string>

#include "io/output_file.h"
#include "io/testing.h"

namespace winnow {
namespace {

using testing::Compress;
using testing::ReadAll;
using testing::TempDir;

// Deterministic text that compresses moderately (not all zeros).
std::string SampleText(size_t n) {
  std::string s;
  s.reserve(n);
  uint64_t x = 88172645463325252ull;
  static const char* kWords[] = {"river ", "stone ", "lamp ", "orbit ",
                                 "quiet ", "maple ", "\n", "ledger "};
  while (s.size() < n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s.append(kWords[x % 8]);
    s.append(std::to_string(x % 1000));
  }
  s.resize(n);
  return s;
}

std::string WriteRaw(const TempDir& dir, const std::string& name,
                     const std::string& bytes) {
  std::string path = dir.File(name);
  EXPECT_TRUE(WriteFileAtomically(path, bytes).ok());
  return path;
}

Status ReadPath(const std::string& path, std::string* out,
                InputLimits limits = {}) {
  auto in = OpenInputStream(path, limits);
  if (!in.ok()) return in.status();
  return ReadAll(in->get(), out);
}

TEST(DetectCompression, UsesMagicBytesOnly) {
  EXPECT_EQ(DetectCompression("\x1f\x8b\x08"), Compression::kGzip);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f\xfd"), Compression::kZstd);
  EXPECT_EQ(DetectCompression("\x5a\x2a\x4d\x18"), Compression::kZstd);
  EXPECT_EQ(DetectCompression("{\"id\":1}"), Compression::kNone);
  EXPECT_EQ(DetectCompression("\x28\xb5"), Compression::kNone);
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

TEST(InputStream, ReadsPlainFile) {
  TempDir dir;
  std::string text = SampleText(3 << 20);
  std::string path = WriteRaw(dir, "a.jsonl", text);
  auto in = OpenInputStream(path, {});
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ((*in)->compression(), Compression::kNone);
  std::string got;
  ASSERT_TRUE(ReadAll(in->get(), &got).ok());
  EXPECT_EQ(got, text);
  EXPECT_EQ((*in)->bytes_read(), text.size());
}

TEST(InputStream, EmptyFileIsEmptyStream) {
  TempDir dir;
  std::string got = "x";
  ASSERT_TRUE(ReadPath(WriteRaw(dir, "e", ""), &got).ok());
  EXPECT_EQ(got, "");
}

TEST(InputStream, DecodesGzipAndZstdWhateverTheName) {
  TempDir dir;
  std::string text = SampleText(5 << 20);
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    std::string path = WriteRaw(dir, "data.txt", Compress(dir, text, c));
    auto in = OpenInputStream(path, {});
    ASSERT_TRUE(in.ok());
    EXPECT_EQ((*in)->compression(), c);
    std::string got;
    ASSERT_TRUE(ReadAll(in->get(), &got).ok()) << CompressionName(c);
    EXPECT_EQ(got, text) << CompressionName(c);
  }
}

TEST(InputStream, PlainFileNamedGzIsReadAsPlain) {
  TempDir dir;
  std::string path = WriteRaw(dir, "fake.jsonl.gz", "{\"text\":\"hi\"}\n");
  std::string got;
  ASSERT_TRUE(ReadPath(path, &got).ok());
  EXPECT_EQ(got, "{\"text\":\"hi\"}\n");
}

TEST(InputStream, ReadsEveryGzipMemberAndSkipsZeroPadding) {
  TempDir dir;
  std::string a = SampleText(100000), b = SampleText(70000) + "tail";
  std::string bytes = Compress(dir, a, Compression::kGzip) +
                      Compress(dir, b, Compression::kGzip) +
                      std::string(16, '\0');
  std::string got;
  ASSERT_TRUE(ReadPath(WriteRaw(dir, "m.gz", bytes), &got).ok());
  EXPECT_EQ(got, a + b);
}

TEST(InputStream, GarbageAfterGzipMemberIsCorruption) {
  TempDir dir;
  std::string bytes = Compress(dir, "hello\n", Compression::kGzip) + "junk";
  std::string got;
  Status s = ReadPath(WriteRaw(dir, "g.gz", bytes), &got);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_FALSE(IsTruncation(s));
  EXPECT_EQ(got, "hello\n");
}

TEST(InputStream, ReadsConcatenatedZstdFrames) {
  TempDir dir;
  std::string a = SampleText(200000), b = SampleText(1234);
  std::string bytes = Compress(dir, a, Compression::kZstd) +
                      Compress(dir, b, Compression::kZstd, 19);
  std::string got;
  ASSERT_TRUE(ReadPath(WriteRaw(dir, "m.zst", bytes), &got).ok());
  EXPECT_EQ(got, a + b);
}

TEST(InputStream, TinyReadsGiveTheSameBytes) {
  TempDir dir;
  std::string text = SampleText(50000);
  for (Compression c :
       {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    std::string data = Compress(dir, text, c);
    auto in = NewMemoryInputStream(data, {});
    std::string got;
    ASSERT_TRUE(ReadAll(in.get(), &got, 7).ok());
    EXPECT_EQ(got, text) << CompressionName(c);
  }
}

void ExpectTruncatedPrefix(Compression c) {
  TempDir dir;
  std::string text = SampleText(4 << 20);
  std::string bytes = Compress(dir, text, c);
  bytes.resize(bytes.size() / 2);
  auto in = OpenInputStream(WriteRaw(dir, "cut", bytes), {});
  ASSERT_TRUE(in.ok());
  std::string got;
  Status s = ReadAll(in->get(), &got);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_TRUE(IsTruncation(s)) << s.ToString();
  EXPECT_GT(got.size(), text.size() / 4);
  EXPECT_LT(got.size(), text.size());
  EXPECT_EQ(got, text.substr(0, got.size()));
  // Sticky.
  char buf[16];
  size_t n = 1;
  EXPECT_EQ((*in)->Read(buf, sizeof(buf), &n).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(n, 0u);
}

TEST(InputStream, TruncatedGzipDeliversGoodBytesThenTruncation) {
  ExpectTruncatedPrefix(Compression::kGzip);
}

TEST(InputStream, TruncatedZstdDeliversGoodBytesThenTruncation) {
  ExpectTruncatedPrefix(Compression::kZstd);
}

TEST(InputStream, GzipHeaderAloneIsTruncated) {
  std::string data = "\x1f\x8b";
  auto in = NewMemoryInputStream(data, {});
  std::string got;
  EXPECT_TRUE(IsTruncation(ReadAll(in.get(), &got)));
}

TEST(InputStream, CorruptZstdIsCorruption) {
  TempDir dir;
  std::string bytes = Compress(dir, SampleText(1 << 20), Compression::kZstd);
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) {
    bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  }
  auto in = NewMemoryInputStream(bytes, {});
  std::string got;
  Status s = ReadAll(in.get(), &got);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
}

TEST(InputStream, DecompressedLimitStopsABomb) {
  TempDir dir;
  std::string zeros(20 << 20, '0');
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    std::string bomb = Compress(dir, zeros, c);
    ASSERT_LT(bomb.size(), 1u << 20);
    InputLimits limits;
    limits.max_decompressed_bytes = 1 << 20;
    auto in = NewMemoryInputStream(bomb, limits);
    std::string got;
    Status s = ReadAll(in.get(), &got);
    EXPECT_EQ(s.code(), Status::Code::kResourceExhausted) << s.ToString();
    EXPECT_EQ(got.size(), 1u << 20);
  }
}

TEST(InputStream, LimitEqualToSizeIsNotAnError) {
  std::string text = SampleText(1000);
  InputLimits limits;
  limits.max_decompressed_bytes = 1000;
  auto in = NewMemoryInputStream(text, limits);
  std::string got;
  EXPECT_TRUE(ReadAll(in.get(), &got).ok());
  EXPECT_EQ(got, text);
}

TEST(InputStream, MissingFileIsNotFoundAndDirectoryIsIOError) {
  TempDir dir;
  auto missing = OpenInputStream(dir.File("nope.jsonl"), {});
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.jsonl"), std::string::npos);
  auto d = OpenInputStream(dir.path(), {});
  EXPECT_EQ(d.status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace winnow
