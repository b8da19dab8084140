// WARC and ARC readers. Records are parsed in place in one sliding window
// over the decoded stream: a record up to max_record_bytes is held whole
// (header, block and a few bytes of what follows, to check the boundary)
// and parsed through views; a longer one is classified from its first
// 64 KiB and skipped without being kept. Gzip member boundaries are not
// used: a record is where its header says it is, and a wrong length is
// recovered from by searching the decoded bytes for the next header.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "core/ascii.h"
#include "core/json_writer.h"
#include "core/utf8.h"
#include "formats/charset.h"
#include "formats/http_payload.h"
#include "formats/reader_internal.h"

namespace winnow::formats_internal {
namespace {

constexpr size_t kInitialWindow = 1 << 20;
constexpr size_t kReadChunk = 256 << 10;
// Longest WARC header block; longer ones are rejected as bad_record_header.
constexpr size_t kMaxWarcHead = 256 << 10;
// Longest ARC header line.
constexpr size_t kMaxArcLine = 8 << 10;
// How much of a record too long to hold is looked at to classify it.
constexpr size_t kPeekBytes = 64 << 10;
// Line breaks tolerated between records before the boundary check stops
// looking (the next Read skips the rest).
constexpr size_t kMaxGapCheck = 4096;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// "WARC/<digits>.<digits>" followed by a line end, at the start of `s`.
bool IsWarcVersionLine(std::string_view s) {
  if (s.size() < 5 || std::memcmp(s.data(), "WARC/", 5) != 0) return false;
  size_t i = 5, d = 0;
  while (i < s.size() && IsAsciiDigit(s[i])) ++i, ++d;
  if (d == 0 || d > 3 || i >= s.size() || s[i] != '.') return false;
  ++i;
  d = 0;
  while (i < s.size() && IsAsciiDigit(s[i])) ++i, ++d;
  if (d == 0 || d > 3 || i >= s.size()) return false;
  return s[i] == '\r' || s[i] == '\n';
}

// A view of bytes in the window, relative to the record start.
struct Span {
  size_t off = 0;
  size_t len = 0;
};

// The fields of an ARC header line.
struct ArcLine {
  std::string_view url, date, mime;
  uint64_t length = 0;
};

// Parses "URL IP date mime length" (version 1) or the 10-field version 2
// line. Tolerates spaces inside the URL of a version 1 line.
bool ParseArcLine(std::string_view line, int version, ArcLine* out) {
  if (line.empty() || line.size() > kMaxArcLine) return false;
  if (!(line[0] >= 'a' && line[0] <= 'z') && !(line[0] >= 'A' && line[0] <= 'Z')) {
    return false;
  }
  std::string_view tok[16];
  size_t n = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    size_t s = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (n == 16) {
      // Keep the last 15 tokens in view: shift.
      for (size_t k = 1; k < 16; ++k) tok[k - 1] = tok[k];
      n = 15;
    }
    tok[n++] = line.substr(s, i - s);
  }
  if (n < 5) return false;
  std::string_view len = tok[n - 1];
  if (!AllDigits(len) || len.size() > 15) return false;
  if (version == 2 && n == 10) {
    out->url = tok[0];
    out->date = tok[2];
    out->mime = tok[3];
  } else {
    std::string_view ip = tok[n - 4];
    out->url = line.substr(0, static_cast<size_t>(ip.data() - line.data()));
    out->url = TrimSpaces(out->url);
    out->date = tok[n - 3];
    out->mime = tok[n - 2];
  }
  if (!AllDigits(out->date) || out->date.size() < 8 || out->date.size() > 17) {
    return false;
  }
  if (out->url.find(':') == std::string_view::npos) return false;
  uint64_t v = 0;
  for (char c : len) v = v * 10 + static_cast<uint64_t>(c - '0');
  out->length = v;
  return true;
}

// Sliding window over the decoded stream.
class Window {
 public:
  explicit Window(InputStream* in) : in_(in) {}

  const char* data() const { return buf_.get() + pos_; }
  size_t avail() const { return end_ - pos_; }
  uint64_t offset() const { return base_ + pos_; }
  bool eof() const { return eof_; }
  const Status& status() const { return status_; }
  void Consume(size_t n) { pos_ += std::min(n, avail()); }

