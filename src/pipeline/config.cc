#include "pipeline/config.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <xxhash.h>
#include <yaml-cpp/yaml.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/json_writer.h"
#include "io/input_stream.h"
#include "text/text_steps.h"

namespace winnow {
namespace {

StepSpec Spec(std::string type, std::map<std::string, std::string> opts = {}) {
  StepSpec s;
  s.name = type;
  s.type = std::move(type);
  s.options = std::move(opts);
  return s;
}

Status ScalarMap(const YAML::Node& node, const std::string& where,
                 std::map<std::string, std::string>* out,
                 const std::vector<std::string>& skip) {
  if (!node.IsMap()) return Status::InvalidArgument(where + ": expected a map");
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    bool skipped = false;
    for (const auto& s : skip) skipped |= (s == key);
    if (skipped) continue;
    const YAML::Node& v = kv.second;
    if (v.IsScalar()) {
      (*out)[key] = v.as<std::string>();
    } else if (v.IsSequence()) {
      std::string joined;
      for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].IsScalar())
          return Status::InvalidArgument(where + "." + key + ": list of scalars expected");
        if (i) joined += '\n';
        joined += v[i].as<std::string>();
      }
      (*out)[key] = joined;
    } else {
      return Status::InvalidArgument(where + "." + key + ": expected a scalar or a list");
    }
  }
  return Status::OK();
}

Status LoadYamlInner(const YAML::Node& root, JobConfig* config) {
  if (!root.IsMap()) return Status::InvalidArgument("config: top level must be a map");
  static const char* kKnown[] = {"recipe", "steps", "options", "output",
                                 "reader", "max_rejected", "threads", "limits"};
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    bool known = false;
    for (const char* k : kKnown) known |= (key == k);
    if (!known) return Status::InvalidArgument("config: unknown key '" + key + "'");
  }
  if (root["recipe"] && root["steps"])
    return Status::InvalidArgument("config: give either 'recipe' or 'steps', not both");
  if (root["recipe"]) {
    config->recipe = root["recipe"].as<std::string>();
    config->steps.clear();
    WINNOW_RETURN_IF_ERROR(RecipeSteps(config->recipe, &config->steps));
  }
  if (root["steps"]) {
    const YAML::Node& steps = root["steps"];
    if (!steps.IsSequence()) return Status::InvalidArgument("config: 'steps' must be a list");
    config->recipe = "custom";
    config->steps.clear();
    for (size_t i = 0; i < steps.size(); ++i) {
      const YAML::Node& item = steps[i];
      StepSpec spec;
      if (item.IsMap() && item["recipe"]) {
        // A whole recipe inlined into the step list.
        if (item.size() != 1)
          return Status::InvalidArgument("config: steps[" + std::to_string(i) +
                                         "]: 'recipe' takes no other keys");
        std::vector<StepSpec> inlined;
        WINNOW_RETURN_IF_ERROR(RecipeSteps(item["recipe"].as<std::string>(), &inlined));
        for (auto& s : inlined) config->steps.push_back(std::move(s));
        continue;
      }
      if (item.IsScalar()) {
        spec.type = item.as<std::string>();
      } else if (item.IsMap() && item["type"]) {
        spec.type = item["type"].as<std::string>();
        if (item["name"]) spec.name = item["name"].as<std::string>();
        WINNOW_RETURN_IF_ERROR(ScalarMap(item, "steps[" + std::to_string(i) + "]",
                                         &spec.options, {"type", "name"}));
      } else {
        return Status::InvalidArgument("config: steps[" + std::to_string(i) +
                                       "] needs a 'type'");
      }
      if (spec.name.empty()) spec.name = spec.type;
      config->steps.push_back(std::move(spec));
    }
  }
  if (root["options"]) {
    const YAML::Node& opts = root["options"];
    if (!opts.IsMap()) return Status::InvalidArgument("config: 'options' must be a map");
    for (const auto& kv : opts) {
      std::string step = kv.first.as<std::string>();
      bool found = false;
      for (auto& spec : config->steps) {
        if (spec.name != step) continue;
        found = true;
        WINNOW_RETURN_IF_ERROR(ScalarMap(kv.second, "options." + step, &spec.options, {}));
      }
      if (!found)
        return Status::InvalidArgument("config: options for '" + step +
                                       "', which is not a step of this job");
    }
  }
  if (root["output"]) {
    const YAML::Node& out = root["output"];
    if (out["compression"]) {
      if (!ParseCompressionName(out["compression"].as<std::string>(), &config->compression))
        return Status::InvalidArgument("config: output.compression must be zstd, gzip or none");
    }
    if (out["level"]) config->compression_level = out["level"].as<int>();
  }
  if (root["reader"]) {
    const YAML::Node& r = root["reader"];
    if (r["max_record_bytes"]) config->reader.max_record_bytes = r["max_record_bytes"].as<uint64_t>();
    if (r["max_decompressed_bytes"])
      config->reader.input.max_decompressed_bytes = r["max_decompressed_bytes"].as<uint64_t>();
    if (r["max_json_depth"]) {
      const int64_t depth = r["max_json_depth"].as<int64_t>();
      if (depth < 1 || depth > 1024)
        return Status::InvalidArgument("config: reader.max_json_depth must be 1 to 1024");
      config->reader.max_json_depth = static_cast<uint32_t>(depth);
    }
    if (r["warc"] && r["warc"]["max_payload_bytes"])
      config->reader.warc.max_payload_bytes = r["warc"]["max_payload_bytes"].as<uint64_t>();
    if (r["id_key"]) config->reader.id_key = r["id_key"].as<std::string>();
    if (r["text_key"]) config->reader.text_key = r["text_key"].as<std::string>();
  }
  if (root["limits"]) {
    const YAML::Node& l = root["limits"];
    if (!l.IsMap()) return Status::InvalidArgument("config: 'limits' must be a map");
    for (const auto& kv : l) {
      const std::string key = kv.first.as<std::string>();
      if (key != "max_document_work" && key != "max_worker_memory_mb")
        return Status::InvalidArgument("config: unknown key 'limits." + key +
                                       "' (known: max_document_work, max_worker_memory_mb)");
    }
    if (l["max_document_work"]) {
      const int64_t work = l["max_document_work"].as<int64_t>();
      if (work < 1)
        return Status::InvalidArgument("config: limits.max_document_work must be at least 1");
      config->limits.max_document_work = static_cast<uint64_t>(work);
    }
    if (l["max_worker_memory_mb"]) {
      const int64_t mb = l["max_worker_memory_mb"].as<int64_t>();
      // The upper bound keeps the byte count far from overflow.
      if (mb < 1 || mb > (int64_t{1} << 30))
        return Status::InvalidArgument(
            "config: limits.max_worker_memory_mb must be 1 to 1073741824");
      config->limits.max_worker_memory_mb = static_cast<uint64_t>(mb);
    }
  }
  if (root["max_rejected"]) config->max_rejected_fraction = root["max_rejected"].as<double>();
  if (root["threads"]) config->threads = root["threads"].as<int>();
  return Status::OK();
}

}  // namespace

