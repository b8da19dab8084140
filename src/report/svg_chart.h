// Static SVG charts written as text: horizontal bar charts and histograms
// with an optional threshold marker. No scripts and no external resources;
// every label is HTML-escaped, so labels taken from a crawl are safe.
//
// Each function returns one complete <svg> element with a <title>, labelled
// axes (the caller names the unit) and <title> tooltips on bars.
#ifndef WINNOW_REPORT_SVG_CHART_H_
#define WINNOW_REPORT_SVG_CHART_H_

#include <optional>
#include <string>
#include <vector>

namespace winnow::report {

struct BarChart {
  std::string title;    // the chart's accessible name
  std::string x_label;  // the value axis, with its unit, e.g. "documents"
  struct Bar {
    std::string label;    // category (left of the bar)
    double value = 0;
    std::string note;     // printed right of the bar; empty = the value
    std::string tooltip;  // empty = label and note
    int color = 0;        // index into the report's palette
  };
  std::vector<Bar> bars;
  double max_value = 0;  // axis end; 0 = the largest bar
};

// A horizontal bar chart: one row per bar. REQUIRES: values >= 0.
std::string RenderBarChart(const BarChart& chart);

struct Histogram {
  std::string title;
  std::string x_label;  // e.g. "words per document"
  std::string y_label;  // e.g. "documents"
  // Bin edges, ascending; bin i covers [edges[i], edges[i+1]). size >= 2.
  std::vector<double> edges;
  // Tick labels under bin edges; empty = formatted edges.
  std::vector<std::string> edge_labels;
  struct Series {
    std::string name;
    std::vector<double> counts;  // one per bin
    int color = 0;
  };
  // Drawn overlaid in order (later series on top, translucent).
  std::vector<Series> series;
  struct Marker {
    double position = 0;  // in bin-edge units: x = edges scale, interpolated
    std::string label;
  };
  std::vector<Marker> markers;  // vertical dashed lines (thresholds)
};

// A histogram with a linear y axis. Markers outside the edges are drawn at
// the nearer end with their label saying so.
std::string RenderHistogram(const Histogram& h);

// The palette used by the charts (CSS colors), also used by the legend.
const char* PaletteColor(int index);

}  // namespace winnow::report

#endif  // WINNOW_REPORT_SVG_CHART_H_
