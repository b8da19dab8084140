// boilerplate_eval: measures site boilerplate removal against the
// generator's truth (GenOptions::site_templates, GenTruth::site_boilerplate).
//
//   boilerplate_eval [--docs N] [--sites N] [--seed S] [--debris F]
//                    [--junk F] [--near-dups F] [--exact-dups F]
//                    [--psl FILE] [--sweep 0|1]
//                    [--min-docs K] [--min-fraction F]
//                    [--min-docs-short K] [--min-fraction-short F]
//                    [--floor N] [--floor-short N] [--cross-site N]
//                    [--interior-run N] [--anchor-words N]
//                    [--propagate-words N] [--propagate-docs N]
//                    [--interior-short-only 0|1] [--every-page 0|1]
//                    [--repeated-fraction F]
//                    [--propagate-edges 0|1] [--interior-long-docs N]
//                    [--keep-weak-foreign 0|1] [--code-lines-stay 0|1]
//                    [--keep-enclosed 0|1]
//                    [--examples N] [--breakdown 0|1]
//
// Generates the corpus in memory, runs the keyer, the reducer and the apply
// step of boilerplate.h in process, and prints, over the lines the truth
// makes a claim about ('y' boilerplate, 'n' content): precision (P) and
// recall (R) of removed lines, recall over "repeated" boilerplate lines (R2,
// and R3 for parts on at least three pages, the floor: what a per-site
// count can see) (template parts
// -- a 'T' line's text, the site's dateline 'D' or footer 'F' -- shown on at
// least two distinct pages of the site: what the site repeats; a template
// part kept on one page only cannot be found by counting), and
// how many quotations ('Q'), stock sentences ('S') and leaked headings ('M')
// were removed, and splits the template lines by the pages their part is on
// (foreign copies, 1, 2, 3+), missed / total. --sweep 1 first prints a grid over K and F (and the short
// line thresholds); the reported run uses the options given (defaults:
// BoilerplateOptions). Exit status 0 even when targets are missed; the
// numbers are the output.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "boilerplate/boilerplate.h"
#include "boilerplate/line_key.h"
#include "boilerplate/site_key.h"
#include "gen/gen_flags.h"
#include "gen/generator.h"

namespace {

using winnow::boilerplate::BoilerplateOptions;
using winnow::boilerplate::KeyRecord;

struct Doc {
  std::string url;
  std::string text;
  std::string roles;     // GenTruth::line_roles
  std::string truth;     // GenTruth::site_boilerplate
  std::string gen_site;  // GenTruth::site
  // An exact copy of a page of another site: its template lines are that
  // site's, shown once here; they count for R but not for R2/R3.
  bool foreign_templates = false;
  // Per line: a template line whose template part (its text for 'T', the
  // site's dateline for 'D', its footer for 'F') is on at least two
  // distinct pages of the site: a line the site repeats.
  std::vector<uint32_t> repeated;  // pages of the template part (0: not 'y')
  uint64_t site_key = 0;           // 0: no site
  uint64_t site_pages = 0;         // distinct texts of the site (the counts)
  std::vector<winnow::boilerplate::LineInfo> lines;  // views into text
};

struct Metrics {
  uint64_t tp = 0, fp = 0, fn = 0, repeated = 0, tp_repeated = 0, repeated3 = 0,
           tp_repeated3 = 0;
  uint64_t removed_noclaim = 0, quotes = 0, quotes_removed = 0, stock = 0,
           stock_removed = 0, headings = 0, headings_removed = 0, too_short = 0,
           removed_lines = 0;
  // Template lines by what counting can see: [0] foreign (an exact copy of
  // another site's page), [1] the part is on one page of its site, [2] on
  // two, [3] on three or more. total and missed (false negatives).
  uint64_t by_pages[4] = {}, missed_by_pages[4] = {};
  double Precision() const {
    return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp);
  }
  double Recall() const {
    return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn);
  }
  double RecallRepeated() const {
    return repeated == 0 ? 1.0 : static_cast<double>(tp_repeated) / repeated;
  }
  double RecallRepeated3() const {
    return repeated3 == 0 ? 1.0 : static_cast<double>(tp_repeated3) / repeated3;
  }
};

