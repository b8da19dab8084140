// Atomic, deterministic file output and small file-system helpers.
//
// AtomicFileWriter writes a file so that `path` either does not change or
// holds the complete new contents: data goes to "<path>.tmp.<pid>.<n>" in the
// same directory; Finish() flushes, fsyncs, renames onto `path` and fsyncs
// the directory (or leaves both fsyncs to a SyncList, below). Like leveldb's
// TableBuilder: Append() with a sticky status(), then Finish() or Abandon().
// The destructor abandons (closes and unlinks the temp file) if neither was
// called, and does no other I/O.
//
// Output is byte-deterministic: the same sequence of appended bytes gives the
// same file bytes, however the bytes were split across Append() calls.
// Compression runs single-threaded at the given level, on 1 MiB blocks; gzip
// headers carry no name and mtime 0 (OS byte 3, "Unix", on every platform);
// zstd frames carry a content checksum.
//
// Errors (disk full, quota, I/O) become a non-OK status() naming the final
// path, the temp path and strerror; the writer never aborts the process.
//
// Thread safety: one writer is used by one thread at a time.
#ifndef WINNOW_IO_OUTPUT_FILE_H_
#define WINNOW_IO_OUTPUT_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/input_stream.h"
#include "winnow/status.h"

namespace winnow {

// Deferred durability for the files a job task writes. Each fsync waits for
// a journal commit (~3 ms on this project's VMs, and longer for a large
// file's tail); a task of the dedup recipe finishes ~20 files, and with two
// worker threads every wait leaves a core idle: measured on 500k generated
// documents, the run took 16.4-17.6 s with the fsyncs and 14.7-15.1 s
// without (3 alternating pairs, docs/BENCHMARKS.md).
//
// While a ScopedDeferSync is active on a thread, AtomicFileWriter::Finish()
// and WriteFileAtomically() on that thread rename the file into place
// without their two fsyncs and hand its path and directory to the
// SyncList; SyncList::SyncAll() later makes them all durable, typically on
// another thread while the worker computes the next task. A file may be
// deleted before SyncAll() (it is then skipped) but not renamed: fsync goes
// by path. Between the
// two the file is complete for every reader (the page cache holds it), but a
// power failure may lose it, so a caller records its work as done (the job
// runner's task marker) only after SyncAll() succeeded.
class SyncList {
 public:
  SyncList() = default;
  SyncList(const SyncList&) = delete;
  SyncList& operator=(const SyncList&) = delete;

  // fsyncs every handed-over file that still exists (a file deleted since,
  // such as a merged spill, needs no durability), then each directory once.
  // Returns the first error; afterwards the list is empty either way.
  Status SyncAll();

  size_t files() const { return paths_.size(); }

 private:
  friend class AtomicFileWriter;
  void Add(std::string path, std::string dir);

  std::vector<std::string> paths_;
  std::vector<std::string> dirs_;
};

// Routes this thread's Finish() calls to `list` until destroyed (scopes
// nest; the innermost wins). REQUIRES: list outlives the scope.
class ScopedDeferSync {
 public:
  explicit ScopedDeferSync(SyncList* list);
  ~ScopedDeferSync();
  ScopedDeferSync(const ScopedDeferSync&) = delete;
  ScopedDeferSync& operator=(const ScopedDeferSync&) = delete;

 private:
  SyncList* previous_;
};

class BlockCodec;  // internal: compresses one block (output_file.cc)

class AtomicFileWriter {
 public:
  // Creates the temp file (mode 0666 & ~umask). `level`: gzip -1 (zlib's
  // default, 6) or 0..9; zstd ZSTD_minCLevel()..ZSTD_maxCLevel() (0 means
  // zstd's default, 3); ignored for kNone. Returns InvalidArgument for a bad
  // level, NotFound/IOError when the temp file cannot be created.
  static Result<std::unique_ptr<AtomicFileWriter>> Create(
      const std::string& path, Compression compression, int level);

  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Appends bytes. After an error, does nothing (see status()).
  // REQUIRES: neither Finish() nor Abandon() was called.
  void Append(std::string_view data);

  // OK, or the first error of Append()/Finish().
  Status status() const { return status_; }

  // Completes the file: flushes, fsyncs (writeback of the bytes already
  // written is started every 8 MiB as they are written, so the fsync waits
  // only for the tail), renames onto the final path and
  // fsyncs the directory. Under a ScopedDeferSync the two fsyncs are left to
  // its SyncList. On any error, removes the temp file, leaves the
  // final path untouched (unless only the directory fsync failed) and
  // returns the error. REQUIRES: neither Finish() nor Abandon() was called.
  Status Finish();

  // Closes and removes the temp file; the final path is never touched.
  // Safe to call after an error; a no-op after Finish().
  void Abandon();

  // Bytes passed to Append() so far.
  uint64_t uncompressed_bytes() const { return uncompressed_bytes_; }
  // Bytes written to the file so far (compressed size once finished).
  uint64_t file_bytes() const { return file_bytes_; }

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFileWriter(std::string path, std::string temp_path, int fd,
                   std::unique_ptr<BlockCodec> codec);

  // Compresses (or copies) one block and writes the result.
  void WriteBlock(std::string_view block, bool last);
  void WriteRaw(std::string_view bytes);
  void Fail(std::string_view what, int err);
  void CloseAndUnlink();

  std::string path_;
  std::string temp_path_;
  int fd_;
  std::unique_ptr<BlockCodec> codec_;
  std::string block_;  // staged uncompressed bytes, < kBlockSize
  std::string out_;    // compressed output scratch
  uint64_t uncompressed_bytes_ = 0;
  uint64_t file_bytes_ = 0;
  uint64_t writeback_from_ = 0;  // file offset not yet handed to writeback
  Status status_;
  bool done_ = false;  // Finish() or Abandon() was called
};

// Writes `contents` uncompressed to `path` with the same atomic protocol.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Reads a whole file as raw bytes (no decompression). NotFound if missing.
Status ReadFileToString(const std::string& path, std::string* out);

// Creates `path` and missing parents; OK if it already is a directory.
Status CreateDirectories(const std::string& path);

// Renames `from` to `to` (atomic within one file system; replaces `to`).
// IOError naming both paths and the reason on failure.
Status RenameFile(const std::string& from, const std::string& to);

}  // namespace winnow

#endif  // WINNOW_IO_OUTPUT_FILE_H_
