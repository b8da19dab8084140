// Character sets of archived web pages: choosing the encoding of an HTML
// payload and converting it to valid UTF-8.
//
// The choice follows the WHATWG encoding sniffing algorithm, simplified:
//   1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) wins;
//   2. the charset parameter of the HTTP Content-Type header;
//   3. a <meta charset> or <meta http-equiv="content-type" content=...>
//      within the first `sniff_bytes` bytes (a meta declaring UTF-16 means
//      UTF-8, as browsers do);
//   4. detection: valid UTF-8 is UTF-8, otherwise uchardet's guess;
//   5. windows-1252 as the last resort.
// Labels are mapped the WHATWG way (iso-8859-1, latin1 and us-ascii mean
// windows-1252; gb2312 and gbk mean GB18030, the superset; shift_jis means
// Microsoft's windows-31j; euc-kr means windows-949). A label that is
// unknown, or that glibc's iconv cannot open, falls through to the next step.
//
// Conversion uses glibc iconv (a built-in table for windows-1252, the most
// common legacy charset). Undecodable bytes become U+FFFD; the output is
// always valid UTF-8, without a BOM.
//
// Thread safety: a CharsetConverter is used by one thread at a time.
#ifndef WINNOW_FORMATS_CHARSET_H_
#define WINNOW_FORMATS_CHARSET_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

enum class CharsetSource { kBom, kHttp, kMeta, kDetected, kFallback, kGiven };

// "bom", "http", "meta", "detected", "fallback", "given".
std::string_view CharsetSourceName(CharsetSource source);

// The canonical (WHATWG, lowercase) name for a charset label, e.g.
// "Latin1" -> "windows-1252", "x-sjis" -> "shift_jis", "GBK" -> "gb18030";
// empty for an unknown label. Leading/trailing whitespace and quotes are
// ignored.
std::string_view CanonicalCharset(std::string_view label);

// The charset label declared by a <meta> tag within `head`, or empty. The
// returned view points into `head`.
std::string_view SniffMetaCharset(std::string_view head);

struct CharsetResult {
  std::string_view name;   // canonical name actually used (static storage)
  CharsetSource source = CharsetSource::kDetected;
  size_t replacements = 0;  // bytes or sequences replaced by U+FFFD
};

class CharsetConverter {
 public:
  CharsetConverter();
  ~CharsetConverter();
  CharsetConverter(const CharsetConverter&) = delete;
  CharsetConverter& operator=(const CharsetConverter&) = delete;

  // Chooses the charset of the HTML payload `bytes` (see above) and writes
  // its UTF-8 conversion to *out (replacing its contents). `http_charset`
  // is the Content-Type charset parameter (may be empty). `bytes` must not
  // overlap *out.
  CharsetResult ConvertHtml(std::string_view bytes,
                            std::string_view http_charset, size_t sniff_bytes,
                            std::string* out);

  // Converts `bytes` from the charset `label` (source kGiven; a UTF-8 BOM is
  // dropped) to UTF-8 in *out; when the label is empty, unknown or not
  // convertible, detection then windows-1252 as in ConvertHtml. Used for
  // plain text (WET conversion records).
  CharsetResult ConvertText(std::string_view bytes, std::string_view label,
                            std::string* out);

  // Converts from a canonical charset name; returns the number of
  // replacements. False when iconv cannot convert from it.
  bool ConvertFrom(std::string_view canonical, std::string_view bytes,
                   std::string* out, size_t* replacements);

  // uchardet's guess as a canonical name, or empty.
  std::string_view Detect(std::string_view bytes);

 private:
  void* IconvFor(std::string_view canonical);  // iconv_t or nullptr

  struct Cached {
    std::string_view name;
    void* cd;
  };
  std::vector<Cached> iconv_;
  void* detector_ = nullptr;  // uchardet_t, created on first use
};

}  // namespace winnow

#endif  // WINNOW_FORMATS_CHARSET_H_
