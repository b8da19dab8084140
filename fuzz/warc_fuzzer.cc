// libFuzzer target: the WARC and ARC readers (plain and gzip input, which
// the memory stream detects) and the HTTP head parser and body decoder.
// Inputs are capped at 1 MiB; the limits are set low so that the
// too-large paths are reached too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "formats/http_payload.h"
#include "formats/record_reader.h"
#include "io/input_stream.h"

namespace {

constexpr size_t kMaxInput = 1 << 20;

void Drain(std::string_view data, winnow::RecordFormat format) {
  winnow::ReaderOptions options;
  options.max_record_bytes = 64 << 10;
  options.warc.max_payload_bytes = 256 << 10;
  options.warc.mime_types.clear();
  options.warc.min_status = 0;
  options.warc.max_status = 999;
  winnow::InputLimits limits;
  limits.max_decompressed_bytes = 8 << 20;
  auto reader = winnow::NewRecordReader(winnow::NewMemoryInputStream(data, limits),
                                        "fuzz", 0, options, format);
  winnow::Document doc;
  winnow::Rejection rej;
  for (int i = 0; i < 100000; ++i) {
    auto n = reader->Read(&doc, &rej);
    if (n == winnow::RecordReader::Next::kEnd) break;
    if (n == winnow::RecordReader::Next::kDocument &&
        !winnow::IsValidUtf8(doc.text)) {
      __builtin_trap();
    }
    if (n == winnow::RecordReader::Next::kRejected &&
        !winnow::IsValidUtf8(rej.excerpt)) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes), size);
  // The first byte picks the reader.
  if (data.empty()) return 0;
  char mode = data[0];
  data.remove_prefix(1);
  if ((mode & 3) == 0) {
    Drain(data, winnow::RecordFormat::kWarc);
  } else if ((mode & 3) == 1) {
    Drain(data, winnow::RecordFormat::kArc);
  } else if ((mode & 3) == 2) {
    Drain(data, winnow::RecordFormat::kAuto);
  } else {
    winnow::HttpResponseHead head;
    if (winnow::ParseHttpResponseHead(data, &head)) {
      winnow::HttpBodyDecoder decoder;
      std::string_view out;
      bool chunked = false;
      decoder.Decode(head, data.substr(head.body_offset), 64 << 10, &out,
                     &chunked);
    }
    std::string dechunked;
    winnow::DecodeChunked(data, 64 << 10, &dechunked);
  }
  return 0;
}
