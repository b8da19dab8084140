#include "gen/gen_flags.h"

#include <cstdlib>
#include <type_traits>

namespace winnow {

bool ParseDoubleFlag(const char* s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s, &end);
  return end != s && *end == '\0';
}

bool ParseIntFlag(const char* s, int64_t* out) {
  char* end = nullptr;
  *out = std::strtoll(s, &end, 10);
  return end != s && *end == '\0';
}

GenFlag ParseGenFlag(std::string_view flag, const char* value, GenOptions* o) {
  int64_t n = 0;
  double f = 0;
  auto integer = [&](auto* field) {
    if (!ParseIntFlag(value, &n)) return GenFlag::kBad;
    *field = static_cast<std::remove_reference_t<decltype(*field)>>(n);
    return GenFlag::kSet;
  };
  auto fraction = [&](double* field) {
    if (!ParseDoubleFlag(value, &f)) return GenFlag::kBad;
    *field = f;
    return GenFlag::kSet;
  };
  if (flag == "--docs") return integer(&o->num_docs);
  if (flag == "--seed") return integer(&o->seed);
  if (flag == "--sites") return integer(&o->num_sites);
  if (flag == "--doc-bytes") return integer(&o->target_doc_bytes);
  if (flag == "--debris") return fraction(&o->debris_fraction);
  if (flag == "--junk") return fraction(&o->junk_fraction);
  if (flag == "--near-dups") return fraction(&o->near_dup_fraction);
  if (flag == "--exact-dups") return fraction(&o->exact_dup_fraction);
  if (flag == "--bad") return fraction(&o->bad_record_fraction);
  if (flag == "--site-templates") {
    if (!ParseIntFlag(value, &n) || (n != 0 && n != 1)) return GenFlag::kBad;
    o->site_templates = n == 1;
    return GenFlag::kSet;
  }
  return GenFlag::kNotMine;
}

}  // namespace winnow
