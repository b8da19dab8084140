#include "html/html_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "html/entities.h"

namespace winnow::html {
namespace {

// Renders the tree as "tag(child child)" with text in quotes, for
// comparisons. Iterative, like everything that walks a Dom.
std::string Render(const Dom& dom) {
  std::string out;
  int32_t i = dom.node(0).first_child;
  while (i != kNoNode) {
    const Node& n = dom.node(i);
    if (n.tag == Tag::kText) {
      out += "'" + std::string(dom.Text(n)) + "'";
    } else {
      out += n.tag == Tag::kUnknown ? std::string("?") : std::string(TagName(n.tag));
      if (n.first_child != kNoNode) {
        out += "(";
        i = n.first_child;
        continue;
      }
    }
    while (i != kNoNode && dom.node(i).next_sibling == kNoNode) {
      i = dom.node(i).parent;
      if (i == 0 || i == kNoNode) return out;
      out += ")";
    }
    if (i == kNoNode) break;
    i = dom.node(i).next_sibling;
    out += " ";
  }
  return out;
}

std::string Parse(std::string_view html, const ParseOptions& options = ParseOptions()) {
  HtmlParser parser(options);
  Dom dom;
  parser.Parse(html, &dom);
  return Render(dom);
}

TEST(HtmlParser, BuildsNestedElementsAndText) {
  EXPECT_EQ(Parse("<div><p>One <b>two</b></p></div>"), "div(p('One ' b('two')))");
}

TEST(HtmlParser, ParagraphClosedByNextBlock) {
  EXPECT_EQ(Parse("<p>first<p>second<div>third</div>"), "p('first') p('second') div('third')");
}

TEST(HtmlParser, ListItemsCloseEachOtherButNotNestedLists) {
  EXPECT_EQ(Parse("<ul><li>a<li>b<ul><li>c</ul><li>d</ul>"),
            "ul(li('a') li('b' ul(li('c'))) li('d'))");
}

TEST(HtmlParser, TableCellsAndRowsAreClosedImplicitly) {
  EXPECT_EQ(Parse("<table><tr><td>1<td>2<tr><td>3</table>"),
            "table(tr(td('1') td('2')) tr(td('3')))");
}

TEST(HtmlParser, ScriptAndStyleContentIsRawText) {
  EXPECT_EQ(Parse("<script>if (a<b) x='</div>';</script><p>t"),
            "script('if (a<b) x='</div>';') p('t')");
}

TEST(HtmlParser, SelfClosedTitleInsideSvgDoesNotSwallowThePage) {
  // An icon's "<title/>" is an empty element of the drawing, not the start
  // of a raw-text title running to the document's "</title>".
  EXPECT_EQ(Parse("<a><svg><title/><path d=\"M0\"/></svg></a><p>body text</p>"
                  "<title>Page</title>"),
            "a(svg(title ?)) p('body text') title('Page')");
  EXPECT_EQ(Parse("<svg><title>Logo</title></svg><p>after</p>"),
            "svg(title('Logo')) p('after')");
  EXPECT_EQ(Parse("<div><svg class=icon/><p>next</p></div>"), "div(svg p('next'))");
}

TEST(HtmlParser, DecodesCharacterReferencesInTextAndAttributes) {
  HtmlParser parser;
  Dom dom;
  parser.Parse("<a title=\"caf&eacute; &amp; co\">&lt;b&gt; &#233;&#x20AC; &copy &bogus;</a>", &dom);
  ASSERT_EQ(dom.size(), 3u);
  std::string_view title;
  ASSERT_TRUE(dom.FindAttr(1, "title", &title));
  EXPECT_EQ(title, "caf\xC3\xA9 & co");
  EXPECT_EQ(dom.Text(dom.node(2)), "<b> \xC3\xA9\xE2\x82\xAC \xC2\xA9 &bogus;");
}

TEST(HtmlParser, CommentsAndDoctypeLeaveNoText) {
  EXPECT_EQ(Parse("<!DOCTYPE html><!-- note --><p>x<!-->y"), "p('x' 'y')");
}

TEST(HtmlParser, FormattingEndTagDoesNotCloseEnclosingBlock) {
  EXPECT_EQ(Parse("<b><p>one</b>two</p>"), "b(p('one' 'two'))");
}

TEST(HtmlParser, StrayEndTagsAreIgnored) {
  EXPECT_EQ(Parse("</span></div><p>ok</p></p>"), "p('ok')");
}

TEST(HtmlParser, UnknownElementsMatchTheirOwnEndTag) {
  EXPECT_EQ(Parse("<x-card><my-el>a</my-el>b</x-card>"), "?(?('a') 'b')");
}

TEST(HtmlParser, UnclosedTagAtEndOfInputIsDropped) {
  EXPECT_EQ(Parse("<p>text<a href=\"x"), "p('text')");
}

TEST(HtmlParser, DeepNestingIsCappedWithoutRecursion) {
  std::string html;
  for (int i = 0; i < 1000000; ++i) html += "<div>";
  html += "deep";
  ParseOptions options;
  options.max_depth = 100;
  HtmlParser parser(options);
  Dom dom;
  parser.Parse(html, &dom);
  uint16_t max_depth = 0;
  for (const Node& n : dom.nodes()) max_depth = std::max(max_depth, n.depth);
  EXPECT_LE(max_depth, 101);
  EXPECT_GT(dom.depth_limited(), 0u);
  EXPECT_EQ(dom.Text(dom.nodes().back()), "deep");
}

TEST(HtmlParser, DeepFormattingAndListNestingStaysBounded) {
  for (const char* unit : {"<b>", "<ul><li>", "<table><tr><td>", "<font><div>", "<a><p>"}) {
    std::string html;
    for (int i = 0; i < 200000; ++i) html += unit;
    HtmlParser parser;
    Dom dom;
    parser.Parse(html, &dom);
    for (const Node& n : dom.nodes()) ASSERT_LE(n.depth, 513) << unit;
  }
}

TEST(HtmlParser, NodeLimitTruncates) {
  std::string html;
  for (int i = 0; i < 1000; ++i) html += "<p>x</p>";
  ParseOptions options;
  options.max_nodes = 100;
  HtmlParser parser(options);
  Dom dom;
  parser.Parse(html, &dom);
  EXPECT_TRUE(dom.truncated());
  EXPECT_LE(dom.size(), 100u);
}

TEST(HtmlParser, SurvivesRandomBytes) {
  std::mt19937 rng(7);
  HtmlParser parser;
  Dom dom;
  for (int round = 0; round < 50; ++round) {
    std::string junk(1 + rng() % 20000, '\0');
    for (char& c : junk) c = static_cast<char>("<>/=\"'&#;!-ab pdivx\n\xC3\xFF"[rng() % 22]);
    parser.Parse(junk, &dom);
    ASSERT_GE(dom.size(), 1u);
  }
}

TEST(HtmlParser, EmptyInputYieldsOnlyTheDocument) {
  HtmlParser parser;
  Dom dom;
  parser.Parse("", &dom);
  EXPECT_EQ(dom.size(), 1u);
}

TEST(HtmlParser, HugeAttributeValueIsKept) {
  std::string html = "<div title=\"" + std::string(20 << 20, 'x') + "\">t</div>";
  HtmlParser parser;
  Dom dom;
  parser.Parse(html, &dom);
  std::string_view title;
  ASSERT_TRUE(dom.FindAttr(1, "title", &title));
  EXPECT_EQ(title.size(), size_t{20} << 20);
}

TEST(Entities, NumericReferencesMapC1AndRejectInvalid) {
  std::string out;
  AppendDecoded("&#150;&#0;&#xD800;&#1114112;&#65", false, &out);
  EXPECT_EQ(out, "\xE2\x80\x93\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "A");
}

TEST(Entities, LegacyNameWithoutSemicolonNotInAttributeBeforeEquals) {
  std::string text, attr;
  AppendDecoded("a&copy=1", false, &text);
  AppendDecoded("a&copy=1", true, &attr);
  EXPECT_EQ(text, "a\xC2\xA9=1");
  EXPECT_EQ(attr, "a&copy=1");
}

TEST(Tags, LookupIsCaseInsensitive) {
  EXPECT_EQ(LookupTag("DiV"), Tag::kDiv);
  EXPECT_EQ(LookupTag("blockquote"), Tag::kBlockquote);
  EXPECT_EQ(LookupTag("custom-element"), Tag::kUnknown);
  EXPECT_EQ(TagName(Tag::kTable), "table");
}

}  // namespace
}  // namespace winnow::html
