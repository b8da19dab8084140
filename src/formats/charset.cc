#include "formats/charset.h"

#include <errno.h>
#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cstring>

#include "core/ascii.h"
#include "core/utf8.h"
#include "formats/simd_utf8.h"

namespace winnow {
namespace {

struct Label {
  const char* label;
  const char* canonical;
};

// WHATWG Encoding Standard labels (a subset covering what pages declare),
// plus the names uchardet returns.
constexpr Label kLabels[] = {
    {"utf-8", "utf-8"}, {"utf8", "utf-8"}, {"unicode-1-1-utf-8", "utf-8"},
    {"x-unicode20utf8", "utf-8"}, {"unicode20utf8", "utf-8"},
    {"windows-1252", "windows-1252"}, {"ascii", "windows-1252"},
    {"us-ascii", "windows-1252"}, {"iso-8859-1", "windows-1252"},
    {"iso8859-1", "windows-1252"}, {"iso88591", "windows-1252"},
    {"iso_8859-1", "windows-1252"}, {"iso_8859-1:1987", "windows-1252"},
    {"latin1", "windows-1252"}, {"l1", "windows-1252"},
    {"cp1252", "windows-1252"}, {"x-cp1252", "windows-1252"},
    {"cp819", "windows-1252"}, {"ibm819", "windows-1252"},
    {"csisolatin1", "windows-1252"}, {"iso-ir-100", "windows-1252"},
    {"ansi_x3.4-1968", "windows-1252"}, {"x-user-defined", "windows-1252"},
    {"windows-1250", "windows-1250"}, {"cp1250", "windows-1250"},
    {"x-cp1250", "windows-1250"},
    {"windows-1251", "windows-1251"}, {"cp1251", "windows-1251"},
    {"x-cp1251", "windows-1251"}, {"win-1251", "windows-1251"},
    {"windows-1253", "windows-1253"}, {"cp1253", "windows-1253"},
    {"x-cp1253", "windows-1253"},
    {"windows-1254", "windows-1254"}, {"cp1254", "windows-1254"},
    {"x-cp1254", "windows-1254"}, {"iso-8859-9", "windows-1254"},
    {"iso8859-9", "windows-1254"}, {"iso88599", "windows-1254"},
    {"iso_8859-9", "windows-1254"}, {"latin5", "windows-1254"},
    {"l5", "windows-1254"},
    {"windows-1255", "windows-1255"}, {"cp1255", "windows-1255"},
    {"x-cp1255", "windows-1255"},
    {"windows-1256", "windows-1256"}, {"cp1256", "windows-1256"},
    {"x-cp1256", "windows-1256"},
    {"windows-1257", "windows-1257"}, {"cp1257", "windows-1257"},
    {"x-cp1257", "windows-1257"},
    {"windows-1258", "windows-1258"}, {"cp1258", "windows-1258"},
    {"x-cp1258", "windows-1258"},
    {"windows-874", "windows-874"}, {"dos-874", "windows-874"},
    {"tis-620", "windows-874"}, {"iso-8859-11", "windows-874"},
    {"iso8859-11", "windows-874"},
    {"iso-8859-2", "iso-8859-2"}, {"iso8859-2", "iso-8859-2"},
    {"iso88592", "iso-8859-2"}, {"iso_8859-2", "iso-8859-2"},
    {"latin2", "iso-8859-2"}, {"l2", "iso-8859-2"},
    {"iso-8859-3", "iso-8859-3"}, {"iso8859-3", "iso-8859-3"},
    {"iso_8859-3", "iso-8859-3"}, {"latin3", "iso-8859-3"},
    {"iso-8859-4", "iso-8859-4"}, {"iso8859-4", "iso-8859-4"},
    {"iso_8859-4", "iso-8859-4"}, {"latin4", "iso-8859-4"},
    {"iso-8859-5", "iso-8859-5"}, {"iso8859-5", "iso-8859-5"},
    {"iso88595", "iso-8859-5"}, {"iso_8859-5", "iso-8859-5"},
    {"cyrillic", "iso-8859-5"},
    {"iso-8859-6", "iso-8859-6"}, {"iso8859-6", "iso-8859-6"},
    {"iso_8859-6", "iso-8859-6"}, {"arabic", "iso-8859-6"},
    {"iso-8859-7", "iso-8859-7"}, {"iso8859-7", "iso-8859-7"},
    {"iso88597", "iso-8859-7"}, {"iso_8859-7", "iso-8859-7"},
    {"greek", "iso-8859-7"}, {"greek8", "iso-8859-7"},
    {"iso-8859-8", "iso-8859-8"}, {"iso8859-8", "iso-8859-8"},
    {"iso_8859-8", "iso-8859-8"}, {"hebrew", "iso-8859-8"},
    {"iso-8859-8-i", "iso-8859-8"}, {"logical", "iso-8859-8"},
    {"visual", "iso-8859-8"},
    {"iso-8859-10", "iso-8859-10"}, {"iso8859-10", "iso-8859-10"},
    {"latin6", "iso-8859-10"},
    {"iso-8859-13", "iso-8859-13"}, {"iso8859-13", "iso-8859-13"},
    {"iso-8859-14", "iso-8859-14"}, {"iso8859-14", "iso-8859-14"},
    {"iso-8859-15", "iso-8859-15"}, {"iso8859-15", "iso-8859-15"},
    {"iso885915", "iso-8859-15"}, {"iso_8859-15", "iso-8859-15"},
    {"latin-9", "iso-8859-15"}, {"latin9", "iso-8859-15"},
    {"iso-8859-16", "iso-8859-16"},
    {"koi8-r", "koi8-r"}, {"koi8", "koi8-r"}, {"koi8_r", "koi8-r"},
    {"cskoi8r", "koi8-r"}, {"koi", "koi8-r"},
    {"koi8-u", "koi8-u"}, {"koi8-ru", "koi8-u"},
    {"ibm866", "ibm866"}, {"866", "ibm866"}, {"cp866", "ibm866"},
    {"csibm866", "ibm866"},
    {"macintosh", "macintosh"}, {"mac", "macintosh"},
    {"x-mac-roman", "macintosh"}, {"csmacintosh", "macintosh"},
    {"x-mac-cyrillic", "x-mac-cyrillic"}, {"x-mac-ukrainian", "x-mac-cyrillic"},
    {"mac-cyrillic", "x-mac-cyrillic"},
    {"gb18030", "gb18030"}, {"gbk", "gb18030"}, {"gb2312", "gb18030"},
    {"gb_2312", "gb18030"}, {"gb_2312-80", "gb18030"}, {"x-gbk", "gb18030"},
    {"chinese", "gb18030"}, {"csgb2312", "gb18030"}, {"iso-ir-58", "gb18030"},
    {"cp936", "gb18030"}, {"euc-cn", "gb18030"},
    {"big5", "big5"}, {"big5-hkscs", "big5"}, {"cn-big5", "big5"},
    {"csbig5", "big5"}, {"x-x-big5", "big5"},
    {"euc-jp", "euc-jp"}, {"x-euc-jp", "euc-jp"},
    {"cseucpkdfmtjapanese", "euc-jp"},
    {"iso-2022-jp", "iso-2022-jp"}, {"csiso2022jp", "iso-2022-jp"},
    {"shift_jis", "shift_jis"}, {"shift-jis", "shift_jis"},
    {"sjis", "shift_jis"}, {"x-sjis", "shift_jis"}, {"ms_kanji", "shift_jis"},
    {"csshiftjis", "shift_jis"}, {"windows-31j", "shift_jis"},
    {"ms932", "shift_jis"}, {"cp932", "shift_jis"},
    {"euc-kr", "euc-kr"}, {"cseuckr", "euc-kr"}, {"korean", "euc-kr"},
    {"ks_c_5601-1987", "euc-kr"}, {"ks_c_5601-1989", "euc-kr"},
    {"ksc5601", "euc-kr"}, {"ksc_5601", "euc-kr"}, {"windows-949", "euc-kr"},
    {"cp949", "euc-kr"}, {"uhc", "euc-kr"},
    {"utf-16le", "utf-16le"}, {"utf-16", "utf-16le"},
    {"unicode", "utf-16le"}, {"ucs-2", "utf-16le"},
    {"utf-16be", "utf-16be"}, {"unicodefffe", "utf-16be"},
};

struct IconvName {
  const char* canonical;
  const char* iconv;
};

constexpr IconvName kIconvNames[] = {
    {"windows-1250", "CP1250"}, {"windows-1251", "CP1251"},
    {"windows-1253", "CP1253"}, {"windows-1254", "CP1254"},
    {"windows-1255", "CP1255"}, {"windows-1256", "CP1256"},
    {"windows-1257", "CP1257"}, {"windows-1258", "CP1258"},
    {"windows-874", "CP874"},   {"iso-8859-2", "ISO-8859-2"},
    {"iso-8859-3", "ISO-8859-3"}, {"iso-8859-4", "ISO-8859-4"},
    {"iso-8859-5", "ISO-8859-5"}, {"iso-8859-6", "ISO-8859-6"},
    {"iso-8859-7", "ISO-8859-7"}, {"iso-8859-8", "ISO-8859-8"},
    {"iso-8859-10", "ISO-8859-10"}, {"iso-8859-13", "ISO-8859-13"},
    {"iso-8859-14", "ISO-8859-14"}, {"iso-8859-15", "ISO-8859-15"},
    {"iso-8859-16", "ISO-8859-16"}, {"koi8-r", "KOI8-R"},
    {"koi8-u", "KOI8-U"},       {"ibm866", "IBM866"},
    {"macintosh", "MACINTOSH"}, {"x-mac-cyrillic", "MAC-CYRILLIC"},
    {"gb18030", "GB18030"},     {"big5", "BIG5-HKSCS"},
    {"euc-jp", "EUC-JP"},       {"iso-2022-jp", "ISO-2022-JP"},
    {"shift_jis", "CP932"},     {"euc-kr", "CP949"},
    {"utf-16le", "UTF-16LE"},   {"utf-16be", "UTF-16BE"},
};

// windows-1252 bytes 0x80..0x9F (WHATWG: undefined bytes map to the C1
// control of the same value).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void AppendCp1252(std::string_view in, std::string* out) {
  out->reserve(out->size() + in.size() + in.size() / 4);
  for (unsigned char c : in) {
    uint32_t cp = c;
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    if (c < 0xA0) cp = kCp1252High[c - 0x80];
    AppendUtf8(cp, out);
  }
}

// Case-insensitive search for `needle` (lowercase) in `s` from `from`.
size_t IFind(std::string_view s, std::string_view needle, size_t from) {
  if (needle.empty() || s.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (AsciiToLower(s[i]) != needle[0]) continue;
    size_t k = 1;
    while (k < needle.size() && AsciiToLower(s[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

// The charset in a meta content value ("text/html; charset=x").
std::string_view CharsetFromContent(std::string_view content) {
  size_t i = 0;
  for (;;) {
    size_t p = IFind(content, "charset", i);
    if (p == std::string_view::npos) return {};
    size_t j = p + 7;
    while (j < content.size() && IsAsciiWhitespace(content[j])) ++j;
    if (j >= content.size() || content[j] != '=') {
      i = p + 7;
      continue;
    }
    ++j;
    while (j < content.size() && IsAsciiWhitespace(content[j])) ++j;
    if (j >= content.size()) return {};
    char q = content[j];
    if (q == '"' || q == '\'') {
      size_t end = content.find(q, j + 1);
      if (end == std::string_view::npos) return {};
      return content.substr(j + 1, end - j - 1);
    }
    size_t end = j;
    while (end < content.size() && !IsAsciiWhitespace(content[end]) && content[end] != ';') {
      ++end;
    }
    return content.substr(j, end - j);
  }
}

}  // namespace

std::string_view CharsetSourceName(CharsetSource source) {
  switch (source) {
    case CharsetSource::kBom: return "bom";
    case CharsetSource::kHttp: return "http";
    case CharsetSource::kMeta: return "meta";
    case CharsetSource::kDetected: return "detected";
    case CharsetSource::kFallback: return "fallback";
    case CharsetSource::kGiven: return "given";
  }
  return "unknown";
}

std::string_view CanonicalCharset(std::string_view label) {
  while (!label.empty() &&
         (IsAsciiWhitespace(label.front()) || label.front() == '"' || label.front() == '\'')) {
    label.remove_prefix(1);
  }
  while (!label.empty() &&
         (IsAsciiWhitespace(label.back()) || label.back() == '"' || label.back() == '\'')) {
    label.remove_suffix(1);
  }
  if (label.empty() || label.size() > 40) return {};
  for (const Label& l : kLabels) {
    if (EqualsIgnoreAsciiCase(label, l.label)) return l.canonical;
  }
  return {};
}

std::string_view SniffMetaCharset(std::string_view head) {
  size_t i = 0;
  for (;;) {
    size_t p = IFind(head, "<meta", i);
    if (p == std::string_view::npos) return {};
    size_t j = p + 5;
    i = j;
    if (j >= head.size() || !(IsAsciiWhitespace(head[j]) || head[j] == '/')) continue;
    std::string_view charset, content;
    bool http_equiv_ct = false;
    // Attributes up to '>'.
    for (;;) {
      while (j < head.size() && (IsAsciiWhitespace(head[j]) || head[j] == '/')) ++j;
      if (j >= head.size() || head[j] == '>') break;
      size_t name_start = j;
      while (j < head.size() && !IsAsciiWhitespace(head[j]) && head[j] != '=' && head[j] != '>' &&
             head[j] != '/') {
        ++j;
      }
      std::string_view name = head.substr(name_start, j - name_start);
      while (j < head.size() && IsAsciiWhitespace(head[j])) ++j;
      std::string_view value;
      if (j < head.size() && head[j] == '=') {
        ++j;
        while (j < head.size() && IsAsciiWhitespace(head[j])) ++j;
        if (j < head.size() && (head[j] == '"' || head[j] == '\'')) {
          char q = head[j];
          size_t end = head.find(q, j + 1);
          if (end == std::string_view::npos) return {};
          value = head.substr(j + 1, end - j - 1);
          j = end + 1;
        } else {
          size_t start = j;
          while (j < head.size() && !IsAsciiWhitespace(head[j]) && head[j] != '>') ++j;
          value = head.substr(start, j - start);
        }
      }
      if (name.empty()) {
        ++j;
        continue;
      }
      if (EqualsIgnoreAsciiCase(name, "charset")) {
        if (charset.empty()) charset = value;
      } else if (EqualsIgnoreAsciiCase(name, "http-equiv")) {
        if (EqualsIgnoreAsciiCase(value, "content-type")) http_equiv_ct = true;
      } else if (EqualsIgnoreAsciiCase(name, "content")) {
        if (content.empty()) content = value;
      }
    }
    i = j;
    if (!charset.empty()) return charset;
    if (http_equiv_ct) {
      std::string_view c = CharsetFromContent(content);
      if (!c.empty()) return c;
    }
  }
}

CharsetConverter::CharsetConverter() = default;

CharsetConverter::~CharsetConverter() {
  for (const Cached& c : iconv_) {
    if (c.cd != nullptr) iconv_close(static_cast<iconv_t>(c.cd));
  }
  if (detector_ != nullptr) uchardet_delete(static_cast<uchardet_t>(detector_));
}

void* CharsetConverter::IconvFor(std::string_view canonical) {
  for (const Cached& c : iconv_) {
    if (c.name == canonical) return c.cd;
  }
  void* cd = nullptr;
  for (const IconvName& n : kIconvNames) {
    if (canonical == n.canonical) {
      iconv_t h = iconv_open("UTF-8", n.iconv);
      if (h != reinterpret_cast<iconv_t>(-1)) cd = h;
      break;
    }
  }
  iconv_.push_back(Cached{canonical, cd});
  return cd;
}

bool CharsetConverter::ConvertFrom(std::string_view canonical,
                                   std::string_view bytes, std::string* out,
                                   size_t* replacements) {
  out->clear();
  *replacements = 0;
  if (canonical == "utf-8") {
    if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) {
      bytes.remove_prefix(3);
    }
    if (IsValidUtf8Simd(bytes)) {
      out->assign(bytes);
    } else {
      *replacements = AppendRepairedUtf8(bytes, out);
    }
    return true;
  }
  if (canonical == "windows-1252") {
    AppendCp1252(bytes, out);
    return true;
  }
  iconv_t cd = static_cast<iconv_t>(IconvFor(canonical));
  if (cd == nullptr) return false;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  out->resize(bytes.size() * 2 + 64);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t used = 0;
  bool flushed = false;
  for (;;) {
    char* dst = out->data() + used;
    size_t out_left = out->size() - used;
    size_t r;
    if (in_left > 0) {
      r = iconv(cd, &in, &in_left, &dst, &out_left);
    } else {
      r = iconv(cd, nullptr, nullptr, &dst, &out_left);
    }
    used = out->size() - out_left;
    if (r != static_cast<size_t>(-1)) {
      if (in_left == 0) {
        if (flushed) break;
        flushed = true;
      }
      continue;
    }
    if (errno == E2BIG) {
      out->resize(out->size() * 2 + 64);
      continue;
    }
    // EILSEQ (invalid or unmappable byte) or EINVAL (incomplete sequence at
    // the end): replace one byte and go on from a reset state.
    if (out->size() - used < kReplacementUtf8.size()) {
      out->resize(out->size() * 2 + 64);
    }
    std::memcpy(out->data() + used, kReplacementUtf8.data(), kReplacementUtf8.size());
    used += kReplacementUtf8.size();
    ++*replacements;
    if (errno == EINVAL) {
      in_left = 0;
    } else {
      ++in;
      --in_left;
    }
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    if (in_left == 0) flushed = true;
    if (in_left == 0) break;
  }
  out->resize(used);
  if (out->size() >= 3 && std::memcmp(out->data(), "\xEF\xBB\xBF", 3) == 0) {
    out->erase(0, 3);
  }
  if (!IsValidUtf8Simd(*out)) {
    std::string repaired;
    *replacements += AppendRepairedUtf8(*out, &repaired);
    out->swap(repaired);
  }
  return true;
}

std::string_view CharsetConverter::Detect(std::string_view bytes) {
  if (detector_ == nullptr) detector_ = uchardet_new();
  if (detector_ == nullptr) return {};
  uchardet_t ud = static_cast<uchardet_t>(detector_);
  uchardet_reset(ud);
  constexpr size_t kDetectBytes = 64 << 10;
  uchardet_handle_data(ud, bytes.data(), std::min(bytes.size(), kDetectBytes));
  uchardet_data_end(ud);
  const char* name = uchardet_get_charset(ud);
  if (name == nullptr) return {};
  std::string_view c = CanonicalCharset(name);
  if (c == "utf-16le" || c == "utf-16be") return {};
  return c;
}

CharsetResult CharsetConverter::ConvertHtml(std::string_view bytes,
                                            std::string_view http_charset,
                                            size_t sniff_bytes,
                                            std::string* out) {
  CharsetResult r;
  auto u = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  std::string_view bom_charset;
  size_t bom = 0;
  if (bytes.size() >= 3 && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) {
    bom_charset = "utf-8";
    bom = 3;
  } else if (bytes.size() >= 2 && u(0) == 0xFF && u(1) == 0xFE) {
    bom_charset = "utf-16le";
    bom = 2;
  } else if (bytes.size() >= 2 && u(0) == 0xFE && u(1) == 0xFF) {
    bom_charset = "utf-16be";
    bom = 2;
  }
  if (!bom_charset.empty() &&
      ConvertFrom(bom_charset, bytes.substr(bom), out, &r.replacements)) {
    r.name = bom_charset;
    r.source = CharsetSource::kBom;
    return r;
  }
  std::string_view c = CanonicalCharset(http_charset);
  if (!c.empty() && ConvertFrom(c, bytes, out, &r.replacements)) {
    r.name = c;
    r.source = CharsetSource::kHttp;
    return r;
  }
  c = CanonicalCharset(SniffMetaCharset(bytes.substr(0, sniff_bytes)));
  if (c == "utf-16le" || c == "utf-16be") c = "utf-8";
  if (!c.empty() && ConvertFrom(c, bytes, out, &r.replacements)) {
    r.name = c;
    r.source = CharsetSource::kMeta;
    return r;
  }
  return ConvertText(bytes, {}, out);
}

CharsetResult CharsetConverter::ConvertText(std::string_view bytes,
                                            std::string_view label,
                                            std::string* out) {
  CharsetResult r;
  std::string_view c = CanonicalCharset(label);
  if (!c.empty() && ConvertFrom(c, bytes, out, &r.replacements)) {
    r.name = c;
    r.source = CharsetSource::kGiven;
    return r;
  }
  r.source = CharsetSource::kDetected;
  if (IsValidUtf8Simd(bytes)) {
    c = "utf-8";
  } else {
    c = Detect(bytes);
  }
  if (c.empty() || !ConvertFrom(c, bytes, out, &r.replacements)) {
    c = "windows-1252";
    r.source = CharsetSource::kFallback;
    ConvertFrom(c, bytes, out, &r.replacements);
  }
  r.name = c;
  return r;
}

}  // namespace winnow
