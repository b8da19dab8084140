// libFuzzer target: charset choice and conversion. Whatever the bytes and
// the declared label, the output is valid UTF-8 and the converter gives the
// same answer twice. (Only one leading byte order mark is dropped, as the
// WHATWG decoders do: a second U+FEFF is text. The fuzzer found that case;
// regressions/charset_fuzzer/repeated_bom keeps it.)
#include <string>

#include "core/utf8.h"
#include "formats/charset.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kFuzzMaxInput) return 0;
  std::string_view in = FuzzBytes(data, size);
  // The first line (up to 40 bytes) is the declared label.
  std::string_view label;
  const size_t nl = in.substr(0, 41).find('\n');
  if (nl != std::string_view::npos) {
    label = in.substr(0, nl);
    in.remove_prefix(nl + 1);
  }
  static winnow::CharsetConverter converter;
  std::string a, b;
  const auto r1 = converter.ConvertHtml(in, label, 1024, &a);
  const auto r2 = converter.ConvertHtml(in, label, 1024, &b);
  FUZZ_CHECK(winnow::IsValidUtf8(a));
  FUZZ_CHECK(a == b && r1.name == r2.name);
  converter.ConvertText(in, label, &a);
  FUZZ_CHECK(winnow::IsValidUtf8(a));
  (void)winnow::CanonicalCharset(label);
  (void)winnow::SniffMetaCharset(in);
  return 0;
}
