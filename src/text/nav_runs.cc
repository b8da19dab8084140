#include "text/nav_runs.h"

#include <cstring>

#include "core/swar.h"
#include "text/line_writer.h"

namespace winnow::text {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Length of the navigation marker character at w[i], or 0.
size_t MarkerCharLen(std::string_view w, size_t i) {
  unsigned char b = static_cast<unsigned char>(w[i]);
  if (b == '>' || b == '<' || b == '|') return 1;
  if (b == 0xC2 && i + 1 < w.size()) {
    unsigned char c = static_cast<unsigned char>(w[i + 1]);
    return (c == 0xBB || c == 0xAB || c == 0xB7) ? 2 : 0;  // » « ·
  }
  if (b == 0xE2 && i + 2 < w.size()) {
    unsigned char c = static_cast<unsigned char>(w[i + 1]);
    unsigned char d = static_cast<unsigned char>(w[i + 2]);
    if (c == 0x80 && (d == 0xBA || d == 0xB9 || d == 0xA2)) return 3;  // › ‹ •
    if (c == 0x86 && (d == 0x92 || d == 0x90)) return 3;               // → ←
  }
  return 0;
}

// A word made only of marker characters, or ending in » › →.
bool IsMarkerWord(std::string_view w) {
  size_t i = 0;
  while (i < w.size()) {
    size_t len = MarkerCharLen(w, i);
    if (len == 0) break;
    i += len;
  }
  if (i == w.size()) return true;
  auto ends_with = [&](std::string_view suffix) {
    return w.size() > suffix.size() &&
           w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("\xC2\xBB") || ends_with("\xE2\x80\xBA") ||
         ends_with("\xE2\x86\x92");
}

bool HasMarkerChar(std::string_view line) {
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = line.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + 8 <= n) {
      uint64_t w = swar::Load(p + i);
      uint64_t m = swar::NonAscii(w) | swar::Equal(w, '>') | swar::Equal(w, '<') |
                   swar::Equal(w, '|');
      if (m == 0) {
        i += 7;
        continue;
      }
      i += static_cast<size_t>(swar::FirstMatch(m));
    }
    unsigned char b = p[i];
    if ((b == '>' || b == '<' || b == '|' || b == 0xC2 || b == 0xE2) &&
        MarkerCharLen(line, i) > 0)
      return true;
  }
  return false;
}

// Whether the first word of `line` occurs again, as a whole word, within the
// next `max_words` words: a line without that cannot be a repeated phrase.
bool FirstWordRecurs(std::string_view line, size_t max_words) {
  size_t e = 0;
  while (e < line.size() && line[e] != ' ' && line[e] != '\t') ++e;
  std::string_view first = line.substr(0, e);
  if (first.empty()) return false;
  size_t words = 0;
  size_t i = e;
  while (i < line.size() && words < max_words) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i == start) break;
    ++words;
    if (line.substr(start, i - start) == first) return true;
  }
  return false;
}

}  // namespace

bool NavRunRemover::SameWords(std::string_view line, size_t a, size_t b,
                              size_t count) const {
  for (size_t k = 0; k < count; ++k) {
    const Word& x = words_[a + k];
    const Word& y = words_[b + k];
    size_t len = x.end - x.begin;
    if (len != y.end - y.begin) return false;
    if (std::memcmp(line.data() + x.begin, line.data() + y.begin, len) != 0)
      return false;
  }
  return true;
}

bool NavRunRemover::HasMarker(std::string_view line, size_t from,
                              size_t count) const {
  for (size_t k = from; k < from + count; ++k) {
    if (IsMarkerWord(line.substr(words_[k].begin, words_[k].end - words_[k].begin)))
      return true;
  }
  return false;
}

bool NavRunRemover::IsPlainPhrase(std::string_view line, size_t from,
                                  size_t count) const {
  for (size_t k = from; k < from + count; ++k) {
    for (uint32_t i = words_[k].begin; i < words_[k].end; ++i) {
      char c = line[i];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?')
        return false;
    }
  }
  return true;
}

bool NavRunRemover::CleanLine(std::string_view line, std::string* line_out,
                              NavRunStats* stats) {
  const size_t min_repeats =
      options_.min_repeats < 2 ? 2 : static_cast<size_t>(options_.min_repeats);
  const size_t max_phrase =
      options_.max_phrase_words < 1 ? 1
                                    : static_cast<size_t>(options_.max_phrase_words);
  const bool marker = HasMarkerChar(line);
  if (!marker && !(options_.whole_line_runs && FirstWordRecurs(line, max_phrase)))
    return false;
  words_.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && IsBlank(line[i])) ++i;
    if (i >= n) break;
    size_t start = i;
    while (i < n && !IsBlank(line[i])) ++i;
    words_.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(i)});
  }
  const size_t t = words_.size();
  if (t < min_repeats) return false;

  removed_.assign(t, false);
  bool any = false;
  if (marker) {
    size_t j = 0;
    while (j < t) {
      bool hit = false;
      for (size_t p = 1; p <= max_phrase && j + p * min_repeats <= t; ++p) {
        if (!SameWords(line, j, j + p, 1)) continue;
        size_t r = 1;
        while (j + (r + 1) * p <= t && SameWords(line, j, j + r * p, p)) ++r;
        if (r < min_repeats || !HasMarker(line, j, p)) continue;
        size_t end = j + r * p;
        size_t q = 0;
        while (end + q < t && q < p && SameWords(line, j + q, end + q, 1)) ++q;
        if (end + q == t) end = t;
        for (size_t k = j; k < end; ++k) removed_[k] = true;
        ++stats->runs_removed;
        any = true;
        hit = true;
        j = end;
        break;
      }
      if (!hit) ++j;
    }
  }
  if (!any && options_.whole_line_runs && t >= 2 * min_repeats) {
    auto periodic = [&](size_t p) {
      for (size_t k = p; k < t; ++k)
        if (!SameWords(line, k, k - p, 1)) return false;
      return true;
    };
    if (!periodic(1)) {
      for (size_t p = 2; p <= max_phrase && p * min_repeats <= t; ++p) {
        if (!periodic(p)) continue;
        if (IsPlainPhrase(line, 0, p)) {
          removed_.assign(t, true);
          ++stats->runs_removed;
          any = true;
        }
        break;
      }
    }
  }
  if (!any) return false;

  line_out->clear();
  size_t k = 0;
  while (k < t) {
    if (removed_[k]) {
      ++k;
      continue;
    }
    size_t a = k;
    while (k < t && !removed_[k]) ++k;
    if (!line_out->empty()) line_out->push_back(' ');
    line_out->append(line.substr(words_[a].begin, words_[k - 1].end - words_[a].begin));
  }
  return true;
}

bool NavRunRemover::Remove(std::string_view in, std::string* out,
                           NavRunStats* stats) {
  bool changed = false;
  LineWriter writer(out);
  size_t start = 0;
  const size_t n = in.size();
  while (start <= n) {
    size_t nl = in.find('\n', start);
    if (nl == std::string_view::npos) nl = n;
    std::string_view line = in.substr(start, nl - start);
    if (CleanLine(line, &line_scratch_, stats)) {
      if (!changed) {
        changed = true;
        if (start > 0) {
          ForEachLine(in.substr(0, start - 1),
                      [&](std::string_view l) { writer.Append(l); });
        }
      }
      if (line_scratch_.empty()) {
        ++stats->lines_removed;
      } else {
        writer.Append(line_scratch_);
      }
    } else if (changed) {
      writer.Append(line);
    }
    if (nl == n) break;
    start = nl + 1;
  }
  return changed;
}

}  // namespace winnow::text
