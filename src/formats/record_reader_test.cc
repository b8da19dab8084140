#include "formats/record_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "formats/jsonl_writer.h"
#include "io/output_file.h"
#include "io/testing.h"

namespace winnow {
namespace {

using testing::Compress;
using testing::TempDir;

struct Item {
  bool is_doc = false;
  Document doc;
  Rejection rej;
};

struct ReadResult {
  std::vector<Item> items;
  Counters counters;
  std::vector<const Document*> docs() const {
    std::vector<const Document*> d;
    for (const Item& i : items)
      if (i.is_doc) d.push_back(&i.doc);
    return d;
  }
  std::vector<const Rejection*> rejections() const {
    std::vector<const Rejection*> r;
    for (const Item& i : items)
      if (!i.is_doc) r.push_back(&i.rej);
    return r;
  }
};

ReadResult ReadReader(RecordReader* reader) {
  ReadResult out;
  Document doc;
  Rejection rej;
  for (;;) {
    RecordReader::Next n = reader->Read(&doc, &rej);
    if (n == RecordReader::Next::kEnd) break;
    Item item;
    item.is_doc = n == RecordReader::Next::kDocument;
    if (item.is_doc) {
      item.doc = doc;
    } else {
      item.rej = rej;
    }
    out.items.push_back(std::move(item));
  }
  EXPECT_EQ(reader->Read(&doc, &rej), RecordReader::Next::kEnd);
  EXPECT_EQ(reader->Read(&doc, &rej), RecordReader::Next::kEnd);
  out.counters = reader->counters();
  return out;
}

ReadResult ReadFile(const std::string& path, ReaderOptions options = {},
                    uint32_t file_index = 0) {
  auto reader = OpenRecordReader(path, file_index, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  return ReadReader(reader->get());
}

std::string WriteFile(const TempDir& dir, const std::string& name,
                      const std::string& bytes) {
  std::string path = dir.File(name);
  EXPECT_TRUE(WriteFileAtomically(path, bytes).ok());
  return path;
}

int64_t CounterValue(const Counters& c, std::string_view name) {
  for (const auto& [k, v] : c.items())
    if (k == name) return v;
  return 0;
}

std::string Meta(const Document& d, std::string_view key) {
  const JsonField* f = d.FindMetadata(key);
  return f == nullptr ? "<absent>" : f->raw;
}

// n records in a generated corpus, one line each.
std::string Corpus(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "{\"id\":\"doc-" + std::to_string(i) + "\",\"text\":\"Record " +
         std::to_string(i) + " says " + std::string(i % 50, 'z') +
         ".\\nSecond line.\",\"metadata\":{\"n\":" + std::to_string(i) +
         "}}\n";
  }
  return s;
}

TEST(RecordReader, ReadsIdTextAndMetadataWithPositions) {
  TempDir dir;
  std::string line1 =
      R"({"id": "a1", "text": "Hello\nworld", "metadata": {"url": "http://x.test/", "score": 0.5}})";
  std::string line2 = R"({"id":"a2","text":"caf\u00e9 \"q\""})";
  std::string path = WriteFile(dir, "in.jsonl", line1 + "\n" + line2 + "\n");
  ReadResult r = ReadFile(path, {}, 7);
  auto docs = r.docs();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_TRUE(r.rejections().empty());
  EXPECT_EQ(docs[0]->id, "a1");
  EXPECT_EQ(docs[0]->text, "Hello\nworld");
  ASSERT_EQ(docs[0]->metadata.size(), 2u);
  EXPECT_EQ(docs[0]->metadata[0].key, "url");
  EXPECT_EQ(docs[0]->metadata[0].raw, "\"http://x.test/\"");
  EXPECT_EQ(docs[0]->metadata[1].raw, "0.5");
  EXPECT_EQ(docs[0]->pos.file_index, 7u);
  EXPECT_EQ(docs[0]->pos.offset, 0u);
  EXPECT_EQ(docs[1]->text, "caf\xC3\xA9 \"q\"");
  EXPECT_EQ(docs[1]->pos.offset, line1.size() + 1);
  EXPECT_TRUE(docs[1]->metadata.empty());
}

