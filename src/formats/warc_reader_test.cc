#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "formats/record_reader.h"
#include "io/output_file.h"
#include "io/testing.h"

namespace winnow {
namespace {

using testing::TempDir;

// ---- Fixture builders -------------------------------------------------

std::string WarcRecord(const std::string& type, const std::string& block,
                       const std::string& extra_headers = "",
                       const std::string& id = "",
                       long long length = -1) {
  static int counter = 0;
  std::string rid = id.empty() ? "<urn:uuid:test-" + std::to_string(++counter) + ">" : id;
  std::string r = "WARC/1.1\r\nWARC-Type: " + type +
                  "\r\nWARC-Record-ID: " + rid +
                  "\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n" + extra_headers;
  r += "Content-Length: " +
       std::to_string(length >= 0 ? length : static_cast<long long>(block.size())) +
       "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

std::string HttpResponse(const std::string& status_line,
                         const std::string& headers, const std::string& body) {
  return status_line + "\r\n" + headers + "\r\n" + body;
}

std::string Response(const std::string& url, const std::string& http,
                     const std::string& id = "") {
  return WarcRecord("response", http,
                    "WARC-Target-URI: " + url +
                        "\r\nWARC-Payload-Digest: sha1:ABC\r\n"
                        "Content-Type: application/http; msgtype=response\r\n",
                    id);
}

std::string HtmlResponse(const std::string& url, const std::string& body,
                         const std::string& content_type = "text/html; charset=utf-8") {
  return Response(url, HttpResponse("HTTP/1.1 200 OK",
                                    "Content-Type: " + content_type + "\r\n", body));
}

// zlib-compressed data: window_bits 31 = gzip, 15 = zlib, -15 = raw deflate.
std::string Deflate(const std::string& data, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Gzip(const std::string& data) { return Deflate(data, 31); }

std::string Brotli(const std::string& data) {
  size_t size = BrotliEncoderMaxCompressedSize(data.size()) + 64;
  std::string out(size, '\0');
  BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW,
                        BROTLI_MODE_TEXT, data.size(),
                        reinterpret_cast<const uint8_t*>(data.data()), &size,
                        reinterpret_cast<uint8_t*>(out.data()));
  out.resize(size);
  return out;
}

// Encodes UTF-8 `text` into `charset` with glibc iconv.
std::string Encode(const std::string& text, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << charset;
  std::string out(text.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  size_t in_left = text.size();
  char* dst = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &dst, &out_left), static_cast<size_t>(-1));
  iconv(cd, nullptr, nullptr, &dst, &out_left);
  out.resize(out.size() - out_left);
  iconv_close(cd);
  return out;
}

std::string Chunk(const std::string& data) {
  char hex[32];
  snprintf(hex, sizeof(hex), "%zx", data.size());
  return std::string(hex) + "\r\n" + data + "\r\n";
}

// ---- Reading ----------------------------------------------------------

struct Output {
  std::vector<Document> docs;
  std::vector<Rejection> rejections;
  std::vector<bool> order;  // true = document
  Counters counters;
};

Output ReadAll(const std::string& data, ReaderOptions options = {},
               const std::string& name = "test.warc") {
  Output out;
  auto reader = NewRecordReader(NewMemoryInputStream(data, {}), name, 3, options);
  Document doc;
  Rejection rej;
  for (int guard = 0; guard < 100000; ++guard) {
    auto n = reader->Read(&doc, &rej);
    if (n == RecordReader::Next::kEnd) break;
    out.order.push_back(n == RecordReader::Next::kDocument);
    if (n == RecordReader::Next::kDocument) {
      out.docs.push_back(doc);
    } else {
      out.rejections.push_back(rej);
    }
  }
  EXPECT_EQ(reader->Read(&doc, &rej), RecordReader::Next::kEnd);
  out.counters = reader->counters();
  return out;
}

int64_t Count(const Counters& c, std::string_view name) {
  for (const auto& [k, v] : c.items())
    if (k == name) return v;
  return 0;
}

std::string Meta(const Document& d, std::string_view key) {
  const JsonField* f = d.FindMetadata(key);
  return f == nullptr ? "<absent>" : f->raw;
}

const std::string kPage =
    "<!doctype html><html><head><title>T</title></head>"
    "<body><p>Caf\xC3\xA9 au lait.</p></body></html>";

// ---- Tests ------------------------------------------------------------

TEST(WarcReader, ReadsHtmlResponseWithMetadataInOrder) {
  std::string warc =
      WarcRecord("warcinfo", "software: test\r\n",
                 "Content-Type: application/warc-fields\r\n") +
      WarcRecord("request", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
                 "WARC-Target-URI: http://example.com/\r\n"
                 "Content-Type: application/http; msgtype=request\r\n") +
      HtmlResponse("http://example.com/", kPage) +
      WarcRecord("metadata", "via: x\r\n", "Content-Type: application/warc-fields\r\n");
  Output out = ReadAll(warc);
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_TRUE(out.rejections.empty());
  const Document& d = out.docs[0];
  EXPECT_EQ(d.text, kPage);
  EXPECT_EQ(d.format, TextFormat::kHtml);
  EXPECT_EQ(d.id.substr(0, 15), "<urn:uuid:test-");
  std::vector<std::string> keys;
  for (const auto& f : d.metadata) keys.push_back(f.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"url", "warc_date", "warc_record_id",
                                            "payload_digest", "http_status",
                                            "content_type", "charset"}));
  EXPECT_EQ(Meta(d, "url"), "\"http://example.com/\"");
  EXPECT_EQ(Meta(d, "warc_date"), "\"2024-01-02T03:04:05Z\"");
  EXPECT_EQ(Meta(d, "warc_record_id"), "\"" + d.id + "\"");
  EXPECT_EQ(Meta(d, "payload_digest"), "\"sha1:ABC\"");
  EXPECT_EQ(Meta(d, "http_status"), "200");
  EXPECT_EQ(Meta(d, "content_type"), "\"text/html\"");
  EXPECT_EQ(Meta(d, "charset"), "\"utf-8\"");
  EXPECT_EQ(d.pos.file_index, 3u);
  EXPECT_EQ(d.pos.offset, warc.find("WARC/1.1\r\nWARC-Type: response"));
  EXPECT_EQ(Count(out.counters, "records"), 4);
  EXPECT_EQ(Count(out.counters, "skipped_warcinfo"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_request"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_metadata"), 1);
  EXPECT_EQ(Count(out.counters, "charset_http"), 1);
}

