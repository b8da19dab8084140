#include "report/report.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "io/output_file.h"
#include "pipeline/spill.h"
#include "report/html.h"
#include "report/line_diff.h"
#include "report/run_output.h"
#include "report/svg_chart.h"

namespace winnow::report {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t HashBytes(std::string_view s, uint64_t seed) {
  uint64_t h = 0xCBF29CE484222325ull ^ seed;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return Mix(h);
}

// Keeps the k items with the smallest hash: a deterministic uniform sample
// that does not depend on the order items arrive in.
template <typename T>
class BottomK {
 public:
  explicit BottomK(size_t k) : k_(k) {}
  // True when an item with this hash would be kept (build it only then).
  bool Wants(uint64_t hash) const { return k_ > 0 && (items_.size() < k_ || hash < items_.front().first); }
  void Add(uint64_t hash, T item) {
    if (!Wants(hash)) return;
    items_.emplace_back(hash, std::move(item));
    std::push_heap(items_.begin(), items_.end(), Less);
    if (items_.size() > k_) {
      std::pop_heap(items_.begin(), items_.end(), Less);
      items_.pop_back();
    }
  }
  // Items by ascending hash.
  std::vector<T*> Sorted() {
    std::sort(items_.begin(), items_.end(), Less);
    std::vector<T*> out;
    for (auto& [h, t] : items_) out.push_back(&t);
    return out;
  }
  size_t size() const { return items_.size(); }

 private:
  static bool Less(const std::pair<uint64_t, T>& a, const std::pair<uint64_t, T>& b) {
    return a.first < b.first;
  }
  size_t k_;
  std::vector<std::pair<uint64_t, T>> items_;
};

std::string_view GetString(simdjson::dom::object obj, const char* key) {
  std::string_view sv;
  if (obj[key].get(sv)) return {};
  return sv;
}

std::string GetRawOrString(simdjson::dom::object obj, const char* key) {
  simdjson::dom::element e;
  if (obj[key].get(e)) return {};
  std::string_view sv;
  if (!e.get(sv)) return std::string(sv);
  return simdjson::minify(e);
}

struct SampleDoc {
  std::string id, url, text, details, shard;
  int64_t bytes = 0;
};

struct SignalKey {
  std::string step, name;
  friend bool operator<(const SignalKey& a, const SignalKey& b) {
    return std::tie(a.step, a.name) < std::tie(b.step, b.name);
  }
};

// One sampled document's values for the signal histograms.
struct SignalPoint {
  bool kept = false;
  std::vector<std::pair<uint16_t, float>> values;
};

struct ReasonKey {
  std::string step, reason;
  friend bool operator<(const ReasonKey& a, const ReasonKey& b) {
    return std::tie(a.step, a.reason) < std::tie(b.step, b.reason);
  }
};

struct ReasonInfo {
  bool has_threshold = false;
  double threshold = 0;
  std::map<uint16_t, int64_t> signal_votes;  // signal id -> docs whose value matched
  BottomK<double> values{20000};              // details.value of removed docs
  int64_t count = 0;
};

struct Cluster {
  int64_t size = 0;
  int64_t removed_seen = 0;
  std::vector<std::string> member_ids;  // up to 3
  std::string member_excerpt;
  std::string kept_file;
  // Resolved from the inputs.
  std::string kept_id, kept_excerpt;
  bool resolved = false;
};

struct CleaningCandidate {
  std::string id, output_text, input_text, shard;
  bool found = false;
};

struct RejectedSample {
  std::string file, reason, error, excerpt;
  int64_t offset = 0;
};

// Length bins in bytes (log scale).
const std::vector<double>& LengthEdges() {
  static const std::vector<double> edges = {0,    10,    30,    100,   300,   1000,    3000,
                                            10000, 30000, 100000, 300000, 1000000, 1e12};
  return edges;
}

size_t LengthBin(double bytes) {
  const auto& e = LengthEdges();
  size_t i = static_cast<size_t>(std::upper_bound(e.begin(), e.end(), bytes) - e.begin());
  return std::min(i == 0 ? 0 : i - 1, e.size() - 2);
}

class Collector {
 public:
  Collector(const ReportOptions& o, const RunInfo& info)
      : o_(o), info_(info), points_(o.signal_sample_docs), kept_samples_(o.samples_per_reason),
        cleaning_(o.reread_inputs ? std::max<size_t>(o.cleaning_examples * 30, 60) : 0) {
    len_all_.assign(LengthEdges().size() - 1, 0);
    len_kept_.assign(LengthEdges().size() - 1, 0);
  }