TEST(RecordReader, KeepsNestingUpToTheDepthLimitAndRejectsDeeper) {
  TempDir dir;
  auto nested = [](int depth) {
    return R"({"id":"n)" + std::to_string(depth) + R"(","text":"t","metadata":{"x":)" +
           std::string(depth, '[') + std::string(depth, ']') + "}}\n";
  };
  // The limit is 1,024 levels. A million levels would overflow the stack
  // of a recursive walk; it must be rejected instead.
  std::string path = WriteFile(dir, "deep.jsonl",
                               nested(1000) + nested(2000) + nested(1000000));
  ReadResult r = ReadFile(path);
  auto docs = r.docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]->id, "n1000");
  ASSERT_EQ(r.rejections().size(), 2u);
  EXPECT_EQ(r.rejections()[0]->reason, "json_too_deep");
  EXPECT_EQ(r.rejections()[1]->reason, "json_too_deep");

  // A lower limit is an option: with 8 levels, 8 passes and 9 does not.
  ReaderOptions options;
  options.max_json_depth = 8;
  r = ReadFile(WriteFile(dir, "eight.jsonl", nested(8) + nested(9)), options);
  docs = r.docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]->id, "n8");
  ASSERT_EQ(r.rejections().size(), 1u);
  EXPECT_EQ(r.rejections()[0]->reason, "json_too_deep");
}

TEST(RecordReader, ReadsGzipMultiMemberGzipAndZstdAlike) {
  TempDir dir;
  std::string corpus = Corpus(5000);
  ReadResult plain = ReadFile(WriteFile(dir, "p.jsonl", corpus));
  ASSERT_EQ(plain.docs().size(), 5000u);
  size_t half = corpus.find('\n', corpus.size() / 2) + 1;
  std::vector<std::pair<std::string, std::string>> variants = {
      {"g.jsonl.gz", Compress(dir, corpus, Compression::kGzip)},
      {"m.jsonl.gz", Compress(dir, corpus.substr(0, half), Compression::kGzip) +
                         Compress(dir, corpus.substr(half), Compression::kGzip)},
      {"z.jsonl.zst", Compress(dir, corpus, Compression::kZstd)},
      {"z.data", Compress(dir, corpus, Compression::kZstd)},
  };
  for (const auto& [name, bytes] : variants) {
    ReadResult r = ReadFile(WriteFile(dir, name, bytes));
    ASSERT_EQ(r.items.size(), plain.items.size()) << name;
    for (size_t i = 0; i < r.items.size(); ++i) {
      ASSERT_TRUE(r.items[i].is_doc);
      EXPECT_EQ(r.items[i].doc.id, plain.items[i].doc.id);
      EXPECT_EQ(r.items[i].doc.text, plain.items[i].doc.text);
      EXPECT_EQ(r.items[i].doc.pos, plain.items[i].doc.pos);
    }
  }
}

TEST(RecordReader, DetectsCompressionFromBytesNotName) {
  TempDir dir;
  ReadResult r = ReadFile(WriteFile(dir, "looks.jsonl.gz", Corpus(3)));
  EXPECT_EQ(r.docs().size(), 3u);
  EXPECT_TRUE(r.rejections().empty());
}

void ExpectTruncatedAfterGoodRecords(Compression c) {
  TempDir dir;
  const int n = 40000;
  std::string corpus = Corpus(n);
  std::string bytes = Compress(dir, corpus, c);
  bytes.resize(bytes.size() * 2 / 3);
  ReadResult r = ReadFile(WriteFile(dir, "cut.jsonl", bytes));
  auto docs = r.docs();
  auto rejs = r.rejections();
  ASSERT_EQ(rejs.size(), 1u);
  EXPECT_FALSE(r.items.back().is_doc) << "the rejection comes last";
  EXPECT_EQ(rejs[0]->reason, "truncated_input") << rejs[0]->error;
  EXPECT_GT(docs.size(), static_cast<size_t>(n / 3));
  EXPECT_LT(docs.size(), static_cast<size_t>(n));
  for (size_t i = 0; i < docs.size(); ++i) {
    ASSERT_EQ(docs[i]->id, "doc-" + std::to_string(i));
  }
  // The good data ends where the next (incomplete) record starts.
  size_t next = 0;
  for (size_t i = 0; i < docs.size(); ++i) next = corpus.find('\n', next) + 1;
  EXPECT_EQ(rejs[0]->offset, next);
  EXPECT_EQ(rejs[0]->file, dir.File("cut.jsonl"));
  EXPECT_EQ(corpus.compare(next, rejs[0]->excerpt.size(), rejs[0]->excerpt), 0);
}