TEST(WarcReader, GzipPerRecordAndWholeFileGzipReadTheSame) {
  std::vector<std::string> records = {
      WarcRecord("warcinfo", "a: b\r\n"), HtmlResponse("http://a/", kPage),
      HtmlResponse("http://b/", "<html><body>second</body></html>")};
  std::string plain, per_record;
  for (const auto& r : records) {
    plain += r;
    per_record += Gzip(r);
  }
  Output a = ReadAll(plain), b = ReadAll(per_record), c = ReadAll(Gzip(plain));
  ASSERT_EQ(a.docs.size(), 2u);
  ASSERT_EQ(b.docs.size(), 2u);
  ASSERT_EQ(c.docs.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.docs[i].text, b.docs[i].text);
    EXPECT_EQ(a.docs[i].text, c.docs[i].text);
    EXPECT_EQ(a.docs[i].pos.offset, b.docs[i].pos.offset);
  }
  EXPECT_EQ(b.docs[1].text, "<html><body>second</body></html>");
}

TEST(WarcReader, AcceptsWarc10AndBareLineFeeds) {
  std::string http = "HTTP/1.0 200 OK\nContent-Type: text/html\n\n<html>x</html>";
  std::string r = "WARC/1.0\nWARC-Type: response\nWARC-Record-ID: <urn:x>\n"
                  "WARC-Target-URI: <http://old/>\nContent-Length: " +
                  std::to_string(http.size()) + "\n\n" + http + "\n\n";
  Output out = ReadAll(r + r);
  ASSERT_EQ(out.docs.size(), 2u);
  EXPECT_EQ(out.docs[0].text, "<html>x</html>");
  EXPECT_EQ(Meta(out.docs[0], "url"), "\"http://old/\"");
  EXPECT_EQ(Meta(out.docs[0], "payload_digest"), "null");
}

