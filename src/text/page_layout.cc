#include "text/page_layout.h"

#include <utf8proc.h>

#include "core/ascii.h"
#include "core/utf8.h"
#include "text/line_writer.h"

namespace winnow::text {
namespace {

struct LineSpan {
  size_t begin;
  size_t end;
};

bool IsBlankLine(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

// The first `limit` non-empty lines of `text`.
void FirstLines(std::string_view text, size_t limit, std::vector<LineSpan>* lines) {
  lines->clear();
  size_t start = 0;
  while (start <= text.size() && lines->size() < limit) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    if (!IsBlankLine(text.substr(start, nl - start))) lines->push_back({start, nl});
    if (nl == text.size()) break;
    start = nl + 1;
  }
}

// The last non-empty line, or false if there is none.
bool LastLine(std::string_view text, LineSpan* span) {
  size_t end = text.size();
  while (true) {
    size_t nl = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
    size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    if (!IsBlankLine(text.substr(begin, end - begin))) {
      *span = {begin, end};
      return true;
    }
    if (nl == std::string_view::npos) return false;
    end = nl;
  }
}

std::string_view Slice(std::string_view text, LineSpan s) {
  return text.substr(s.begin, s.end - s.begin);
}

}  // namespace

void HeadlineKey(std::string_view line, std::string* key) {
  key->clear();
  bool pending_space = false;
  size_t i = 0;
  while (i < line.size()) {
    unsigned char b = static_cast<unsigned char>(line[i]);
    bool word_char;
    if (b < 0x80) {
      word_char = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                  (b >= '0' && b <= '9');
      if (word_char) {
        if (pending_space && !key->empty()) key->push_back(' ');
        pending_space = false;
        key->push_back(AsciiToLower(static_cast<char>(b)));
      } else {
        pending_space = true;
      }
      ++i;
      continue;
    }
    size_t len;
    char32_t cp = DecodeUtf8(line, i, &len);
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    word_char = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
    if (word_char) {
      if (pending_space && !key->empty()) key->push_back(' ');
      pending_space = false;
      AppendUtf8(static_cast<char32_t>(
                     utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))),
                 key);
    } else {
      pending_space = true;
    }
    i += len;
  }
}

int FindEchoedHeadline(std::string_view text, const HeadlineEchoOptions& options) {
  if (options.headline_search_lines <= 0) return -1;
  LineSpan last;
  if (!LastLine(text, &last)) return -1;
  const size_t max_chars = static_cast<size_t>(options.max_headline_chars);
  if (last.end - last.begin > max_chars) return -1;
  std::vector<LineSpan> first;
  FirstLines(text, static_cast<size_t>(options.headline_search_lines) + 1, &first);
  std::string last_key, key;
  HeadlineKey(Slice(text, last), &last_key);
  if (last_key.empty()) return -1;
  for (size_t k = 0; k < first.size(); ++k) {
    // At least one line must lie between the headline and its echo.
    if (first[k].begin >= last.begin) break;
    if (k + 1 >= first.size() || first[k + 1].begin >= last.begin) break;
    if (static_cast<int>(k) >= options.headline_search_lines) break;
    if (first[k].end - first[k].begin > max_chars) continue;
    HeadlineKey(Slice(text, first[k]), &key);
    if (key == last_key) return static_cast<int>(k);
  }
  return -1;
}

bool DropHeadlineEcho(std::string_view text, const HeadlineEchoOptions& options,
                      std::string* out) {
  if (FindEchoedHeadline(text, options) < 0) return false;
  LineSpan last;
  LastLine(text, &last);
  size_t end = last.begin;
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ' ||
                     text[end - 1] == '\t' || text[end - 1] == '\r'))
    --end;
  out->assign(text.substr(0, end));
  return true;
}

std::vector<std::string> DefaultMenuItems() {
  return {"home",          "news",          "latest news",  "menu",
          "main menu",     "sport",         "sports",       "weather",
          "search",        "login",         "log in",       "sign in",
          "sign up",       "register",      "subscribe",    "skip to content",
          "skip to main content",           "navigation",   "toggle navigation",
          "close",         "share",         "back",         "top",
          "latest",        "world",         "business",     "politics",
          "opinion",       "video",         "videos",       "photos",
          "contact",       "contacts",      "about",        "about us",
          "more",          "all news",      "tech",         "technology",
          "culture",       "economy",       "society",      "entertainment",
          "lifestyle",     "health",        "science"};
}