TEST(RecordReader, TruncatedGzipKeepsGoodRecordsThenOneRejection) {
  ExpectTruncatedAfterGoodRecords(Compression::kGzip);
}

TEST(RecordReader, TruncatedZstdKeepsGoodRecordsThenOneRejection) {
  ExpectTruncatedAfterGoodRecords(Compression::kZstd);
}

TEST(RecordReader, DecompressedLimitBecomesARejection) {
  TempDir dir;
  std::string corpus = Corpus(1000);
  ReaderOptions options;
  options.input.max_decompressed_bytes = corpus.size() / 2;
  ReadResult r = ReadFile(
      WriteFile(dir, "l.jsonl.zst", Compress(dir, corpus, Compression::kZstd)),
      options);
  ASSERT_EQ(r.rejections().size(), 1u);
  EXPECT_EQ(r.rejections()[0]->reason, "decompressed_limit");
  EXPECT_GT(r.docs().size(), 400u);
  EXPECT_LT(r.docs().size(), 600u);
}

// The long line is generated on disk in chunks; the reader must skip it
// without buffering it and go on with the next lines.
TEST(RecordReader, RejectsA100MBLineAndReadsTheFollowingLines) {
  TempDir dir;
  std::string path = dir.File("long.jsonl");
  auto w = AtomicFileWriter::Create(path, Compression::kNone, 0);
  ASSERT_TRUE(w.ok());
  std::string first = "{\"id\":\"before\",\"text\":\"short\"}\n";
  (*w)->Append(first);
  const std::string head = "{\"id\":\"huge\",\"text\":\"", tail = "\"}";
  (*w)->Append(head);
  std::string chunk(1 << 20, 'w');
  for (int i = 0; i < 100; ++i) (*w)->Append(chunk);
  (*w)->Append(tail + "\n");
  (*w)->Append("{\"id\":\"after1\",\"text\":\"one\"}\n");
  (*w)->Append("{\"id\":\"after2\",\"text\":\"two\"}");
  ASSERT_TRUE((*w)->Finish().ok());

  ReadResult r = ReadFile(path);
  ASSERT_EQ(r.items.size(), 4u);
  EXPECT_EQ(r.items[0].doc.id, "before");
  ASSERT_FALSE(r.items[1].is_doc);
  const Rejection& rej = r.items[1].rej;
  EXPECT_EQ(rej.reason, "record_too_large");
  EXPECT_EQ(rej.offset, first.size());
  EXPECT_EQ(rej.excerpt.size(), 200u);
  EXPECT_EQ(rej.excerpt.substr(0, 22), "{\"id\":\"huge\",\"text\":\"w");
  EXPECT_NE(rej.error.find(std::to_string(head.size() + (100 << 20) + tail.size())),
            std::string::npos)
      << rej.error;
  EXPECT_EQ(r.items[2].doc.id, "after1");
  EXPECT_EQ(r.items[3].doc.id, "after2");
  EXPECT_EQ(r.items[3].doc.text, "two");
}

TEST(RecordReader, SmallRecordLimitRejectsLongLinesAnywhere) {
  TempDir dir;
  ReaderOptions options;
  options.max_record_bytes = 40;
  std::string text = "{\"text\":\"ok\"}\n{\"text\":\"" + std::string(100, 'x') +
                     "\"}\n{\"text\":\"ok2\"}\n{\"text\":\"" +
                     std::string(60, 'y') + "\"}";
  ReadResult r = ReadFile(WriteFile(dir, "s.jsonl", text), options);
  ASSERT_EQ(r.items.size(), 4u);
  EXPECT_EQ(r.items[0].doc.text, "ok");
  EXPECT_EQ(r.items[1].rej.reason, "record_too_large");
  EXPECT_EQ(r.items[2].doc.text, "ok2");
  EXPECT_EQ(r.items[3].rej.reason, "record_too_large");
  EXPECT_EQ(r.items[3].rej.offset, text.rfind('\n') + 1);
}