TEST(WarcReader, SkipsRevisitRequestNonHtmlAndNon2xxCountingEachReason) {
  std::string warc =
      WarcRecord("revisit", HttpResponse("HTTP/1.1 200 OK", "Content-Type: text/html\r\n", ""),
                 "WARC-Target-URI: http://r/\r\nContent-Type: application/http\r\n") +
      Response("http://img/", HttpResponse("HTTP/1.1 200 OK", "Content-Type: image/png\r\n",
                                           "\x89PNG")) +
      Response("http://missing/", HttpResponse("HTTP/1.1 404 Not Found",
                                               "Content-Type: text/html\r\n", "<html>no</html>")) +
      Response("http://moved/", HttpResponse("HTTP/1.1 301 Moved", "Location: /x\r\n", "")) +
      WarcRecord("response", "20240101\nexample.com. 60 IN A 10.0.0.1\n",
                 "WARC-Target-URI: dns:example.com\r\nContent-Type: text/dns\r\n") +
      Response("http://x/", HttpResponse("HTTP/1.1 200 OK",
                                         "Content-Type: application/xhtml+xml\r\n",
                                         "<html>xhtml</html>"));
  Output out = ReadAll(warc);
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<html>xhtml</html>");
  EXPECT_TRUE(out.rejections.empty());
  EXPECT_EQ(Count(out.counters, "skipped_revisit"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_mime"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_status"), 2);
  EXPECT_EQ(Count(out.counters, "skipped_not_http"), 1);
  EXPECT_EQ(Count(out.counters, "records"), 6);

  ReaderOptions all;
  all.warc.mime_types.clear();
  all.warc.min_status = 100;
  all.warc.max_status = 599;
  Output wide = ReadAll(warc, all);
  EXPECT_EQ(wide.docs.size(), 4u);
  EXPECT_EQ(Meta(wide.docs[1], "http_status"), "404");
}

TEST(WarcReader, SniffsHtmlWhenContentTypeIsMissing) {
  Output out = ReadAll(
      Response("http://a/", HttpResponse("HTTP/1.1 200 OK", "", "  <!DOCTYPE html><p>x")) +
      Response("http://b/", HttpResponse("HTTP/1.1 200 OK", "", "plain words")));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(Meta(out.docs[0], "content_type"), "\"text/html\"");
  EXPECT_EQ(Count(out.counters, "skipped_mime"), 1);
}

TEST(WarcReader, DecodesChunkedTransferEncoding) {
  std::string body = Chunk("<html><body>") + Chunk("chunked ") + Chunk("page</body></html>") +
                     "0\r\n\r\n";
  Output out = ReadAll(HtmlResponse("http://c/", body) +
                       Response("http://d/", HttpResponse("HTTP/1.1 200 OK",
                                                          "Content-Type: text/html\r\n"
                                                          "Transfer-Encoding: chunked\r\n",
                                                          body)));
  ASSERT_EQ(out.docs.size(), 2u);
  EXPECT_EQ(out.docs[0].text, body);  // no Transfer-Encoding header: kept as is
  EXPECT_EQ(out.docs[1].text, "<html><body>chunked page</body></html>");
  EXPECT_EQ(Count(out.counters, "transfer_chunked"), 1);
}

TEST(WarcReader, KeepsBodyStoredDechunkedUnderAChunkedHeader) {
  Output out = ReadAll(Response(
      "http://c/", HttpResponse("HTTP/1.1 200 OK",
                                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                                "<html>already plain</html>")));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<html>already plain</html>");
}

