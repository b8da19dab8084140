// Simulated web sites (their page templates) and junk pages.
//
// A site's template lines recur across its pages, which is what site-level
// boilerplate detection looks for. Lines are tagged with a role character
// (see generator.h, GenTruth::line_roles) so tests can tell template lines
// from article lines.
#ifndef WINNOW_GEN_SITE_H_
#define WINNOW_GEN_SITE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/generator.h"
#include "gen/rng.h"

namespace winnow::gen {

struct Site {
  std::string name;     // "Darovo"
  std::string title;    // "Darovo NET"; the first header line
  std::string domain;   // "darovo.net"
  std::vector<std::string> menu_lines;  // e.g. {"News"} or a "Home | World" bar
  std::string nav_phrase;     // "Back to news »", repeated on one line
  std::string plea;           // subscription plea, identical on every page
  std::string cookie_notice;  // identical on every page that shows it
  int footer_style = 0;

  // Filled by AddSiteTemplates (GenOptions::site_templates) only.
  int dateline_style = 0;
  std::vector<std::string> share_lines;  // short: {"Share", "Tweet"}, ...
  std::string related_heading;           // "Read also"
  std::string disclaimer;                // may be empty
  std::string contact_line;              // may be empty
  std::vector<std::string> stock_sentences;  // content several articles share
  // Probability that a page of the site shows each template part.
  double p_header = 0, p_dateline = 0, p_nav = 0, p_share = 0, p_related = 0,
         p_plea = 0, p_disclaimer = 0, p_cookie = 0, p_footer = 0;

  // Appends the footer line, which varies per page (year, view counter).
  void AppendFooter(int year, uint64_t number, std::string* out) const;
  // Appends the dateline (a template line whose date, time and counters vary
  // per page). REQUIRES: AddSiteTemplates was called.
  void AppendDateline(Rng& rng, int year, int month, int day,
                      std::string* out) const;
};

// Builds site `index` of the corpus with seed `seed`. Pure function.
Site MakeSite(uint64_t seed, int index);

// Adds the richer page template of the site-templates mode (dateline, share
// and related lines, disclaimer, contact line, per-site display
// probabilities) and, if `stock` is true, three stock sentences. Uses its
// own random stream, so MakeSite's output is unchanged. Pure function.
void AddSiteTemplates(uint64_t seed, int index, bool stock, Site* site);

// Appends a junk page of `kind` for `site` to *text and one role character
// per line to *roles ('J' junk, 'T' site template, 'F' varying footer, '.'
// empty). REQUIRES: kind != kNone.
void AppendJunkPage(Rng& rng, JunkKind kind, const Site& site, int year,
                    std::string* text, std::string* roles);

// Appends `line` to *text (after a '\n' when *text is not empty) and `role`
// to *roles.
void AddLine(std::string_view line, char role, std::string* text,
             std::string* roles);

}  // namespace winnow::gen

#endif  // WINNOW_GEN_SITE_H_