SiteChromeDropper::SiteChromeDropper(SiteChromeOptions options)
    : options_(std::move(options)) {
  for (const std::string& item : options_.menu_items) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : item) {
      if (c == ' ' || c == '\t') {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(AsciiToLower(c));
      }
    }
    if (!cur.empty()) words.push_back(cur);
    if (!words.empty()) menu_.push_back(std::move(words));
  }
}

namespace {

bool IsSeparatorWord(std::string_view w) {
  return w == "|" || w == "/" || w == "-" || w == "\xE2\x80\xA2" ||  // •
         w == "\xC2\xB7" || w == "\xC2\xBB" || w == "\xE2\x80\xBA";  // · » ›
}

bool HasSentencePunctuation(std::string_view line) {
  for (size_t k = 0; k < line.size(); ++k) {
    char c = line[k];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?') {
      if (k + 1 == line.size() || line[k + 1] == ' ' || line[k + 1] == '\t')
        return true;
    }
  }
  return false;
}

size_t CountWords(std::string_view line) {
  size_t words = 0;
  bool in_word = false;
  for (char c : line) {
    bool blank = c == ' ' || c == '\t';
    if (!blank && !in_word) ++words;
    in_word = !blank;
  }
  return words;
}

bool HasDigit(std::string_view line) {
  for (char c : line)
    if (c >= '0' && c <= '9') return true;
  return false;
}

bool StartsWithBy(std::string_view line) {
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return line.size() > 3 && (line[0] == 'B' || line[0] == 'b') &&
         line[1] == 'y' && line[2] == ' ';
}

}  // namespace

bool SiteChromeDropper::IsMenuLine(std::string_view line) const {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    std::string_view w = line.substr(start, i - start);
    if (!IsSeparatorWord(w)) words.push_back(w);
  }
  if (words.empty() || words.size() > 12) return false;
  size_t k = 0;
  while (k < words.size()) {
    size_t best = 0;
    for (const auto& item : menu_) {
      if (item.size() <= best || k + item.size() > words.size()) continue;
      bool match = true;
      for (size_t m = 0; m < item.size() && match; ++m)
        match = EqualsIgnoreAsciiCase(words[k + m], item[m]);
      if (match) best = item.size();
    }
    if (best == 0) return false;
    k += best;
  }
  return true;
}

bool SiteChromeDropper::Drop(std::string_view text, std::string* out,
                             SiteChromeStats* stats) {
  if (options_.max_chrome_lines <= 0) return false;
  const size_t max_lines = static_cast<size_t>(options_.max_chrome_lines);
  std::vector<LineSpan> first;
  FirstLines(text, max_lines + 2, &first);
  if (first.size() < 2) return false;
  std::vector<bool> drop(first.size(), false);
  size_t dropped = 0;

  HeadlineEchoOptions echo;
  echo.headline_search_lines = options_.max_chrome_lines + 1;
  int h = FindEchoedHeadline(text, echo);
  if (h >= 1 && static_cast<size_t>(h) <= max_lines) {
    for (int k = 0; k < h; ++k) {
      std::string_view line = Slice(text, first[static_cast<size_t>(k)]);
      if (CountWords(line) > static_cast<size_t>(options_.max_chrome_words) ||
          line.size() > static_cast<size_t>(options_.max_chrome_chars) ||
          HasSentencePunctuation(line))
        return false;
    }
    for (int k = 0; k < h; ++k) {
      std::string_view line = Slice(text, first[static_cast<size_t>(k)]);
      if (HasDigit(line) || StartsWithBy(line)) continue;
      drop[static_cast<size_t>(k)] = true;
      ++dropped;
    }
  } else {
    for (size_t k = 0; k + 1 < first.size() && k < max_lines; ++k) {
      if (!IsMenuLine(Slice(text, first[k]))) break;
      drop[k] = true;
      ++dropped;
    }
  }
  if (dropped == 0) return false;

  LineWriter writer(out);
  size_t next = 0;  // index into `first`
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    bool skip = false;
    if (next < first.size() && first[next].begin == start) {
      skip = drop[next];
      ++next;
    }
    if (!skip) writer.Append(text.substr(start, nl - start));
    if (nl == text.size()) break;
    start = nl + 1;
  }
  stats->lines_dropped += static_cast<int64_t>(dropped);
  return true;
}

}  // namespace winnow::text