TEST(WarcReader, DecodesGzipDeflateAndBrotliContentEncodings) {
  const std::string page = "<html><body>" + std::string(3000, 'x') + " encoded</body></html>";
  auto with = [&](const std::string& coding, const std::string& body,
                  const std::string& te = "") {
    return Response("http://e/" + coding,
                    HttpResponse("HTTP/1.1 200 OK",
                                 "Content-Type: text/html\r\nContent-Encoding: " + coding +
                                     "\r\n" + te,
                                 body));
  };
  std::string gz = Gzip(page);
  std::string chunked_gz = Chunk(gz.substr(0, 10)) + Chunk(gz.substr(10)) + "0\r\n\r\n";
  Output out = ReadAll(with("gzip", gz) + with("deflate", Deflate(page, 15)) +
                       with("deflate", Deflate(page, -15)) + with("br", Brotli(page)) +
                       with("x-gzip", chunked_gz, "Transfer-Encoding: chunked\r\n") +
                       with("gzip", page));
  ASSERT_EQ(out.docs.size(), 6u) << (out.rejections.empty() ? "" : out.rejections[0].error);
  for (const Document& d : out.docs) EXPECT_EQ(d.text, page) << Meta(d, "url");
  EXPECT_EQ(Count(out.counters, "content_decoded"), 5);
  EXPECT_EQ(Count(out.counters, "content_encoding_not_applied"), 1);
}

TEST(WarcReader, KeepsTheDecodedPartOfATruncatedGzipBody) {
  std::string page = "<html><body>";
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    page.push_back(static_cast<char>('a' + (x >> 16) % 26));
  }
  page += "</body></html>";
  std::string gz = Gzip(page);
  Output out = ReadAll(Response(
      "http://t/", HttpResponse("HTTP/1.1 200 OK",
                                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                                gz.substr(0, gz.size() / 2))));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_FALSE(out.docs[0].text.empty());
  EXPECT_EQ(page.compare(0, out.docs[0].text.size(), out.docs[0].text), 0);
  EXPECT_EQ(Count(out.counters, "content_decoded_partially"), 1);
}

TEST(WarcReader, RejectsAnUnknownContentEncoding) {
  Output out = ReadAll(Response(
      "http://z/", HttpResponse("HTTP/1.1 200 OK",
                                "Content-Type: text/html\r\nContent-Encoding: zork\r\n",
                                "\x01\x02")));
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "bad_content_encoding");
}

TEST(WarcReader, ConvertsLegacyCharsetsToUtf8) {
  const std::string russian = "Привет, мир! Съешь же ещё этих мягких французских булок.";
  const std::string japanese = "日本語のテキストです。東京は晴れ。";
  const std::string chinese = "简体中文的网页内容，北京欢迎你。";
  const std::string greek = "Καλημέρα κόσμε, ελληνικό κείμενο.";
  const std::string polish = "Zażółć gęślą jaźń.";
  auto page = [](const std::string& head, const std::string& text) {
    return "<html><head>" + head + "</head><body><p>" + text + "</p></body></html>";
  };
  std::string warc =
      HtmlResponse("http://ru/", Encode(page("", russian), "CP1251"),
                   "text/html; charset=windows-1251") +
      HtmlResponse("http://jp/",
                   Encode(page("<meta charset=\"Shift_JIS\">", japanese), "SHIFT_JIS"),
                   "text/html") +
      HtmlResponse("http://cn/",
                   Encode(page("<meta http-equiv=\"Content-Type\" "
                               "content=\"text/html; charset=gb2312\">",
                               chinese),
                          "GB18030"),
                   "text/html") +
      HtmlResponse("http://gr/", Encode(page("", greek), "ISO-8859-7"),
                   "text/html; charset=\"ISO-8859-7\"") +
      HtmlResponse("http://pl/", Encode(page("<META CHARSET=latin2>", polish), "ISO-8859-2"),
                   "text/html");
  Output out = ReadAll(warc);
  ASSERT_EQ(out.docs.size(), 5u);
  EXPECT_EQ(out.docs[0].text, page("", russian));
  EXPECT_EQ(Meta(out.docs[0], "charset"), "\"windows-1251\"");
  EXPECT_EQ(out.docs[1].text, page("<meta charset=\"Shift_JIS\">", japanese));
  EXPECT_EQ(Meta(out.docs[1], "charset"), "\"shift_jis\"");
  EXPECT_NE(out.docs[2].text.find(chinese), std::string::npos);
  EXPECT_EQ(Meta(out.docs[2], "charset"), "\"gb18030\"");
  EXPECT_EQ(out.docs[3].text, page("", greek));
  EXPECT_EQ(Meta(out.docs[3], "charset"), "\"iso-8859-7\"");
  EXPECT_NE(out.docs[4].text.find(polish), std::string::npos);
  EXPECT_EQ(Meta(out.docs[4], "charset"), "\"iso-8859-2\"");
  EXPECT_EQ(Count(out.counters, "charset_http"), 2);
  EXPECT_EQ(Count(out.counters, "charset_meta"), 3);
}

