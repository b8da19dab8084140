#include "in_memory.h"

#include <utility>

#include "pipeline/corpus_stage.h"
#include "pipeline/limits.h"
#include "pipeline/steps.h"

namespace winnow::python {

Result<std::unique_ptr<DocumentProcessor>> DocumentProcessor::Create(
    const std::vector<StepSpec>& specs, const JobLimits& limits) {
  std::unique_ptr<DocumentProcessor> p(new DocumentProcessor());
  for (const StepSpec& s : specs) {
    if (IsCorpusStepType(s.type))
      return Status::InvalidArgument(
          "step '" + s.name + "' (" + s.type +
          ") is corpus-wide and needs every document of the job: run it over "
          "files with winnow.run(); process() takes per-document steps only");
  }
  // The same steps a job runs (implicit drop_empty and extract_html first).
  p->specs_ = WithImplicitSteps(specs);
  Result<std::vector<std::unique_ptr<Step>>> steps = MakeSteps(p->specs_);
  if (!steps.ok()) return steps.status();
  p->steps_ = std::move(steps).value();
  for (const StepSpec& s : p->specs_) p->counters_.emplace_back(s.name, Counters());
  // No reader and no corpus-wide step: nothing set aside but the worker's
  // fixed part.
  Result<WorkerMemoryPlan> memory =
      PlanWorkerMemory(limits, /*max_record_bytes=*/0, /*map_memory_bytes=*/0, p->specs_);
  if (!memory.ok()) return memory.status();
  p->limits_ = limits;
  p->max_text_bytes_ = std::move(memory.value().max_text_bytes);
  return p;
}

bool DocumentProcessor::Process(Document* doc) {
  doc->work = SegmentWorkMeter(limits_);
  for (size_t s = 0; s < steps_.size(); ++s) {
    StepResult r =
        RunStep(steps_[s].get(), s == 0, max_text_bytes_[s], doc, &counters_[s].second);
    if (!r.keep) {
      doc->removed_by = specs_[s].name;
      doc->reason = std::move(r.reason);
      doc->details = std::move(r.details);
      return false;
    }
  }
  return true;
}

namespace {

constexpr const char* kQualityFilters[] = {"gopher_repetition", "gopher_quality",
                                           "c4_quality", "fineweb_quality"};

}  // namespace

Result<std::unique_ptr<QualitySignaler>> QualitySignaler::Create(
    const std::map<std::string, std::map<std::string, std::string>>& overrides) {
  for (const auto& [type, options] : overrides) {
    bool known = false;
    for (const char* f : kQualityFilters) known |= (type == f);
    if (!known)
      return Status::InvalidArgument(
          "quality signals: '" + type +
          "' is not one of gopher_repetition, gopher_quality, c4_quality, "
          "fineweb_quality");
  }
  std::vector<StepSpec> specs;
  for (const char* f : kQualityFilters) {
    StepSpec spec;
    spec.type = spec.name = f;
    auto it = overrides.find(f);
    if (it != overrides.end()) spec.options = it->second;
    spec.options["write_signals"] = "true";
    specs.push_back(std::move(spec));
  }
  Result<std::vector<std::unique_ptr<Step>>> steps = MakeSteps(specs);
  if (!steps.ok()) return steps.status();
  std::unique_ptr<QualitySignaler> q(new QualitySignaler());
  q->steps_ = std::move(steps).value();
  return q;
}

std::vector<FilterVerdict> QualitySignaler::Compute(const std::string& text) {
  std::vector<FilterVerdict> out;
  for (const auto& step : steps_) {
    doc_.Clear();
    doc_.text = text;  // c4_quality rewrites the text: a fresh copy each
    StepResult r = step->Process(&doc_, &counters_);
    FilterVerdict v;
    v.step = std::string(step->name());
    v.keep = r.keep;
    v.reason = std::move(r.reason);
    v.details = std::move(r.details);
    v.signals = "{}";
    for (const JsonField& f : doc_.signals)
      if (f.key == v.step) v.signals = f.raw;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace winnow::python
