#include "pipeline/boilerplate_stage.h"

#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <tuple>
#include <utility>

#include "boilerplate/line_key.h"
#include "core/json_writer.h"
#include "io/output_file.h"
#include "winnow/step.h"

namespace winnow {
namespace {

namespace bp = boilerplate;

// Small text files (counts, top groups) end with a checksum line, so a
// damaged one is reported rather than used.
constexpr std::string_view kSumPrefix = "xxh64 ";

Status WriteCheckedText(const std::string& path, std::string body) {
  char sum[40];
  std::snprintf(sum, sizeof(sum), "%016" PRIx64 "\n",
                static_cast<uint64_t>(XXH64(body.data(), body.size(), 0)));
  body += kSumPrefix;
  body += sum;
  return WriteFileAtomically(path, body);
}

Status ReadCheckedText(const std::string& path, std::string* body) {
  std::string text;
  WINNOW_RETURN_IF_ERROR(ReadFileToString(path, &text));
  size_t last =
      text.size() >= 2 ? text.rfind('\n', text.size() - 2) : std::string::npos;
  size_t start = last == std::string::npos ? 0 : last + 1;
  std::string_view tail(text.data() + start, text.size() - start);
  if (text.empty() || text.back() != '\n' || !tail.starts_with(kSumPrefix))
    return Status::Corruption("no checksum at the end of " + path);
  uint64_t want = std::strtoull(
      std::string(tail.substr(kSumPrefix.size())).c_str(), nullptr, 16);
  if (XXH64(text.data(), start, 0) != want)
    return Status::Corruption("checksum mismatch in " + path);
  text.resize(start);
  *body = std::move(text);
  return Status::OK();
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(std::min(text.size(), nl + 1));
  }
  return lines;
}

// Splits `line` into `n` space-separated fields and the rest (which may
// hold spaces: a JSON string). False when there are fewer fields.
bool Fields(std::string_view line, size_t n,
            std::vector<std::string_view>* fields, std::string_view* rest) {
  fields->clear();
  for (size_t i = 0; i < n; ++i) {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) {
      if (i + 1 != n || rest != nullptr) return false;
      fields->push_back(line);
      line = {};
      break;
    }
    fields->push_back(line.substr(0, sp));
    line.remove_prefix(sp + 1);
  }
  if (rest != nullptr) *rest = line;
  return fields->size() == n;
}

uint64_t ToU64(std::string_view s) {
  return std::strtoull(std::string(s).c_str(), nullptr, 10);
}

std::string U64(uint64_t v) { return std::to_string(v); }

Result<std::unique_ptr<dedup::RunWriter>> MakeWriter(const std::string& prefix,
                                                     uint32_t parts,
                                                     uint64_t memory_bytes,
                                                     bool unique = false) {
  dedup::RunWriterOptions ro;
  ro.prefix = prefix;
  ro.num_partitions = parts;
  ro.memory_budget_bytes =
      static_cast<size_t>(std::max<uint64_t>(memory_bytes, 1 << 20));
  ro.unique = unique;
  return dedup::RunWriter::Create(ro);
}

// The job-wide line-key files (cross.run, propagated.run): {line, 0, 0},
// sorted, each key once. Merges the partitions' key runs into `path`.
Status MergeLineKeys(const std::vector<std::string>& runs,
                     const std::string& path, uint64_t memory_bytes) {
  auto merger = dedup::RunMerger::Open(runs, dedup::RunMergerOptions{});
  if (!merger.ok()) return merger.status();
  auto w = MakeWriter(path + ".w", 1, memory_bytes, /*unique=*/true);
  if (!w.ok()) return w.status();
  dedup::RunRecord r;
  while (merger.value()->Next(&r)) w.value()->Add(r);
  WINNOW_RETURN_IF_ERROR(merger.value()->status());
  WINNOW_RETURN_IF_ERROR(w.value()->Finish());
  return RenameFile(w.value()->PartitionPath(0), path);
}

// Appends the keys of a file MergeLineKeys wrote to *keys (sorted).
Status ReadLineKeys(const std::string& path, std::vector<uint64_t>* keys) {
  auto reader = dedup::RunReader::Open(path, size_t{1} << 20);
  if (!reader.ok()) return reader.status();
  dedup::RunRecord r;
  while (reader.value()->Next(&r)) keys->push_back(r.key_hi);
  return reader.value()->status();
}

