// Prepares document text for CLD2, which only accepts "interchange-valid"
// UTF-8: well-formed UTF-8 without C0 controls other than TAB, LF, FF and CR,
// without DEL and C1 controls (U+007F..U+009F) and without noncharacters
// (U+FDD0..U+FDEF and the last two code points of every plane). CLD2 gives
// up on the first byte outside that set, so one stray control character
// would make a whole page "und".
//
// All functions are pure and thread-safe.
#ifndef WINNOW_LANG_CLD2_INPUT_H_
#define WINNOW_LANG_CLD2_INPUT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow::lang {

struct Cld2Input {
  // What CLD2 should scan: a prefix of the input, or a view into *scratch
  // (then valid until *scratch is next modified).
  std::string_view text;
  // True when the input was longer than max_bytes and was cut.
  bool truncated = false;
  // Number of ill-formed sequences and rejected code points replaced.
  size_t replaced = 0;
};

// Returns the first `max_bytes` bytes of `text` (cut back as
// core/utf8.h's Utf8PrefixLength does, so that no character and no
// ill-formed unit is split), with every ill-formed UTF-8 sequence (maximal
// subpart, as core/utf8.h's AppendRepairedUtf8 counts them) and every code
// point CLD2 rejects replaced by one ASCII space. A space
// neither joins nor splits words of any script, so replacement does not
// bias detection. Copies into *scratch only when something must be
// replaced; otherwise the result views `text`.
// REQUIRES: scratch != nullptr.
Cld2Input PrepareCld2Input(std::string_view text, size_t max_bytes,
                           std::string* scratch);

// Returns true when CLD2 accepts every code point of `text` (the condition
// PrepareCld2Input establishes). Exposed for tests.
bool IsCld2InterchangeValid(std::string_view text);

}  // namespace winnow::lang

#endif  // WINNOW_LANG_CLD2_INPUT_H_
