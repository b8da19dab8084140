#include "tokenize/char_classes.h"

#include <utf8proc.h>

namespace winnow::tokenize_internal {

namespace {

// Code points that utf8proc (Unicode 15) assigns as letters or numbers but
// that Python 3.11's Unicode 14 database leaves unassigned.
struct Range {
  char32_t lo, hi;
};
constexpr Range kNewerThanPython[] = {
    {0x1123F, 0x11240}, {0x11F02, 0x11F02}, {0x11F04, 0x11F10},
    {0x11F12, 0x11F33}, {0x11F50, 0x11F59}, {0x1342F, 0x1342F},
    {0x13441, 0x13446}, {0x1B132, 0x1B132}, {0x1B155, 0x1B155},
    {0x1D2C0, 0x1D2D3}, {0x1DF25, 0x1DF2A}, {0x1E030, 0x1E06D},
    {0x1E4D0, 0x1E4EB}, {0x1E4F0, 0x1E4F9}, {0x2B739, 0x2B739},
    {0x31350, 0x323AF},
};

bool NewerThanPython(char32_t cp) {
  if (cp < 0x1123F) return false;
  for (const Range& r : kNewerThanPython) {
    if (cp >= r.lo && cp <= r.hi) return true;
  }
  return false;
}

}  // namespace


char32_t DecodeUtf8Backward(const char* begin, const char* end, int* len) {
  const char* p = end - 1;
  int back = 0;
  while (p > begin && back < 3 &&
         (static_cast<unsigned char>(*p) & 0xC0) == 0x80) {
    --p;
    ++back;
  }
  int n = 0;
  const char32_t cp = DecodeUtf8(p, end, &n);
  if (p + n == end) {
    *len = n;
    return cp;
  }
  *len = 1;
  const auto last = static_cast<unsigned char>(end[-1]);
  return last < 0x80 ? last : kInvalidCodePoint;
}

bool IsPySpaceNonAscii(char32_t cp) {
  switch (cp) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool IsPyWordNonAscii(char32_t cp) {
  if (cp >= kInvalidCodePoint) return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return !NewerThanPython(cp);
    default:
      return false;
  }
}

bool IsPyDecimalNonAscii(char32_t cp) {
  if (cp >= kInvalidCodePoint) return false;
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) ==
             UTF8PROC_CATEGORY_ND &&
         !NewerThanPython(cp);
}

bool IsPyUpperNonAscii(char32_t cp) {
  if (cp >= kInvalidCodePoint) return false;
  return utf8proc_isupper(static_cast<utf8proc_int32_t>(cp)) != 0 &&
         !NewerThanPython(cp);
}

bool IsPyLowerNonAscii(char32_t cp) {
  if (cp >= kInvalidCodePoint || NewerThanPython(cp)) return false;
  // Modifier letters that utf8proc reports as lowercase but Python's
  // Lowercase property does not include.
  switch (cp) {
    case 0x10FC:
    case 0xA7F2:
    case 0xA7F3:
    case 0xA7F4:
    case 0xAB69:
      return false;
    default:
      return utf8proc_islower(static_cast<utf8proc_int32_t>(cp)) != 0;
  }
}

}  // namespace winnow::tokenize_internal