int Usage() {
  std::fprintf(
      stderr,
      "usage: boilerplate_eval [--docs N] [--sites N] [--seed S] [--debris F]\n"
      "  [--junk F] [--near-dups F] [--exact-dups F] [--psl FILE] [--sweep "
      "0|1]\n"
      "  [--min-docs K] [--min-fraction F] [--min-docs-short K]\n"
      "  [--min-fraction-short F] [--floor N] [--floor-short N]\n"
      "  [--cross-site N] [--interior-run N] [--anchor-words N]\n"
      "  [--propagate-words N] [--propagate-docs N]\n"
      "  [--interior-short-only 0|1] [--every-page 0|1]\n"
      "  [--repeated-fraction F]\n"
      "  [--propagate-edges 0|1] [--interior-long-docs N]\n"
      "  [--keep-weak-foreign 0|1] [--code-lines-stay 0|1]\n"
      "  [--keep-enclosed 0|1]\n"
      "  [--examples N] [--breakdown 0|1]\n");
  return 2;
}

using winnow::ParseDoubleFlag;
using winnow::ParseIntFlag;

// Distinct texts per (site, line) over the corpus, for "detectable".
using GroupCounts = std::unordered_map<uint64_t, uint64_t>;
uint64_t PairKey(uint64_t site, uint64_t line) {
  return site * 0x9e3779b97f4a7c15ULL ^ line;
}

// Scores a removal decision given per-document per-line flags.
int g_examples = 0;  // --examples: errors to print
bool g_breakdown = false;  // --breakdown: missed template lines by category

// What a template line of the generator is, from its role and text.
const char* TemplateKind(char role, std::string_view t) {
  if (role == 'D') return "dateline";
  if (role == 'F') return "footer";
  auto starts = [&](std::string_view p) { return t.substr(0, p.size()) == p; };
  auto has = [&](std::string_view p) { return t.find(p) != std::string_view::npos; };
  if (starts("This site uses cookies") || starts("We use cookies")) return "cookie";
  if (starts("The views expressed")) return "disclaimer";
  if (starts("Contacts:")) return "contact";
  if (has("ubscribe") || starts("Follow ")) return "plea";
  if (t == "Share" || t == "Tweet" || t == "Email" || t == "Print" ||
      t == "Share this article")
    return "share";
  if (t == "Read also" || t == "Related articles" || t == "More news" ||
      t == "You may also like")
    return "related";
  if (has("\xc2\xbb") || has("\xe2\x80\xba") || has("\xe2\x86\x92") ||
      has("\xe2\x86\x91"))
    return "nav";
  if (t == "News" || t == "Latest" || has(" | ") || has(" \xc2\xb7 ") ||
      has(" / ") || has("   "))
    return "menu";
  return "title";
}

// Category counters of the breakdown: key -> {missed, total}.
std::map<std::string, std::pair<uint64_t, uint64_t>> g_by_kind, g_by_class_kind,
    g_by_site_size, g_by_position, g_by_class_size;
std::vector<std::string> g_quotes_removed;
// Distinct sites holding each line key (for "undetectable": a template
// line on one page of its site that no other site holds).
std::unordered_map<uint64_t, uint32_t> g_line_sites;
uint64_t g_undetectable = 0, g_undetectable_removed = 0;

const char* SizeBucket(uint64_t n) {
  return n <= 1 ? "1" : n <= 2 ? "2" : n <= 4 ? "3-4" : n <= 9 ? "5-9"
         : n <= 19 ? "10-19" : n <= 99 ? "20-99" : n <= 999 ? "100-999" : "1000+";
}

