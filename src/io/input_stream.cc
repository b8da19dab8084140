#include "io/input_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace winnow {
namespace {

constexpr size_t kReadBlock = 1 << 20;

std::string ErrnoMessage(std::string_view what, const std::string& path,
                         int err) {
  std::string msg(what);
  msg.append(" ");
  msg.append(path);
  msg.append(": ");
  msg.append(strerror(err));
  return msg;
}

// Raw bytes from a file descriptor or from memory, with a look-ahead buffer
// so that the first bytes can be sniffed without consuming them.
class ByteSource {
 public:
  // Reads from `fd`; closes it on destruction when `owns_fd`.
  ByteSource(int fd, bool owns_fd, std::string path)
      : fd_(fd), owns_fd_(owns_fd), path_(std::move(path)),
        storage_(new char[kReadBlock]) {
    data_ = storage_.get();
  }
  // Reads from memory that outlives the source.
  explicit ByteSource(std::string_view mem) : path_("<memory>") {
    data_ = mem.data();
    end_ = mem.size();
    eof_ = true;
  }
  ~ByteSource() {
    if (owns_fd_ && fd_ >= 0) close(fd_);
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  const std::string& path() const { return path_; }

  // Bytes buffered and not yet consumed.
  std::string_view buffered() const {
    return std::string_view(data_ + pos_, end_ - pos_);
  }
  void Consume(size_t n) {
    pos_ += n;
    consumed_ += n;
  }
  // True when the buffer is empty and the underlying input is exhausted.
  bool AtEnd() const { return pos_ == end_ && eof_; }
  // Bytes consumed from the underlying input so far.
  uint64_t consumed() const { return consumed_; }

  // Makes at least `want` (<= kReadBlock) bytes available unless the input
  // ends first.
  Status Fill(size_t want) {
    if (fd_ < 0) return Status::OK();
    if (end_ - pos_ >= want) return Status::OK();
    char* buf = storage_.get();
    if (pos_ > 0) {
      std::memmove(buf, buf + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    while (!eof_ && end_ < want) {
      size_t got = 0;
      WINNOW_RETURN_IF_ERROR(ReadFd(buf + end_, kReadBlock - end_, &got));
      if (got == 0) eof_ = true;
      end_ += got;
    }
    return Status::OK();
  }

  // Copies buffered bytes first, then reads straight into `buf`.
  Status ReadInto(char* buf, size_t n, size_t* got) {
    *got = 0;
    if (pos_ < end_) {
      size_t k = std::min(n, end_ - pos_);
      std::memcpy(buf, data_ + pos_, k);
      Consume(k);
      *got = k;
      return Status::OK();
    }
    if (eof_ || fd_ < 0) return Status::OK();
    WINNOW_RETURN_IF_ERROR(ReadFd(buf, n, got));
    if (*got == 0) eof_ = true;
    consumed_ += *got;
    return Status::OK();
  }

 private:
  Status ReadFd(char* buf, size_t n, size_t* got) {
    for (;;) {
      ssize_t r = read(fd_, buf, n);
      if (r >= 0) {
        *got = static_cast<size_t>(r);
        return Status::OK();
      }
      if (errno == EINTR) continue;
      return Status::IOError(ErrnoMessage("read", path_, errno));
    }
  }

  int fd_ = -1;
  bool owns_fd_ = false;
  std::string path_;
  std::unique_ptr<char[]> storage_;
  const char* data_ = nullptr;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t consumed_ = 0;
};

// Common limit accounting and sticky errors. Subclasses implement Decode(),
// which may return an error together with good bytes (*got > 0); the error
// is then reported on the next call.
class StreamBase : public InputStream {
 public:
  StreamBase(std::unique_ptr<ByteSource> src, const InputLimits& limits)
      : src_(std::move(src)), limit_(limits.max_decompressed_bytes) {}

  Status Read(char* buf, size_t n, size_t* got) final {
    *got = 0;
    if (!status_.ok()) return status_;
    if (!pending_.ok()) {
      status_ = std::move(pending_);
      return status_;
    }
    if (n == 0) return Status::OK();
    if (limit_ != 0 && delivered_ >= limit_) {
      // Probe one byte: the limit only fails a stream that has more data.
      char probe;
      size_t g = 0;
      Status s = Decode(&probe, 1, &g);
      if (g > 0) {
        status_ = Status::ResourceExhausted(
            "decoded size of " + src_->path() + " exceeds the limit of " +
            std::to_string(limit_) + " bytes (max_decompressed_bytes)");
      } else if (!s.ok()) {
        status_ = std::move(s);
      }
      return status_;
    }
    if (limit_ != 0) n = static_cast<size_t>(std::min<uint64_t>(n, limit_ - delivered_));
    Status s = Decode(buf, n, got);
    delivered_ += *got;
    if (!s.ok()) {
      if (*got > 0) {
        pending_ = std::move(s);
      } else {
        status_ = std::move(s);
        return status_;
      }
    }
    return Status::OK();
  }

  uint64_t bytes_read() const final { return delivered_; }

 protected:
  virtual Status Decode(char* buf, size_t n, size_t* got) = 0;
  ByteSource& src() { return *src_; }

 private:
  std::unique_ptr<ByteSource> src_;
  uint64_t limit_;
  uint64_t delivered_ = 0;
  Status status_;
  Status pending_;
};

class PlainStream final : public StreamBase {
 public:
  using StreamBase::StreamBase;
  Compression compression() const override { return Compression::kNone; }

 protected:
  Status Decode(char* buf, size_t n, size_t* got) override {
    return src().ReadInto(buf, n, got);
  }
};

class GzipStream final : public StreamBase {
 public:
  GzipStream(std::unique_ptr<ByteSource> src, const InputLimits& limits)
      : StreamBase(std::move(src), limits) {
    std::memset(&zs_, 0, sizeof(zs_));
    init_ok_ = inflateInit2(&zs_, 15 + 16) == Z_OK;
  }
  ~GzipStream() override {
    if (init_ok_) inflateEnd(&zs_);
  }
  Compression compression() const override { return Compression::kGzip; }

 protected:
  Status Decode(char* buf, size_t n, size_t* got) override {
    *got = 0;
    if (!init_ok_) return Status::Internal("inflateInit2 failed");
    ByteSource& in = src();
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    Status err;
    while (zs_.avail_out > 0) {
      if (in.buffered().empty()) {
        err = in.Fill(1);
        if (!err.ok()) break;
      }
      if (!in_member_) {
        // Between members: skip zero padding, stop at the end of input.
        std::string_view b = in.buffered();
        size_t zeros = 0;
        while (zeros < b.size() && b[zeros] == '\0') ++zeros;
        in.Consume(zeros);
        if (zeros > 0) continue;
        if (in.AtEnd()) break;
        if (inflateReset(&zs_) != Z_OK) {
          err = Status::Internal("inflateReset failed");
          break;
        }
        in_member_ = true;
      }
      std::string_view b = in.buffered();
      if (b.empty()) {
        err = Status::Corruption("truncated gzip stream in " + in.path() +
                                 " after " + std::to_string(in.consumed()) +
                                 " compressed bytes");
        break;
      }
      uInt avail = static_cast<uInt>(std::min<size_t>(b.size(), 1u << 30));
      zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data()));
      zs_.avail_in = avail;
      char* out_before = reinterpret_cast<char*>(zs_.next_out);
      int ret = inflate(&zs_, Z_NO_FLUSH);
      bool progress = zs_.avail_in != avail ||
                      reinterpret_cast<char*>(zs_.next_out) != out_before;
      in.Consume(avail - zs_.avail_in);
      if (ret == Z_BUF_ERROR && !progress) {
        err = Status::Corruption("corrupt gzip stream in " + in.path() +
                                 ": inflate made no progress");
        break;
      }
      if (ret == Z_STREAM_END) {
        in_member_ = false;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        err = Status::Corruption(
            "corrupt gzip stream in " + in.path() + " near compressed byte " +
            std::to_string(in.consumed()) + ": " +
            (zs_.msg != nullptr ? zs_.msg : "inflate error " + std::to_string(ret)));
        break;
      }
    }
    *got = static_cast<size_t>(reinterpret_cast<char*>(zs_.next_out) - buf);
    return err;
  }

 private:
  z_stream zs_;
  bool init_ok_ = false;
  bool in_member_ = false;
};

class ZstdStream final : public StreamBase {
 public:
  ZstdStream(std::unique_ptr<ByteSource> src, const InputLimits& limits)
      : StreamBase(std::move(src), limits), dctx_(ZSTD_createDCtx()) {}
  ~ZstdStream() override { ZSTD_freeDCtx(dctx_); }
  Compression compression() const override { return Compression::kZstd; }

