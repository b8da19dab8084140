#include "filters/filter_util.h"

#include <cerrno>
#include <cstdlib>

#include "core/json_writer.h"

namespace winnow::filters_internal {

StepResult RemoveWith(std::string_view reason, double value, double threshold) {
  JsonObjectBuilder b;
  b.Add("value", value).Add("threshold", threshold);
  return StepResult::Remove(std::string(reason), b.Finish());
}

Result<std::vector<std::pair<int, double>>> ParseNgramThresholds(
    std::string_view key, const std::vector<std::string>& items) {
  std::vector<std::pair<int, double>> out;
  for (const std::string& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      std::string part = item.substr(start, comma - start);
      start = comma + 1;
      size_t b = part.find_first_not_of(" \t");
      if (b == std::string::npos) continue;
      part = part.substr(b, part.find_last_not_of(" \t") - b + 1);
      size_t colon = part.find(':');
      auto bad = [&] {
        return Status::InvalidArgument("option '" + std::string(key) +
                                       "': expected n:fraction pairs, got '" +
                                       part + "'");
      };
      if (colon == std::string::npos) return bad();
      std::string n_text = part.substr(0, colon);
      std::string f_text = part.substr(colon + 1);
      char* end = nullptr;
      errno = 0;
      long n = std::strtol(n_text.c_str(), &end, 10);
      if (n_text.empty() || *end != '\0' || errno != 0 || n < 1 || n > 1000)
        return bad();
      end = nullptr;
      double f = std::strtod(f_text.c_str(), &end);
      if (f_text.empty() || *end != '\0' || errno != 0) return bad();
      out.emplace_back(static_cast<int>(n), f);
    }
  }
  return out;
}

std::string FormatNgramThresholds(const std::vector<std::pair<int, double>>& v) {
  std::string out;
  for (const auto& [n, f] : v) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(n);
    out.push_back(':');
    AppendJsonNumber(f, &out);
  }
  return out;
}

}  // namespace winnow::filters_internal