TEST(RecordReader, RejectsInvalidJsonAndGoesOn) {
  TempDir dir;
  std::vector<std::string> bad = {
      R"({"text": "unterminated)",
      R"({"text": "a",})",
      R"({"text": "a"} trailing)",
      R"({"text": "a"}})",
      R"([{"text": "array"}])",
      R"({"text": "bad escape \q"})",
      R"({"text": "x", "meta": [1, 2,, 3]})",
      R"({"text": "x", "n": 01})",
      R"({"text": "x", "n": tru})",
      R"({"text": "lone \ud800 surrogate"})",
      "{\"text\": \"raw\ttab\"}",
      "not json at all",
  };
  std::string input;
  for (const auto& b : bad) input += b + "\n{\"text\":\"good\"}\n";
  ReadResult r = ReadFile(WriteFile(dir, "bad.jsonl", input));
  ASSERT_EQ(r.items.size(), bad.size() * 2);
  for (size_t i = 0; i < bad.size(); ++i) {
    const Item& rej = r.items[2 * i];
    ASSERT_FALSE(rej.is_doc) << bad[i];
    EXPECT_EQ(rej.rej.reason, "invalid_json") << bad[i];
    EXPECT_FALSE(rej.rej.error.empty());
    EXPECT_EQ(rej.rej.excerpt, bad[i]);
    EXPECT_EQ(rej.rej.offset, input.find(bad[i]));
    EXPECT_TRUE(r.items[2 * i + 1].is_doc);
    EXPECT_EQ(r.items[2 * i + 1].doc.text, "good");
  }
}

TEST(RecordReader, RejectsMissingNullAndNonStringText) {
  TempDir dir;
  std::string input =
      "{\"id\":\"1\"}\n"
      "{\"id\":\"2\",\"text\":null}\n"
      "{\"id\":\"3\",\"text\":42}\n"
      "{\"id\":\"4\",\"text\":[\"a\"]}\n"
      "{\"id\":\"5\",\"body\":\"x\"}\n";
  ReadResult r = ReadFile(WriteFile(dir, "t.jsonl", input));
  ASSERT_EQ(r.items.size(), 5u);
  EXPECT_EQ(r.items[0].rej.reason, "missing_text");
  EXPECT_EQ(r.items[1].rej.reason, "missing_text");
  EXPECT_EQ(r.items[2].rej.reason, "text_not_string");
  EXPECT_NE(r.items[2].rej.error.find("number"), std::string::npos);
  EXPECT_EQ(r.items[3].rej.reason, "text_not_string");
  EXPECT_EQ(r.items[4].rej.reason, "missing_text");
}

TEST(RecordReader, CustomKeysChooseIdAndText) {
  TempDir dir;
  ReaderOptions options;
  options.id_key = "uid";
  options.text_key = "body";
  ReadResult r = ReadFile(
      WriteFile(dir, "k.jsonl", "{\"uid\":5,\"body\":\"b\",\"text\":\"t\"}\n"),
      options);
  ASSERT_EQ(r.docs().size(), 1u);
  EXPECT_EQ(r.docs()[0]->id, "5");
  EXPECT_EQ(r.docs()[0]->text, "b");
  EXPECT_EQ(Meta(*r.docs()[0], "text"), "\"t\"");
}

