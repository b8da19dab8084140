#include "io/input_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

namespace winnow {
namespace {

constexpr size_t kReadBlock = 1 << 20;

std::atomic<uint64_t> g_gzip_fallbacks{0};

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
    // Only a regular file can be read again from an earlier offset.
    struct stat st;
    if (fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      off_t at = lseek(fd_, 0, SEEK_CUR);
      if (at >= 0) {
        can_rewind_ = true;
        fd_base_ = static_cast<uint64_t>(at);
      }
    }
  }
  // Reads from memory that outlives the source.
  explicit ByteSource(std::string_view mem) : path_("<memory>") {
    data_ = mem.data();
    end_ = mem.size();
    eof_ = true;
    can_rewind_ = true;
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

  // True when Rewind() works: memory, or a regular file.
  bool can_rewind() const { return can_rewind_; }

  // Goes back to `offset` (<= consumed()), so that the bytes from there are
  // delivered again; consumed() becomes `offset`. Needs can_rewind().
  Status Rewind(uint64_t offset) {
    uint64_t buffer_start = consumed_ - pos_;  // input offset of data_[0]
    if (offset >= buffer_start) {
      pos_ = static_cast<size_t>(offset - buffer_start);
      consumed_ = offset;
      return Status::OK();
    }
    if (fd_ < 0 || !can_rewind_) {
      return Status::Internal("cannot rewind " + path_);
    }
    if (lseek(fd_, static_cast<off_t>(fd_base_ + offset), SEEK_SET) < 0) {
      return Status::IOError(ErrnoMessage("seek", path_, errno));
    }
    pos_ = end_ = 0;
    eof_ = false;
    consumed_ = offset;
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
  bool can_rewind_ = false;
  uint64_t fd_base_ = 0;  // file offset of input offset 0
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

// Length of the gzip member header at the start of `b` when ISA-L may decode
// the member: 0 when the header does not end inside `b`, -1 when the member
// is zlib's (not gzip's magic and method, reserved flag bits, or a header
// CRC). ISA-L is only given a member whose header is wholly buffered: it
// forgets the header's flags when the header is split across its calls.
int64_t FastGzipHeaderLength(std::string_view b) {
  auto u = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() < 10) {
    // Too short to judge: decide on the bytes there are.
    if ((b.size() >= 1 && u(0) != 0x1f) || (b.size() >= 2 && u(1) != 0x8b) ||
        (b.size() >= 3 && u(2) != 8) || (b.size() >= 4 && (u(3) & 0xe2) != 0)) {
      return -1;
    }
    return 0;
  }
  if (u(0) != 0x1f || u(1) != 0x8b || u(2) != 8) return -1;
  const unsigned flags = u(3);
  if ((flags & 0xe2) != 0) return -1;  // reserved bits, FHCRC
  size_t pos = 10;
  if (flags & 0x04) {  // FEXTRA
    if (b.size() < pos + 2) return 0;
    pos += 2 + (u(pos) | (u(pos + 1) << 8));
  }
  for (unsigned flag : {0x08u, 0x10u}) {  // FNAME, FCOMMENT: zero-terminated
    if ((flags & flag) == 0) continue;
    if (pos >= b.size()) return 0;
    size_t nul = b.find('\0', pos);
    if (nul == std::string_view::npos) return 0;
    pos = nul + 1;
  }
  return pos <= b.size() ? static_cast<int64_t>(pos) : 0;
}

// Decoded bytes of a member stay held until its trailer is verified or they
// are this far behind the decoder (see input_stream.h).
constexpr size_t kGzipHoldLag = 512 << 10;
constexpr size_t kGzipHoldCapacity = 2 << 20;

// gzip through ISA-L with zlib as the reference. The fast path decodes into
// hold_ and releases bytes from there; on any failure of the fast path,
// Fallback() rewinds the input to the current member's start and zlib
// decodes from there to the end of the stream, first skipping the member's
// bytes that were already delivered. The zlib path is the whole decoder when
// the input cannot rewind or GzipDecoder::kZlib was asked for.
class GzipStream final : public StreamBase {
 public:
  GzipStream(std::unique_ptr<ByteSource> src, const InputLimits& limits,
             GzipDecoder decoder)
      : StreamBase(std::move(src), limits) {
    std::memset(&zs_, 0, sizeof(zs_));
    init_ok_ = inflateInit2(&zs_, 15 + 16) == Z_OK;
    fast_ = decoder == GzipDecoder::kFast && this->src().can_rewind();
    if (fast_) {
      isal_ = std::make_unique<inflate_state>();
      hold_.reset(new char[kGzipHoldCapacity]);
    }
  }
  ~GzipStream() override {
    if (init_ok_) inflateEnd(&zs_);
  }
  Compression compression() const override { return Compression::kGzip; }

 protected:
  Status Decode(char* buf, size_t n, size_t* got) override {
    *got = 0;
    if (!init_ok_) return Status::Internal("inflateInit2 failed");
    while (fast_ && *got < n && !fast_done_) {
      if (hold_pos_ < hold_ready_) {
        size_t k = std::min(n - *got, hold_ready_ - hold_pos_);
        std::memcpy(buf + *got, hold_.get() + hold_pos_, k);
        hold_pos_ += k;
        fast_delivered_ += k;
        *got += k;
        continue;
      }
      WINNOW_RETURN_IF_ERROR(FastStep());
    }
    if (fast_) return Status::OK();
    size_t more = 0;
    Status s = ZlibDecode(buf + *got, n - *got, &more);
    *got += more;
    return s;
  }

 private:
  // Decodes more of the stream with ISA-L into hold_ (called when every
  // released byte was delivered), or hands the stream to zlib. Returns non-OK
  // only when the input cannot be rewound.
  Status FastStep() {
    ByteSource& in = src();
    if (!fast_in_member_) {
      // Between members: skip zero padding, stop at the end of input.
      if (!in.Fill(1).ok()) return Fallback();
      std::string_view b = in.buffered();
      size_t zeros = 0;
      while (zeros < b.size() && b[zeros] == '\0') ++zeros;
      in.Consume(zeros);
      if (zeros > 0) return Status::OK();
      if (in.AtEnd()) {
        fast_done_ = true;
        return Status::OK();
      }
      int64_t header = FastGzipHeaderLength(in.buffered());
      if (header == 0) {
        if (!in.Fill(kReadBlock).ok()) return Fallback();
        header = FastGzipHeaderLength(in.buffered());
      }
      if (header <= 0) return Fallback();
      isal_inflate_init(isal_.get());
      isal_->crc_flag = ISAL_GZIP;
      member_start_ = in.consumed();
      member_delivered_from_ = fast_delivered_;
      fast_in_member_ = true;
    }
    // Keep room to decode into: drop the delivered bytes.
    if (hold_pos_ > 0 && kGzipHoldCapacity - hold_end_ < kGzipHoldLag) {
      std::memmove(hold_.get(), hold_.get() + hold_pos_, hold_end_ - hold_pos_);
      hold_end_ -= hold_pos_;
      hold_ready_ -= hold_pos_;
      hold_pos_ = 0;
    }
    if (in.buffered().empty() && !in.Fill(1).ok()) return Fallback();
    std::string_view b = in.buffered();
    const uint32_t avail_in =
        static_cast<uint32_t>(std::min<size_t>(b.size(), 1u << 30));
    const uint32_t avail_out =
        static_cast<uint32_t>(kGzipHoldCapacity - hold_end_);
    isal_->next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(b.data()));
    isal_->avail_in = avail_in;
    isal_->next_out = reinterpret_cast<uint8_t*>(hold_.get() + hold_end_);
    isal_->avail_out = avail_out;
    int ret = isal_inflate(isal_.get());
    const size_t consumed = avail_in - isal_->avail_in;
    const size_t produced = avail_out - isal_->avail_out;
    in.Consume(consumed);
    hold_end_ += produced;
    if (ret != ISAL_DECOMP_OK) return Fallback();
    if (isal_->block_state == ISAL_BLOCK_FINISH) {
      // The trailer's CRC32 and ISIZE matched: the member is good.
      hold_ready_ = hold_end_;
      fast_in_member_ = false;
      return Status::OK();
    }
    if (hold_end_ > hold_ready_ + kGzipHoldLag) {
      hold_ready_ = hold_end_ - kGzipHoldLag;
    }
    if (consumed == 0 && produced == 0) {
      // No progress: more input, else the input ended inside the member.
      size_t have = in.buffered().size();
      if (have < kReadBlock && !in.AtEnd() && in.Fill(have + 1).ok() &&
          in.buffered().size() > have) {
        return Status::OK();
      }
      return Fallback();
    }
    return Status::OK();
  }

  // Hands the rest of the stream to zlib, from the start of the current
  // member if one was begun; the held bytes are dropped (zlib decodes them
  // again) and the member's bytes already delivered are skipped.
  Status Fallback() {
    g_gzip_fallbacks.fetch_add(1, std::memory_order_relaxed);
    fast_ = false;
    hold_pos_ = hold_ready_ = hold_end_ = 0;
    if (!fast_in_member_) return Status::OK();
    fast_in_member_ = false;
    skip_ = fast_delivered_ - member_delivered_from_;
    return src().Rewind(member_start_);
  }

  Status ZlibDecode(char* buf, size_t n, size_t* got) {
    *got = 0;
    // The bytes of the member the fast path delivered: decoded again, not
    // delivered again. zlib failing inside them would mean that ISA-L
    // accepted what zlib rejects; its error is then returned at once.
    while (skip_ > 0) {
      char* scratch = hold_.get();
      size_t g = 0;
      Status s = ZlibInflate(scratch,
                             std::min<uint64_t>(skip_, kGzipHoldCapacity), &g);
      skip_ -= g;
      if (!s.ok()) {
        skip_ = 0;
        return s;
      }
      if (g == 0) skip_ = 0;
    }
    return ZlibInflate(buf, n, got);
  }

  Status ZlibInflate(char* buf, size_t n, size_t* got) {
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
      // At the end of the input inflate still runs once per call: it may
      // hold output it had no room for (the rest of a match) or bits it
      // has not decoded. Only then is the member truncated; so the bytes
      // delivered before the error do not depend on the read sizes.
      std::string_view b = in.buffered();
      uInt avail = static_cast<uInt>(std::min<size_t>(b.size(), 1u << 30));
      zs_.next_in = b.empty()
                        ? Z_NULL
                        : reinterpret_cast<Bytef*>(const_cast<char*>(b.data()));
      zs_.avail_in = avail;
      char* out_before = reinterpret_cast<char*>(zs_.next_out);
      int ret = inflate(&zs_, Z_NO_FLUSH);
      bool progress = zs_.avail_in != avail ||
                      reinterpret_cast<char*>(zs_.next_out) != out_before;
      in.Consume(avail - zs_.avail_in);
      if (b.empty() && !progress && ret != Z_STREAM_END &&
          (ret == Z_OK || ret == Z_BUF_ERROR)) {
        err = Status::Corruption("truncated gzip stream in " + in.path() +
                                 " after " + std::to_string(in.consumed()) +
                                 " compressed bytes");
        break;
      }
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

  // zlib.
  z_stream zs_;
  bool init_ok_ = false;
  bool in_member_ = false;
  uint64_t skip_ = 0;

  // ISA-L.
  bool fast_ = false;
  bool fast_done_ = false;  // the fast path reached the end of input
  bool fast_in_member_ = false;
  std::unique_ptr<inflate_state> isal_;
  uint64_t member_start_ = 0;           // input offset of the member's header
  uint64_t fast_delivered_ = 0;         // bytes delivered by the fast path
  uint64_t member_delivered_from_ = 0;  // fast_delivered_ at member start
  std::unique_ptr<char[]> hold_;
  size_t hold_pos_ = 0;    // next byte to deliver
  size_t hold_ready_ = 0;  // end of the releasable bytes
  size_t hold_end_ = 0;    // end of the decoded bytes
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
    return Status::Corruption(
        "corrupt zstd stream in " + src().path() + " near compressed byte " +
        std::to_string(src().consumed()) + ": " + ZSTD_getErrorName(code));
  }

  ZSTD_DCtx* dctx_;
  bool in_frame_ = false;
};

Result<std::unique_ptr<InputStream>> MakeStream(std::unique_ptr<ByteSource> src,
                                                const InputLimits& limits,
                                                GzipDecoder gzip) {
  WINNOW_RETURN_IF_ERROR(src->Fill(4));
  switch (DetectCompression(src->buffered())) {
    case Compression::kGzip:
      return std::unique_ptr<InputStream>(
          new GzipStream(std::move(src), limits, gzip));
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
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "unknown";
}

uint64_t GzipFallbackCount() {
  return g_gzip_fallbacks.load(std::memory_order_relaxed);
}

bool IsTruncation(const Status& status) {
  return status.code() == Status::Code::kCorruption &&
         status.message().compare(0, 9, "truncated") == 0;
}

Result<std::unique_ptr<InputStream>> OpenInputStream(const std::string& path,
                                                     const InputLimits& limits,
                                                     GzipDecoder gzip) {
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
  return MakeStream(std::make_unique<ByteSource>(fd, owns, path), limits, gzip);
}

std::unique_ptr<InputStream> NewMemoryInputStream(std::string_view data,
                                                  const InputLimits& limits,
                                                  GzipDecoder gzip) {
  // Filling a memory source cannot fail.
  return std::move(MakeStream(std::make_unique<ByteSource>(data), limits, gzip))
      .value();
}

}  // namespace winnow
