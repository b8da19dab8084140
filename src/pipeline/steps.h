// The registry of every built-in step and construction of a job's steps.
#ifndef WINNOW_PIPELINE_STEPS_H_
#define WINNOW_PIPELINE_STEPS_H_

#include <memory>
#include <vector>

#include "pipeline/config.h"
#include "winnow/step.h"

namespace winnow {

// All built-in steps (text cleaning, quality filters, pipeline's own).
// Thread-safe; built once.
const StepRegistry& BuiltinSteps();

// Instantiates the steps of a job, in order. Each step's name() is its
// spec's name, and the signals it records are stored under that name (not
// under its type). Returns InvalidArgument for an unknown type, a duplicate
// name, or a bad/unknown option.
Result<std::vector<std::unique_ptr<Step>>> MakeSteps(
    const std::vector<StepSpec>& specs);

// True when `text` is empty or only ASCII whitespace.
bool IsBlank(std::string_view text);

// The steps a job actually runs for `specs`: every job starts by dropping
// blank records and, unless it places `extract_html` itself, by extracting
// the main content of HTML records (text documents pass through it).
std::vector<StepSpec> WithImplicitSteps(const std::vector<StepSpec>& specs);

// Runs one step on *doc. A step other than the first that leaves the text
// blank removes the document with reason "empty", as every job does.
StepResult RunStep(Step* step, bool first, Document* doc, Counters* counters);

// RunStep under the job's limits (docs/RELIABILITY.md "Limits"): a document
// whose text is longer than `max_text_bytes` is removed with reason
// "memory_limit" before the step runs; otherwise the step is charged the
// bytes it receives on doc->work, and a document whose work exceeds its
// budget (before the step, or after the step charged its own loops) is
// removed with reason "work_limit"; that reason wins over "empty" when both
// hold. Otherwise the same as the plain RunStep. The caller sets doc->work
// per document.
StepResult RunStep(Step* step, bool first, uint64_t max_text_bytes, Document* doc,
                   Counters* counters);

}  // namespace winnow

#endif  // WINNOW_PIPELINE_STEPS_H_
