// Shared helpers of the libFuzzer targets: an input-size cap and a check
// that stops the fuzzer with a message when a property does not hold.
#ifndef WINNOW_FUZZ_FUZZ_CHECK_H_
#define WINNOW_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

// Inputs above this size are skipped: each run must stay fast, and the
// size limits of the code under test are exercised with lowered limits.
inline constexpr size_t kFuzzMaxInput = size_t{1} << 20;

inline std::string_view FuzzBytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

#define FUZZ_CHECK(cond)                                              \
  do {                                                                \
    if (!(cond)) {                                                    \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                  \
      __builtin_trap();                                               \
    }                                                                 \
  } while (0)

#endif  // WINNOW_FUZZ_FUZZ_CHECK_H_
