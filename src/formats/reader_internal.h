// Internal pieces shared by the record readers (not part of the module API).
#ifndef WINNOW_FORMATS_READER_INTERNAL_H_
#define WINNOW_FORMATS_READER_INTERNAL_H_

#include <memory>
#include <string>
#include <string_view>

#include "formats/record_reader.h"

namespace winnow::formats_internal {

// Maximum excerpt length in a Rejection.
inline constexpr size_t kExcerptBytes = 200;

// The rejection reason for a stream error: truncated_input, corrupt_input,
// decompressed_limit or read_error.
std::string_view ReasonForStreamError(const Status& status);

// Fills `rej` (reusing its strings' capacity).
void FillRejection(const std::string& file, uint64_t offset,
                   std::string_view reason, std::string_view error,
                   std::string_view record, Rejection* rej);

std::unique_ptr<RecordReader> NewJsonlReader(std::unique_ptr<InputStream> in,
                                             const std::string& path,
                                             uint32_t file_index,
                                             const ReaderOptions& options);

// WARC (0.17 to 1.1, WET, WAT) and ARC readers; see record_reader.h.
std::unique_ptr<RecordReader> NewWarcReader(std::unique_ptr<InputStream> in,
                                            const std::string& path,
                                            uint32_t file_index,
                                            const ReaderOptions& options);
std::unique_ptr<RecordReader> NewArcReader(std::unique_ptr<InputStream> in,
                                           const std::string& path,
                                           uint32_t file_index,
                                           const ReaderOptions& options);

}  // namespace winnow::formats_internal

#endif  // WINNOW_FORMATS_READER_INTERNAL_H_
