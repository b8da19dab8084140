#include "filters/filters.h"

namespace winnow {

void RegisterFilterSteps(StepRegistry* registry) {
  registry->Register(
      "gopher_repetition",
      "Gopher repetition rules (datatrove GopherRepetitionFilter): duplicate "
      "lines/paragraphs and repeated word n-grams",
      &GopherRepetitionFilter::Create);
  registry->Register(
      "gopher_quality",
      "Gopher quality rules (datatrove GopherQualityFilter): length, word "
      "length, symbols, bullets, alphabetic words, stop words",
      &GopherQualityFilter::Create);
  registry->Register(
      "c4_quality",
      "C4 rules (datatrove C4QualityFilter): drops lines, rewrites the text, "
      "removes too-short, lorem ipsum and curly-bracket documents",
      &C4QualityFilter::Create);
  registry->Register(
      "fineweb_quality",
      "FineWeb rules (datatrove FineWebQualityFilter): line punctuation, short "
      "lines, duplicated characters, list-like documents",
      &FineWebQualityFilter::Create);
}

}  // namespace winnow