  void AddRecord(bool kept, simdjson::dom::object rec, const std::string& shard,
                 uint64_t hash) {
    ++docs_;
    std::string id = GetRawOrString(rec, "id");
    std::string_view text = GetString(rec, "text");
    simdjson::dom::object meta;
    bool has_meta = !rec["metadata"].get(meta);
    size_t lb = LengthBin(static_cast<double>(text.size()));
    len_all_[lb]++;
    if (kept) len_kept_[lb]++;
    std::string lang = "(none)";
    std::string url;
    simdjson::dom::object winnow_obj, signals, dedup;
    bool has_winnow = false, has_signals = false, has_dedup = false;
    if (has_meta) {
      std::string_view l = GetString(meta, "language");
      if (!l.empty()) lang = std::string(l);
      url = std::string(GetString(meta, "url"));
      has_winnow = !meta["winnow"].get(winnow_obj);
      has_dedup = !meta["dedup"].get(dedup);
      if (has_winnow) has_signals = !winnow_obj["signals"].get(signals);
      if (has_winnow && lang == "(none)") {
        std::string_view wl = GetString(winnow_obj, "language");
        if (!wl.empty()) lang = std::string(wl);
      }
    }
    auto& lc = langs_[lang];
    lc.first++;
    if (kept) lc.second++;

    std::string_view removed_by, reason;
    simdjson::dom::object details;
    bool has_details = false;
    if (has_winnow) {
      removed_by = GetString(winnow_obj, "removed_by");
      reason = GetString(winnow_obj, "reason");
      has_details = !winnow_obj["details"].get(details);
    }

    // Signals of this document.
    SignalPoint point;
    point.kept = kept;
    std::vector<std::pair<uint16_t, double>> doc_values;
    if (has_signals) {
      for (auto step_field : signals) {
        simdjson::dom::object step_obj;
        if (step_field.value.get(step_obj)) continue;
        for (auto f : step_obj) {
          double v;
          if (f.value.get(v)) {
            int64_t iv;
            if (f.value.get(iv)) continue;
            v = static_cast<double>(iv);
          }
          uint16_t sid = SignalId(std::string(step_field.key), std::string(f.key));
          if (sid == kNoSignal) continue;
          doc_values.emplace_back(sid, v);
          point.values.emplace_back(sid, static_cast<float>(v));
        }
      }
    }
    if (!point.values.empty()) points_.Add(hash, std::move(point));

    if (kept) {
      if (kept_samples_.Wants(hash)) kept_samples_.Add(hash, MakeSample(id, url, text, "", shard));
      if (cleaning_.Wants(hash) && text.size() <= (64u << 10)) {
        CleaningCandidate c;
        c.id = id;
        c.output_text = std::string(text);
        c.shard = shard;
        cleaning_.Add(hash, std::move(c));
      }
    } else {
      ReasonKey rk{std::string(removed_by), std::string(reason)};
      ReasonInfo& ri = reasons_[rk];
      ri.count++;
      auto it = samples_.find(rk);
      if (it == samples_.end())
        it = samples_.emplace(rk, BottomK<SampleDoc>(o_.samples_per_reason)).first;
      if (it->second.Wants(hash))
        it->second.Add(hash, MakeSample(id, url, text,
                                        has_details ? simdjson::minify(details) : "", shard));
      if (has_details) {
        double value = 0, threshold = 0;
        bool has_value = !details["value"].get(value);
        if (!has_value) {
          int64_t iv;
          if (!details["value"].get(iv)) {
            value = static_cast<double>(iv);
            has_value = true;
          }
        }
        if (!details["threshold"].get(threshold)) {
          ri.has_threshold = true;
          ri.threshold = threshold;
        } else {
          int64_t it2;
          if (!details["threshold"].get(it2)) {
            ri.has_threshold = true;
            ri.threshold = static_cast<double>(it2);
          }
        }
        if (has_value) {
          ri.values.Add(hash, value);
          for (const auto& [sid, v] : doc_values)
            if (signals_[sid].step == removed_by && v == value) ri.signal_votes[sid]++;
        }
        int64_t cluster_id = 0, cluster_size = 0;
        if (reason == "duplicate" && !details["cluster_id"].get(cluster_id)) {
          if (details["cluster_size"].get(cluster_size)) cluster_size = 0;
          Cluster& c = clusters_[cluster_id];
          c.size = std::max(c.size, cluster_size);
          c.removed_seen++;
          if (c.member_ids.size() < 3) c.member_ids.push_back(id);
          if (c.member_excerpt.empty()) c.member_excerpt = Truncated(text, 300);
          c.kept_file = std::string(GetString(details, "kept_file"));
          std::string_view kid = GetString(details, "kept_id");
          if (!kid.empty()) {
            c.kept_id = std::string(kid);
            c.resolved = true;
          }
        }
      }
    }
    if (has_dedup) {
      int64_t cluster_id = 0, cluster_size = 0;
      if (!dedup["cluster_id"].get(cluster_id)) {
        if (dedup["cluster_size"].get(cluster_size)) cluster_size = 0;
        annotate_mode_ = true;
        Cluster& c = clusters_[cluster_id];
        c.size = std::max(c.size, cluster_size);
        c.removed_seen++;
        if (c.member_ids.size() < 3) c.member_ids.push_back(id);
        if (c.member_excerpt.empty()) c.member_excerpt = Truncated(text, 300);
      }
    }
  }

  void AddRejected(simdjson::dom::object rec) {
    if (rejected_.size() >= 12) return;
    RejectedSample r;
    r.file = std::string(GetString(rec, "file"));
    r.reason = std::string(GetString(rec, "reason"));
    r.error = std::string(GetString(rec, "error"));
    r.excerpt = std::string(GetString(rec, "excerpt"));
    if (rec["offset"].get(r.offset)) r.offset = 0;
    rejected_.push_back(std::move(r));
  }

  // One pass over the inputs: originals of cleaning candidates and the kept
  // copies of the largest clusters.
  void ScanInputsForContext(std::vector<std::string>* notes) {
    if (!o_.reread_inputs) {
      notes->push_back("inputs not re-read (disabled): no cleaning diffs or kept copies");
      return;
    }
    std::unordered_map<std::string, CleaningCandidate*> by_id;
    for (CleaningCandidate* c : cleaning_.Sorted()) by_id.emplace(c->id, c);
    std::map<uint64_t, Cluster*> wanted;
    for (Cluster* c : TopClusters())
      if (!c->resolved) wanted[static_cast<uint64_t>(ClusterIdOf(c))] = c;
    if (by_id.empty() && wanted.empty()) return;
    size_t found = 0;
    std::vector<std::string> missing;
    Status st = ScanInputs(
        info_,
        [&](uint32_t file, uint64_t ordinal, const Document& doc) {
          auto w = wanted.find((uint64_t{file} << 40) | ordinal);
          if (w != wanted.end()) {
            w->second->kept_id = doc.id;
            w->second->kept_excerpt = Truncated(doc.text, 300);
            w->second->resolved = true;
            ++found;
          }
          auto it = by_id.find(doc.id);
          if (it != by_id.end() && !it->second->found && doc.format == TextFormat::kText) {
            it->second->found = true;
            it->second->input_text = doc.text;
            ++found;
          }
          return found < by_id.size() + wanted.size();
        },
        &missing);
    if (!st.ok()) notes->push_back("re-reading the inputs failed: " + st.ToString());
    for (const std::string& m : missing)
      notes->push_back("input not found, so not re-read: " + m);
    inputs_missing_ = !missing.empty();
  }

  std::vector<Cluster*> TopClusters() {
    std::vector<std::pair<int64_t, Cluster*>> all;
    for (auto& [id, c] : clusters_) all.emplace_back(id, &c);
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.second->size > b.second->size; });
    std::vector<Cluster*> out;
    for (size_t i = 0; i < all.size() && i < o_.top_clusters; ++i) out.push_back(all[i].second);
    return out;
  }
  int64_t ClusterIdOf(const Cluster* c) const {
    for (const auto& [id, cc] : clusters_)
      if (&cc == c) return id;
    return 0;
  }

  static constexpr uint16_t kNoSignal = 0xFFFF;
  uint16_t SignalId(const std::string& step, const std::string& name) {
    SignalKey key{step, name};
    auto it = signal_ids_.find(key);
    if (it != signal_ids_.end()) return it->second;
    if (signals_.size() >= 4000) return kNoSignal;
    uint16_t id = static_cast<uint16_t>(signals_.size());
    signal_ids_.emplace(key, id);
    signals_.push_back(key);
    return id;
  }

  SampleDoc MakeSample(const std::string& id, const std::string& url, std::string_view text,
                       std::string details, const std::string& shard) const {
    SampleDoc s;
    s.id = Truncated(id, 300);
    s.url = Truncated(url, 500);
    s.text = Truncated(text, o_.sample_text_bytes);
    s.details = Truncated(details, 1000);
    s.shard = shard;
    s.bytes = static_cast<int64_t>(text.size());
    return s;
  }

  const ReportOptions& o_;
  const RunInfo& info_;
  int64_t docs_ = 0;
  std::vector<int64_t> len_all_, len_kept_;
  std::map<std::string, std::pair<int64_t, int64_t>> langs_;
  std::map<SignalKey, uint16_t> signal_ids_;
  std::vector<SignalKey> signals_;
  BottomK<SignalPoint> points_;
  std::map<ReasonKey, ReasonInfo> reasons_;
  std::map<ReasonKey, BottomK<SampleDoc>> samples_;
  BottomK<SampleDoc> kept_samples_;
  BottomK<CleaningCandidate> cleaning_;
  std::map<int64_t, Cluster> clusters_;
  bool annotate_mode_ = false;
  bool inputs_missing_ = false;
  std::vector<RejectedSample> rejected_;
};