  // Makes at least `n` bytes available unless the input ends first.
  // Invalidates pointers into the window.
  void Fill(size_t n) {
    while (end_ - pos_ < n && !eof_) {
      if (cap_ - pos_ < n + kReadChunk / 4 || cap_ - end_ < kReadChunk / 4) {
        if (pos_ > 0) {
          std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
          base_ += pos_;
          end_ -= pos_;
          pos_ = 0;
        }
        size_t need = std::max(n, end_) + kReadChunk;
        if (cap_ < need) {
          size_t cap = std::max({need, cap_ + cap_ / 2, kInitialWindow});
          std::unique_ptr<char[]> fresh(new char[cap]);
          if (end_ > 0) std::memcpy(fresh.get(), buf_.get(), end_);
          buf_ = std::move(fresh);
          cap_ = cap;
        }
      }
      size_t got = 0;
      Status s = in_->Read(buf_.get() + end_, cap_ - end_, &got);
      end_ += got;
      if (!s.ok()) {
        status_ = std::move(s);
        eof_ = true;
      } else if (got == 0) {
        eof_ = true;
      }
    }
  }

 private:
  InputStream* in_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t base_ = 0;  // stream offset of buf_[0]
  bool eof_ = false;
  Status status_;
};

// What a record header says.
struct RecordHead {
  std::string_view type;  // static storage for ARC, else from `type_span`
  Span type_span, uri, date, id, digest, content_type;
  uint64_t length = 0;
  size_t head_bytes = 0;
};

// The record's fields as views (valid until the window moves).
struct RecordView {
  std::string_view type, uri, date, id, digest, content_type;
};

class CrawlReader final : public RecordReader {
 public:
  CrawlReader(std::unique_ptr<InputStream> in, const std::string& path,
              uint32_t file_index, const ReaderOptions& options, bool arc)
      : in_(std::move(in)),
        win_(in_.get()),
        path_(path),
        file_index_(file_index),
        options_(options),
        arc_(arc),
        hold_limit_(static_cast<size_t>(std::min<uint64_t>(
            std::max<uint64_t>(options.max_record_bytes, 1 << 20), SIZE_MAX / 4))),
        max_payload_(static_cast<size_t>(
            std::min<uint64_t>(options.warc.max_payload_bytes, SIZE_MAX / 4))) {}

  Next Read(Document* doc, Rejection* rej) override {
    for (;;) {
      if (done_) return Next::kEnd;
      SkipLineBreaks();
      if (win_.avail() == 0) {
        done_ = true;
        if (!win_.status().ok()) {
          FillRejection(path_, win_.offset(),
                        ReasonForStreamError(win_.status()),
                        win_.status().message(), {}, rej);
          return Next::kRejected;
        }
        return Next::kEnd;
      }
      uint64_t start = win_.offset();
      RecordHead h;
      HeadResult hr = arc_ ? ParseArcHead(&h) : ParseWarcHead(&h);
      if (hr != HeadResult::kOk) {
        SaveExcerpt();
        return RejectLost(start, 1, "bad_record_header",
                          hr == HeadResult::kTooLong
                              ? "record header longer than " +
                                    std::to_string(arc_ ? kMaxArcLine : kMaxWarcHead) +
                                    " bytes"
                              : std::string(arc_ ? "not an ARC record header line"
                                                 : "not a WARC record header"),
                          rej);
      }
      counters_.Add("records");
      Next r = ReadBlock(h, start, doc, rej);
      if (r != kSkip) return r;
    }
  }

  const Counters& counters() const override { return counters_; }

 private:
  static constexpr Next kSkip = static_cast<Next>(-1);
  enum class HeadResult { kOk, kBad, kTooLong };

  void SkipLineBreaks() {
    for (;;) {
      win_.Fill(1);
      const char* d = win_.data();
      size_t n = win_.avail(), i = 0;
      while (i < n && (d[i] == '\r' || d[i] == '\n')) ++i;
      win_.Consume(i);
      if (i < n || n == 0) return;
    }
  }

  std::string_view At(Span s) const {
    return std::string_view(win_.data() + s.off, s.len);
  }

  void SaveExcerpt() {
    excerpt_.assign(win_.data(), std::min(win_.avail(), kExcerptBytes + 4));
  }

