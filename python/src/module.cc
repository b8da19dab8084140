// winnow._winnow: the pybind11 binding of winnow's library, a thin face as
// the CLI is (src/cli/winnow_main.cc). Library functions return Status; this
// layer turns a non-OK Status into a Python exception (ValueError for a bad
// argument, configuration or option, FileNotFoundError for a missing input,
// OSError for I/O errors and corrupt files, RuntimeError for the rest). No
// C++ exception other than pybind11's leaves this file.
//
// Python objects are read and built only while holding the GIL; the work
// itself (the job, the steps, the filters, MinHash) runs with the GIL
// released, so several Python threads can use the module at once.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dedup/minhash.h"
#include "formats/jsonl_writer.h"
#include "in_memory.h"
#include "pipeline/config.h"
#include "pipeline/job.h"
#include "pipeline/steps.h"
#include "winnow/document.h"
#include "winnow/status.h"

namespace py = pybind11;

namespace winnow::python {
namespace {

[[noreturn]] void Raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

[[noreturn]] void RaiseStatus(const Status& st) {
  switch (st.code()) {
    case Status::Code::kInvalidArgument:
      Raise(PyExc_ValueError, st.message());
    case Status::Code::kNotFound:
      Raise(PyExc_FileNotFoundError, st.message());
    case Status::Code::kIOError:
    case Status::Code::kCorruption:
      Raise(PyExc_OSError, st.message());
    default:
      Raise(PyExc_RuntimeError, st.ToString());
  }
}

// A short repr of `obj` for error messages.
std::string ShortRepr(py::handle obj) {
  std::string r = py::repr(obj).cast<std::string>();
  constexpr size_t kMax = 300;
  if (r.size() > kMax) r = r.substr(0, kMax) + "...";
  return r;
}

std::string TypeName(py::handle obj) {
  return py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>();
}

// UTF-8 bytes of a str; false (with the Python error cleared) when it holds
// lone surrogates.
bool Utf8(py::handle s, std::string* out) {
  Py_ssize_t n = 0;
  const char* p = PyUnicode_AsUTF8AndSize(s.ptr(), &n);
  if (p == nullptr) {
    PyErr_Clear();
    return false;
  }
  out->assign(p, static_cast<size_t>(n));
  return true;
}

// An option value as StepOptions holds it: scalars as text (booleans as
// true/false), lists joined with '\n' as the YAML loader does.
std::string OptionText(const std::string& where, py::handle v) {
  if (PyBool_Check(v.ptr())) return v.ptr() == Py_True ? "true" : "false";
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v))
    return py::repr(v).cast<std::string>();
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    std::string joined;
    size_t i = 0;
    for (py::handle item : v) {
      if (py::isinstance<py::list>(item) || py::isinstance<py::tuple>(item) ||
          py::isinstance<py::dict>(item) || item.is_none())
        Raise(PyExc_ValueError, where + ": a list of scalars expected, got " + ShortRepr(v));
      if (i++) joined += '\n';
      joined += OptionText(where, item);
    }
    return joined;
  }
  Raise(PyExc_ValueError,
        where + ": expected a string, number, boolean or list, got " + ShortRepr(v));
}

std::map<std::string, std::string> OptionMap(const std::string& where, py::handle obj,
                                             const std::vector<std::string>& skip) {
  if (!py::isinstance<py::dict>(obj))
    Raise(PyExc_ValueError, where + ": expected a dict, got " + ShortRepr(obj));
  std::map<std::string, std::string> out;
  for (auto [k, v] : py::reinterpret_borrow<py::dict>(obj)) {
    if (!py::isinstance<py::str>(k))
      Raise(PyExc_ValueError, where + ": option names must be strings, got " + ShortRepr(k));
    std::string key = k.cast<std::string>();
    bool skipped = false;
    for (const auto& s : skip) skipped |= (s == key);
    if (!skipped) out[key] = OptionText(where + "." + key, v);
  }
  return out;
}

