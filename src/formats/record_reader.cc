#include "formats/record_reader.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "core/utf8.h"
#include "formats/reader_internal.h"
#include "formats/simd_utf8.h"

namespace winnow {
namespace formats_internal {

std::string_view ReasonForStreamError(const Status& status) {
  if (IsTruncation(status)) return "truncated_input";
  switch (status.code()) {
    case Status::Code::kCorruption: return "corrupt_input";
    case Status::Code::kResourceExhausted: return "decompressed_limit";
    default: return "read_error";
  }
}

void FillRejection(const std::string& file, uint64_t offset,
                   std::string_view reason, std::string_view error,
                   std::string_view record, Rejection* rej) {
  rej->file.assign(file);
  rej->offset = offset;
  rej->reason.assign(reason);
  rej->error.assign(error);
  rej->excerpt.clear();
  AppendUtf8Excerpt(record, kExcerptBytes, &rej->excerpt);
}

}  // namespace formats_internal

namespace {

using formats_internal::FillRejection;
using formats_internal::ReasonForStreamError;

// Serves bytes read ahead for format sniffing, then the rest of the stream.
class PrefixedStream final : public InputStream {
 public:
  PrefixedStream(std::unique_ptr<InputStream> in, std::string prefix,
                 Status after_prefix)
      : in_(std::move(in)),
        prefix_(std::move(prefix)),
        after_prefix_(std::move(after_prefix)) {}

  Status Read(char* buf, size_t n, size_t* got) override {
    *got = 0;
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      delivered_ += k;
      *got = k;
      return Status::OK();
    }
    if (!after_prefix_.ok()) return after_prefix_;
    Status s = in_->Read(buf, n, got);
    delivered_ += *got;
    return s;
  }
  Compression compression() const override { return in_->compression(); }
  uint64_t bytes_read() const override { return delivered_; }

 private:
  std::unique_ptr<InputStream> in_;
  std::string prefix_;
  size_t pos_ = 0;
  uint64_t delivered_ = 0;
  Status after_prefix_;
};

// The whole stream is one document.
class PlainTextReader final : public RecordReader {
 public:
  PlainTextReader(std::unique_ptr<InputStream> in, const std::string& path,
                  uint32_t file_index, const ReaderOptions& options)
      : in_(std::move(in)),
        path_(path),
        file_index_(file_index),
        options_(options) {}

  Next Read(Document* doc, Rejection* rej) override {
    if (done_) return Next::kEnd;
    done_ = true;
    doc->Clear();
    std::string& text = doc->text;
    constexpr size_t kChunk = 1 << 20;
    uint64_t total = 0;
    bool too_large = false;
    Status s;
    for (;;) {
      size_t want = kChunk;
      if (!too_large) {
        uint64_t room = options_.max_record_bytes + 1 - text.size();
        want = static_cast<size_t>(std::min<uint64_t>(kChunk, room));
      }
      size_t old = text.size();
      char* dst;
      if (too_large) {
        scratch_.resize(kChunk);
        dst = scratch_.data();
      } else {
        text.resize(old + want);
        dst = text.data() + old;
      }
      size_t got = 0;
      s = in_->Read(dst, want, &got);
      if (!too_large) text.resize(old + got);
      total += got;
      if (!s.ok() || got == 0) break;
      if (!too_large && text.size() > options_.max_record_bytes) {
        too_large = true;
      }
    }
    if (!s.ok()) {
      std::string error = s.message();
      if (total > 0) {
        error += "; dropped an incomplete document of " +
                 std::to_string(total) + " bytes";
      }
      FillRejection(path_, 0, ReasonForStreamError(s), error, text, rej);
      return Next::kRejected;
    }
    if (too_large) {
      FillRejection(path_, 0, "record_too_large",
                    "document of " + std::to_string(total) +
                        " bytes exceeds max_record_bytes (" +
                        std::to_string(options_.max_record_bytes) + ")",
                    text, rej);
      text.clear();
      return Next::kRejected;
    }
    if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) {
      text.erase(0, 3);
    }
    if (!IsValidUtf8Simd(text)) {
      scratch_.clear();
      AppendRepairedUtf8(text, &scratch_);
      text.swap(scratch_);
      counters_.Add("utf8_repaired");
    }
    doc->id = path_;
    doc->pos.file_index = file_index_;
    doc->pos.offset = 0;
    return Next::kDocument;
  }

