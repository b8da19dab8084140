// Step: one per-document transformation or filter (cleaning, annotation,
// quality filter). Steps take documents in memory and never open files.
//
// Thread safety: a Step instance is used by one thread at a time. The
// pipeline creates one instance per task via the factory, so steps may keep
// scratch buffers as members without locking.
#ifndef WINNOW_STEP_H_
#define WINNOW_STEP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/document.h"
#include "winnow/status.h"

namespace winnow {

// What a step decided. Removal is a value, not an exception.
struct StepResult {
  bool keep = true;
  std::string reason;   // when !keep: stable machine-readable reason
  std::string details;  // when !keep: JSON object of the deciding values

  static StepResult Keep() { return StepResult{}; }
  static StepResult Remove(std::string reason, std::string details = {}) {
    return StepResult{false, std::move(reason), std::move(details)};
  }
};

// Named event counters of one step (e.g. "utf8_repaired": 3). The pipeline
// sums them per step across tasks and writes them to stats.json.
class Counters {
 public:
  void Add(std::string_view name, int64_t n = 1) {
    for (auto& [k, v] : items_) {
      if (k == name) {
        v += n;
        return;
      }
    }
    items_.emplace_back(std::string(name), n);
  }
  const std::vector<std::pair<std::string, int64_t>>& items() const {
    return items_;
  }
  void Merge(const Counters& other) {
    for (const auto& [k, v] : other.items_) Add(k, v);
  }

 private:
  // Few distinct names per step: a flat vector beats a map here.
  std::vector<std::pair<std::string, int64_t>> items_;
};

class Step {
 public:
  virtual ~Step() = default;

  // The step's name as it appears in stats, reasons and removed_by.
  virtual std::string_view name() const = 0;

  // Processes `doc` in place. Cleaning steps may rewrite doc->text; filters
  // decide keep/remove and may append to doc->signals. Must not throw.
  virtual StepResult Process(Document* doc, Counters* counters) = 0;
};

// Options of one step as given in a recipe or YAML config: scalar values as
// strings, parsed by typed getters. Getters record which keys were read so
// that unknown (misspelled) keys can be reported as errors.
class StepOptions {
 public:
  StepOptions() = default;
  explicit StepOptions(std::map<std::string, std::string> values)
      : values_(std::move(values)) {}

  void Set(std::string key, std::string value) {
    values_[std::move(key)] = std::move(value);
  }
  bool Has(std::string_view key) const {
    return values_.find(std::string(key)) != values_.end();
  }

  // Each getter returns the default when the key is absent and records an
  // error (see status()) when the value does not parse.
  double GetDouble(std::string_view key, double def);
  int64_t GetInt(std::string_view key, int64_t def);
  bool GetBool(std::string_view key, bool def);
  std::string GetString(std::string_view key, std::string def);
  // A list: items separated by newlines (the config loader joins YAML lists
  // with '\n'). No other separator, so an item may itself be "," or ":".
  std::vector<std::string> GetList(std::string_view key,
                                   std::vector<std::string> def);

  // Error from a getter, or an unknown key that no getter asked for.
  // Call after the factory has read all its options.
  Status status() const;

  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> used_;
  std::string error_;
};

// Creates a configured Step, or an InvalidArgument status.
using StepFactory =
    std::function<Result<std::unique_ptr<Step>>(StepOptions& options)>;

// Maps a step type name (as written in recipes and YAML configs) to its
// factory. Each module that provides steps exposes a
// `void Register<Module>Steps(StepRegistry*)` function; the pipeline calls
// them all once.
class StepRegistry {
 public:
  struct Entry {
    std::string type;
    std::string summary;  // one line, shown by `winnow steps`
    StepFactory factory;
  };
  // REQUIRES: `type` not yet registered.
  void Register(std::string type, std::string summary, StepFactory factory) {
    entries_.push_back({std::move(type), std::move(summary), std::move(factory)});
  }
  const Entry* Find(std::string_view type) const {
    for (const auto& e : entries_)
      if (e.type == type) return &e;
    return nullptr;
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace winnow

#endif  // WINNOW_STEP_H_
