#include "report/run_output.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include "formats/record_reader.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/corpus_stage.h"
#include "pipeline/steps.h"

namespace winnow::report {
namespace fs = std::filesystem;

Status LoadRunInfo(const std::string& out_dir, RunInfo* info) {
  info->out_dir = out_dir;
  std::string json;
  std::string path = out_dir + "/stats.json";
  if (!fs::exists(path))
    return Status::NotFound(path + " does not exist (is " + out_dir +
                            " the output of a finished `winnow run`?)");
  WINNOW_RETURN_IF_ERROR(ReadFileToString(path, &json));
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::object root;
  if (parser.parse(padded).get(root)) return Status::Corruption(path + ": not a JSON object");
  std::string_view sv;
  if (!root["winnow_version"].get(sv)) info->version = sv;
  if (!root["recipe"].get(sv)) info->recipe = sv;
  simdjson::dom::array inputs;
  if (!root["inputs"].get(inputs))
    for (auto e : inputs)
      if (!e.get(sv)) info->inputs.emplace_back(sv);
  int64_t n = 0;
  if (!root["threads"].get(n)) info->threads = static_cast<int>(n);
  if (!root["tasks"].get(n)) info->tasks = static_cast<int>(n);
  if (!root["tasks_skipped"].get(n)) info->tasks_skipped = static_cast<int>(n);
  double d = 0;
  if (!root["wall_seconds"].get(d)) info->wall_seconds = d;
  bool b = false;
  if (!root["accounting_ok"].get(b)) info->accounting_ok = b;
  simdjson::dom::element totals;
  if (root["totals"].get(totals)) return Status::Corruption(path + ": no totals");
  Result<TaskStats> ts = TaskStats::FromJson(simdjson::minify(totals));
  if (!ts.ok()) return Status::Corruption(path + ": " + ts.status().message());
  info->totals = std::move(ts).value();
  for (auto [key, dest] : {std::pair{"phases", &info->phase_seconds},
                           std::pair{"phases_cpu", &info->phase_cpu_seconds}}) {
    simdjson::dom::object phases;
    if (root[key].get(phases)) continue;
    for (auto f : phases) {
      double v = 0;
      if (!f.value.get(v)) dest->emplace_back(std::string(f.key), v);
    }
  }
  simdjson::dom::object stages;
  if (!root["stages"].get(stages)) {
    for (auto st : stages) {
      simdjson::dom::object counters;
      if (st.value.get(counters)) continue;
      std::vector<std::pair<std::string, int64_t>> list;
      for (auto f : counters) {
        int64_t v = 0;
        if (!f.value.get(v)) list.emplace_back(std::string(f.key), v);
      }
      info->stages.emplace_back(std::string(st.key), std::move(list));
    }
  }
  simdjson::dom::element bp;
  if (!root["boilerplate"].get(bp)) info->boilerplate_json = simdjson::minify(bp);

  std::string job_path = out_dir + "/.work/job.json";
  std::string job;
  if (fs::exists(job_path) && ReadFileToString(job_path, &job).ok()) {
    simdjson::padded_string pj(job);
    simdjson::dom::object jroot;
    if (!parser.parse(pj).get(jroot)) {
      info->has_job_json = true;
      simdjson::dom::array steps;
      if (!jroot["steps"].get(steps)) {
        for (auto e : steps) {
          StepSpec spec;
          if (!e["type"].get(sv)) spec.type = sv;
          if (!e["name"].get(sv)) spec.name = sv;
          simdjson::dom::object opts;
          if (!e["options"].get(opts))
            for (auto f : opts)
              if (!f.value.get(sv)) spec.options[std::string(f.key)] = std::string(sv);
          if (spec.name.empty()) spec.name = spec.type;
          info->steps.push_back(std::move(spec));
        }
      }
      if (!jroot["compression"].get(sv)) info->compression = sv;
      if (!jroot["id_key"].get(sv)) info->reader.id_key = sv;
      if (!jroot["text_key"].get(sv)) info->reader.text_key = sv;
      if (!jroot["max_record_bytes"].get(n) && n > 0)
        info->reader.max_record_bytes = static_cast<uint64_t>(n);
    }
  }
  return Status::OK();
}

std::vector<std::string> ListShards(const std::string& out_dir, const std::string& sub) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(out_dir + "/" + sub, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_regular_file()) continue;
    if (name.find(".jsonl") == std::string::npos) continue;
    files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Status ForEachLine(const std::string& path,
                   const std::function<bool(std::string_view)>& fn) {
  auto in = OpenInputStream(path, InputLimits{});
  if (!in.ok()) return in.status();
  std::string buf;
  std::vector<char> chunk(1 << 20);
  size_t start = 0;
  for (;;) {
    size_t got = 0;
    WINNOW_RETURN_IF_ERROR(in.value()->Read(chunk.data(), chunk.size(), &got));
    if (got == 0) break;
    if (start > 0) {
      buf.erase(0, start);
      start = 0;
    }
    buf.append(chunk.data(), got);
    size_t nl;
    while ((nl = buf.find('\n', start)) != std::string::npos) {
      if (!fn(std::string_view(buf).substr(start, nl - start))) return Status::OK();
      start = nl + 1;
    }
  }
  if (start < buf.size()) fn(std::string_view(buf).substr(start));
  return Status::OK();
}

std::string ResolveInput(const RunInfo& info, const std::string& recorded) {
  std::error_code ec;
  if (fs::exists(recorded, ec)) return recorded;
  fs::path p(recorded);
  if (p.is_relative()) {
    fs::path parent = fs::absolute(info.out_dir, ec).parent_path();
    fs::path alt = parent / p;
    if (fs::exists(alt, ec)) return alt.string();
  }
  return "";
}

Status ScanInputs(const RunInfo& info,
                  const std::function<bool(uint32_t, uint64_t, const Document&)>& fn,
                  std::vector<std::string>* missing) {
  for (size_t i = 0; i < info.inputs.size(); ++i) {
    std::string path = ResolveInput(info, info.inputs[i]);
    if (path.empty()) {
      if (missing) missing->push_back(info.inputs[i]);
      continue;
    }
    auto reader = OpenRecordReader(path, static_cast<uint32_t>(i), info.reader);
    if (!reader.ok()) {
      if (missing) missing->push_back(info.inputs[i]);
      continue;
    }
    Document doc;
    Rejection rej;
    uint64_t ordinal = 0;
    for (;;) {
      RecordReader::Next next = reader.value()->Read(&doc, &rej);
      if (next == RecordReader::Next::kEnd) break;
      if (next == RecordReader::Next::kRejected) continue;
      if (!fn(static_cast<uint32_t>(i), ordinal++, doc)) return Status::OK();
    }
  }
  return Status::OK();
}

std::vector<ReplayStep> BuildReplaySteps(const RunInfo& info, bool force_signals) {
  std::vector<StepSpec> specs;
  StepSpec empty;
  empty.type = empty.name = "drop_empty";
  specs.push_back(empty);
  bool has_extract = false;
  for (const StepSpec& s : info.steps) has_extract |= (s.type == "extract_html");
  if (!has_extract) {
    StepSpec extract;
    extract.type = extract.name = "extract_html";
    specs.push_back(extract);
  }
  for (const StepSpec& s : info.steps) specs.push_back(s);
  std::vector<ReplayStep> out;
  for (const StepSpec& spec : specs) {
    ReplayStep r;
    r.spec = spec;
    if (IsCorpusStepType(spec.type)) {
      r.corpus_wide = true;
      out.push_back(std::move(r));
      continue;
    }
    if (force_signals && !spec.options.count("write_signals")) {
      StepSpec with = spec;
      with.options["write_signals"] = "true";
      auto made = MakeSteps({with});
      if (made.ok() && made.value().size() == 1) {
        r.step = std::move(made.value()[0]);
        out.push_back(std::move(r));
        continue;
      }
    }
    auto made = MakeSteps({spec});
    if (made.ok() && made.value().size() == 1) {
      r.step = std::move(made.value()[0]);
    } else {
      r.error = made.ok() ? "no step" : made.status().ToString();
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace winnow::report
