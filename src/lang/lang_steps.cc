#include "lang/lang_steps.h"

#include <charconv>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "core/json_writer.h"

namespace winnow {
namespace {

constexpr std::string_view kLanguageKey = "language";
constexpr std::string_view kScoreKey = "language_score";

// Overwrites every field named `key`, or appends one.
void SetField(std::string_view key, const std::string& raw, Document* doc) {
  bool found = false;
  for (JsonField& f : doc->metadata) {
    if (f.key != key) continue;
    f.raw = raw;
    found = true;
  }
  if (!found) doc->metadata.push_back(JsonField{std::string(key), raw});
}

// Identifies doc->text, writes the metadata and counts what happened.
LanguageGuess IdentifyAndAnnotate(LanguageIdentifier* identifier, Document* doc,
                                  Counters* counters) {
  LanguageGuess guess = identifier->Identify(doc->text);
  guess.score = RoundLanguageScore(guess.score);
  WriteLanguageMetadata(guess, doc);
  const LanguageIdStats& stats = identifier->last_stats();
  std::string name = "lang_";
  name += guess.code;
  counters->Add(name);
  if (!guess.reliable) counters->Add("unreliable");
  if (stats.truncated) counters->Add("truncated");
  if (stats.replaced > 0) counters->Add("utf8_replaced");
  if (stats.fast_path) counters->Add("fast_path");
  return guess;
}

class LanguageIdStep : public Step {
 public:
  explicit LanguageIdStep(LanguageIdOptions options) : identifier_(options) {}

  std::string_view name() const override { return "language_id"; }

  StepResult Process(Document* doc, Counters* counters) override {
    IdentifyAndAnnotate(&identifier_, doc, counters);
    return StepResult::Keep();
  }

 private:
  LanguageIdentifier identifier_;
};

class LanguageFilterStep : public Step {
 public:
  LanguageFilterStep(LanguageIdOptions options,
                     std::vector<std::string> languages, double min_score,
                     bool reuse_metadata)
      : identifier_(options),
        languages_(std::move(languages)),
        min_score_(min_score),
        reuse_metadata_(reuse_metadata) {}

  std::string_view name() const override { return "language_filter"; }

  StepResult Process(Document* doc, Counters* counters) override {
    LanguageGuess guess;
    if (reuse_metadata_ && ReadLanguageMetadata(*doc, &guess)) {
      counters->Add("reused_metadata");
    } else {
      guess = IdentifyAndAnnotate(&identifier_, doc, counters);
    }
    bool wanted = false;
    for (const std::string& l : languages_) wanted = wanted || l == guess.code;
    if (wanted && guess.score >= min_score_) return StepResult::Keep();
    return StepResult::Remove("language", JsonObjectBuilder()
                                              .Add("language", guess.code)
                                              .Add("score", guess.score)
                                              .Add("min_score", min_score_)
                                              .Finish());
  }

 private:
  LanguageIdentifier identifier_;
  std::vector<std::string> languages_;
  double min_score_;
  bool reuse_metadata_;
};

Status ReadIdOptions(StepOptions& options, LanguageIdOptions* out) {
  const int64_t max_bytes =
      options.GetInt("max_bytes", static_cast<int64_t>(out->max_bytes));
  if (max_bytes < 1 || max_bytes > (int64_t{1} << 30)) {
    return Status::InvalidArgument(
        "option 'max_bytes' must be in [1, 1073741824], got " +
        std::to_string(max_bytes));
  }
  out->max_bytes = static_cast<size_t>(max_bytes);
  out->fast_path = options.GetBool("fast_path", out->fast_path);
  return Status::OK();
}

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits list items further on commas, trims and lowercases them, and
// checks that each looks like a language code (2-3 letters or "und").
Status ParseLanguages(const std::vector<std::string>& items,
                      std::vector<std::string>* out) {
  for (const std::string& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      size_t end = item.find(',', start);
      if (end == std::string::npos) end = item.size();
      std::string_view part(item.data() + start, end - start);
      while (!part.empty() && IsAsciiSpace(part.front())) part.remove_prefix(1);
      while (!part.empty() && IsAsciiSpace(part.back())) part.remove_suffix(1);
      if (!part.empty()) {
        std::string code;
        for (char c : part) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (c < 'a' || c > 'z') {
            code.clear();
            break;
          }
          code.push_back(c);
        }
        if (code.size() < 2 || code.size() > 3) {
          return Status::InvalidArgument(
              "option 'languages': '" + std::string(part) +
              "' is not a language code (2 or 3 letters, e.g. en, de, ceb)");
        }
        out->push_back(std::move(code));
      }
      start = end + 1;
    }
  }
  if (out->empty())
    return Status::InvalidArgument("option 'languages' must name a language");
  return Status::OK();
}

Result<std::unique_ptr<Step>> CreateLanguageId(StepOptions& options) {
  LanguageIdOptions id_options;
  WINNOW_RETURN_IF_ERROR(ReadIdOptions(options, &id_options));
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(std::make_unique<LanguageIdStep>(id_options));
}

Result<std::unique_ptr<Step>> CreateLanguageFilter(StepOptions& options) {
  LanguageIdOptions id_options;
  WINNOW_RETURN_IF_ERROR(ReadIdOptions(options, &id_options));
  std::vector<std::string> languages;
  WINNOW_RETURN_IF_ERROR(
      ParseLanguages(options.GetList("languages", {"en"}), &languages));
  const double min_score = options.GetDouble("min_score", 0.65);
  if (!(min_score >= 0.0 && min_score <= 1.0)) {
    return Status::InvalidArgument(
        "option 'min_score' must be in [0, 1], got " +
        std::to_string(min_score));
  }
  const bool reuse_metadata = options.GetBool("reuse_metadata", true);
  WINNOW_RETURN_IF_ERROR(options.status());
  return std::unique_ptr<Step>(std::make_unique<LanguageFilterStep>(
      id_options, std::move(languages), min_score, reuse_metadata));
}

}  // namespace

void WriteLanguageMetadata(const LanguageGuess& guess, Document* doc) {
  std::string raw;
  AppendJsonString(guess.code, &raw);
  SetField(kLanguageKey, raw, doc);
  raw.clear();
  AppendJsonNumber(RoundLanguageScore(guess.score), &raw);
  SetField(kScoreKey, raw, doc);
}

bool ReadLanguageMetadata(const Document& doc, LanguageGuess* guess) {
  const JsonField* lang = doc.FindMetadata(kLanguageKey);
  const JsonField* score = doc.FindMetadata(kScoreKey);
  if (lang == nullptr || score == nullptr) return false;
  std::string_view code = lang->raw;
  if (code.size() < 2 || code.front() != '"' || code.back() != '"')
    return false;
  code = code.substr(1, code.size() - 2);
  if (code.find_first_of("\"\\") != std::string_view::npos) return false;
  const std::string& s = score->raw;
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() ||
      !std::isfinite(value) || value < 0.0 || value > 1.0) {
    return false;
  }
  guess->code.assign(code);
  guess->score = value;
  return true;
}

void RegisterLangSteps(StepRegistry* registry) {
  registry->Register(
      "language_id",
      "annotate metadata.language / language_score: function-word fast path, "
      "else CLD2 (max_bytes=65536, fast_path=true)",
      &CreateLanguageId);
  registry->Register(
      "language_filter",
      "keep documents in the wanted languages with score >= min_score "
      "(languages=en, min_score=0.65, reuse_metadata=true, max_bytes=65536, "
      "fast_path=true)",
      &CreateLanguageFilter);
}

}  // namespace winnow