  const Counters& counters() const override { return counters_; }

 private:
  std::unique_ptr<InputStream> in_;
  const std::string path_;
  const uint32_t file_index_;
  const ReaderOptions options_;
  bool done_ = false;
  std::string scratch_;
  Counters counters_;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}


// Reads into *prefix until it holds at least `n` bytes or the stream ends.
Status ReadPrefix(InputStream* stream, size_t n, std::string* prefix) {
  while (prefix->size() < n) {
    size_t old = prefix->size();
    prefix->resize(old + 4096);
    size_t got = 0;
    Status s = stream->Read(prefix->data() + old, 4096, &got);
    prefix->resize(old + got);
    if (!s.ok()) return s;
    if (got == 0) break;
  }
  return Status::OK();
}

}  // namespace

RecordFormat FormatFromName(std::string_view path) {
  for (std::string_view ext : {".gz", ".gzip", ".zst", ".zstd"}) {
    if (EndsWith(path, ext)) {
      path.remove_suffix(ext.size());
      break;
    }
  }
  for (std::string_view ext : {".jsonl", ".json", ".ndjson"}) {
    if (EndsWith(path, ext)) return RecordFormat::kJsonl;
  }
  if (EndsWith(path, ".txt")) return RecordFormat::kPlainText;
  for (std::string_view ext : {".warc", ".wet", ".wat"}) {
    if (EndsWith(path, ext)) return RecordFormat::kWarc;
  }
  if (EndsWith(path, ".arc")) return RecordFormat::kArc;
  return RecordFormat::kAuto;
}

std::unique_ptr<RecordReader> NewRecordReader(
    std::unique_ptr<InputStream> stream, const std::string& path,
    uint32_t file_index, const ReaderOptions& options, RecordFormat format) {
  if (format == RecordFormat::kAuto) {
    // The content decides between crawl archives and the rest, then the
    // name, then the first non-whitespace byte (after an optional BOM).
    std::string prefix;
    Status status = ReadPrefix(stream.get(), 16, &prefix);
    std::string_view head(prefix);
    if (head.substr(0, 5) == "WARC/") {
      format = RecordFormat::kWarc;
    } else if (head.substr(0, 11) == "filedesc://") {
      format = RecordFormat::kArc;
    } else {
      format = FormatFromName(path);
    }
    if (format == RecordFormat::kAuto) {
      constexpr size_t kSniffLimit = 64 << 10;
      format = RecordFormat::kPlainText;
      size_t pos = 0;
      for (;;) {
        if (pos == 0 && prefix.size() >= 3 &&
            std::memcmp(prefix.data(), "\xEF\xBB\xBF", 3) == 0) {
          pos = 3;
        }
        while (pos < prefix.size() &&
               (prefix[pos] == ' ' || prefix[pos] == '\t' ||
                prefix[pos] == '\r' || prefix[pos] == '\n')) {
          ++pos;
        }
        if (pos < prefix.size()) {
          if (prefix[pos] == '{') format = RecordFormat::kJsonl;
          break;
        }
        if (!status.ok() || prefix.size() >= kSniffLimit) break;
        size_t before = prefix.size();
        status = ReadPrefix(stream.get(), before + 1, &prefix);
        if (prefix.size() == before) break;
      }
    }
    stream = std::make_unique<PrefixedStream>(std::move(stream),
                                              std::move(prefix), status);
  }
  switch (format) {
    case RecordFormat::kJsonl:
      return formats_internal::NewJsonlReader(std::move(stream), path,
                                              file_index, options);
    case RecordFormat::kWarc:
      return formats_internal::NewWarcReader(std::move(stream), path,
                                             file_index, options);
    case RecordFormat::kArc:
      return formats_internal::NewArcReader(std::move(stream), path,
                                            file_index, options);
    default:
      break;
  }
  return std::make_unique<PlainTextReader>(std::move(stream), path,
                                           file_index, options);
}

Result<std::unique_ptr<RecordReader>> OpenRecordReader(
    const std::string& path, uint32_t file_index,
    const ReaderOptions& options) {
  auto stream = OpenInputStream(path, options.input);
  if (!stream.ok()) return stream.status();
  return NewRecordReader(std::move(stream).value(), path, file_index, options);
}

}  // namespace winnow
