// Document: the unit of data flowing through winnow, in the schema that
// datatrove and Dolma use: {"id", "text", "metadata": {...}}.
//
// Metadata is kept as an ordered list of (key, raw JSON value) pairs exactly as
// it was read, so fields winnow does not touch round-trip byte for byte.
// Top-level fields other than id/text/metadata are appended to `metadata` in
// input order. winnow's own fields are kept apart (`signals`, `removed_by`,
// ...) and are written under `metadata.winnow` by the writer.
#ifndef WINNOW_DOCUMENT_H_
#define WINNOW_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

// A JSON object member whose value is kept as serialized JSON text.
struct JsonField {
  std::string key;
  std::string raw;  // a complete JSON value: "\"str\"", "12", "{...}", ...
};

// Stable position of a record in the job's inputs. Used for every
// deterministic choice: which duplicate survives, ordering, shard naming.
struct Position {
  uint32_t file_index = 0;  // index into the job's sorted list of input files
  uint64_t offset = 0;      // byte offset of the record in the (decoded) file

  friend bool operator==(const Position&, const Position&) = default;
  friend auto operator<=>(const Position&, const Position&) = default;
};

// What `Document::text` holds. Readers of crawl archives deliver HTML (already
// converted to UTF-8); the extraction step turns it into kText. Text steps
// only ever see kText: the pipeline runs extraction first.
enum class TextFormat : uint8_t { kText, kHtml };

// The work a document has cost the steps, in units of about one byte of text
// handled, against a budget (the job's limits.max_document_work; see
// docs/RELIABILITY.md "Limits"). The step runner sets the budget and charges
// every step the bytes of text it receives; a step whose loops do more than
// one pass over the bytes charges the rest itself and may stop early once
// exhausted() (the runner then removes the document with reason
// "work_limit"). Deterministic: counts, never time. Not serialized.
struct WorkMeter {
  uint64_t used = 0;
  uint64_t budget = UINT64_MAX;

  void Charge(uint64_t units) { used += units; }
  bool exhausted() const { return used > budget; }
};

struct Document {
  std::string id;
  std::string text;
  TextFormat format = TextFormat::kText;
  std::vector<JsonField> metadata;  // user metadata, input order

  // winnow's annotations, written under metadata.winnow.
  // signals: one entry per step that records signals; key = step name,
  // raw = JSON object of signal values.
  std::vector<JsonField> signals;
  // Other annotations (e.g. "language"), written as metadata.winnow.<key>.
  std::vector<JsonField> annotations;
  // Set when a step removes the document.
  std::string removed_by;  // step name
  std::string reason;      // machine-readable reason, e.g. "gopher_short_doc"
  std::string details;     // JSON object with the deciding values, or empty

  Position pos;

  // Work charged so far (see WorkMeter); reset by Clear().
  WorkMeter work;

  // Returns the metadata field `key`, or nullptr.
  const JsonField* FindMetadata(std::string_view key) const {
    for (const auto& f : metadata)
      if (f.key == key) return &f;
    return nullptr;
  }

  // Resets all fields, keeping allocated capacity where possible (readers
  // reuse Document objects in hot loops).
  void Clear() {
    id.clear();
    text.clear();
    format = TextFormat::kText;
    metadata.clear();
    signals.clear();
    annotations.clear();
    removed_by.clear();
    reason.clear();
    details.clear();
    pos = Position{};
    work = WorkMeter{};
  }
};

}  // namespace winnow

#endif  // WINNOW_DOCUMENT_H_