 protected:
  Status Decode(char* buf, size_t n, size_t* got) override {
    *got = 0;
    if (dctx_ == nullptr) return Status::Internal("ZSTD_createDCtx failed");
    ByteSource& in = src();
    ZSTD_outBuffer out{buf, n, 0};
    Status err;
    while (out.pos < out.size) {
      if (in.buffered().empty()) {
        err = in.Fill(1);
        if (!err.ok()) break;
      }
      std::string_view b = in.buffered();
      if (b.empty()) {
        if (!in_frame_) break;
        // Flush what the context still holds; no progress means truncation.
        ZSTD_inBuffer empty{nullptr, 0, 0};
        size_t before = out.pos;
        size_t ret = ZSTD_decompressStream(dctx_, &out, &empty);
        if (ZSTD_isError(ret)) {
          err = Corrupt(ret);
          break;
        }
        in_frame_ = ret != 0;
        if (out.pos == before && in_frame_) {
          err = Status::Corruption("truncated zstd stream in " + in.path() +
                                   " after " + std::to_string(in.consumed()) +
                                   " compressed bytes");
          break;
        }
        continue;
      }
      ZSTD_inBuffer zin{b.data(), b.size(), 0};
      size_t ret = ZSTD_decompressStream(dctx_, &out, &zin);
      in.Consume(zin.pos);
      if (ZSTD_isError(ret)) {
        err = Corrupt(ret);
        break;
      }
      in_frame_ = ret != 0;
    }
    *got = out.pos;
    return err;
  }