// ---------------------------------------------------------------- rendering

void Section(std::string* out, const char* id, const std::string& title) {
  *out += "<section id=\"";
  *out += id;
  *out += "\"><h2>";
  AppendEscaped(title, out);
  *out += "</h2>";
}

void Para(std::string* out, const std::string& text, const char* cls = nullptr) {
  *out += cls ? std::string("<p class=\"") + cls + "\">" : std::string("<p>");
  AppendEscaped(text, out);
  *out += "</p>";
}

void Figure(std::string* out, const std::string& svg, const std::string& caption) {
  *out += "<figure>" + svg + "<figcaption>";
  AppendEscaped(caption, out);
  *out += "</figcaption></figure>";
}

struct Table {
  explicit Table(std::string* out, std::initializer_list<const char*> heads,
                 const char* cls = "data")
      : out_(out) {
    *out_ += std::string("<table class=\"") + cls + "\"><thead><tr>";
    for (const char* h : heads) *out_ += std::string("<th>") + h + "</th>";
    *out_ += "</tr></thead><tbody>";
  }
  // Cells are escaped; a cell starting with '\x01' is raw HTML built here.
  void Row(std::initializer_list<std::string> cells) {
    *out_ += "<tr>";
    for (const std::string& c : cells) {
      bool num = !c.empty() && (std::isdigit(static_cast<unsigned char>(c[0])) || c[0] == '-') &&
                 c.find_first_not_of("0123456789.,%- KMGBsmµ") == std::string::npos;
      *out_ += num ? "<td class=\"num\">" : "<td>";
      if (!c.empty() && c[0] == '\x01')
        *out_ += c.substr(1);
      else
        AppendEscaped(c, out_);
      *out_ += "</td>";
    }
    *out_ += "</tr>";
  }
  ~Table() { *out_ += "</tbody></table>"; }
  std::string* out_;
};

std::string Raw(std::string html) { return "\x01" + html; }

double Share(int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0; }

void RenderSummary(const RunInfo& info, std::string* out) {
  const TaskStats& t = info.totals;
  Section(out, "summary", "Summary");
  *out += "<div class=\"cards\">";
  auto card = [&](const std::string& value, const std::string& label) {
    *out += "<div class=\"card\"><div class=\"v\">";
    AppendEscaped(value, out);
    *out += "</div><div class=\"l\">";
    AppendEscaped(label, out);
    *out += "</div></div>";
  };
  card(FormatCount(t.records_read), "records read (" + FormatBytes(static_cast<double>(t.bytes_read)) + ")");
  card(FormatCount(t.kept), "kept (" + FormatPercent(Share(t.kept, t.records_read)) + ", " +
                                FormatBytes(static_cast<double>(t.kept_bytes)) + ")");
  card(FormatCount(t.removed), "removed (" + FormatPercent(Share(t.removed, t.records_read)) + ")");
  card(FormatCount(t.rejected), "rejected: unreadable records");
  card(FormatSeconds(info.wall_seconds), "wall time");
  card(info.accounting_ok ? "holds" : "FAILED", "read = kept + removed + rejected");
  *out += "</div>";
  Para(out, "A document enters the steps below in order; the first step that removes it decides "
            "its reason. Kept documents are in kept/, removed ones in removed/ with "
            "metadata.winnow.removed_by and reason, unreadable records in rejected/.");
  *out += "</section>";
}

void RenderFunnel(const RunInfo& info, std::string* out) {
  const TaskStats& t = info.totals;
  Section(out, "funnel", "Funnel: what each step removed");
  BarChart docs;
  docs.title = "Documents remaining after each step";
  docs.x_label = "documents remaining";
  int64_t start = t.records_read;
  docs.bars.push_back({"read", static_cast<double>(start), FormatCount(start) + " records", "", 0});
  int64_t readable = t.records_read - t.rejected;
  docs.bars.push_back({"readable (not rejected)", static_cast<double>(readable),
                       FormatCount(readable) + "  \xE2\x88\x92" + FormatCount(t.rejected), "", 0});
  BarChart bytes;
  bytes.title = "Text bytes remaining after each step";
  bytes.x_label = "text bytes remaining (MB)";
  double in_bytes = t.steps.empty() ? static_cast<double>(t.bytes_read)
                                    : static_cast<double>(t.steps.front().bytes_in);
  bytes.bars.push_back({"input text", in_bytes / 1e6, FormatBytes(in_bytes), "", 0});
  for (const StepStats& s : t.steps) {
    int64_t removed = s.docs_in - s.docs_out;
    docs.bars.push_back({s.name, static_cast<double>(s.docs_out),
                         FormatCount(s.docs_out) + (removed ? "  \xE2\x88\x92" + FormatCount(removed) +
                                                                  " (" + FormatPercent(Share(removed, s.docs_in)) + ")"
                                                            : ""),
                         "", removed ? 2 : 1});
    double delta = static_cast<double>(s.bytes_in - s.bytes_out);
    bytes.bars.push_back({s.name, static_cast<double>(s.bytes_out) / 1e6,
                          FormatBytes(static_cast<double>(s.bytes_out)) +
                              (delta > 0 ? "  \xE2\x88\x92" + FormatBytes(delta)
                                     : delta < 0 ? "  +" + FormatBytes(-delta) : ""),
                          "", delta > 0 ? 3 : 1});
  }
  Figure(out, RenderBarChart(docs),
         "Documents left after each step, in pipeline order (red bars: the step removed "
         "documents; the note gives how many and their share of the step's input).");
  Figure(out, RenderBarChart(bytes),
         "Text bytes left after each step (orange: the step removed documents or cut text).");

  BarChart reasons;
  reasons.title = "Removed documents by reason";
  reasons.x_label = "documents removed";
  int64_t total_docs = readable > 0 ? readable : 1;
  for (const StepStats& s : t.steps)
    for (const auto& [r, n] : s.removed)
      reasons.bars.push_back({s.name + ": " + r, static_cast<double>(n),
                              FormatCount(n) + " (" + FormatPercent(Share(n, total_docs)) + " of all, " +
                                  FormatPercent(Share(n, s.docs_in)) + " of step input)",
                              "", 2});
  std::stable_sort(reasons.bars.begin(), reasons.bars.end(),
                   [](const auto& a, const auto& b) { return a.value > b.value; });
  if (!reasons.bars.empty())
    Figure(out, RenderBarChart(reasons),
           "Each removal reason: documents removed, as a share of all readable documents and of "
           "the documents that reached the step.");
  else
    Para(out, "No document was removed.", "muted");

  {
  Table tab(out, {"step", "type", "docs in", "docs out", "removed", "bytes in", "bytes out",
                  "reasons", "time"});
  for (const StepStats& s : t.steps) {
    std::string rs;
    for (const auto& [r, n] : s.removed) {
      if (!rs.empty()) rs += ", ";
      rs += r + " " + FormatCount(n) + " (" + FormatPercent(Share(n, s.docs_in)) + ")";
    }
    tab.Row({s.name, s.type, FormatCount(s.docs_in), FormatCount(s.docs_out),
             FormatPercent(Share(s.docs_in - s.docs_out, s.docs_in)),
             FormatBytes(static_cast<double>(s.bytes_in)),
             FormatBytes(static_cast<double>(s.bytes_out)), rs, FormatSeconds(s.seconds)});
  }
  }
  *out += "</section>";
}

