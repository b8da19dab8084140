// Serializing documents and rejections as JSON lines.
//
// Output is deterministic (fields in a fixed order, no whitespace) and reads
// back through the JSONL reader to the same Document, so that reading a file
// winnow wrote and writing it again gives identical bytes.
#ifndef WINNOW_FORMATS_JSONL_WRITER_H_
#define WINNOW_FORMATS_JSONL_WRITER_H_

#include <string>

#include "formats/record_reader.h"
#include "winnow/document.h"

namespace winnow {

// Appends one JSON line (ending in '\n') for `doc`:
//   {"id":..,"text":..,"metadata":{<metadata fields in order, raw>,
//    "winnow":{...}}}
// "metadata" is always written (possibly {}). metadata.winnow is written
// only when the document has signals, annotations or a removal:
//   {"removed_by":..,"reason":..,"details":{..},<annotations...>,
//    "signals":{<step>:{..},...}}
// with each part present only when non-empty; an input metadata field named
// "winnow" is dropped when winnow writes its own (and kept otherwise).
// REQUIRES: id, text and keys are valid UTF-8 (the reader guarantees it);
// raw values are complete JSON values (an empty raw value is written as
// null).
void AppendDocumentJson(const Document& doc, std::string* out);

// Appends {"file":..,"offset":..,"reason":..,"error":..,"excerpt":..} and
// '\n'. Strings that are not valid UTF-8 (e.g. a path) are repaired.
void AppendRejectionJson(const Rejection& rej, std::string* out);

}  // namespace winnow

#endif  // WINNOW_FORMATS_JSONL_WRITER_H_