  // The header block: "WARC/x.y" line, "Name: value" lines, empty line.
  HeadResult ParseWarcHead(RecordHead* h) {
    size_t want = 4096;
    size_t scan = 0;  // lines before `scan` were complete non-empty lines
    for (;;) {
      win_.Fill(want);
      const char* d = win_.data();
      size_t n = win_.avail();
      if (!IsWarcVersionLine(std::string_view(d, std::min<size_t>(n, 16)))) {
        return HeadResult::kBad;
      }
      size_t limit = std::min(n, kMaxWarcHead);
      while (scan < limit) {
        const void* nl = std::memchr(d + scan, '\n', limit - scan);
        if (nl == nullptr) break;
        size_t e = static_cast<size_t>(static_cast<const char*>(nl) - d);
        size_t line_len = e - scan;
        if (line_len > 0 && d[e - 1] == '\r') --line_len;
        if (line_len == 0 && scan > 0) {
          h->head_bytes = e + 1;
          return ParseWarcFields(h);
        }
        scan = e + 1;
      }
      if (n >= kMaxWarcHead) return HeadResult::kTooLong;
      if (win_.eof()) return HeadResult::kBad;
      want = std::min(kMaxWarcHead, n * 2);
    }
  }

  HeadResult ParseWarcFields(RecordHead* h) {
    const char* d = win_.data();
    std::string_view head(d, h->head_bytes);
    size_t i = head.find('\n') + 1;
    bool have_length = false;
    while (i < head.size()) {
      size_t e = head.find('\n', i);
      std::string_view line = head.substr(i, e - i);
      i = e + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view name = TrimSpaces(line.substr(0, colon));
      std::string_view value = TrimSpaces(line.substr(colon + 1));
      Span sp{static_cast<size_t>(value.data() - d), value.size()};
      if (EqualsIgnoreAsciiCase(name, "Content-Length")) {
        if (!AllDigits(value) || value.size() > 18) return HeadResult::kBad;
        uint64_t v = 0;
        for (char c : value) v = v * 10 + static_cast<uint64_t>(c - '0');
        h->length = v;
        have_length = true;
      } else if (EqualsIgnoreAsciiCase(name, "WARC-Type")) {
        h->type_span = sp;
      } else if (EqualsIgnoreAsciiCase(name, "WARC-Target-URI")) {
        h->uri = sp;
      } else if (EqualsIgnoreAsciiCase(name, "WARC-Date")) {
        h->date = sp;
      } else if (EqualsIgnoreAsciiCase(name, "WARC-Record-ID")) {
        h->id = sp;
      } else if (EqualsIgnoreAsciiCase(name, "WARC-Payload-Digest")) {
        h->digest = sp;
      } else if (EqualsIgnoreAsciiCase(name, "Content-Type")) {
        h->content_type = sp;
      }
    }
    return have_length ? HeadResult::kOk : HeadResult::kBad;
  }

  HeadResult ParseArcHead(RecordHead* h) {
    win_.Fill(kMaxArcLine + 1);
    const char* d = win_.data();
    size_t n = std::min(win_.avail(), kMaxArcLine + 1);
    const void* nl = std::memchr(d, '\n', n);
    if (nl == nullptr) {
      return n > kMaxArcLine ? HeadResult::kTooLong : HeadResult::kBad;
    }
    size_t e = static_cast<size_t>(static_cast<const char*>(nl) - d);
    std::string_view line(d, e);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ArcLine a;
    if (!ParseArcLine(line, arc_version_, &a)) return HeadResult::kBad;
    h->head_bytes = e + 1;
    h->length = a.length;
    h->uri = Span{static_cast<size_t>(a.url.data() - d), a.url.size()};
    h->date = Span{static_cast<size_t>(a.date.data() - d), a.date.size()};
    h->content_type = Span{static_cast<size_t>(a.mime.data() - d), a.mime.size()};
    h->type = StartsWithIgnoreAsciiCase(a.url, "filedesc:") ? std::string_view("filedesc")
                                                            : std::string_view("response");
    return HeadResult::kOk;
  }

  RecordView View(const RecordHead& h) {
    RecordView v;
    v.type = arc_ ? h.type : At(h.type_span);
    v.uri = At(h.uri);
    if (!v.uri.empty() && v.uri.front() == '<' && v.uri.back() == '>') {
      v.uri = v.uri.substr(1, v.uri.size() - 2);
    }
    v.date = At(h.date);
    if (arc_) {
      // 20080430204825 -> 2008-04-30T20:48:25Z
      std::string_view s = v.date;
      if (s.size() >= 14) {
        arc_date_.assign(s.substr(0, 4)).append("-").append(s.substr(4, 2))
            .append("-").append(s.substr(6, 2)).append("T")
            .append(s.substr(8, 2)).append(":").append(s.substr(10, 2))
            .append(":").append(s.substr(12, 2)).append("Z");
        v.date = arc_date_;
      }
    }
    v.id = At(h.id);
    v.digest = At(h.digest);
    v.content_type = At(h.content_type);
    return v;
  }

