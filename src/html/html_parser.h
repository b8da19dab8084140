// A fast, bounded HTML parser that builds a compact DOM for text extraction.
//
// It tokenizes as HTML5 does (tags, attributes, comments, raw-text elements
// such as <script>, character references) and builds the tree with the
// tree-construction rules that matter for text: void elements, implied end
// tags (<p>, <li>, <dd>/<dt>, table cells and rows, <option>, headings),
// end tags matched within their scope, and formatting end tags that never
// close the block they sit in. It does not reparent misnested formatting
// elements (the adoption agency), foster-parent text out of tables, or
// create implied <html>/<head>/<body> elements: none of these change the
// order of text, which is all extraction needs.
//
// Bounds (see ParseOptions): the open-element stack never exceeds
// max_depth, so every walk is O(max_depth) per tag and the tree depth is
// bounded; deeper start tags are dropped (their text is kept in the
// deepest open element). At most max_nodes nodes are created; the rest of
// the input is then ignored and Dom::truncated() is set. No recursion.
//
// Thread safety: an HtmlParser and a Dom are used by one thread at a time.
// Both reuse their buffers across calls.
#ifndef WINNOW_HTML_HTML_PARSER_H_
#define WINNOW_HTML_HTML_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "html/tags.h"

namespace winnow::html {

struct ParseOptions {
  // Deepest element nesting kept. Browsers cap the DOM depth at about 512
  // too. Default 512; more costs time only on hostile input.
  size_t max_depth = 512;
  // Most nodes (elements and text) created for one document; bounds memory
  // at about 40 bytes per node. Default 1,048,576 (a large news page has
  // about 10,000).
  size_t max_nodes = size_t{1} << 20;
  // Attributes kept per element; extra ones are skipped. Default 64.
  size_t max_attributes = 64;
};

inline constexpr int32_t kNoNode = -1;

struct Node {
  Tag tag = Tag::kDocument;
  uint8_t flags = 0;  // kInArena: text lives in the arena, not the input
  uint16_t depth = 0;
  int32_t parent = kNoNode;
  int32_t first_child = kNoNode;
  int32_t last_child = kNoNode;
  int32_t next_sibling = kNoNode;
  // Text node: offset and length of its (decoded) text.
  // Element: index of its first attribute and the number of attributes.
  uint32_t begin = 0;
  uint32_t count = 0;
};

struct Attr {
  uint32_t name_offset = 0;  // into the input, original case
  uint32_t name_size = 0;
  uint32_t value_offset = 0;  // input or arena (see value_in_arena)
  uint32_t value_size = 0;
  bool value_in_arena = false;
};

// The parsed tree: nodes in document order, node 0 is the document. A
// node's children all have larger indices than the node, so iterating the
// indices backwards visits children before parents.
//
// Views returned by Text/AttrName/AttrValue point into the input given to
// Parse() or into the Dom's own arena: they stay valid until the next
// Parse() into this Dom, and only while the input is alive.
class Dom {
 public:
  static constexpr uint8_t kInArena = 1;

  size_t size() const { return nodes_.size(); }
  const Node& node(int32_t i) const { return nodes_[static_cast<size_t>(i)]; }
  const std::vector<Node>& nodes() const { return nodes_; }

  // Text of a text node.
  std::string_view Text(const Node& n) const {
    const char* base = (n.flags & kInArena) ? arena_.data() : input_.data();
    return std::string_view(base + n.begin, n.count);
  }
  std::string_view AttrName(const Attr& a) const {
    return input_.substr(a.name_offset, a.name_size);
  }
  std::string_view AttrValue(const Attr& a) const {
    const char* base = a.value_in_arena ? arena_.data() : input_.data();
    return std::string_view(base + a.value_offset, a.value_size);
  }
  // Attributes of element `i`.
  const Attr* AttrBegin(int32_t i) const { return attrs_.data() + node(i).begin; }
  const Attr* AttrEnd(int32_t i) const {
    return attrs_.data() + node(i).begin + node(i).count;
  }
  // Value of attribute `lower_name` (given in lower case) of element `i`;
  // returns false when absent.
  bool FindAttr(int32_t i, std::string_view lower_name, std::string_view* value) const;

  // True when max_nodes stopped the parse early.
  bool truncated() const { return truncated_; }
  // Start tags dropped because of max_depth.
  size_t depth_limited() const { return depth_limited_; }

 private:
  friend class HtmlParser;
  std::string_view input_;
  std::vector<Node> nodes_;
  std::vector<Attr> attrs_;
  std::string arena_;
  bool truncated_ = false;
  size_t depth_limited_ = 0;
};

class HtmlParser {
 public:
  explicit HtmlParser(const ParseOptions& options = ParseOptions());

  // Parses `html` (UTF-8 expected; other bytes are passed through) into
  // `*dom`, replacing its previous content. Never fails: every byte string
  // yields a tree. REQUIRES: html.size() < 4 GiB; `html` outlives the use
  // of `*dom`.
  void Parse(std::string_view html, Dom* dom);

 private:
  struct Open {
    int32_t node;
    uint32_t name_offset;  // for matching end tags of unknown elements
    uint32_t name_size;
  };

  bool AddNode(Tag tag, uint32_t begin, uint32_t count, uint8_t flags);
  void AddText(size_t begin, size_t end, bool decode);
  void Pop();
  void PopTo(size_t stack_index);  // pops entries [stack_index, end)
  void CloseP();
  void StartTag(Tag tag, size_t name_offset, size_t name_size,
                uint32_t attr_begin, uint32_t attr_count, bool* pushed);
  void EndTag(Tag tag, size_t name_offset, size_t name_size);
  int32_t Current() const { return stack_.empty() ? 0 : stack_.back().node; }
  Tag TopTag() const;

  ParseOptions options_;
  Dom* dom_ = nullptr;
  std::string_view in_;
  std::vector<Open> stack_;
  uint32_t open_count_[kNumTags];
  bool stopped_ = false;
};

}  // namespace winnow::html

#endif  // WINNOW_HTML_HTML_PARSER_H_
