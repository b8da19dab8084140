// Reads every crawl archive in $WINNOW_SHARED_DIR/data/warc and compares
// the record counts with warcio.js's (warcio-js-stats.jsonl). Skips when the
// shared data is absent. Prints one Markdown table row per file (the table
// of WARC_COUNTS.md).
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "formats/record_reader.h"
#include "io/output_file.h"

namespace winnow {
namespace {

std::string WarcDir() {
  const char* env = std::getenv("WINNOW_SHARED_DIR");
  if (env == nullptr) return {};
  std::string dir = std::string(env) + "/data/warc";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return {};
  closedir(d);
  return dir;
}

bool IsArchiveName(const std::string& name) {
  for (const char* ext : {".warc.gz", ".arc.gz", ".wet.gz", ".wat.gz", ".warc",
                          ".arc"}) {
    std::string e(ext);
    if (name.size() > e.size() &&
        name.compare(name.size() - e.size(), e.size(), e) == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> ArchiveNames(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (IsArchiveName(n)) names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// warcio.js's counts: file -> (total records, html_responses).
std::map<std::string, std::pair<int64_t, int64_t>> WarcioCounts(
    const std::string& dir) {
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  std::string text;
  if (!ReadFileToString(dir + "/warcio-js-stats.jsonl", &text).ok()) return out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    size_t f = line.find("\"file\":\"");
    if (f == std::string::npos) continue;
    size_t fe = line.find('"', f + 8);
    std::string file = line.substr(f + 8, fe - f - 8);
    size_t c = line.find("\"counts\":{");
    size_t ce = line.find('}', c);
    int64_t total = 0;
    for (size_t i = c; i < ce; ++i) {
      if (line[i] == ':' && i + 1 < ce && line[i + 1] >= '0' && line[i + 1] <= '9') {
        total += std::strtoll(line.c_str() + i + 1, nullptr, 10);
      }
    }
    size_t h = line.find("\"html_responses\":");
    int64_t html = h == std::string::npos ? -1 : std::strtoll(line.c_str() + h + 17, nullptr, 10);
    out[file] = {total, html};
  }
  return out;
}

int64_t Get(const Counters& c, std::string_view name) {
  for (const auto& [k, v] : c.items())
    if (k == name) return v;
  return 0;
}

// Documents when every HTTP status is kept.
int64_t CountHtmlAnyStatus(const std::string& path) {
  ReaderOptions options;
  options.warc.min_status = 0;
  options.warc.max_status = 999;
  options.warc.keep_resource = false;
  options.warc.keep_conversion = false;
  auto reader = OpenRecordReader(path, 0, options);
  if (!reader.ok()) return -1;
  Document doc;
  Rejection rej;
  int64_t docs = 0;
  for (;;) {
    auto n = (*reader)->Read(&doc, &rej);
    if (n == RecordReader::Next::kEnd) break;
    if (n == RecordReader::Next::kDocument) ++docs;
  }
  return docs;
}

TEST(WarcFilesTest, EveryArchiveReadsAndRecordCountsMatchWarcioJs) {
  std::string dir = WarcDir();
  if (dir.empty()) GTEST_SKIP() << "shared data absent";
  auto warcio = WarcioCounts(dir);
  std::vector<std::string> names = ArchiveNames(dir);
  ASSERT_FALSE(names.empty());
  std::printf(
      "| file | records | warcio.js records | documents | HTML responses, any "
      "status | warcio.js html responses | rejected | bytes lost | skipped |\n"
      "|---|---|---|---|---|---|---|---|---|\n");
  for (const std::string& name : names) {
    auto reader = OpenRecordReader(dir + "/" + name, 0, {});
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    Document doc;
    Rejection rej;
    int64_t docs = 0, rejected = 0;
    for (;;) {
      auto n = (*reader)->Read(&doc, &rej);
      if (n == RecordReader::Next::kEnd) break;
      if (n == RecordReader::Next::kDocument) {
        ++docs;
        EXPECT_FALSE(doc.id.empty());
        EXPECT_EQ(doc.metadata.size(), 7u);
        EXPECT_TRUE(IsValidUtf8(doc.text)) << name << " " << doc.id;
      } else {
        ++rejected;
        ADD_FAILURE() << name << ": " << rej.reason << " at " << rej.offset
                      << ": " << rej.error;
      }
    }
    const Counters& c = (*reader)->counters();
    std::string skipped;
    for (const auto& [k, v] : c.items()) {
      if (k.rfind("skipped_", 0) == 0) {
        if (!skipped.empty()) skipped += ", ";
        skipped += k.substr(8) + " " + std::to_string(v);
      }
    }
    int64_t records = Get(c, "records");
    auto it = warcio.find(name);
    std::string w_records = "-", w_html = "-";
    bool arc = name.find(".arc") != std::string::npos &&
               name.find(".warc") == std::string::npos;
    int64_t all_status_html = CountHtmlAnyStatus(dir + "/" + name);
    if (it != warcio.end()) {
      w_records = std::to_string(it->second.first);
      w_html = std::to_string(it->second.second);
      // warcio.js does not read ARC (it reports 87 untyped records for 300).
      if (!arc) {
        // Every WARC file's record total agrees with warcio.js (its "null"
        // types are records it mis-parsed, still counted).
        EXPECT_EQ(records, it->second.first) << name;
        // warcio.js counts HTML responses of any status. In
        // aut-example.warc.gz one of them is among the 26 records it
        // mis-parses after a dns: record (see WARC_COUNTS.md).
        int64_t expected = it->second.second;
        if (name == "aut-example.warc.gz") ++expected;
        EXPECT_EQ(all_status_html, expected) << name;
      }
    }
    std::printf("| %s | %lld | %s | %lld | %lld | %s | %lld | %lld | %s |\n",
                name.c_str(), static_cast<long long>(records), w_records.c_str(),
                static_cast<long long>(docs),
                static_cast<long long>(all_status_html), w_html.c_str(),
                static_cast<long long>(rejected),
                static_cast<long long>(Get(c, "bytes_lost")), skipped.c_str());
    EXPECT_GT(records, 0) << name;
  }
}

}  // namespace
}  // namespace winnow
