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
// Crawl archives (WARC 0.17 to 1.1 including WET/WAT, and ARC v1/v2; plain,
// gzip per record, whole-file gzip or zstd):
//  - Kept: `response` records holding an HTTP response whose status is in
//    [min_status, max_status] and whose media type is in mime_types (a
//    response without Content-Type counts as text/html when its body starts
//    like HTML); `resource` records of a kept media type; WET `conversion`
//    records. HTTP chunked transfer coding and the gzip / x-gzip / deflate
//    (zlib or raw) / br content codings are undone (a body stored already
//    decoded is taken as is; a damaged one keeps its decodable prefix).
//  - The text is the payload converted to valid UTF-8 (see formats/charset.h
//    for the charset choice); format kHtml, or kText for conversions.
//  - id = WARC-Record-ID verbatim; "<path>:<offset>" when absent (always for
//    ARC). pos.offset = offset of the record header in the decoded stream.
//  - metadata, in order, raw JSON: url (WARC-Target-URI, angle brackets
//    removed; the ARC URL), warc_date (ARC dates as 2008-04-30T20:48:25Z),
//    warc_record_id, payload_digest (WARC-Payload-Digest), http_status
//    (number, null for resource/conversion), content_type (media type,
//    lowercase, without parameters), charset (canonical name used). Absent
//    header fields are null.
//  - Skipped records are not results of Read() (so they are not "records
//    read"); each is counted in counters() as "skipped_<reason>":
//    warcinfo, request, metadata, revisit, continuation, other_type,
//    resource / conversion (when not kept), filedesc (the ARC file header),
//    not_http (e.g. dns: records), status, mime.
//  - Damage: a record whose Content-Length does not end where a line break
//    and the next header (or the end of input) follow is lost, and so are
//    any bytes before the next "WARC/<d>.<d>" (ARC: header line) at a line
//    start: one rejection at the record's offset, reason bad_content_length
//    (or bad_record_header for bytes that are not a header,
//    truncated_record when the input ends inside the record), the number
//    of bytes lost in the error text and in counter "bytes_lost". A block
//    followed by a line break and then junk keeps its record; the junk is a
//    separate bad_record_header loss.
//  - Limits: a record up to max_record_bytes is held in memory whole; a
//    longer one is classified from its first 64 KiB and skipped (streamed,
//    never held), and rejected as record_too_large if it would have been a
//    document. A payload over WarcOptions::max_payload_bytes after decoding
//    is rejected as payload_too_large (decoding stops at the limit). Header
//    blocks over 256 KiB (ARC lines over 8 KiB) are bad_record_header.
//  - Other reasons: bad_http (an application/http block that is not an
//    HTTP response), bad_content_encoding (an unknown coding, or coded data
//    undecodable from its first byte).
//  - Other counters: records (every record whose header parsed, skipped or
//    not), charset_bom / charset_http / charset_meta / charset_detected /
//    charset_fallback (documents by where the charset came from),
//    chars_replaced (documents with bytes replaced by U+FFFD),
//    transfer_chunked, content_decoded, content_decoded_partially,
//    content_encoding_not_applied.
//
// Rejection reasons: invalid_json, missing_text, text_not_string,
// record_too_large, memory_limit (JSONL record over max_parse_bytes),
// truncated_input (compressed data ended early),
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
#include <vector>

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

// Options of the WARC and ARC readers (see "Crawl archives" below).
struct WarcOptions {
  // Responses whose HTTP status is outside [min_status, max_status] are
  // skipped ("skipped_status"). Defaults: 200, 299.
  int min_status = 200;
  int max_status = 299;
  // Media types kept (lowercase, compared with the Content-Type's type
  // without parameters); others are skipped ("skipped_mime"). Empty = all.
  // Default: text/html, application/xhtml+xml.
  std::vector<std::string> mime_types = {"text/html", "application/xhtml+xml"};
  // A payload longer than this after undoing transfer and content codings
  // is rejected as payload_too_large; decoding stops at the limit. Memory
  // per reader is about max_record_bytes (raw records are buffered up to
  // that size) plus a few times this. Default: 16 MiB.
  uint64_t max_payload_bytes = 16ull << 20;
  // Read `resource` records whose Content-Type passes mime_types (as
  // documents with http_status null). Default: true.
  bool keep_resource = true;
  // Read WET `conversion` records as plain-text documents. Default: true.
  bool keep_conversion = true;
  // How much of an HTML payload is searched for a <meta> charset.
  // Default: 2048 bytes.
  size_t meta_sniff_bytes = 2048;
};

struct ReaderOptions {
  // A longer record (line, or whole plain-text file) is rejected as
  // record_too_large and skipped without being buffered whole. Memory per
  // reader grows to about this size (plus the JSON parser's ~6x for the
  // largest record actually parsed). Default: 32 MiB.
  uint64_t max_record_bytes = 32ull << 20;
  // JSONL: a record longer than this (and not longer than max_record_bytes)
  // is rejected as memory_limit before it is parsed, since parsing needs a
  // few times the record. The pipeline derives it from the job's
  // limits.max_worker_memory_mb (pipeline/limits.h). Default: no limit.
  uint64_t max_parse_bytes = UINT64_MAX;
  // Decoding limits of the underlying stream (default: 64 GiB per file).
  InputLimits input;
  // JSONL: a record nested deeper than this (objects and arrays, anywhere
  // in the record) is rejected as json_too_deep. Default and maximum 1024
  // (simdjson's own limit); the check keeps the reader's recursive walk off
  // the end of the stack.
  uint32_t max_json_depth = 1024;
  // Top-level keys of the id and the text. Defaults: "id", "text".
  std::string id_key = "id";
  std::string text_key = "text";
  // WARC / ARC reading.
  WarcOptions warc;
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

  // Reader-level counters: "utf8_repaired" (records), "blank_lines"; for
  // crawl archives see above.
  virtual const Counters& counters() const = 0;
};

enum class RecordFormat {
  kAuto,       // choose from the name and the decoded content (see below)
  kJsonl,
  kPlainText,  // the whole stream is one document
  kWarc,       // WARC 0.17 to 1.1, including WET and WAT files
  kArc,        // Internet Archive ARC, versions 1 and 2
};

// The format `path`'s name implies, after dropping a compression suffix
// (.gz .gzip .zst .zstd): kJsonl for .jsonl .json .ndjson, kPlainText for
// .txt, kWarc for .warc .wet .wat, kArc for .arc (ASCII case ignored);
// kAuto when the name says nothing. OpenRecordReader's choice unless the
// content starts as a crawl archive.
RecordFormat FormatFromName(std::string_view path);

// Opens `path` ("-" = stdin) and chooses the format: decoded content that
// starts with "WARC/" is WARC and content that starts with "filedesc://" is
// ARC, whatever the name. Otherwise, after dropping a compression suffix
// (.gz .gzip .zst .zstd), a name ending in .jsonl, .json or .ndjson is JSONL,
// .txt is plain text, .warc / .wet / .wat is WARC and .arc is ARC; for any
// other name, content whose first non-whitespace byte (after a BOM) is '{'
// is JSONL, anything else plain text. Plain text: one document with id = `path`, text = the
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
