#include "dedup/keys.h"

#include <utf8proc.h>
#include <xxhash.h>

#include <cstdlib>
#include <cstring>

#include "dedup/ascii_block.h"
#include "tokenize/char_classes.h"

namespace winnow::dedup {
namespace {

using tokenize_internal::DecodeUtf8;
using tokenize_internal::kInvalidCodePoint;
using tokenize_internal::kAsciiProps;
using tokenize_internal::SpaceAt;

// Seeds that keep the key spaces of different key kinds apart.
constexpr uint64_t kTextKeySeed = 0x746578746b657931ull;  // "textkey1"
constexpr uint64_t kUrlKeySeed = 0x75726c6b65793031ull;   // "urlkey01"

// The end of the run of ASCII bytes starting at p.
const char* AsciiRunEnd(const char* p, const char* end) {
#ifdef __SSE2__
  for (; end - p >= 16; p += 16) {
    const auto m = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    if (m != 0) return p + __builtin_ctz(m);
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return p;
}

// NFC + case folding of a valid UTF-8 run that holds non-ASCII characters,
// by utf8proc, appended to *out.
void AppendFoldedByUtf8proc(std::string_view run, std::string* out) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                   static_cast<utf8proc_ssize_t>(run.size()), &mapped,
                   static_cast<utf8proc_option_t>(
                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  if (n < 0) {
    out->append(run);  // cannot happen for valid UTF-8 except on OOM
  } else {
    out->append(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  }
  std::free(mapped);
}

// AppendFoldedByUtf8proc of `run` (in *scratch or in a per-thread cache).
// Short runs (typically one quotation mark or accented letter with the
// ASCII character before it) recur in every document, so their results are
// memoized: the fold is a pure function of the run's bytes.
std::string_view Fold(std::string_view run, std::string* scratch) {
  struct Entry {
    uint8_t key_len = 0;  // 0: empty slot (runs are never empty)
    uint8_t out_len = 0;
    char key[14];
    char out[48];
  };
  static constexpr size_t kSlots = 256;
  thread_local Entry cache[kSlots];
  if (run.size() > sizeof(Entry::key)) {
    scratch->clear();
    AppendFoldedByUtf8proc(run, scratch);
    return *scratch;
  }
  Entry& e = cache[XXH3_64bits(run.data(), run.size()) % kSlots];
  if (e.key_len == run.size() &&
      std::memcmp(e.key, run.data(), run.size()) == 0) {
    return std::string_view(e.out, e.out_len);
  }
  scratch->clear();
  AppendFoldedByUtf8proc(run, scratch);
  if (scratch->size() <= sizeof(Entry::out)) {
    e.key_len = static_cast<uint8_t>(run.size());
    std::memcpy(e.key, run.data(), run.size());
    e.out_len = static_cast<uint8_t>(scratch->size());
    std::memcpy(e.out, scratch->data(), scratch->size());
  } else {
    e.key_len = 0;
  }
  return *scratch;
}

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool IsUnreserved(char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}
char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// Uppercases the hex digits of percent-escapes and decodes escaped
// unreserved characters.
std::string NormalizePercent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
        HexValue(s[i + 2]) >= 0) {
      const int v = HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]);
      const char c = static_cast<char>(v);
      if (IsUnreserved(c)) {
        out.push_back(c);
      } else {
        out.push_back('%');
        out.push_back(kHex[v >> 4]);
        out.push_back(kHex[v & 15]);
      }
      i += 2;
    } else if (s[i] == '%') {
      // A stray '%' (no two hex digits follow) is escaped, so that no
      // decoded character can complete it into a new escape ("%3%31" would
      // otherwise become "%31", then "1").
      out += "%25";
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// RFC 3986 5.2.4 remove_dot_segments.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      const size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (in == "/..") {
      in = "/";
      const size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

std::string_view TrimAsciiSpace(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view DefaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  if (scheme == "ftp") return "21";
  return {};
}

}  // namespace

Key128 HashKey128(std::string_view bytes, uint64_t seed) {
  const XXH128_hash_t h =
      XXH3_128bits_withSeed(bytes.data(), bytes.size(), seed);
  return Key128{h.high64, h.low64};
}

namespace {

// Appends `folded` (already NFC + case folded) to *out with Python
// whitespace runs collapsed; *pending says a space is owed before the next
// non-space character (none at the start of the output).
void AppendCollapsedPending(std::string_view folded, bool* pending, std::string* out) {
  const char* p = folded.data();
  const char* end = p + folded.size();
  while (p < end) {
    int len;
    if (SpaceAt(p, end, &len)) {
      *pending = true;
    } else {
      if (*pending && !out->empty()) out->push_back(' ');
      *pending = false;
      out->append(p, static_cast<size_t>(len));
    }
    p += len;
  }
}

// NormalizeTextForExactKey in one pass. ASCII is lowercased and its
// whitespace collapsed directly; each maximal span of valid non-ASCII
// characters, with the ASCII character just before it, is folded by
// utf8proc and then collapsed. That is exact: every ASCII character is a
// starter (canonical combining class 0) that is never the second element of
// a canonical composition, so NFC never combines across the point just
// before an ASCII character, and case folding maps characters one by one. Invalid bytes are
// kept as ordinary characters, and never folded together with neighbours.
void NormalizeInto(std::string_view text, std::string* out, std::string* scratch) {
  out->clear();
  const char* p = text.data();
  const char* end = p + text.size();
  bool pending = false;
  bool last_ascii_char = false;  // the last byte of *out is an ASCII non-space from the input
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      // An ASCII run, written through a raw pointer (at most one byte more
      // than the run: a pending space).
      const char* q = AsciiRunEnd(p, end);
      const size_t base = out->size();
      out->resize(base + static_cast<size_t>(q - p) + 1);
      char* const begin = out->data();
      char* w = begin + base;
      while (p < q) {
#ifdef __SSE2__
        // 16 bytes at a time from a non-space byte while the only
        // whitespace is single spaces: the block's plain prefix (at least
        // its first byte) is copied lowercased, and a space ending it
        // becomes the pending space. Anything else (other whitespace, a
        // second space) is left to the byte loop, so the output is the
        // same. Stores stay inside the run's room: p + 16 <= q.
        if (q - p >= 16 && (kAsciiProps[static_cast<unsigned char>(*p)] &
                            tokenize_internal::kAsciiSpace) == 0) {
          if (pending && w != begin) *w++ = ' ';
          const auto block = dedup_internal::LowerPlainBlock(
              p, w, [](__m128i c, unsigned, unsigned) {
                // Other Python whitespace: 0x09-0x0D and 0x1C-0x1F.
                return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                    _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(0x08)),
                                  _mm_cmplt_epi8(c, _mm_set1_epi8(0x0E))),
                    _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(0x1B)),
                                  _mm_cmplt_epi8(c, _mm_set1_epi8(0x20))))));
              });
          p += block.len;
          w += block.len - (block.ends_in_space ? 1 : 0);
          pending = block.ends_in_space;
          last_ascii_char = !block.ends_in_space;
          continue;
        }
