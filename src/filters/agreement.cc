#include "filters/agreement.h"

#include <zlib.h>

#include <cstdio>
#include <map>

#include <simdjson.h>

#include "filters/filters.h"

namespace winnow::filters_agreement {
namespace {

Result<std::string> ReadGzipFile(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound("cannot open " + path);
  gzbuffer(f, 1 << 20);
  std::string out;
  char buf[1 << 16];
  while (true) {
    int n = gzread(f, buf, sizeof(buf));
    if (n < 0) {
      gzclose(f);
      return Status::IOError("cannot read " + path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

// Calls f(object) for each JSON line of `path`; stops at the first error.
template <typename F>
Status ForEachJsonLine(const std::string& path, F&& f) {
  auto data = ReadGzipFile(path);
  if (!data.ok()) return data.status();
  simdjson::padded_string padded(data.value());
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream stream;
  if (parser.iterate_many(padded, size_t{64} << 20).get(stream))
    return Status::Corruption("cannot parse " + path);
  for (auto item : stream) {
    simdjson::ondemand::document_reference doc;
    simdjson::ondemand::object obj;
    if (std::move(item).get(doc) || doc.get_object().get(obj))
      return Status::Corruption("bad JSON line in " + path);
    WINNOW_RETURN_IF_ERROR(f(obj));
  }
  return Status::OK();
}

Status GetString(simdjson::ondemand::object& obj, const char* key,
                 std::string* out) {
  std::string_view v;
  if (obj[key].get_string().get(v))
    return Status::Corruption(std::string("missing string field ") + key);
  out->assign(v);
  return Status::OK();
}

// Oracle verdicts of one document.
struct OracleDoc {
  std::string id;
  Verdict alone[4];  // gopher_rep, gopher_qual, c4, fineweb
  Verdict cascade;
};

constexpr const char* kOracleKeys[4] = {"gopher_rep", "gopher_qual", "c4",
                                        "fineweb"};

Status ParseFilterVerdict(simdjson::ondemand::object& obj, const char* key,
                          Verdict* v) {
  simdjson::ondemand::object sub;
  if (obj[key].get_object().get(sub))
    return Status::Corruption(std::string("missing ") + key);
  bool keep = false;
  if (sub["keep"].get_bool().get(keep))
    return Status::Corruption(std::string("missing keep in ") + key);
  v->keep = keep;
  auto reason = sub["reason"];
  bool is_null = false;
  if (!reason.is_null().get(is_null) && !is_null) {
    std::string_view r;
    if (reason.get_string().get(r)) return Status::Corruption("bad reason");
    v->reason.assign(r);
  }
  return Status::OK();
}

Status ParseOracle(simdjson::ondemand::object& obj, OracleDoc* d) {
  WINNOW_RETURN_IF_ERROR(GetString(obj, "id", &d->id));
  for (int k = 0; k < 4; ++k)
    WINNOW_RETURN_IF_ERROR(ParseFilterVerdict(obj, kOracleKeys[k], &d->alone[k]));
  simdjson::ondemand::object sub;
  if (obj["cascade"].get_object().get(sub))
    return Status::Corruption("missing cascade");
  std::string_view verdict;
  if (sub["verdict"].get_string().get(verdict))
    return Status::Corruption("missing cascade verdict");
  d->cascade.keep = verdict == "keep";
  if (!d->cascade.keep) {
    constexpr std::string_view kDrop = "drop@";
    if (verdict.substr(0, kDrop.size()) == kDrop)
      d->cascade.stage.assign(verdict.substr(kDrop.size()));
  }
  auto reason = sub["reason"];
  bool is_null = false;
  if (!reason.is_null().get(is_null) && !is_null) {
    std::string_view r;
    if (reason.get_string().get(r)) return Status::Corruption("bad reason");
    d->cascade.reason.assign(r);
  }
  return Status::OK();
}

std::string Describe(const Verdict& v) {
  if (v.keep) return "keep";
  std::string s = "drop";
  if (!v.stage.empty()) s += "@" + v.stage;
  return s + "(" + v.reason + ")";
}

void Tally(Row* row, const std::string& id, bool empty, const Verdict& ours,
           const Verdict& theirs, size_t max_examples) {
  ++row->total;
  bool agree;
  if (empty) {
    ++row->empty;
    agree = !ours.keep && ours.reason == "empty";
  } else if (ours.keep && theirs.keep) {
    ++row->both_keep;
    agree = true;
  } else if (!ours.keep && !theirs.keep) {
    agree = ours.reason == theirs.reason && ours.stage == theirs.stage;
    ++(agree ? row->both_drop_same : row->both_drop_other);
  } else {
    ++(ours.keep ? row->winnow_keep_dt_drop : row->winnow_drop_dt_keep);
    agree = false;
  }
  if (agree) {
    ++row->agree;
  } else if (row->examples.size() < max_examples) {
    row->examples.push_back(id + ": winnow=" + Describe(ours) +
                            " datatrove=" + Describe(theirs));
  }
}

Result<std::unique_ptr<Step>> Make(
    Result<std::unique_ptr<Step>> (*create)(StepOptions&),
    std::map<std::string, std::string> values = {}) {
  StepOptions options(std::move(values));
  return create(options);
}

}  // namespace

Result<std::vector<TextDoc>> LoadTextDocs(const std::string& path) {
  std::vector<TextDoc> docs;
  Status st = ForEachJsonLine(path, [&](simdjson::ondemand::object& obj) {
    TextDoc d;
    WINNOW_RETURN_IF_ERROR(GetString(obj, "id", &d.id));
    WINNOW_RETURN_IF_ERROR(GetString(obj, "text", &d.text));
    docs.push_back(std::move(d));
    return Status::OK();
  });
  if (!st.ok()) return st;
  return docs;
}

Result<FilterSet> MakeFilterSet(bool write_signals) {
  FilterSet set;
  const std::string sig = write_signals ? "true" : "false";
  auto a = Make(&GopherRepetitionFilter::Create, {{"write_signals", sig}});
  auto b = Make(&GopherQualityFilter::Create, {{"write_signals", sig}});
  auto c = Make(&C4QualityFilter::Create, {{"write_signals", sig}});
  auto d = Make(&C4QualityFilter::Create,
                {{"filter_no_terminal_punct", "false"}, {"write_signals", sig}});
  auto e = Make(&FineWebQualityFilter::Create, {{"write_signals", sig}});
  for (auto* r : {&a, &b, &c, &d, &e})
    if (!r->ok()) return r->status();
  set.gopher_rep = std::move(a).value();
  set.gopher_qual = std::move(b).value();
  set.c4 = std::move(c).value();
  set.c4_fw = std::move(d).value();
  set.fineweb = std::move(e).value();
  return set;
}

Verdict RunAlone(Step* step, const std::string& text, Document* scratch) {
  Verdict v;
  if (text.empty()) {
    v.keep = false;
    v.reason = "empty";
    return v;
  }
  scratch->Clear();
  scratch->text = text;
  StepResult r = step->Process(scratch, nullptr);
  v.keep = r.keep;
  v.reason = std::move(r.reason);
  return v;
}

Verdict RunCascade(FilterSet* set, const std::string& text, Document* scratch) {
  Verdict v;
  if (text.empty()) {
    v.keep = false;
    v.reason = "empty";
    return v;
  }
  scratch->Clear();
  scratch->text = text;
  const std::pair<Step*, const char*> stages[] = {
      {set->gopher_rep.get(), "gopher_rep"},
      {set->gopher_qual.get(), "gopher_qual"},
      {set->c4_fw.get(), "c4_fw"},
      {set->fineweb.get(), "fineweb"}};
  for (const auto& [step, stage] : stages) {
    StepResult r = step->Process(scratch, nullptr);
    if (!r.keep) {
      v.keep = false;
      v.stage = stage;
      v.reason = std::move(r.reason);
      return v;
    }
  }
  return v;
}

Result<Report> Compare(const std::string& news_path,
                       const std::string& oracle_path, size_t max_examples,
                       bool write_signals) {
  auto docs = LoadTextDocs(news_path);
  if (!docs.ok()) return docs.status();
  auto set = MakeFilterSet(write_signals);
  if (!set.ok()) return set.status();
  Step* alone[4] = {set->gopher_rep.get(), set->gopher_qual.get(),
                    set->c4.get(), set->fineweb.get()};

  Report report;
  for (const char* name : {"gopher_repetition", "gopher_quality", "c4_quality",
                           "fineweb_quality", "cascade"}) {
    report.rows.emplace_back();
    report.rows.back().name = name;
  }
  Document scratch;
  size_t index = 0;
  Status st = ForEachJsonLine(oracle_path, [&](simdjson::ondemand::object& obj) {
    OracleDoc o;
    WINNOW_RETURN_IF_ERROR(ParseOracle(obj, &o));
    if (index >= docs->size())
      return Status::Corruption("oracle has more lines than the input");
    const TextDoc& d = (*docs)[index++];
    if (d.id != o.id)
      return Status::Corruption("id mismatch: " + d.id + " vs " + o.id);
    const bool empty = d.text.empty();
    for (int k = 0; k < 4; ++k) {
      Tally(&report.rows[k], d.id, empty, RunAlone(alone[k], d.text, &scratch),
            o.alone[k], max_examples);
    }
    Tally(&report.rows[4], d.id, empty, RunCascade(&set.value(), d.text, &scratch),
          o.cascade, max_examples);
    return Status::OK();
  });
  if (!st.ok()) return st;
  if (index != docs->size())
    return Status::Corruption("oracle has fewer lines than the input");
  report.documents = static_cast<int64_t>(index);
  return report;
}

std::string FormatReport(const Report& report) {
  std::string out;
  char buf[512];
  out += "| filter | documents | agreement | keep/keep | drop/drop same reason "
         "| drop/drop other reason | winnow keeps, datatrove drops | winnow "
         "drops, datatrove keeps | empty (counted as agreeing) |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const Row& r : report.rows) {
    std::snprintf(buf, sizeof(buf),
                  "| %s | %lld | %.3f%% | %lld | %lld | %lld | %lld | %lld | %lld |\n",
                  r.name.c_str(), static_cast<long long>(r.total),
                  100.0 * r.agreement(), static_cast<long long>(r.both_keep),
                  static_cast<long long>(r.both_drop_same),
                  static_cast<long long>(r.both_drop_other),
                  static_cast<long long>(r.winnow_keep_dt_drop),
                  static_cast<long long>(r.winnow_drop_dt_keep),
                  static_cast<long long>(r.empty));
    out += buf;
  }
  for (const Row& r : report.rows) {
    if (r.examples.empty()) continue;
    out += "\nFirst disagreements, " + r.name + ":\n";
    for (const std::string& e : r.examples) out += "  " + e + "\n";
  }
  return out;
}

}  // namespace winnow::filters_agreement
