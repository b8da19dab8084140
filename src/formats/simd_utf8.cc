#include "formats/simd_utf8.h"

#include <simdjson.h>

namespace winnow {

bool IsValidUtf8Simd(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

}  // namespace winnow