#endif
        const auto b = static_cast<unsigned char>(*p);
        ++p;
        if (kAsciiProps[b] & tokenize_internal::kAsciiSpace) {
          pending = true;
          last_ascii_char = false;
        } else {
          if (pending && w != begin) *w++ = ' ';
          pending = false;
          *w++ = b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : static_cast<char>(b);
          last_ascii_char = true;
        }
      }
      out->resize(static_cast<size_t>(w - begin));
      continue;
    }
    // A non-ASCII span of valid characters.
    const char* span = p;
    const char* q = p;
    while (q < end && static_cast<unsigned char>(*q) >= 0x80) {
      int len;
      if (DecodeUtf8(q, end, &len) == kInvalidCodePoint) break;
      q += len;
    }
    if (q > span) {
      const char* from = span;
      if (last_ascii_char) {
        --from;
        out->pop_back();
      }
      AppendCollapsedPending(
          Fold(std::string_view(from, static_cast<size_t>(q - from)), scratch),
          &pending, out);
    }
    last_ascii_char = false;
    if (q < end && static_cast<unsigned char>(*q) >= 0x80) {
      // An invalid byte: kept as is.
      if (pending && !out->empty()) out->push_back(' ');
      pending = false;
      out->push_back(*q);
      ++q;
    }
    p = q;
  }
}

}  // namespace