TEST(WarcReader, DetectsAnUndeclaredCharsetAndFallsBackToWindows1252) {
  std::string russian;
  for (int i = 0; i < 20; ++i) {
    russian += "Съешь же ещё этих мягких французских булок, да выпей чаю. ";
  }
  std::string warc =
      HtmlResponse("http://ru/", Encode("<html><body>" + russian + "</body></html>", "CP1251"),
                   "text/html; charset=unknown-thing") +
      HtmlResponse("http://utf/", "<html><body>" + russian + "</body></html>", "text/html") +
      HtmlResponse("http://bin/", std::string("<html>\x81\x8D\x8F\x90\x9D</html>"),
                   "text/html");
  Output out = ReadAll(warc);
  ASSERT_EQ(out.docs.size(), 3u);
  EXPECT_EQ(out.docs[0].text, "<html><body>" + russian + "</body></html>");
  EXPECT_EQ(Meta(out.docs[0], "charset"), "\"windows-1251\"");
  EXPECT_EQ(Meta(out.docs[1], "charset"), "\"utf-8\"");
  EXPECT_EQ(Count(out.counters, "charset_detected"), 3);
  // Whatever the detector says about these bytes, the result is valid UTF-8.
  EXPECT_FALSE(out.docs[2].text.empty());
  // uchardet has no guess for a lone 0x81.
  Output fallback = ReadAll(HtmlResponse("http://f/", "\x81", "text/html"));
  ASSERT_EQ(fallback.docs.size(), 1u);
  EXPECT_EQ(fallback.docs[0].text, "\xC2\x81");
  EXPECT_EQ(Meta(fallback.docs[0], "charset"), "\"windows-1252\"");
  EXPECT_EQ(Count(fallback.counters, "charset_fallback"), 1);
}

TEST(WarcReader, HonoursAByteOrderMarkOverTheHeader) {
  std::string body = "\xFF\xFE" + Encode("<html>Ünïcödé</html>", "UTF-16LE");
  Output out = ReadAll(HtmlResponse("http://bom/", body, "text/html; charset=iso-8859-1"));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<html>Ünïcödé</html>");
  EXPECT_EQ(Meta(out.docs[0], "charset"), "\"utf-16le\"");
  EXPECT_EQ(Count(out.counters, "charset_bom"), 1);
}

TEST(WarcReader, RepairsInvalidUtf8InAPageDeclaredUtf8) {
  Output out = ReadAll(HtmlResponse("http://bad/", "<p>a\xFF" "b</p>"));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<p>a\xEF\xBF\xBD" "b</p>");
  EXPECT_EQ(Count(out.counters, "chars_replaced"), 1);
}

TEST(WarcReader, ReadsWetConversionRecordsAsText) {
  std::string warc =
      WarcRecord("warcinfo", "x: y\r\n") +
      WarcRecord("conversion", "Plain text of a page.\nSecond line \xC3\xA9.",
                 "WARC-Target-URI: http://wet/\r\nWARC-Block-Digest: sha1:X\r\n"
                 "Content-Type: text/plain\r\n");
  Output out = ReadAll(warc, {}, "x.warc.wet.gz");
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].format, TextFormat::kText);
  EXPECT_EQ(out.docs[0].text, "Plain text of a page.\nSecond line \xC3\xA9.");
  EXPECT_EQ(Meta(out.docs[0], "http_status"), "null");
  EXPECT_EQ(Meta(out.docs[0], "content_type"), "\"text/plain\"");
  EXPECT_EQ(Meta(out.docs[0], "charset"), "\"utf-8\"");
}

