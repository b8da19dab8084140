#include "gen/lexicon.h"

#include <cmath>
#include <initializer_list>

namespace winnow::gen {

const char* const kMonths[12] = {"January", "February", "March",     "April",
                                 "May",     "June",     "July",      "August",
                                 "September", "October", "November", "December"};
const char* const kWeekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                  "Friday", "Saturday", "Sunday"};
const char* const kNumberWords[13] = {"zero", "one", "two",   "three", "four",
                                      "five", "six", "seven", "eight", "nine",
                                      "ten",  "eleven", "twelve"};

namespace {

using Words = std::initializer_list<const char*>;

// Nouns are written "singular" (regular plural) or "singular|plural".
// Verbs are written "base", "base|past" or "base|past|participle".
constexpr Words kGeneralNouns = {
    "year", "government", "city", "country", "week", "report", "plan",
    "official", "group", "company", "family", "day", "month", "state",
    "area", "member", "program", "question", "problem", "decision", "service",
    "community", "school", "home", "change", "project", "agreement",
    "statement", "meeting", "region", "situation", "process", "result",
    "cost", "price", "market", "policy", "law", "team", "leader", "resident",
    "worker", "child|children", "person|people", "building", "road",
    "street", "center", "office", "period", "event", "level", "rate",
    "budget", "fund", "record", "step", "goal", "concern", "effort",
    "challenge", "opportunity", "measure", "proposal", "initiative",
    "committee", "agency", "department", "network", "village", "district",
    "province", "border", "population", "crisis|crises", "analysis|analyses",
    "system", "response", "request", "schedule", "share", "deadline",
    "document", "letter", "survey", "visit", "delegation", "target",
    "warning", "approach", "strategy", "capacity", "standard", "rule",
    "conference", "series", "neighbor", "volunteer", "household", "income",
    "facility", "partner", "framework", "audit", "mission",
};

constexpr Words kGeneralVerbs = {
    "announce", "approve", "reject", "propose", "support", "review",
    "discuss", "receive", "increase", "reduce", "expand", "launch",
    "complete", "accept", "address", "consider", "describe", "require",
    "include", "provide", "create", "offer", "face", "show|showed|shown",
    "reach", "change", "improve", "affect", "prepare", "confirm", "deliver",
    "present", "introduce", "extend", "lead|led", "hold|held",
    "take|took|taken", "make|made", "give|gave|given", "keep|kept",
    "see|saw|seen", "find|found", "bring|brought", "send|sent",
    "build|built", "leave|left", "meet|met", "win|won", "begin|began|begun",
    "plan|planned", "delay", "cancel|canceled", "welcome", "question",
    "outline", "publish", "examine", "finance", "track", "replace",
};

constexpr Words kSpeechVerbs = {
    "say|said", "add", "note", "argue", "warn", "explain", "stress",
    "claim", "insist", "confirm", "acknowledge", "suggest", "announce",
    "report", "state", "emphasize", "point out|pointed out",
};

constexpr Words kControlVerbs = {
    "plan|planned", "want", "agree|agreed", "decide", "hope", "promise",
    "refuse", "fail", "try|tried", "continue", "intend", "prepare",
    "expect", "seek|sought", "aim",
};

constexpr Words kGeneralAdjectives = {
    "new", "local", "national", "public", "major", "large", "small", "final",
    "recent", "early", "former", "senior", "strong", "high", "low",
    "important", "significant", "serious", "difficult", "clear", "long",
    "short", "annual", "regional", "private", "international", "central",
    "main", "key", "full", "current", "possible", "likely", "successful",
    "similar", "different", "total", "additional", "certain", "open",
    "special", "common", "popular", "independent", "official", "previous",
    "initial", "formal", "rapid", "modest", "sharp", "broad", "general",
    "entire", "considerable", "remarkable", "unusual", "temporary",
    "permanent", "detailed", "careful", "urgent", "quiet", "busy",
};

constexpr Words kAdverbs = {
    "also", "now", "still", "already", "recently", "quickly", "largely",
    "nearly", "later", "again", "finally", "currently", "previously",
    "immediately", "gradually", "officially", "reportedly", "publicly",
    "mostly", "partly", "soon", "effectively",
};

constexpr Words kInstitutions = {
    "Council", "Authority", "University", "Museum", "Bank", "Agency",
    "Commission", "Federation", "Union", "Institute", "Foundation",
    "Association", "Academy", "Chamber", "Bureau", "Trust",
};

// Vectors, not initializer_lists: the arrays behind initializer_list members
// of an aggregate would not outlive its initialization.
using WordVector = std::vector<const char*>;

struct TopicSpec {
  const char* name;
  const char* section;
  WordVector nouns, verbs, adjectives, roles, fields;
};

std::vector<TopicSpec> TopicSpecs() {
  return {
    {"politics", "politics",
     {"election", "vote", "candidate", "party", "campaign", "parliament",
      "minister", "president", "deputy|deputies", "coalition", "reform",
      "referendum", "cabinet", "opposition", "protest", "sanction", "treaty",
      "ambassador", "summit", "constitution", "ballot", "lawmaker",
      "governor", "voter", "bill"},
     {"elect", "appoint", "sign", "veto", "debate", "negotiate", "criticize",
      "condemn", "endorse", "nominate", "amend", "adopt", "pass"},
     {"political", "federal", "parliamentary", "diplomatic", "electoral",
      "presidential", "constitutional", "foreign", "domestic", "liberal"},
     {"deputy minister", "spokesman for the ministry", "member of parliament",
      "party leader", "ambassador", "spokeswoman for the government",
      "head of the electoral commission"},
     {"Foreign Affairs", "Internal Affairs", "Defense"}},
    {"economy", "business",
     {"bank", "loan", "tax|taxes", "investor", "profit", "sale", "customer",
      "product", "store", "export", "import", "factory|factories", "wage",
      "inflation|inflation", "debt", "revenue", "contract", "supplier",
      "retailer", "merger", "stock", "currency|currencies", "economist",
      "employer", "subsidy|subsidies"},
     {"invest", "borrow", "lend|lent", "raise", "cut|cut", "hire",
      "sell|sold", "buy|bought", "acquire", "export", "lower", "double"},
     {"economic", "financial", "quarterly", "fiscal", "commercial",
      "corporate", "industrial", "monetary", "retail", "wholesale"},
     {"chief executive", "economist", "analyst", "chief financial officer",
      "head of the central bank", "bank spokeswoman", "trade representative"},
     {"Finance", "Trade", "Economy"}},
    {"health", "health",
     {"study|studies", "researcher", "scientist", "data|data", "sample",
      "experiment", "hospital", "patient", "doctor", "nurse", "vaccine",
      "disease", "treatment", "clinic", "trial", "virus|viruses", "symptom",
      "laboratory|laboratories", "journal", "finding", "gene", "cell", "dose",
      "therapy|therapies", "infection"},
     {"discover", "test", "measure", "analyze", "treat", "identify",
      "observe", "develop", "diagnose", "vaccinate", "screen", "prescribe"},
     {"medical", "scientific", "clinical", "chronic", "genetic", "biological",
      "mental", "preventive", "experimental", "surgical"},
     {"researcher", "professor of medicine", "epidemiologist",
      "head of the clinic", "lead author of the study", "chief physician"},
     {"Health", "Public Health", "Science"}},
    {"city", "city",
     {"bridge", "tunnel", "railway", "station", "bus|buses", "train",
      "airport", "flight", "passenger", "port", "highway", "housing|housing",
      "rent", "apartment", "neighborhood", "park", "pipe", "contractor",
      "traffic|traffic", "tram", "mayor", "square", "library|libraries",
      "playground", "sidewalk"},
     {"repair", "renovate", "connect", "close", "reopen", "inspect", "fund",
      "demolish", "upgrade", "redesign", "pave", "widen"},
     {"urban", "municipal", "residential", "underground", "historic",
      "pedestrian", "crowded", "affordable", "suburban", "structural"},
     {"mayor", "city planner", "transport commissioner",
      "head of the housing department", "chief engineer", "deputy mayor"},
     {"Transport", "Urban Development", "Housing"}},
    {"sports", "sport",
     {"match|matches", "season", "player", "coach|coaches", "game", "goal",
      "club", "league", "championship", "tournament", "title", "fan",
      "stadium", "squad", "striker", "defender", "injury|injuries", "final",
      "victory|victories", "defeat", "medal", "race", "athlete", "trainer",
      "transfer"},
     {"beat|beat|beaten", "defeat", "score", "train", "host", "sign",
      "dominate", "lose|lost", "equal", "overtake|overtook|overtaken"},
     {"athletic", "unbeaten", "professional", "defensive", "competitive",
      "youthful", "veteran", "decisive", "Olympic", "junior"},
     {"head coach", "team captain", "club president", "goalkeeper",
      "sports director", "team doctor"},
     {"Sport", "Youth and Sport"}},
    {"culture", "culture",
     {"museum", "exhibition", "artist", "festival", "film", "book", "author",
      "novel", "concert", "theater", "audience", "painting", "collection",
      "gallery|galleries", "musician", "album", "performance", "award",
      "prize", "story|stories", "song", "stage", "premiere", "critic",
      "sculpture"},
     {"perform", "write|wrote|written", "paint", "celebrate", "display",
      "produce", "restore", "stage", "record", "curate", "translate"},
     {"cultural", "artistic", "musical", "literary", "classical",
      "contemporary", "acclaimed", "experimental", "theatrical", "visual"},
     {"curator", "festival director", "novelist", "conductor", "critic",
      "head of the museum"},
     {"Culture", "Arts and Heritage"}},
    {"technology", "tech",
     {"software|software", "app", "device", "battery|batteries", "phone",
      "computer", "chip", "platform", "user", "server", "update", "feature",
      "browser", "data center", "robot", "sensor", "algorithm", "startup",
      "developer", "screen", "satellite", "cloud", "processor", "network",
      "password"},
     {"release", "update", "install", "design", "upgrade", "encrypt",
      "download", "patch", "deploy", "integrate", "test"},
     {"digital", "mobile", "online", "wireless", "technical", "automated",
      "smart", "electronic", "open-source", "faster"},
     {"software engineer", "chief technology officer", "product manager",
      "developer", "security researcher", "head of engineering"},
     {"Digital Development", "Communications"}},
    {"environment", "environment",
     {"climate", "emission", "forest", "river", "lake", "storm", "flood",
      "fire", "drought", "species|species", "wildlife|wildlife", "farmer",
      "crop", "harvest", "soil", "weather|weather", "temperature",
      "rainfall|rainfall", "coast", "glacier", "pollution|pollution",
      "energy|energy", "wind farm", "solar panel", "waste|waste"},
     {"protect", "plant", "monitor", "pollute", "recycle", "evacuate",
      "flood", "irrigate", "harvest", "conserve", "clean"},
     {"environmental", "natural", "coastal", "rural", "agricultural", "dry",
      "renewable", "heavy", "seasonal", "endangered"},
     {"meteorologist", "forest ranger", "environmental activist",
      "head of the farmers’ union", "ecologist", "hydrologist"},
     {"Environment", "Agriculture", "Natural Resources"}},
    {"justice", "society",
     {"police officer", "investigation", "court", "judge", "lawyer", "trial",
      "evidence|evidence", "witness|witnesses", "prison", "suspect",
      "charge", "crime", "sentence", "verdict", "appeal", "prosecutor",
      "arrest", "fine", "fraud|fraud", "theft", "jury|juries", "victim",
      "lawsuit", "hearing", "detective"},
     {"arrest", "charge", "investigate", "convict", "sentence", "accuse",
      "detain", "release", "fine", "question", "acquit", "interview"},
     {"criminal", "legal", "judicial", "illegal", "guilty", "forensic",
      "alleged", "unanimous", "lengthy", "procedural"},
     {"prosecutor", "police chief", "defense lawyer", "judge",
      "police spokesman", "head of the investigation"},
     {"Justice", "Internal Affairs"}},
  };
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Regular plural / third person singular.
std::string AddS(std::string_view w) {
  std::string out(w);
  if (EndsWith(w, "s") || EndsWith(w, "x") || EndsWith(w, "ch") ||
      EndsWith(w, "sh") || EndsWith(w, "z")) {
    out += "es";
  } else if (w.size() >= 2 && w.back() == 'y' && !IsVowel(w[w.size() - 2])) {
    out.pop_back();
    out += "ies";
  } else {
    out += "s";
  }
  return out;
}

std::string AddEd(std::string_view w) {
  std::string out(w);
  if (w.back() == 'e') {
    out += "d";
  } else if (w.size() >= 2 && w.back() == 'y' && !IsVowel(w[w.size() - 2])) {
    out.pop_back();
    out += "ied";
  } else {
    out += "ed";
  }
  return out;
}

std::vector<std::string_view> SplitBar(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t bar = s.find('|', start);
    parts.push_back(s.substr(start, bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return parts;
}

// Applies `fn` to the first word of a phrase and keeps the rest
// ("point out" -> "points out").
template <typename Fn>
std::string InflectHead(std::string_view phrase, Fn fn) {
  size_t sp = phrase.find(' ');
  if (sp == std::string_view::npos) return fn(phrase);
  return fn(phrase.substr(0, sp)) + std::string(phrase.substr(sp));
}

template <typename List>
std::vector<Noun> MakeNouns(const List& words) {
  std::vector<Noun> out;
  for (const char* w : words) {
    auto parts = SplitBar(w);
    Noun n;
    n.singular = std::string(parts[0]);
    if (parts.size() > 1) {
      n.plural = std::string(parts[1]);
    } else {
      // Multi-word nouns inflect their last word.
      size_t sp = n.singular.rfind(' ');
      n.plural = sp == std::string::npos
                     ? AddS(n.singular)
                     : n.singular.substr(0, sp + 1) +
                           AddS(std::string_view(n.singular).substr(sp + 1));
    }
    out.push_back(std::move(n));
  }
  return out;
}

template <typename List>
std::vector<Verb> MakeVerbs(const List& words) {
  std::vector<Verb> out;
  for (const char* w : words) {
    auto parts = SplitBar(w);
    Verb v;
    v.base = std::string(parts[0]);
    v.third = InflectHead(v.base, AddS);
    v.past = parts.size() > 1 ? std::string(parts[1])
                              : InflectHead(v.base, AddEd);
    v.participle = parts.size() > 2 ? std::string(parts[2]) : v.past;
    out.push_back(std::move(v));
  }
  return out;
}

template <typename List>
std::vector<std::string> MakeStrings(const List& words) {
  std::vector<std::string> out;
  for (const char* w : words) out.emplace_back(w);
  return out;
}

}  // namespace

ZipfTable::ZipfTable(size_t n, double exponent, double offset) : n_(n) {
  constexpr size_t kSize = 4096;
  std::vector<double> cumulative(n);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    total += 1.0 / std::pow(static_cast<double>(i) + offset, exponent);
    cumulative[i] = total;
  }
  table_.resize(kSize);
  size_t item = 0;
  for (size_t j = 0; j < kSize; ++j) {
    double u = (static_cast<double>(j) + 0.5) / kSize * total;
    while (item + 1 < n && cumulative[item] < u) ++item;
    table_[j] = static_cast<uint16_t>(item);
  }
}

Lexicon::Lexicon() {
  nouns = MakeNouns(kGeneralNouns);
  verbs = MakeVerbs(kGeneralVerbs);
  speech_verbs = MakeVerbs(kSpeechVerbs);
  control_verbs = MakeVerbs(kControlVerbs);
  adjectives = MakeStrings(kGeneralAdjectives);
  adverbs = MakeStrings(kAdverbs);
  institutions = MakeStrings(kInstitutions);
  noun_zipf = ZipfTable(nouns.size(), 1.0, 5.0);
  verb_zipf = ZipfTable(verbs.size(), 0.9, 2.5);
  adjective_zipf = ZipfTable(adjectives.size(), 1.0, 2.5);
  adverb_zipf = ZipfTable(adverbs.size(), 0.8, 2.0);
  for (const TopicSpec& spec : TopicSpecs()) {
    Topic t;
    t.name = spec.name;
    t.section = spec.section;
    t.nouns = MakeNouns(spec.nouns);
    t.verbs = MakeVerbs(spec.verbs);
    t.adjectives = MakeStrings(spec.adjectives);
    t.roles = MakeStrings(spec.roles);
    t.fields = MakeStrings(spec.fields);
    t.noun_zipf = ZipfTable(t.nouns.size(), 1.0, 1.5);
    t.verb_zipf = ZipfTable(t.verbs.size(), 0.9, 1.5);
    t.adjective_zipf = ZipfTable(t.adjectives.size(), 0.9, 1.5);
    topics.push_back(std::move(t));
  }
}

const Lexicon& Lexicon::Get() {
  static const Lexicon* lexicon = new Lexicon();
  return *lexicon;
}

const Noun& Lexicon::SampleNoun(Rng& rng, int topic, double topic_bias) const {
  if (rng.Chance(topic_bias)) {
    const Topic& t = topics[topic];
    return t.nouns[t.noun_zipf.Sample(rng)];
  }
  return nouns[noun_zipf.Sample(rng)];
}

const Verb& Lexicon::SampleVerb(Rng& rng, int topic, double topic_bias) const {
  if (rng.Chance(topic_bias)) {
    const Topic& t = topics[topic];
    return t.verbs[t.verb_zipf.Sample(rng)];
  }
  return verbs[verb_zipf.Sample(rng)];
}

const std::string& Lexicon::SampleAdjective(Rng& rng, int topic,
                                            double topic_bias) const {
  if (rng.Chance(topic_bias)) {
    const Topic& t = topics[topic];
    return t.adjectives[t.adjective_zipf.Sample(rng)];
  }
  return adjectives[adjective_zipf.Sample(rng)];
}

std::string_view IndefiniteArticle(std::string_view w) {
  if (w.empty()) return "a";
  char c = w[0];
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (w.starts_with("uni") || w.starts_with("use") || w.starts_with("usu") ||
      w.starts_with("eu") || w.starts_with("one") || w.starts_with("Uni") ||
      w.starts_with("Eu")) {
    return "a";
  }
  if (w.starts_with("hour") || w.starts_with("honest")) return "an";
  return IsVowel(c) ? "an" : "a";
}

}  // namespace winnow::gen