std::string NormalizeTextForExactKey(std::string_view text) {
  std::string out, scratch;
  out.reserve(text.size());
  NormalizeInto(text, &out, &scratch);
  return out;
}

Key128 ExactTextKey(std::string_view text) {
  thread_local std::string out, scratch;
  NormalizeInto(text, &out, &scratch);
  const Key128 key = HashKey128(out, kTextKeySeed);
  if (out.capacity() > (size_t{1} << 24)) out = std::string();  // after a huge text
  return key;
}

std::string NormalizeUrl(std::string_view url) {
  // As the WHATWG URL parser does: tabs and line breaks anywhere in a URL
  // are dropped (a URL wrapped over lines is the same URL).
  std::string unwrapped;
  if (url.find_first_of("\t\n\r") != std::string_view::npos) {
    for (char c : url)
      if (c != '\t' && c != '\n' && c != '\r') unwrapped.push_back(c);
    url = unwrapped;
  }
  url = TrimAsciiSpace(url);
  // A space or control character left inside is no URL a parser accepts
  // unchanged; leave such strings alone rather than half-normalize them.
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return std::string(url);
  }
  // scheme
  size_t i = 0;
  if (url.empty() || !IsAsciiAlpha(url[0])) return std::string(url);
  while (i < url.size() && (IsAsciiAlpha(url[i]) || IsAsciiDigit(url[i]) ||
                            url[i] == '+' || url[i] == '-' || url[i] == '.')) {
    ++i;
  }
  if (url.substr(i, 3) != "://") return std::string(url);
  std::string scheme;
  for (char c : url.substr(0, i)) scheme.push_back(LowerAscii(c));
  std::string_view rest = url.substr(i + 3);
  // fragment
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  size_t auth_end = rest.find_first_of("/?");
  if (auth_end == std::string_view::npos) auth_end = rest.size();
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view path_and_query = rest.substr(auth_end);
  std::string_view userinfo;
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at + 1);
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  size_t colon = std::string_view::npos;
  if (!host.empty() && host[0] == '[') {
    const size_t close = host.find(']');
    if (close != std::string_view::npos && close + 1 < host.size() &&
        host[close + 1] == ':') {
      colon = close + 1;
    }
  } else {
    colon = host.rfind(':');
  }
  if (colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  // A second colon outside brackets ("host::80") is no authority at all;
  // normalizing part of it would not be idempotent.
  if (host.find(':') != std::string_view::npos && host[0] != '[') {
    return std::string(url);
  }
  bool port_digits = true;
  for (char c : port) port_digits &= IsAsciiDigit(c);
  std::string_view default_port = DefaultPort(scheme);
  // Leading zeros do not change a port ("080" is 80).
  while (port_digits && port.size() > 1 && port[0] == '0')
    port.remove_prefix(1);
  const bool drop_port =
      port_digits &&
      (port.empty() || (!default_port.empty() && port == default_port));

  std::string out = scheme;
  out += "://";
  out += userinfo;
  for (char c : host) out.push_back(LowerAscii(c));
  if (!drop_port) {
    out.push_back(':');
    out += port;
  }
  std::string_view path = path_and_query;
  std::string_view query;
  if (const size_t q = path_and_query.find('?'); q != std::string_view::npos) {
    path = path_and_query.substr(0, q);
    query = path_and_query.substr(q);
  }
  std::string norm_path = RemoveDotSegments(NormalizePercent(path));
  if (norm_path.empty() && !default_port.empty() && !host.empty()) {
    norm_path.push_back('/');  // empty: add the root path
  }
  out += norm_path;
  out += NormalizePercent(query);
  return out;
}

Key128 UrlKey(std::string_view url) {
  return HashKey128(NormalizeUrl(url), kUrlKeySeed);
}

}  // namespace winnow::dedup