TEST(WarcReader, ReadsHtmlResourceRecords) {
  Output out = ReadAll(
      WarcRecord("resource", "<html>stored</html>",
                 "WARC-Target-URI: file:///a.html\r\nContent-Type: text/html\r\n") +
      WarcRecord("resource", "log line", "Content-Type: text/plain\r\n"));
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<html>stored</html>");
  EXPECT_EQ(Meta(out.docs[0], "http_status"), "null");
  ReaderOptions no_resource;
  no_resource.warc.keep_resource = false;
  Output skipped = ReadAll(
      WarcRecord("resource", "<html>stored</html>", "Content-Type: text/html\r\n"),
      no_resource);
  EXPECT_TRUE(skipped.docs.empty());
  EXPECT_EQ(Count(skipped.counters, "skipped_resource"), 1);
}

// ---- Damage -----------------------------------------------------------

TEST(WarcReader, RecoversFromAContentLengthThatIsTooLong) {
  std::string good1 = HtmlResponse("http://1/", "<html>one</html>");
  std::string body = HttpResponse("HTTP/1.1 200 OK", "Content-Type: text/html\r\n",
                                  "<html>two</html>");
  std::string bad = WarcRecord("response", body,
                               "WARC-Target-URI: http://2/\r\n"
                               "Content-Type: application/http\r\n",
                               "", static_cast<long long>(body.size()) + 40);
  std::string good3 = HtmlResponse("http://3/", "<html>three</html>");
  std::string good4 = HtmlResponse("http://4/", "<html>four</html>");
  Output out = ReadAll(good1 + bad + good3 + good4);
  ASSERT_EQ(out.docs.size(), 3u);
  EXPECT_EQ(out.docs[1].text, "<html>three</html>");
  ASSERT_EQ(out.rejections.size(), 1u);
  const Rejection& r = out.rejections[0];
  EXPECT_EQ(r.reason, "bad_content_length");
  EXPECT_EQ(r.offset, good1.size());
  EXPECT_NE(r.error.find(std::to_string(bad.size()) + " bytes lost"), std::string::npos)
      << r.error;
  EXPECT_EQ(r.excerpt.substr(0, 8), "WARC/1.1");
  EXPECT_EQ(out.order, (std::vector<bool>{true, false, true, true}));
  EXPECT_EQ(Count(out.counters, "bytes_lost"), static_cast<int64_t>(bad.size()));
}

TEST(WarcReader, RecoversFromAContentLengthThatIsTooShort) {
  std::string good1 = HtmlResponse("http://1/", "<html>one</html>");
  std::string body = HttpResponse("HTTP/1.1 200 OK", "Content-Type: text/html\r\n",
                                  "<html>two\nWARC/ in the text</html>");
  std::string bad = WarcRecord("response", body,
                               "WARC-Target-URI: http://2/\r\n"
                               "Content-Type: application/http\r\n",
                               "", static_cast<long long>(body.size()) - 20);
  std::string good3 = HtmlResponse("http://3/", "<html>three</html>");
  Output out = ReadAll(Gzip(good1) + Gzip(bad) + Gzip(good3));
  ASSERT_EQ(out.docs.size(), 2u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "bad_content_length");
  EXPECT_NE(out.rejections[0].error.find(std::to_string(bad.size()) + " bytes lost"),
            std::string::npos)
      << out.rejections[0].error;
  EXPECT_EQ(out.docs[1].text, "<html>three</html>");
}

TEST(WarcReader, ReportsATruncatedLastRecord) {
  std::string good = HtmlResponse("http://1/", "<html>one</html>");
  std::string cut = HtmlResponse("http://2/", "<html>" + std::string(500, 'z') + "</html>");
  cut.resize(cut.size() - 300);
  Output out = ReadAll(good + cut);
  ASSERT_EQ(out.docs.size(), 1u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "truncated_record");
  EXPECT_EQ(out.rejections[0].offset, good.size());
  EXPECT_NE(out.rejections[0].error.find(std::to_string(cut.size()) + " bytes lost"),
            std::string::npos);
}

TEST(WarcReader, ReportsARecordEndingMidHeader) {
  std::string good = HtmlResponse("http://1/", "<html>one</html>");
  Output out = ReadAll(good + "WARC/1.1\r\nWARC-Type: resp");
  ASSERT_EQ(out.docs.size(), 1u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "bad_record_header");
}

