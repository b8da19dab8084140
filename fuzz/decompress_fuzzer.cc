// libFuzzer target: the decompression layer (gzip, multi-member gzip, zstd
// frames, plain bytes, chosen from the first bytes). Reading must terminate,
// never deliver more than the decompressed-size limit, and once it fails
// keep failing with nothing delivered. gzip's fast path (ISA-L) must give
// exactly what zlib alone gives: the same bytes, then the same status.
#include <string>

#include "fuzz_check.h"
#include "io/input_stream.h"

namespace {

struct Outcome {
  std::string bytes;
  winnow::Status status;
};

Outcome Drain(std::string_view input, winnow::GzipDecoder decoder,
              size_t chunk) {
  winnow::InputLimits limits;
  limits.max_decompressed_bytes = 8 << 20;
  auto stream = winnow::NewMemoryInputStream(input, limits, decoder);
  Outcome out;
  std::string buf(chunk, '\0');
  for (;;) {
    size_t got = 0;
    out.status = stream->Read(buf.data(), buf.size(), &got);
    out.bytes.append(buf.data(), got);
    FUZZ_CHECK(out.bytes.size() <= limits.max_decompressed_bytes);
    FUZZ_CHECK(stream->bytes_read() == out.bytes.size());
    if (!out.status.ok()) {
      FUZZ_CHECK(got == 0);
      size_t again = 1;
      FUZZ_CHECK(!stream->Read(buf.data(), buf.size(), &again).ok() &&
                 again == 0);
      break;
    }
    if (got == 0) break;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kFuzzMaxInput) return 0;
  std::string_view input = FuzzBytes(data, size);
  // The read size varies with the input (its length), within 1..4096.
  const size_t chunk = 1 + size % 4096;
  Outcome fast = Drain(input, winnow::GzipDecoder::kFast, chunk);
  if (winnow::DetectCompression(input) != winnow::Compression::kGzip) {
    return 0;
  }
  Outcome zlib = Drain(input, winnow::GzipDecoder::kZlib, 4096);
  FUZZ_CHECK(fast.bytes == zlib.bytes);
  FUZZ_CHECK(fast.status.code() == zlib.status.code());
  FUZZ_CHECK(fast.status.message() == zlib.status.message());
  return 0;
}
