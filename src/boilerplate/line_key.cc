#include "boilerplate/line_key.h"

#include <xxhash.h>

namespace winnow::boilerplate {
namespace {

constexpr uint64_t kLineSeed = 0x6c696e655f6b6579ULL;  // "line_key"
constexpr uint64_t kSiteSeed = 0x736974655f6b6579ULL;  // "site_key"
constexpr uint64_t kTextSeed = 0x746578745f6b6579ULL;  // "text_key"

// Whole lowercase words that stand for a calendar position: English month
// and weekday names and their common abbreviations.
bool IsCalendarWord(std::string_view w) {
  if (w.size() < 3 || w.size() > 9) return false;
  switch (w[0]) {
    case 'j':
      return w == "jan" || w == "january" || w == "jun" || w == "june" ||
             w == "jul" || w == "july";
    case 'f':
      return w == "feb" || w == "february" || w == "fri" || w == "friday";
    case 'm':
      return w == "mar" || w == "march" || w == "may" || w == "mon" ||
             w == "monday";
    case 'a':
      return w == "apr" || w == "april" || w == "aug" || w == "august";
    case 's':
      return w == "sep" || w == "sept" || w == "september" || w == "sat" ||
             w == "saturday" || w == "sun" || w == "sunday";
    case 'o':
      return w == "oct" || w == "october";
    case 'n':
      return w == "nov" || w == "november";
    case 'd':
      return w == "dec" || w == "december";
    case 't':
      return w == "tue" || w == "tues" || w == "tuesday" || w == "thu" ||
             w == "thurs" || w == "thursday";
    case 'w':
      return w == "wed" || w == "wednesday";
    default:
      return false;
  }
}

// Length of a whitespace character at s[i] (see the header), or 0.
size_t SpaceLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
      c == '\n') {
    return 1;
  }
  if (c < 0xC2) return 0;
  auto at = [&](size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (c == 0xC2 && at(1) == 0xA0) return 2;                   // U+00A0
  if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;  // U+1680
  if (c == 0xE2 && at(1) == 0x80 &&
      (at(2) <= 0x8B || at(2) == 0xAF)) {  // U+2000-200B, U+202F
    return at(2) >= 0x80 ? 3 : 0;
  }
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;  // U+3000
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;  // U+FEFF
  return 0;
}

}  // namespace

// Byte classes for the normalizer's fast path.
enum : uint8_t { kOther = 0, kLetter, kDigit, kSpace, kHigh };

struct ByteTables {
  uint8_t cls[256];
  char lower[256];
  constexpr ByteTables() : cls(), lower() {
    for (int c = 0; c < 256; ++c) {
      cls[c] = c >= 0x80 ? kHigh : kOther;
      lower[c] = static_cast<char>(c);
    }
    for (int c = '0'; c <= '9'; ++c) cls[c] = kDigit;
    for (int c = 'a'; c <= 'z'; ++c) cls[c] = kLetter;
    for (int c = 'A'; c <= 'Z'; ++c) {
      cls[c] = kLetter;
      lower[c] = static_cast<char>(c - 'A' + 'a');
    }
    for (int c : {' ', '\t', '\r', '\f', '\v', '\n'}) cls[c] = kSpace;
  }
};
constexpr ByteTables kBytes;

void AppendNormalizedLine(std::string_view line, std::string* out) {
  const size_t base = out->size();
  // Normalization never makes a line longer: write in place, trim at the
  // end.
  out->resize(base + line.size());
  char* const buf = out->data();
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  const size_t size = line.size();
  size_t n = base;  // write position
  bool pending_space = false;
  // The ASCII word being written: its start in buf (npos when none) and
  // whether it may be a calendar word (not glued to non-ASCII letters).
  size_t word_start = std::string::npos;
  bool word_ok = false;
  auto end_word = [&]() {
    // Calendar words have 3 to 9 letters.
    if (word_start != std::string::npos && word_ok &&
        n - word_start - 3 <= 6 &&
        IsCalendarWord(std::string_view(buf + word_start, n - word_start))) {
      n = word_start;
      buf[n++] = '#';
    }
    word_start = std::string::npos;
  };
  size_t i = 0;
  while (i < size) {
    unsigned char c = s[i];
    uint8_t cls = kBytes.cls[c];
    if (cls == kSpace) {
      end_word();
      pending_space = n > base;
      ++i;
      continue;
    }
    if (cls == kHigh) {
      size_t sp = SpaceLength(line, i);
      if (sp > 0) {
        end_word();
        pending_space = n > base;
        i += sp;
        continue;
      }
    }
    if (pending_space) {
      buf[n++] = ' ';
      pending_space = false;
    }
    switch (cls) {
      case kLetter:
        if (word_start == std::string::npos) {
          word_start = n;
          word_ok = true;
        }
        do {
          buf[n++] = kBytes.lower[c];
          ++i;
        } while (i < size && kBytes.cls[c = s[i]] == kLetter);
        break;
      case kDigit:
        end_word();
        buf[n++] = '0';
        // One number: digit runs joined by single '.' or ',' ("1,234",
        // "12.03.2021", "0.25").
        while (i < size) {
          if (kBytes.cls[s[i]] == kDigit) {
            ++i;
          } else if ((s[i] == '.' || s[i] == ',') && i + 1 < size &&
                     kBytes.cls[s[i + 1]] == kDigit) {
            i += 2;
          } else {
            break;
          }
        }
        break;
      case kHigh:
        if (word_start == std::string::npos) word_start = n;
        word_ok = false;
        buf[n++] = static_cast<char>(c);
        ++i;
        break;
      default:
        end_word();
        buf[n++] = static_cast<char>(c);
        ++i;
        break;
    }
  }
  end_word();
  out->resize(n);
}

std::string NormalizeLine(std::string_view line) {
  std::string out;
  AppendNormalizedLine(line, &out);
  return out;
}

bool IsShortNormalizedLine(std::string_view normalized, uint32_t max_words,
                           uint32_t max_bytes) {
  if (normalized.size() > max_bytes) return false;
  uint32_t words = 1;
  for (char c : normalized) words += c == ' ';
  return words <= max_words;
}

uint64_t LineKey(std::string_view normalized, uint32_t short_line_max_words,
                 uint32_t short_line_max_bytes) {
  uint64_t h =
      XXH3_64bits_withSeed(normalized.data(), normalized.size(), kLineSeed);
  if (IsShortNormalizedLine(normalized, short_line_max_words,
                            short_line_max_bytes)) {
    h |= 1;
    return h == 1 ? 3 : h;
  }
  h &= ~uint64_t{1};
  return h == 0 ? 2 : h;
}

uint64_t SiteKey(std::string_view site) {
  return XXH3_64bits_withSeed(site.data(), site.size(), kSiteSeed);
}

}  // namespace winnow::boilerplate

namespace winnow::boilerplate {

uint64_t TextKey(std::string_view text) {
  return XXH3_64bits_withSeed(text.data(), text.size(), kTextSeed);
}

}  // namespace winnow::boilerplate
