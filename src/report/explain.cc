#include "report/explain.h"

#include <simdjson.h>

#include <cstdio>
#include <optional>

#include "core/json_writer.h"
#include "pipeline/spill.h"
#include "report/html.h"
#include "report/line_diff.h"
#include "report/run_output.h"

namespace winnow::report {
namespace {

struct FoundRecord {
  std::string shard;
  uint64_t line = 0;
  bool kept = false;
  std::string text;
  std::string removed_by, reason, details;
  std::vector<std::pair<std::string, std::string>> signals;      // step -> raw object
  std::vector<std::pair<std::string, std::string>> annotations;  // other winnow keys
  std::string dedup;  // raw metadata.dedup
  std::string url, language;
};

std::string IdOf(simdjson::dom::object rec) {
  simdjson::dom::element e;
  if (rec["id"].get(e)) return {};
  std::string_view sv;
  if (!e.get(sv)) return std::string(sv);
  return simdjson::minify(e);
}

// Finds the first record with `id` in kept/ then removed/.
std::optional<FoundRecord> FindInOutput(const std::string& out_dir, const std::string& id) {
  std::string needle;
  AppendJsonString(id, &needle);
  simdjson::dom::parser parser;
  std::optional<FoundRecord> found;
  for (const char* sub : {"kept", "removed"}) {
    for (const std::string& shard : ListShards(out_dir, sub)) {
      uint64_t line_no = 0;
      ForEachLine(shard, [&](std::string_view line) {
        ++line_no;
        if (line.find(needle) == std::string_view::npos && line.find(id) == std::string_view::npos)
          return true;
        simdjson::dom::object rec;
        if (parser.parse(line.data(), line.size()).get(rec) || IdOf(rec) != id) return true;
        FoundRecord f;
        f.shard = shard;
        f.line = line_no;
        f.kept = std::string_view(sub) == "kept";
        std::string_view sv;
        if (!rec["text"].get(sv)) f.text = std::string(sv);
        simdjson::dom::object meta, w, sig;
        if (!rec["metadata"].get(meta)) {
          if (!meta["url"].get(sv)) f.url = std::string(sv);
          if (!meta["language"].get(sv)) f.language = std::string(sv);
          simdjson::dom::element d;
          if (!meta["dedup"].get(d)) f.dedup = simdjson::minify(d);
          if (!meta["winnow"].get(w)) {
            for (auto field : w) {
              std::string key(field.key);
              if (key == "removed_by" && !field.value.get(sv)) f.removed_by = std::string(sv);
              else if (key == "reason" && !field.value.get(sv)) f.reason = std::string(sv);
              else if (key == "details") f.details = simdjson::minify(field.value);
              else if (key == "signals" && !field.value.get(sig)) {
                for (auto s : sig) f.signals.emplace_back(std::string(s.key), simdjson::minify(s.value));
              } else {
                f.annotations.emplace_back(key, simdjson::minify(field.value));
              }
            }
          }
        }
        found = std::move(f);
        return false;
      });
      if (found) return found;
    }
  }
  return found;
}

std::string Pretty(const std::string& raw_object) {
  // {"a":1,"b":2} -> a=1, b=2
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  simdjson::padded_string p(raw_object);
  if (parser.parse(p).get(obj)) return raw_object;
  std::string out;
  for (auto f : obj) {
    if (!out.empty()) out += ", ";
    out += std::string(f.key) + "=";
    std::string_view sv;
    if (!f.value.get(sv))
      out += std::string(sv);
    else
      out += simdjson::minify(f.value);
  }
  return out;
}

void Line(std::string* out, const std::string& s) { *out += s + "\n"; }

}  // namespace

Status ExplainDocument(const std::string& out_dir, const std::string& id,
                       const ExplainOptions& options, std::string* out) {
  RunInfo info;
  WINNOW_RETURN_IF_ERROR(LoadRunInfo(out_dir, &info));
  std::optional<FoundRecord> rec = FindInOutput(out_dir, id);

  // The original record and, for duplicates, the kept copy, in one pass.
  std::optional<uint64_t> survivor;
  auto cluster_of = [](const std::string& raw) -> std::optional<uint64_t> {
    simdjson::dom::parser p;
    simdjson::padded_string ps(raw);
    simdjson::dom::object o;
    int64_t cid = 0;
    if (p.parse(ps).get(o) || o["cluster_id"].get(cid)) return std::nullopt;
    return static_cast<uint64_t>(cid);
  };
  if (rec && rec->reason == "duplicate") survivor = cluster_of(rec->details);
  if (rec && !rec->dedup.empty()) survivor = cluster_of(rec->dedup);

  bool have_input = false;
  Document original;
  uint32_t in_file = 0;
  uint64_t in_ordinal = 0;
  std::string kept_copy_id, kept_copy_text;
  std::vector<std::string> missing;
  if (options.use_inputs) {
    bool found_kept = !survivor.has_value();
    Status st = ScanInputs(
        info,
        [&](uint32_t file, uint64_t ordinal, const Document& doc) {
          if (!have_input && doc.id == id) {
            have_input = true;
            original = doc;
            in_file = file;
            in_ordinal = ordinal;
          }
          if (survivor && ((uint64_t{file} << 40) | ordinal) == *survivor) {
            kept_copy_id = doc.id;
            kept_copy_text = doc.text;
            found_kept = true;
          }
          return !(have_input && found_kept);
        },
        &missing);
    if (!st.ok()) Line(out, "note: re-reading the inputs failed: " + st.ToString());
  }
  if (!rec && !have_input)
    return Status::NotFound("no document with id '" + id + "' in " + out_dir +
                            (missing.empty() ? "" : " (some inputs were not found to search)"));

  Line(out, "document " + id);
  if (rec) {
    Line(out, std::string("  status:   ") + (rec->kept ? "KEPT" : "REMOVED"));
    Line(out, "  shard:    " + rec->shard + " (line " + std::to_string(rec->line) + ")");
    if (!rec->url.empty()) Line(out, "  url:      " + rec->url);
    if (!rec->language.empty()) Line(out, "  language: " + rec->language);
    if (!rec->kept) {
      Line(out, "  removed by step '" + rec->removed_by + "', reason '" + rec->reason + "'");
      if (!rec->details.empty()) Line(out, "  deciding values: " + Pretty(rec->details));
    }
  } else {
    Line(out, "  status:   not in kept/ or removed/ (rejected, or the run did not finish)");
  }
  if (have_input)
    Line(out, "  input:    " + info.inputs[in_file] + ", document #" + std::to_string(in_ordinal) +
                  " (byte offset " + std::to_string(original.pos.offset) + ")");
  for (const std::string& m : missing) Line(out, "  note: input not found: " + m);

  if (survivor) {
    std::string where = info.inputs.size() > DocumentFileIndex(*survivor) ? info.inputs[DocumentFileIndex(*survivor)] : "?";
    std::string who = kept_copy_id.empty() ? "(inputs not re-read)" : kept_copy_id;
    if (!kept_copy_id.empty() && kept_copy_id == id) {
      Line(out, "  duplicates: this document is the kept copy of its cluster (" + Pretty(rec->dedup) + ")");
    } else {
      Line(out, "  kept copy: " + who + " (" + where + ", document #" +
                    std::to_string(DocumentOrdinal(*survivor)) + ")");
      if (!kept_copy_text.empty())
        Line(out, "    \"" + Truncated(kept_copy_text.substr(0, kept_copy_text.find('\n')), 160) + "\"");
      if (!kept_copy_id.empty()) {
        std::optional<FoundRecord> k = FindInOutput(out_dir, kept_copy_id);
        if (k) Line(out, "    now in " + k->shard + (k->kept ? " (kept)" : " (removed: " + k->reason + ")"));
      }
    }
  }
  if (rec && !rec->signals.empty()) {
    Line(out, "  recorded signals:");
    for (const auto& [step, raw] : rec->signals) Line(out, "    " + step + ": " + Pretty(raw));
  }
  if (rec && !rec->annotations.empty()) {
    Line(out, "  annotations:");
    for (const auto& [k, raw] : rec->annotations) Line(out, "    " + k + ": " + raw);
  }

  // Replay.
  std::string cleaned;
  if (have_input && info.has_job_json) {
    Line(out, "");
    Line(out, "steps (replayed on the input record with this winnow; signals always on):");
    std::vector<ReplayStep> steps = BuildReplaySteps(info, true);
    Document doc = original;
    doc.signals.clear();
    Counters counters;
    bool removed = false;
    std::string removed_step, removed_reason;
    size_t i = 0;
    for (ReplayStep& r : steps) {
      ++i;
      char num[16];
      std::snprintf(num, sizeof(num), "  %2zu. ", i);
      std::string head = num + r.spec.name + (r.spec.type != r.spec.name ? " (" + r.spec.type + ")" : "");
      if (removed) {
        Line(out, head + ": not reached");
        continue;
      }
      if (r.corpus_wide) {
        bool by_this = rec && !rec->kept && rec->removed_by == r.spec.name;
        if (by_this) {
          removed = true;
          removed_step = r.spec.name;
          removed_reason = rec->reason;
          Line(out, head + ": REMOVED (corpus-wide decision) " + rec->reason +
                        (rec->details.empty() ? "" : " [" + Pretty(rec->details) + "]"));
        } else if (rec && !rec->dedup.empty()) {
          Line(out, head + ": kept, annotated " + Pretty(rec->dedup));
        } else {
          Line(out, head + ": kept (corpus-wide: not a duplicate, per the run's output)");
        }
        continue;
      }
      if (!r.step) {
        Line(out, head + ": cannot replay: " + r.error);
        continue;
      }
      std::string before = doc.text;
      size_t sig_before = doc.signals.size();
      StepResult res = r.step->Process(&doc, &counters);
      if (res.keep && i > 1 && doc.text.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
        res = StepResult::Remove("empty");
      std::string what;
      if (!res.keep) {
        removed = true;
        removed_step = r.spec.name;
        removed_reason = res.reason;
        what = "REMOVED: " + res.reason + (res.details.empty() ? "" : " [" + Pretty(res.details) + "]");
      } else if (doc.text != before) {
        long delta = static_cast<long>(doc.text.size()) - static_cast<long>(before.size());
        what = "kept, text changed (" + std::to_string(before.size()) + " -> " +
               std::to_string(doc.text.size()) + " bytes, " + (delta >= 0 ? "+" : "") +
               std::to_string(delta) + ")";
      } else {
        what = "kept, unchanged";
      }
      Line(out, head + ": " + what);
      for (size_t s = sig_before; s < doc.signals.size(); ++s)
        Line(out, "        signals: " + Pretty(doc.signals[s].raw));
    }
    cleaned = doc.text;
    if (rec) {
      bool agree = rec->kept ? !removed : (removed && removed_step == rec->removed_by &&
                                           removed_reason == rec->reason);
      if (!agree)
        Line(out, "  note: the replay does not match the recorded outcome (the run used "
                  "another winnow version or options, or the step depends on other documents)");
    }
  } else if (have_input) {
    Line(out, "  note: OUT/.work/job.json is missing, so the steps cannot be replayed");
  }

  // Diff: input text (after HTML extraction, if any) vs output text.
  if (have_input) {
    std::string before = original.text;
    std::string after = rec ? rec->text : cleaned;
    Line(out, "");
    if (original.format == TextFormat::kHtml)
      Line(out, "note: the input record is HTML (" + std::to_string(original.text.size()) +
                    " bytes); the diff starts from its raw bytes");
    if (before == after) {
      Line(out, "text: unchanged by the steps (" + std::to_string(before.size()) + " bytes)");
    } else {
      Line(out, "text diff (- input, + " + std::string(rec ? "output" : "after replay") + "): " +
                    std::to_string(before.size()) + " -> " + std::to_string(after.size()) + " bytes");
      *out += FormatDiff(LineDiff(before, after), 2, options.max_diff_lines);
    }
  } else if (rec) {
    Line(out, "");
    Line(out, "text (output; the input was not found, so no diff):");
    *out += Truncated(rec->text, 4000) + "\n";
  }
  return Status::OK();
}

}  // namespace winnow::report