 private:
  Status Corrupt(size_t code) {
    return Status::Corruption("corrupt zstd stream in " + src().path() +
                              " near compressed byte " +
                              std::to_string(src().consumed()) + ": " +
                              ZSTD_getErrorName(code));
  }

  ZSTD_DCtx* dctx_;
  bool in_frame_ = false;
};

Result<std::unique_ptr<InputStream>> MakeStream(
    std::unique_ptr<ByteSource> src, const InputLimits& limits) {
  WINNOW_RETURN_IF_ERROR(src->Fill(4));
  switch (DetectCompression(src->buffered())) {
    case Compression::kGzip:
      return std::unique_ptr<InputStream>(
          new GzipStream(std::move(src), limits));
    case Compression::kZstd:
      return std::unique_ptr<InputStream>(
          new ZstdStream(std::move(src), limits));
    case Compression::kNone:
      break;
  }
  return std::unique_ptr<InputStream>(new PlainStream(std::move(src), limits));
}

}  // namespace

Compression DetectCompression(std::string_view b) {
  auto u = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) return Compression::kGzip;
  if (b.size() >= 4 && u(1) == 0xb5 && u(2) == 0x2f && u(3) == 0xfd &&
      u(0) == 0x28) {
    return Compression::kZstd;
  }
  // Skippable frame: 0x184D2A50..0x184D2A5F little endian.
  if (b.size() >= 4 && (u(0) & 0xf0) == 0x50 && u(1) == 0x2a && u(2) == 0x4d &&
      u(3) == 0x18) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "unknown";
}

bool IsTruncation(const Status& status) {
  return status.code() == Status::Code::kCorruption &&
         status.message().compare(0, 9, "truncated") == 0;
}

Result<std::unique_ptr<InputStream>> OpenInputStream(
    const std::string& path, const InputLimits& limits) {
  int fd;
  bool owns = true;
  if (path == "-") {
    fd = STDIN_FILENO;
    owns = false;
  } else {
    do {
      fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR) {
        return Status::NotFound(ErrnoMessage("open", path, e));
      }
      return Status::IOError(ErrnoMessage("open", path, e));
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  return MakeStream(std::make_unique<ByteSource>(fd, owns, path), limits);
}

std::unique_ptr<InputStream> NewMemoryInputStream(std::string_view data,
                                                  const InputLimits& limits) {
  // Filling a memory source cannot fail.
  return std::move(MakeStream(std::make_unique<ByteSource>(data), limits))
      .value();
}

}  // namespace winnow
