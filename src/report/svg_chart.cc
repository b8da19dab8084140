#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/html.h"

namespace winnow::report {
namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#59a14f", "#e15759", "#f28e2b",
                                    "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

// "Nice" tick step for an axis from 0 to max with about n ticks.
double NiceStep(double max, int n) {
  if (max <= 0) return 1;
  double raw = max / n;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double f = raw / mag;
  double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * mag;
}

void Text(std::string* out, double x, double y, const std::string& text,
          const char* anchor, const char* extra = "") {
  *out += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\"" +
          extra + ">";
  AppendEscaped(text, out);
  *out += "</text>";
}

}  // namespace

const char* PaletteColor(int index) {
  int n = static_cast<int>(sizeof(kPalette) / sizeof(kPalette[0]));
  return kPalette[((index % n) + n) % n];
}

std::string RenderBarChart(const BarChart& chart) {
  const double label_w = 290, bar_w = 400, note_w = 300, row_h = 22, top = 8;
  const double axis_h = 42;
  double max = chart.max_value;
  for (const auto& b : chart.bars) max = std::max(max, b.value);
  if (max <= 0) max = 1;
  double width = label_w + bar_w + note_w;
  double height = top + row_h * static_cast<double>(chart.bars.size()) + axis_h;
  std::string out;
  out += "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         Num(width) + " " + Num(height) + "\" width=\"" + Num(width) + "\" height=\"" +
         Num(height) + "\"><title>";
  AppendEscaped(chart.title, &out);
  out += "</title>";
  double x0 = label_w;
  double y_axis = top + row_h * static_cast<double>(chart.bars.size());
  // Grid and ticks.
  double step = NiceStep(max, 5);
  for (double t = 0; t <= max * 1.0001; t += step) {
    double x = x0 + bar_w * t / max;
    out += "<line class=\"grid\" x1=\"" + Num(x) + "\" y1=\"" + Num(top) + "\" x2=\"" + Num(x) +
           "\" y2=\"" + Num(y_axis) + "\"/>";
    Text(&out, x, y_axis + 14, FormatNumber(t), "middle", " class=\"tick\"");
  }
  out += "<line class=\"axis\" x1=\"" + Num(x0) + "\" y1=\"" + Num(y_axis) + "\" x2=\"" +
         Num(x0 + bar_w) + "\" y2=\"" + Num(y_axis) + "\"/>";
  out += "<line class=\"axis\" x1=\"" + Num(x0) + "\" y1=\"" + Num(top) + "\" x2=\"" + Num(x0) +
         "\" y2=\"" + Num(y_axis) + "\"/>";
  Text(&out, x0 + bar_w / 2, y_axis + 34, chart.x_label, "middle", " class=\"axis-label\"");
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const auto& b = chart.bars[i];
    double y = top + row_h * static_cast<double>(i);
    double w = bar_w * std::max(0.0, b.value) / max;
    std::string note = b.note.empty() ? FormatNumber(b.value) : b.note;
    Text(&out, x0 - 6, y + row_h * 0.68, Truncated(b.label, 44), "end", " class=\"label\"");
    out += "<rect class=\"bar\" x=\"" + Num(x0) + "\" y=\"" + Num(y + 3) + "\" width=\"" +
           Num(std::max(w, b.value > 0 ? 1.0 : 0.0)) + "\" height=\"" + Num(row_h - 6) +
           "\" fill=\"" + PaletteColor(b.color) + "\"><title>";
    AppendEscaped(b.tooltip.empty() ? b.label + ": " + note : b.tooltip, &out);
    out += "</title></rect>";
    Text(&out, x0 + w + 5, y + row_h * 0.68, note, "start", " class=\"note\"");
  }
  out += "</svg>";
  return out;
}