TEST(RecordReader, KeepsNulEscapesRejectsRawNulAndRepairsBadUtf8) {
  TempDir dir;
  std::string input = "{\"text\":\"a\\u0000b\"}\n";
  input += std::string("{\"text\":\"raw\0nul\"}\n", 19);
  input += "{\"text\":\"bad \xFF byte \xE2\x82\", \"m\": \"\xC0\"}\n";
  ReadResult r = ReadFile(WriteFile(dir, "n.jsonl", input));
  ASSERT_EQ(r.items.size(), 3u);
  ASSERT_TRUE(r.items[0].is_doc);
  EXPECT_EQ(r.items[0].doc.text, std::string("a\0b", 3));
  ASSERT_FALSE(r.items[1].is_doc);
  EXPECT_EQ(r.items[1].rej.reason, "invalid_json");
  EXPECT_EQ(r.items[1].rej.excerpt, std::string("{\"text\":\"raw\0nul\"}", 18));
  ASSERT_TRUE(r.items[2].is_doc);
  EXPECT_EQ(r.items[2].doc.text, "bad \xEF\xBF\xBD byte \xEF\xBF\xBD");
  EXPECT_EQ(Meta(r.items[2].doc, "m"), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(CounterValue(r.counters, "utf8_repaired"), 1);

  std::string out;
  AppendDocumentJson(r.items[0].doc, &out);
  EXPECT_EQ(out, "{\"id\":\"" + dir.File("n.jsonl") +
                     ":1\",\"text\":\"a\\u0000b\",\"metadata\":{}}\n");
}

TEST(RecordReader, PreservesNestedMetadataByteForByte) {
  TempDir dir;
  std::string nested =
      R"({ "a" : [1, 2.50, -0.0e+10, {"deep": {"x": null}}] , "s": "\u00e9\n\"" ,"big": 123456789012345678901234567890, "e": 1E400, "o": {}})";
  std::string line = R"({"text":"t","metadata":{"nested": )" + nested +
                     R"(, "tags":["x","y"] ,"flag":true}})";
  ReadResult r = ReadFile(WriteFile(dir, "m.jsonl", line + "\n"));
  ASSERT_EQ(r.docs().size(), 1u);
  const Document& d = *r.docs()[0];
  ASSERT_EQ(d.metadata.size(), 3u);
  EXPECT_EQ(d.metadata[0].key, "nested");
  EXPECT_EQ(d.metadata[0].raw, nested);
  EXPECT_EQ(d.metadata[1].raw, R"(["x","y"])");
  EXPECT_EQ(d.metadata[2].raw, "true");
}

TEST(RecordReader, MovesTopLevelExtrasIntoMetadataInOrder) {
  TempDir dir;
  std::string line =
      R"({"url":"u","id":"i","date":"2024-01-01","text":"t","metadata":{"m1":1,"m2":{"k":[]}},"lang":"en","n\u00e4me":2})";
  ReadResult r = ReadFile(WriteFile(dir, "x.jsonl", line));
  ASSERT_EQ(r.docs().size(), 1u);
  const Document& d = *r.docs()[0];
  std::vector<std::string> keys;
  for (const auto& f : d.metadata) keys.push_back(f.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"m1", "m2", "url", "date", "lang",
                                            "n\xC3\xA4me"}));
  EXPECT_EQ(Meta(d, "m2"), R"({"k":[]})");
  EXPECT_EQ(Meta(d, "date"), "\"2024-01-01\"");
}

TEST(RecordReader, KeepsNonObjectMetadataAsAField) {
  TempDir dir;
  ReadResult r = ReadFile(WriteFile(
      dir, "x.jsonl", "{\"text\":\"t\",\"metadata\":[1,2],\"z\":0}\n"));
  ASSERT_EQ(r.docs().size(), 1u);
  ASSERT_EQ(r.docs()[0]->metadata.size(), 2u);
  EXPECT_EQ(r.docs()[0]->metadata[0].key, "metadata");
  EXPECT_EQ(r.docs()[0]->metadata[0].raw, "[1,2]");
}

TEST(RecordReader, IdsFromStringsNumbersOrPathAndLine) {
  TempDir dir;
  std::string input =
      "{\"id\":\"s\",\"text\":\"a\"}\n"
      "\n"
      "   \r\n"
      "{\"id\":-12.5e3,\"text\":\"b\"}\n"
      "{\"text\":\"c\"}\r\n"
      "{\"id\":null,\"text\":\"d\"}";
  std::string path = WriteFile(dir, "ids.jsonl", input);
  ReadResult r = ReadFile(path);
  auto docs = r.docs();
  ASSERT_EQ(docs.size(), 4u);
  EXPECT_EQ(docs[0]->id, "s");
  EXPECT_EQ(docs[1]->id, "-12.5e3");
  EXPECT_EQ(docs[2]->id, path + ":5");
  EXPECT_EQ(docs[2]->text, "c");
  EXPECT_EQ(docs[3]->id, path + ":6");
  EXPECT_EQ(docs[3]->text, "d") << "final line without newline is a record";
  EXPECT_EQ(CounterValue(r.counters, "blank_lines"), 2);
}

