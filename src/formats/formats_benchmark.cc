// Reader and writer throughput on the Reuters corpus (shared/data/news),
// or on a generated corpus of similar shape when the shared data is absent,
// and WARC reading of shared/data/warc/wrapped-scrapinghub-aeb-news.warc.gz
// (skipped when absent).
//
//   formats_benchmark [--benchmark_filter=...]
//
// Bytes per second are decoded JSONL / WARC bytes (read) or uncompressed
// JSONL bytes (write); "docs" is documents per second, "records" WARC
// records per second.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "formats/jsonl_writer.h"
#include "formats/record_reader.h"
#include "io/input_stream.h"
#include "io/output_file.h"

namespace winnow {
namespace {

std::string SharedDir() {
  const char* env = std::getenv("WINNOW_SHARED_DIR");
  if (env != nullptr) return env;
  return WINNOW_DEFAULT_SHARED_DIR;
}

std::string ReutersPath() {
  return SharedDir() + "/data/news/reuters21578.jsonl.gz";
}

// A stand-in with Reuters' shape: ~1 KB of text and a few metadata fields.
std::string GeneratedCorpus() {
  std::string s;
  static const char* kWords[] = {"market", "shares", "said", "the", "bank",
                                 "rose",   "pct",    "in",   "of",  "trade"};
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 21578; ++i) {
    s += "{\"id\": \"gen-" + std::to_string(i) +
         "\", \"date\": \"26-FEB-1987 15:01:01.79\", \"title\": \"TITLE " +
         std::to_string(i) + "\", \"topics\": [\"a\", \"b\"], \"text\": \"";
    for (int w = 0; w < 150; ++w) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      s += kWords[x % 10];
      s += (w % 12 == 11) ? "\\n" : " ";
    }
    s += "\"}\n";
  }
  return s;
}

// The decoded corpus, loaded once.
const std::string& Corpus() {
  static const std::string* corpus = [] {
    auto* s = new std::string;
    auto in = OpenInputStream(ReutersPath(), {});
    if (in.ok()) {
      std::string buf(1 << 20, '\0');
      for (;;) {
        size_t got = 0;
        if (!(*in)->Read(buf.data(), buf.size(), &got).ok() || got == 0) break;
        s->append(buf.data(), got);
      }
    }
    if (s->empty()) *s = GeneratedCorpus();
    return s;
  }();
  return *corpus;
}

const std::vector<Document>& Documents() {
  static const std::vector<Document>* docs = [] {
    auto* v = new std::vector<Document>;
    auto reader = NewRecordReader(NewMemoryInputStream(Corpus(), {}),
                                  "corpus.jsonl", 0, {});
    Document d;
    Rejection r;
    for (;;) {
      auto n = reader->Read(&d, &r);
      if (n == RecordReader::Next::kEnd) break;
      if (n == RecordReader::Next::kDocument) v->push_back(d);
    }
    return v;
  }();
  return *docs;
}

size_t DrainReader(RecordReader* reader) {
  Document doc;
  Rejection rej;
  size_t docs = 0;
  for (;;) {
    auto n = reader->Read(&doc, &rej);
    if (n == RecordReader::Next::kEnd) break;
    if (n == RecordReader::Next::kDocument) ++docs;
    benchmark::DoNotOptimize(doc.text.data());
  }
  return docs;
}

void ReportRates(benchmark::State& state, uint64_t bytes, uint64_t docs) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["docs"] =
      benchmark::Counter(static_cast<double>(docs), benchmark::Counter::kIsRate);
}

// JSONL parsing alone: the decoded file is in memory.
void BM_ReadJsonlFromMemory(benchmark::State& state) {
  const std::string& data = Corpus();
  uint64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    auto reader = NewRecordReader(NewMemoryInputStream(data, {}),
                                  "corpus.jsonl", 0, {});
    docs += DrainReader(reader.get());
    bytes += data.size();
  }
  ReportRates(state, bytes, docs);
}
BENCHMARK(BM_ReadJsonlFromMemory)->Unit(benchmark::kMillisecond);

// Decoding zstd (level 3) and parsing; the compressed file is in memory.
void BM_ReadJsonlZstdFromMemory(benchmark::State& state) {
  static const std::string* compressed = [] {
    auto* out = new std::string;
    std::string path = "/tmp/winnow_formats_benchmark." +
                       std::to_string(getpid()) + ".in.zst";
    auto w = AtomicFileWriter::Create(path, Compression::kZstd, 3);
    if (w.ok()) {
      (*w)->Append(Corpus());
      if ((*w)->Finish().ok()) (void)ReadFileToString(path, out);
    }
    unlink(path.c_str());
    return out;
  }();
  uint64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    auto reader = NewRecordReader(NewMemoryInputStream(*compressed, {}),
                                  "corpus.jsonl.zst", 0, {});
    docs += DrainReader(reader.get());
    bytes += Corpus().size();
  }
  ReportRates(state, bytes, docs);
}
BENCHMARK(BM_ReadJsonlZstdFromMemory)->Unit(benchmark::kMillisecond);