void Score(const Doc& d, const std::vector<char>& removed, bool too_short,
           const GroupCounts& counts, Metrics* m) {
  auto show = [&](const char* what, size_t l) {
    if (g_examples <= 0) return;
    --g_examples;
    uint64_t key = d.lines[l].key;
    auto it = counts.find(PairKey(d.site_key, key));
    std::printf(
        "  %s role %c docs %llu url %s | %.*s\n", what, d.roles[l],
        static_cast<unsigned long long>(it == counts.end() ? 0 : it->second),
        d.url.c_str(),
        static_cast<int>(std::min<size_t>(d.lines[l].text.size(), 120)),
        d.lines[l].text.data());
  };
  for (size_t l = 0; l < d.truth.size() && l < removed.size(); ++l) {
    char truth = d.truth[l];
    char role = d.roles[l];
    bool r = removed[l] != 0;
    m->removed_lines += r;
    if (role == 'Q') {
      ++m->quotes;
      m->quotes_removed += r;
      if (r && g_breakdown) {
        auto it = counts.find(PairKey(d.site_key, d.lines[l].key));
        g_quotes_removed.push_back(
            "site pages " + std::to_string(d.site_pages) + ", line on " +
            std::to_string(it == counts.end() ? 0 : it->second) +
            " pages of the site, line " + std::to_string(l) + " of " +
            std::to_string(d.lines.size()) + ", " + d.url);
        if (g_quotes_removed.size() <= 3) {
          for (size_t j = 0; j < d.lines.size() && j < d.roles.size(); ++j) {
            auto c = counts.find(PairKey(d.site_key, d.lines[j].key));
            std::printf("    %c %c %3llu | %.*s\n", removed[j] ? 'X' : ' ',
                        d.roles[j],
                        static_cast<unsigned long long>(
                            c == counts.end() ? 0 : c->second),
                        static_cast<int>(std::min<size_t>(d.lines[j].text.size(), 90)),
                        d.lines[j].text.data());
          }
        }
      }
    } else if (role == 'S') {
      ++m->stock;
      m->stock_removed += r;
    } else if (role == 'M') {
      ++m->headings;
      m->headings_removed += r;
    }
    if (truth == 'y') {
      m->tp += r;
      m->fn += !r;
      const int cls = d.foreign_templates ? 0
                      : d.repeated[l] >= 3 ? 3
                                           : static_cast<int>(d.repeated[l]);
      ++m->by_pages[cls];
      m->missed_by_pages[cls] += !r;
      if (g_breakdown) {
        static const char* kCls[4] = {"foreign", "1 page", "2 pages", "3+ pages"};
        const std::string kind = TemplateKind(role, d.lines[l].text);
        const bool short_line =
            winnow::boilerplate::IsShortLineKey(d.lines[l].key);
        bool before = false, after = false;
        for (size_t j = 0; j < d.roles.size(); ++j) {
          if (std::string_view("ASQMH").find(d.roles[j]) == std::string_view::npos)
            continue;
          (j < l ? before : after) = true;
        }
        const char* pos = !before && !after ? "page without content"
                          : !before         ? "head (before the article)"
                          : !after          ? "tail (after the article)"
                                            : "inside the article";
        auto bump = [&](auto& map, const std::string& k) {
          auto& v = map[k];
          v.first += !r;
          ++v.second;
        };
        bump(g_by_kind, kind + (short_line ? " (short)" : " (long)"));
        if (cls == 1 && g_line_sites[d.lines[l].key] <= 1) {
          ++g_undetectable;
          g_undetectable_removed += r;
        }
        bump(g_by_class_kind, std::string(kCls[cls]) + " / " + kind);
        bump(g_by_site_size, std::string(kCls[cls]) + " / site pages " +
                                 SizeBucket(d.site_pages));
        bump(g_by_position, std::string(kCls[cls]) + " / " + pos);
      }
      if (d.repeated[l] >= 2) {
        ++m->repeated;
        m->tp_repeated += r;
        if (!r) show("FN", l);
      }
      if (d.repeated[l] >= 3) {
        ++m->repeated3;
        m->tp_repeated3 += r;
      }
    } else if (truth == 'n') {
      m->fp += r;
      if (r) show("FP", l);
    } else {
      m->removed_noclaim += r;
    }
  }
  m->too_short += too_short;
}

