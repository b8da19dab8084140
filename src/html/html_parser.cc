#include "html/html_parser.h"

#include <algorithm>
#include <cstring>

#include "core/ascii.h"
#include "html/entities.h"

namespace winnow::html {
namespace {

// Position of "</name" (followed by a delimiter) at or after `pos`, or npos.
size_t FindRawEnd(std::string_view in, size_t pos, std::string_view name) {
  while (pos < in.size()) {
    const void* p = std::memchr(in.data() + pos, '<', in.size() - pos);
    if (p == nullptr) return std::string_view::npos;
    size_t lt = static_cast<const char*>(p) - in.data();
    size_t after = lt + 2 + name.size();
    if (lt + 1 < in.size() && in[lt + 1] == '/' && after <= in.size() &&
        EqualsIgnoreAsciiCase(in.substr(lt + 2, name.size()), name) &&
        (after == in.size() || IsAsciiWhitespace(in[after]) || in[after] == '/' ||
         in[after] == '>')) {
      return lt;
    }
    pos = lt + 1;
  }
  return std::string_view::npos;
}

// Index just past the next '>' at or after `pos`, or in.size().
size_t SkipPastGt(std::string_view in, size_t pos) {
  if (pos >= in.size()) return in.size();
  const void* p = std::memchr(in.data() + pos, '>', in.size() - pos);
  return p == nullptr ? in.size() : static_cast<const char*>(p) - in.data() + 1;
}

}  // namespace

bool Dom::FindAttr(int32_t i, std::string_view lower_name, std::string_view* value) const {
  for (const Attr* a = AttrBegin(i); a != AttrEnd(i); ++a) {
    if (a->name_size == lower_name.size() && EqualsIgnoreAsciiCase(AttrName(*a), lower_name)) {
      *value = AttrValue(*a);
      return true;
    }
  }
  return false;
}

HtmlParser::HtmlParser(const ParseOptions& options) : options_(options) {
  if (options_.max_depth < 1) options_.max_depth = 1;
  if (options_.max_depth > 60000) options_.max_depth = 60000;
  if (options_.max_nodes < 1) options_.max_nodes = 1;
}

Tag HtmlParser::TopTag() const {
  return stack_.empty() ? Tag::kDocument : dom_->nodes_[stack_.back().node].tag;
}

bool HtmlParser::AddNode(Tag tag, uint32_t begin, uint32_t count, uint8_t flags) {
  std::vector<Node>& nodes = dom_->nodes_;
  if (nodes.size() >= options_.max_nodes) {
    stopped_ = true;
    dom_->truncated_ = true;
    return false;
  }
  int32_t parent = Current();
  int32_t index = static_cast<int32_t>(nodes.size());
  Node& n = nodes.emplace_back();
  n.tag = tag;
  n.flags = flags;
  n.parent = parent;
  n.begin = begin;
  n.count = count;
  Node& p = nodes[parent];
  n.depth = static_cast<uint16_t>(p.depth + 1);
  if (p.last_child == kNoNode) {
    p.first_child = index;
  } else {
    nodes[p.last_child].next_sibling = index;
  }
  p.last_child = index;
  return true;
}

void HtmlParser::AddText(size_t begin, size_t end, bool decode) {
  if (begin >= end) return;
  std::string_view text = in_.substr(begin, end - begin);
  if (decode && std::memchr(text.data(), '&', text.size()) != nullptr) {
    std::string& arena = dom_->arena_;
    size_t offset = arena.size();
    AppendDecoded(text, false, &arena);
    AddNode(Tag::kText, static_cast<uint32_t>(offset),
            static_cast<uint32_t>(arena.size() - offset), Dom::kInArena);
  } else {
    AddNode(Tag::kText, static_cast<uint32_t>(begin), static_cast<uint32_t>(text.size()), 0);
  }
}

void HtmlParser::Pop() {
  Tag t = dom_->nodes_[stack_.back().node].tag;
  --open_count_[static_cast<int>(t)];
  stack_.pop_back();
}

void HtmlParser::PopTo(size_t stack_index) {
  while (stack_.size() > stack_index) Pop();
}

void HtmlParser::CloseP() {
  if (open_count_[static_cast<int>(Tag::kP)] == 0) return;
  for (size_t i = stack_.size(); i-- > 0;) {
    Tag t = dom_->nodes_[stack_[i].node].tag;
    if (t == Tag::kP) {
      PopTo(i);
      return;
    }
    if (HasProp(t, kScope) || t == Tag::kButton) return;
  }
}

void HtmlParser::StartTag(Tag tag, size_t name_offset, size_t name_size,
                          uint32_t attr_begin, uint32_t attr_count, bool* pushed) {
  *pushed = false;
  const uint16_t props = TagProperties(tag);
  auto open = [&](Tag t) { return open_count_[static_cast<int>(t)] != 0; };

  switch (tag) {
    case Tag::kHtml:
    case Tag::kBody:
    case Tag::kHead:
      if (open(tag)) return;
      if (tag == Tag::kBody && open(Tag::kHead)) {
        for (size_t i = stack_.size(); i-- > 0;) {
          if (dom_->nodes_[stack_[i].node].tag == Tag::kHead) {
            PopTo(i);
            break;
          }
        }
      }
      break;
    case Tag::kLi:
    case Tag::kDd:
    case Tag::kDt: {
      bool is_li = tag == Tag::kLi;
      if (is_li ? open(Tag::kLi) : (open(Tag::kDd) || open(Tag::kDt))) {
        for (size_t i = stack_.size(); i-- > 0;) {
          Tag t = dom_->nodes_[stack_[i].node].tag;
          if (is_li ? t == Tag::kLi : (t == Tag::kDd || t == Tag::kDt)) {
            PopTo(i);
            break;
          }
          if ((HasProp(t, kBlock) || HasProp(t, kScope)) && t != Tag::kDiv &&
              t != Tag::kAddress && t != Tag::kP)
            break;
        }
      }
      CloseP();
      break;
    }
    case Tag::kTd:
    case Tag::kTh:
    case Tag::kTr:
    case Tag::kTbody:
    case Tag::kThead:
    case Tag::kTfoot:
    case Tag::kCaption:
    case Tag::kColgroup: {
      if (!open(Tag::kTable)) break;
      const bool cell = tag == Tag::kTd || tag == Tag::kTh;
      for (size_t i = stack_.size(); i-- > 0;) {
        Tag t = dom_->nodes_[stack_[i].node].tag;
        if (t == Tag::kTable) break;
        const bool t_cell = t == Tag::kTd || t == Tag::kTh;
        const bool t_section = t == Tag::kTbody || t == Tag::kThead || t == Tag::kTfoot ||
                               t == Tag::kCaption || t == Tag::kColgroup;
        if (cell) {
          if (t_cell) {
            PopTo(i);
            break;
          }
          if (t == Tag::kTr || t_section) break;
        } else if (tag == Tag::kTr) {
          if (t == Tag::kTr) {
            PopTo(i);
            break;
          }
          if (t_section) break;
          if (t_cell) continue;
        } else {
          if (t_section) {
            PopTo(i);
            break;
          }
          if (t_cell || t == Tag::kTr) continue;
        }
        if (HasProp(t, kScope)) break;
      }
      break;
    }
    case Tag::kOption:
    case Tag::kOptgroup:
      if (TopTag() == Tag::kOption) Pop();
      if (tag == Tag::kOptgroup && TopTag() == Tag::kOptgroup) Pop();
      break;
    case Tag::kA:
      if (open(Tag::kA)) {
        for (size_t i = stack_.size(); i-- > 0;) {
          Tag t = dom_->nodes_[stack_[i].node].tag;
          if (t == Tag::kA) {
            PopTo(i);
            break;
          }
          if (HasProp(t, kBlock) || HasProp(t, kScope)) break;
        }
      }
      break;
    default:
      break;
  }
  if (props & kClosesP) CloseP();
  if (props & kHeading) {
    if (HasProp(TopTag(), kHeading)) Pop();
  }

  if (props & kVoid) {
    AddNode(tag, attr_begin, attr_count, 0);
    return;
  }
  if (stack_.size() >= options_.max_depth) {
    ++dom_->depth_limited_;
    return;
  }
  if (!AddNode(tag, attr_begin, attr_count, 0)) return;
  stack_.push_back({static_cast<int32_t>(dom_->nodes_.size() - 1),
                    static_cast<uint32_t>(name_offset), static_cast<uint32_t>(name_size)});
  ++open_count_[static_cast<int>(tag)];
  *pushed = true;
}

void HtmlParser::EndTag(Tag tag, size_t name_offset, size_t name_size) {
  switch (tag) {
    case Tag::kBr: {
      bool pushed;
      StartTag(Tag::kBr, name_offset, name_size, 0, 0, &pushed);
      return;
    }
    case Tag::kBody:
    case Tag::kHtml:
      return;
    case Tag::kP:
      CloseP();
      return;
    default:
      break;
  }
  if (open_count_[static_cast<int>(tag)] == 0) return;
  const bool block_like = HasProp(tag, kBlock) || HasProp(tag, kScope);
  std::string_view name = in_.substr(name_offset, name_size);
  for (size_t i = stack_.size(); i-- > 0;) {
    const Open& o = stack_[i];
    Tag t = dom_->nodes_[o.node].tag;
    if (t == tag && (tag != Tag::kUnknown ||
                     EqualsIgnoreAsciiCase(in_.substr(o.name_offset, o.name_size), name))) {
      PopTo(i);
      return;
    }
    if (block_like ? HasProp(t, kScope) : (HasProp(t, kBlock) || HasProp(t, kScope))) return;
  }
}

void HtmlParser::Parse(std::string_view html, Dom* dom) {
  dom_ = dom;
  in_ = html;
  dom->input_ = html;
  dom->nodes_.clear();
  dom->attrs_.clear();
  dom->arena_.clear();
  dom->truncated_ = false;
  dom->depth_limited_ = 0;
  stack_.clear();
  std::fill(std::begin(open_count_), std::end(open_count_), 0u);
  stopped_ = false;
  dom->nodes_.emplace_back();  // the document

  const std::string_view in = html;
  const size_t n = in.size();
  size_t pos = 0;
  size_t text_begin = 0;
  while (pos < n && !stopped_) {
    const void* p = std::memchr(in.data() + pos, '<', n - pos);
    if (p == nullptr) break;
    size_t lt = static_cast<const char*>(p) - in.data();
    if (lt + 1 >= n) break;
    char c = in[lt + 1];
    if (c == '!') {
      AddText(text_begin, lt, true);
      if (in.substr(lt + 2, 2) == "--") {
        size_t body = lt + 4;
        // "<!-->" and "<!--->" end at once.
        if (body < n && in[body] == '>') {
          pos = body + 1;
        } else if (body + 1 < n && in[body] == '-' && in[body + 1] == '>') {
          pos = body + 2;
        } else {
          size_t end = in.find("-->", body);
          pos = end == std::string_view::npos ? n : end + 3;
        }
      } else {
        pos = SkipPastGt(in, lt + 2);
      }
      text_begin = pos;
      continue;
    }
    if (c == '?') {
      AddText(text_begin, lt, true);
      pos = SkipPastGt(in, lt + 2);
      text_begin = pos;
      continue;
    }
    const bool end_tag = c == '/';
    size_t name_begin = lt + (end_tag ? 2 : 1);
    if (name_begin >= n || !IsAsciiAlpha(in[name_begin])) {
      if (end_tag) {
        // "</>" is dropped; "</3" and the like are bogus comments.
        AddText(text_begin, lt, true);
        pos = SkipPastGt(in, lt + 2);
        text_begin = pos;
      } else {
        pos = lt + 1;  // a literal '<' stays in the text
      }
      continue;
    }
    size_t i = name_begin;
    while (i < n && !IsAsciiWhitespace(in[i]) && in[i] != '/' && in[i] != '>') ++i;
    const size_t name_size = i - name_begin;
    const Tag tag = LookupTag(in.substr(name_begin, name_size));

    // Attributes.
    const uint32_t attr_begin = static_cast<uint32_t>(dom->attrs_.size());
    uint32_t attr_count = 0;
    bool complete = false;
    while (i < n) {
      while (i < n && (IsAsciiWhitespace(in[i]) || in[i] == '/')) ++i;
      if (i >= n) break;
      if (in[i] == '>') {
        ++i;
        complete = true;
        break;
      }
      size_t an = i;
      ++i;  // the first character may be '='
      while (i < n && !IsAsciiWhitespace(in[i]) && in[i] != '/' && in[i] != '>' && in[i] != '=') {
        ++i;
      }
      size_t an_end = i;
      while (i < n && IsAsciiWhitespace(in[i])) ++i;
      size_t vb = i, ve = i;
      if (i < n && in[i] == '=') {
        ++i;
        while (i < n && IsAsciiWhitespace(in[i])) ++i;
        if (i < n && (in[i] == '"' || in[i] == '\'')) {
          const void* q = std::memchr(in.data() + i + 1, in[i], n - i - 1);
          if (q == nullptr) {
            i = n;
            break;
          }
          vb = i + 1;
          ve = static_cast<const char*>(q) - in.data();
          i = ve + 1;
        } else {
          vb = i;
          while (i < n && !IsAsciiWhitespace(in[i]) && in[i] != '>') ++i;
          ve = i;
        }
      }
      if (!end_tag && attr_count < options_.max_attributes) {
        Attr a;
        a.name_offset = static_cast<uint32_t>(an);
        a.name_size = static_cast<uint32_t>(an_end - an);
        std::string_view value = in.substr(vb, ve - vb);
        if (std::memchr(value.data(), '&', value.size()) != nullptr) {
          std::string& arena = dom->arena_;
          a.value_offset = static_cast<uint32_t>(arena.size());
          AppendDecoded(value, true, &arena);
          a.value_size = static_cast<uint32_t>(arena.size() - a.value_offset);
          a.value_in_arena = true;
        } else {
          a.value_offset = static_cast<uint32_t>(vb);
          a.value_size = static_cast<uint32_t>(ve - vb);
        }
        dom->attrs_.push_back(a);
        ++attr_count;
      }
    }
    if (!complete) {
      // End of input inside a tag: the tag is dropped, as browsers do.
      dom->attrs_.resize(attr_begin);
      AddText(text_begin, lt, true);
      text_begin = n;
      pos = n;
      break;
    }
    AddText(text_begin, lt, true);
    pos = i;
    text_begin = pos;
    if (end_tag) {
      EndTag(tag, name_begin, name_size);
      continue;
    }
    bool pushed = false;
    // Foreign content: "<svg/>", "<math/>" and, inside them, "<x/>" close
    // themselves, and <title> there holds markup, not raw text: an icon's
    // "<title/>" must not swallow the page up to the next "</title>".
    const bool foreign = tag == Tag::kSvg || tag == Tag::kMath ||
                         open_count_[static_cast<int>(Tag::kSvg)] +
                                 open_count_[static_cast<int>(Tag::kMath)] > 0;
    StartTag(tag, name_begin, name_size, attr_begin, attr_count, &pushed);
    if (foreign) {
      if (pos >= 2 && in[pos - 2] == '/') {
        if (pushed) Pop();
        continue;
      }
      if (tag == Tag::kTitle || tag == Tag::kTextarea) continue;
    }
    if (HasProp(tag, kRawText)) {
      std::string_view name = in.substr(name_begin, name_size);
      size_t end = FindRawEnd(in, pos, name);
      size_t content_end = end == std::string_view::npos ? n : end;
      if (pushed) AddText(pos, content_end, HasProp(tag, kEscapable));
      if (pushed) Pop();
      pos = end == std::string_view::npos ? n : SkipPastGt(in, end + 2);
      text_begin = pos;
    } else if (tag == Tag::kPlaintext && pushed) {
      AddText(pos, n, false);
      pos = n;
      text_begin = n;
    }
  }
  if (!stopped_) AddText(text_begin, n, true);
  stack_.clear();
  dom_ = nullptr;
}

}  // namespace winnow::html
