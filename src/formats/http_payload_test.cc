#include "formats/http_payload.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow {
namespace {

TEST(HttpHead, ParsesStatusAndTheHeadersThatMatter) {
  std::string block =
      "HTTP/1.1 203 Non-Authoritative\r\nServer: x\r\ncontent-TYPE:  text/html; "
      "charset=UTF-8 \r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\nBODY";
  HttpResponseHead h;
  ASSERT_TRUE(ParseHttpResponseHead(block, &h));
  EXPECT_EQ(h.status, 203);
  EXPECT_EQ(h.content_type, "text/html; charset=UTF-8");
  EXPECT_EQ(h.transfer_encoding, "chunked");
  EXPECT_EQ(h.content_encoding, "gzip");
  EXPECT_EQ(block.substr(h.body_offset), "BODY");
}

TEST(HttpHead, AcceptsBareLineFeedsMissingReasonAndMissingBlankLine) {
  HttpResponseHead h;
  ASSERT_TRUE(ParseHttpResponseHead("HTTP/1.0 200\nA: b\n\nbody", &h));
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(std::string("HTTP/1.0 200\nA: b\n\nbody").substr(h.body_offset), "body");
  std::string no_blank = "HTTP/1.1 304 Not Modified\r\nETag: x";
  ASSERT_TRUE(ParseHttpResponseHead(no_blank, &h));
  EXPECT_EQ(h.status, 304);
  EXPECT_EQ(h.body_offset, no_blank.size());
}

TEST(HttpHead, RejectsWhatIsNotAStatusLine) {
  HttpResponseHead h;
  EXPECT_FALSE(ParseHttpResponseHead("", &h));
  EXPECT_FALSE(ParseHttpResponseHead("GET / HTTP/1.1\r\n\r\n", &h));
  EXPECT_FALSE(ParseHttpResponseHead("HTTP/1.1 2x0 OK\r\n\r\n", &h));
  EXPECT_FALSE(ParseHttpResponseHead("HTTP/1.1 20", &h));
  EXPECT_FALSE(ParseHttpResponseHead("HTTP/1.1 2000 OK\r\n", &h));
  EXPECT_FALSE(ParseHttpResponseHead("HTTP/1.1 099 Low\r\n", &h));
}

TEST(HttpHead, ContentTypeParts) {
  std::string media;
  MediaType(" Text/HTML ; charset=x", &media);
  EXPECT_EQ(media, "text/html");
  EXPECT_EQ(ContentTypeCharset("text/html; charset=\"Shift_JIS\""), "Shift_JIS");
  EXPECT_EQ(ContentTypeCharset("text/html;foo=bar; CHARSET = koi8-r "), "koi8-r");
  EXPECT_EQ(ContentTypeCharset("text/html"), "");
  EXPECT_EQ(ContentTypeCharset("text/html; charset="), "");
}

TEST(HttpHead, LooksLikeHtml) {
  EXPECT_TRUE(LooksLikeHtml("\xEF\xBB\xBF  \n<!DOCTYPE HTML>"));
  EXPECT_TRUE(LooksLikeHtml("<html lang=en>"));
  EXPECT_FALSE(LooksLikeHtml("{\"json\": 1}"));
  EXPECT_FALSE(LooksLikeHtml(""));
}

TEST(Chunked, DecodesChunksWithExtensionsAndTrailers) {
  std::string out;
  EXPECT_EQ(DecodeChunked("4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n", 100, &out),
            DecodeStatus::kOk);
  EXPECT_EQ(out, "Wikipedia");
}

TEST(Chunked, ToleratesMissingLastChunkAndBareLineFeeds) {
  std::string out;
  EXPECT_EQ(DecodeChunked("3\nabc\n2\nde\n", 100, &out), DecodeStatus::kOk);
  EXPECT_EQ(out, "abcde");
}

TEST(Chunked, ReportsDamageAndLimits) {
  std::string out;
  EXPECT_EQ(DecodeChunked("<html>", 100, &out), DecodeStatus::kNotApplied);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(DecodeChunked("3\r\nabc\r\nzz\r\n", 100, &out), DecodeStatus::kPartial);
  EXPECT_EQ(out, "abc");
  out.clear();
  EXPECT_EQ(DecodeChunked("10\r\nabc", 100, &out), DecodeStatus::kPartial);
  EXPECT_EQ(out, "abc");
  out.clear();
  EXPECT_EQ(DecodeChunked("5\r\nabcde\r\n0\r\n\r\n", 4, &out), DecodeStatus::kTooLarge);
  out.clear();
  EXPECT_EQ(DecodeChunked("ffffffffffffffffff\r\nx", 100, &out), DecodeStatus::kNotApplied);
}

TEST(BodyDecoder, ReturnsTheBodyItselfWhenNothingIsEncoded) {
  HttpBodyDecoder decoder;
  HttpResponseHead head;
  std::string body = "<html></html>";
  std::string_view out;
  bool chunked = true;
  EXPECT_EQ(decoder.Decode(head, body, 100, &out, &chunked), DecodeStatus::kOk);
  EXPECT_EQ(out.data(), body.data());
  EXPECT_FALSE(chunked);
  head.content_encoding = "identity";
  EXPECT_EQ(decoder.Decode(head, body, 100, &out, &chunked), DecodeStatus::kOk);
  EXPECT_EQ(decoder.Decode(head, body, 5, &out, &chunked), DecodeStatus::kTooLarge);
}

}  // namespace
}  // namespace winnow
