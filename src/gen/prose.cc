#include "gen/prose.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "gen/lexicon.h"

namespace winnow::gen {
namespace {

constexpr int kMinWords = 8;
constexpr int kMaxWords = 30;

// Syllable inventory for invented names.
constexpr std::array<std::string_view, 26> kOnsets = {
    "b",  "d",  "f",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s", "t",
    "v",  "z",  "br", "dr", "gr", "kr", "tr", "st", "sh", "ch", "th", "",   "l"};
constexpr std::array<std::string_view, 12> kVowels = {
    "a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou", "ia"};
constexpr std::array<std::string_view, 14> kCodas = {
    "", "", "", "", "n", "r", "l", "s", "k", "m", "v", "th", "nd", "rt"};
constexpr std::array<std::string_view, 10> kPlaceEndings = {
    "ia", "ovo", "ton", "mont", "sk", "era", "port", "a", "burg", "dal"};
constexpr std::array<std::string_view, 8> kProductStems = {
    "Note", "Pad", "Book", "Link", "Vue", "Cast", "Pod", "Track"};

void Capitalize(std::string* s, size_t from) {
  for (size_t i = from; i < s->size(); ++i) {
    char c = (*s)[i];
    if (c >= 'a' && c <= 'z') {
      (*s)[i] = static_cast<char>(c - 'a' + 'A');
      return;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return;
  }
}

std::string Acronym(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (start && c >= 'A' && c <= 'Z') out.push_back(c);
    start = (c == ' ');
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

struct Person {
  std::string first, last, display, role;
  std::string title;  // "Mr.", "Ms.", "Dr."
  int pronoun = 0;    // 0 he, 1 she, 2 they
  int org = 0;        // index of the organization the person works for
  bool mentioned = false;
};

struct Org {
  std::string full;       // "Varnia City Council"
  std::string short_ref;  // "council" or "VCC"
  bool takes_the = true;
  bool mentioned = false;
};

// Builds sentences into a string, counting whitespace-separated words.
class Composer {
 public:
  Composer(Rng& rng, int topic, bool curly, int base_year)
      : rng_(rng), lex_(Lexicon::Get()), topic_(topic), curly_(curly),
        base_year_(base_year) {}

  void NewCast(bool force) {
    int n_people = rng_.Range(2, 4);
    uint32_t role_start = rng_.Below(16);
    used_specials_ = 0;
    people_.clear();
    people_.reserve(4);
    for (int i = 0; i < n_people; ++i) {
      Person p;
      p.first = MakeName(rng_, rng_.Range(2, 3));
      p.last = MakeName(rng_, rng_.Range(2, 3));
      p.pronoun = rng_.Chance(0.1) ? 2 : static_cast<int>(rng_.Below(2));
      bool initials = (force && i == 0) || rng_.Chance(0.1);
      if (initials) {
        p.display = std::string(1, p.first[0]) + ". " +
                    std::string(1, static_cast<char>('A' + rng_.Below(26))) +
                    ". " + p.last;
      } else {
        p.display = p.first + " " + p.last;
      }
      const Topic& t = lex_.topics[topic_];
      p.role = t.roles[(role_start + static_cast<uint32_t>(i)) % t.roles.size()];
      p.org = i;
      p.title = rng_.Chance(0.15) ? "Dr." : (p.pronoun == 0 ? "Mr." : "Ms.");
      people_.push_back(std::move(p));
    }
    places_.clear();
    for (int i = 0; i < 2; ++i) {
      std::string place = MakeName(rng_, rng_.Range(1, 2));
      place += kPlaceEndings[rng_.Below(kPlaceEndings.size())];
      places_.push_back(std::move(place));
    }
    orgs_.clear();
    int n_orgs = rng_.Range(1, 3);
    for (int i = 0; i < n_orgs; ++i) {
      Org o;
      const Topic& t = lex_.topics[topic_];
      uint32_t form = rng_.Below(3);
      if (form == 0) {
        o.full = "Ministry of " +
                 t.fields[rng_.Below(static_cast<uint32_t>(t.fields.size()))];
        o.short_ref = "ministry";
      } else {
        const std::string& inst =
            lex_.institutions[rng_.Below(
                static_cast<uint32_t>(lex_.institutions.size()))];
        o.full = places_[i % 2] + " " + inst;
        if (form == 2) {
          o.full += " of " + t.fields[rng_.Below(
                                 static_cast<uint32_t>(t.fields.size()))];
        }
        o.short_ref = rng_.Chance(0.4) ? Acronym(o.full) : Lower(inst);
      }
      orgs_.push_back(std::move(o));
    }
    std::string cap = MakeName(rng_, 2);
    switch (rng_.Below(force ? 3 : 4)) {
      case 0: product_ = "iPhone"; break;
      case 1: product_ = "i" + cap; break;
      case 2: product_ = "e" + cap; break;
      default:
        product_ = cap;
        product_ += kProductStems[rng_.Below(kProductStems.size())];
    }
    domain_ = Lower(places_[0]);
    domain_ += rng_.Chance(0.5) ? ".org" : (rng_.Chance(0.5) ? ".com" : ".net");
    // At most one draw from rng_ per expression, here and throughout the
    // generator: the order in which the operands of + or the arguments of a
    // call are evaluated is unspecified (gcc and clang differ), so two draws
    // in one expression give different corpora per compiler. The explicit
    // order below is the one gcc used, so corpora stay what they were.
    std::string partner = MakeName(rng_, 2);
    firm_ = MakeName(rng_, 2) + " & " + partner;
  }

  // Appends one sentence to *out (preceded by a space unless at the start of
  // a block). Returns its word count.
  int Sentence(std::string* out, int special) {
    for (int attempt = 0; attempt < 40; ++attempt) {
      size_t mark = out->size();
      Begin(out);
      if (special >= 0) {
        SpecialSentence(static_cast<Special>(special));
      } else {
        OrdinarySentence();
      }
      if (words_ >= kMinWords && words_ <= kMaxWords) {
        Capitalize(out, mark);
        return words_;
      }
      out->resize(mark);
    }
    size_t mark = out->size();
    Begin(out);
    FallbackSentence();
    Capitalize(out, mark);
    return words_;
  }

  // A quoted passage of two sentences with attribution:
  // “S1. S2,” X said.  Records both sentence ends.
  int QuotedPair(std::string* out, Block* block) {
    for (int attempt = 0; attempt < 40; ++attempt) {
      size_t mark = out->size();
      Begin(out);
      OpenQuote();
      size_t body = out->size();
      QuoteClause();
      P(".");
      Capitalize(out, body);
      if (words_ < kMinWords || words_ > kMaxWords) {
        out->resize(mark);
        continue;
      }
      int first_words = words_;
      size_t first_end = out->size();
      words_ = 0;
      size_t second = out->size();
      QuoteClause();
      P(",");
      CloseQuote();
      Attribution();
      P(".");
      Capitalize(out, second);
      if (words_ < kMinWords || words_ > kMaxWords) {
        out->resize(mark);
        continue;
      }
      block->sentence_ends.push_back(static_cast<uint32_t>(first_end));
      block->sentence_ends.push_back(static_cast<uint32_t>(out->size()));
      return first_words + words_;
    }
    int w = Sentence(out, -1);
    block->sentence_ends.push_back(static_cast<uint32_t>(out->size()));
    return w;
  }

  void Headline(std::string* out) {
    Begin(out);
    switch (rng_.Below(6)) {
      case 0:
        OrgOrPlaceBare();
        W(RandVerb().third);
        if (rng_.Chance(0.6)) W(RandAdj());
        W(RandNoun().singular);
        if (rng_.Chance(0.5)) {
          W(rng_.Chance(0.5) ? "for" : "in");
          W(RandNoun().plural);
        }
        break;
      case 1:
        W(RandNoun().plural);
        W(RandVerb().base);
        W(RandAdj());
        W(RandNoun().singular);
        W("in");
        W(places_[0]);
        break;
      case 2:
      {
        const std::string& adj = RandAdj();
        bool very = rng_.Chance(0.4);
        W(very || IndefiniteArticle(adj) == "a" ? "A" : "An");
        if (very) W("very");
        W(adj);
        W(RandNoun().singular);
      }
        P(".");
        W(places_[1]);
        W(RandNoun().plural);
        W(RandVerb().base);
        W(RandNoun().singular);
        break;
      case 3:
        W(people_[0].last);
        P(":");
        OpenQuote();
        W(rng_.Chance(0.5) ? "We" : "They");
        W(rng_.Chance(0.5) ? "will" : "cannot");
        W(RandVerb().base);
        W("the");
        W(RandNoun().singular);
        CloseQuote();
        break;
      case 4:
        W(Lex().topics[topic_].name == "sports" ? "Fans" : "Residents");
        W("of");
        W(places_[0]);
        W(RandVerb().base);
        W(RandAdj());
        W(RandNoun().plural);
        break;
      default:
        W(RandNoun().singular);
        W("of");
        W(places_[rng_.Below(2)]);
        W(RandVerb().third);
        W(RandNoun().plural);
        W("after");
        W(RandNoun().singular);
        break;
    }
    Capitalize(out, 0);
  }

  void Subhead(std::string* out) {
    Begin(out);
    switch (rng_.Below(5)) {
      case 0:
        OpenQuote();
        W(rng_.Chance(0.5) ? "We" : "They");
        W(rng_.Chance(0.5) ? "have no" : "need more");
        W(RandNoun().plural);
        CloseQuote();
        break;
      case 1:
        W(RandAdj());
        W(RandNoun().singular);
        break;
      case 2:
        W(RandNoun().plural);
        W(rng_.Chance(0.5) ? "for" : "without");
        W("the");
        W(RandNoun().singular);
        P("?");
        break;
      case 3:
        W("What");
        W(rng_.Chance(0.5) ? "comes" : "changes");
        W("next?");
        break;
      default:
        W("The");
        W(RandNoun().singular);
        W("of");
        W(places_[rng_.Below(2)]);
        break;
    }
    Capitalize(out, 0);
  }

 private:
  const Lexicon& Lex() const { return lex_; }

  void Begin(std::string* out) {
    out_ = out;
    words_ = 0;
    space_ = !out->empty() && out->back() != '\n';
  }

  void W(std::string_view w) {
    if (space_) out_->push_back(' ');
    out_->append(w);
    words_ += 1 + static_cast<int>(std::count(w.begin(), w.end(), ' '));
    space_ = true;
  }
  void P(std::string_view p) { out_->append(p); }
  void OpenQuote() {
    if (space_) out_->push_back(' ');
    out_->append(curly_ ? "“" : "\"");
    space_ = false;
  }
  void CloseQuote() { out_->append(curly_ ? "”" : "\""); }
  std::string_view Apostrophe() const { return curly_ ? "’" : "'"; }

  const gen::Noun& RandNoun() { return lex_.SampleNoun(rng_, topic_); }
  const gen::Verb& RandVerb() { return lex_.SampleVerb(rng_, topic_); }
  const std::string& RandAdj() { return lex_.SampleAdjective(rng_, topic_); }

  int Year() { return base_year_ - static_cast<int>(rng_.Below(6)); }

  void Number(int64_t n) {
    num_.clear();
    AppendThousands(n, &num_);
    W(num_);
  }

  // A year or other number written without separators.
  void Plain(int n) {
    num_.clear();
    num_ = std::to_string(n);
    W(num_);
  }

  void Decimal(int whole_max) {
    num_.clear();
    AppendThousands(rng_.Range(1, whole_max), &num_);
    num_.push_back('.');
    num_.push_back(static_cast<char>('1' + rng_.Below(9)));
    W(num_);
  }

  void Time() {
    switch (rng_.Below(14)) {
      case 0: W("on"); W(kWeekdays[rng_.Below(7)]); break;
      case 1: W(rng_.Chance(0.5) ? "last week" : "last month"); break;
      case 2: W(rng_.Chance(0.5) ? "this week" : "this year"); break;
      case 3: W(rng_.Chance(0.5) ? "earlier this month" : "earlier this year"); break;
      case 4: W(rng_.Chance(0.5) ? "in recent weeks" : "in recent years"); break;
      case 5:
        W("on");
        W(kMonths[rng_.Below(12)]);
        Number(rng_.Range(1, 28));
        break;
      case 6: W("in"); W(kMonths[rng_.Below(12)]); break;
      case 7: W("in"); Plain(Year()); break;
      case 8: W(rng_.Chance(0.3) ? "by the end of the year" : "by December"); break;
      case 9: W(rng_.Chance(0.5) ? "next month" : "next year"); break;
      case 10: W(rng_.Chance(0.3) ? "over the weekend" : "on Saturday"); break;
      case 11: W(rng_.Chance(0.5) ? "in early" : "in late"); Plain(Year()); break;
      case 12: W(rng_.Chance(0.3) ? "in the coming months" : "within weeks"); break;
      default: W("since"); Plain(Year() - 3); break;
    }
  }

  void Determiner(bool plural, std::string_view next) {
    uint32_t r = rng_.Below(100);
    if (plural) {
      if (r < 36) W("the");
      else if (r < 41) W("these");
      else if (r < 49) W("their");
      else if (r < 54) W("its");
      else if (r < 60) W("several");
      else if (r < 65) W("many");
      else if (r < 70) W("some");
      // else: no determiner
    } else {
      if (r < 42) W("the");
      else if (r < 78) W(IndefiniteArticle(next));
      else if (r < 85) W("this");
      else if (r < 91) W("its");
      else if (r < 95) W("their");
      else if (r < 98) W("another");
      else W("every");
    }
  }

  void MentionPerson(Person& p, bool appositive) {
    if (!p.mentioned) {
      W(p.display);
      p.mentioned = true;
      if (appositive) {
        P(",");
        W(IndefiniteArticle(p.role));
        W(p.role);
        W("at");
        MentionOrg(orgs_[p.org % orgs_.size()]);
        P(",");
      }
      return;
    }
    if (rng_.Chance(0.2)) {
      W(p.title);
      W(p.last);
    } else {
      W(p.last);
    }
  }

  void MentionOrg(Org& o) {
    if (!o.mentioned) {
      if (o.takes_the) W("the");
      W(o.full);
      o.mentioned = true;
    } else {
      W("the");
      W(o.short_ref);
    }
  }

  void OrgOrPlaceBare() {
    if (rng_.Chance(0.5)) {
      W(places_[0]);
      W(lex_.institutions[rng_.Below(
          static_cast<uint32_t>(lex_.institutions.size()))]);
    } else {
      W(orgs_[0].full);
    }
  }

  // A simple noun phrase; returns whether it is plural.
  bool SimpleNP(int depth) {
    bool plural = rng_.Chance(0.3);
    const gen::Noun& n = RandNoun();
    bool adjective = rng_.Chance(0.3);
    std::string_view adj = adjective ? std::string_view(RandAdj()) : "";
    if (rng_.Chance(0.025)) {
      MentionOrgPossessive();
    } else {
      Determiner(plural, adjective ? adj : std::string_view(n.singular));
    }
    if (adjective) {
      W(adj);
      if (rng_.Chance(0.12)) {
        W("and");
        W(RandAdj());
      }
    }
    W(plural ? n.plural : n.singular);
    if (depth < 1) {
      uint32_t r = rng_.Below(100);
      if (r < 24) {
        W("of");
        SimpleNP(depth + 1);
      } else if (r < 30) {
        W("that");
        SubjectNP(depth + 1);
        W(RandVerb().past);
      } else if (r < 36) {
        W(rng_.Chance(0.5) ? "for" : "with");
        SimpleNP(depth + 1);
      }
    }
    return plural;
  }

  void MentionOrgPossessive() {
    if (rng_.Chance(0.5)) {
      W(places_[rng_.Below(2)]);
    } else {
      W("the");
      W(orgs_[0].short_ref);
    }
    P(Apostrophe());
    P("s");
  }

  // Subject or object noun phrase; returns whether it is plural.
  bool NP(int depth, bool subject) {
    uint32_t r = rng_.Below(100);
    if (r < 13) {
      // Drawn before the person: the order gcc used (see NewCast).
      bool appositive = subject && depth == 0 && rng_.Chance(0.5);
      MentionPerson(people_[rng_.Below(static_cast<uint32_t>(people_.size()))],
                    appositive);
      return false;
    }
    if (r < 18) {
      MentionOrg(orgs_[rng_.Below(static_cast<uint32_t>(orgs_.size()))]);
      return false;
    }
    if (r < 25) {
      if (rng_.Chance(0.5)) {
        W(places_[rng_.Below(2)]);
        W("officials");
        return true;
      }
      W("the");
      W(places_[rng_.Below(2)]);
      W("government");
      return false;
    }
    if (r < 32) {
      Quantity();
      if (rng_.Chance(0.3)) W(RandAdj());
      W(RandNoun().plural);
      return true;
    }
    if (r < 44 && depth == 0) {
      SimpleNP(1);
      W("and");
      SimpleNP(1);
      return true;
    }
    return SimpleNP(depth);
  }

  bool SubjectNP(int depth) {
    if (depth == 0 && rng_.Chance(0.12)) {
      const Person& p = people_[rng_.Below(static_cast<uint32_t>(people_.size()))];
      if (p.mentioned) {
        static constexpr const char* kPronouns[3] = {"he", "she", "they"};
        W(kPronouns[p.pronoun]);
        return p.pronoun == 2;
      }
    }
    return NP(depth, true);
  }

  void Quantity() {
    switch (rng_.Below(7)) {
      case 0: W("about"); Number(rng_.Range(12, 9000)); break;
      case 1: W("more than"); Number(rng_.Range(2, 60) * 10); break;
      case 2: W("nearly"); Number(rng_.Range(100, 5000)); break;
      case 3: W(kNumberWords[rng_.Range(2, 12)]); break;
      case 4: W(rng_.Chance(0.5) ? "dozens of" : "hundreds of"); break;
      case 5: Number(rng_.Range(3, 400)); break;
      default: W("at least"); W(kNumberWords[rng_.Range(2, 9)]); break;
    }
  }

  void PP() {
    uint32_t r = rng_.Below(100);
    const char* prep = r < 28   ? "in"
                       : r < 40 ? "for"
                       : r < 52 ? "with"
                       : r < 60 ? "on"
                       : r < 67 ? "at"
                       : r < 74 ? "from"
                       : r < 80 ? "to"
                       : r < 84 ? "after"
                       : r < 88 ? "during"
                       : r < 91 ? "across"
                       : r < 94 ? "against"
                       : r < 97 ? "over"
                                : "near";
    W(prep);
    if (r < 28 && rng_.Chance(0.35)) {
      W(places_[rng_.Below(2)]);
      return;
    }
    SimpleNP(1);
  }

  static constexpr const char* kModals[6] = {"will",   "would", "could",
                                             "may",    "should", "might"};

  void VP(bool plural, int depth) {
    uint32_t r = rng_.Below(100);
    if (r < 28) {
      if (rng_.Chance(0.1)) W(lex_.SampleAdverb(rng_));
      W(RandVerb().past);
      NP(depth + 1, false);
      if (rng_.Chance(0.35)) PP();
    } else if (r < 42) {
      W(plural ? "have" : "has");
      if (rng_.Chance(0.2)) W(lex_.SampleAdverb(rng_));
      W(RandVerb().participle);
      NP(depth + 1, false);
      if (rng_.Chance(0.25)) PP();
    } else if (r < 54) {
      W(kModals[rng_.Below(6)]);
      if (rng_.Chance(0.08)) W("not");
      W(RandVerb().base);
      NP(depth + 1, false);
      if (rng_.Chance(0.25)) PP();
    } else if (r < 62) {
      bool past = rng_.Chance(0.6);
      W(past ? (plural ? "were" : "was") : (plural ? "are" : "is"));
      if (rng_.Chance(0.15)) W(lex_.SampleAdverb(rng_));
      W(RandVerb().participle);
      if (rng_.Chance(0.4)) {
        W("by");
        NP(depth + 1, false);
      } else if (rng_.Chance(0.5)) {
        PP();
      }
    } else if (r < 70) {
      bool past = rng_.Chance(0.6);
      W(past ? (plural ? "were" : "was") : (plural ? "are" : "is"));
      uint32_t m = rng_.Below(10);
      if (m == 0) W("very");
      else if (m == 1) W("still");
      else if (m == 2) W("not");
      else if (m == 3) W("also");
      W(RandAdj());
      if (rng_.Chance(0.5)) PP();
    } else if (r < 80) {
      const gen::Verb& c = lex_.control_verbs[rng_.Below(
          static_cast<uint32_t>(lex_.control_verbs.size()))];
      W(c.past);
      W("to");
      W(RandVerb().base);
      NP(depth + 1, false);
    } else if (r < 86) {
      W(kModals[rng_.Below(6)]);
      W("be");
      W(RandVerb().participle);
      if (rng_.Chance(0.6)) PP();
    } else if (r < 92) {
      W(rng_.Chance(0.5) ? (plural ? "have" : "has") : "had");
      NP(depth + 1, false);
      PP();
    } else {
      W(plural ? "were" : "was");
      W(rng_.Chance(0.5) ? "likely" : "expected");
      W("to be");
      W(RandVerb().participle);
      if (rng_.Chance(0.5)) Time();
    }
  }

  void Clause(int depth) {
    bool plural = SubjectNP(depth);
    VP(plural, depth);
  }

  void QuoteClause() {
    uint32_t r = rng_.Below(10);
    if (r < 2) {
      W("we");
      W(rng_.Chance(0.5) ? "have" : "will");
      if (out_->ends_with("have")) {
        W(RandVerb().participle);
      } else {
        W(RandVerb().base);
      }
      NP(1, false);
      PP();
    } else if (r < 4) {
      W("I");
      W(rng_.Chance(0.5) ? "think that" : "believe that");
      Clause(1);
    } else if (r < 5) {
      W("this");
      W("is");
      if (rng_.Chance(0.3)) W("not");
      const std::string& adj = RandAdj();
      W(IndefiniteArticle(adj));
      W(adj);
      W(RandNoun().singular);
      W("for");
      SimpleNP(1);
    } else {
      Clause(0);
    }
  }

  void Attribution() {
    Person& p = people_[rng_.Below(static_cast<uint32_t>(people_.size()))];
    const gen::Verb& v = lex_.speech_verbs[rng_.Below(4)];
    if (!p.mentioned) {
      W(v.past);
      MentionPerson(p, false);
      P(",");
      W("the");
      W(p.role);
      return;
    }
    uint32_t r = rng_.Below(4);
    if (r == 0 && std::count(p.role.begin(), p.role.end(), ' ') < 2) {
      W("the");
      W(p.role);
    } else if (r == 1) {
      static constexpr const char* kPronouns[3] = {"he", "she", "they"};
      W(kPronouns[p.pronoun]);
    } else {
      MentionPerson(p, false);
    }
    W(v.past);
  }

  void OrdinarySentence() {
    uint32_t r = rng_.Below(100);
    if (r < 20) {
      Clause(0);
      if (rng_.Chance(0.3)) PP();
      if (rng_.Chance(0.35)) Time();
      P(".");
    } else if (r < 28) {
      Time();
      P(",");
      Clause(0);
      P(".");
    } else if (r < 38) {
      Clause(0);
      P(",");
      W(rng_.Chance(0.4) ? "and" : (rng_.Chance(0.5) ? "but" : "while"));
      Clause(1);
      P(".");
    } else if (r < 46) {
      Clause(0);
      static constexpr const char* kSub[5] = {"after", "because", "as",
                                              "although", "before"};
      W(kSub[rng_.Below(5)]);
      Clause(1);
      P(".");
    } else if (r < 56) {
      Person& p = people_[rng_.Below(static_cast<uint32_t>(people_.size()))];
      MentionPerson(p, rng_.Chance(0.5));
      const gen::Verb& v = lex_.speech_verbs[rng_.Below(
          static_cast<uint32_t>(lex_.speech_verbs.size()))];
      W(v.past);
      if (rng_.Chance(0.3)) Time();
      W("that");
      Clause(1);
      P(".");
    } else if (r < 62) {
      W("according to");
      if (rng_.Chance(0.5)) {
        MentionPerson(
            people_[rng_.Below(static_cast<uint32_t>(people_.size()))], false);
      } else {
        MentionOrg(orgs_[rng_.Below(static_cast<uint32_t>(orgs_.size()))]);
      }
      P(",");
      Clause(0);
      P(".");
    } else if (r < 74) {
      OpenQuote();
      size_t body = out_->size();
      QuoteClause();
      Capitalize(out_, body);
      P(",");
      CloseQuote();
      Attribution();
      P(".");
    } else if (r < 78) {
      W("there");
      bool past = rng_.Chance(0.5);
      bool plural = rng_.Chance(0.5);
      W(past ? (plural ? "were" : "was") : (plural ? "are" : "is"));
      if (plural) {
        Quantity();
        W(RandNoun().plural);
      } else {
        const gen::Noun& n = RandNoun();
        W(IndefiniteArticle(n.singular));
        W(n.singular);
      }
      PP();
      P(".");
    } else if (r < 83) {
      Clause(0);
      P(",");
      W("which");
      W(RandVerb().past);
      NP(1, false);
      P(".");
    } else if (r < 87) {
      Clause(0);
      P(",");
      W("including");
      SimpleNP(1);
      W("and");
      SimpleNP(1);
      P(".");
    } else if (r < 90) {
      W(rng_.Chance(0.5) ? "will" : "could");
      SimpleNP(1);
      W(RandVerb().base);
      NP(1, false);
      PP();
      P("?");
    } else if (r < 96) {
      NumbersSentence();
    } else {
      uint32_t k = rng_.Below(static_cast<uint32_t>(Special::kCount));
      if (used_specials_ & (1u << k)) {
        NumbersSentence();
      } else {
        SpecialSentence(static_cast<Special>(k));
      }
    }
  }

  void NumbersSentence(bool decimal = false) {
    W("the");
    W(RandNoun().singular);
    W(rng_.Chance(0.5) ? "rose" : "fell");
    W("by");
    if (decimal || rng_.Chance(0.5)) {
      Decimal(12);
    } else {
      Number(rng_.Range(2, 40));
    }
    W("percent");
    if (rng_.Chance(0.5)) {
      W("to");
      out_->append(" $");
      space_ = false;
      Decimal(90);
      W(rng_.Chance(0.5) ? "million" : "billion");
    }
    Time();
    P(".");
  }

  void SpecialSentence(Special s) {
    used_specials_ |= 1u << static_cast<int>(s);
    switch (s) {
      case Special::kUsAbbreviation:
        W("the U.S.");
        W(RandNoun().singular);
        W(RandVerb().past);
        NP(1, false);
        W("in");
        W(places_[0]);
        Time();
        P(".");
        break;
      case Special::kEg:
        W("some");
        W(RandNoun().plural);
        W("(e.g.");
        W(RandNoun().plural);
        W("and");
        W(RandNoun().plural);
        P(")");
        W(rng_.Chance(0.5) ? "were" : "are");
        W(RandVerb().participle);
        PP();
        P(".");
        break;
      case Special::kDecimal:
        NumbersSentence(/*decimal=*/true);
        break;
      case Special::kDomain:
        W("the full");
        W(RandNoun().singular);
        W("is available on the website");
        W(domain_);
        P(",");
        W("and it will be");
        W(RandVerb().participle);
        Time();
        P(".");
        break;
      case Special::kInitials: {
        Person& p = people_[0];
        W(p.display);
        if (!p.mentioned) {
          P(",");
          W(IndefiniteArticle(p.role));
          W(p.role);
          P(",");
        }
        p.mentioned = true;
        W("said the");
        W(RandNoun().singular);
        W(rng_.Chance(0.5) ? "was" : "had been");
        W(RandAdj());
        P(".");
        break;
      }
      case Special::kRepetition:
        OpenQuote();
        W("it was a very, very");
        W(RandAdj());
        W(RandNoun().singular);
        W("for");
        W(rng_.Chance(0.5) ? "all of us" : "the whole team");
        P(",");
        CloseQuote();
        Attribution();
        P(".");
        break;
      case Special::kProduct:
        W("the new version of the");
        W(product_);
        W(RandVerb().past);
        NP(1, false);
        PP();
        P(".");
        break;
      case Special::kAmpersand:
        W(firm_);
        P(",");
        W("a");
        W(rng_.Chance(0.5) ? "law firm" : "consulting firm");
        W("in");
        W(places_[0]);
        P(",");
        W(RandVerb().past);
        NP(1, false);
        P(".");
        break;
      case Special::kCount:
        break;
    }
  }

  void FallbackSentence() {
    W("the");
    W(RandNoun().singular);
    W(RandVerb().past);
    W("the");
    W(RandAdj());
    W(RandNoun().singular);
    W("of the");
    W(RandNoun().singular);
    W("in");
    W(places_[0]);
    W("last week");
    P(".");
  }

  Rng& rng_;
  const Lexicon& lex_;
  int topic_;
  bool curly_;
  int base_year_;
  std::string* out_ = nullptr;
  int words_ = 0;
  bool space_ = false;
  std::string num_;
  std::vector<Person> people_;
  std::vector<std::string> places_;
  std::vector<Org> orgs_;
  std::string product_, domain_, firm_;
  uint32_t used_specials_ = 0;
};

}  // namespace

std::string MakeName(Rng& rng, int syllables) {
  std::string name;
  name.reserve(16);
  for (int i = 0; i < syllables; ++i) {
    name += kOnsets[rng.Below(kOnsets.size())];
    name += kVowels[rng.Below(kVowels.size())];
    if (i + 1 == syllables || rng.Chance(0.3)) {
      name += kCodas[rng.Below(kCodas.size())];
    }
  }
  while (name.size() < 3) {
    name += kOnsets[rng.Below(kOnsets.size() - 2)];
    name += kVowels[rng.Below(kVowels.size())];
  }
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

void AppendThousands(int64_t n, std::string* out) {
  if (n < 0) {
    out->push_back('-');
    n = -n;
  }
  char buf[32];
  int len = 0;
  int digits = 0;
  do {
    if (digits > 0 && digits % 3 == 0) buf[len++] = ',';
    buf[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
    ++digits;
  } while (n > 0);
  for (int i = len - 1; i >= 0; --i) out->push_back(buf[i]);
}

void Article::AppendText(std::string* out) const {
  out->append(headline);
  for (size_t i = 0; i < num_blocks; ++i) {
    out->append("\n\n");
    out->append(blocks[i].text);
  }
}

int Article::Words() const {
  int w = 0;
  for (size_t i = 0; i < num_blocks; ++i) w += blocks[i].words;
  return w;
}

void WriteArticle(Rng& rng, const ArticleOptions& options, Article* article) {
  const Lexicon& lex = Lexicon::Get();
  article->Clear();
  article->topic = static_cast<int>(rng.Below(static_cast<uint32_t>(lex.topics.size())));
  bool curly = options.force_specials || rng.Chance(0.75);
  Composer c(rng, article->topic, curly, 2016 + rng.Range(0, 8));
  c.NewCast(options.force_specials);
  c.Headline(&article->headline);

  // One draw per statement (see Composer::NewCast).
  int paragraphs = rng.Range(3, 6);
  if (rng.Chance(0.5)) paragraphs += rng.Range(0, 6);
  if (options.force_specials) paragraphs = std::max(paragraphs, 7);
  std::array<int, static_cast<size_t>(Special::kCount)> pending{};
  int n_pending = 0;
  if (options.force_specials) {
    for (size_t i = 0; i < pending.size(); ++i) pending[n_pending++] = static_cast<int>(i);
  }
  int forced_subheads = options.force_specials ? 2 : 0;
  size_t bytes = article->headline.size();
  bool last_subhead = true;
  for (int p = 0;;) {
    if (options.target_bytes > 0) {
      if (bytes >= static_cast<size_t>(options.target_bytes) && p > 0) break;
    } else if (p >= paragraphs && n_pending == 0) {
      break;
    }
    bool want_subhead = p >= 2 && !last_subhead &&
                        (forced_subheads > 0 || rng.Chance(0.15));
    if (want_subhead) {
      Block& sub = article->AddBlock();
      sub.subhead = true;
      for (int attempt = 0; attempt < 8; ++attempt) {
        sub.text.clear();
        c.Subhead(&sub.text);
        bool repeated = sub.text == article->headline;
        for (size_t i = 0; i + 1 < article->num_blocks; ++i)
          repeated = repeated || article->blocks[i].text == sub.text;
        if (!repeated) break;
      }
      sub.words = 1 + static_cast<int>(std::count(sub.text.begin(), sub.text.end(), ' '));
      bytes += sub.text.size() + 2;
      last_subhead = true;
      if (forced_subheads > 0) --forced_subheads;
      continue;
    }
    last_subhead = false;
    ++p;
    Block& b = article->AddBlock();
    int sentences = rng.Range(2, 6);
    for (int s = 0; s < sentences; ++s) {
      if (options.target_bytes > 0 && s >= 2 &&
          bytes + b.text.size() >= static_cast<size_t>(options.target_bytes)) {
        break;
      }
      if (s + 1 < sentences && rng.Chance(0.08)) {
        b.words += c.QuotedPair(&b.text, &b);
        ++s;
        continue;
      }
      int special = -1;
      if (n_pending > 0 && (s == 1 || s == 3)) special = pending[--n_pending];
      b.words += c.Sentence(&b.text, special);
      b.sentence_ends.push_back(static_cast<uint32_t>(b.text.size()));
    }
    bytes += b.text.size() + 2;
  }
  // An article never ends with a subheading.
  while (article->num_blocks > 0 &&
         article->blocks[article->num_blocks - 1].subhead) {
    --article->num_blocks;
  }
}

void AppendSentence(Rng& rng, std::string* out) {
  const Lexicon& lex = Lexicon::Get();
  // One draw per statement, in the order gcc used (see Composer::NewCast).
  bool curly = rng.Chance(0.75);
  int topic = static_cast<int>(rng.Below(static_cast<uint32_t>(lex.topics.size())));
  Composer c(rng, topic, curly, 2020);
  c.NewCast(false);
  c.Sentence(out, -1);
}

std::string KeywordPhrase(Rng& rng) {
  const Lexicon& lex = Lexicon::Get();
  int topic = static_cast<int>(rng.Below(static_cast<uint32_t>(lex.topics.size())));
  std::string out;
  if (rng.Chance(0.5)) {
    out += lex.SampleAdjective(rng, topic, 0.5);
    out += ' ';
  }
  out += lex.SampleNoun(rng, topic, 0.6).plural;
  return out;
}

}  // namespace winnow::gen