  // True when what follows the block at `rel` (relative to the window
  // position) is line breaks and then a record header or the end of input.
  // *after is where the next record starts.
  bool BoundaryOk(size_t rel, size_t* after) {
    size_t j = rel;
    for (;;) {
      win_.Fill(j + 32);
      const char* d = win_.data();
      size_t n = win_.avail();
      while (j < n && (d[j] == '\r' || d[j] == '\n')) ++j;
      if (j - rel > kMaxGapCheck) {
        *after = j;
        return true;
      }
      if (j < n || win_.eof()) break;
    }
    *after = j;
    if (j >= win_.avail()) return true;
    return IsRecordStart(j);
  }

  // True when a record header starts at a line start in [from, to).
  bool HeaderWithin(size_t from, size_t to) {
    size_t i = std::max<size_t>(from, 1);
    while (i < to) {
      const char* d = win_.data();
      const char* hit =
          arc_ ? static_cast<const char*>(std::memchr(d + i - 1, '\n', to - i + 1))
               : static_cast<const char*>(memmem(d + i - 1, to - i + 1, "\nWARC/", 6));
      if (hit == nullptr) return false;
      size_t c = static_cast<size_t>(hit - d) + 1;
      if (c >= to) return false;
      if (IsRecordStart(c)) return true;
      i = c + 1;
    }
    return false;
  }

  // A record header starts at `rel` (enough bytes are made available).
  bool IsRecordStart(size_t rel) {
    if (!arc_) {
      win_.Fill(rel + 24);
      return IsWarcVersionLine(std::string_view(
          win_.data() + rel, std::min<size_t>(win_.avail() - rel, 24)));
    }
    win_.Fill(rel + kMaxArcLine + 1);
    const char* d = win_.data() + rel;
    size_t n = std::min(win_.avail() - rel, kMaxArcLine + 1);
    const void* nl = std::memchr(d, '\n', n);
    if (nl == nullptr) return false;
    std::string_view line(d, static_cast<size_t>(static_cast<const char*>(nl) - d));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ArcLine a;
    return ParseArcLine(line, arc_version_, &a);
  }

  // Moves the window to the next record header at a line start at or after
  // `from` (relative; from >= 1), or to the end of input. Returns its offset.
  uint64_t FindNextHeader(size_t from) {
    size_t i = std::max<size_t>(from, 1);
    for (;;) {
      const char* d = win_.data();
      size_t n = win_.avail();
      size_t s = i - 1;
      const char* hit = nullptr;
      if (s < n) {
        hit = arc_ ? static_cast<const char*>(std::memchr(d + s, '\n', n - s))
                   : static_cast<const char*>(memmem(d + s, n - s, "\nWARC/", 6));
      }
      if (hit != nullptr) {
        size_t c = static_cast<size_t>(hit - d) + 1;
        if (arc_ && c < n && !((d[c] >= 'a' && d[c] <= 'z') ||
                               (d[c] >= 'A' && d[c] <= 'Z'))) {
          i = c + 1;
          continue;
        }
        if (IsRecordStart(c)) {
          win_.Consume(c);
          return win_.offset();
        }
        i = c + 1;
        continue;
      }
      if (win_.eof()) {
        win_.Consume(n);
        return win_.offset();
      }
      size_t keep = 6;
      size_t drop = n > keep ? n - keep : 0;
      win_.Consume(drop);
      i = 1;
      win_.Fill(win_.avail() + kReadChunk);
    }
  }