// Histogram edges over [lo, hi] with up to `bins` bins; integer-aligned
// when every value is an integer and the range is small.
std::vector<double> MakeEdges(double lo, double hi, int bins, bool integral) {
  std::vector<double> e;
  if (!(hi > lo)) {
    hi = lo + 1;
  }
  if (integral && hi - lo + 1 <= bins) {
    for (double v = lo; v <= hi + 1; v += 1) e.push_back(v);
    return e;
  }
  double w = (hi - lo) / bins;
  if (integral) w = std::ceil(w);
  for (int i = 0; i <= bins; ++i) e.push_back(lo + w * i);
  return e;
}

std::string SignalLabel(const std::string& name) {
  static const std::map<std::string, std::string> kUnits = {
      {"n_words", "words"},
      {"n_non_symbol_words", "words"},
      {"avg_word_length", "characters per word"},
      {"stop_words", "stop words"},
      {"lines", "lines"},
      {"kept_lines", "lines"},
      {"num_sentences", "sentences"},
  };
  auto it = kUnits.find(name);
  if (it != kUnits.end()) return name + " (" + it->second + ")";
  if (name.find("ratio") != std::string::npos || name.find("frac") != std::string::npos ||
      name.find("gram") != std::string::npos)
    return name + " (fraction, 0\xE2\x80\x93" "1)";
  return name;
}

