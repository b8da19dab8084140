// libFuzzer target: the JSONL reader behind the transparent decompression
// layer. Every record is either a document with valid UTF-8 text or a
// rejection with a reason; the reader always terminates; reading the same
// bytes twice gives the same records (the reader is deterministic).
#include <string>
#include <vector>

#include "core/utf8.h"
#include "formats/record_reader.h"
#include "fuzz_check.h"
#include "io/input_stream.h"

namespace {

std::vector<std::string> Drain(std::string_view data) {
  winnow::ReaderOptions options;
  options.max_record_bytes = 64 << 10;
  winnow::InputLimits limits;
  limits.max_decompressed_bytes = 4 << 20;
  auto reader = winnow::NewRecordReader(
      winnow::NewMemoryInputStream(data, limits), "fuzz.jsonl", 0, options,
      winnow::RecordFormat::kJsonl);
  std::vector<std::string> seen;
  winnow::Document doc;
  winnow::Rejection rej;
  for (int i = 0; i < 1000000; ++i) {
    const auto next = reader->Read(&doc, &rej);
    if (next == winnow::RecordReader::Next::kEnd) return seen;
    if (next == winnow::RecordReader::Next::kDocument) {
      FUZZ_CHECK(winnow::IsValidUtf8(doc.text));
      FUZZ_CHECK(winnow::IsValidUtf8(doc.id));
      seen.push_back("D" + doc.id + '\0' + doc.text);
    } else {
      FUZZ_CHECK(!rej.reason.empty());
      FUZZ_CHECK(winnow::IsValidUtf8(rej.excerpt));
      seen.push_back("R" + rej.reason);
    }
  }
  FUZZ_CHECK(false && "reader did not terminate");
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kFuzzMaxInput) return 0;
  const std::string_view bytes = FuzzBytes(data, size);
  FUZZ_CHECK(Drain(bytes) == Drain(bytes));
  return 0;
}