  // Reports the bytes from `start` to the next record header (searched from
  // `from`, relative to the window position) as one rejection. excerpt_
  // must hold the start of the lost bytes.
  Next RejectLost(uint64_t start, size_t from, std::string_view reason,
                  const std::string& detail, Rejection* rej,
                  std::string_view reason_at_end = {}) {
    uint64_t next = FindNextHeader(from);
    bool at_end = win_.avail() == 0 && win_.eof();
    uint64_t lost = next - start;
    counters_.Add("bytes_lost", static_cast<int64_t>(lost));
    std::string error = detail + "; " + std::to_string(lost) + " bytes lost";
    if (at_end) {
      error += " up to the end of the input";
      if (!reason_at_end.empty()) reason = reason_at_end;
      if (!win_.status().ok()) {
        reason = ReasonForStreamError(win_.status());
        error += " (" + win_.status().message() + ")";
        done_ = true;
      }
    } else {
      error += " before the next record at offset " + std::to_string(next);
    }
    FillRejection(path_, start, reason, error, excerpt_, rej);
    return Next::kRejected;
  }

  Next ReadBlock(const RecordHead& h, uint64_t start, Document* doc,
                 Rejection* rej) {
    uint64_t total = h.head_bytes + h.length;
    if (total + 64 <= hold_limit_) {
      win_.Fill(static_cast<size_t>(total) + 64);
      if (win_.avail() < total) {
        SaveExcerpt();
        return RejectLost(start, h.head_bytes, "bad_content_length",
                          "Content-Length " + std::to_string(h.length) +
                              " runs past the end of the input",
                          rej, "truncated_record");
      }
      size_t after = 0;
      if (!BoundaryOk(static_cast<size_t>(total), &after) &&
          (after == total || HeaderWithin(h.head_bytes, static_cast<size_t>(total)))) {
        // The block runs into the next record, or does not end with a line
        // break: the length is wrong. (A block ending with a line break and
        // followed by junk keeps its record; the junk is reported next.)
        SaveExcerpt();
        return RejectLost(start, h.head_bytes, "bad_content_length",
                          "Content-Length " + std::to_string(h.length) +
                              " does not end at a record boundary",
                          rej);
      }
      RecordView v = View(h);
      std::string_view block(win_.data() + h.head_bytes,
                             static_cast<size_t>(h.length));
      Next r = Process(v, block, false, start, doc, rej);
      win_.Consume(after);
      return r;
    }
    // Too long to hold: classify from the first bytes, then skip.
    win_.Fill(h.head_bytes + static_cast<size_t>(std::min<uint64_t>(h.length, kPeekBytes)));
    SaveExcerpt();
    RecordView v = View(h);
    size_t peek = std::min<size_t>(win_.avail() - h.head_bytes,
                                   static_cast<size_t>(std::min<uint64_t>(h.length, kPeekBytes)));
    std::string_view block(win_.data() + h.head_bytes, peek);
    Next verdict = Process(v, block, true, start, doc, rej);
    win_.Consume(h.head_bytes);
    uint64_t left = h.length;
    while (left > 0) {
      win_.Fill(static_cast<size_t>(std::min<uint64_t>(left, 1 << 20)));
      if (win_.avail() == 0) break;
      size_t k = static_cast<size_t>(std::min<uint64_t>(left, win_.avail()));
      win_.Consume(k);
      left -= k;
    }
    if (left > 0) {
      return RejectLost(start, 1, "truncated_record",
                        "Content-Length " + std::to_string(h.length) +
                            " runs past the end of the input",
                        rej);
    }
    size_t after = 0;
    if (!BoundaryOk(0, &after) && after == 0) {
      return RejectLost(start, 1, "bad_content_length",
                        "Content-Length " + std::to_string(h.length) +
                            " does not end at a record boundary",
                        rej);
    }
    win_.Consume(after);
    if (verdict == kSkip) return kSkip;
    if (verdict == Next::kRejected) return verdict;
    FillRejection(path_, start, "record_too_large",
                  "record of " + std::to_string(total) +
                      " bytes exceeds max_record_bytes (" +
                      std::to_string(options_.max_record_bytes) + ")",
                  excerpt_, rej);
    return Next::kRejected;
  }

  Next Skip(std::string_view counter) {
    counters_.Add(counter);
    return kSkip;
  }

  bool MimeAllowed(std::string_view media) const {
    if (options_.warc.mime_types.empty()) return true;
    for (const std::string& m : options_.warc.mime_types) {
      if (media == m) return true;
    }
    return false;
  }

