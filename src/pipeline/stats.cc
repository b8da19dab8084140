#include "pipeline/stats.h"

#include <simdjson.h>

#include "core/json_writer.h"

namespace winnow {
namespace {

void MergeMap(const std::map<std::string, int64_t>& from,
              std::map<std::string, int64_t>* to) {
  for (const auto& [k, v] : from) (*to)[k] += v;
}

std::string MapJson(const std::map<std::string, int64_t>& m) {
  JsonObjectBuilder b;
  for (const auto& [k, v] : m) b.Add(k, v);
  return b.Finish();
}

Status ReadMap(simdjson::dom::object parent, const char* key,
               std::map<std::string, int64_t>* out) {
  simdjson::dom::object obj;
  if (parent[key].get(obj))
    return Status::Corruption(std::string("stats: expected an object at ") + key);
  for (auto field : obj) {
    int64_t v;
    if (field.value.get(v)) return Status::Corruption("stats: expected an integer");
    (*out)[std::string(field.key)] = v;
  }
  return Status::OK();
}

template <typename T>
bool GetField(simdjson::dom::object obj, const char* key, T* out) {
  return !obj[key].get(*out);
}

}  // namespace

void StepStats::Merge(const StepStats& o) {
  docs_in += o.docs_in;
  bytes_in += o.bytes_in;
  docs_out += o.docs_out;
  bytes_out += o.bytes_out;
  MergeMap(o.removed, &removed);
  MergeMap(o.counters, &counters);
  seconds += o.seconds;
}

void TaskStats::Merge(const TaskStats& o) {
  records_read += o.records_read;
  bytes_read += o.bytes_read;
  kept += o.kept;
  kept_bytes += o.kept_bytes;
  removed += o.removed;
  rejected += o.rejected;
  MergeMap(o.rejected_by_reason, &rejected_by_reason);
  MergeMap(o.reader_counters, &reader_counters);
  if (steps.empty()) {
    steps = o.steps;
  } else {
    for (size_t i = 0; i < steps.size() && i < o.steps.size(); ++i)
      steps[i].Merge(o.steps[i]);
  }
  seconds += o.seconds;
}

std::string TaskStats::ToJson() const {
  std::string steps_json = "[";
  for (size_t i = 0; i < steps.size(); ++i) {
    const StepStats& s = steps[i];
    if (i) steps_json += ",";
    steps_json += JsonObjectBuilder()
                      .Add("name", s.name)
                      .Add("type", s.type)
                      .Add("docs_in", s.docs_in)
                      .Add("bytes_in", s.bytes_in)
                      .Add("docs_out", s.docs_out)
                      .Add("bytes_out", s.bytes_out)
                      .AddRaw("removed", MapJson(s.removed))
                      .AddRaw("counters", MapJson(s.counters))
                      .Add("seconds", s.seconds)
                      .Finish();
  }
  steps_json += "]";
  return JsonObjectBuilder()
      .Add("records_read", records_read)
      .Add("bytes_read", bytes_read)
      .Add("kept", kept)
      .Add("kept_bytes", kept_bytes)
      .Add("removed", removed)
      .Add("rejected", rejected)
      .AddRaw("rejected_by_reason", MapJson(rejected_by_reason))
      .AddRaw("reader_counters", MapJson(reader_counters))
      .AddRaw("steps", steps_json)
      .Add("seconds", seconds)
      .Finish();
}

Result<TaskStats> TaskStats::FromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root))
    return Status::Corruption("stats: not valid JSON");
  simdjson::dom::object obj;
  if (root.get(obj)) return Status::Corruption("stats: not an object");
  TaskStats t;
  bool ok = GetField(obj, "records_read", &t.records_read) &&
            GetField(obj, "bytes_read", &t.bytes_read) &&
            GetField(obj, "kept", &t.kept) &&
            GetField(obj, "kept_bytes", &t.kept_bytes) &&
            GetField(obj, "removed", &t.removed) &&
            GetField(obj, "rejected", &t.rejected) &&
            GetField(obj, "seconds", &t.seconds);
  if (!ok) return Status::Corruption("stats: missing or mistyped field");
  WINNOW_RETURN_IF_ERROR(ReadMap(obj, "rejected_by_reason", &t.rejected_by_reason));
  WINNOW_RETURN_IF_ERROR(
      ReadMap(obj, "reader_counters", &t.reader_counters));
  simdjson::dom::array steps;
  if (obj["steps"].get(steps)) return Status::Corruption("stats: no steps");
  for (simdjson::dom::element e : steps) {
    simdjson::dom::object so;
    if (e.get(so)) return Status::Corruption("stats: bad step");
    StepStats s;
    std::string_view name, type;
    ok = GetField(so, "name", &name) && GetField(so, "type", &type) &&
         GetField(so, "docs_in", &s.docs_in) &&
         GetField(so, "bytes_in", &s.bytes_in) &&
         GetField(so, "docs_out", &s.docs_out) &&
         GetField(so, "bytes_out", &s.bytes_out) &&
         GetField(so, "seconds", &s.seconds);
    if (!ok) return Status::Corruption("stats: bad step field");
    s.name = name;
    s.type = type;
    WINNOW_RETURN_IF_ERROR(ReadMap(so, "removed", &s.removed));
    WINNOW_RETURN_IF_ERROR(ReadMap(so, "counters", &s.counters));
    t.steps.push_back(std::move(s));
  }
  return t;
}

}  // namespace winnow