// A step list as the YAML `steps:` takes it: "type", {"type": ..,
// "name": .., <options>}, or {"recipe": ..} inlined.
std::vector<StepSpec> StepList(py::handle steps) {
  if (py::isinstance<py::str>(steps) || !py::isinstance<py::sequence>(steps))
    Raise(PyExc_ValueError, "steps: expected a list, got " + ShortRepr(steps));
  std::vector<StepSpec> out;
  size_t i = 0;
  for (py::handle item : steps) {
    const std::string where = "steps[" + std::to_string(i++) + "]";
    StepSpec spec;
    if (py::isinstance<py::str>(item)) {
      spec.type = item.cast<std::string>();
    } else if (py::isinstance<py::dict>(item)) {
      py::dict d = py::reinterpret_borrow<py::dict>(item);
      if (d.contains("recipe")) {
        if (d.size() != 1)
          Raise(PyExc_ValueError, where + ": 'recipe' takes no other keys");
        std::vector<StepSpec> inlined;
        Status st = RecipeSteps(OptionText(where + ".recipe", d["recipe"]), &inlined);
        if (!st.ok()) RaiseStatus(st);
        for (auto& s : inlined) out.push_back(std::move(s));
        continue;
      }
      if (!d.contains("type"))
        Raise(PyExc_ValueError, where + " needs a 'type': " + ShortRepr(item));
      spec.type = OptionText(where + ".type", d["type"]);
      if (d.contains("name")) spec.name = OptionText(where + ".name", d["name"]);
      spec.options = OptionMap(where, item, {"type", "name"});
    } else {
      Raise(PyExc_ValueError,
            where + ": expected a step type or a dict with 'type', got " + ShortRepr(item));
    }
    if (spec.name.empty()) spec.name = spec.type;
    out.push_back(std::move(spec));
  }
  return out;
}

// Fills `config` from at most one of recipe, config file and step list;
// recipe fineweb when none is given (as `winnow run`).
void ChooseSteps(const std::optional<std::string>& recipe,
                 const std::optional<std::string>& config_path, py::handle steps,
                 JobConfig* config) {
  int given = recipe.has_value() + config_path.has_value() + !steps.is_none();
  if (given > 1) Raise(PyExc_ValueError, "give one of recipe, config and steps, not several");
  if (config_path) {
    Status st = LoadYamlConfig(*config_path, config);
    if (!st.ok()) RaiseStatus(st);
  } else if (!steps.is_none()) {
    config->recipe = "custom";
    config->steps = StepList(steps);
  } else {
    config->recipe = recipe.value_or("fineweb");
    config->steps.clear();
    Status st = RecipeSteps(config->recipe, &config->steps);
    if (!st.ok()) RaiseStatus(st);
  }
}

py::object JsonLoads(const std::string& text) {
  static py::object* loads = new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(py::str(text));
}

// JSON text of a Python value, for metadata (kept raw, as the reader does).
// False with *error set when json.dumps refuses the value.
bool JsonDumps(py::handle v, std::string* out, std::string* error) {
  static py::object* dumps = new py::object(py::module_::import("json").attr("dumps"));
  try {
    py::object s = (*dumps)(v, py::arg("ensure_ascii") = false, py::arg("allow_nan") = false);
    if (Utf8(s, out)) return true;
    *error = "not valid Unicode";
  } catch (py::error_already_set& e) {
    *error = py::str(e.value()).cast<std::string>();
  }
  return false;
}

// A document from a dict {"id", "text", "metadata", ...}: other keys are
// appended to metadata in order, as the JSONL reader does; an id that is not
// a string is kept as its JSON text.
Document ToDocument(py::handle obj, size_t index) {
  auto fail = [&](const std::string& what) {
    Raise(PyExc_ValueError,
          "document " + std::to_string(index) + ": " + what + ": " + ShortRepr(obj));
  };
  if (!py::isinstance<py::dict>(obj)) fail("expected a dict");
  py::dict d = py::reinterpret_borrow<py::dict>(obj);
  Document doc;
  doc.pos.offset = index;
  std::string error;
  bool have_text = false;
  for (auto [k, v] : d) {
    std::string key;
    if (!py::isinstance<py::str>(k) || !Utf8(k, &key)) fail("keys must be valid strings");
    if (key == "text") {
      if (!py::isinstance<py::str>(v)) fail("'text' must be a str, not " + TypeName(v));
      if (!Utf8(v, &doc.text)) fail("'text' is not valid Unicode (lone surrogates)");
      have_text = true;
    } else if (key == "id") {
      if (py::isinstance<py::str>(v)) {
        if (!Utf8(v, &doc.id)) fail("'id' is not valid Unicode");
      } else if (!v.is_none() && !JsonDumps(v, &doc.id, &error)) {
        fail("'id' is not JSON-serializable: " + error);
      }
    } else if (key == "metadata" && py::isinstance<py::dict>(v)) {
      for (auto [mk, mv] : py::reinterpret_borrow<py::dict>(v)) {
        std::string mkey;
        if (!py::isinstance<py::str>(mk) || !Utf8(mk, &mkey))
          fail("metadata keys must be valid strings");
        JsonField f{mkey, {}};
        if (!JsonDumps(mv, &f.raw, &error))
          fail("metadata." + mkey + " is not JSON-serializable: " + error);
        doc.metadata.push_back(std::move(f));
      }
    } else if (key == "metadata" && v.is_none()) {
      // No metadata: as an absent key.
    } else {
      JsonField f{key, {}};
      if (!JsonDumps(v, &f.raw, &error)) fail(key + " is not JSON-serializable: " + error);
      doc.metadata.push_back(std::move(f));
    }
  }
  if (!have_text) fail("no 'text'");
  return doc;
}

