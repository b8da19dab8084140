#include "formats/http_payload.h"

#include <brotli/decode.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/ascii.h"

namespace winnow {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Grows *out by up to `want` bytes without passing `max_bytes`; returns the
// writable region size.
size_t Room(const std::string& out, size_t max_bytes) {
  return out.size() >= max_bytes ? 0 : max_bytes - out.size();
}

}  // namespace

bool ParseHttpResponseHead(std::string_view block, HttpResponseHead* head,
                           size_t max_head_bytes) {
  *head = HttpResponseHead{};
  if (!StartsWithIgnoreAsciiCase(block, "HTTP/")) return false;
  size_t limit = std::min(block.size(), max_head_bytes);
  size_t i = 5;
  while (i < limit && block[i] != ' ' && block[i] != '\t' && block[i] != '\n') {
    ++i;
  }
  while (i < limit && (block[i] == ' ' || block[i] == '\t')) ++i;
  if (i + 3 > limit) return false;
  int status = 0;
  for (int k = 0; k < 3; ++k) {
    char c = block[i + k];
    if (c < '0' || c > '9') return false;
    status = status * 10 + (c - '0');
  }
  if (status < 100) return false;
  i += 3;
  if (i < limit && block[i] != ' ' && block[i] != '\t' && block[i] != '\r' &&
      block[i] != '\n') {
    return false;
  }
  head->status = status;
  const void* nl = std::memchr(block.data() + i, '\n', limit - i);
  if (nl == nullptr) {
    if (block.size() > max_head_bytes) return false;
    head->body_offset = block.size();
    return true;
  }
  i = static_cast<size_t>(static_cast<const char*>(nl) - block.data()) + 1;
  for (;;) {
    if (i >= block.size()) {
      head->body_offset = block.size();
      return true;
    }
    const void* e = std::memchr(block.data() + i, '\n', limit - std::min(i, limit));
    size_t line_end = e == nullptr
                          ? block.size()
                          : static_cast<size_t>(static_cast<const char*>(e) -
                                                block.data());
    if (e == nullptr && block.size() > max_head_bytes) return false;
    std::string_view line = block.substr(i, line_end - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t next = std::min(block.size(), line_end + 1);
    if (line.empty()) {
      head->body_offset = next;
      return true;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && line[0] != ' ' && line[0] != '\t') {
      std::string_view name = Trim(line.substr(0, colon));
      std::string_view value = Trim(line.substr(colon + 1));
      if (EqualsIgnoreAsciiCase(name, "content-type")) {
        head->content_type = value;
      } else if (EqualsIgnoreAsciiCase(name, "transfer-encoding")) {
        head->transfer_encoding = value;
      } else if (EqualsIgnoreAsciiCase(name, "content-encoding")) {
        head->content_encoding = value;
      }
    }
    i = next;
  }
}

void MediaType(std::string_view content_type, std::string* out) {
  out->clear();
  size_t semi = content_type.find(';');
  std::string_view t = Trim(content_type.substr(0, semi));
  for (char c : t) out->push_back(AsciiToLower(c));
}

std::string_view ContentTypeCharset(std::string_view content_type) {
  size_t pos = content_type.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = content_type.substr(pos + 1);
    size_t end = rest.find(';');
    std::string_view param = Trim(rest.substr(0, end));
    size_t eq = param.find('=');
    if (eq != std::string_view::npos &&
        EqualsIgnoreAsciiCase(Trim(param.substr(0, eq)), "charset")) {
      std::string_view v = Trim(param.substr(eq + 1));
      if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') &&
          v.back() == v.front()) {
        v = v.substr(1, v.size() - 2);
      } else if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
        v.remove_prefix(1);
      }
      return Trim(v);
    }
    if (end == std::string_view::npos) break;
    pos += 1 + end;
  }
  return {};
}

bool LooksLikeHtml(std::string_view body) {
  if (body.size() >= 3 && std::memcmp(body.data(), "\xEF\xBB\xBF", 3) == 0) {
    body.remove_prefix(3);
  }
  size_t i = 0;
  while (i < body.size() && i < 1024 && IsSpace(body[i])) ++i;
  std::string_view s = body.substr(i);
  for (std::string_view p : {"<!doctype html", "<html", "<head", "<body",
                             "<!--", "<meta"}) {
    if (StartsWithIgnoreAsciiCase(s, p)) return true;
  }
  return false;
}