std::vector<std::string> RecipeNames() {
  return {"clean", "gopher", "c4", "fineweb", "dedup", "boilerplate"};
}

Status RecipeSteps(const std::string& recipe, std::vector<StepSpec>* steps) {
  steps->clear();
  if (recipe == "clean") {
    for (const std::string& type : CleanRecipeSteps()) steps->push_back(Spec(type));
  } else if (recipe == "gopher") {
    steps->push_back(Spec("gopher_repetition"));
    steps->push_back(Spec("gopher_quality"));
  } else if (recipe == "c4") {
    steps->push_back(Spec("c4_quality"));
  } else if (recipe == "fineweb") {
    // Site boilerplate first (between extraction and the filters, so the
    // filters judge the text without the sites' templates; documents
    // without a URL pass through it untouched), then FineWeb's order
    // (datatrove's FineWeb example): English with language score >= 0.65,
    // Gopher repetition, Gopher quality, C4 without the terminal-punctuation
    // rule, FineWeb quality.
    steps->push_back(Spec("boilerplate"));
    steps->push_back(Spec("language_filter"));
    steps->push_back(Spec("gopher_repetition"));
    steps->push_back(Spec("gopher_quality"));
    steps->push_back(Spec("c4_quality", {{"filter_no_terminal_punct", "false"}}));
    steps->push_back(Spec("fineweb_quality"));
  } else if (recipe == "dedup") {
    // Exact duplicates first (cheap, and they would all be near duplicates
    // anyway), then MinHash near duplicates with datatrove's defaults.
    steps->push_back(Spec("exact_dedup"));
    steps->push_back(Spec("minhash_dedup"));
  } else if (recipe == "boilerplate") {
    // Site boilerplate alone (docs/BOILERPLATE.md) with its defaults.
    steps->push_back(Spec("boilerplate"));
  } else {
    std::string names;
    for (const auto& n : RecipeNames()) names += (names.empty() ? "" : ", ") + n;
    return Status::InvalidArgument("unknown recipe '" + recipe + "' (known: " + names + ")");
  }
  return Status::OK();
}

Status LoadYamlConfig(const std::string& path, JobConfig* config) {
  // yaml-cpp reports errors by throwing; they stop here.
  try {
    YAML::Node root = YAML::LoadFile(path);
    return LoadYamlInner(root, config);
  } catch (const YAML::BadFile&) {
    return Status::NotFound("config file not readable: " + path);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("config " + path + ": " + e.what());
  }
}

bool ParseCompressionName(std::string_view name, Compression* compression) {
  for (Compression c : {Compression::kZstd, Compression::kGzip, Compression::kNone}) {
    if (name == CompressionName(c)) {
      *compression = c;
      return true;
    }
  }
  return false;
}

std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string a = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) a += ",";
    AppendJsonString(items[i], &a);
  }
  return a + "]";
}

