#include "formats/charset.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace winnow {
namespace {

TEST(Charset, MapsLabelsTheWhatwgWay) {
  EXPECT_EQ(CanonicalCharset("UTF8"), "utf-8");
  EXPECT_EQ(CanonicalCharset(" \"ISO-8859-1\" "), "windows-1252");
  EXPECT_EQ(CanonicalCharset("us-ascii"), "windows-1252");
  EXPECT_EQ(CanonicalCharset("GB2312"), "gb18030");
  EXPECT_EQ(CanonicalCharset("x-sjis"), "shift_jis");
  EXPECT_EQ(CanonicalCharset("ks_c_5601-1987"), "euc-kr");
  EXPECT_EQ(CanonicalCharset("iso-8859-9"), "windows-1254");
  EXPECT_EQ(CanonicalCharset("cp1251"), "windows-1251");
  EXPECT_EQ(CanonicalCharset("no-such-charset"), "");
  EXPECT_EQ(CanonicalCharset(""), "");
}

TEST(Charset, FindsMetaDeclarations) {
  EXPECT_EQ(SniffMetaCharset("<head><meta charset=\"koi8-r\"></head>"), "koi8-r");
  EXPECT_EQ(SniffMetaCharset("<META CHARSET=euc-jp>"), "euc-jp");
  EXPECT_EQ(SniffMetaCharset("<meta http-equiv='Content-Type' "
                             "content='text/html; charset=windows-1250'>"),
            "windows-1250");
  EXPECT_EQ(SniffMetaCharset("<meta content=\"text/html;charset=big5\" "
                             "http-equiv=\"content-type\"/>"),
            "big5");
  EXPECT_EQ(SniffMetaCharset("<meta name=description content=\"charset=x\">"), "");
  EXPECT_EQ(SniffMetaCharset("<metadata charset=x>"), "");
  EXPECT_EQ(SniffMetaCharset("<meta charset=\"unterminated"), "");
}

TEST(Charset, Windows1252MapsEveryByte) {
  CharsetConverter c;
  std::string in;
  for (int b = 0; b < 256; ++b) in.push_back(static_cast<char>(b));
  std::string out;
  size_t replaced = 0;
  ASSERT_TRUE(c.ConvertFrom("windows-1252", in, &out, &replaced));
  EXPECT_EQ(replaced, 0u);
  EXPECT_TRUE(IsValidUtf8(out));
  EXPECT_NE(out.find("\xE2\x82\xAC"), std::string::npos);  // 0x80 = euro sign
  EXPECT_NE(out.find("\xC3\xBF"), std::string::npos);      // 0xFF = y diaeresis
}

TEST(Charset, ReplacesUndecodableBytes) {
  CharsetConverter c;
  std::string out;
  size_t replaced = 0;
  ASSERT_TRUE(c.ConvertFrom("shift_jis", "ab\x81", &out, &replaced));
  EXPECT_EQ(out, "ab\xEF\xBF\xBD");
  EXPECT_EQ(replaced, 1u);
  ASSERT_TRUE(c.ConvertFrom("euc-jp", "\xFF" "x", &out, &replaced));
  EXPECT_TRUE(IsValidUtf8(out));
  EXPECT_NE(out.find('x'), std::string::npos);
}

TEST(Charset, UsesTheHttpCharsetBeforeTheMeta) {
  CharsetConverter c;
  std::string out;
  CharsetResult r = c.ConvertHtml("<meta charset=koi8-r>\xE9", "windows-1252", 2048, &out);
  EXPECT_EQ(r.name, "windows-1252");
  EXPECT_EQ(r.source, CharsetSource::kHttp);
  EXPECT_EQ(out, "<meta charset=koi8-r>\xC3\xA9");
  r = c.ConvertHtml("<meta charset=koi8-r>\xE9", "bogus", 2048, &out);
  EXPECT_EQ(r.name, "koi8-r");
  EXPECT_EQ(r.source, CharsetSource::kMeta);
}

TEST(Charset, AMetaPastTheSniffWindowIsIgnored) {
  CharsetConverter c;
  std::string out;
  std::string page = std::string(3000, ' ') + "<meta charset=koi8-r>";
  CharsetResult r = c.ConvertHtml(page, "", 2048, &out);
  EXPECT_EQ(r.name, "utf-8");
  EXPECT_EQ(r.source, CharsetSource::kDetected);
}

}  // namespace
}  // namespace winnow
