// Page-level debris around the article: the headline echoed as the last
// line, and the site's name and menu above the headline.
//
// Lines are '\n'-separated; empty lines are ignored when counting. Both
// functions are pure and thread-safe.
#ifndef WINNOW_TEXT_PAGE_LAYOUT_H_
#define WINNOW_TEXT_PAGE_LAYOUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::text {

// Comparison key of a line: letters and digits lowercased (utf8proc for
// non-ASCII), every run of other characters turned into one space, trimmed.
// "A very successful mission. CSTO troops go home!" and
// "a very successful mission — csto troops go home" have the same key.
void HeadlineKey(std::string_view line, std::string* key);

struct HeadlineEchoOptions {
  // How many of the first non-empty lines may be the headline that the last
  // line repeats. Default 6: the headline itself, and up to 5 lines of site
  // chrome above it when drop_site_chrome did not run.
  int headline_search_lines = 6;
  // A headline longer than this (bytes) is a paragraph, not a headline; its
  // repetition is left alone. Default 300.
  int max_headline_chars = 300;
};

// Index (among non-empty lines) of the early line that the last non-empty
// line repeats (same HeadlineKey, non-empty key), or -1. The match must
// leave at least one non-empty line between the two.
int FindEchoedHeadline(std::string_view text, const HeadlineEchoOptions& options);

// Writes the text without its last non-empty line to *out and returns true
// when that line echoes the headline; else returns false.
bool DropHeadlineEcho(std::string_view text, const HeadlineEchoOptions& options,
                      std::string* out);

struct SiteChromeOptions {
  // Only lines among the first this many non-empty lines can be chrome.
  // Default 5.
  int max_chrome_lines = 5;
  // A chrome line has at most this many words. Default 6.
  int max_chrome_words = 6;
  // ... and at most this many bytes. Default 60.
  int max_chrome_chars = 60;
  // Menu items recognised without headline evidence, case-insensitive,
  // possibly several words each. Default: DefaultMenuItems().
  std::vector<std::string> menu_items;
};

// The built-in menu vocabulary (home, news, menu, sport, ...).
std::vector<std::string> DefaultMenuItems();

struct SiteChromeStats {
  int64_t lines_dropped = 0;
};

// Drops site chrome above the headline, conservatively:
//  * When the last line echoes line h (FindEchoedHeadline) with
//    1 <= h <= max_chrome_lines, the lines above h are the page header. If
//    every one of them is short (max_chrome_words, max_chrome_chars) and has
//    no sentence punctuation (one of . , ; : ! ? followed by a space or the
//    end of the line), those without digits and not starting with "By " are
//    dropped (a dateline or byline stays). If any is sentence-like, nothing
//    is dropped: the guess of the headline is not trusted.
//  * Otherwise, leading lines made only of menu items (separated by spaces
//    or | • · / » ›) are dropped, stopping at the first other line, and
//    only if some non-empty line remains. A brand name alone is not
//    recognisable without the echo and stays.
// Thread-safe when each thread uses its own SiteChromeDropper.
class SiteChromeDropper {
 public:
  explicit SiteChromeDropper(SiteChromeOptions options);

  // Writes the text without chrome lines to *out and returns true, or
  // returns false when nothing is dropped. `text` must not alias `*out`.
  bool Drop(std::string_view text, std::string* out, SiteChromeStats* stats);

 private:
  bool IsMenuLine(std::string_view line) const;

  SiteChromeOptions options_;
  std::vector<std::vector<std::string>> menu_;  // items split into words
};

}  // namespace winnow::text

#endif  // WINNOW_TEXT_PAGE_LAYOUT_H_
