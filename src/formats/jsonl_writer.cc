#include "formats/jsonl_writer.h"

#include "core/json_writer.h"
#include "core/utf8.h"

namespace winnow {
namespace {

void AppendRaw(std::string_view raw, std::string* out) {
  if (raw.empty()) {
    out->append("null");
  } else {
    out->append(raw);
  }
}

void AppendKey(std::string_view key, std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
}

void AppendSafeString(std::string_view s, std::string* out) {
  if (IsValidUtf8(s)) {
    AppendJsonString(s, out);
    return;
  }
  std::string fixed;
  AppendRepairedUtf8(s, &fixed);
  AppendJsonString(fixed, out);
}

}  // namespace

void AppendDocumentJson(const Document& doc, std::string* out) {
  const bool own_winnow = !doc.signals.empty() || !doc.annotations.empty() ||
                          !doc.removed_by.empty();
  out->append("{\"id\":");
  AppendJsonString(doc.id, out);
  out->append(",\"text\":");
  AppendJsonString(doc.text, out);
  out->append(",\"metadata\":{");
  bool first = true;
  for (const JsonField& f : doc.metadata) {
    if (own_winnow && f.key == "winnow") continue;
    if (!first) out->push_back(',');
    first = false;
    AppendKey(f.key, out);
    AppendRaw(f.raw, out);
  }
  if (own_winnow) {
    if (!first) out->push_back(',');
    out->append("\"winnow\":{");
    bool wfirst = true;
    auto sep = [&] {
      if (!wfirst) out->push_back(',');
      wfirst = false;
    };
    if (!doc.removed_by.empty()) {
      sep();
      out->append("\"removed_by\":");
      AppendJsonString(doc.removed_by, out);
      if (!doc.reason.empty()) {
        out->append(",\"reason\":");
        AppendJsonString(doc.reason, out);
      }
      if (!doc.details.empty()) {
        out->append(",\"details\":");
        out->append(doc.details);
      }
    }
    for (const JsonField& a : doc.annotations) {
      sep();
      AppendKey(a.key, out);
      AppendRaw(a.raw, out);
    }
    if (!doc.signals.empty()) {
      sep();
      out->append("\"signals\":{");
      for (size_t i = 0; i < doc.signals.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendKey(doc.signals[i].key, out);
        AppendRaw(doc.signals[i].raw, out);
      }
      out->push_back('}');
    }
    out->push_back('}');
  }
  out->append("}}\n");
}

void AppendRejectionJson(const Rejection& rej, std::string* out) {
  out->append("{\"file\":");
  AppendSafeString(rej.file, out);
  out->append(",\"offset\":");
  out->append(std::to_string(rej.offset));
  out->append(",\"reason\":");
  AppendSafeString(rej.reason, out);
  out->append(",\"error\":");
  AppendSafeString(rej.error, out);
  out->append(",\"excerpt\":");
  AppendSafeString(rej.excerpt, out);
  out->append("}\n");
}

}  // namespace winnow
