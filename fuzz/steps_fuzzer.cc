// libFuzzer target: every per-document step of the built-in registry (the
// cleaning steps of recipe `clean`, HTML extraction, language
// identification, the quality filters) applied in recipe order to one
// document made of the input bytes. Whatever the text: no crash, no hang,
// a removed document always has a reason, and after fix_utf8 the text stays
// valid UTF-8 through every later step.
#include <memory>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "fuzz_check.h"
#include "pipeline/steps.h"
#include "text/text_steps.h"
#include "winnow/document.h"

namespace {

std::vector<std::unique_ptr<winnow::Step>> MakeChain() {
  std::vector<std::string> types = winnow::CleanRecipeSteps();
  for (const char* t : {"language_id", "gopher_repetition", "gopher_quality",
                        "c4_quality", "fineweb_quality"})
    types.push_back(t);
  std::vector<std::unique_ptr<winnow::Step>> chain;
  for (const std::string& type : types) {
    const auto* entry = winnow::BuiltinSteps().Find(type);
    if (entry == nullptr) continue;  // a step this build does not have
    winnow::StepOptions options;
    if (type.find("quality") != std::string::npos ||
        type == "gopher_repetition")
      options.Set("write_signals", "true");
    auto step = entry->factory(options);
    FUZZ_CHECK(step.ok());
    chain.push_back(std::move(step).value());
  }
  return chain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (kFuzzMaxInput >> 2)) return 0;
  static std::vector<std::unique_ptr<winnow::Step>> chain = MakeChain();
  winnow::Document doc;
  doc.id = "fuzz";
  doc.text.assign(FuzzBytes(data, size));
  winnow::Counters counters;
  bool repaired = false;
  for (auto& step : chain) {
    const winnow::StepResult r = step->Process(&doc, &counters);
    if (!r.keep) {
      FUZZ_CHECK(!r.reason.empty());
      break;
    }
    if (step->name() == "fix_utf8") repaired = true;
    if (repaired) FUZZ_CHECK(winnow::IsValidUtf8(doc.text));
  }
  return 0;
}
