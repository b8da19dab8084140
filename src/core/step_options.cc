#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "winnow/step.h"

namespace winnow {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

double StepOptions::GetDouble(std::string_view key, double def) {
  used_.emplace_back(key);
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return def;
  const char* s = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || errno != 0) {
    if (error_.empty())
      error_ = "option '" + std::string(key) + "': not a number: " + it->second;
    return def;
  }
  return v;
}

int64_t StepOptions::GetInt(std::string_view key, int64_t def) {
  used_.emplace_back(key);
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return def;
  const char* s = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0) {
    if (error_.empty())
      error_ = "option '" + std::string(key) + "': not an integer: " + it->second;
    return def;
  }
  return v;
}

bool StepOptions::GetBool(std::string_view key, bool def) {
  used_.emplace_back(key);
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return def;
  std::string v = Lower(it->second);
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  if (error_.empty())
    error_ = "option '" + std::string(key) + "': not a boolean: " + it->second;
  return def;
}

std::string StepOptions::GetString(std::string_view key, std::string def) {
  used_.emplace_back(key);
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return def;
  return it->second;
}

std::vector<std::string> StepOptions::GetList(std::string_view key,
                                              std::vector<std::string> def) {
  used_.emplace_back(key);
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return def;
  std::vector<std::string> out;
  std::string cur;
  for (char c : it->second) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty() || !it->second.empty()) out.push_back(cur);
  return out;
}

Status StepOptions::status() const {
  if (!error_.empty()) return Status::InvalidArgument(error_);
  for (const auto& [k, v] : values_) {
    if (std::find(used_.begin(), used_.end(), k) == used_.end())
      return Status::InvalidArgument("unknown option '" + k + "'");
  }
  return Status::OK();
}

}  // namespace winnow
