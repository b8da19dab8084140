#include "html/html_steps.h"

#include <memory>
#include <string>
#include <utility>

#include "core/json_writer.h"
#include "html/extractor.h"

namespace winnow {
namespace {

using html::ExtractOptions;
using html::ExtractResult;
using html::Extractor;

class ExtractHtmlStep : public Step {
 public:
  explicit ExtractHtmlStep(const ExtractOptions& options) : extractor_(options) {}

  std::string_view name() const override { return "extract_html"; }

  StepResult Process(Document* doc, Counters* counters) override {
    if (doc->format != TextFormat::kHtml) {
      counters->Add("not_html");
      return StepResult::Keep();
    }
    Status st = extractor_.Extract(doc->text, &result_);
    if (!st.ok()) {
      JsonObjectBuilder b;
      b.Add("error", st.ToString());
      return StepResult::Remove("extraction_error", b.Finish());
    }
    if (result_.truncated) counters->Add("truncated");
    if (result_.depth_limited > 0) counters->Add("depth_limited");
    if (result_.used_fallback) counters->Add("fallback_used");
    if (result_.text.empty()) {
      counters->Add("no_content");
      return StepResult::Remove("no_content");
    }
    doc->text.swap(result_.text);
    doc->format = TextFormat::kText;
    AddField(doc, "title", result_.title);
    AddField(doc, "date", result_.date);
    AddField(doc, "author", result_.author);
    AddField(doc, "canonical_url", result_.canonical_url);
    AddField(doc, "declared_language", result_.declared_language);
    counters->Add("docs_extracted");
    return StepResult::Keep();
  }

 private:
  static void AddField(Document* doc, std::string_view key, const std::string& value) {
    if (value.empty() || doc->FindMetadata(key) != nullptr) return;
    JsonField f;
    f.key.assign(key);
    AppendJsonString(value, &f.raw);
    doc->metadata.push_back(std::move(f));
  }

  Extractor extractor_;
  ExtractResult result_;
};

}  // namespace

void RegisterHtmlSteps(StepRegistry* registry) {
  registry->Register(
      "extract_html",
      "main-content extraction from HTML documents (format=text|markdown); "
      "removes pages without content as no_content",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        ExtractOptions opts;
        std::string format = o.GetString("format", "text");
        if (format == "text") {
          opts.format = html::OutputFormat::kText;
        } else if (format == "markdown") {
          opts.format = html::OutputFormat::kMarkdown;
        } else {
          return Status::InvalidArgument("extract_html: format must be text or markdown, got '" +
                                         format + "'");
        }
        int64_t max_input = o.GetInt("max_input_bytes", static_cast<int64_t>(opts.max_input_bytes));
        int64_t max_depth = o.GetInt("max_depth", static_cast<int64_t>(opts.parse.max_depth));
        int64_t max_nodes = o.GetInt("max_nodes", static_cast<int64_t>(opts.parse.max_nodes));
        int64_t retry = o.GetInt("retry_below_chars", static_cast<int64_t>(opts.retry_below_chars));
        opts.include_tables = o.GetBool("include_tables", opts.include_tables);
        WINNOW_RETURN_IF_ERROR(o.status());
        if (max_input < 1 || max_input > (int64_t{1} << 31))
          return Status::InvalidArgument("extract_html: max_input_bytes must be in [1, 2^31]");
        if (max_depth < 1 || max_depth > 60000)
          return Status::InvalidArgument("extract_html: max_depth must be in [1, 60000]");
        if (max_nodes < 16 || max_nodes > (int64_t{1} << 28))
          return Status::InvalidArgument("extract_html: max_nodes must be in [16, 2^28]");
        if (retry < 0)
          return Status::InvalidArgument("extract_html: retry_below_chars must be >= 0");
        opts.max_input_bytes = static_cast<size_t>(max_input);
        opts.parse.max_depth = static_cast<size_t>(max_depth);
        opts.parse.max_nodes = static_cast<size_t>(max_nodes);
        opts.retry_below_chars = static_cast<size_t>(retry);
        return std::unique_ptr<Step>(std::make_unique<ExtractHtmlStep>(opts));
      });
}

}  // namespace winnow