// The real path: open the .gz, inflate, split, parse.
void BM_ReadJsonlGzFile(benchmark::State& state) {
  if (access(ReutersPath().c_str(), R_OK) != 0) {
    state.SkipWithError("Reuters file absent");
    return;
  }
  uint64_t docs = 0, bytes = 0;
  for (auto _ : state) {
    auto reader = OpenRecordReader(ReutersPath(), 0, {});
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      return;
    }
    docs += DrainReader(reader->get());
    bytes += Corpus().size();
  }
  ReportRates(state, bytes, docs);
}
BENCHMARK(BM_ReadJsonlGzFile)->Unit(benchmark::kMillisecond);

// Serialization alone.
void BM_SerializeJsonl(benchmark::State& state) {
  const auto& docs = Documents();
  std::string out;
  uint64_t bytes = 0, n = 0;
  for (auto _ : state) {
    for (const Document& d : docs) {
      out.clear();
      AppendDocumentJson(d, &out);
      bytes += out.size();
      benchmark::DoNotOptimize(out.data());
    }
    n += docs.size();
  }
  ReportRates(state, bytes, n);
}
BENCHMARK(BM_SerializeJsonl)->Unit(benchmark::kMillisecond);

// Serialize and write a zstd file (level given as the argument), including
// the final fsync and rename.
void BM_WriteJsonlZstd(benchmark::State& state) {
  const auto& docs = Documents();
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp != nullptr ? tmp : "/tmp") +
                     "/winnow_formats_benchmark." + std::to_string(getpid()) +
                     ".jsonl.zst";
  std::string out;
  uint64_t bytes = 0, n = 0, file_bytes = 0;
  for (auto _ : state) {
    auto w = AtomicFileWriter::Create(path, Compression::kZstd,
                                      static_cast<int>(state.range(0)));
    if (!w.ok()) {
      state.SkipWithError(w.status().ToString().c_str());
      return;
    }
    out.clear();
    for (const Document& d : docs) {
      AppendDocumentJson(d, &out);
      if (out.size() >= (1 << 20)) {
        (*w)->Append(out);
        out.clear();
      }
    }
    (*w)->Append(out);
    Status s = (*w)->Finish();
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    bytes += (*w)->uncompressed_bytes();
    file_bytes = (*w)->file_bytes();
    n += docs.size();
  }
  unlink(path.c_str());
  ReportRates(state, bytes, n);
  state.counters["ratio"] = static_cast<double>(bytes) /
                            static_cast<double>(n == 0 ? 1 : n) *
                            static_cast<double>(docs.size()) /
                            static_cast<double>(file_bytes == 0 ? 1 : file_bytes);
}
BENCHMARK(BM_WriteJsonlZstd)->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond);

std::string WarcPath() {
  return SharedDir() + "/data/warc/wrapped-scrapinghub-aeb-news.warc.gz";
}

// The WARC file's compressed and decoded bytes, loaded once.
const std::string& WarcCompressed() {
  static const std::string* s = [] {
    auto* out = new std::string;
    (void)ReadFileToString(WarcPath(), out);
    return out;
  }();
  return *s;
}

const std::string& WarcDecoded() {
  static const std::string* s = [] {
    auto* out = new std::string;
    auto in = NewMemoryInputStream(WarcCompressed(), {});
    std::string buf(1 << 20, '\0');
    for (;;) {
      size_t got = 0;
      if (!in->Read(buf.data(), buf.size(), &got).ok() || got == 0) break;
      out->append(buf.data(), got);
    }
    return out;
  }();
  return *s;
}

void DrainWarc(benchmark::State& state, std::string_view data) {
  uint64_t docs = 0, records = 0, bytes = 0;
  for (auto _ : state) {
    auto reader = NewRecordReader(NewMemoryInputStream(data, {}), "x.warc", 0, {});
    docs += DrainReader(reader.get());
    for (const auto& [k, v] : reader->counters().items()) {
      if (k == "records") records += static_cast<uint64_t>(v);
    }
    bytes += WarcDecoded().size();
  }
  ReportRates(state, bytes, docs);
  state.counters["records"] = benchmark::Counter(static_cast<double>(records),
                                                 benchmark::Counter::kIsRate);
}

// Inflating the gzip-per-record file, parsing records and HTTP, charset
// conversion to UTF-8; the compressed file is in memory.
void BM_ReadWarcGz(benchmark::State& state) {
  if (WarcCompressed().empty()) {
    state.SkipWithError("WARC file absent");
    return;
  }
  DrainWarc(state, WarcCompressed());
}
BENCHMARK(BM_ReadWarcGz)->Unit(benchmark::kMillisecond);

// The same without inflating: the decoded WARC is in memory.
void BM_ReadWarcDecoded(benchmark::State& state) {
  if (WarcCompressed().empty()) {
    state.SkipWithError("WARC file absent");
    return;
  }
  DrainWarc(state, WarcDecoded());
}
BENCHMARK(BM_ReadWarcDecoded)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();
