#include "html/tags.h"

#include <array>
#include <cstring>

namespace winnow::html {
namespace {

struct TagInfo {
  std::string_view name;
  uint16_t props;
};

constexpr TagInfo kTagInfo[] = {
    {"", 0},
    {"", 0},
    {"", kInline},
#define WINNOW_HTML_TAG_INFO(e, n, p) {n, static_cast<uint16_t>(p)},
    WINNOW_HTML_TAGS(WINNOW_HTML_TAG_INFO)
#undef WINNOW_HTML_TAG_INFO
};
static_assert(sizeof(kTagInfo) / sizeof(kTagInfo[0]) == kNumTags);

constexpr size_t kMaxNameLen = 10;  // "blockquote", "figcaption"
constexpr uint32_t kTableBits = 9;
constexpr uint32_t kTableSize = 1u << kTableBits;

inline uint32_t HashName(const char* s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<uint8_t>(s[i])) * 16777619u;
  return h ^ (h >> 15);
}

// Open-addressing table from lower-case name to tag; built once.
struct LookupTable {
  std::array<uint8_t, kTableSize> slots{};  // 0 = empty, else tag value
  LookupTable() {
    for (int t = static_cast<int>(Tag::kUnknown) + 1; t < kNumTags; ++t) {
      std::string_view name = kTagInfo[t].name;
      uint32_t i = HashName(name.data(), name.size()) & (kTableSize - 1);
      while (slots[i] != 0) i = (i + 1) & (kTableSize - 1);
      slots[i] = static_cast<uint8_t>(t);
    }
  }
};

const LookupTable& Table() {
  static const LookupTable table;
  return table;
}

}  // namespace

uint16_t TagProperties(Tag tag) {
  return kTagInfo[static_cast<int>(tag)].props;
}

std::string_view TagName(Tag tag) { return kTagInfo[static_cast<int>(tag)].name; }

Tag LookupTag(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLen) return Tag::kUnknown;
  char lower[kMaxNameLen];
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  const LookupTable& table = Table();
  uint32_t i = HashName(lower, name.size()) & (kTableSize - 1);
  while (table.slots[i] != 0) {
    std::string_view cand = kTagInfo[table.slots[i]].name;
    if (cand.size() == name.size() && std::memcmp(cand.data(), lower, name.size()) == 0)
      return static_cast<Tag>(table.slots[i]);
    i = (i + 1) & (kTableSize - 1);
  }
  return Tag::kUnknown;
}

}  // namespace winnow::html