TEST(RecordReader, SkipsByteOrderMark) {
  TempDir dir;
  ReadResult r =
      ReadFile(WriteFile(dir, "bom.data", "\xEF\xBB\xBF{\"text\":\"x\"}\n"));
  ASSERT_EQ(r.docs().size(), 1u);
  EXPECT_EQ(r.docs()[0]->text, "x");
}

TEST(RecordReader, TextFileIsOneDocument) {
  TempDir dir;
  std::string body = "{ not json, just a text file }\nSecond line \xFF.\n";
  std::string path = WriteFile(dir, "notes.txt", body);
  ReadResult r = ReadFile(path, {}, 3);
  ASSERT_EQ(r.items.size(), 1u);
  ASSERT_TRUE(r.items[0].is_doc);
  EXPECT_EQ(r.items[0].doc.id, path);
  EXPECT_EQ(r.items[0].doc.text,
            "{ not json, just a text file }\nSecond line \xEF\xBF\xBD.\n");
  EXPECT_EQ(r.items[0].doc.pos.file_index, 3u);
  EXPECT_EQ(CounterValue(r.counters, "utf8_repaired"), 1);

  std::string gz = WriteFile(dir, "README",
                             Compress(dir, "plain words\n", Compression::kGzip));
  ReadResult g = ReadFile(gz);
  ASSERT_EQ(g.docs().size(), 1u);
  EXPECT_EQ(g.docs()[0]->text, "plain words\n");

  ReadResult sniffed = ReadFile(WriteFile(dir, "data.out", "\n {\"text\":\"j\"}\n"));
  ASSERT_EQ(sniffed.docs().size(), 1u);
  EXPECT_EQ(sniffed.docs()[0]->text, "j");
}

TEST(RecordReader, TruncatedTextFileIsRejected) {
  TempDir dir;
  std::string bytes = Compress(dir, std::string(300000, 'q'), Compression::kGzip);
  bytes.resize(bytes.size() / 2);
  ReadResult r = ReadFile(WriteFile(dir, "t.txt.gz", bytes));
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].rej.reason, "truncated_input");
}