TEST(WarcReader, SkipsGarbageBeforeAndBetweenRecords) {
  std::string good = HtmlResponse("http://1/", "<html>one</html>");
  std::string junk = "some junk\nmore junk\n";
  Output out = ReadAll(junk + good + junk + good);
  EXPECT_EQ(out.docs.size(), 2u);
  ASSERT_EQ(out.rejections.size(), 2u);
  EXPECT_EQ(out.rejections[0].reason, "bad_record_header");
  EXPECT_EQ(out.rejections[0].offset, 0u);
  EXPECT_NE(out.rejections[0].error.find(std::to_string(junk.size()) + " bytes lost"),
            std::string::npos);
  EXPECT_EQ(out.rejections[1].reason, "bad_record_header");
  EXPECT_EQ(out.rejections[1].offset, junk.size() + good.size());
  Output out2 = ReadAll("WARC/1.1\r\nContent-Length: x\r\n\r\n" + good);
  EXPECT_EQ(out2.docs.size(), 1u);
  ASSERT_EQ(out2.rejections.size(), 1u);
  EXPECT_EQ(out2.rejections[0].reason, "bad_record_header");
}

TEST(WarcReader, AHugeDeclaredLengthEndsWithoutBufferingOrHanging) {
  std::string good = HtmlResponse("http://1/", "<html>one</html>");
  std::string huge = "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 999999999999999\r\n"
                     "Content-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n"
                     "Content-Type: text/html\r\n\r\n<html>";
  Output out = ReadAll(good + huge + std::string(100000, 'q'));
  ASSERT_EQ(out.docs.size(), 1u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "truncated_record");
}

TEST(WarcReader, RejectsPayloadsOverTheLimit) {
  ReaderOptions options;
  options.warc.max_payload_bytes = 1000;
  std::string big = "<html>" + std::string(5000, 'b') + "</html>";
  Output out = ReadAll(
      HtmlResponse("http://big/", big) +
          Response("http://bomb/", HttpResponse("HTTP/1.1 200 OK",
                                                "Content-Type: text/html\r\n"
                                                "Content-Encoding: gzip\r\n",
                                                Gzip(std::string(1 << 20, ' ')))) +
          HtmlResponse("http://small/", "<html>ok</html>"),
      options);
  ASSERT_EQ(out.docs.size(), 1u);
  ASSERT_EQ(out.rejections.size(), 2u);
  EXPECT_EQ(out.rejections[0].reason, "payload_too_large");
  EXPECT_EQ(out.rejections[1].reason, "payload_too_large");
}

TEST(WarcReader, DoesNotHoldRecordsLongerThanMaxRecordBytes) {
  ReaderOptions options;
  options.max_record_bytes = 1 << 20;
  std::string big = "<html>" + std::string(3 << 20, 'b') + "</html>";
  std::string image = "\x89PNG" + std::string(3 << 20, 'i');
  Output out = ReadAll(HtmlResponse("http://big/", big) +
                           Response("http://img/", HttpResponse("HTTP/1.1 200 OK",
                                                                "Content-Type: image/png\r\n",
                                                                image)) +
                           HtmlResponse("http://small/", "<html>ok</html>"),
                       options);
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_EQ(out.docs[0].text, "<html>ok</html>");
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "record_too_large");
  EXPECT_EQ(Count(out.counters, "skipped_mime"), 1);
}

TEST(WarcReader, ReportsATruncatedGzipStreamAfterTheGoodRecords) {
  std::string good = HtmlResponse("http://1/", "<html>one</html>");
  std::string second = Gzip(HtmlResponse("http://2/", "<html>" + std::string(4000, 'k') + "</html>"));
  Output out = ReadAll(Gzip(good) + second.substr(0, second.size() / 2));
  ASSERT_EQ(out.docs.size(), 1u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "truncated_input");
}

// ---- ARC --------------------------------------------------------------

std::string ArcRecord(const std::string& url, const std::string& mime,
                      const std::string& block) {
  return url + " 10.0.0.1 20080430204825 " + mime + " " + std::to_string(block.size()) +
         "\n" + block + "\n";
}

std::string ArcFile(const std::string& records) {
  std::string desc = "1 1 InternetArchive\nURL IP-address Archive-date Content-type "
                     "Archive-length\n\n";
  return ArcRecord("filedesc://test.arc", "text/plain", desc) + records;
}

