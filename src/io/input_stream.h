// Sequential input with transparent decompression.
//
// OpenInputStream() sniffs the first bytes of a file (never its name) and
// returns a stream of decoded bytes: plain, gzip (any number of concatenated
// members, zero padding between/after members tolerated) or zstd (any number
// of concatenated frames, skippable frames ignored; frames needing a window
// above zstd's default decoding limit of 128 MiB, as made by `zstd --long=31`,
// are reported as corrupt rather than allowed to allocate up to 2 GiB).
//
// Errors are reported after the good bytes: a stream first delivers every
// byte it could decode, then returns the error on the next Read(). This lets
// readers keep the records before a truncation or a corrupt block.
//
// gzip is inflated by ISA-L (igzip), about 2.5x zlib's speed; its results are
// zlib's by construction: a member's bytes are held back until its CRC32 and
// ISIZE are verified or they lie 512 KiB behind the decoder, and if ISA-L
// fails on a member (corrupt, truncated, or a header it is not trusted with)
// zlib decodes the rest of the stream from that member's start, skipping the
// bytes already delivered. So the bytes, the statuses and their messages are
// those of zlib alone (GzipDecoder::kZlib), with one known exception: ISA-L
// accepts an incomplete dynamic Huffman code, which zlib rejects; a member
// with such a code whose CRC32 and ISIZE are right (crafted: no encoder
// writes one) is delivered, and a damaged one decoded more than 512 KiB past
// such a block header delivers bytes zlib would not have. Standard input and
// other streams that cannot seek back use zlib alone.
//
// Thread safety: an InputStream is used by one thread at a time.
#ifndef WINNOW_IO_INPUT_STREAM_H_
#define WINNOW_IO_INPUT_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/status.h"

namespace winnow {

enum class Compression { kNone, kGzip, kZstd };

// Detects compression from magic bytes (gzip 1f 8b; zstd 28 b5 2f fd or a
// skippable frame 5X 2a 4d 18), never from the name. Looks at up to 4 bytes;
// fewer than 4 never match zstd.
Compression DetectCompression(std::string_view first_bytes);

// "none", "gzip", "zstd".
std::string_view CompressionName(Compression c);

struct InputLimits {
  // Stop decoding after this many decoded bytes and fail with
  // ResourceExhausted: a guard against decompression bombs. Applies to plain
  // files too (the decoded size of a plain file is its size). 0 = unlimited.
  // Default: 64 GiB, far above any sane shard, small enough to stop a bomb
  // before it fills a disk.
  uint64_t max_decompressed_bytes = 64ull << 30;
};

// A sequential byte stream, decompressed transparently (multi-member gzip and
// concatenated zstd frames are read whole).
class InputStream {
 public:
  virtual ~InputStream() = default;

  // Reads up to n bytes into buf; *got == 0 (with OK) means end of stream.
  // After all good bytes were delivered, returns non-OK for an I/O error
  // (IOError), corrupt or truncated compressed data (Corruption; see
  // IsTruncation) or a limit hit (ResourceExhausted). Once non-OK, every
  // later call returns the same status with *got == 0.
  virtual Status Read(char* buf, size_t n, size_t* got) = 0;

  virtual Compression compression() const = 0;

  // Decoded bytes delivered so far.
  virtual uint64_t bytes_read() const = 0;
};

// Which inflater decodes gzip: kFast (ISA-L with the zlib fallback above,
// the default) or kZlib (zlib alone: the reference for tests and fuzzing).
enum class GzipDecoder { kFast, kZlib };

// Opens `path` ("-" means stdin, which is not closed). Returns NotFound when
// the path does not exist, IOError when it cannot be opened or read (a
// directory, no permission). Reads are issued in 1 MiB blocks.
Result<std::unique_ptr<InputStream>> OpenInputStream(
    const std::string& path, const InputLimits& limits,
    GzipDecoder gzip = GzipDecoder::kFast);

// A stream over bytes in memory, decoded like a file (compression is detected
// the same way). `data` must outlive the stream. Used by tests, benchmarks
// and callers that already hold a file's bytes.
std::unique_ptr<InputStream> NewMemoryInputStream(
    std::string_view data, const InputLimits& limits,
    GzipDecoder gzip = GzipDecoder::kFast);

// How many times, in this process, a gzip stream's fast path handed over to
// zlib (corrupt or truncated input, a header left to zlib, an I/O error).
// For tests and benchmarks: on good input it stays unchanged.
uint64_t GzipFallbackCount();

// True for the Corruption statuses that mean "the compressed data ended
// early" (their message starts with "truncated").
bool IsTruncation(const Status& status);

}  // namespace winnow

#endif  // WINNOW_IO_INPUT_STREAM_H_