void RenderDistributions(Collector& c, const ReportOptions& o, std::string* out) {
  Section(out, "distributions", "Distributions before and after filtering");
  Para(out, "\"All\" counts every document that was read and not rejected (its text as it "
            "left the pipeline); \"kept\" counts the final output.");
  Histogram len;
  len.title = "Document length";
  len.x_label = "text length (bytes, logarithmic bins)";
  len.y_label = "documents";
  len.edges = LengthEdges();
  len.edge_labels = {"0", "10", "30", "100", "300", "1k", "3k", "10k", "30k", "100k", "300k", "1M", "\xE2\x88\x9E"};
  Histogram::Series all{"all", {}, 0}, kept{"kept", {}, 1};
  for (int64_t v : c.len_all_) all.counts.push_back(static_cast<double>(v));
  for (int64_t v : c.len_kept_) kept.counts.push_back(static_cast<double>(v));
  len.series = {all, kept};
  *out += "<div class=\"charts\">";
  Figure(out, RenderHistogram(len), "Text length of every document, all vs kept.");

  BarChart lang;
  lang.title = "Languages";
  lang.x_label = "documents";
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> langs(c.langs_.begin(), c.langs_.end());
  std::stable_sort(langs.begin(), langs.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  int64_t other_all = 0, other_kept = 0;
  for (size_t i = 0; i < langs.size(); ++i) {
    if (i >= 12) {
      other_all += langs[i].second.first;
      other_kept += langs[i].second.second;
      continue;
    }
    const auto& [l, n] = langs[i];
    lang.bars.push_back({l, static_cast<double>(n.first),
                         "all " + FormatCount(n.first) + " \xC2\xB7 kept " + FormatCount(n.second) +
                             " (" + FormatPercent(Share(n.second, n.first)) + ")",
                         "", 0});
  }
  if (other_all)
    lang.bars.push_back({"other (" + std::to_string(langs.size() - 12) + " languages)",
                         static_cast<double>(other_all),
                         "all " + FormatCount(other_all) + " \xC2\xB7 kept " + FormatCount(other_kept), "", 0});
  Figure(out, RenderBarChart(lang),
         "Documents per language (metadata.language: from the input or the language_id step), "
         "with the number and share kept.");
  *out += "</div>";

  // Quality signals.
  *out += "<h3>Quality signals</h3>";
  std::vector<SignalPoint*> points = c.points_.Sorted();
  if (c.signals_.empty()) {
    Para(out, "No document records quality signals: run the filters with write_signals: true "
              "to see full distributions. Below: the deciding values of the removed documents, "
              "from metadata.winnow.details.", "muted");
  } else {
    std::string note = "From " + FormatCount(static_cast<int64_t>(points.size())) +
                       " documents with signals";
    if (points.size() >= o.signal_sample_docs)
      note += " (a deterministic uniform sample of the run)";
    note += ". Blue: documents that reached the step; green: documents kept in the final "
            "output. Red dashed lines: thresholds, read from the removal details "
            "(metadata.winnow.details.threshold) of documents removed by that rule.";
    Para(out, note);
  }
  // Thresholds per signal, via removal reasons whose values matched it.
  std::map<uint16_t, std::vector<std::pair<double, std::string>>> markers;
  std::set<ReasonKey> reason_mapped;
  for (auto& [rk, ri] : c.reasons_) {
    if (ri.signal_votes.empty() || !ri.has_threshold) continue;
    auto best = std::max_element(ri.signal_votes.begin(), ri.signal_votes.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    markers[best->first].push_back({ri.threshold, rk.reason + " = " + FormatNumber(ri.threshold)});
    reason_mapped.insert(rk);
  }
  *out += "<div class=\"charts\">";
  for (size_t sid = 0; sid < c.signals_.size(); ++sid) {
    std::vector<double> all_v, kept_v;
    bool integral = true;
    for (SignalPoint* p : points)
      for (const auto& [id, v] : p->values)
        if (id == sid) {
          all_v.push_back(v);
          if (p->kept) kept_v.push_back(v);
          integral = integral && v == std::floor(v);
        }
    if (all_v.empty()) continue;
    std::vector<double> sorted = all_v;
    std::sort(sorted.begin(), sorted.end());
    double lo = sorted.front();
    double hi = sorted[static_cast<size_t>(std::floor(0.995 * static_cast<double>(sorted.size() - 1)))];
    bool clipped = hi < sorted.back();
    for (const auto& m : markers[static_cast<uint16_t>(sid)])
      if (m.first >= lo && m.first <= sorted.back()) hi = std::max(hi, m.first);
    std::vector<double> edges = MakeEdges(lo, hi, o.histogram_bins, integral);
    auto bin = [&](double v) {
      size_t i = static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
      return std::min(i == 0 ? 0 : i - 1, edges.size() - 2);
    };
    Histogram h;
    const SignalKey& key = c.signals_[sid];
    h.title = key.step + ": " + key.name;
    h.x_label = SignalLabel(key.name);
    h.y_label = "documents";
    h.edges = edges;
    Histogram::Series sa{"reached step", std::vector<double>(edges.size() - 1, 0), 0};
    Histogram::Series sk{"kept", std::vector<double>(edges.size() - 1, 0), 1};
    for (double v : all_v) sa.counts[bin(v)]++;
    for (double v : kept_v) sk.counts[bin(v)]++;
    h.series = {sa, sk};
    for (const auto& m : markers[static_cast<uint16_t>(sid)]) h.markers.push_back({m.first, m.second});
    std::string caption = key.step + " \xC2\xB7 " + key.name + ": " +
                          FormatCount(static_cast<int64_t>(all_v.size())) + " documents";
    if (clipped) caption += "; the top 0.5% of values (up to " + FormatNumber(sorted.back()) +
                            ") are counted in the last bin";
    if (markers[static_cast<uint16_t>(sid)].empty()) caption += "; no threshold recorded for this signal";
    Figure(out, RenderHistogram(h), caption);
  }
  // Reasons whose signal is not recorded: the values of removed documents.
  for (auto& [rk, ri] : c.reasons_) {
    if (reason_mapped.count(rk) || ri.values.size() == 0) continue;
    std::vector<double> vals;
    bool integral = true;
    for (double* v : ri.values.Sorted()) {
      vals.push_back(*v);
      integral = integral && *v == std::floor(*v);
    }
    std::sort(vals.begin(), vals.end());
    double lo = std::min(vals.front(), ri.has_threshold ? ri.threshold : vals.front());
    double hi = std::max(vals.back(), ri.has_threshold ? ri.threshold : vals.back());
    std::vector<double> edges = MakeEdges(lo, hi, o.histogram_bins, integral);
    Histogram h;
    h.title = rk.step + ": " + rk.reason + " (removed documents)";
    h.x_label = "deciding value of " + rk.reason;
    h.y_label = "removed documents";
    h.edges = edges;
    Histogram::Series s{"removed", std::vector<double>(edges.size() - 1, 0), 2};
    for (double v : vals) {
      size_t i = static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
      s.counts[std::min(i == 0 ? 0 : i - 1, edges.size() - 2)]++;
    }
    h.series = {s};
    if (ri.has_threshold) h.markers.push_back({ri.threshold, "threshold = " + FormatNumber(ri.threshold)});
    Figure(out, RenderHistogram(h),
           rk.step + " \xC2\xB7 " + rk.reason + ": deciding values of " +
               FormatCount(static_cast<int64_t>(vals.size())) +
               " removed documents (the signal itself was not recorded for kept documents).");
  }
  *out += "</div></section>";
}

void RenderDuplicates(const RunInfo& info, Collector& c, std::string* out) {
  Section(out, "duplicates", "Duplicates");
  if (c.clusters_.empty()) {
    Para(out, "No duplicate clusters in this run's output: no dedup step ran (recipe dedup, "
              "steps exact_dedup / minhash_dedup / url_dedup), or it found no duplicates.",
         "muted");
    *out += "</section>";
    return;
  }
  int64_t clusters = static_cast<int64_t>(c.clusters_.size()), removed = 0;
  struct Bucket {
    const char* label;
    int64_t lo, hi, clusters = 0, docs = 0;
  };
  std::vector<Bucket> buckets = {{"2", 2, 2},       {"3", 3, 3},        {"4", 4, 4},
                                 {"5-8", 5, 8},     {"9-16", 9, 16},    {"17-64", 17, 64},
                                 {"65-256", 65, 256}, {"257+", 257, INT64_MAX}};
  for (const auto& [id, cl] : c.clusters_) {
    removed += cl.removed_seen;
    for (Bucket& b : buckets)
      if (cl.size >= b.lo && cl.size <= b.hi) {
        b.clusters++;
        b.docs += cl.size;
      }
  }
  Para(out, FormatCount(clusters) + " clusters; " + FormatCount(removed) +
                (c.annotate_mode_ ? " documents annotated with metadata.dedup (annotate mode: "
                                    "all copies kept)."
                                  : " documents removed as copies of a kept document."));
  BarChart chart;
  chart.title = "Duplicate cluster sizes";
  chart.x_label = "clusters";
  for (const Bucket& b : buckets)
    if (b.clusters)
      chart.bars.push_back({std::string("size ") + b.label, static_cast<double>(b.clusters),
                            FormatCount(b.clusters) + " clusters \xC2\xB7 " + FormatCount(b.docs) + " documents",
                            "", 4});
  Figure(out, RenderBarChart(chart),
         "Number of clusters by size (documents per cluster, the kept copy included).");
  for (const auto& [stage, counters] : info.stages) {
    std::string line = stage + ": ";
    for (size_t i = 0; i < counters.size(); ++i)
      line += (i ? ", " : "") + counters[i].first + " " + FormatCount(counters[i].second);
    Para(out, line, "muted");
  }
  *out += "<h3>Largest clusters</h3>";
  {
  Table tab(out, {"size", "kept copy",
                  c.annotate_mode_ ? "members (examples)" : "removed copies (examples)"});
  for (Cluster* cl : c.TopClusters()) {
    std::string kept;
    if (cl->resolved) {
      kept = "<b>" + Escaped(cl->kept_id) + "</b>";
      if (!cl->kept_excerpt.empty()) kept += "<div class=\"excerpt\">" + Escaped(cl->kept_excerpt) + "</div>";
    } else {
      int64_t cid = c.ClusterIdOf(cl);
      kept = "<span class=\"muted\">record #" + std::to_string(DocumentOrdinal(static_cast<uint64_t>(cid))) +
             " of " + Escaped(cl->kept_file.empty() ? "input " + std::to_string(DocumentFileIndex(static_cast<uint64_t>(cid)))
                                                    : cl->kept_file) +
             " (inputs not re-read)</span>";
    }
    std::string members;
    for (const std::string& m : cl->member_ids) members += "<b>" + Escaped(m) + "</b> ";
    if (!cl->member_excerpt.empty()) members += "<div class=\"excerpt\">" + Escaped(cl->member_excerpt) + "</div>";
    tab.Row({FormatCount(cl->size), Raw(kept), Raw(members)});
  }
  }
  *out += "</section>";
}

void RenderBoilerplate(const RunInfo& info, std::string* out) {
  Section(out, "boilerplate", "Site boilerplate");
  const StepStats* step = nullptr;
  for (const StepStats& s : info.totals.steps)
    if (s.type.find("boilerplate") != std::string::npos) step = &s;
  if (step == nullptr && info.boilerplate_json.empty()) {
    Para(out, "Not run: this job had no site boilerplate step, and stats.json records no "
              "boilerplate statistics.", "muted");
    *out += "</section>";
    return;
  }
  if (step != nullptr) {
    Table tab(out, {"step", "docs in", "docs out", "bytes removed", "counters"});
    std::string counters;
    for (const auto& [k, v] : step->counters) counters += k + " " + FormatCount(v) + "; ";
    tab.Row({step->name, FormatCount(step->docs_in), FormatCount(step->docs_out),
             FormatBytes(static_cast<double>(step->bytes_in - step->bytes_out)), counters});
  }
  if (!info.boilerplate_json.empty()) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(info.boilerplate_json);
    simdjson::dom::object obj;
    simdjson::dom::array sites;
    if (!parser.parse(padded).get(obj) && !obj["sites"].get(sites)) {
      BarChart chart;
      chart.title = "Top sites by boilerplate lines removed";
      chart.x_label = "lines removed";
      std::string rows;
      {
      Table tab(out, {"site", "lines removed", "top removed lines"});
      size_t n = 0;
      for (auto e : sites) {
        if (n++ >= 20) break;
        simdjson::dom::object so;
        if (e.get(so)) continue;
        std::string site(GetString(so, "site"));
        int64_t lines = 0;
        if (so["lines_removed"].get(lines)) lines = 0;
        chart.bars.push_back({site, static_cast<double>(lines), FormatCount(lines), "", 6});
        std::string top;
        simdjson::dom::array tl;
        if (!so["top_lines"].get(tl)) {
          size_t k = 0;
          for (auto le : tl) {
            if (k++ >= 5) break;
            std::string_view s;
            simdjson::dom::object lo;
            if (!le.get(s)) {
              top += "<div class=\"excerpt\">" + Escaped(Truncated(s, 200)) + "</div>";
            } else if (!le.get(lo)) {
              int64_t cnt = 0;
              if (lo["count"].get(cnt)) cnt = 0;
              top += "<div class=\"excerpt\">" + Escaped(Truncated(GetString(lo, "line"), 200)) +
                     " <span class=\"muted\">\xC3\x97" + FormatCount(cnt) + "</span></div>";
            }
          }
        }
        tab.Row({site, FormatCount(lines), Raw(top)});
      }
      }
      if (!chart.bars.empty()) Figure(out, RenderBarChart(chart), "Sites with the most boilerplate lines removed.");
    } else {
      *out += "<pre class=\"raw\">";
      AppendEscaped(Truncated(info.boilerplate_json, 20000), out);
      *out += "</pre>";
    }
  }
  *out += "</section>";
}

void RenderSampleDoc(const SampleDoc& s, bool open, std::string* out) {
  *out += open ? "<details class=\"doc\" open><summary><b>" : "<details class=\"doc\"><summary><b>";
  AppendEscaped(s.id, out);
  *out += "</b> <span class=\"muted\">";
  AppendEscaped(FormatBytes(static_cast<double>(s.bytes)) + (s.url.empty() ? "" : " \xC2\xB7 " + s.url), out);
  *out += "</span>";
  if (!s.details.empty()) {
    *out += " <code>";
    AppendEscaped(s.details, out);
    *out += "</code>";
  }
  *out += "</summary><pre class=\"text\">";
  AppendEscaped(s.text, out);
  *out += "</pre><p class=\"muted\">shard ";
  AppendEscaped(s.shard, out);
  *out += " \xC2\xB7 winnow explain OUT ";
  AppendEscaped(s.id, out);
  *out += "</p></details>";
}

void RenderSamples(Collector& c, std::string* out) {
  Section(out, "samples", "Samples of removed documents");
  Para(out, "For every removal reason, a few removed documents (a deterministic sample; text "
            "as it was when removed, cut to a few lines). The code after the id holds the "
            "deciding values. Click a document to open it.");
  if (c.samples_.empty()) Para(out, "No document was removed.", "muted");
  for (auto& [rk, bk] : c.samples_) {
    *out += "<h3>";
    AppendEscaped(rk.step + ": " + rk.reason, out);
    *out += " <span class=\"muted\">(" + FormatCount(c.reasons_[rk].count) + " removed)</span></h3>";
    bool first = true;
    for (SampleDoc* s : bk.Sorted()) {
      RenderSampleDoc(*s, first, out);
      first = false;
    }
  }
  *out += "<h3>Kept documents</h3>";
  for (SampleDoc* s : c.kept_samples_.Sorted()) RenderSampleDoc(*s, false, out);
  *out += "</section>";
}

// Appends a line with the part that differs from `other` inside <mark>.
void AppendMarkedLine(std::string_view line, std::string_view other, std::string* out) {
  size_t pre = 0;
  while (pre < line.size() && pre < other.size() && line[pre] == other[pre]) ++pre;
  while (pre > 0 && (static_cast<unsigned char>(line[pre]) & 0xC0) == 0x80) --pre;
  size_t suf = 0;
  while (suf < line.size() - pre && suf < other.size() - pre &&
         line[line.size() - 1 - suf] == other[other.size() - 1 - suf])
    ++suf;
  while (suf > 0 && (static_cast<unsigned char>(line[line.size() - suf]) & 0xC0) == 0x80) --suf;
  AppendEscaped(line.substr(0, pre), out);
  *out += "<mark>";
  AppendEscaped(line.substr(pre, line.size() - pre - suf), out);
  *out += "</mark>";
  AppendEscaped(line.substr(line.size() - suf), out);
}

void RenderDiffHtml(const std::vector<DiffLine>& diff, std::string* out) {
  *out += "<pre class=\"diff\">";
  size_t printed = 0;
  for (size_t i = 0; i < diff.size() && printed < 80; ) {
    if (diff[i].kind == DiffLine::Kind::kSame) {
      size_t j = i;
      while (j < diff.size() && diff[j].kind == DiffLine::Kind::kSame) ++j;
      size_t head = i == 0 ? 0 : 1, tail = j == diff.size() ? 0 : 1;
      if (j - i > head + tail + 1) {
        for (size_t k = i; k < i + head; ++k, ++printed) {
          *out += "<span class=\"same\">  ";
          AppendEscaped(Truncated(diff[k].text, 400), out);
          *out += "</span>\n";
        }
        *out += "<span class=\"fold\">  \xE2\x80\xA6 " + std::to_string(j - i - head - tail) +
                " unchanged lines</span>\n";
        for (size_t k = j - tail; k < j; ++k, ++printed) {
          *out += "<span class=\"same\">  ";
          AppendEscaped(Truncated(diff[k].text, 400), out);
          *out += "</span>\n";
        }
      } else {
        for (size_t k = i; k < j; ++k, ++printed) {
          *out += "<span class=\"same\">  ";
          AppendEscaped(Truncated(diff[k].text, 400), out);
          *out += "</span>\n";
        }
      }
      i = j;
      continue;
    }
    // A block of removed lines followed by added lines: pair them up.
    size_t j = i;
    while (j < diff.size() && diff[j].kind == DiffLine::Kind::kRemoved) ++j;
    size_t k = j;
    while (k < diff.size() && diff[k].kind == DiffLine::Kind::kAdded) ++k;
    size_t nr = j - i, na = k - j;
    for (size_t r = 0; r < nr; ++r, ++printed) {
      std::string line = Truncated(diff[i + r].text, 400);
      *out += "<del>- ";
      if (r < na) AppendMarkedLine(line, Truncated(diff[j + r].text, 400), out);
      else AppendEscaped(line, out);
      *out += "</del>\n";
    }
    for (size_t a = 0; a < na; ++a, ++printed) {
      std::string line = Truncated(diff[j + a].text, 400);
      *out += "<ins>+ ";
      if (a < nr) AppendMarkedLine(line, Truncated(diff[i + a].text, 400), out);
      else AppendEscaped(line, out);
      *out += "</ins>\n";
    }
    i = k;
  }
  if (printed >= 80) *out += "<span class=\"fold\">  \xE2\x80\xA6 (diff cut)</span>\n";
  *out += "</pre>";
}

void RenderCleaning(const RunInfo& info, Collector& c, const ReportOptions& o, std::string* out) {
  Section(out, "cleaning", "Cleaning: before and after");
  {
  Table tab(out, {"step", "documents changed", "counters", "text bytes in \xE2\x88\x92 out"});
  for (const StepStats& s : info.totals.steps) {
    if (s.counters.empty() && (s.bytes_in == s.bytes_out || !s.removed.empty())) continue;
    auto it = s.counters.find("docs_changed");
    std::string counters;
    for (const auto& [k, v] : s.counters)
      if (k != "docs_changed") counters += k + " " + FormatCount(v) + "; ";
    tab.Row({s.name, it == s.counters.end() ? "" : FormatCount(it->second), counters,
             FormatBytes(static_cast<double>(s.bytes_in - s.bytes_out))});
  }
  }
  std::vector<ReplayStep> steps;
  if (o.reread_inputs && !c.inputs_missing_) steps = BuildReplaySteps(info, false);
  // Every sampled document that cleaning changed, with the steps that
  // changed it (replayed) and whether anything but blank lines changed.
  struct Example {
    CleaningCandidate* cand;
    std::string changed_by;
    std::string first_step;
    bool substantive = false;
  };
  std::vector<Example> examples;
  for (CleaningCandidate* cand : c.cleaning_.Sorted()) {
    if (!cand->found || cand->input_text == cand->output_text) continue;
    Example e{cand, "", "", false};
    Document doc;
    doc.id = cand->id;
    doc.text = cand->input_text;
    Counters counters;
    for (ReplayStep& r : steps) {
      if (!r.step) continue;
      std::string before = doc.text;
      StepResult res = r.step->Process(&doc, &counters);
      if (!res.keep) break;
      if (doc.text != before) {
        long delta = static_cast<long>(doc.text.size()) - static_cast<long>(before.size());
        e.changed_by += (e.changed_by.empty() ? "" : ", ") + r.spec.name + " (" +
                        (delta >= 0 ? "+" : "\xE2\x88\x92") + FormatCount(std::labs(delta)) + " B)";
        if (e.first_step.empty()) e.first_step = r.spec.name;
      }
    }
    for (const DiffLine& d : LineDiff(cand->input_text, cand->output_text))
      if (d.kind != DiffLine::Kind::kSame &&
          d.text.find_first_not_of(" \t\r") != std::string_view::npos)
        e.substantive = true;
    examples.push_back(std::move(e));
  }
  // Prefer documents whose lines changed (not only blank lines), and at
  // most two per first changing step, so different steps get shown.
  std::vector<const Example*> picked;
  std::map<std::string, int> per_step;
  for (int pass = 0; pass < 3 && picked.size() < o.cleaning_examples; ++pass) {
    for (const Example& e : examples) {
      if (picked.size() >= o.cleaning_examples) break;
      if (std::find(picked.begin(), picked.end(), &e) != picked.end()) continue;
      if (pass == 0 && (!e.substantive || per_step[e.first_step] >= 2)) continue;
      if (pass == 1 && !e.substantive) continue;
      per_step[e.first_step]++;
      picked.push_back(&e);
    }
  }
  int shown = 0;
  for (const Example* e : picked) {
    ++shown;
    CleaningCandidate* cand = e->cand;
    *out += "<div class=\"cleaned\"><h3>";
    AppendEscaped(cand->id, out);
    *out += "</h3><p class=\"muted\">";
    AppendEscaped(FormatBytes(static_cast<double>(cand->input_text.size())) + " in, " +
                      FormatBytes(static_cast<double>(cand->output_text.size())) + " out" +
                      (e->changed_by.empty() ? "" : "; changed by " + e->changed_by),
                  out);
    *out += "</p>";
    RenderDiffHtml(LineDiff(cand->input_text, cand->output_text), out);
    *out += "</div>";
  }
  if (shown == 0)
    Para(out, o.reread_inputs
                  ? (c.inputs_missing_ ? "The inputs could not be found, so no before/after view."
                                       : "No sampled kept document was changed by cleaning.")
                  : "Inputs not re-read: no before/after view.",
         "muted");
  else
    Para(out, "Sampled kept documents whose text the cleaning steps changed: input text vs "
              "output text; red lines were removed, green ones added, changed spans marked.",
         "muted");
  *out += "</section>";
}

void RenderRun(const RunInfo& info, Collector& c, std::string* out) {
  Section(out, "run", "The run");
  {
    Table tab(out, {"", ""}, "kv");
    tab.Row({"winnow version", info.version});
    tab.Row({"recipe", info.recipe});
    std::string inputs;
    for (size_t i = 0; i < info.inputs.size() && i < 50; ++i) inputs += info.inputs[i] + "\n";
    if (info.inputs.size() > 50) inputs += "\xE2\x80\xA6 and " + std::to_string(info.inputs.size() - 50) + " more";
    tab.Row({"inputs (" + std::to_string(info.inputs.size()) + ")", Raw("<pre class=\"plain\">" + Escaped(inputs) + "</pre>")});
    tab.Row({"output", info.out_dir});
    tab.Row({"threads", std::to_string(info.threads)});
    tab.Row({"tasks", std::to_string(info.tasks) + " (" + std::to_string(info.tasks_skipped) + " resumed)"});
    tab.Row({"wall time", FormatSeconds(info.wall_seconds)});
    tab.Row({"compression", info.compression});
    tab.Row({"bytes read", FormatBytes(static_cast<double>(info.totals.bytes_read))});
    std::string reader;
    for (const auto& [k, v] : info.totals.reader_counters) reader += k + " " + FormatCount(v) + "; ";
    tab.Row({"reader counters", reader});
  }
  *out += "<h3>Steps and settings</h3>";
  {
    Table tab(out, {"#", "step", "type", "options given (others at their defaults)"});
    if (!info.has_job_json) Para(out, "OUT/.work/job.json is missing: options unknown.", "muted");
    for (size_t i = 0; i < info.steps.size(); ++i) {
      std::string opts;
      for (const auto& [k, v] : info.steps[i].options) opts += k + ": " + v + "\n";
      tab.Row({std::to_string(i + 1), info.steps[i].name, info.steps[i].type, opts});
    }
  }
  BarChart time;
  time.title = "Time per step";
  time.x_label = "CPU seconds (summed over threads)";
  for (const StepStats& s : info.totals.steps)
    time.bars.push_back({s.name, s.seconds, FormatSeconds(s.seconds), "", 5});
  Figure(out, RenderBarChart(time), "Time spent in each step, summed over all tasks.");
  if (!info.phase_seconds.empty()) {
    BarChart phases;
    phases.title = "Time per phase";
    phases.x_label = "wall seconds";
    for (const auto& [name, sec] : info.phase_seconds) {
      std::string note = FormatSeconds(sec);
      for (const auto& [cname, csec] : info.phase_cpu_seconds)
        if (cname == name) note += " (CPU " + FormatSeconds(csec) + ")";
      phases.bars.push_back({name, sec, note, "", 0});
    }
    Figure(out, RenderBarChart(phases),
           "Wall time of each phase of the job (segments read and run the per-document steps; "
           "reduce and finalize are the corpus-wide stages), with the process's CPU time.");
  }
  *out += "<h3>Rejected records</h3>";
  if (info.totals.rejected == 0) {
    Para(out, "No record was rejected.", "muted");
  } else {
    {
      Table tab(out, {"reason", "records"});
      for (const auto& [r, n] : info.totals.rejected_by_reason) tab.Row({r, FormatCount(n)});
    }
    Table tab(out, {"file", "offset", "reason", "error", "excerpt"});
    for (const RejectedSample& r : c.rejected_)
      tab.Row({r.file, FormatCount(r.offset), r.reason, Truncated(r.error, 300),
               Raw("<div class=\"excerpt\">" + Escaped(Truncated(r.excerpt, 200)) + "</div>")});
  }
  *out += "</section>";
}

constexpr char kStyle[] = R"css(
:root{--fg:#1d2430;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--accent:#4e79a7}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f6f7f9;margin:0}
header{background:#1d2430;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#cbd5e1}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 24px;z-index:1}
nav a{margin-right:14px;color:var(--accent);text-decoration:none}
main{max-width:1280px;margin:0 auto;padding:8px 24px 40px}
section{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:12px 20px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px}
h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px}
.card .v{font-size:20px;font-weight:600}
.card .l{color:var(--muted);font-size:12px}
figure{margin:10px 0;display:inline-block;vertical-align:top;max-width:100%}
figcaption{color:var(--muted);font-size:12px;max-width:576px}
.charts{display:flex;flex-wrap:wrap;gap:8px 24px}
svg.chart{max-width:100%;height:auto;font-size:11px;background:#fff}
svg .grid{stroke:#eef0f3}
svg .axis{stroke:#9ca3af}
svg .tick{fill:#4b5563}
svg .label{fill:#1f2937}
svg .note{fill:#374151}
svg .legend{fill:#374151}
svg .axis-label{fill:#111827;font-weight:600}
svg .hbar{opacity:.75}
svg .threshold{stroke:#d62728;stroke-width:2;stroke-dasharray:5 3}
svg .threshold-label{fill:#d62728;font-weight:600}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv td:first-child{color:var(--muted);white-space:nowrap}
pre{white-space:pre-wrap;word-break:break-word;margin:4px 0}
pre.text{background:#f9fafb;border:1px solid var(--line);padding:8px;max-height:320px;overflow:auto}
pre.plain{margin:0}
pre.raw{background:#f9fafb;padding:8px}
.excerpt{font-size:12px;color:#374151;max-width:560px;white-space:pre-wrap;word-break:break-word}
details.doc{border-bottom:1px solid var(--line);padding:4px 0}
details.doc summary{cursor:pointer}
code{font-size:12px;background:#f3f4f6;padding:1px 4px;border-radius:3px;word-break:break-all}
pre.diff{background:#fbfbfb;border:1px solid var(--line);padding:8px;font-size:12px}
pre.diff del{background:#fde8e8;text-decoration:none;display:block}
pre.diff ins{background:#e6f4ea;text-decoration:none;display:block}
pre.diff mark{background:#f7c948}
pre.diff .fold{color:var(--muted)}
)css";

}  // namespace

Status RenderReport(const std::string& out_dir, const ReportOptions& options, std::string* html,
                    std::vector<std::string>* notes) {
  RunInfo info;
  WINNOW_RETURN_IF_ERROR(LoadRunInfo(out_dir, &info));
  Collector c(options, info);
  simdjson::dom::parser parser;
  for (const char* sub : {"kept", "removed"}) {
    bool kept = std::string_view(sub) == "kept";
    for (const std::string& shard : ListShards(out_dir, sub)) {
      std::string shard_name = std::string(sub) + "/" + shard.substr(shard.rfind('/') + 1);
      uint64_t line_no = 0;
      uint64_t shard_seed = HashBytes(shard_name, 0);
      Status st = ForEachLine(shard, [&](std::string_view line) {
        ++line_no;
        if (line.empty()) return true;
        simdjson::dom::object rec;
        if (parser.parse(line.data(), line.size()).get(rec)) return true;
        c.AddRecord(kept, rec, shard_name, Mix(shard_seed ^ Mix(line_no)));
        return true;
      });
      if (!st.ok()) notes->push_back("could not read " + shard + ": " + st.ToString());
    }
  }
  for (const std::string& shard : ListShards(out_dir, "rejected")) {
    Status st = ForEachLine(shard, [&](std::string_view line) {
      simdjson::dom::object rec;
      if (!parser.parse(line.data(), line.size()).get(rec)) c.AddRejected(rec);
      return c.rejected_.size() < 12;
    });
    if (!st.ok()) notes->push_back("could not read " + shard + ": " + st.ToString());
  }
  c.ScanInputsForContext(notes);

  std::string& out = *html;
  out.clear();
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>winnow report</title><style>";
  out += kStyle;
  out += "</style></head><body><header><h1>winnow report</h1><p>";
  AppendEscaped(out_dir + " \xC2\xB7 winnow " + info.version + " \xC2\xB7 recipe " + info.recipe +
                    " \xC2\xB7 " + FormatCount(info.totals.records_read) + " records from " +
                    std::to_string(info.inputs.size()) + " input file(s)",
                &out);
  out += "</p></header><nav>"
         "<a href=\"#summary\">Summary</a><a href=\"#funnel\">Funnel</a>"
         "<a href=\"#distributions\">Distributions</a><a href=\"#duplicates\">Duplicates</a>"
         "<a href=\"#boilerplate\">Boilerplate</a><a href=\"#samples\">Samples</a>"
         "<a href=\"#cleaning\">Cleaning</a><a href=\"#run\">The run</a></nav><main>";
  RenderSummary(info, &out);
  RenderFunnel(info, &out);
  RenderDistributions(c, options, &out);
  RenderDuplicates(info, c, &out);
  RenderBoilerplate(info, &out);
  RenderSamples(c, &out);
  RenderCleaning(info, c, options, &out);
  RenderRun(info, c, &out);
  if (!notes->empty()) {
    out += "<section id=\"notes\"><h2>Notes</h2><ul>";
    for (const std::string& n : *notes) {
      out += "<li>";
      AppendEscaped(n, &out);
      out += "</li>";
    }
    out += "</ul></section>";
  }
  out += "</main></body></html>\n";
  return Status::OK();
}

Result<ReportResult> WriteReport(const std::string& out_dir, const ReportOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  ReportResult r;
  std::string html;
  WINNOW_RETURN_IF_ERROR(RenderReport(out_dir, options, &html, &r.notes));
  r.path = out_dir + "/report.html";
  WINNOW_RETURN_IF_ERROR(WriteFileAtomically(r.path, html));
  r.bytes = static_cast<int64_t>(html.size());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace winnow::report
