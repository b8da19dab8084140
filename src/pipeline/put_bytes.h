// Appends fixed-width integers in the machine's byte order (little-endian on
// every supported target) to a byte string: the binary intermediate files of
// the pipeline (spills, shingle sets) use this layout and are read back on
// the same kind of machine.
#ifndef WINNOW_PIPELINE_PUT_BYTES_H_
#define WINNOW_PIPELINE_PUT_BYTES_H_

#include <cstdint>
#include <string>

namespace winnow {

inline void PutU32(uint32_t v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), 4);
}
inline void PutU64(uint64_t v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), 8);
}

}  // namespace winnow

#endif  // WINNOW_PIPELINE_PUT_BYTES_H_
