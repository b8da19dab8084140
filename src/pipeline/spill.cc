#include "pipeline/spill.h"

#include <cstring>

#include "pipeline/put_bytes.h"

namespace winnow {
namespace {

constexpr char kMagic[8] = {'W', 'N', 'S', 'P', 'I', 'L', 'L', '1'};
constexpr uint32_t kRecordTag = 0x52454344;  // "RECD"
constexpr size_t kSpillFlushBytes = 1 << 20;

void PutString(std::string_view s, std::string* out) {
  PutU64(s.size(), out);
  out->append(s);
}
void PutFields(const std::vector<JsonField>& fields, std::string* out) {
  PutU32(static_cast<uint32_t>(fields.size()), out);
  for (const auto& f : fields) {
    PutString(f.key, out);
    PutString(f.raw, out);
  }
}

}  // namespace

Result<std::unique_ptr<SpillWriter>> SpillWriter::Create(const std::string& path) {
  auto file = AtomicFileWriter::Create(path, Compression::kZstd, 1);
  if (!file.ok()) return file.status();
  std::unique_ptr<SpillWriter> w(new SpillWriter(std::move(file).value()));
  w->file_->Append(std::string_view(kMagic, sizeof(kMagic)));
  return w;
}

void SpillWriter::Add(const Document& doc, uint64_t ordinal) {
  PutU32(kRecordTag, &buf_);
  PutU32(doc.pos.file_index, &buf_);
  PutU64(doc.pos.offset, &buf_);
  PutU64(ordinal, &buf_);
  buf_.push_back(static_cast<char>(doc.format));
  PutString(doc.id, &buf_);
  PutString(doc.text, &buf_);
  PutFields(doc.metadata, &buf_);
  PutFields(doc.signals, &buf_);
  PutFields(doc.annotations, &buf_);
  if (buf_.size() >= kSpillFlushBytes) {
    file_->Append(buf_);
    buf_.clear();
  }
}

Status SpillWriter::Finish() {
  file_->Append(buf_);
  buf_.clear();
  return file_->Finish();
}

Result<std::unique_ptr<SpillReader>> SpillReader::Open(const std::string& path) {
  auto in = OpenInputStream(path, InputLimits{});
  if (!in.ok()) return in.status();
  std::unique_ptr<SpillReader> r(new SpillReader(std::move(in).value()));
  r->path_ = path;
  char magic[8];
  bool at_end = false;
  if (!r->ReadExact(magic, 8, &at_end) || std::memcmp(magic, kMagic, 8) != 0)
    return Status::Corruption("not a winnow spill file: " + path);
  return r;
}

bool SpillReader::ReadExact(char* p, size_t n, bool* at_end) {
  *at_end = false;
  size_t done = 0;
  while (done < n) {
    if (pos_ == buf_.size()) {
      buf_.resize(1 << 20);
      size_t got = 0;
      Status st = in_->Read(buf_.data(), buf_.size(), &got);
      if (!st.ok()) {
        status_ = Status::Corruption("spill file " + path_ + ": " + st.ToString());
        return false;
      }
      buf_.resize(got);
      pos_ = 0;
      if (got == 0) {
        if (done == 0) {
          *at_end = true;
        } else {
          status_ = Status::Corruption("spill file " + path_ + " is truncated");
        }
        return false;
      }
    }
    size_t take = std::min(n - done, buf_.size() - pos_);
    std::memcpy(p + done, buf_.data() + pos_, take);
    pos_ += take;
    done += take;
  }
  return true;
}

bool SpillReader::ReadString(std::string* s) {
  uint64_t len;
  bool at_end;
  if (!ReadExact(reinterpret_cast<char*>(&len), 8, &at_end)) {
    if (at_end) status_ = Status::Corruption("spill file " + path_ + " is truncated");
    return false;
  }
  if (len > (uint64_t{1} << 36)) {
    status_ = Status::Corruption("spill file " + path_ + ": bad length");
    return false;
  }
  s->resize(len);
  if (len == 0) return true;
  if (!ReadExact(s->data(), len, &at_end)) {
    if (at_end) status_ = Status::Corruption("spill file " + path_ + " is truncated");
    return false;
  }
  return true;
}

bool SpillReader::Next(SpilledDocument* out) {
  if (!status_.ok()) return false;
  uint32_t tag;
  bool at_end;
  if (!ReadExact(reinterpret_cast<char*>(&tag), 4, &at_end)) return false;
  if (tag != kRecordTag) {
    status_ = Status::Corruption("spill file " + path_ + ": bad record tag");
    return false;
  }
  Document& d = out->doc;
  d.Clear();
  char head[4 + 8 + 8 + 1];
  if (!ReadExact(head, sizeof(head), &at_end)) {
    if (at_end) status_ = Status::Corruption("spill file " + path_ + " is truncated");
    return false;
  }
  std::memcpy(&d.pos.file_index, head, 4);
  std::memcpy(&d.pos.offset, head + 4, 8);
  std::memcpy(&out->ordinal, head + 12, 8);
  d.format = static_cast<TextFormat>(head[20]);
  if (!ReadString(&d.id) || !ReadString(&d.text)) return false;
  for (std::vector<JsonField>* fields : {&d.metadata, &d.signals, &d.annotations}) {
    uint32_t n;
    if (!ReadExact(reinterpret_cast<char*>(&n), 4, &at_end)) {
      if (at_end) status_ = Status::Corruption("spill file " + path_ + " is truncated");
      return false;
    }
    fields->resize(n);
    for (auto& f : *fields)
      if (!ReadString(&f.key) || !ReadString(&f.raw)) return false;
  }
  return true;
}

}  // namespace winnow
