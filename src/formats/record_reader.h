// Reading documents from corpus files: JSONL (the {"id","text","metadata"}
// schema of datatrove and Dolma) and plain text.
//
// A RecordReader is a pull iterator over one input file. It never fails hard:
// a bad record becomes a Rejection (with a stable reason) and reading goes on;
// a read or decode error ends the file with one Rejection.
//
// JSONL semantics (one JSON object per line):
//  - "id": a string, or a number kept as its JSON text; other JSON values
//    are kept as their JSON text; missing or null -> "<path>:<line>" (1-based
//    line number in the decoded stream).
//  - "text": must be a string. Missing or null -> reject "missing_text";
//    any other type -> reject "text_not_string".
//  - "metadata": an object's fields become Document::metadata in order, each
//    value kept as raw JSON text byte for byte. A non-object "metadata" is
//    kept as a metadata field named "metadata".
//  - Every other top-level field is appended to metadata after the fields of
//    "metadata", in input order, raw. If a key repeats, id/text take the last
//    value; repeated metadata fields are all kept.
//  - Blank (whitespace-only) lines are skipped and counted ("blank_lines");
//    a UTF-8 byte order mark at the start of the stream is skipped.
//  - A line with invalid UTF-8 is repaired (each maximal invalid sequence
//    becomes U+FFFD, as Python's errors="replace") and parsed; counted as
//    "utf8_repaired".
//  - Anything else that is not one complete, valid JSON object (RFC 8259:
//    raw control characters inside strings, lone surrogate escapes, trailing
//    content, a top-level array) is rejected as "invalid_json".
//  - A final line without '\n' is a record, unless the stream ended with an
//    error (then it is the partial record reported by the error rejection).
//
// Rejection reasons: invalid_json, missing_text, text_not_string,
// record_too_large, truncated_input (compressed data ended early),
// corrupt_input (undecodable compressed data), decompressed_limit
// (InputLimits::max_decompressed_bytes hit), read_error (I/O error).
//
// Thread safety: a reader is used by one thread at a time.
#ifndef WINNOW_FORMATS_RECORD_READER_H_
#define WINNOW_FORMATS_RECORD_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/input_stream.h"
#include "winnow/document.h"
#include "winnow/status.h"
#include "winnow/step.h"

namespace winnow {

struct Rejection {
  std::string file;      // input path as given to OpenRecordReader
  uint64_t offset = 0;   // byte offset of the bad record in the decoded stream
  std::string reason;    // stable machine-readable reason (see above)
  std::string error;     // human-readable detail
  std::string excerpt;   // first <= 200 bytes of the record, made valid UTF-8
};

struct ReaderOptions {
  // A longer record (line, or whole plain-text file) is rejected as
  // record_too_large and skipped without being buffered whole. Memory per
  // reader grows to about this size (plus the JSON parser's ~6x for the
  // largest record actually parsed). Default: 32 MiB.
  uint64_t max_record_bytes = 32ull << 20;
  // Decoding limits of the underlying stream (default: 64 GiB per file).
  InputLimits input;
  // Top-level keys of the id and the text. Defaults: "id", "text".
  std::string id_key = "id";
  std::string text_key = "text";
};

class RecordReader {
 public:
  enum class Next { kDocument, kRejected, kEnd };
  virtual ~RecordReader() = default;

  // Fills *doc (clearing it first, reusing its capacity) and returns
  // kDocument, or fills *rej and returns kRejected (leaving *doc in an
  // unspecified but valid state), or returns kEnd. After
  // kEnd, keeps returning kEnd. Never fails hard: read/decode errors mid-file
  // become one kRejected (reason truncated_input / corrupt_input /
  // read_error / decompressed_limit, offset where the complete records
  // ended, excerpt from the incomplete record if any) followed by kEnd.
  virtual Next Read(Document* doc, Rejection* rej) = 0;

  // Reader-level counters: "utf8_repaired" (records), "blank_lines".
  virtual const Counters& counters() const = 0;
};

enum class RecordFormat {
  kAuto,       // choose from the name and the decoded content (see below)
  kJsonl,
  kPlainText,  // the whole stream is one document
};

// Opens `path` ("-" = stdin) and chooses the format: after dropping a
// compression suffix (.gz .gzip .zst .zstd), a name ending in .jsonl, .json
// or .ndjson is JSONL and .txt is plain text; for any other name, content
// whose first non-whitespace byte (after a BOM) is '{' is JSONL, anything
// else plain text. Plain text: one document with id = `path`, text = the
// decoded contents (UTF-8 repaired). `file_index` goes into
// doc->pos.file_index; doc->pos.offset is the record's byte offset in the
// decoded stream. Errors: NotFound / IOError when the file cannot be opened
// (see OpenInputStream); later read errors become rejections.
Result<std::unique_ptr<RecordReader>> OpenRecordReader(
    const std::string& path, uint32_t file_index,
    const ReaderOptions& options);

// Same over an already open stream; `path` is used for ids, rejections and
// (with kAuto) the format choice.
std::unique_ptr<RecordReader> NewRecordReader(
    std::unique_ptr<InputStream> stream, const std::string& path,
    uint32_t file_index, const ReaderOptions& options,
    RecordFormat format = RecordFormat::kAuto);

}  // namespace winnow

#endif  // WINNOW_FORMATS_RECORD_READER_H_
