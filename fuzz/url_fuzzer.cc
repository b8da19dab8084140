// libFuzzer target: URL normalization for URL dedup. Normalizing is
// idempotent, keys are deterministic, and equal normal forms give equal
// keys.
#include <string>

#include "dedup/keys.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (64 << 10)) return 0;
  const std::string_view url = FuzzBytes(data, size);
  const std::string once = winnow::dedup::NormalizeUrl(url);
  const std::string twice = winnow::dedup::NormalizeUrl(once);
  FUZZ_CHECK(once == twice);
  FUZZ_CHECK(winnow::dedup::UrlKey(url) == winnow::dedup::UrlKey(once));
  return 0;
}