  // Decides what the record is and, unless `peek_only`, fills *doc or
  // *rej. With `peek_only`, `block` is only the start of the block and a
  // record that would become a document returns kDocument without filling
  // anything.
  Next Process(const RecordView& v, std::string_view block, bool peek_only,
               uint64_t start, Document* doc, Rejection* rej) {
    std::string_view type = v.type;
    if (type == "response") {
      bool http = StartsWithIgnoreAsciiCase(v.content_type, "application/http") ||
                  (v.content_type.empty() && StartsWithIgnoreAsciiCase(block, "HTTP/"));
      if (!http && StartsWithIgnoreAsciiCase(block, "HTTP/")) http = true;
      if (!http) return Skip("skipped_not_http");
      HttpResponseHead head;
      if (!ParseHttpResponseHead(block, &head)) {
        if (peek_only && !StartsWithIgnoreAsciiCase(block, "HTTP/")) {
          return Skip("skipped_not_http");
        }
        FillRejection(path_, start, "bad_http",
                      "block is not a parsable HTTP response", block, rej);
        return Next::kRejected;
      }
      if (head.status < options_.warc.min_status ||
          head.status > options_.warc.max_status) {
        return Skip("skipped_status");
      }
      std::string_view body = block.substr(head.body_offset);
      MediaType(head.content_type, &media_);
      if (media_.empty() && LooksLikeHtml(body)) media_ = "text/html";
      if (!MimeAllowed(media_)) return Skip("skipped_mime");
      if (peek_only) return Next::kDocument;
      std::string_view payload;
      bool chunked = false;
      DecodeStatus ds = decoder_.Decode(head, body, max_payload_, &payload, &chunked);
      if (chunked) counters_.Add("transfer_chunked");
      switch (ds) {
        case DecodeStatus::kOk:
          if (!head.content_encoding.empty()) counters_.Add("content_decoded");
          break;
        case DecodeStatus::kPartial:
          counters_.Add("content_decoded_partially");
          break;
        case DecodeStatus::kNotApplied:
          counters_.Add("content_encoding_not_applied");
          break;
        case DecodeStatus::kTooLarge:
          return RejectPayloadTooLarge(start, block, rej);
        case DecodeStatus::kUnsupported:
        case DecodeStatus::kFailed:
          FillRejection(path_, start, "bad_content_encoding",
                        "cannot decode Content-Encoding \"" +
                            std::string(head.content_encoding.substr(0, 64)) + "\"",
                        block, rej);
          return Next::kRejected;
      }
      if (payload.size() > max_payload_) return RejectPayloadTooLarge(start, block, rej);
      return Emit(v, payload, head.status, ContentTypeCharset(head.content_type),
                  TextFormat::kHtml, start, doc);
    }
    if (type == "resource") {
      if (!options_.warc.keep_resource) return Skip("skipped_resource");
      MediaType(v.content_type, &media_);
      if (!MimeAllowed(media_)) return Skip("skipped_mime");
      if (peek_only) return Next::kDocument;
      if (block.size() > max_payload_) return RejectPayloadTooLarge(start, block, rej);
      return Emit(v, block, -1, ContentTypeCharset(v.content_type),
                  TextFormat::kHtml, start, doc);
    }
    if (type == "conversion") {
      if (!options_.warc.keep_conversion) return Skip("skipped_conversion");
      if (peek_only) return Next::kDocument;
      MediaType(v.content_type, &media_);
      if (block.size() > max_payload_) return RejectPayloadTooLarge(start, block, rej);
      return Emit(v, block, -1, ContentTypeCharset(v.content_type),
                  TextFormat::kText, start, doc);
    }
    if (type == "filedesc") {
      // ARC file header: "<version> <reserved> <origin>" on its first line.
      if (!block.empty() && (block[0] == '1' || block[0] == '2')) {
        arc_version_ = block[0] - '0';
      }
      return Skip("skipped_filedesc");
    }
    if (type == "warcinfo") return Skip("skipped_warcinfo");
    if (type == "request") return Skip("skipped_request");
    if (type == "metadata") return Skip("skipped_metadata");
    if (type == "revisit") return Skip("skipped_revisit");
    if (type == "continuation") return Skip("skipped_continuation");
    return Skip("skipped_other_type");
  }

  Next RejectPayloadTooLarge(uint64_t start, std::string_view block,
                             Rejection* rej) {
    FillRejection(path_, start, "payload_too_large",
                  "decoded payload exceeds max_payload_bytes (" +
                      std::to_string(options_.warc.max_payload_bytes) + ")",
                  block, rej);
    return Next::kRejected;
  }