std::string RenderHistogram(const Histogram& h) {
  const double left = 60, right = 16, top = 40, plot_w = 500, plot_h = 190, bottom = 52;
  double width = left + plot_w + right, height = top + plot_h + bottom;
  size_t bins = h.edges.size() >= 2 ? h.edges.size() - 1 : 0;
  double max = 0;
  for (const auto& s : h.series)
    for (double c : s.counts) max = std::max(max, c);
  if (max <= 0) max = 1;
  double step = NiceStep(max, 4);
  double y_max = std::ceil(max / step) * step;
  std::string out;
  out += "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         Num(width) + " " + Num(height) + "\" width=\"" + Num(width) + "\" height=\"" +
         Num(height) + "\"><title>";
  AppendEscaped(h.title, &out);
  out += "</title>";
  double y0 = top + plot_h;
  auto ypos = [&](double v) { return y0 - plot_h * v / y_max; };
  for (double t = 0; t <= y_max * 1.0001; t += step) {
    double y = ypos(t);
    out += "<line class=\"grid\" x1=\"" + Num(left) + "\" y1=\"" + Num(y) + "\" x2=\"" +
           Num(left + plot_w) + "\" y2=\"" + Num(y) + "\"/>";
    Text(&out, left - 6, y + 4, FormatNumber(t), "end", " class=\"tick\"");
  }
  double bw = bins ? plot_w / static_cast<double>(bins) : plot_w;
  for (const auto& s : h.series) {
    for (size_t i = 0; i < bins && i < s.counts.size(); ++i) {
      if (s.counts[i] <= 0) continue;
      double y = ypos(s.counts[i]);
      out += "<rect class=\"hbar\" x=\"" + Num(left + bw * static_cast<double>(i) + 0.5) +
             "\" y=\"" + Num(y) + "\" width=\"" + Num(std::max(bw - 1, 0.5)) + "\" height=\"" +
             Num(y0 - y) + "\" fill=\"" + PaletteColor(s.color) + "\"><title>";
      std::string lo = h.edge_labels.size() == h.edges.size() ? h.edge_labels[i]
                                                               : FormatNumber(h.edges[i]);
      std::string hi = h.edge_labels.size() == h.edges.size() ? h.edge_labels[i + 1]
                                                               : FormatNumber(h.edges[i + 1]);
      AppendEscaped(s.name + ": " + FormatNumber(s.counts[i]) + " in [" + lo + ", " + hi + ")",
                    &out);
      out += "</title></rect>";
    }
  }
  // X ticks: at the bin edges when they are labelled (log or categorical
  // bins), else at round values of the linear scale.
  auto tick = [&](double x, const std::string& label) {
    out += "<line class=\"axis\" x1=\"" + Num(x) + "\" y1=\"" + Num(y0) + "\" x2=\"" + Num(x) +
           "\" y2=\"" + Num(y0 + 4) + "\"/>";
    Text(&out, x, y0 + 16, label, "middle", " class=\"tick\"");
  };
  if (h.edge_labels.size() == h.edges.size() || bins == 0) {
    size_t every = std::max<size_t>(1, (bins + 7) / 8);
    for (size_t i = 0; i <= bins; i += every)
      tick(left + bw * static_cast<double>(i),
           h.edge_labels.size() == h.edges.size() ? h.edge_labels[i] : FormatNumber(h.edges[i]));
  } else {
    double lo = h.edges.front(), hi = h.edges.back();
    double step = NiceStep(hi - lo, 6);
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      double v = std::fabs(t) < step * 1e-9 ? 0 : t;
      tick(left + plot_w * (v - lo) / (hi - lo), FormatNumber(v));
    }
  }
  out += "<line class=\"axis\" x1=\"" + Num(left) + "\" y1=\"" + Num(y0) + "\" x2=\"" +
         Num(left + plot_w) + "\" y2=\"" + Num(y0) + "\"/>";
  out += "<line class=\"axis\" x1=\"" + Num(left) + "\" y1=\"" + Num(top) + "\" x2=\"" +
         Num(left) + "\" y2=\"" + Num(y0) + "\"/>";
  Text(&out, left + plot_w / 2, y0 + 40, h.x_label, "middle", " class=\"axis-label\"");
  out += "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(14 " +
         Num(top + plot_h / 2) + ") rotate(-90)\">";
  AppendEscaped(h.y_label, &out);
  out += "</text>";
  // Threshold markers: position interpolated within its bin.
  for (size_t m = 0; m < h.markers.size() && bins > 0; ++m) {
    double v = h.markers[m].position;
    double x;
    std::string label = h.markers[m].label;
    if (v <= h.edges.front()) {
      x = left;
      if (v < h.edges.front()) label += " (left of axis)";
    } else if (v >= h.edges.back()) {
      x = left + plot_w;
      if (v > h.edges.back()) label += " (right of axis)";
    } else {
      size_t i = static_cast<size_t>(
          std::upper_bound(h.edges.begin(), h.edges.end(), v) - h.edges.begin() - 1);
      double frac = (v - h.edges[i]) / (h.edges[i + 1] - h.edges[i]);
      x = left + bw * (static_cast<double>(i) + frac);
    }
    out += "<line class=\"threshold\" x1=\"" + Num(x) + "\" y1=\"" + Num(top - 18) + "\" x2=\"" +
           Num(x) + "\" y2=\"" + Num(y0) + "\"/>";
    bool right_side = x > left + plot_w * 0.6;
    Text(&out, right_side ? x - 4 : x + 4, top - 8 + 12 * static_cast<double>(m % 2), label,
         right_side ? "end" : "start", " class=\"threshold-label\"");
  }
  // Legend.
  double lx = left + plot_w;
  for (size_t s = h.series.size(); s-- > 0;) {
    std::string name = h.series[s].name;
    double tw = 7.0 * static_cast<double>(name.size()) + 22;
    lx -= tw;
    out += "<rect x=\"" + Num(lx) + "\" y=\"4\" width=\"10\" height=\"10\" fill=\"" +
           PaletteColor(h.series[s].color) + "\"/>";
    Text(&out, lx + 14, 13, name, "start", " class=\"legend\"");
  }
  out += "</svg>";
  return out;
}

}  // namespace winnow::report
