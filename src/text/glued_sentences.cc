#include "text/glued_sentences.h"

#include <utf8proc.h>

#include <array>

#include "core/swar.h"
#include "core/utf8.h"

namespace winnow::text {
namespace {

enum LetterCase { kNotLetter, kLower, kUpper, kOtherLetter };

LetterCase CaseOf(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'a' && cp <= 'z') return kLower;
    if (cp >= 'A' && cp <= 'Z') return kUpper;
    return kNotLetter;
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LL:
      return kLower;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      return kUpper;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return kOtherLetter;
    default:
      return kNotLetter;
  }
}

bool IsSpace(char32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n'; }

bool IsClosingMark(char32_t cp) {
  return cp == ')' || cp == ']' || cp == '"' || cp == 0x2019 || cp == 0x201D;
}

bool IsOpeningMark(char32_t cp) {
  return cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0x2018 ||
         cp == 0x201C || cp == 0xAB;
}

// Checks the word that ends at `end` (exclusive; the terminator's position).
// Sets *capitalized when the word's first letter is uppercase.
bool WordBeforeQualifies(std::string_view s, size_t end, bool* capitalized) {
  size_t pos = end;
  // Closing marks right before the terminator.
  size_t len;
  while (pos > 0) {
    char32_t cp = DecodeUtf8Before(s, pos, &len);
    if (!IsClosingMark(cp)) break;
    pos -= len;
  }
  if (pos == 0) return false;
  char32_t last = DecodeUtf8Before(s, pos, &len);
  if (CaseOf(last) != kLower) return false;
  int letters = 0;
  *capitalized = false;
  while (pos > 0) {
    char32_t cp = DecodeUtf8Before(s, pos, &len);
    if (IsSpace(cp)) break;
    LetterCase c = CaseOf(cp);
    if (c != kNotLetter) {
      ++letters;
      *capitalized = c == kUpper;
    } else if (cp == '-' || cp == '\'' || cp == 0x2019 || IsOpeningMark(cp) ||
               IsClosingMark(cp)) {
      // allowed inside a word
    } else {
      return false;
    }
    pos -= len;
  }
  return letters >= 2;
}

// Checks the word that starts at `start` (the uppercase letter). Sets *camel
// when an ASCII uppercase letter follows a lowercase one inside the word.
bool WordAfterQualifies(std::string_view s, size_t start, bool* camel) {
  *camel = false;
  size_t len;
  char32_t first = DecodeUtf8(s, start, &len);
  if (CaseOf(first) != kUpper) return false;
  size_t pos = start + len;
  if (pos >= s.size()) return false;
  size_t len2;
  char32_t second = DecodeUtf8(s, pos, &len2);
  if (CaseOf(second) != kLower) {
    bool lone = (first == 'I' || first == 'A') &&
                (IsSpace(second) || second == '\'' || second == 0x2019 ||
                 second == ',');
    if (!lone) return false;
  }
  for (size_t k = start; k < s.size(); ++k) {
    char c = s[k];
    if (c == ' ' || c == '\t' || c == '\n') break;
    if (c >= 'A' && c <= 'Z' && k > start && s[k - 1] >= 'a' && s[k - 1] <= 'z')
      *camel = true;
    switch (c) {
      case '/':
      case '@':
      case '_':
      case '(':
      case '=':
      case '\\':
      case '<':
      case '>':
      case '#':
        return false;
      case '.':
      case '!':
      case '?':
        if (k + 1 < s.size()) {
          char d = s[k + 1];
          if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') ||
              (d >= '0' && d <= '9'))
            return false;
        }
        break;
      default:
        break;
    }
  }
  return true;
}

}  // namespace

int64_t SplitGluedSentences(std::string_view in, std::string* out) {
  const size_t n = in.size();
  int64_t inserted = 0;
  size_t copied = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  for (size_t i = 1; i + 1 < n; ++i) {
    if (i + 8 <= n) {
      uint64_t w = swar::Load(p + i);
      uint64_t m = swar::Equal(w, '.') | swar::Equal(w, '!') | swar::Equal(w, '?');
      if (m == 0) {
        i += 7;
        continue;
      }
      i += static_cast<size_t>(swar::FirstMatch(m));
      if (i + 1 >= n) break;
    }
    char c = in[i];
    if (c != '.' && c != '!' && c != '?') continue;
    unsigned char next = static_cast<unsigned char>(in[i + 1]);
    if (next == ' ' || next == '\n' || (next >= 'a' && next <= 'z') ||
        (next >= '0' && next <= '9') || next == '.')
      continue;
    size_t after = i + 1;
    size_t len;
    char32_t cp = DecodeUtf8(in, after, &len);
    if (cp == ')' || cp == 0x2019 || cp == 0x201D) after += len;
    if (after >= n) continue;
    bool camel, capitalized;
    if (!WordAfterQualifies(in, after, &camel)) continue;
    if (!WordBeforeQualifies(in, i, &capitalized)) continue;
    // "Console.WriteLine": a capitalized word, a dot, a camel-case word is
    // a qualified identifier, not two sentences.
    if (camel && capitalized) continue;
    if (inserted == 0) {
      out->clear();
      out->reserve(n + 16);
    }
    out->append(in.data() + copied, after - copied);
    out->push_back(' ');
    copied = after;
    ++inserted;
  }
  if (inserted > 0) out->append(in.data() + copied, n - copied);
  return inserted;
}

}  // namespace winnow::text
