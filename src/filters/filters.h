// Quality filters reimplemented from datatrove v0.10.0 with its definitions,
// default thresholds and reason strings:
//   gopher_repetition  GopherRepetitionFilter  (filters/gopher_repetition.h)
//   gopher_quality     GopherQualityFilter     (filters/gopher_quality.h)
//   c4_quality         C4QualityFilter         (filters/c4_quality.h)
//   fineweb_quality    FineWebQualityFilter    (filters/fineweb_quality.h)
// FineWeb's recipe runs them in that order with c4_quality's
// filter_no_terminal_punct=false.
//
// Every step accepts `write_signals` (default false) to record its computed
// values in doc->signals. Removal details are JSON objects with the deciding
// "value" and "threshold" (c4's lorem_ipsum/curly_bracket: the "line" index).
//
// Tokens: words are datatrove's split_into_words (NLTK word_tokenize over an
// untrained Punkt sentence split, see tokenize/tokenizer.h), computed once per
// text and thread and shared by the steps (filters/token_cache.h).
#ifndef WINNOW_FILTERS_FILTERS_H_
#define WINNOW_FILTERS_FILTERS_H_

#include "filters/c4_quality.h"
#include "filters/fineweb_quality.h"
#include "filters/gopher_quality.h"
#include "filters/gopher_repetition.h"
#include "winnow/step.h"

namespace winnow {

// Registers gopher_repetition, gopher_quality, c4_quality, fineweb_quality.
void RegisterFilterSteps(StepRegistry* registry);

}  // namespace winnow

#endif  // WINNOW_FILTERS_FILTERS_H_
