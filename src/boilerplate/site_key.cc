#include "boilerplate/site_key.h"

#include <string>
#include <unordered_set>
#include <utility>

namespace winnow::boilerplate {
namespace {

struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>()(s);
  }
};
using RuleSet = std::unordered_set<std::string, ViewHash, std::equal_to<>>;

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}
char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Offset of the label after the first dot at or after `from`, or npos.
size_t NextLabel(std::string_view host, size_t from) {
  size_t dot = host.find('.', from);
  return dot == std::string_view::npos ? dot : dot + 1;
}

bool IsDottedQuad(std::string_view h) {
  int parts = 0;
  size_t i = 0;
  while (i <= h.size()) {
    size_t end = h.find('.', i);
    if (end == std::string_view::npos) end = h.size();
    std::string_view part = h.substr(i, end - i);
    if (part.empty() || part.size() > 3) return false;
    int v = 0;
    for (char c : part) {
      if (!IsDigit(c)) return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    i = end + 1;
  }
  return parts == 4;
}

}  // namespace

struct PublicSuffixList::Rules {
  RuleSet normal;     // "co.uk"
  RuleSet wildcard;   // "ck" for "*.ck"
  RuleSet exception;  // "www.ck" for "!www.ck"
};

PublicSuffixList::PublicSuffixList(std::unique_ptr<Rules> rules)
    : rules_(std::move(rules)) {}
PublicSuffixList::~PublicSuffixList() = default;

size_t PublicSuffixList::num_rules() const {
  return rules_->normal.size() + rules_->wildcard.size() +
         rules_->exception.size();
}

Result<std::shared_ptr<const PublicSuffixList>> PublicSuffixList::Parse(
    std::string_view text) {
  auto rules = std::make_unique<Rules>();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t b = 0;
    while (b < line.size() && IsAsciiSpace(line[b])) ++b;
    size_t e = b;
    while (e < line.size() && !IsAsciiSpace(line[e])) ++e;
    std::string_view tok = line.substr(b, e - b);
    if (tok.empty() || tok.starts_with("//")) continue;
    std::string rule(tok);
    for (char& c : rule) c = Lower(c);
    if (rule.starts_with("!")) {
      if (rule.size() > 1) rules->exception.insert(rule.substr(1));
    } else if (rule.starts_with("*.")) {
      if (rule.size() > 2) rules->wildcard.insert(rule.substr(2));
    } else if (rule != "*") {
      rules->normal.insert(std::move(rule));
    }
  }
  if (rules->normal.empty() && rules->wildcard.empty() &&
      rules->exception.empty()) {
    return Status::InvalidArgument("public suffix list: no rules found");
  }
  return std::shared_ptr<const PublicSuffixList>(
      std::make_shared<PublicSuffixList>(std::move(rules)));
}

std::string_view PublicSuffixList::PublicSuffix(std::string_view host) const {
  // Exception rules prevail: "!www.ck" makes "ck" the suffix of "www.ck".
  for (size_t i = 0; i != std::string_view::npos; i = NextLabel(host, i)) {
    if (rules_->exception.contains(host.substr(i))) {
      size_t next = NextLabel(host, i);
      return next == std::string_view::npos ? host.substr(host.size())
                                            : host.substr(next);
    }
  }
  // Otherwise the longest matching rule; scanning from the longest suffix,
  // the first match is it.
  for (size_t i = 0; i != std::string_view::npos; i = NextLabel(host, i)) {
    std::string_view suffix = host.substr(i);
    if (rules_->normal.contains(suffix)) return suffix;
    size_t next = NextLabel(host, i);
    if (next != std::string_view::npos &&
        rules_->wildcard.contains(host.substr(next))) {
      return suffix;
    }
  }
  size_t last_dot = host.rfind('.');
  return last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
}

