// Keys for exact duplicate detection: a 128-bit hash of a document's
// normalized text, and a normalized form (and key) of its URL.
//
// All keys are XXH3-128 hashes (libxxhash, stable since 0.8.0) of byte
// strings defined below, so they are identical on every platform, build and
// run. With 128 bits, the chance that any two of 10^12 distinct inputs share
// a key is below 10^-14.
//
// Thread safety: pure functions.
#ifndef WINNOW_DEDUP_KEYS_H_
#define WINNOW_DEDUP_KEYS_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::dedup {

// A 128-bit key. Ordered as the pair (hi, lo).
struct Key128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend auto operator<=>(const Key128&, const Key128&) = default;
};

// XXH3-128 of `bytes` with `seed`.
Key128 HashKey128(std::string_view bytes, uint64_t seed = 0);

// Exact-duplicate key of a document text. Two texts get the same key iff
// they are equal after this normalization:
//   * NFC (canonically equivalent texts, e.g. precomposed "é" and
//     "e" + U+0301, are equal),
//   * full Unicode case folding (utf8proc CASEFOLD: "Straße" = "STRASSE"),
//   * every run of Python whitespace (str.isspace(): ASCII whitespace,
//     U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
//     U+205F, U+3000) collapsed to one space, and removed at both ends.
// Punctuation, digits and letters are otherwise kept: this catches reposts
// that differ in layout and capitalization, not rewordings (MinHash does
// that). Invalid UTF-8 bytes are kept as they are (not normalized).
// The empty text (or one of only whitespace) has a key like any other text;
// callers usually skip it.
Key128 ExactTextKey(std::string_view text);

// The normalized text that ExactTextKey hashes (for tests and debugging).
std::string NormalizeTextForExactKey(std::string_view text);

// Conservative URL normalization: only rewrites that never change which
// resource a server returns, per RFC 3986 section 6.2.2-6.2.3:
//   * tabs and line breaks anywhere are dropped (as the WHATWG URL parser
//     does) and surrounding whitespace (ASCII) is removed,
//   * the scheme and the host are lowercased,
//   * the port is dropped when it is the scheme's default (http 80,
//     https 443, ftp 21, ws 80, wss 443) or empty ("host:"),
//   * the fragment ("#..." ) is dropped,
//   * an empty path becomes "/" for http(s)/ws(s)/ftp URLs with a host,
//   * percent-escapes get uppercase hex digits, and escapes of unreserved
//     characters (A-Z a-z 0-9 - . _ ~) are decoded; a '%' that starts no
//     escape becomes "%25",
//   * "." and ".." path segments are resolved (RFC 3986 remove_dot_segments).
// Not done (each can change the resource on real servers): path case,
// trailing-slash removal, query parameter reordering or removal, "www."
// stripping, IDNA/punycode conversion, http/https unification.
// The userinfo part ("user:pass@") is kept as is. Strings that do not parse
// as "scheme://authority...", that hold a space or control character
// inside, or whose host holds a stray colon ("h::80"),
// are returned with only the whitespace rules applied. The result is a
// fixed point: NormalizeUrl(NormalizeUrl(u)) == NormalizeUrl(u).
std::string NormalizeUrl(std::string_view url);

// Key of NormalizeUrl(url), in a key space disjoint from ExactTextKey's.
Key128 UrlKey(std::string_view url);

}  // namespace winnow::dedup

#endif  // WINNOW_DEDUP_KEYS_H_
