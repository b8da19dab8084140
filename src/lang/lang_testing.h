// Shared by lang_test and lang_benchmark (not part of the library): short
// fixtures in several languages, written for these tests, and a loader for
// the Reuters-21578 JSONL file of the shared data directory.
#ifndef WINNOW_LANG_LANG_TESTING_H_
#define WINNOW_LANG_LANG_TESTING_H_

#include <simdjson.h>
#include <zlib.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::lang_testing {

struct Fixture {
  const char* code;
  const char* text;
};

// One short news-style paragraph per language, all on the same topic so
// that only the language differs.
inline const std::vector<Fixture>& Fixtures() {
  static const std::vector<Fixture>* const fixtures = new std::vector<Fixture>{
      {"en",
       "The city council met on Tuesday evening to discuss the new budget for "
       "public transport. Several members argued that the bus network needs "
       "more money, while others wanted to repair the roads first. A final "
       "decision is expected next month, after the council has heard from "
       "local residents."},
      {"de",
       "Der Gemeinderat traf sich am Dienstagabend, um über den neuen Haushalt "
       "für den öffentlichen Nahverkehr zu beraten. Mehrere Mitglieder "
       "meinten, dass das Busnetz mehr Geld braucht, während andere zuerst "
       "die Straßen reparieren wollten. Eine endgültige Entscheidung wird im "
       "nächsten Monat erwartet."},
      {"fr",
       "Le conseil municipal s'est réuni mardi soir pour discuter du nouveau "
       "budget consacré aux transports publics. Plusieurs membres ont estimé "
       "que le réseau de bus avait besoin de plus d'argent, tandis que "
       "d'autres voulaient d'abord réparer les routes. Une décision finale "
       "est attendue le mois prochain."},
      {"es",
       "El ayuntamiento se reunió el martes por la noche para hablar del "
       "nuevo presupuesto del transporte público. Varios concejales dijeron "
       "que la red de autobuses necesita más dinero, mientras que otros "
       "preferían arreglar primero las carreteras. Se espera una decisión "
       "definitiva el mes que viene."},
      {"ru",
       "Городской совет собрался во вторник вечером, чтобы обсудить новый "
       "бюджет общественного транспорта. Некоторые депутаты считают, что "
       "автобусной сети нужно больше денег, а другие хотят сначала "
       "отремонтировать дороги. Окончательное решение ожидается в следующем "
       "месяце."},
      {"zh",
       "市议会星期二晚上开会，讨论公共交通的新预算。几位议员认为公交网络需要"
       "更多资金，而另一些人则希望先修路。最终决定预计将在下个月作出，届时议会"
       "将听取当地居民的意见。"},
      {"ja",
       "市議会は火曜日の夜に集まり、公共交通の新しい予算について話し合った。"
       "何人かの議員はバス路線にもっとお金が必要だと主張し、ほかの議員はまず"
       "道路を直したいと述べた。最終的な決定は来月になる見込みだ。"},
  };
  return *fixtures;
}

inline const char* FixtureText(std::string_view code) {
  for (const Fixture& f : Fixtures())
    if (code == f.code) return f.text;
  return "";
}

// $WINNOW_SHARED_DIR/data/news/reuters21578.jsonl.gz, or "" when the
// variable is unset.
inline std::string ReutersPath() {
  const char* dir = std::getenv("WINNOW_SHARED_DIR");
  if (dir == nullptr || *dir == '\0') return {};
  return std::string(dir) + "/data/news/reuters21578.jsonl.gz";
}

// Reads the "text" of every record. Returns false when the file cannot be
// opened or a line does not parse.
inline bool LoadJsonlTexts(const std::string& path,
                           std::vector<std::string>* texts) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) data.append(buf, n);
  const bool read_ok = n == 0;
  gzclose(f);
  if (!read_ok) return false;
  simdjson::ondemand::parser parser;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    std::string_view line(data.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return false;
    // A missing, null or non-string "text" counts as an empty document.
    simdjson::ondemand::value value;
    std::string_view text;
    if (doc["text"].get(value) != simdjson::SUCCESS ||
        value.get_string().get(text) != simdjson::SUCCESS) {
      text = {};
    }
    texts->emplace_back(text);
  }
  return true;
}

}  // namespace winnow::lang_testing

#endif  // WINNOW_LANG_LANG_TESTING_H_
