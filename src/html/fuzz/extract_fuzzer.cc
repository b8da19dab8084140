// libFuzzer target: any byte string must parse and extract without
// crashing, in both output formats, and extraction must be deterministic
// (a reused instance gives the same text twice). Inputs are capped at 1 MiB
// so that each run stays fast.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "html/extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (size_t{1} << 20)) return 0;
  std::string_view html(reinterpret_cast<const char*>(data), size);
  static winnow::html::Extractor text_extractor;
  static winnow::html::Extractor markdown_extractor([] {
    winnow::html::ExtractOptions o;
    o.format = winnow::html::OutputFormat::kMarkdown;
    o.parse.max_depth = 64;
    return o;
  }());
  winnow::html::ExtractResult first, second;
  if (!text_extractor.Extract(html, &first).ok()) __builtin_trap();
  if (!text_extractor.Extract(html, &second).ok()) __builtin_trap();
  if (first.text != second.text) __builtin_trap();
  if (!markdown_extractor.Extract(html, &second).ok()) __builtin_trap();
  return 0;
}
