#include "pipeline/steps.h"

#include <set>

#include "filters/filters.h"
#include "html/html_steps.h"
#include "lang/lang_steps.h"
#include "text/text_steps.h"

namespace winnow {
namespace {

// Removes documents whose text is empty or whitespace only. The pipeline
// puts it first in every job, so no step ever sees an empty document from
// the input (steps must still be safe on one).
class DropEmpty : public Step {
 public:
  std::string_view name() const override { return "drop_empty"; }
  StepResult Process(Document* doc, Counters*) override {
    if (IsBlank(doc->text)) return StepResult::Remove("empty");
    return StepResult::Keep();
  }
};

StepRegistry* BuildRegistry() {
  auto* r = new StepRegistry();
  r->Register("drop_empty", "remove documents whose text is empty or blank",
              [](StepOptions&) -> Result<std::unique_ptr<Step>> {
                return std::unique_ptr<Step>(new DropEmpty());
              });
  RegisterHtmlSteps(r);
  RegisterTextSteps(r);
  RegisterLangSteps(r);
  RegisterFilterSteps(r);
  return r;
}

}  // namespace

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != '\v')
      return false;
  }
  return true;
}

std::vector<StepSpec> WithImplicitSteps(const std::vector<StepSpec>& specs) {
  std::vector<StepSpec> all;
  StepSpec empty;
  empty.type = empty.name = "drop_empty";
  all.push_back(empty);
  bool has_extract = false;
  for (const StepSpec& s : specs) has_extract |= (s.type == "extract_html");
  if (!has_extract) {
    StepSpec extract;
    extract.type = extract.name = "extract_html";
    all.push_back(extract);
  }
  all.insert(all.end(), specs.begin(), specs.end());
  return all;
}

StepResult RunStep(Step* step, bool first, Document* doc, Counters* counters) {
  StepResult r = step->Process(doc, counters);
  if (r.keep && !first && IsBlank(doc->text)) r = StepResult::Remove("empty");
  return r;
}

const StepRegistry& BuiltinSteps() {
  static const StepRegistry* registry = BuildRegistry();
  return *registry;
}

Result<std::vector<std::unique_ptr<Step>>> MakeSteps(
    const std::vector<StepSpec>& specs) {
  std::vector<std::unique_ptr<Step>> steps;
  std::set<std::string> names;
  for (const StepSpec& spec : specs) {
    const StepRegistry::Entry* entry = BuiltinSteps().Find(spec.type);
    if (entry == nullptr)
      return Status::InvalidArgument("unknown step type '" + spec.type +
                                     "' (see `winnow steps`)");
    if (!names.insert(spec.name).second)
      return Status::InvalidArgument("two steps are named '" + spec.name +
                                     "'; give one a `name`");
    StepOptions options(spec.options);
    Result<std::unique_ptr<Step>> step = entry->factory(options);
    if (!step.ok())
      return Status::InvalidArgument("step '" + spec.name + "': " +
                                     step.status().message());
    Status st = options.status();
    if (!st.ok())
      return Status::InvalidArgument("step '" + spec.name + "': " + st.message());
    steps.push_back(std::move(step).value());
  }
  return steps;
}

}  // namespace winnow
