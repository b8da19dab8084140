// Command-line flags of the generator's options, shared by the tools that
// generate corpora (gen_tool, boilerplate_eval, ...) so that a flag means
// the same everywhere.
#ifndef WINNOW_GEN_GEN_FLAGS_H_
#define WINNOW_GEN_GEN_FLAGS_H_

#include <cstdint>
#include <string_view>

#include "gen/generator.h"

namespace winnow {

// Parses a whole decimal integer or floating-point number.
bool ParseIntFlag(const char* s, int64_t* out);
bool ParseDoubleFlag(const char* s, double* out);

enum class GenFlag {
  kNotMine,  // not a generator flag: the caller handles it
  kSet,      // a generator flag with a valid value, stored in *options
  kBad,      // a generator flag with an invalid value
};

// Handles one `--flag value` pair of GenOptions: --docs, --seed, --sites,
// --doc-bytes, --debris, --junk, --near-dups, --exact-dups, --bad,
// --site-templates (0 or 1).
GenFlag ParseGenFlag(std::string_view flag, const char* value, GenOptions* options);

}  // namespace winnow

#endif  // WINNOW_GEN_GEN_FLAGS_H_