// Runs reduce on the sorted records and decides every line from the
// precomputed keys (the same decisions ApplyBoilerplate makes).
Metrics RunFast(const BoilerplateOptions& o,
                const std::vector<KeyRecord>& sorted,
                const std::vector<Doc>& docs, const GroupCounts& counts) {
  winnow::boilerplate::SiteLineSet set, repeated;
  winnow::boilerplate::SiteGroupReducer reducer(
      o, [&](uint64_t, uint64_t site, uint64_t line) { set.Add(site, line); },
      nullptr);
  reducer.set_on_repeated([&](uint64_t, uint64_t site, uint64_t line) {
    repeated.Add(site, line);
  });
  for (const KeyRecord& r : sorted) reducer.Add(r);
  reducer.Finish();
  set.Seal();
  repeated.Seal();
  Metrics m;
  std::vector<char> removed;
  for (const Doc& d : docs) {
    removed.assign(d.lines.size(), 0);
    if (d.site_key != 0) {
      winnow::boilerplate::MarkRemovedLines(o, d.lines, set.LinesOf(d.site_key),
                                            {}, &removed,
                                            repeated.LinesOf(d.site_key));
    }
    Score(d, removed, false, counts, &m);
  }
  return m;
}

void PrintMetrics(const char* label, const Metrics& m) {
  std::printf(
      "%s P %.5f R %.5f R2 %.5f R3 %.5f | removed %llu "
      "(fp %llu, fn %llu, fn2 %llu, no-claim %llu) | quotes %llu/%llu "
      "stock %llu/%llu headings %llu/%llu | too_short %llu\n",
      label, m.Precision(), m.Recall(), m.RecallRepeated(), m.RecallRepeated3(),
      static_cast<unsigned long long>(m.removed_lines),
      static_cast<unsigned long long>(m.fp),
      static_cast<unsigned long long>(m.fn),
      static_cast<unsigned long long>(m.repeated - m.tp_repeated),
      static_cast<unsigned long long>(m.removed_noclaim),
      static_cast<unsigned long long>(m.quotes_removed),
      static_cast<unsigned long long>(m.quotes),
      static_cast<unsigned long long>(m.stock_removed),
      static_cast<unsigned long long>(m.stock),
      static_cast<unsigned long long>(m.headings_removed),
      static_cast<unsigned long long>(m.headings),
      static_cast<unsigned long long>(m.too_short));
}

}  // namespace