DecodeStatus DecodeChunked(std::string_view body, size_t max_bytes,
                           std::string* out) {
  size_t i = 0;
  bool any = false;
  const size_t start_size = out->size();
  for (;;) {
    // Chunk-size line: hex digits, optional extensions, line end.
    size_t j = i;
    uint64_t size = 0;
    int digits = 0;
    while (j < body.size() && HexDigitValue(body[j]) >= 0) {
      if (++digits > 15) return any ? DecodeStatus::kPartial : DecodeStatus::kNotApplied;
      size = size * 16 + static_cast<uint64_t>(HexDigitValue(body[j]));
      ++j;
    }
    if (digits == 0) {
      if (!any) {
        out->resize(start_size);
        return DecodeStatus::kNotApplied;
      }
      // Trailing whitespace after the last chunk is fine.
      if (Trim(body.substr(i)).empty()) return DecodeStatus::kOk;
      return DecodeStatus::kPartial;
    }
    size_t nl = body.find('\n', j);
    if (nl == std::string_view::npos || nl - j > 1024) {
      if (!any) {
        out->resize(start_size);
        return DecodeStatus::kNotApplied;
      }
      return DecodeStatus::kPartial;
    }
    // Between the digits and the line end only extensions or spaces.
    char c = j < body.size() ? body[j] : '\n';
    if (c != ';' && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      if (!any) {
        out->resize(start_size);
        return DecodeStatus::kNotApplied;
      }
      return DecodeStatus::kPartial;
    }
    i = nl + 1;
    any = true;
    if (size == 0) return DecodeStatus::kOk;
    size_t take = static_cast<size_t>(std::min<uint64_t>(size, body.size() - i));
    if (out->size() - start_size + take > max_bytes) return DecodeStatus::kTooLarge;
    out->append(body.data() + i, take);
    i += take;
    if (take < size) return DecodeStatus::kPartial;
    if (i < body.size() && body[i] == '\r') ++i;
    if (i < body.size() && body[i] == '\n') ++i;
    if (i >= body.size()) return DecodeStatus::kOk;
  }
}

HttpBodyDecoder::HttpBodyDecoder() = default;
HttpBodyDecoder::~HttpBodyDecoder() = default;

DecodeStatus HttpBodyDecoder::Decode(const HttpResponseHead& head,
                                     std::string_view body, size_t max_bytes,
                                     std::string_view* out, bool* chunked) {
  *chunked = false;
  *out = body;
  DecodeStatus result = DecodeStatus::kOk;
  std::string_view te = head.transfer_encoding;
  bool te_chunked = false;
  for (size_t k = 0; k + 7 <= te.size(); ++k) {
    if (EqualsIgnoreAsciiCase(te.substr(k, 7), "chunked")) te_chunked = true;
  }
  if (te_chunked) {
    a_.clear();
    DecodeStatus s = DecodeChunked(body, max_bytes, &a_);
    if (s == DecodeStatus::kTooLarge) return s;
    if (s != DecodeStatus::kNotApplied) {
      *chunked = true;
      *out = a_;
      if (s == DecodeStatus::kPartial) result = s;
    }
  }
  // Content codings, listed in the order applied: undo from the last.
  std::string_view ce = Trim(head.content_encoding);
  std::string_view codings[4];
  int n = 0;
  while (!ce.empty() && n < 4) {
    size_t comma = ce.rfind(',');
    std::string_view c = Trim(comma == std::string_view::npos ? ce : ce.substr(comma + 1));
    ce = comma == std::string_view::npos ? std::string_view() : Trim(ce.substr(0, comma));
    if (!c.empty() && !EqualsIgnoreAsciiCase(c, "identity") && !EqualsIgnoreAsciiCase(c, "none")) {
      codings[n++] = c;
    }
  }
  if (!ce.empty()) return DecodeStatus::kUnsupported;
  for (int k = 0; k < n; ++k) {
    std::string* dst = (out->data() == a_.data() && !a_.empty()) ? &b_ : &a_;
    DecodeStatus s = DecodeCoding(codings[k], *out, max_bytes, dst);
    if (s == DecodeStatus::kNotApplied) {
      if (result == DecodeStatus::kOk) result = s;
      continue;
    }
    if (s != DecodeStatus::kOk && s != DecodeStatus::kPartial) return s;
    if (s == DecodeStatus::kPartial) result = s;
    *out = *dst;
  }
  if (out->size() > max_bytes) return DecodeStatus::kTooLarge;
  return result;
}

