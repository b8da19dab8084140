// JSONL reader: large block reads into one padded buffer, lines found with
// memchr, each line parsed in place by simdjson On Demand with a reused
// parser. Raw metadata values are views into the line, validated by walking
// them, and copied once into the Document's reused strings.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "formats/reader_internal.h"

namespace winnow::formats_internal {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
// First buffer size; reads fill the free part of the buffer, so blocks are
// about this large. Grows (doubling) only for records longer than half of it.
constexpr size_t kInitialBuffer = 4 << 20;
// Extra room above max_record_bytes so that a maximal record plus its '\n'
// fits with a useful read size.
constexpr size_t kReadSlack = 64 << 10;
// A parser grown above this by a huge record is released afterwards.
constexpr size_t kParserKeepBytes = 16 << 20;

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// Checked on the raw token so that big integers and out-of-range exponents
// pass through untouched.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

std::string_view TypeName(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
  }
  return "unknown";
}

// Nesting deeper than ReaderOptions::max_json_depth (at most this) inside
// one record is rejected (DEPTH_ERROR, a json_too_deep rejection) rather
// than walked: the walk recurses, and a 20 MB line of '[' would otherwise
// exhaust the stack. simdjson's parsers use the same limit.
constexpr uint32_t kMaxJsonDepth = 1024;

// Consumes `v` completely, validating every nested value; `depth` is the
// nesting level of `v`; deeper than `max_depth` is a DEPTH_ERROR.
error_code Walk(od::value v, uint32_t depth, uint32_t max_depth);

