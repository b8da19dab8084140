// Spill files: documents handed from one phase of a job to the next
// (under OUT/.work/), losslessly: text, format, raw metadata, winnow's own
// signals and annotations, and the document's position. Not an interchange
// format: version-tagged, zstd-compressed, length-prefixed binary.
#ifndef WINNOW_PIPELINE_SPILL_H_
#define WINNOW_PIPELINE_SPILL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "io/input_stream.h"
#include "io/output_file.h"
#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

// A document with its ordinal: its index among the documents of its input
// file (rejected records not counted). (file_index << 40 | ordinal) is the
// document's stable id in corpus-wide steps.
struct SpilledDocument {
  Document doc;
  uint64_t ordinal = 0;
};

inline uint64_t DocumentKey(uint32_t file_index, uint64_t ordinal) {
  return (static_cast<uint64_t>(file_index) << 40) | ordinal;
}
// The two halves of a DocumentKey.
inline uint64_t DocumentFileIndex(uint64_t key) { return key >> 40; }
inline uint64_t DocumentOrdinal(uint64_t key) { return key & ((uint64_t{1} << 40) - 1); }

class SpillWriter {
 public:
  static Result<std::unique_ptr<SpillWriter>> Create(const std::string& path);
  void Add(const Document& doc, uint64_t ordinal);
  Status Finish();
  void Abandon() { file_->Abandon(); }

 private:
  explicit SpillWriter(std::unique_ptr<AtomicFileWriter> file)
      : file_(std::move(file)) {}
  std::unique_ptr<AtomicFileWriter> file_;
  std::string buf_;
};

class SpillReader {
 public:
  static Result<std::unique_ptr<SpillReader>> Open(const std::string& path);
  // Fills *out and returns true, or returns false at the end or on error
  // (then status() says which). A damaged spill is Corruption, never a
  // silently shorter stream.
  bool Next(SpilledDocument* out);
  Status status() const { return status_; }

 private:
  explicit SpillReader(std::unique_ptr<InputStream> in) : in_(std::move(in)) {}
  bool ReadExact(char* p, size_t n, bool* at_end);
  bool ReadString(std::string* s);
  std::unique_ptr<InputStream> in_;
  std::string buf_;
  size_t pos_ = 0;
  Status status_;
  std::string path_;
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_SPILL_H_
