// Parsing the HTTP responses stored in crawl archives (WARC `response`
// records, ARC records): status line, headers, chunked transfer coding and
// the gzip / deflate / brotli content codings.
//
// Everything here is lenient, as archived responses are often slightly off
// the grammar (bare LF line ends, missing reason phrases, bodies stored
// already de-chunked or already decompressed under headers that say
// otherwise), and bounded: every decoder stops at a caller-given output
// limit.
//
// Thread safety: free functions are thread-safe; an HttpBodyDecoder is used
// by one thread at a time.
#ifndef WINNOW_FORMATS_HTTP_PAYLOAD_H_
#define WINNOW_FORMATS_HTTP_PAYLOAD_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow {

// The head of an HTTP response. Views point into the parsed block.
struct HttpResponseHead {
  int status = 0;                      // 100..999
  std::string_view content_type;       // value of the last Content-Type
  std::string_view transfer_encoding;  // value of the last Transfer-Encoding
  std::string_view content_encoding;   // value of the last Content-Encoding
  size_t body_offset = 0;              // where the body starts in the block
};

// Parses "HTTP/<version> <3 digits>[ reason]" and the header lines that
// follow, up to the first empty line (CRLF or LF line ends). A head that
// runs to the end of `block` without an empty line is accepted with an
// empty body. Returns false when `block` does not start with an HTTP status
// line, or the head is longer than `max_head_bytes`.
bool ParseHttpResponseHead(std::string_view block, HttpResponseHead* head,
                           size_t max_head_bytes = 256 << 10);

// The media type of a Content-Type value, trimmed and lowercased into
// *out ("Text/HTML; charset=x" -> "text/html"). Empty when absent.
void MediaType(std::string_view content_type, std::string* out);

// The charset parameter of a Content-Type value (quotes removed), or empty.
std::string_view ContentTypeCharset(std::string_view content_type);

// True when `body` starts (after whitespace and a UTF-8 BOM) like an HTML
// document: "<!doctype html", "<html", "<head", "<body", "<!--" or "<meta",
// case-insensitively. Used when a response has no Content-Type.
bool LooksLikeHtml(std::string_view body);

enum class DecodeStatus {
  kOk,           // *out holds the whole decoded body
  kPartial,      // the coded data is damaged or truncated; *out holds the
                 // part decoded before the damage (non-empty)
  kNotApplied,   // the body is not in the announced coding (e.g. no gzip
                 // magic): it was taken as is
  kTooLarge,     // the decoded body exceeds the limit; *out is unspecified
  kUnsupported,  // an unknown content coding; *out is unspecified
  kFailed,       // the coded data is undecodable from its first byte while
                 // looking like the coding; *out is unspecified
};

// Decodes response bodies, reusing its buffers and zlib state.
class HttpBodyDecoder {
 public:
  HttpBodyDecoder();
  ~HttpBodyDecoder();
  HttpBodyDecoder(const HttpBodyDecoder&) = delete;
  HttpBodyDecoder& operator=(const HttpBodyDecoder&) = delete;

  // Undoes the transfer coding ("chunked", when the body really is chunked)
  // and then the content codings of `head` applied to `body`, stopping at
  // `max_bytes` of output. *out views the result: either `body` itself
  // (nothing to undo) or this decoder's buffer, valid until the next call.
  // *chunked tells whether the body was de-chunked.
  DecodeStatus Decode(const HttpResponseHead& head, std::string_view body,
                      size_t max_bytes, std::string_view* out, bool* chunked);

 private:
  DecodeStatus DecodeCoding(std::string_view coding, std::string_view in,
                            size_t max_bytes, std::string* out);
  DecodeStatus Inflate(std::string_view in, int window_bits, size_t max_bytes,
                       std::string* out);
  DecodeStatus Brotli(std::string_view in, size_t max_bytes, std::string* out);

  std::string a_, b_;
};

// Appends the de-chunked `body` to *out, stopping at `max_bytes` of output.
// Lenient: chunk extensions and trailers are ignored, a missing CRLF after
// chunk data or a missing last chunk is tolerated. Returns kOk, kPartial
// (a malformed chunk-size line after at least one chunk, or data cut short),
// kNotApplied (the body does not start with a chunk-size line: *out is
// unchanged), or kTooLarge.
DecodeStatus DecodeChunked(std::string_view body, size_t max_bytes,
                           std::string* out);

}  // namespace winnow

#endif  // WINNOW_FORMATS_HTTP_PAYLOAD_H_