py::dict SummaryDict(const JobSummary& s, const std::string& output) {
  const TaskStats& t = s.totals;
  py::dict d;
  d["read"] = t.records_read;
  d["kept"] = t.kept;
  d["removed"] = t.removed;
  d["rejected"] = t.rejected;
  d["bytes_read"] = t.bytes_read;
  d["kept_bytes"] = t.kept_bytes;
  d["rejected_by_reason"] = t.rejected_by_reason;
  d["reader_counters"] = t.reader_counters;
  py::list steps;
  for (const StepStats& ss : t.steps) {
    py::dict sd;
    sd["name"] = ss.name;
    sd["type"] = ss.type;
    sd["docs_in"] = ss.docs_in;
    sd["docs_out"] = ss.docs_out;
    sd["bytes_in"] = ss.bytes_in;
    sd["bytes_out"] = ss.bytes_out;
    sd["removed"] = ss.removed;
    sd["counters"] = ss.counters;
    sd["seconds"] = ss.seconds;
    steps.append(sd);
  }
  d["steps"] = steps;
  d["tasks"] = s.tasks;
  d["tasks_skipped"] = s.tasks_skipped;
  d["tasks_fused"] = s.tasks_fused;
  d["tasks_failed"] = s.tasks_failed;
  d["errors"] = s.errors;
  d["wall_seconds"] = s.wall_seconds;
  d["phases"] = s.phase_seconds;
  d["stages"] = s.stage_counters;
  d["accounting_ok"] = s.accounting_ok;
  d["too_many_rejected"] = s.too_many_rejected;
  d["summary"] = s.summary_line;
  d["output"] = output;
  d["stats_path"] = output + "/stats.json";
  return d;
}

py::dict Run(const std::vector<std::string>& inputs, const std::string& output,
             std::optional<std::string> recipe, std::optional<std::string> config_path,
             py::object steps, std::optional<int> threads,
             std::optional<std::string> compression, std::optional<double> max_rejected,
             py::object log) {
  JobConfig config;
  config.inputs = inputs;
  config.output_dir = output;
  ChooseSteps(recipe, config_path, steps, &config);
  if (threads) {
    if (*threads < 0) Raise(PyExc_ValueError, "threads must be >= 0 (0 = all cores)");
    config.threads = *threads;
  }
  if (max_rejected) {
    if (!(*max_rejected >= 0 && *max_rejected <= 1))
      Raise(PyExc_ValueError, "max_rejected must be a fraction in [0, 1]");
    config.max_rejected_fraction = *max_rejected;
  }
  if (compression) {
    if (!ParseCompressionName(*compression, &config.compression))
      Raise(PyExc_ValueError, "compression must be zstd, gzip or none");
  }

  // The log callback runs on worker threads (serialized by the runner): it
  // takes the GIL, and the first exception it raises is re-raised at the end.
  RunOptions options;
  std::mutex log_mu;
  std::optional<py::error_already_set> log_error;
  if (!log.is_none()) {
    options.log = [&](std::string_view line) {
      py::gil_scoped_acquire gil;
      {
        std::lock_guard<std::mutex> lock(log_mu);
        if (log_error) return;
      }
      try {
        log(py::str(line.data(), line.size()));
      } catch (py::error_already_set& e) {
        std::lock_guard<std::mutex> lock(log_mu);
        if (!log_error) log_error.emplace(std::move(e));
      }
    };
  }
  std::optional<Result<JobSummary>> summary;
  {
    py::gil_scoped_release release;
    summary.emplace(RunJob(config, options));
  }
  if (log_error) throw std::move(*log_error);
  if (!summary->ok()) RaiseStatus(summary->status());
  return SummaryDict(summary->value(), output);
}

py::tuple Process(py::object docs, std::optional<std::string> recipe,
                  std::optional<std::string> config_path, py::object steps) {
  JobConfig config;
  ChooseSteps(recipe, config_path, steps, &config);
  Result<std::unique_ptr<DocumentProcessor>> processor =
      DocumentProcessor::Create(config.steps, config.limits);
  if (!processor.ok()) RaiseStatus(processor.status());

  if (py::isinstance<py::str>(docs) || py::isinstance<py::dict>(docs) ||
      !py::hasattr(docs, "__iter__"))
    Raise(PyExc_ValueError, "docs: expected a list of dicts, got " + ShortRepr(docs));
  std::vector<Document> in;
  size_t index = 0;
  for (py::handle d : docs) in.push_back(ToDocument(d, index++));

  std::vector<std::string> lines(in.size());
  std::vector<char> kept(in.size());
  {
    py::gil_scoped_release release;
    DocumentProcessor& p = *processor.value();
    for (size_t i = 0; i < in.size(); ++i) {
      kept[i] = p.Process(&in[i]);
      AppendDocumentJson(in[i], &lines[i]);
      in[i] = Document();
    }
  }
  py::list kept_out, removed_out;
  for (size_t i = 0; i < lines.size(); ++i)
    (kept[i] ? kept_out : removed_out).append(JsonLoads(lines[i]));
  return py::make_tuple(kept_out, removed_out);
}

