// Site keys for site-level boilerplate: the registered domain of a URL's
// host, found with the Public Suffix List (https://publicsuffix.org).
//
// The list is data, never compiled in: callers read it at run time (Debian's
// `publicsuffix` package installs it at kDebianPublicSuffixListPath) and pass
// its text to PublicSuffixList::Parse. This module never opens files.
//
// Thread safety: a parsed PublicSuffixList is immutable and may be shared by
// any number of threads. SiteOfUrl is a pure function.
#ifndef WINNOW_BOILERPLATE_SITE_KEY_H_
#define WINNOW_BOILERPLATE_SITE_KEY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/status.h"

namespace winnow::boilerplate {

inline constexpr std::string_view kDebianPublicSuffixListPath =
    "/usr/share/publicsuffix/public_suffix_list.dat";

// The rules of a public suffix list: normal ("co.uk"), wildcard ("*.ck") and
// exception ("!www.ck") rules, from both the ICANN and the PRIVATE sections
// (so "alice.github.io" and "bob.github.io" are distinct sites).
//
// Matching follows the list's published algorithm: an exception rule wins;
// otherwise the matching rule with the most labels; otherwise the implicit
// rule "*" (the last label is the public suffix). Rules are matched on
// lowercase ASCII labels; a rule written in Unicode (e.g. an IDN TLD) is
// matched byte for byte against a host written in UTF-8, and is not
// converted to punycode, so a punycode host ("xn--...") is matched against
// the ASCII rules only and otherwise falls to the implicit rule "*".
class PublicSuffixList {
 public:
  // Parses the list's text: one rule per line (its first whitespace-free
  // token), "//" comments and blank lines ignored. Rules are lowercased
  // (ASCII). Returns InvalidArgument when the text holds no rule at all (an
  // empty or wrong file).
  static Result<std::shared_ptr<const PublicSuffixList>> Parse(
      std::string_view text);

  // The public suffix of `host`, a suffix of it (in labels), per the
  // algorithm above. REQUIRES: host is lowercase, non-empty, without a
  // trailing dot, and has no empty label.
  std::string_view PublicSuffix(std::string_view host) const;

  // The registered domain: the public suffix plus one more label on its
  // left. Empty when host is itself a public suffix ("co.uk", "github.io").
  // Same REQUIRES as PublicSuffix.
  std::string_view RegisteredDomain(std::string_view host) const;

  size_t num_rules() const;

  struct Rules;  // opaque; defined in site_key.cc
  explicit PublicSuffixList(std::unique_ptr<Rules> rules);
  ~PublicSuffixList();

 private:
  std::unique_ptr<Rules> rules_;
};

// What SiteOfUrl found. Documents with kNoUrl or kMalformedUrl have no site:
// the stage counts them and leaves them untouched.
enum class SiteOutcome : uint8_t {
  kRegisteredDomain,  // site = registered domain ("news.bbc.co.uk" ->
                      // "bbc.co.uk")
  kIpAddress,         // site = the address ("192.0.2.1", "[2001:db8::1]")
  kSuffixHost,        // host is itself a public suffix or a single label
                      // ("github.io", "localhost"): site = the host
  kNoUrl,             // empty or only whitespace
  kMalformedUrl,      // no "scheme://", empty or invalid host, bad port
};
inline constexpr int kNumSiteOutcomes = 5;

inline bool HasSite(SiteOutcome o) {
  return o == SiteOutcome::kRegisteredDomain || o == SiteOutcome::kIpAddress ||
         o == SiteOutcome::kSuffixHost;
}
std::string_view SiteOutcomeName(SiteOutcome o);  // "registered_domain", ...

// Finds the site of `url`, written to *site (cleared first; left empty when
// there is no site).
//
// Accepted: "scheme://[userinfo@]host[:port][/path][?query][#fragment]"
// with ASCII whitespace around it; the scheme is a letter followed by
// letters, digits, '+', '-' or '.'. The host is lowercased (ASCII only) and
// one trailing dot removed. Host bytes allowed: ASCII letters, digits, '-',
// '_', and any byte >= 0x80 (an IDN host in UTF-8, kept as is); punycode
// labels ("xn--80ak6aa92e.com") are kept as is, not decoded. Labels must be
// non-empty and at most 63 bytes, the host at most 253 bytes. The port, if
// present, must be decimal digits (or empty).
// IP hosts: a dotted-quad IPv4 address, or a host whose last label is all
// digits (not a domain name; kept as written), and bracketed IPv6 literals
// (lowercased, brackets kept).
SiteOutcome SiteOfUrl(const PublicSuffixList& psl, std::string_view url,
                      std::string* site);

}  // namespace winnow::boilerplate

#endif  // WINNOW_BOILERPLATE_SITE_KEY_H_
