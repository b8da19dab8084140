// Small helpers to emit JSON text without a DOM. Used by writers and by steps
// that record signals or removal details.
#ifndef WINNOW_CORE_JSON_WRITER_H_
#define WINNOW_CORE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow {

// Appends `s` as a JSON string literal (with quotes) to `out`. `s` must be
// valid UTF-8; control characters and '"' '\\' are escaped, everything else
// is copied verbatim.
void AppendJsonString(std::string_view s, std::string* out);

// Appends a number in the shortest form that round-trips (integers without a
// fraction). Non-finite values are written as null.
void AppendJsonNumber(double v, std::string* out);

// Builds one JSON object: {"k": v, ...} in insertion order.
class JsonObjectBuilder {
 public:
  JsonObjectBuilder() { out_ = "{"; }
  JsonObjectBuilder& Add(std::string_view key, double v);
  JsonObjectBuilder& Add(std::string_view key, int64_t v);
  JsonObjectBuilder& Add(std::string_view key, int v) {
    return Add(key, static_cast<int64_t>(v));
  }
  JsonObjectBuilder& Add(std::string_view key, bool v);
  JsonObjectBuilder& Add(std::string_view key, std::string_view v);
  JsonObjectBuilder& Add(std::string_view key, const char* v) {
    return Add(key, std::string_view(v));
  }
  // `raw` must be a complete JSON value.
  JsonObjectBuilder& AddRaw(std::string_view key, std::string_view raw);
  // Returns the object text; the builder must not be used afterwards.
  std::string Finish();

 private:
  void Key(std::string_view key);
  std::string out_;
  bool first_ = true;
};

}  // namespace winnow

#endif  // WINNOW_CORE_JSON_WRITER_H_