DecodeStatus HttpBodyDecoder::DecodeCoding(std::string_view coding,
                                           std::string_view in,
                                           size_t max_bytes, std::string* out) {
  out->clear();
  // Bodies stored already decoded: markup cannot start a deflate or brotli
  // stream worth trying (a raw decoder could emit garbage before failing).
  std::string_view lead = Trim(in.substr(0, 256));
  bool looks_plain = !lead.empty() && lead.front() == '<';
  if (EqualsIgnoreAsciiCase(coding, "gzip") || EqualsIgnoreAsciiCase(coding, "x-gzip")) {
    if (in.size() < 2 || static_cast<unsigned char>(in[0]) != 0x1f ||
        static_cast<unsigned char>(in[1]) != 0x8b) {
      return DecodeStatus::kNotApplied;
    }
    return Inflate(in, 15 + 16, max_bytes, out);
  }
  if (EqualsIgnoreAsciiCase(coding, "deflate")) {
    if (looks_plain) return DecodeStatus::kNotApplied;
    // RFC 9110 deflate is zlib-wrapped; many servers send raw deflate.
    bool zlib_header =
        in.size() >= 2 && (static_cast<unsigned char>(in[0]) & 0x0f) == 8 &&
        ((static_cast<unsigned char>(in[0]) << 8) |
         static_cast<unsigned char>(in[1])) % 31 == 0;
    DecodeStatus s = Inflate(in, zlib_header ? 15 : -15, max_bytes, out);
    if (s == DecodeStatus::kFailed) return DecodeStatus::kNotApplied;
    return s;
  }
  if (EqualsIgnoreAsciiCase(coding, "br")) {
    if (looks_plain) return DecodeStatus::kNotApplied;
    DecodeStatus s = Brotli(in, max_bytes, out);
    if (s == DecodeStatus::kFailed) return DecodeStatus::kNotApplied;
    return s;
  }
  return DecodeStatus::kUnsupported;
}

DecodeStatus HttpBodyDecoder::Inflate(std::string_view in, int window_bits,
                                      size_t max_bytes, std::string* out) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, window_bits) != Z_OK) return DecodeStatus::kFailed;
  DecodeStatus result = DecodeStatus::kOk;
  size_t consumed = 0;
  for (;;) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    uInt avail_in = static_cast<uInt>(std::min<size_t>(in.size() - consumed, 1u << 30));
    zs.avail_in = avail_in;
    size_t room = Room(*out, max_bytes + 1);
    if (room == 0) {
      result = DecodeStatus::kTooLarge;
      break;
    }
    size_t chunk = std::min<size_t>(room, std::max<size_t>(in.size() * 4, 64 << 10));
    chunk = std::min<size_t>(chunk, 1u << 30);
    size_t old = out->size();
    out->resize(old + chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old);
    zs.avail_out = static_cast<uInt>(chunk);
    int ret = inflate(&zs, Z_NO_FLUSH);
    out->resize(old + (chunk - zs.avail_out));
    consumed += avail_in - zs.avail_in;
    if (ret == Z_STREAM_END) {
      // Concatenated gzip members.
      if (window_bits > 15 && consumed + 2 <= in.size() &&
          static_cast<unsigned char>(in[consumed]) == 0x1f &&
          static_cast<unsigned char>(in[consumed + 1]) == 0x8b &&
          inflateReset(&zs) == Z_OK) {
        continue;
      }
      break;
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR && zs.avail_out == 0) continue;
    // Truncated (Z_BUF_ERROR with input exhausted) or corrupt.
    result = out->empty() ? DecodeStatus::kFailed : DecodeStatus::kPartial;
    break;
  }
  inflateEnd(&zs);
  if (out->size() > max_bytes) result = DecodeStatus::kTooLarge;
  return result;
}

DecodeStatus HttpBodyDecoder::Brotli(std::string_view in, size_t max_bytes,
                                     std::string* out) {
  BrotliDecoderState* st = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  if (st == nullptr) return DecodeStatus::kFailed;
  const uint8_t* next_in = reinterpret_cast<const uint8_t*>(in.data());
  size_t avail_in = in.size();
  DecodeStatus result = DecodeStatus::kOk;
  for (;;) {
    size_t room = Room(*out, max_bytes + 1);
    if (room == 0) {
      result = DecodeStatus::kTooLarge;
      break;
    }
    size_t chunk = std::min<size_t>(room, std::max<size_t>(in.size() * 4, 64 << 10));
    size_t old = out->size();
    out->resize(old + chunk);
    uint8_t* next_out = reinterpret_cast<uint8_t*>(out->data() + old);
    size_t avail_out = chunk;
    BrotliDecoderResult r = BrotliDecoderDecompressStream(
        st, &avail_in, &next_in, &avail_out, &next_out, nullptr);
    out->resize(old + (chunk - avail_out));
    if (r == BROTLI_DECODER_RESULT_SUCCESS) break;
    if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) continue;
    result = out->empty() ? DecodeStatus::kFailed : DecodeStatus::kPartial;
    break;
  }
  BrotliDecoderDestroyInstance(st);
  if (out->size() > max_bytes) result = DecodeStatus::kTooLarge;
  return result;
}

}  // namespace winnow
