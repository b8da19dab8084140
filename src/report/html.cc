#include "report/html.h"

#include <cmath>
#include <cstdio>


namespace winnow::report {

void AppendEscaped(std::string_view text, std::string* out) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '<': out->append("&lt;"); break;
        case '>': out->append("&gt;"); break;
        case '&': out->append("&amp;"); break;
        case '"': out->append("&quot;"); break;
        case '\'': out->append("&#39;"); break;
        case '\t':
        case '\n': out->push_back(static_cast<char>(c)); break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out->append(kReplacement);
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    // Validate one multi-byte sequence (RFC 3629: no overlongs, no
    // surrogates, nothing above U+10FFFF).
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    }
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
          (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        ok = false;
    }
    if (ok && cp >= 0x80 && cp <= 0x9F) {
      // A well-formed C1 control: not allowed in HTML text.
      out->append(kReplacement);
      i += len;
      continue;
    }
    if (ok) {
      out->append(text.substr(i, len));
      i += len;
    } else {
      out->append(kReplacement);
      ++i;
    }
  }
}

std::string Escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  AppendEscaped(text, &out);
  return out;
}

std::string Truncated(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + " \xE2\x80\xA6";
}

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatBytes(double bytes) {
  static const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (std::fabs(bytes) >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof(buf), "%.0f B", bytes);
  else
    std::snprintf(buf, sizeof(buf), "%.*f %s", std::fabs(bytes) < 10 ? 2 : 1, bytes,
                  kUnits[u]);
  return buf;
}

std::string FormatSeconds(double s) {
  char buf[32];
  if (s < 0.001)
    std::snprintf(buf, sizeof(buf), "%.0f \xC2\xB5s", s * 1e6);
  else if (s < 1)
    std::snprintf(buf, sizeof(buf), "%.1f ms", s * 1e3);
  else if (s < 60)
    std::snprintf(buf, sizeof(buf), "%.2f s", s);
  else
    std::snprintf(buf, sizeof(buf), "%dm %02ds", static_cast<int>(s / 60),
                  static_cast<int>(s) % 60);
  return buf;
}

std::string FormatPercent(double f) {
  char buf[32];
  double p = f * 100;
  if (p == 0)
    return "0%";
  else if (std::fabs(p) < 0.1)
    std::snprintf(buf, sizeof(buf), "%.2g%%", p);
  else
    std::snprintf(buf, sizeof(buf), "%.1f%%", p);
  return buf;
}

std::string FormatNumber(double v) {
  char buf[32];
  double a = std::fabs(v);
  if (a >= 1e9)
    std::snprintf(buf, sizeof(buf), "%.3gG", v / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof(buf), "%.3gM", v / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof(buf), "%.3gk", v / 1e3);
  else
    std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

}  // namespace winnow::report
