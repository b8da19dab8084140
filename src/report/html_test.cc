#include "report/html.h"

#include <gtest/gtest.h>

#include "report/svg_chart.h"

namespace winnow::report {
namespace {

TEST(Html, EscapesMarkupAndQuotes) {
  EXPECT_EQ(Escaped("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(Escaped("<img src=x onerror=\"t()\">"), "&lt;img src=x onerror=&quot;t()&quot;&gt;");
  EXPECT_EQ(Escaped("a & b </textarea>"), "a &amp; b &lt;/textarea&gt;");
}

TEST(Html, ReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(Escaped("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Escaped("a\x01" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Escaped("\xC2\x85"), "\xEF\xBF\xBD");               // C1 control
  EXPECT_EQ(Escaped("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(Escaped("caf\xC3\xA9\n\t"), "caf\xC3\xA9\n\t");
}

TEST(Html, TruncatesAtCharacterBoundary) {
  EXPECT_EQ(Truncated("abc", 5), "abc");
  EXPECT_EQ(Truncated("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9 \xE2\x80\xA6");
}

TEST(Html, FormatsNumbers) {
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(12), "12");
  EXPECT_EQ(FormatBytes(1536), "1.54 KB");
  EXPECT_EQ(FormatBytes(12), "12 B");
  EXPECT_EQ(FormatPercent(0.1234), "12.3%");
  EXPECT_EQ(FormatSeconds(75), "1m 15s");
}

TEST(SvgChart, BarChartEscapesLabelsAndHasAxes) {
  BarChart c;
  c.title = "t";
  c.x_label = "documents";
  c.bars.push_back({"<script>x</script>", 10, "", "", 0});
  c.bars.push_back({"b", 5, "", "", 1});
  std::string svg = RenderBarChart(c);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("documents"), std::string::npos);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("class=\"bar\""), std::string::npos);
}

TEST(SvgChart, HistogramDrawsBarsAndThreshold) {
  Histogram h;
  h.title = "n_words";
  h.x_label = "words";
  h.y_label = "documents";
  h.edges = {0, 10, 20, 30};
  h.series = {{"all", {1, 5, 2}, 0}, {"kept", {0, 5, 2}, 1}};
  h.markers = {{15, "min = 15"}};
  std::string svg = RenderHistogram(h);
  EXPECT_NE(svg.find("class=\"threshold\""), std::string::npos);
  EXPECT_NE(svg.find("min = 15"), std::string::npos);
  size_t bars = 0;
  for (size_t p = svg.find("class=\"hbar\""); p != std::string::npos;
       p = svg.find("class=\"hbar\"", p + 1))
    ++bars;
  EXPECT_EQ(bars, 5u);  // zero counts draw nothing
}

}  // namespace
}  // namespace winnow::report
