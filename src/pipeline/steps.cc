#include "pipeline/steps.h"

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "core/json_writer.h"
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

// A step configured under a name other than its type. Steps know only their
// type, so signals they record land under the type; this wrapper answers to
// the configured name and moves the signals it adds under that name, so two
// steps of one type (say a strict and a lax gopher_quality) keep their
// signals apart, as metadata.winnow.signals.<step name> promises.
class NamedStep final : public Step {
 public:
  NamedStep(std::unique_ptr<Step> inner, std::string name)
      : inner_(std::move(inner)), name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  StepResult Process(Document* doc, Counters* counters) override {
    const size_t before = doc->signals.size();
    StepResult r = inner_->Process(doc, counters);
    for (size_t i = before; i < doc->signals.size(); ++i) {
      if (doc->signals[i].key == inner_->name()) doc->signals[i].key = name_;
    }
    return r;
  }

 private:
  std::unique_ptr<Step> inner_;
  std::string name_;
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

namespace {

// The rule every job applies after a step: a step other than the first that
// keeps the document but leaves its text blank removes it as "empty".
// In place: the result is not copied on its way out of RunStep.
void RemoveIfLeftBlank(bool first, const Document& doc, StepResult* r) {
  if (r->keep && !first && IsBlank(doc.text)) *r = StepResult::Remove("empty");
}

StepResult WorkLimit(const WorkMeter& work) {
  return StepResult::Remove("work_limit",
                            JsonObjectBuilder()
                                .Add("work", static_cast<int64_t>(work.used))
                                .Add("max_document_work", static_cast<int64_t>(work.budget))
                                .Finish());
}

}  // namespace

StepResult RunStep(Step* step, bool first, Document* doc, Counters* counters) {
  StepResult r = step->Process(doc, counters);
  RemoveIfLeftBlank(first, *doc, &r);
  return r;
}

StepResult RunStep(Step* step, bool first, uint64_t max_text_bytes, Document* doc,
                   Counters* counters) {
  const uint64_t size = doc->text.size();
  if (size > max_text_bytes) {
    return StepResult::Remove("memory_limit",
                              JsonObjectBuilder()
                                  .Add("text_bytes", static_cast<int64_t>(size))
                                  .Add("max_text_bytes", static_cast<int64_t>(max_text_bytes))
                                  .Finish());
  }
  doc->work.Charge(size);
  if (doc->work.exhausted()) return WorkLimit(doc->work);
  StepResult r = step->Process(doc, counters);
  // A step that stopped early on an exhausted meter says keep. The work
  // limit takes precedence over the blank rule: a document that ran out of
  // work was not finished by the step, so its text says nothing.
  if (r.keep && doc->work.exhausted()) return WorkLimit(doc->work);
  RemoveIfLeftBlank(first, *doc, &r);
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
    std::unique_ptr<Step> made = std::move(step).value();
    if (!spec.name.empty() && made->name() != spec.name)
      made = std::make_unique<NamedStep>(std::move(made), spec.name);
    steps.push_back(std::move(made));
  }
  return steps;
}

}  // namespace winnow