std::string_view PublicSuffixList::RegisteredDomain(
    std::string_view host) const {
  std::string_view suffix = PublicSuffix(host);
  if (suffix.size() >= host.size()) return {};
  // host = prefix + "." + suffix; take the prefix's last label.
  size_t end = host.size() - suffix.size() - 1;
  size_t start = host.rfind('.', end - 1);
  start = (start == std::string_view::npos || end == 0) ? 0 : start + 1;
  return host.substr(start);
}

std::string_view SiteOutcomeName(SiteOutcome o) {
  switch (o) {
    case SiteOutcome::kRegisteredDomain:
      return "registered_domain";
    case SiteOutcome::kIpAddress:
      return "ip_address";
    case SiteOutcome::kSuffixHost:
      return "suffix_host";
    case SiteOutcome::kNoUrl:
      return "no_url";
    case SiteOutcome::kMalformedUrl:
      return "malformed_url";
  }
  return "unknown";
}

SiteOutcome SiteOfUrl(const PublicSuffixList& psl, std::string_view url,
                      std::string* site) {
  site->clear();
  while (!url.empty() && IsAsciiSpace(url.front())) url.remove_prefix(1);
  while (!url.empty() && IsAsciiSpace(url.back())) url.remove_suffix(1);
  if (url.empty()) return SiteOutcome::kNoUrl;

  size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0 || !IsAlpha(url[0])) {
    return SiteOutcome::kMalformedUrl;
  }
  for (size_t i = 1; i < sep; ++i) {
    char c = url[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return SiteOutcome::kMalformedUrl;
    }
  }
  std::string_view authority = url.substr(sep + 3);
  size_t end = authority.find_first_of("/?#\\");
  if (end != std::string_view::npos) authority = authority.substr(0, end);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);

  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close < 3) {
      return SiteOutcome::kMalformedUrl;
    }
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return SiteOutcome::kMalformedUrl;
      port = rest.substr(1);
    }
    for (char c : host.substr(1, host.size() - 2)) {
      char l = Lower(c);
      if (!IsDigit(l) && !(l >= 'a' && l <= 'f') && l != ':' && l != '.') {
        return SiteOutcome::kMalformedUrl;
      }
    }
  } else {
    size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  for (char c : port) {
    if (!IsDigit(c)) return SiteOutcome::kMalformedUrl;
  }
  if (host.empty()) return SiteOutcome::kMalformedUrl;
  if (host.front() == '[') {
    site->reserve(host.size());
    for (char c : host) site->push_back(Lower(c));
    return SiteOutcome::kIpAddress;
  }
  if (host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return SiteOutcome::kMalformedUrl;

  std::string lower;
  lower.reserve(host.size());
  size_t label_len = 0;
  for (char c : host) {
    char l = Lower(c);
    if (l == '.') {
      if (label_len == 0) return SiteOutcome::kMalformedUrl;
      label_len = 0;
    } else {
      bool ok = (l >= 'a' && l <= 'z') || IsDigit(l) || l == '-' || l == '_' ||
                static_cast<unsigned char>(l) >= 0x80;
      if (!ok || ++label_len > 63) return SiteOutcome::kMalformedUrl;
    }
    lower.push_back(l);
  }
  if (label_len == 0) return SiteOutcome::kMalformedUrl;

  // A numeric last label is never a domain name: an IPv4 address (dotted
  // quad or a shorthand form that browsers accept); kept as written.
  size_t last_dot = lower.rfind('.');
  std::string_view last_label = std::string_view(lower).substr(
      last_dot == std::string::npos ? 0 : last_dot + 1);
  bool numeric = true;
  for (char c : last_label) numeric = numeric && IsDigit(c);
  if (numeric || IsDottedQuad(lower)) {
    *site = std::move(lower);
    return SiteOutcome::kIpAddress;
  }
  std::string_view registered = psl.RegisteredDomain(lower);
  if (registered.empty()) {
    *site = std::move(lower);
    return SiteOutcome::kSuffixHost;
  }
  site->assign(registered);
  return SiteOutcome::kRegisteredDomain;
}

}  // namespace winnow::boilerplate