TEST(RecordReader, MissingFileIsNotFound) {
  TempDir dir;
  auto r = OpenRecordReader(dir.File("absent.jsonl"), 0, {});
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(RecordReader, ReusesOneDocumentAcrossRecords) {
  TempDir dir;
  std::string input =
      "{\"text\":\"a\",\"metadata\":{\"x\":1,\"y\":2,\"z\":3}}\n"
      "{\"text\":\"b\",\"metadata\":{\"x\":4}}\n";
  auto reader = OpenRecordReader(WriteFile(dir, "r.jsonl", input), 0, {});
  ASSERT_TRUE(reader.ok());
  Document doc;
  Rejection rej;
  doc.signals.push_back({"s", "{}"});
  ASSERT_EQ((*reader)->Read(&doc, &rej), RecordReader::Next::kDocument);
  EXPECT_TRUE(doc.signals.empty());
  EXPECT_EQ(doc.metadata.size(), 3u);
  ASSERT_EQ((*reader)->Read(&doc, &rej), RecordReader::Next::kDocument);
  ASSERT_EQ(doc.metadata.size(), 1u);
  EXPECT_EQ(doc.metadata[0].raw, "4");
  EXPECT_EQ(doc.text, "b");
}

TEST(RecordReader, RoundTripGivesIdenticalBytes) {
  TempDir dir;
  std::string input =
      R"({"id": 7, "text": "caf\u00e9\t\u0001 \ud83d\ude00 </script>", "metadata": {"a": [1, {"b": "c"}], "winnow": "user"}, "top": 1.50})"
      "\n"
      R"({"text": "second", "source": "s"})"
      "\n";
  ReadResult first = ReadFile(WriteFile(dir, "in.jsonl", input));
  ASSERT_EQ(first.docs().size(), 2u);
  std::string out1;
  for (const Document* d : first.docs()) AppendDocumentJson(*d, &out1);
  // A removal and signals, as the pipeline would add them.
  Document annotated = *first.docs()[1];
  annotated.signals.push_back({"gopher", R"({"words":1})"});
  annotated.annotations.push_back({"language", R"("en")"});
  annotated.removed_by = "gopher";
  annotated.reason = "gopher_short_doc";
  annotated.details = R"({"words":1,"min":50})";
  AppendDocumentJson(annotated, &out1);

  std::string path1 = dir.File("out1.jsonl.zst");
  auto w = AtomicFileWriter::Create(path1, Compression::kZstd, 3);
  ASSERT_TRUE(w.ok());
  (*w)->Append(out1);
  ASSERT_TRUE((*w)->Finish().ok());

  ReadResult second = ReadFile(path1);
  ASSERT_EQ(second.docs().size(), 3u);
  EXPECT_TRUE(second.rejections().empty());
  std::string out2;
  for (const Document* d : second.docs()) AppendDocumentJson(*d, &out2);
  EXPECT_EQ(out2, out1);
  EXPECT_EQ(second.docs()[0]->text, "caf\xC3\xA9\t\x01 \xF0\x9F\x98\x80 </script>");
  EXPECT_EQ(Meta(*second.docs()[0], "winnow"), "\"user\"");
  EXPECT_NE(out1.find(R"("winnow":{"removed_by":"gopher")"), std::string::npos);
}

// Differential check of the raw-value validation: whatever the reader
// accepts from damaged lines must be written as JSON that reads back to the
// same bytes, and nothing may crash.
TEST(RecordReader, MutatedLinesNeverYieldUnreadableOutput) {
  TempDir dir;
  const std::vector<std::string> seeds = {
      R"({"id":"s1","text":"a\"b\\c\u00e9\ud83d\ude00","metadata":{"k":[1,{"x":null}],"t":true}})",
      R"({"text": "plain words", "n": -1.5e-3, "arr": [ "x" , [ ] , { } ], "f": false})",
      R"({"metadata": {"deep": {"a": {"b": [0, 1, 2]}}}, "id": 42, "text": "t"})",
  };
  const std::string alphabet = "{}[]\":,\\ \t0123456789.eE+-tfnul\xC3\xA9\xFF\x01";
  uint64_t x = 0x2545F4914F6CDD1Dull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  std::string input;
  for (int i = 0; i < 20000; ++i) {
    std::string line = seeds[next() % seeds.size()];
    int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      size_t pos = next() % line.size();
      switch (next() % 3) {
        case 0: line.erase(pos, 1); break;
        case 1: line.insert(pos, 1, alphabet[next() % alphabet.size()]); break;
        default: line[pos] = alphabet[next() % alphabet.size()]; break;
      }
    }
    input += line + "\n";
  }
  ReadResult first = ReadFile(WriteFile(dir, "fuzz.jsonl", input));
  EXPECT_GT(first.docs().size(), 100u);
  EXPECT_GT(first.rejections().size(), 100u);
  std::string out1;
  for (const Document* d : first.docs()) AppendDocumentJson(*d, &out1);
  ReadResult second = ReadFile(WriteFile(dir, "fuzz_out.jsonl", out1));
  EXPECT_TRUE(second.rejections().empty());
  ASSERT_EQ(second.docs().size(), first.docs().size());
  std::string out2;
  for (const Document* d : second.docs()) AppendDocumentJson(*d, &out2);
  EXPECT_EQ(out2, out1);
}

TEST(RecordReader, ReadsReutersWithoutRejections) {
  const char* shared = std::getenv("WINNOW_SHARED_DIR");
  if (shared == nullptr) GTEST_SKIP() << "WINNOW_SHARED_DIR not set";
  std::string path = std::string(shared) + "/data/news/reuters21578.jsonl.gz";
  if (access(path.c_str(), R_OK) != 0) GTEST_SKIP() << path << " absent";
  auto reader = OpenRecordReader(path, 0, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Document doc;
  Rejection rej;
  size_t docs = 0, rejections = 0, empty = 0;
  std::string first_id;
  for (;;) {
    auto n = (*reader)->Read(&doc, &rej);
    if (n == RecordReader::Next::kEnd) break;
    if (n == RecordReader::Next::kRejected) {
      ++rejections;
      ADD_FAILURE() << rej.reason << ": " << rej.error;
      continue;
    }
    if (docs == 0) first_id = doc.id;
    ++docs;
    if (doc.text.empty()) ++empty;
  }
  EXPECT_EQ(docs, 21578u);
  EXPECT_EQ(rejections, 0u);
  EXPECT_EQ(first_id, "reuters-1");
  EXPECT_EQ(empty, 2535u);
}

}  // namespace
}  // namespace winnow
