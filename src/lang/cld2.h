// Includes the CLD2 public API. compact_lang_det.h uses FILE without
// including <cstdio>, so <cstdio> must come first; include CLD2 only through
// this header.
#ifndef WINNOW_LANG_CLD2_H_
#define WINNOW_LANG_CLD2_H_

// clang-format off
#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
// clang-format on

#endif  // WINNOW_LANG_CLD2_H_