std::string StepSpecsJson(const std::vector<StepSpec>& specs) {
  std::string steps = "[";
  for (size_t i = 0; i < specs.size(); ++i) {
    const StepSpec& s = specs[i];
    JsonObjectBuilder opts;
    for (const auto& [k, v] : s.options) opts.Add(k, v);
    if (i) steps += ",";
    steps += JsonObjectBuilder()
                 .Add("type", s.type)
                 .Add("name", s.name)
                 .AddRaw("options", opts.Finish())
                 .Finish();
  }
  return steps + "]";
}

namespace {

// The GNU build ID note (ld --build-id) of the loaded object whose segments
// hold `addr`, or "" when it has none.
std::string GnuBuildIdOf(const void* addr) {
  struct Search {
    uintptr_t addr;
    std::string id;
  } search{reinterpret_cast<uintptr_t>(addr), {}};
  dl_iterate_phdr(
      [](struct dl_phdr_info* info, size_t, void* data) -> int {
        auto* s = static_cast<Search*>(data);
        bool holds = false;
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          const uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type == PT_LOAD && s->addr >= begin && s->addr < begin + ph.p_memsz)
            holds = true;
        }
        if (!holds) return 0;
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const auto* p = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
          const unsigned char* end = p + ph.p_memsz;
          auto align4 = [](size_t n) { return (n + 3) & ~size_t{3}; };
          while (end - p >= static_cast<ptrdiff_t>(sizeof(ElfW(Nhdr)))) {
            ElfW(Nhdr) nh;
            std::memcpy(&nh, p, sizeof(nh));
            const unsigned char* name = p + sizeof(nh);
            const unsigned char* desc = name + align4(nh.n_namesz);
            if (desc > end || static_cast<size_t>(end - desc) < nh.n_descsz) break;
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0 && nh.n_descsz > 0) {
              s->id.assign(reinterpret_cast<const char*>(desc), nh.n_descsz);
              return 1;
            }
            p = desc + align4(nh.n_descsz);
          }
        }
        return 1;  // the object holding addr has no build ID
      },
      &search);
  return search.id;
}

}  // namespace

const std::string& WinnowBuildId() {
  static const std::string* id = [] {
    auto hex = [](uint64_t hash) {
      char buf[17];
      std::snprintf(buf, sizeof(buf), "%016" PRIx64, hash);
      return new std::string(buf);
    };
    // The linker's build ID, a hash of the whole linked file: no I/O.
    const std::string note = GnuBuildIdOf(reinterpret_cast<const void*>(&WinnowBuildId));
    if (!note.empty()) return hex(XXH3_64bits(note.data(), note.size()));
    // Else the file's bytes.
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&WinnowBuildId), &info) == 0 ||
        info.dli_fname == nullptr) {
      return new std::string("unknown");
    }
    // Streamed through a 1 MiB buffer: the executable is ~45 MB with its
    // debug information, which a whole-file read would hold at once.
    auto in = OpenInputStream(info.dli_fname, InputLimits{});
    if (!in.ok() || in.value()->compression() != Compression::kNone)
      return new std::string("unknown");
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    std::vector<char> buf(size_t{1} << 20);
    size_t got = 0;
    Status s;
    while ((s = in.value()->Read(buf.data(), buf.size(), &got)).ok() && got > 0)
      XXH3_64bits_update(state, buf.data(), got);
    const uint64_t hash = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    if (!s.ok()) return new std::string("unknown");
    return hex(hash);
  }();
  return *id;
}

std::string JobFingerprint(const JobConfig& config,
                           const std::vector<std::string>& input_files) {
  const std::string inputs = JsonStringArray(input_files);
  const std::string steps = StepSpecsJson(config.steps);
  const WarcOptions& w = config.reader.warc;
  const std::string warc = JsonObjectBuilder()
                               .Add("min_status", w.min_status)
                               .Add("max_status", w.max_status)
                               .AddRaw("mime_types", JsonStringArray(w.mime_types))
                               .Add("max_payload_bytes", static_cast<int64_t>(w.max_payload_bytes))
                               .Add("keep_resource", w.keep_resource)
                               .Add("keep_conversion", w.keep_conversion)
                               .Add("meta_sniff_bytes", static_cast<int64_t>(w.meta_sniff_bytes))
                               .Finish();
  return JsonObjectBuilder()
      .AddRaw("inputs", inputs)
      .AddRaw("steps", steps)
      .Add("compression", CompressionName(config.compression))
      .Add("level", config.compression_level)
      .Add("max_record_bytes", static_cast<int64_t>(config.reader.max_record_bytes))
      .Add("max_decompressed_bytes",
           static_cast<int64_t>(config.reader.input.max_decompressed_bytes))
      .Add("max_json_depth", static_cast<int64_t>(config.reader.max_json_depth))
      .Add("id_key", config.reader.id_key)
      .Add("text_key", config.reader.text_key)
      .AddRaw("warc", warc)
      .Add("max_document_work", static_cast<int64_t>(config.limits.max_document_work))
      .Add("max_worker_memory_mb", static_cast<int64_t>(config.limits.max_worker_memory_mb))
      .Add("build", WinnowBuildId())
      .Finish();
}

}  // namespace winnow
