#include "html/eval.h"

#include <iconv.h>
#include <simdjson.h>
#include <utf8proc.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <map>

#include "core/ascii.h"
#include "core/utf8.h"

namespace winnow::html::eval {
namespace {

// The charset named by a <meta charset> or http-equiv Content-Type in the
// first 8 KiB, lower-cased; empty when none.
std::string DeclaredCharset(std::string_view html) {
  std::string head;
  size_t n = std::min<size_t>(html.size(), 8192);
  head.reserve(n);
  for (size_t i = 0; i < n; ++i) head.push_back(AsciiToLower(html[i]));
  size_t pos = 0;
  while ((pos = head.find("charset", pos)) != std::string::npos) {
    size_t i = pos + 7;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i < head.size() && head[i] == '=') {
      ++i;
      while (i < head.size() && (head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
      size_t b = i;
      while (i < head.size() && (isalnum(static_cast<unsigned char>(head[i])) || head[i] == '-' ||
                                 head[i] == '_' || head[i] == ':' || head[i] == '.'))
        ++i;
      if (i > b) return head.substr(b, i - b);
    }
    pos += 7;
  }
  return {};
}

Status Convert(const std::string& from, const std::string& in, std::string* out) {
  std::string cs = from == "gb2312" ? "gb18030" : from;
  iconv_t cd = iconv_open("UTF-8//IGNORE", cs.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return Status::InvalidArgument("unknown charset " + from);
  out->assign(in.size() * 3 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  while (src_left > 0) {
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    if (r == static_cast<size_t>(-1)) {
      // With //IGNORE, glibc converts everything it can and then reports
      // EILSEQ with nothing left: stop there (skipping a byte would step
      // past the input).
      if (src_left == 0) break;
      if (errno == EILSEQ || errno == EINVAL) {
        ++src;
        --src_left;
        continue;
      }
      break;
    }
  }
  out->resize(out->size() - dst_left);
  iconv_close(cd);
  return Status::OK();
}

bool IsWordChar(utf8proc_int32_t cp) {
  if (cp == '_') return true;
  if (cp < 128)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> tokens;
  std::string cur;
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                            static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (len <= 0) {
      len = 1;
      cp = -1;
    }
    if (cp >= 0 && IsWordChar(cp)) {
      cur.append(s.data() + i, static_cast<size_t>(len));
    } else if (!cur.empty()) {
      tokens.push_back(std::move(cur));
      cur.clear();
    }
    i += static_cast<size_t>(len);
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  return tokens;
}

std::map<std::string, int> Shingles(std::string_view text) {
  std::vector<std::string> t = Tokens(text);
  std::map<std::string, int> out;
  // Python: range(max(1, len - n + 1)), skipping empty tuples.
  size_t count = t.size() >= 4 ? t.size() - 3 : 1;
  for (size_t i = 0; i < count; ++i) {
    std::string key;
    for (size_t k = i; k < std::min(i + 4, t.size()); ++k) {
      key += t[k];
      key.push_back('\x1f');
    }
    if (!key.empty()) ++out[key];
  }
  return out;
}

std::string NormalizeSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

Status ReadFile(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound(path);
  out->clear();
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out->append(buf, n);
  std::fclose(f);
  return Status::OK();
}

Status LoadPage(const std::string& path, std::string* utf8) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound(path);
  std::string raw;
  char buf[65536];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) raw.append(buf, static_cast<size_t>(n));
  gzclose(f);
  std::string cs = DeclaredCharset(raw);
  if (cs.empty() || cs == "utf-8" || cs == "utf8") {
    if (!IsValidUtf8(raw)) return Convert("windows-1252", raw, utf8);
    *utf8 = std::move(raw);
    return Status::OK();
  }
  if (cs == "iso-8859-1" || cs == "latin1" || cs == "us-ascii") cs = "windows-1252";
  Status st = Convert(cs, raw, utf8);
  if (!st.ok()) *utf8 = std::move(raw);
  return Status::OK();
}

Scores ScoreShingles(const std::vector<ShinglePair>& pages) {
  double p_sum = 0, r_sum = 0;
  size_t p_n = 0, r_n = 0;
  for (const ShinglePair& page : pages) {
    std::map<std::string, int> t = Shingles(page.truth);
    std::map<std::string, int> p = Shingles(page.prediction);
    double tp = 0, fp = 0, fn = 0;
    for (const auto& [k, c] : t) {
      auto it = p.find(k);
      int pc = it == p.end() ? 0 : it->second;
      tp += std::min(c, pc);
      fn += std::max(0, c - pc);
    }
    for (const auto& [k, c] : p) {
      auto it = t.find(k);
      int tc = it == t.end() ? 0 : it->second;
      fp += std::max(0, c - tc);
    }
    double s = tp + fp + fn;
    if (s > 0) {
      tp /= s;
      fp /= s;
      fn /= s;
    }
    if (tp + fp > 0) {
      p_sum += (fp == 0 && fn == 0) ? 1.0 : tp / (tp + fp);
      ++p_n;
    }
    if (tp + fn > 0) {
      r_sum += (fp == 0 && fn == 0) ? 1.0 : tp / (tp + fn);
      ++r_n;
    }
  }
  Scores s;
  s.pages = pages.size();
  s.precision = p_n ? p_sum / static_cast<double>(p_n) : 0;
  s.recall = r_n ? r_sum / static_cast<double>(r_n) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

Scores ScoreSnippets(const std::vector<SnippetPage>& pages) {
  double tp = 0, fp = 0, fn = 0;
  for (const SnippetPage& page : pages) {
    std::string text = NormalizeSpace(page.prediction);
    for (const std::string& w : page.with) {
      if (text.find(NormalizeSpace(w)) != std::string::npos) ++tp;
      else ++fn;
    }
    for (const std::string& w : page.without) {
      if (text.find(NormalizeSpace(w)) != std::string::npos) ++fp;
    }
  }
  Scores s;
  s.pages = pages.size();
  s.precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  s.recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

Status LoadSnippets(const std::string& path,
                    std::vector<std::pair<std::string, SnippetPage>>* out) {
  std::string json;
  WINNOW_RETURN_IF_ERROR(ReadFile(path, &json));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS)
    return Status::Corruption("bad JSON in " + path);
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return Status::Corruption("not an object: " + path);
  for (auto field : obj) {
    SnippetPage page;
    for (const char* which : {"with", "without"}) {
      simdjson::dom::array arr;
      if (field.value[which].get(arr) != simdjson::SUCCESS) continue;
      for (auto v : arr) {
        std::string_view s;
        if (v.get(s) == simdjson::SUCCESS)
          (std::string_view(which) == "with" ? page.with : page.without).emplace_back(s);
      }
    }
    out->emplace_back(std::string(field.key), std::move(page));
  }
  return Status::OK();
}

}  // namespace winnow::html::eval
