#include "gen/site.h"

#include <array>

#include "gen/lexicon.h"
#include "gen/prose.h"

namespace winnow::gen {
namespace {

constexpr std::array<const char*, 12> kTitleSuffixes = {
    "NET",   "News",     "Daily",   "Times",   "Post", "Herald",
    "Online", "Today",   "Observer", "Gazette", "Express", "24"};
constexpr std::array<const char*, 5> kDomainEndings = {".net", ".com", ".org",
                                                       ".info", ".news"};
constexpr std::array<const char*, 10> kMenuItems = {
    "Home",    "World",   "Politics", "Business", "Sport",
    "Culture", "Science", "Opinion",  "Video",    "Contacts"};
constexpr std::array<const char*, 4> kMenuSeparators = {" | ", " · ", " / ",
                                                        "   "};
constexpr std::array<const char*, 7> kNavPhrases = {
    "Back to news »",   "Read more »",        "All stories ›",
    "Next article →",   "To the top ↑",       "Back to the homepage »",
    "More from this section »"};

std::string LowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

void AppendNumber(uint64_t n, std::string* out) { out->append(std::to_string(n)); }

}  // namespace

void AddLine(std::string_view line, char role, std::string* text,
             std::string* roles) {
  if (!roles->empty()) text->push_back('\n');
  text->append(line);
  roles->push_back(role);
}

Site MakeSite(uint64_t seed, int index) {
  Rng rng(DeriveSeed(seed, 0x517e0000ULL + static_cast<uint64_t>(index)));
  Site s;
  s.name = MakeName(rng, rng.Range(2, 3));
  s.title = s.name + " " + kTitleSuffixes[rng.Below(kTitleSuffixes.size())];
  s.domain = LowerAscii(s.name) + kDomainEndings[rng.Below(kDomainEndings.size())];
  if (rng.Chance(0.5)) {
    s.menu_lines.push_back(rng.Chance(0.6) ? "News" : "Latest");
  }
  if (s.menu_lines.empty() || rng.Chance(0.5)) {
    std::string bar;
    const char* sep = kMenuSeparators[rng.Below(kMenuSeparators.size())];
    int items = rng.Range(4, 8);
    uint32_t first = rng.Below(3);
    for (int i = 0; i < items; ++i) {
      if (i > 0) bar += sep;
      bar += kMenuItems[(first + static_cast<uint32_t>(i)) % kMenuItems.size()];
    }
    s.menu_lines.push_back(std::move(bar));
  }
  s.nav_phrase = kNavPhrases[rng.Below(kNavPhrases.size())];
  switch (rng.Below(4)) {
    case 0:
      s.plea = "Subscribe to " + s.title +
               " and get the most important news every morning.";
      break;
    case 1:
      s.plea = "Support independent journalism: subscribe to " + s.title +
               " today!";
      break;
    case 2:
      s.plea = "Follow " + s.title + " on social networks to stay up to date.";
      break;
    default:
      s.plea = "Did you like this story? Subscribe to the " + s.title +
               " newsletter.";
      break;
  }
  s.cookie_notice = rng.Chance(0.5)
                        ? "This site uses cookies to improve your experience. "
                          "By continuing to browse, you accept our cookie policy."
                        : "We use cookies for analytics and advertising. "
                          "Accept all cookies or manage your settings.";
  s.footer_style = static_cast<int>(rng.Below(4));
  return s;
}

void Site::AppendFooter(int year, uint64_t number, std::string* out) const {
  switch (footer_style) {
    case 0:
      out->append("© ");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(" ").append(title).append(". All rights reserved.");
      break;
    case 1:
      out->append("Copyright © 2009–");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(" ").append(domain).append(
          ". Reprinting is allowed only with a link to the source.");
      break;
    case 2:
      out->append(title).append(" | Views: ");
      AppendNumber(number % 100000, out);
      break;
    default:
      out->append("© ").append(title).append(", ");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(". Page generated in 0.");
      AppendNumber(100 + number % 900, out);
      out->append(" seconds.");
      break;
  }
}

void AddSiteTemplates(uint64_t seed, int index, bool stock, Site* s) {
  Rng rng(DeriveSeed(seed, 0x7e3a1a7e0000ULL + static_cast<uint64_t>(index)));
  s->dateline_style = static_cast<int>(rng.Below(4));
  static constexpr const char* kShare[4][3] = {{"Share", nullptr, nullptr},
                                               {"Share", "Tweet", "Email"},
                                               {"Share this article", nullptr, nullptr},
                                               {"Print", "Share", nullptr}};
  uint32_t share = rng.Below(4);
  s->share_lines.clear();
  for (const char* l : kShare[share])
    if (l != nullptr) s->share_lines.push_back(l);
  static constexpr const char* kRelated[4] = {"Read also", "Related articles",
                                              "More news", "You may also like"};
  s->related_heading = kRelated[rng.Below(4)];
  s->disclaimer.clear();
  if (rng.Chance(0.5)) {
    s->disclaimer = "The views expressed in this article are the author's own "
                    "and do not necessarily reflect those of " + s->title + ".";
  }
  s->contact_line.clear();
  if (rng.Chance(0.5)) {
    s->contact_line = "Contacts: editor@" + s->domain +
                      " · Advertising · Privacy policy";
  }
  auto between = [&](double lo, double hi) { return lo + (hi - lo) * rng.Uniform(); };
  // A template is on every page; these are the shares of pages on which the
  // extraction kept each part.
  s->p_header = between(0.85, 1.0);
  s->p_dateline = rng.Chance(0.2) ? 0.0 : between(0.7, 1.0);
  s->p_nav = between(0.5, 1.0);
  s->p_share = between(0.5, 1.0);
  s->p_related = between(0.4, 1.0);
  s->p_plea = between(0.5, 1.0);
  s->p_disclaimer = between(0.6, 1.0);
  s->p_cookie = between(0.3, 0.7);
  s->p_footer = between(0.7, 1.0);
  s->stock_sentences.clear();
  if (stock) {
    for (int i = 0; i < 3; ++i) {
      std::string sentence;
      AppendSentence(rng, &sentence);
      s->stock_sentences.push_back(std::move(sentence));
    }
  }
}

void Site::AppendDateline(Rng& rng, int year, int month, int day,
                          std::string* out) const {
  auto two = [&](int v) {
    if (v < 10) out->push_back('0');
    AppendNumber(static_cast<uint64_t>(v), out);
  };
  const int hour = static_cast<int>(rng.Below(24));
  const int minute = static_cast<int>(rng.Below(60));
  switch (dateline_style) {
    case 0:
      out->append("Published: ");
      two(day);
      out->push_back('.');
      two(month);
      out->push_back('.');
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(", ");
      two(hour);
      out->push_back(':');
      two(minute);
      break;
    case 1:
      out->append("Posted on ").append(kWeekdays[rng.Below(7)]).append(", ");
      AppendNumber(static_cast<uint64_t>(day), out);
      out->append(" ").append(kMonths[month - 1]).append(" ");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(" at ");
      AppendNumber(static_cast<uint64_t>(hour), out);
      out->push_back(':');
      two(minute);
      break;
    case 2: {
      AppendNumber(static_cast<uint64_t>(day), out);
      out->append(" ").append(kMonths[month - 1]).append(" ");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->append(" | ");
      // Views from 1 to about 2 million, with thousands separators.
      int64_t views = static_cast<int64_t>(rng.Next() >> (43 + rng.Below(20)));
      AppendThousands(views + 1, out);
      out->append(" views | ");
      AppendNumber(rng.Below(300), out);
      out->append(" comments");
      break;
    }
    default:
      out->append("Updated: ");
      AppendNumber(static_cast<uint64_t>(year), out);
      out->push_back('-');
      two(month);
      out->push_back('-');
      two(day);
      out->append(" · Reading time: ");
      AppendNumber(2 + rng.Below(14), out);
      out->append(" min");
      break;
  }
}

void AppendJunkPage(Rng& rng, JunkKind kind, const Site& site, int year,
                    std::string* text, std::string* roles) {
  std::string line;
  switch (kind) {
    case JunkKind::kShort: {
      static constexpr const char* kShort[6] = {
          "Page not found", "Error 404. The page you requested does not exist.",
          "Loading", "Please enable JavaScript to view this page.",
          "Coming soon", "Access denied"};
      AddLine(kShort[rng.Below(6)], 'J', text, roles);
      if (rng.Chance(0.5)) AddLine(site.title, 'T', text, roles);
      break;
    }
    case JunkKind::kKeywordList: {
      int lines = rng.Range(1, 4);
      for (int l = 0; l < lines; ++l) {
        line.clear();
        if (l == 0 && rng.Chance(0.5)) line = "Tags: ";
        int n = rng.Range(8, 25);
        for (int i = 0; i < n; ++i) {
          if (i > 0) line += ", ";
          line += KeywordPhrase(rng);
          if (rng.Chance(0.2)) {
            line += ' ';
            line += std::to_string(year - static_cast<int>(rng.Below(3)));
          }
        }
        AddLine(line, 'J', text, roles);
      }
      break;
    }
    case JunkKind::kLinkList: {
      int n = rng.Range(6, 20);
      for (int i = 0; i < n; ++i) {
        line.clear();
        if (rng.Chance(0.5)) {
          line = "https://" + site.domain + "/" + KeywordPhrase(rng) + "/";
          for (char& c : line)
            if (c == ' ') c = '-';
          line += std::to_string(rng.Below(90000) + 1000);
        } else {
          line = "» " + KeywordPhrase(rng);
          line[3] = static_cast<char>(line[3] >= 'a' && line[3] <= 'z'
                                          ? line[3] - 'a' + 'A'
                                          : line[3]);
        }
        AddLine(line, 'J', text, roles);
      }
      break;
    }
    case JunkKind::kRepeatedLines: {
      line.clear();
      if (rng.Chance(0.5)) {
        AppendSentence(rng, &line);
      } else {
        line = "Click here to " + KeywordPhrase(rng);
      }
      int n = rng.Range(8, 40);
      for (int i = 0; i < n; ++i) AddLine(line, 'J', text, roles);
      break;
    }
    case JunkKind::kBoilerplateOnly: {
      AddLine(site.title, 'T', text, roles);
      for (const std::string& m : site.menu_lines) AddLine(m, 'T', text, roles);
      AddLine(site.cookie_notice, 'T', text, roles);
      AddLine(site.plea, 'T', text, roles);
      line.clear();
      site.AppendFooter(year, rng.Next(), &line);
      AddLine(line, 'F', text, roles);
      break;
    }
    case JunkKind::kBullets: {
      static constexpr const char* kBullets[4] = {"• ", "- ", "* ", "– "};
      const char* bullet = kBullets[rng.Below(4)];
      int n = rng.Range(6, 25);
      for (int i = 0; i < n; ++i) {
        line = bullet;
        line += KeywordPhrase(rng);
        AddLine(line, 'J', text, roles);
      }
      break;
    }
    case JunkKind::kEllipses: {
      int n = rng.Range(5, 15);
      for (int i = 0; i < n; ++i) {
        line.clear();
        AppendSentence(rng, &line);
        size_t cut = line.find(' ', line.size() / 2);
        if (cut != std::string::npos) line.resize(cut);
        line += rng.Chance(0.7) ? "..." : "…";
        AddLine(line, 'J', text, roles);
      }
      break;
    }
    case JunkKind::kSymbolSoup: {
      static constexpr char kSymbols[] = "#$%&*@!~^=+<>{}[]|/\\:;_-0123456789";
      int n = rng.Range(3, 15);
      for (int i = 0; i < n; ++i) {
        line.clear();
        int len = rng.Range(10, 70);
        for (int j = 0; j < len; ++j) {
          line.push_back(rng.Chance(0.12)
                             ? ' '
                             : kSymbols[rng.Below(sizeof(kSymbols) - 1)]);
        }
        AddLine(line, 'J', text, roles);
      }
      break;
    }
    case JunkKind::kNone:
      break;
  }
}

}  // namespace winnow::gen