int main(int argc, char** argv) {
  winnow::GenOptions gen;
  gen.num_docs = 30000;
  gen.num_sites = 1000;
  gen.site_templates = true;
  gen.debris_fraction = 0.70;
  gen.junk_fraction = 0.05;
  gen.near_dup_fraction = 0.05;
  gen.exact_dup_fraction = 0.05;
  BoilerplateOptions o;
  std::string psl_path(winnow::boilerplate::kDebianPublicSuffixListPath);
  bool sweep = false;
  // The BoilerplateOptions flags: integers (at least `min`), numbers, and
  // 0|1 for the switches.
  const struct {
    std::string_view name;
    std::variant<uint32_t*, double*, bool*> field;
    int64_t min = 0;
  } option_flags[] = {
      {"--min-docs", &o.min_docs},
      {"--min-docs-short", &o.min_docs_short},
      {"--floor", &o.min_docs_floor},
      {"--floor-short", &o.min_docs_floor_short},
      {"--interior-run", &o.min_interior_run, 1},
      {"--anchor-words", &o.anchor_min_words},
      {"--propagate-words", &o.propagate_min_words},
      {"--propagate-docs", &o.propagate_min_docs},
      {"--interior-long-docs", &o.interior_long_min_docs},
      {"--min-fraction", &o.min_fraction},
      {"--min-fraction-short", &o.min_fraction_short},
      {"--repeated-fraction", &o.repeated_min_fraction},
      {"--interior-short-only", &o.interior_short_only},
      {"--every-page", &o.every_page_passes_floor},
      {"--propagate-edges", &o.propagate_edges},
      {"--keep-weak-foreign", &o.keep_weak_on_foreign_copies},
      {"--code-lines-stay", &o.code_lines_stay},
      {"--keep-enclosed", &o.keep_enclosed_head_lines},
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return Usage();
    const char* value = argv[++i];
    int64_t n = 0;
    double f = 0;
    const winnow::GenFlag g = winnow::ParseGenFlag(flag, value, &gen);
    if (g == winnow::GenFlag::kBad) return Usage();
    if (g == winnow::GenFlag::kSet) continue;
    bool done = false;
    for (const auto& opt : option_flags) {
      if (flag != opt.name) continue;
      const bool parsed = std::visit(
          [&](auto* field) {
            using T = std::remove_pointer_t<decltype(field)>;
            if constexpr (std::is_same_v<T, double>) {
              if (!ParseDoubleFlag(value, &f)) return false;
              *field = f;
            } else {
              if (!ParseIntFlag(value, &n)) return false;
              if constexpr (std::is_same_v<T, bool>) {
                *field = n != 0;
              } else {
                if (n < opt.min) return false;
                *field = static_cast<T>(n);
              }
            }
            return true;
          },
          opt.field);
      if (!parsed) return Usage();
      done = true;
    }
    if (done) continue;
    if (flag == "--breakdown" && ParseIntFlag(value, &n)) {
      g_breakdown = n != 0;
    } else if (flag == "--examples" && ParseIntFlag(value, &n)) {
      g_examples = static_cast<int>(n);
    } else if (flag == "--psl") {
      psl_path = value;
    } else if (flag == "--sweep" && ParseIntFlag(value, &n)) {
      sweep = n != 0;
    } else if (flag == "--cross-site" && ParseIntFlag(value, &n) && n >= 0) {
      o.cross_site = n > 0 ? winnow::boilerplate::CrossSiteMode::kRemove
                           : winnow::boilerplate::CrossSiteMode::kKeep;
      o.cross_site_min_sites = static_cast<uint32_t>(n);
    } else {
      return Usage();
    }
  }
  winnow::Status valid = winnow::boilerplate::ValidateOptions(o);
  if (!valid.ok()) {
    std::fprintf(stderr, "boilerplate_eval: %s\n", valid.ToString().c_str());
    return 2;
  }
  std::ifstream psl_in(psl_path);
  if (!psl_in) {
    std::fprintf(
        stderr, "boilerplate_eval: cannot read %s (apt install publicsuffix)\n",
        psl_path.c_str());
    return 1;
  }
  std::stringstream psl_text;
  psl_text << psl_in.rdbuf();
  auto psl = winnow::boilerplate::PublicSuffixList::Parse(psl_text.str());
  if (!psl.ok()) {
    std::fprintf(stderr, "boilerplate_eval: %s\n",
                 psl.status().ToString().c_str());
    return 1;
  }

  auto t0 = std::chrono::steady_clock::now();
  std::vector<Doc> docs;
  simdjson::dom::parser parser;
  std::string pending_doc;
  std::vector<std::string> site_by_index;
  winnow::Status st = winnow::GenerateCorpusWithTruth(
      gen, [&](std::string_view line) { pending_doc.assign(line); },
      [&](const winnow::GenTruth& t) {
        site_by_index.push_back(t.site);
        if (t.kind == winnow::GenKind::kBad) return;
        simdjson::dom::element e;
        std::string_view text, url;
        if (parser.parse(pending_doc).get(e) || e["text"].get(text) ||
            e["metadata"]["url"].get(url)) {
          return;
        }
        Doc d;
        d.url = url;
        d.text = text;
        d.roles = t.line_roles;
        d.truth = t.site_boilerplate;
        d.gen_site = t.site;
        d.foreign_templates =
            t.kind == winnow::GenKind::kExactDup && t.source >= 0 &&
            site_by_index[static_cast<size_t>(t.source)] != t.site;
        docs.push_back(std::move(d));
      });
  if (!st.ok()) {
    std::fprintf(stderr, "boilerplate_eval: %s\n", st.ToString().c_str());
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();

  // Keys once (they depend only on the short-line shape, fixed here).
  std::vector<KeyRecord> records;
  winnow::boilerplate::DocumentKeyer keyer(psl->get(), o);
  std::string scratch;
  std::unordered_set<uint64_t> sites;
  uint64_t text_bytes = 0;
  for (Doc& d : docs) {
    keyer.Keys(d.url, d.text, 0, &records, nullptr);
    d.site_key = keyer.site_key();
    text_bytes += d.text.size();
  }
  auto t_keyer = std::chrono::steady_clock::now();
  for (Doc& d : docs) {
    if (d.site_key != 0) sites.insert(d.site_key);
    winnow::boilerplate::KeyLines(o, d.text, &d.lines, &scratch);
  }
  {
    // Template parts shown on >= 2 distinct pages (texts) of their site.
    std::unordered_map<std::string, std::unordered_set<uint64_t>> pages;
    auto slot = [](const Doc& d, size_t l) {
      std::string k = d.gen_site;
      k.push_back('\0');
      k.push_back(d.roles[l]);
      if (d.roles[l] == 'T') k.append(d.lines[l].text);
      return k;
    };
    for (const Doc& d : docs) {
      uint64_t text_key = winnow::boilerplate::TextKey(d.text);
      if (d.foreign_templates) continue;
      for (size_t l = 0; l < d.truth.size() && l < d.lines.size(); ++l)
        if (d.truth[l] == 'y') pages[slot(d, l)].insert(text_key);
    }
    for (Doc& d : docs) {
      d.repeated.assign(d.lines.size(), 0);
      for (size_t l = 0; l < d.truth.size() && l < d.lines.size(); ++l)
        if (d.truth[l] == 'y' && !d.foreign_templates)
          d.repeated[l] = static_cast<uint32_t>(pages[slot(d, l)].size());
    }
  }
  std::sort(records.begin(), records.end());
  GroupCounts counts;
  {
    uint64_t prev_site = 0, prev_line = 0, prev_val = 0;
    bool have = false;
    for (const KeyRecord& r : records) {
      if (r.key_lo <= winnow::boilerplate::kSiteShardLine) continue;
      if (have && r.key_hi == prev_site && r.key_lo == prev_line &&
          r.value == prev_val)
        continue;
      ++counts[PairKey(r.key_hi, r.key_lo)];
      prev_site = r.key_hi;
      prev_line = r.key_lo;
      prev_val = r.value;
      have = true;
    }
  }
  {
    std::unordered_map<uint64_t, uint64_t> site_pages;
    uint64_t prev_site = 0, prev_val = 0;
    bool have = false;
    for (const KeyRecord& r : records) {
      if (r.key_lo != winnow::boilerplate::kSiteDocsLine) continue;
      if (have && r.key_hi == prev_site && r.value == prev_val) continue;
      ++site_pages[r.key_hi];
      prev_site = r.key_hi;
      prev_val = r.value;
      have = true;
    }
    for (Doc& d : docs) d.site_pages = site_pages[d.site_key];
    uint64_t ps = 0, pl = 0;
    bool hp = false;
    for (const KeyRecord& r : records) {
      if (r.key_lo <= winnow::boilerplate::kSiteShardLine) continue;
      if (hp && r.key_hi == ps && r.key_lo == pl) continue;
      ++g_line_sites[r.key_lo];
      ps = r.key_hi;
      pl = r.key_lo;
      hp = true;
    }
  }
  auto t2 = std::chrono::steady_clock::now();
  const double keyer_s = std::chrono::duration<double>(t_keyer - t1).count();
  std::printf(
      "corpus: %zu documents (bad records skipped), %.1f MB, %zu sites, seed "
      "%llu; "
      "generate %.2f s; map keys %.2f s (%.0f MB/s, one thread); truth %.2f "
      "s\n",
      docs.size(), text_bytes / 1e6, sites.size(),
      static_cast<unsigned long long>(gen.seed),
      std::chrono::duration<double>(t1 - t0).count(), keyer_s,
      text_bytes / 1e6 / keyer_s,
      std::chrono::duration<double>(t2 - t_keyer).count());

  if (sweep) {
    std::printf(
        "\nsweep over min_docs_floor, K (min_docs) and F (min_fraction); short "
        "lines use the same K and F here\n");
    const uint32_t ks[] = {5, 10, 20, 50, 100, 200, 1000, 0};
    const double fs[] = {0.05, 0.1, 0.15, 0.2, 0.3, 0.5};
    for (uint32_t floor : {2u, 3u}) {
      for (uint32_t k : ks) {
        for (double f : fs) {
          BoilerplateOptions s = o;
          s.min_docs = s.min_docs_short = k;
          s.min_fraction = s.min_fraction_short = f;
          s.min_docs_floor = floor;
          char label[64];
          std::snprintf(label, sizeof(label), "floor=%u K=%-3u F=%.2f", floor,
                        k, f);
          PrintMetrics(label, RunFast(s, records, docs, counts));
        }
      }
    }
    std::printf(
        "\nsweep over the short-line thresholds (K=%u F=%.2f for other "
        "lines)\n",
        o.min_docs, o.min_fraction);
    const uint32_t kss[] = {3, 5, 10, 20, 50, 0};
    const double fss[] = {0.05, 0.1, 0.15, 0.3};
    for (uint32_t k : kss) {
      for (double f : fss) {
        BoilerplateOptions s = o;
        s.min_docs_short = k;
        s.min_fraction_short = f;
        char label[64];
        std::snprintf(label, sizeof(label), "Ks=%-3u Fs=%.2f", k, f);
        PrintMetrics(label, RunFast(s, records, docs, counts));
      }
    }
    std::printf("\n");
  }

  // The reported run: the whole in-memory path, ApplyBoilerplate included.
  auto t3 = std::chrono::steady_clock::now();
  winnow::boilerplate::InMemoryBoilerplate bp(psl->get(), o);
  for (const Doc& d : docs) bp.AddDocument(d.url, d.text);
  bp.Compute();
  Metrics m;
  std::string out;
  std::vector<std::string_view> removed_views;
  std::vector<char> removed;
  std::vector<size_t> starts;
  for (const Doc& d : docs) {
    removed_views.clear();
    winnow::boilerplate::ApplyResult r =
        bp.Apply(d.url, d.text, &out, &removed_views);
    starts.clear();
    for (const auto& l : d.lines)
      starts.push_back(static_cast<size_t>(l.text.data() - d.text.data()));
    removed.assign(d.lines.size(), 0);
    for (std::string_view v : removed_views) {
      size_t off = static_cast<size_t>(v.data() - d.text.data());
      size_t idx = static_cast<size_t>(
                       std::upper_bound(starts.begin(), starts.end(), off) -
                       starts.begin()) -
                   1;
      removed[idx] = 1;
    }
    Score(d, removed, r.too_short, counts, &m);
  }
  auto t4 = std::chrono::steady_clock::now();
  std::printf(
      "options: K=%u F=%.2f Ks=%u Fs=%.2f floor=%u floor_short=%u short<=%u "
      "words/%u "
      "bytes cross_site=%u interior_run=%u anchor_words=%u short_only=%d "
      "repeated_fraction=%.2f\n",
      o.min_docs, o.min_fraction, o.min_docs_short, o.min_fraction_short,
      o.min_docs_floor, o.min_docs_floor_short, o.short_line_max_words,
      o.short_line_max_bytes,
      o.cross_site == winnow::boilerplate::CrossSiteMode::kRemove
          ? o.cross_site_min_sites
          : 0,
      o.min_interior_run, o.anchor_min_words, o.interior_short_only ? 1 : 0,
      o.repeated_min_fraction);
  PrintMetrics("result:", m);
  {
    static const char* kClass[4] = {"foreign (exact copy on another site)",
                                    "part on 1 page of its site",
                                    "part on 2 pages", "part on 3+ pages"};
    uint64_t total = 0;
    for (uint64_t v : m.by_pages) total += v;
    std::printf("template lines by pages of their part (missed / total):\n");
    for (int c = 0; c < 4; ++c) {
      std::printf("  %-38s %7llu / %7llu (%.2f%% of template lines)\n",
                  kClass[c],
                  static_cast<unsigned long long>(m.missed_by_pages[c]),
                  static_cast<unsigned long long>(m.by_pages[c]),
                  total == 0 ? 0.0 : 100.0 * m.by_pages[c] / total);
    }
  }
  std::printf(
      "sites: %llu registered, %llu ip, %llu suffix-host, %llu no url, %llu "
      "malformed; "
      "boilerplate groups %zu; in-memory run %.2f s\n",
      static_cast<unsigned long long>(bp.outcome_count(
          winnow::boilerplate::SiteOutcome::kRegisteredDomain)),
      static_cast<unsigned long long>(
          bp.outcome_count(winnow::boilerplate::SiteOutcome::kIpAddress)),
      static_cast<unsigned long long>(
          bp.outcome_count(winnow::boilerplate::SiteOutcome::kSuffixHost)),
      static_cast<unsigned long long>(
          bp.outcome_count(winnow::boilerplate::SiteOutcome::kNoUrl)),
      static_cast<unsigned long long>(
          bp.outcome_count(winnow::boilerplate::SiteOutcome::kMalformedUrl)),
      bp.groups().size(), std::chrono::duration<double>(t4 - t3).count());
  if (g_breakdown) {
    auto print = [](const char* title, const auto& map) {
      std::printf("missed template lines by %s (missed / total):\n", title);
      for (const auto& [k, v] : map) {
        if (v.first == 0) continue;
        std::printf("  %-48s %7llu / %7llu\n", k.c_str(),
                    static_cast<unsigned long long>(v.first),
                    static_cast<unsigned long long>(v.second));
      }
    };
    print("kind", g_by_kind);
    print("class / kind", g_by_class_kind);
    print("class / site size", g_by_site_size);
    print("class / position", g_by_position);
    const uint64_t det = m.tp + m.fn - g_undetectable;
    const uint64_t det_tp = m.tp - g_undetectable_removed;
    std::printf(
        "undetectable in principle (part on 1 page of its site, line on no "
        "other site): %llu template lines (%llu removed); R over the rest "
        "%.5f (%llu missed of %llu)\n",
        static_cast<unsigned long long>(g_undetectable),
        static_cast<unsigned long long>(g_undetectable_removed),
        det == 0 ? 1.0 : static_cast<double>(det_tp) / det,
        static_cast<unsigned long long>(det - det_tp),
        static_cast<unsigned long long>(det));
    std::printf("quotation lines removed: %zu\n", g_quotes_removed.size());
    for (const std::string& q : g_quotes_removed) std::printf("  %s\n", q.c_str());
  }
  const bool base = m.Precision() >= 0.995 && m.quotes_removed == 0;
  std::printf(
      "targets (P >= 0.995, 0 quotations removed, recall >= 0.99): over lines "
      "on 3+ pages of their site (R3, what a per-site count can see): %s; "
      "over lines on 2+ pages (R2): %s; over every template line (R %.5f): "
      "%s\n",
      base && m.RecallRepeated3() >= 0.99 ? "met" : "NOT met",
      base && m.RecallRepeated() >= 0.99 ? "met" : "NOT met", m.Recall(),
      base && m.Recall() >= 0.99 ? "met" : "NOT met");
  return 0;
}
