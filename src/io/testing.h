// Test helpers shared by the io and formats tests (not linked into the
// library): a scratch directory and small file utilities.
#ifndef WINNOW_IO_TESTING_H_
#define WINNOW_IO_TESTING_H_

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "io/input_stream.h"
#include "io/output_file.h"

namespace winnow::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") +
                       "/winnow_test.XXXXXX";
    char* p = mkdtemp(tmpl.data());
    if (p != nullptr) path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const {
    return path_ + "/" + std::string(name);
  }
  // Names of the entries in the directory, sorted.
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

// Compresses `data` in memory with the writer's codec (through a file).
inline std::string Compress(const TempDir& dir, std::string_view data,
                            Compression c, int level = 3) {
  std::string path = dir.File("compress.tmpout");
  auto w = AtomicFileWriter::Create(path, c, level);
  if (!w.ok()) return {};
  (*w)->Append(data);
  if (!(*w)->Finish().ok()) return {};
  std::string out;
  if (!ReadFileToString(path, &out).ok()) return {};
  unlink(path.c_str());
  return out;
}

// Reads a stream to its end; returns the final status.
inline Status ReadAll(InputStream* in, std::string* out,
                      size_t chunk = 1 << 16) {
  out->clear();
  std::string buf(chunk, '\0');
  for (;;) {
    size_t got = 0;
    Status s = in->Read(buf.data(), buf.size(), &got);
    if (!s.ok()) return s;
    if (got == 0) return Status::OK();
    out->append(buf.data(), got);
  }
}

}  // namespace winnow::testing

#endif  // WINNOW_IO_TESTING_H_