TEST(ArcReader, ReadsHttpRecordsOfAnArcFile) {
  std::string arc = ArcFile(
      ArcRecord("dns:example.com", "text/dns", "20080430204825\nexample.com. 1 IN A 1.2.3.4\n") +
      ArcRecord("http://example.com/", "text/html",
                HttpResponse("HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8\r\n",
                             kPage)) +
      ArcRecord("http://example.com/a.png", "image/png",
                HttpResponse("HTTP/1.1 200 OK", "Content-Type: image/png\r\n", "PNG")));
  Output out = ReadAll(Gzip(arc), {}, "x.arc.gz");
  ASSERT_EQ(out.docs.size(), 1u);
  EXPECT_TRUE(out.rejections.empty());
  const Document& d = out.docs[0];
  EXPECT_EQ(d.text, kPage);
  EXPECT_EQ(Meta(d, "url"), "\"http://example.com/\"");
  EXPECT_EQ(Meta(d, "warc_date"), "\"2008-04-30T20:48:25Z\"");
  EXPECT_EQ(Meta(d, "warc_record_id"), "null");
  EXPECT_EQ(d.id, "x.arc.gz:" + std::to_string(d.pos.offset));
  EXPECT_EQ(Count(out.counters, "records"), 4);
  EXPECT_EQ(Count(out.counters, "skipped_filedesc"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_not_http"), 1);
  EXPECT_EQ(Count(out.counters, "skipped_mime"), 1);
}

TEST(ArcReader, RecoversFromAWrongArcLength) {
  std::string http = HttpResponse("HTTP/1.1 200 OK", "Content-Type: text/html\r\n", "<p>a</p>");
  std::string bad = "http://b/ 10.0.0.1 20080430204825 text/html " +
                    std::to_string(http.size() + 30) + "\n" + http + "\n";
  std::string arc = ArcFile(ArcRecord("http://a/", "text/html", http) + bad +
                            ArcRecord("http://c/", "text/html", http) +
                            ArcRecord("http://d/", "text/html", http));
  Output out = ReadAll(arc, {}, "x.arc");
  EXPECT_EQ(out.docs.size(), 3u);
  ASSERT_EQ(out.rejections.size(), 1u);
  EXPECT_EQ(out.rejections[0].reason, "bad_content_length");
  EXPECT_NE(out.rejections[0].error.find(std::to_string(bad.size()) + " bytes lost"),
            std::string::npos)
      << out.rejections[0].error;
}

// ---- Format detection ---------------------------------------------------

TEST(CrawlFormatDetection, ChoosesWarcAndArcByContentOrName) {
  TempDir dir;
  std::string warc = HtmlResponse("http://1/", "<html>one</html>");
  std::string arc = ArcFile(ArcRecord("http://a/", "text/html",
                                      HttpResponse("HTTP/1.1 200 OK",
                                                   "Content-Type: text/html\r\n", "<p>a</p>")));
  struct Case {
    std::string name, bytes;
  } cases[] = {{"a.warc.gz", Gzip(warc)}, {"b.bin", warc},         {"c.data.gz", Gzip(warc)},
               {"d.arc.gz", Gzip(arc)},   {"e", arc},              {"f.warc.wet.gz", Gzip(warc)},
               {"g.jsonl", warc}};
  for (const Case& c : cases) {
    std::string path = dir.File(c.name);
    ASSERT_TRUE(WriteFileAtomically(path, c.bytes).ok());
    auto reader = OpenRecordReader(path, 0, {});
    ASSERT_TRUE(reader.ok());
    Document doc;
    Rejection rej;
    EXPECT_EQ((*reader)->Read(&doc, &rej), RecordReader::Next::kDocument) << c.name;
    EXPECT_EQ(doc.format, TextFormat::kHtml) << c.name;
  }
}

TEST(CrawlFormatDetection, AnEmptyWarcNamedFileHasNoRecords) {
  Output out = ReadAll("", {}, "empty.warc");
  EXPECT_TRUE(out.docs.empty());
  EXPECT_TRUE(out.rejections.empty());
}

}  // namespace
}  // namespace winnow
