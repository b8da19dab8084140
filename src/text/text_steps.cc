#include "text/text_steps.h"

#include <memory>
#include <utility>

#include "core/utf8.h"
#include "text/char_cleaning.h"
#include "text/glued_sentences.h"
#include "text/leaked_markup.h"
#include "text/nav_runs.h"
#include "text/page_layout.h"

namespace winnow {
namespace {

using text::ControlCharOptions;
using text::HeadlineEchoOptions;
using text::LeakedMarkupOptions;
using text::NavRunOptions;
using text::SiteChromeOptions;
using text::WhitespaceOptions;

void AddIfPositive(Counters* counters, std::string_view name, int64_t n) {
  if (n > 0) counters->Add(name, n);
}

// Base of the cleaning steps: runs Clean() unless disabled, swaps the
// rewritten text in and counts changed documents.
class TextStep : public Step {
 public:
  TextStep(std::string_view name, bool enabled) : name_(name), enabled_(enabled) {}

  std::string_view name() const override { return name_; }

  StepResult Process(Document* doc, Counters* counters) override {
    if (!enabled_ || doc->text.empty()) return StepResult::Keep();
    if (Clean(doc->text, &scratch_, counters)) {
      doc->text.swap(scratch_);
      counters->Add("docs_changed");
    }
    return StepResult::Keep();
  }

 protected:
  // Writes the cleaned text to *out and returns true, or returns false when
  // `in` needs no change.
  virtual bool Clean(const std::string& in, std::string* out,
                     Counters* counters) = 0;

 private:
  std::string_view name_;
  bool enabled_;
  std::string scratch_;
};

class FixUtf8Step : public TextStep {
 public:
  explicit FixUtf8Step(bool enabled) : TextStep("fix_utf8", enabled) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    if (IsValidUtf8(in)) return false;
    out->clear();
    size_t replaced = AppendRepairedUtf8(in, out);
    AddIfPositive(counters, "sequences_replaced", static_cast<int64_t>(replaced));
    return replaced > 0;
  }
};

class NormalizeUnicodeStep : public TextStep {
 public:
  explicit NormalizeUnicodeStep(bool enabled)
      : TextStep("normalize_unicode", enabled) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    switch (text::NormalizeNfc(in, out)) {
      case text::NfcOutcome::kChanged:
        return true;
      case text::NfcOutcome::kInvalid:
        counters->Add("docs_invalid_utf8");
        return false;
      case text::NfcOutcome::kUnchanged:
        return false;
    }
    return false;
  }
};

class DropControlCharsStep : public TextStep {
 public:
  DropControlCharsStep(bool enabled, ControlCharOptions options)
      : TextStep("drop_control_chars", enabled), options_(options) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    text::ControlCharStats stats;
    bool changed = text::DropControlChars(in, options_, out, &stats);
    AddIfPositive(counters, "chars_dropped", stats.chars_dropped);
    AddIfPositive(counters, "line_breaks_normalized", stats.line_breaks_normalized);
    return changed;
  }

 private:
  ControlCharOptions options_;
};

class NormalizeWhitespaceStep : public TextStep {
 public:
  NormalizeWhitespaceStep(bool enabled, WhitespaceOptions options)
      : TextStep("normalize_whitespace", enabled), options_(options) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters*) override {
    return text::NormalizeWhitespace(in, options_, out);
  }

 private:
  WhitespaceOptions options_;
};

class RemoveNavRunsStep : public TextStep {
 public:
  RemoveNavRunsStep(bool enabled, NavRunOptions options)
      : TextStep("remove_nav_runs", enabled), remover_(options) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    text::NavRunStats stats;
    bool changed = remover_.Remove(in, out, &stats);
    AddIfPositive(counters, "runs_removed", stats.runs_removed);
    AddIfPositive(counters, "lines_removed", stats.lines_removed);
    return changed;
  }

 private:
  text::NavRunRemover remover_;
};

class FixLeakedMarkupStep : public TextStep {
 public:
  FixLeakedMarkupStep(bool enabled, LeakedMarkupOptions options)
      : TextStep("fix_leaked_markup", enabled), fixer_(options) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    text::LeakedMarkupStats stats;
    bool changed = fixer_.Fix(in, out, &stats);
    AddIfPositive(counters, "entities_decoded", stats.entities_decoded);
    AddIfPositive(counters, "headings_fixed", stats.headings_fixed);
    AddIfPositive(counters, "tags_removed", stats.tags_removed);
    return changed;
  }

 private:
  text::LeakedMarkupFixer fixer_;
};

class SplitGluedSentencesStep : public TextStep {
 public:
  explicit SplitGluedSentencesStep(bool enabled)
      : TextStep("split_glued_sentences", enabled) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    int64_t n = text::SplitGluedSentences(in, out);
    AddIfPositive(counters, "sentences_split", n);
    return n > 0;
  }
};

class DropHeadlineEchoStep : public TextStep {
 public:
  DropHeadlineEchoStep(bool enabled, HeadlineEchoOptions options)
      : TextStep("drop_headline_echo", enabled), options_(options) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters*) override {
    return text::DropHeadlineEcho(in, options_, out);
  }

 private:
  HeadlineEchoOptions options_;
};

class DropSiteChromeStep : public TextStep {
 public:
  DropSiteChromeStep(bool enabled, SiteChromeOptions options)
      : TextStep("drop_site_chrome", enabled), dropper_(std::move(options)) {}

 protected:
  bool Clean(const std::string& in, std::string* out, Counters* counters) override {
    text::SiteChromeStats stats;
    bool changed = dropper_.Drop(in, out, &stats);
    AddIfPositive(counters, "lines_dropped", stats.lines_dropped);
    return changed;
  }