  static void ClearKeepingMetadata(Document* doc) {
    doc->id.clear();
    doc->text.clear();
    doc->signals.clear();
    doc->annotations.clear();
    doc->removed_by.clear();
    doc->reason.clear();
    doc->details.clear();
    doc->pos = Position{};
  }

  JsonField* NextField(Document* doc, size_t* n, std::string_view key) {
    if (*n >= doc->metadata.size()) doc->metadata.emplace_back();
    JsonField* f = &doc->metadata[(*n)++];
    f->key.assign(key);
    f->raw.clear();
    return f;
  }

  // A JSON string, or null when `value` is empty.
  void PutString(Document* doc, size_t* n, std::string_view key,
                 std::string_view value) {
    JsonField* f = NextField(doc, n, key);
    if (value.empty()) {
      f->raw.assign("null");
      return;
    }
    if (IsValidUtf8(value)) {
      AppendJsonString(value, &f->raw);
    } else {
      scratch_.clear();
      AppendRepairedUtf8(value, &scratch_);
      AppendJsonString(scratch_, &f->raw);
    }
  }

  Next Emit(const RecordView& v, std::string_view payload, int status,
            std::string_view charset_label, TextFormat format, uint64_t start,
            Document* doc) {
    ClearKeepingMetadata(doc);
    doc->format = format;
    CharsetResult cr;
    if (format == TextFormat::kHtml) {
      cr = converter_.ConvertHtml(payload, charset_label,
                                  options_.warc.meta_sniff_bytes, &doc->text);
    } else {
      cr = converter_.ConvertText(payload, charset_label.empty() ? "utf-8" : charset_label,
                                  &doc->text);
    }
    switch (cr.source) {
      case CharsetSource::kBom: counters_.Add("charset_bom"); break;
      case CharsetSource::kHttp: counters_.Add("charset_http"); break;
      case CharsetSource::kMeta: counters_.Add("charset_meta"); break;
      case CharsetSource::kDetected: counters_.Add("charset_detected"); break;
      case CharsetSource::kFallback: counters_.Add("charset_fallback"); break;
      case CharsetSource::kGiven: break;
    }
    if (cr.replacements > 0) counters_.Add("chars_replaced");
    if (!v.id.empty()) {
      if (IsValidUtf8(v.id)) {
        doc->id.assign(v.id);
      } else {
        AppendRepairedUtf8(v.id, &doc->id);
      }
    } else {
      doc->id.assign(path_);
      doc->id.push_back(':');
      doc->id.append(std::to_string(start));
    }
    size_t n = 0;
    PutString(doc, &n, "url", v.uri);
    PutString(doc, &n, "warc_date", v.date);
    PutString(doc, &n, "warc_record_id", v.id);
    PutString(doc, &n, "payload_digest", v.digest);
    JsonField* f = NextField(doc, &n, "http_status");
    if (status >= 0) {
      f->raw.assign(std::to_string(status));
    } else {
      f->raw.assign("null");
    }
    PutString(doc, &n, "content_type", media_);
    PutString(doc, &n, "charset", cr.name);
    doc->metadata.resize(n);
    doc->pos.file_index = file_index_;
    doc->pos.offset = start;
    return Next::kDocument;
  }

  std::unique_ptr<InputStream> in_;
  Window win_;
  const std::string path_;
  const uint32_t file_index_;
  const ReaderOptions options_;
  const bool arc_;
  const size_t hold_limit_;
  const size_t max_payload_;
  int arc_version_ = 1;
  bool done_ = false;

  HttpBodyDecoder decoder_;
  CharsetConverter converter_;
  std::string media_;
  std::string arc_date_;
  std::string excerpt_;
  std::string scratch_;
  Counters counters_;
};

}  // namespace

std::unique_ptr<RecordReader> NewWarcReader(std::unique_ptr<InputStream> in,
                                            const std::string& path,
                                            uint32_t file_index,
                                            const ReaderOptions& options) {
  return std::make_unique<CrawlReader>(std::move(in), path, file_index,
                                       options, /*arc=*/false);
}

std::unique_ptr<RecordReader> NewArcReader(std::unique_ptr<InputStream> in,
                                           const std::string& path,
                                           uint32_t file_index,
                                           const ReaderOptions& options) {
  return std::make_unique<CrawlReader>(std::move(in), path, file_index,
                                       options, /*arc=*/true);
}

}  // namespace winnow::formats_internal