// Validates `v` and returns its raw JSON text (trimmed) in *raw.
error_code RawValue(od::value v, od::json_type t, uint32_t max_depth,
                    std::string_view* raw) {
  std::string_view token = v.raw_json_token();
  switch (t) {
    case od::json_type::array:
    case od::json_type::object: {
      const char* start = token.data();
      SIMDJSON_TRY(Walk(v, 1, max_depth));
      const char* end = nullptr;
      SIMDJSON_TRY(v.current_location().get(end));
      *raw = TrimRight(std::string_view(start, static_cast<size_t>(end - start)));
      return simdjson::SUCCESS;
    }
    case od::json_type::number:
      *raw = TrimRight(token);
      return IsJsonNumber(*raw) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case od::json_type::string: {
      std::string_view s;
      SIMDJSON_TRY(v.get_string().get(s));
      *raw = TrimRight(token);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      SIMDJSON_TRY(v.get_bool().get(b));
      *raw = TrimRight(token);
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      SIMDJSON_TRY(v.is_null().get(is_null));
      if (!is_null) return simdjson::N_ATOM_ERROR;
      *raw = TrimRight(token);
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

error_code Walk(od::value v, uint32_t depth, uint32_t max_depth) {
  if (depth > max_depth) return simdjson::DEPTH_ERROR;
  od::json_type t;
  SIMDJSON_TRY(v.type().get(t));
  switch (t) {
    case od::json_type::array: {
      od::array a;
      SIMDJSON_TRY(v.get_array().get(a));
      for (auto element : a) {
        od::value x;
        SIMDJSON_TRY(element.get(x));
        SIMDJSON_TRY(Walk(x, depth + 1, max_depth));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object o;
      SIMDJSON_TRY(v.get_object().get(o));
      for (auto field : o) {
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        od::value x;
        SIMDJSON_TRY(field.value().get(x));
        SIMDJSON_TRY(Walk(x, depth + 1, max_depth));
      }
      return simdjson::SUCCESS;
    }
    default: {
      std::string_view raw;
      return RawValue(v, t, max_depth, &raw);
    }
  }
}

struct RawField {
  std::string_view key;
  std::string_view raw;
};

class JsonlReader final : public RecordReader {
 public:
  JsonlReader(std::unique_ptr<InputStream> in, const std::string& path,
              uint32_t file_index, const ReaderOptions& options)
      : in_(std::move(in)),
        path_(path),
        file_index_(file_index),
        options_(options),
        max_cap_(static_cast<size_t>(std::min<uint64_t>(
            options.max_record_bytes + kReadSlack, SIZE_MAX / 2))),
        max_depth_(std::min(options.max_json_depth, kMaxJsonDepth)) {
    Allocate(std::min(kInitialBuffer, max_cap_));
  }

  Next Read(Document* doc, Rejection* rej) override {
    for (;;) {
      if (done_) return Next::kEnd;
      char* buf = buf_.get();
      const void* nl = scan_ < end_ ? std::memchr(buf + scan_, '\n', end_ - scan_)
                                    : nullptr;
      if (nl != nullptr) {
        size_t stop = static_cast<size_t>(static_cast<const char*>(nl) - buf);
        size_t start = begin_;
        begin_ = scan_ = stop + 1;
        ++line_no_;
        Next r = ProcessLine(buf + start, stop - start,
                             buf_offset_ + start, doc, rej);
        if (r != kSkip) return r;
        continue;
      }
      scan_ = end_;
      if (eof_) {
        if (!stream_status_.ok()) return StreamErrorRejection(rej);
        if (begin_ < end_) {
          size_t start = begin_;
          begin_ = scan_ = end_;
          ++line_no_;
          Next r = ProcessLine(buf + start, end_ - start,
                               buf_offset_ + start, doc, rej);
          if (r != kSkip) return r;
        }
        done_ = true;
        return Next::kEnd;
      }
      if (end_ - begin_ > options_.max_record_bytes) return SkipLongRecord(rej);
      Refill();
    }
  }

  const Counters& counters() const override { return counters_; }

 private:
  // ProcessLine's "no record here" result (blank line).
  static constexpr Next kSkip = static_cast<Next>(-1);

  // The buffer is not zero-filled (4 MiB per input file, mostly for
  // nothing on small files): Refill zeroes the kPadding bytes after the
  // data, the only bytes past a record that the parser may read.
  void Allocate(size_t cap) {
    std::unique_ptr<char[]> fresh(new char[cap + kPadding]);
    // Called with begin_ == 0 (after compaction) or on an empty buffer.
    if (buf_ != nullptr) std::memcpy(fresh.get(), buf_.get(), end_);
    buf_ = std::move(fresh);
    cap_ = cap;
  }

  // Moves the partial record to the front, grows the buffer when the
  // partial record fills more than half of it, and reads one block.
  void Refill() {
    if (begin_ > 0) {
      if (buf_ != nullptr && end_ > begin_) {
        std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      }
      buf_offset_ += begin_;
      scan_ -= begin_;
      end_ -= begin_;
      begin_ = 0;
    }
    if (cap_ - end_ < cap_ / 2 && cap_ < max_cap_) {
      Allocate(std::min(max_cap_, cap_ * 2));
    }
    size_t got = 0;
    Status s = in_->Read(buf_.get() + end_, cap_ - end_, &got);
    end_ += got;
    std::memset(buf_.get() + end_, 0, kPadding);
    if (!s.ok()) {
      stream_status_ = std::move(s);
      eof_ = true;
    } else if (got == 0) {
      eof_ = true;
    }
  }

  Next ProcessLine(const char* line, size_t len, uint64_t offset,
                   Document* doc, Rejection* rej) {
    if (offset == 0 && len >= 3 && std::memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
      line += 3;
      len -= 3;
    }
    if (len == 0 || (line[0] != '{' && IsBlank(line, len))) {
      counters_.Add("blank_lines");
      return kSkip;
    }
    if (len > options_.max_record_bytes) {
      FillRejection(path_, offset, "record_too_large",
                    "record of " + std::to_string(len) +
                        " bytes exceeds max_record_bytes (" +
                        std::to_string(options_.max_record_bytes) + ")",
                    std::string_view(line, len), rej);
      return Next::kRejected;
    }
    if (len > options_.max_parse_bytes) {
      FillRejection(path_, offset, "memory_limit",
                    "record of " + std::to_string(len) +
                        " bytes would need more than the worker's memory budget to parse"
                        " (records up to " + std::to_string(options_.max_parse_bytes) +
                        " bytes fit; limits.max_worker_memory_mb)",
                    std::string_view(line, len), rej);
      return Next::kRejected;
    }
    if (parser_.capacity() > kParserKeepBytes && len < kParserKeepBytes) {
      parser_ = od::parser();
    }
    size_t readable = static_cast<size_t>(buf_.get() + cap_ + kPadding - line);
    bool repaired = false;
    reason_ = "invalid_json";
    od::document d;
    error_code e = parser_.iterate(line, len, readable).get(d);
    if (e == simdjson::UTF8_ERROR) {
      repaired_.clear();
      AppendRepairedUtf8(std::string_view(line, len), &repaired_);
      repaired_.reserve(repaired_.size() + kPadding);
      repaired = true;
      e = parser_.iterate(repaired_.data(), repaired_.size(),
                          repaired_.capacity())
              .get(d);
    }
    std::string error;
    if (e == simdjson::SUCCESS) {
      Extract(d, doc, &error);
    } else {
      error = JsonError(e);
    }
    if (!error.empty()) {
      FillRejection(path_, offset, reason_, error, std::string_view(line, len),
                    rej);
      return Next::kRejected;
    }
    if (repaired) counters_.Add("utf8_repaired");
    doc->pos.file_index = file_index_;
    doc->pos.offset = offset;
    return Next::kDocument;
  }

  static bool IsBlank(const char* p, size_t len) {
    for (size_t i = 0; i < len; ++i) {
      if (!IsJsonSpace(p[i])) return false;
    }
    return true;
  }

  // Clears everything but the metadata vector, whose elements are reused.
  static void ClearKeepingMetadata(Document* doc) {
    doc->id.clear();
    doc->text.clear();
    doc->format = TextFormat::kText;
    doc->signals.clear();
    doc->annotations.clear();
    doc->removed_by.clear();
    doc->reason.clear();
    doc->details.clear();
    doc->pos = Position{};
  }

  // The rejection message for simdjson error `e`. A DEPTH_ERROR (from the
  // depth limit of Walk) also sets reason_ to json_too_deep; every other
  // error keeps the caller's reason_ (invalid_json).
  std::string JsonError(error_code e) {
    if (e != simdjson::DEPTH_ERROR) return simdjson::error_message(e);
    reason_ = "json_too_deep";
    return "JSON nested deeper than max_json_depth (" +
           std::to_string(max_depth_) + ")";
  }

  // Fills `doc` from the parsed line. On failure sets *error and reason_.
  void Extract(od::document& d, Document* doc, std::string* error) {
    ClearKeepingMetadata(doc);
    meta_.clear();
    extra_.clear();
    reason_ = "invalid_json";
    enum class TextState { kMissing, kString, kWrongType } text_state =
        TextState::kMissing;
    od::json_type text_type = od::json_type::null;
    bool have_id = false;

    od::object obj;
    error_code e = d.get_object().get(obj);
    if (e != simdjson::SUCCESS) {
      *error = e == simdjson::INCORRECT_TYPE
                   ? "top-level JSON value is not an object"
                   : JsonError(e);
      return;
    }
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      od::json_type t;
      if ((e = std::move(field_result).get(field)) ||
          (e = field.unescaped_key().get(key))) {
        break;
      }
      od::value v = field.value();
      if ((e = v.type().get(t))) break;
      if (key == options_.text_key) {
        if (t == od::json_type::string) {
          std::string_view s;
          if ((e = v.get_string().get(s))) break;
          doc->text.assign(s);
          text_state = TextState::kString;
        } else {
          std::string_view raw;
          if ((e = RawValue(v, t, max_depth_, &raw))) break;
          text_state = t == od::json_type::null ? TextState::kMissing
                                                 : TextState::kWrongType;
          text_type = t;
        }
      } else if (key == options_.id_key) {
        if (t == od::json_type::string) {
          std::string_view s;
          if ((e = v.get_string().get(s))) break;
          doc->id.assign(s);
          have_id = true;
        } else {
          std::string_view raw;
          if ((e = RawValue(v, t, max_depth_, &raw))) break;
          have_id = t != od::json_type::null;
          if (have_id) doc->id.assign(raw);
        }
      } else if (key == "metadata" && t == od::json_type::object) {
        od::object m;
        if ((e = v.get_object().get(m))) break;
        for (auto mf_result : m) {
          od::field mf;
          RawField f;
          od::json_type mt;
          if ((e = std::move(mf_result).get(mf)) ||
              (e = mf.unescaped_key().get(f.key))) {
            break;
          }
          od::value mv = mf.value();
          if ((e = mv.type().get(mt)) || (e = RawValue(mv, mt, max_depth_, &f.raw))) break;
          meta_.push_back(f);
        }
        if (e) break;
      } else {
        RawField f{key, {}};
        if ((e = RawValue(v, t, max_depth_, &f.raw))) break;
        extra_.push_back(f);
      }
    }
    if (e != simdjson::SUCCESS) {
      *error = JsonError(e);
      return;
    }
    const char* rest = nullptr;
    if (d.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      *error = "trailing content after the JSON object";
      return;
    }
    if (text_state == TextState::kMissing) {
      reason_ = "missing_text";
      *error = "no \"" + options_.text_key + "\" field (or it is null)";
      return;
    }
    if (text_state == TextState::kWrongType) {
      reason_ = "text_not_string";
      *error = "\"" + options_.text_key + "\" is a " +
               std::string(TypeName(text_type)) + ", not a string";
      return;
    }
    if (!have_id) {
      doc->id.assign(path_);
      doc->id.push_back(':');
      doc->id.append(std::to_string(line_no_));
    }
    size_t n = 0;
    auto put = [&](const RawField& f) {
      if (n < doc->metadata.size()) {
        doc->metadata[n].key.assign(f.key);
        doc->metadata[n].raw.assign(f.raw);
      } else {
        doc->metadata.push_back(JsonField{std::string(f.key), std::string(f.raw)});
      }
      ++n;
    };
    for (const RawField& f : meta_) put(f);
    for (const RawField& f : extra_) put(f);
    doc->metadata.resize(n);
  }

  // The partial record is longer than max_record_bytes: reads on to its end
  // without keeping it, then reports it.
  Next SkipLongRecord(Rejection* rej) {
    uint64_t start = buf_offset_ + begin_;
    ++line_no_;
    excerpt_src_.assign(buf_.get() + begin_,
                        std::min<size_t>(end_ - begin_, kExcerptBytes + 4));
    uint64_t length = end_ - begin_;
    buf_offset_ += end_;
    begin_ = scan_ = end_ = 0;
    for (;;) {
      size_t got = 0;
      Status s = in_->Read(buf_.get(), cap_, &got);
      const void* nl = got > 0 ? std::memchr(buf_.get(), '\n', got) : nullptr;
      if (nl != nullptr) {
        size_t stop = static_cast<size_t>(static_cast<const char*>(nl) - buf_.get());
        length += stop;
        begin_ = scan_ = stop + 1;
        end_ = got;
        std::memset(buf_.get() + end_, 0, kPadding);
        break;
      }
      length += got;
      buf_offset_ += got;
      if (!s.ok()) {
        stream_status_ = std::move(s);
        eof_ = true;
        FillRejection(path_, start, ReasonForStreamError(stream_status_),
                      stream_status_.message() + "; inside a record of at least " +
                          std::to_string(length) +
                          " bytes (over max_record_bytes)",
                      excerpt_src_, rej);
        done_ = true;
        return Next::kRejected;
      }
      if (got == 0) {
        eof_ = true;
        break;
      }
    }
    FillRejection(path_, start, "record_too_large",
                  "record of " + std::to_string(length) +
                      " bytes exceeds max_record_bytes (" +
                      std::to_string(options_.max_record_bytes) + ")",
                  excerpt_src_, rej);
    return Next::kRejected;
  }

  Next StreamErrorRejection(Rejection* rej) {
    std::string_view partial(buf_.get() + begin_, end_ - begin_);
    std::string error = stream_status_.message();
    if (!partial.empty()) {
      error += "; dropped an incomplete record of " +
               std::to_string(partial.size()) + " bytes";
    }
    FillRejection(path_, buf_offset_ + begin_,
                  ReasonForStreamError(stream_status_), error, partial, rej);
    done_ = true;
    return Next::kRejected;
  }

  std::unique_ptr<InputStream> in_;
  const std::string path_;
  const uint32_t file_index_;
  const ReaderOptions options_;
  const size_t max_cap_;

  // buf_ holds cap_ bytes plus kPadding readable bytes for simdjson.
  // [begin_, end_) is undelivered data; '\n' was searched up to scan_.
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t begin_ = 0;
  size_t scan_ = 0;
  size_t end_ = 0;
  uint64_t buf_offset_ = 0;  // stream offset of buf_[0]
  uint64_t line_no_ = 0;     // lines consumed so far
  bool eof_ = false;
  bool done_ = false;
  Status stream_status_;

  od::parser parser_;
  // options_.max_json_depth, at most kMaxJsonDepth.
  uint32_t max_depth_ = kMaxJsonDepth;
  std::string repaired_;
  std::string excerpt_src_;
  std::vector<RawField> meta_;
  std::vector<RawField> extra_;
  std::string_view reason_;
  Counters counters_;
};

}  // namespace

std::unique_ptr<RecordReader> NewJsonlReader(std::unique_ptr<InputStream> in,
                                             const std::string& path,
                                             uint32_t file_index,
                                             const ReaderOptions& options) {
  return std::make_unique<JsonlReader>(std::move(in), path, file_index,
                                       options);
}

}  // namespace winnow::formats_internal