 private:
  text::SiteChromeDropper dropper_;
};

// Reads an integer option that must lie in [lo, hi].
Status GetBoundedInt(StepOptions& options, std::string_view key, int64_t def,
                     int64_t lo, int64_t hi, int* value) {
  int64_t v = options.GetInt(key, def);
  if (v < lo || v > hi) {
    return Status::InvalidArgument("option '" + std::string(key) + "' must be in [" +
                                   std::to_string(lo) + ", " + std::to_string(hi) +
                                   "], got " + std::to_string(v));
  }
  *value = static_cast<int>(v);
  return Status::OK();
}

template <typename S, typename... Args>
Result<std::unique_ptr<Step>> Finish(StepOptions& options, bool enabled,
                                     Args&&... args) {
  Status st = options.status();
  if (!st.ok()) return st;
  return std::unique_ptr<Step>(
      std::make_unique<S>(enabled, std::forward<Args>(args)...));
}

}  // namespace

void RegisterTextSteps(StepRegistry* registry) {
  registry->Register(
      "fix_utf8", "replace ill-formed UTF-8 with U+FFFD (maximal subparts)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        return Finish<FixUtf8Step>(o, enabled);
      });
  registry->Register(
      "normalize_unicode", "normalize text to Unicode NFC",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        return Finish<NormalizeUnicodeStep>(o, enabled);
      });
  registry->Register(
      "drop_control_chars",
      "drop control and invisible characters, unify line breaks "
      "(drop_invisible=true)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        ControlCharOptions opts;
        opts.drop_invisible = o.GetBool("drop_invisible", opts.drop_invisible);
        return Finish<DropControlCharsStep>(o, enabled, opts);
      });
  registry->Register(
      "normalize_whitespace",
      "single spaces, trimmed lines and document (max_blank_lines=1)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        WhitespaceOptions opts;
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_blank_lines", opts.max_blank_lines,
                                             0, 100, &opts.max_blank_lines));
        return Finish<NormalizeWhitespaceStep>(o, enabled, opts);
      });
  registry->Register(
      "remove_nav_runs",
      "remove navigation phrases pasted many times (min_repeats=3, "
      "max_phrase_words=8, whole_line_runs=true)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        NavRunOptions opts;
        WINNOW_RETURN_IF_ERROR(
            GetBoundedInt(o, "min_repeats", opts.min_repeats, 2, 1000, &opts.min_repeats));
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_phrase_words", opts.max_phrase_words,
                                             1, 32, &opts.max_phrase_words));
        opts.whole_line_runs = o.GetBool("whole_line_runs", opts.whole_line_runs);
        return Finish<RemoveNavRunsStep>(o, enabled, opts);
      });
  registry->Register(
      "fix_leaked_markup",
      "decode HTML entities, turn leaked heading tags into heading lines, drop "
      "literal inline tags (decode_entities, heading_tags, inline_tags = true; "
      "max_heading_chars=150)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        LeakedMarkupOptions opts;
        opts.decode_entities = o.GetBool("decode_entities", opts.decode_entities);
        opts.heading_tags = o.GetBool("heading_tags", opts.heading_tags);
        opts.inline_tags = o.GetBool("inline_tags", opts.inline_tags);
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_heading_chars",
                                             opts.max_heading_chars, 1, 10000,
                                             &opts.max_heading_chars));
        return Finish<FixLeakedMarkupStep>(o, enabled, opts);
      });
  registry->Register(
      "split_glued_sentences",
      "insert the lost space in 'end.Next' (abbreviations, numbers, domains, "
      "code left alone)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        return Finish<SplitGluedSentencesStep>(o, enabled);
      });
  registry->Register(
      "drop_headline_echo",
      "drop the last line when it repeats the headline "
      "(headline_search_lines=6, max_headline_chars=300)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        HeadlineEchoOptions opts;
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "headline_search_lines",
                                             opts.headline_search_lines, 1, 100,
                                             &opts.headline_search_lines));
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_headline_chars",
                                             opts.max_headline_chars, 1, 100000,
                                             &opts.max_headline_chars));
        return Finish<DropHeadlineEchoStep>(o, enabled, opts);
      });
  registry->Register(
      "drop_site_chrome",
      "drop site name and menu lines above the headline (max_chrome_lines=5, "
      "max_chrome_words=6, max_chrome_chars=60, menu_items=built-in list)",
      [](StepOptions& o) -> Result<std::unique_ptr<Step>> {
        bool enabled = o.GetBool("enabled", true);
        SiteChromeOptions opts;
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_chrome_lines", opts.max_chrome_lines,
                                             1, 50, &opts.max_chrome_lines));
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_chrome_words", opts.max_chrome_words,
                                             1, 50, &opts.max_chrome_words));
        WINNOW_RETURN_IF_ERROR(GetBoundedInt(o, "max_chrome_chars", opts.max_chrome_chars,
                                             1, 1000, &opts.max_chrome_chars));
        opts.menu_items = o.GetList("menu_items", text::DefaultMenuItems());
        return Finish<DropSiteChromeStep>(o, enabled, std::move(opts));
      });
}

std::vector<std::string> CleanRecipeSteps() {
  return {"fix_utf8",           "drop_control_chars",   "fix_leaked_markup",
          "normalize_unicode",  "normalize_whitespace", "remove_nav_runs",
          "split_glued_sentences", "drop_site_chrome",  "drop_headline_echo"};
}

}  // namespace winnow
