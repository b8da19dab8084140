// libFuzzer target: the decompression layer (gzip, multi-member gzip, zstd
// frames, plain bytes, chosen from the first bytes). Reading must terminate,
// never deliver more than the decompressed-size limit, and once it fails
// keep failing with nothing delivered.
#include <string>

#include "fuzz_check.h"
#include "io/input_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kFuzzMaxInput) return 0;
  winnow::InputLimits limits;
  limits.max_decompressed_bytes = 8 << 20;
  auto stream = winnow::NewMemoryInputStream(FuzzBytes(data, size), limits);
  char buf[4096];
  uint64_t total = 0;
  for (;;) {
    size_t got = 0;
    const winnow::Status st = stream->Read(buf, sizeof buf, &got);
    total += got;
    FUZZ_CHECK(total <= limits.max_decompressed_bytes);
    FUZZ_CHECK(stream->bytes_read() == total);
    if (!st.ok()) {
      FUZZ_CHECK(got == 0);
      size_t again = 1;
      FUZZ_CHECK(!stream->Read(buf, sizeof buf, &again).ok() && again == 0);
      break;
    }
    if (got == 0) break;
  }
  return 0;
}