// The UTF-8 text of a str argument; ValueError for lone surrogates.
std::string TextArg(const py::str& s) {
  std::string out;
  if (!Utf8(s, &out)) Raise(PyExc_ValueError, "text is not valid Unicode (lone surrogates)");
  return out;
}

py::dict QualitySignals(const py::str& text_arg, py::object options) {
  const std::string text = TextArg(text_arg);
  std::map<std::string, std::map<std::string, std::string>> overrides;
  if (!options.is_none()) {
    if (!py::isinstance<py::dict>(options))
      Raise(PyExc_ValueError, "options: expected a dict of dicts, got " + ShortRepr(options));
    for (auto [k, v] : py::reinterpret_borrow<py::dict>(options)) {
      std::string filter = py::str(k).cast<std::string>();
      overrides[filter] = OptionMap("options." + filter, v, {});
    }
  }
  Result<std::unique_ptr<QualitySignaler>> q = QualitySignaler::Create(overrides);
  if (!q.ok()) RaiseStatus(q.status());
  std::vector<FilterVerdict> verdicts;
  {
    py::gil_scoped_release release;
    verdicts = q.value()->Compute(text);
  }
  py::dict out;
  for (const FilterVerdict& v : verdicts) {
    py::dict d;
    d["keep"] = v.keep;
    d["reason"] = v.keep ? py::object(py::none()) : py::object(py::str(v.reason));
    d["details"] = v.keep || v.details.empty() ? py::object(py::none()) : JsonLoads(v.details);
    d["signals"] = JsonLoads(v.signals);
    out[py::str(v.step)] = d;
  }
  return out;
}

std::vector<uint64_t> MinHash(const py::str& text_arg, int shingle_size, int num_buckets,
                              int hashes_per_bucket, int64_t seed, const std::string& hash) {
  dedup::MinHashConfig config;
  config.shingle_size = shingle_size;
  config.num_buckets = num_buckets;
  config.hashes_per_bucket = hashes_per_bucket;
  if (seed < 0) Raise(PyExc_ValueError, "minhash: seed must be >= 0");
  config.seed = static_cast<uint64_t>(seed);
  if (hash == "xxhash") config.hash = dedup::MinHashConfig::Hash::kXxhash64;
  else if (hash == "sha1") config.hash = dedup::MinHashConfig::Hash::kSha1;
  else Raise(PyExc_ValueError, "minhash: hash must be 'xxhash' or 'sha1', not '" + hash + "'");
  Status st = config.Validate();
  if (!st.ok()) RaiseStatus(st);
  const std::string text = TextArg(text_arg);
  std::vector<uint64_t> sig;
  {
    py::gil_scoped_release release;
    dedup::MinHasher hasher(config);
    hasher.Signature(text, &sig);
  }
  return sig;
}

py::dict Recipes() {
  py::dict out;
  for (const std::string& r : RecipeNames()) {
    std::vector<StepSpec> steps;
    if (!RecipeSteps(r, &steps).ok()) continue;
    py::list types;
    for (const StepSpec& s : steps) types.append(s.type);
    out[py::str(r)] = types;
  }
  return out;
}

py::dict StepTypes() {
  py::dict out;
  for (const auto& e : BuiltinSteps().entries()) out[py::str(e.type)] = e.summary;
  return out;
}

}  // namespace
}  // namespace winnow::python

PYBIND11_MODULE(_winnow, m) {
  using namespace winnow::python;
  m.doc() = "winnow's C++ library (use the `winnow` package, not this module)";
  m.def("run", &Run, py::arg("inputs"), py::arg("output"), py::arg("recipe"),
        py::arg("config"), py::arg("steps"), py::arg("threads"), py::arg("compression"),
        py::arg("max_rejected"), py::arg("log"));
  m.def("process", &Process, py::arg("docs"), py::arg("recipe"), py::arg("config"),
        py::arg("steps"));
  m.def("quality_signals", &QualitySignals, py::arg("text"), py::arg("options"));
  m.def("minhash", &MinHash, py::arg("text"), py::arg("shingle_size"), py::arg("num_buckets"),
        py::arg("hashes_per_bucket"), py::arg("seed"), py::arg("hash"));
  m.def("recipes", &Recipes);
  m.def("step_types", &StepTypes);
}