// Appends the UTF-8 encoding of code point `cp`.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool Hex4(std::string_view s, size_t at, uint32_t* v) {
  if (at + 4 > s.size()) return false;
  *v = 0;
  for (size_t i = at; i < at + 4; ++i) {
    char c = s[i];
    uint32_t d;
    if (c >= '0' && c <= '9')
      d = static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = static_cast<uint32_t>(c - 'A' + 10);
    else
      return false;
    *v = *v * 16 + d;
  }
  return true;
}

// Unescapes the body of a JSON string (without its quotes). False on a bad
// escape.
bool UnescapeJsonString(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (++i >= s.size()) return false;
    switch (s[i]) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (!Hex4(s, i + 1, &cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() &&
            s[i + 1] == '\\' && s[i + 2] == 'u') {
          uint32_t lo;
          if (Hex4(s, i + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

// Better-first order of groups within a site: more pages, then smaller key.
struct GroupBetter {
  bool operator()(const bp::GroupStat& a, const bp::GroupStat& b) const {
    return std::tie(b.docs, a.line_key) < std::tie(a.docs, b.line_key);
  }
};

struct SiteTop {
  uint64_t site_key = 0;
  uint64_t site_docs = 0;
  uint64_t estimate = 0;  // sum of the groups' pages
  uint64_t groups = 0;
  std::vector<bp::GroupStat> lines;  // best first
};

// Better-first order of sites: larger estimate, then smaller key.
struct SiteBetter {
  bool operator()(const SiteTop& a, const SiteTop& b) const {
    return std::tie(b.estimate, a.site_key) < std::tie(a.estimate, b.site_key);
  }
};

std::string TopText(const std::vector<SiteTop>& sites) {
  std::string out;
  for (const SiteTop& s : sites) {
    out += "S " + U64(s.site_key) + " " + U64(s.site_docs) + " " +
           U64(s.estimate) + " " + U64(s.groups) + "\n";
    for (const bp::GroupStat& g : s.lines)
      out += "L " + U64(g.site_key) + " " + U64(g.line_key) + " " +
             U64(g.docs) + "\n";
  }
  return out;
}

Status ParseTop(const std::string& path, std::vector<SiteTop>* sites) {
  std::string body;
  WINNOW_RETURN_IF_ERROR(ReadCheckedText(path, &body));
  std::vector<std::string_view> f;
  for (std::string_view line : SplitLines(body)) {
    if (line.starts_with("S ") && Fields(line.substr(2), 4, &f, nullptr)) {
      SiteTop s;
      s.site_key = ToU64(f[0]);
      s.site_docs = ToU64(f[1]);
      s.estimate = ToU64(f[2]);
      s.groups = ToU64(f[3]);
      sites->push_back(std::move(s));
    } else if (line.starts_with("L ") &&
               Fields(line.substr(2), 3, &f, nullptr) && !sites->empty() &&
               ToU64(f[0]) == sites->back().site_key) {
      sites->back().lines.push_back(bp::GroupStat{
          ToU64(f[0]), ToU64(f[1]), ToU64(f[2]), sites->back().site_docs});
    } else {
      return Status::Corruption("bad line in " + path);
    }
  }
  return Status::OK();
}

// Keeps the best `n` of a stream of items (bounded memory), then returns
// them best first.
template <typename T, typename Better>
class BestOf {
 public:
  explicit BestOf(size_t n) : n_(n) {}
  void Add(T item) {
    if (n_ == 0) return;
    if (heap_.size() < n_) {
      heap_.push(std::move(item));
    } else if (Better()(item, heap_.top())) {
      heap_.pop();
      heap_.push(std::move(item));
    }
  }
  std::vector<T> Take() {
    std::vector<T> out;
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  size_t n_;
  // The worst kept item on top.
  std::priority_queue<T, std::vector<T>, Better> heap_;
};

}  // namespace

Status ParseBoilerplateStage(const StepSpec& spec,
                             BoilerplateStageConfig* out) {
  BoilerplateStageConfig c;
  bp::BoilerplateOptions& o = c.options;
  StepOptions opts(spec.options);
  std::string bad;
  auto u32 = [&](const char* key, uint32_t def, int64_t min,
                 int64_t max) -> uint32_t {
    int64_t v = opts.GetInt(key, def);
    if (v < min || v > max) {
      if (bad.empty())
        bad = std::string(key) + " must be in " + std::to_string(min) + ".." +
              std::to_string(max);
      return def;
    }
    return static_cast<uint32_t>(v);
  };
  constexpr int64_t kU32 = 0xFFFFFFFFll;
  o.min_docs = u32("min_docs", o.min_docs, 0, kU32);
  o.min_fraction = opts.GetDouble("min_fraction", o.min_fraction);
  o.min_docs_short = u32("min_docs_short", o.min_docs_short, 0, kU32);
  o.min_fraction_short =
      opts.GetDouble("min_fraction_short", o.min_fraction_short);
  o.min_docs_floor = u32("min_docs_floor", o.min_docs_floor, 2, kU32);
  o.min_docs_floor_short =
      u32("min_docs_floor_short", o.min_docs_floor_short, 2, kU32);
  o.every_page_passes_floor =
      opts.GetBool("every_page_passes_floor", o.every_page_passes_floor);
  o.min_interior_run = u32("min_interior_run", o.min_interior_run, 1, kU32);
  o.anchor_min_words = u32("anchor_min_words", o.anchor_min_words, 0, kU32);
  o.repeated_min_fraction =
      opts.GetDouble("repeated_min_fraction", o.repeated_min_fraction);
  o.interior_short_only =
      opts.GetBool("interior_short_only", o.interior_short_only);
  o.short_line_max_words =
      u32("short_line_max_words", o.short_line_max_words, 0, kU32);
  o.short_line_max_bytes =
      u32("short_line_max_bytes", o.short_line_max_bytes, 0, kU32);
  std::string cross = opts.GetString("cross_site", "keep");
  if (cross == "keep")
    o.cross_site = bp::CrossSiteMode::kKeep;
  else if (cross == "remove")
    o.cross_site = bp::CrossSiteMode::kRemove;
  else if (bad.empty())
    bad = "cross_site must be keep or remove";
  o.cross_site_min_sites =
      u32("cross_site_min_sites", o.cross_site_min_sites, 2, kU32);
  o.propagate_min_words =
      u32("propagate_min_words", o.propagate_min_words, 0, kU32);
  o.propagate_min_docs =
      u32("propagate_min_docs", o.propagate_min_docs, 1, kU32);
  o.propagate_edges = opts.GetBool("propagate_edges", o.propagate_edges);
  o.interior_long_min_docs =
      u32("interior_long_min_docs", o.interior_long_min_docs, 0, kU32);
  o.keep_weak_on_foreign_copies = opts.GetBool(
      "keep_weak_on_foreign_copies", o.keep_weak_on_foreign_copies);
  o.code_lines_stay =
      opts.GetBool("code_lines_stay", o.code_lines_stay);
  o.keep_enclosed_head_lines =
      opts.GetBool("keep_enclosed_head_lines", o.keep_enclosed_head_lines);
  o.min_words_after_removal =
      u32("min_words_after_removal", o.min_words_after_removal, 0, kU32);
  o.max_lines_per_doc = u32("max_lines_per_doc", o.max_lines_per_doc, 1, kU32);
  o.max_line_bytes = u32("max_line_bytes", o.max_line_bytes, 1, kU32);
  c.partitions = u32("partitions", c.partitions, 1, 65536);
  c.map_memory_bytes = uint64_t{u32("map_memory_mb", 64, 1, 1 << 20)} << 20;
  c.top_sites = u32("top_sites", c.top_sites, 0, 100000);
  c.top_lines = u32("top_lines", c.top_lines, 0, 10000);
  c.fuse_siteless = opts.GetBool("fuse_siteless", c.fuse_siteless);
  c.handoff = opts.GetString("handoff", "auto");
  if (c.handoff != "auto" && c.handoff != "spill" && c.handoff != "reread" &&
      bad.empty())
    bad = "handoff must be auto, spill or reread";
  c.psl_path =
      opts.GetString("psl_path", std::string(bp::kDebianPublicSuffixListPath));
  Status st = opts.status();
  if (!st.ok())
    return Status::InvalidArgument("step '" + spec.name + "': " + st.message());
  if (!bad.empty())
    return Status::InvalidArgument("step '" + spec.name + "': " + bad);
  st = bp::ValidateOptions(o);
  if (!st.ok())
    return Status::InvalidArgument("step '" + spec.name + "': " + st.message());
  std::string text;
  st = ReadFileToString(c.psl_path, &text);
  if (!st.ok())
    return Status::NotFound(
        "step '" + spec.name + "': cannot read the Public Suffix List " +
        c.psl_path + " (" + st.message() +
        "); install Debian's publicsuffix package or set psl_path");
  auto psl = bp::PublicSuffixList::Parse(text);
  if (!psl.ok())
    return Status::InvalidArgument("step '" + spec.name + "': " + c.psl_path +
                                   ": " + psl.status().message());
  c.psl = std::move(psl).value();
  *out = std::move(c);
  return Status::OK();
}

std::string_view DocumentUrl(const Document& doc, std::string* scratch) {
  const JsonField* f = doc.FindMetadata("url");
  if (f == nullptr) return {};
  std::string_view raw(f->raw);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n'))
    raw.remove_suffix(1);
  if (raw == "null") return {};
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return raw;
  std::string_view body = raw.substr(1, raw.size() - 2);
  if (body.find('\\') == std::string_view::npos) return body;
  if (!UnescapeJsonString(body, scratch)) return raw;
  return *scratch;
}

std::string_view SiteOutcomeCounter(bp::SiteOutcome outcome) {
  return bp::SiteOutcomeName(outcome);
}

// Map

BoilerplateMapper::BoilerplateMapper(const BoilerplateStageConfig* config,
                                     uint32_t shard)
    : shard_(shard), keyer_(config->psl.get(), config->options) {}

BoilerplateMapper::~BoilerplateMapper() { Abandon(); }

Result<std::unique_ptr<BoilerplateMapper>> BoilerplateMapper::Create(
    const BoilerplateStageConfig* config, const std::string& site_prefix,
    const std::string& cross_prefix, uint32_t shard) {
  std::unique_ptr<BoilerplateMapper> m(new BoilerplateMapper(config, shard));
  const bool cross = config->options.cross_site == bp::CrossSiteMode::kRemove;
  // The buffer and the radix sort's scratch share map_memory_mb (a quarter
  // each per run set when both exist).
  const uint64_t budget = config->map_memory_bytes / (cross ? 4 : 2);
  auto w = MakeWriter(site_prefix, config->partitions, budget);
  if (!w.ok()) return w.status();
  m->sites_ = std::move(w).value();
  if (cross) {
    auto x = MakeWriter(cross_prefix, config->partitions, budget);
    if (!x.ok()) return x.status();
    m->cross_ = std::move(x).value();
  }
  return m;
}

bp::SiteOutcome BoilerplateMapper::Add(const Document& doc) {
  site_records_.clear();
  cross_records_.clear();
  std::string_view url = DocumentUrl(doc, &url_scratch_);
  bp::SiteOutcome o = keyer_.Keys(url, doc.text, shard_, &site_records_,
                                  cross_ ? &cross_records_ : nullptr);
  for (const bp::KeyRecord& r : site_records_)
    sites_->Add(dedup::RunRecord{r.key_hi, r.key_lo, r.value});
  if (cross_) {
    for (const bp::KeyRecord& r : cross_records_)
      cross_->Add(dedup::RunRecord{r.key_hi, r.key_lo, r.value});
  }
  return o;
}

Status BoilerplateMapper::Finish() {
  Status st = sites_ ? sites_->Finish() : Status::OK();
  if (st.ok() && cross_) st = cross_->Finish();
  if (!st.ok()) {
    Abandon();
    return st;
  }
  sites_.reset();
  cross_.reset();
  return Status::OK();
}

void BoilerplateMapper::Abandon() {
  if (sites_) sites_->Abandon();
  if (cross_) cross_->Abandon();
  sites_.reset();
  cross_.reset();
}

// Reduce

BoilerplateReducePaths BoilerplateReduceFiles(const std::string& stage_dir,
                                              uint32_t partition) {
  char name[32];
  std::snprintf(name, sizeof(name), "/sitelines-%05u", partition);
  const std::string base = stage_dir + name;
  return BoilerplateReducePaths{base + ".run", base + ".top", base + ".xrun",
                                base + ".counts", base + ".prun"};
}

Status ReduceBoilerplatePartition(const BoilerplateStageConfig& config,
                                  const std::vector<std::string>& site_runs,
                                  const std::vector<std::string>& cross_runs,
                                  const BoilerplateReducePaths& out) {
  auto merger = dedup::RunMerger::Open(site_runs, dedup::RunMergerOptions{});
  if (!merger.ok()) return merger.status();
  auto decisions =
      MakeWriter(out.decisions + ".w", 1, config.map_memory_bytes / 2);
  if (!decisions.ok()) return decisions.status();
  dedup::RunWriter* dw = decisions.value().get();

  BestOf<SiteTop, SiteBetter> best_sites(config.top_sites);
  SiteTop current;
  bool have_site = false;
  BestOf<bp::GroupStat, GroupBetter> best_lines(config.top_lines);
  uint64_t sites_with_bp = 0;
  auto end_site = [&] {
    if (!have_site) return;
    ++sites_with_bp;
    current.lines = best_lines.Take();
    best_sites.Add(std::move(current));
    current = SiteTop{};
    best_lines = BestOf<bp::GroupStat, GroupBetter>(config.top_lines);
    have_site = false;
  };
  // key_hi = 2 * shard + kind: kind 0 a boilerplate line, 1 a line the
  // site repeats below the thresholds (never an anchor, see boilerplate.h).
  bp::SiteGroupReducer reducer(
      config.options,
      [&](uint64_t shard, uint64_t site, uint64_t line) {
        dw->Add(dedup::RunRecord{2 * shard, site, line});
      },
      [&](const bp::GroupStat& g) {
        if (!have_site || g.site_key != current.site_key) {
          end_site();
          have_site = true;
          current.site_key = g.site_key;
          current.site_docs = g.site_docs;
        }
        current.estimate += g.docs;
        current.groups++;
        best_lines.Add(g);
      });
  reducer.set_on_repeated([&](uint64_t shard, uint64_t site, uint64_t line) {
    dw->Add(dedup::RunRecord{2 * shard + 1, site, line});
  });
  // Lines to propagate: a line can be decided on several sites of the
  // partition, each key is written once.
  std::unique_ptr<dedup::RunWriter> pw;
  if (config.options.propagate_min_words > 0) {
    auto w = MakeWriter(out.propagated + ".w", 1, config.map_memory_bytes / 4,
                        /*unique=*/true);
    if (!w.ok()) return w.status();
    pw = std::move(w).value();
    reducer.set_on_propagate(
        [&](uint64_t line) { pw->Add(dedup::RunRecord{line, 0, 0}); });
  }
  dedup::RunRecord r;
  while (merger.value()->Next(&r))
    reducer.Add(bp::KeyRecord{r.key_hi, r.key_lo, r.value});
  WINNOW_RETURN_IF_ERROR(merger.value()->status());
  reducer.Finish();
  end_site();
  if (pw) {
    WINNOW_RETURN_IF_ERROR(pw->Finish());
    WINNOW_RETURN_IF_ERROR(RenameFile(pw->PartitionPath(0), out.propagated));
  }

  uint64_t cross_lines = 0;
  if (config.options.cross_site == bp::CrossSiteMode::kRemove) {
    auto xm = dedup::RunMerger::Open(cross_runs, dedup::RunMergerOptions{});
    if (!xm.ok()) return xm.status();
    auto xw = MakeWriter(out.cross + ".w", 1, config.map_memory_bytes / 2);
    if (!xw.ok()) return xw.status();
    bp::CrossSiteReducer cross(config.options, [&](uint64_t line) {
      ++cross_lines;
      xw.value()->Add(dedup::RunRecord{line, 0, 0});
    });
    while (xm.value()->Next(&r))
      cross.Add(bp::KeyRecord{r.key_hi, r.key_lo, r.value});
    WINNOW_RETURN_IF_ERROR(xm.value()->status());
    cross.Finish();
    WINNOW_RETURN_IF_ERROR(xw.value()->Finish());
    WINNOW_RETURN_IF_ERROR(RenameFile(xw.value()->PartitionPath(0), out.cross));
  }

  WINNOW_RETURN_IF_ERROR(WriteCheckedText(out.top, TopText(best_sites.Take())));
  WINNOW_RETURN_IF_ERROR(WriteCheckedText(
      out.counts, U64(reducer.sites()) + " " +
                      U64(reducer.boilerplate_groups()) + " " +
                      U64(sites_with_bp) + " " + U64(reducer.decisions()) +
                      " " + U64(cross_lines) + "\n"));
  // The decisions last: their file is the task's marker.
  WINNOW_RETURN_IF_ERROR(dw->Finish());
  return RenameFile(dw->PartitionPath(0), out.decisions);
}

// Finalize

std::string BoilerplateCrossPath(const std::string& stage_dir) {
  return stage_dir + "/cross.run";
}
std::string BoilerplatePropagatedPath(const std::string& stage_dir) {
  return stage_dir + "/propagated.run";
}
std::string BoilerplateTopPath(const std::string& stage_dir) {
  return stage_dir + "/top.txt";
}
std::string BoilerplateTaskTopPath(const std::string& stage_dir, size_t file) {
  char name[32];
  std::snprintf(name, sizeof(name), "/top-%05zu.txt", file);
  return stage_dir + name;
}

Status FinalizeBoilerplate(const BoilerplateStageConfig& config,
                           const std::string& stage_dir,
                           const std::vector<std::string>& decision_paths,
                           BoilerplateCounts* counts) {
  std::vector<std::string> runs, xruns, pruns;
  BestOf<SiteTop, SiteBetter> best(config.top_sites);
  for (uint32_t p = 0; p < config.partitions; ++p) {
    BoilerplateReducePaths paths = BoilerplateReduceFiles(stage_dir, p);
    runs.push_back(paths.decisions);
    xruns.push_back(paths.cross);
    pruns.push_back(paths.propagated);
    std::string text;
    WINNOW_RETURN_IF_ERROR(ReadCheckedText(paths.counts, &text));
    unsigned long long s = 0, g = 0, sb = 0, d = 0, x = 0;
    if (std::sscanf(text.c_str(), "%llu %llu %llu %llu %llu", &s, &g, &sb, &d,
                    &x) != 5)
      return Status::Corruption("bad counts in " + paths.counts);
    counts->sites += static_cast<int64_t>(s);
    counts->boilerplate_groups += static_cast<int64_t>(g);
    counts->sites_with_boilerplate += static_cast<int64_t>(sb);
    counts->decisions += static_cast<int64_t>(d);
    counts->cross_site_lines += static_cast<int64_t>(x);
    std::vector<SiteTop> sites;
    WINNOW_RETURN_IF_ERROR(ParseTop(paths.top, &sites));
    for (SiteTop& site : sites) best.Add(std::move(site));
  }

  // Decisions: the merged stream is sorted by (2 * shard + kind, site,
  // line); a file's records become {site, line, kind}, sorted.
  auto merger = dedup::RunMerger::Open(runs, dedup::RunMergerOptions{});
  if (!merger.ok()) return merger.status();
  std::vector<dedup::RunRecord> records;
  dedup::RunRecord r;
  bool have = merger.value()->Next(&r);
  for (size_t file = 0; file < decision_paths.size(); ++file) {
    records.clear();
    while (have && r.key_hi / 2 == file) {
      records.push_back(dedup::RunRecord{r.key_lo, r.value, r.key_hi % 2});
      have = merger.value()->Next(&r);
    }
    if (have && r.key_hi / 2 < file)
      return Status::Internal("boilerplate decisions out of order");
    std::sort(records.begin(), records.end(),
              [](const dedup::RunRecord& a, const dedup::RunRecord& b) {
                return std::tie(a.key_hi, a.key_lo, a.value) <
                       std::tie(b.key_hi, b.key_lo, b.value);
              });
    WINNOW_RETURN_IF_ERROR(dedup::WriteRunFile(
        decision_paths[file], records.data(), records.size(), 0, 1));
  }
  WINNOW_RETURN_IF_ERROR(merger.value()->status());
  if (have)
    return Status::Internal("boilerplate decision for a file outside the job");

  // Cross-site keys: partitions are line-key ranges, each key comes from
  // one. Propagated keys: partitions are site ranges, a line decided on
  // sites of several partitions comes from each.
  if (config.options.cross_site == bp::CrossSiteMode::kRemove) {
    WINNOW_RETURN_IF_ERROR(MergeLineKeys(xruns, BoilerplateCrossPath(stage_dir),
                                         config.map_memory_bytes / 2));
  }
  if (config.options.propagate_min_words > 0) {
    WINNOW_RETURN_IF_ERROR(MergeLineKeys(pruns,
                                         BoilerplatePropagatedPath(stage_dir),
                                         config.map_memory_bytes / 2));
  }
  return WriteCheckedText(BoilerplateTopPath(stage_dir), TopText(best.Take()));
}

// Apply

void BoilerplateApplier::OpenWithoutDecisions(
    const BoilerplateStageConfig* config) {
  config_ = config;
  set_.Seal();
  repeated_.Seal();
}

Status BoilerplateApplier::Open(const BoilerplateStageConfig* config,
                                const std::string& stage_dir,
                                const std::string& decisions_path) {
  config_ = config;
  auto reader = dedup::RunReader::Open(decisions_path, size_t{1} << 20);
  if (!reader.ok()) return reader.status();
  dedup::RunRecord r;
  while (reader.value()->Next(&r)) {
    if (r.value == 0)
      set_.Add(r.key_hi, r.key_lo);
    else
      repeated_.Add(r.key_hi, r.key_lo);
  }
  WINNOW_RETURN_IF_ERROR(reader.value()->status());
  set_.Seal();
  repeated_.Seal();
  if (config->options.cross_site == bp::CrossSiteMode::kRemove) {
    WINNOW_RETURN_IF_ERROR(
        ReadLineKeys(BoilerplateCrossPath(stage_dir), &cross_keys_));
  }
  if (config->options.propagate_min_words > 0) {
    WINNOW_RETURN_IF_ERROR(
        ReadLineKeys(BoilerplatePropagatedPath(stage_dir), &propagated_keys_));
  }
  std::vector<SiteTop> top;
  WINNOW_RETURN_IF_ERROR(ParseTop(BoilerplateTopPath(stage_dir), &top));
  for (const SiteTop& s : top) {
    top_sites_[s.site_key];
    for (const bp::GroupStat& g : s.lines) top_lines_[{s.site_key, g.line_key}];
  }
  return Status::OK();
}

BoilerplateApplier::Outcome BoilerplateApplier::Apply(Document* doc) {
  Outcome outcome;
  std::string_view url = DocumentUrl(*doc, &url_scratch_);
  outcome.site = bp::SiteOfUrl(*config_->psl, url, &site_);
  if (!bp::HasSite(outcome.site)) return outcome;
  const uint64_t site_key = bp::SiteKey(site_);
  std::span<const uint64_t> lines = set_.LinesOf(site_key);
  auto top = top_sites_.find(site_key);
  if (top != top_sites_.end()) {
    if (top->second.site.empty()) top->second.site = site_;
    top->second.docs++;
  }
  if (lines.empty() && cross_keys_.empty() && propagated_keys_.empty())
    return outcome;
  removed_.clear();
  bp::ApplyResult res = bp::ApplyBoilerplate(
      config_->options, doc->text, lines, cross_keys_, &out_,
      top != top_sites_.end() ? &removed_ : nullptr,
      repeated_.LinesOf(site_key), propagated_keys_);
  if (res.lines_removed == 0) return outcome;
  outcome.lines_removed = res.lines_removed;
  outcome.bytes_removed = res.bytes_removed;
  outcome.words_left = res.words_left;
  outcome.too_short = res.too_short;
  if (top != top_sites_.end()) {
    top->second.docs_changed++;
    top->second.lines_removed += res.lines_removed;
    for (std::string_view line : removed_) {
      normalized_.clear();
      bp::AppendNormalizedLine(line, &normalized_);
      if (normalized_.empty()) continue;
      uint64_t key =
          bp::LineKey(normalized_, config_->options.short_line_max_words,
                      config_->options.short_line_max_bytes);
      auto it = top_lines_.find({site_key, key});
      if (it == top_lines_.end()) continue;
      it->second.count++;
      if (it->second.text_json.empty()) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        AppendJsonString(line, &it->second.text_json);
      }
    }
  }
  if (!res.too_short) doc->text.swap(out_);
  return outcome;
}

Status BoilerplateApplier::WriteTop(const std::string& path) const {
  std::string out;
  for (const auto& [key, s] : top_sites_) {
    std::string site_json;
    AppendJsonString(s.site, &site_json);
    out += "S " + U64(key) + " " + std::to_string(s.docs) + " " +
           std::to_string(s.docs_changed) + " " +
           std::to_string(s.lines_removed) + " " + site_json + "\n";
  }
  for (const auto& [key, l] : top_lines_) {
    out += "L " + U64(key.first) + " " + U64(key.second) + " " +
           std::to_string(l.count) + " " +
           (l.text_json.empty() ? "\"\"" : l.text_json) + "\n";
  }
  return WriteCheckedText(path, std::move(out));
}

// Report

Result<std::string> MergeBoilerplateReport(
    const BoilerplateStageConfig& config, const std::string& step_name,
    const std::string& stage_dir, const std::vector<std::string>& task_tops) {
  (void)config;
  std::vector<SiteTop> top;
  WINNOW_RETURN_IF_ERROR(ParseTop(BoilerplateTopPath(stage_dir), &top));
  struct Site {
    std::string site_json;
    int64_t docs = 0, docs_changed = 0, lines_removed = 0;
  };
  struct Line {
    int64_t count = 0;
    std::string text_json;
  };
  std::map<uint64_t, Site> sites;
  std::map<std::pair<uint64_t, uint64_t>, Line> lines;
  std::vector<std::string_view> f;
  for (const std::string& path : task_tops) {
    std::string body;
    WINNOW_RETURN_IF_ERROR(ReadCheckedText(path, &body));
    for (std::string_view line : SplitLines(body)) {
      std::string_view rest;
      if (line.starts_with("S ") && Fields(line.substr(2), 4, &f, &rest)) {
        Site& s = sites[ToU64(f[0])];
        s.docs += static_cast<int64_t>(ToU64(f[1]));
        s.docs_changed += static_cast<int64_t>(ToU64(f[2]));
        s.lines_removed += static_cast<int64_t>(ToU64(f[3]));
        if (s.site_json.empty() || s.site_json == "\"\"")
          s.site_json = std::string(rest);
      } else if (line.starts_with("L ") &&
                 Fields(line.substr(2), 3, &f, &rest)) {
        Line& l = lines[{ToU64(f[0]), ToU64(f[1])}];
        l.count += static_cast<int64_t>(ToU64(f[2]));
        if (l.text_json.empty() || l.text_json == "\"\"")
          l.text_json = std::string(rest);
      } else {
        return Status::Corruption("bad line in " + path);
      }
    }
  }
  struct Row {
    int64_t lines_removed;
    std::string site_json;
    std::string json;
  };
  std::vector<Row> rows;
  for (const SiteTop& st : top) {
    const Site& s = sites[st.site_key];
    std::vector<std::tuple<int64_t, uint64_t, uint64_t, const Line*>> ls;
    for (const bp::GroupStat& g : st.lines) {
      auto it = lines.find({st.site_key, g.line_key});
      if (it == lines.end() || it->second.count == 0) continue;
      ls.emplace_back(-it->second.count, ~g.docs, g.line_key, &it->second);
    }
    std::sort(ls.begin(), ls.end());
    std::string top_lines = "[";
    for (const auto& [neg, pages, key, l] : ls) {
      if (top_lines.size() > 1) top_lines += ",";
      top_lines +=
          JsonObjectBuilder()
              .AddRaw("line", l->text_json.empty() ? "\"\"" : l->text_json)
              .Add("count", -neg)
              .Add("pages", static_cast<int64_t>(~pages))
              .Finish();
    }
    top_lines += "]";
    const std::string site_json = s.site_json.empty() ? "\"\"" : s.site_json;
    rows.push_back(
        Row{s.lines_removed, site_json,
            JsonObjectBuilder()
                .AddRaw("site", site_json)
                .Add("site_docs", static_cast<int64_t>(st.site_docs))
                .Add("docs", s.docs)
                .Add("docs_changed", s.docs_changed)
                .Add("lines_removed", s.lines_removed)
                .Add("boilerplate_lines", static_cast<int64_t>(st.groups))
                .AddRaw("top_lines", top_lines)
                .Finish()});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(b.lines_removed, a.site_json) <
           std::tie(a.lines_removed, b.site_json);
  });
  std::string arr = "[";
  for (const Row& row : rows) {
    if (arr.size() > 1) arr += ",";
    arr += row.json;
  }
  arr += "]";
  return JsonObjectBuilder()
      .Add("step", step_name)
      .AddRaw("sites", arr)
      .Finish();
}

}  // namespace winnow
