#include "experiments/plots.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "experiments/metrics.h"
#include "experiments/report.h"
#include "experiments/results_io.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace gclab {
namespace {

// DejaVu Sans advance widths (em) of ASCII 0x20..0x7e, from its hmtx table.
constexpr double kAsciiWidths[95] = {
    0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275,  // 0x20..0x27
    0.390, 0.390, 0.500, 0.838, 0.318, 0.361, 0.318, 0.337,  // 0x28..0x2f
    0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,  // 0x30..0x37
    0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531,  // 0x38..0x3f
    1.000, 0.684, 0.686, 0.698, 0.770, 0.632, 0.575, 0.775,  // 0x40..0x47
    0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787,  // 0x48..0x4f
    0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989,  // 0x50..0x57
    0.685, 0.611, 0.685, 0.390, 0.337, 0.390, 0.838, 0.500,  // 0x58..0x5f
    0.500, 0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635,  // 0x60..0x67
    0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612,  // 0x68..0x6f
    0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818,  // 0x70..0x77
    0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,         // 0x78..0x7e
};

// Layout, in px. Text extents use ascent/descent slightly above DejaVu Sans'
// (0.93 / 0.24 em).
constexpr double kPad = 10;  // free border on every side
constexpr double kAscent = 0.95, kDescent = 0.25;
constexpr double kTitleSize = 15, kSubtitleSize = 11.5, kTickSize = 11, kAxisTitleSize = 12,
                 kLegendSize = 11.5, kNoteSize = 12;
constexpr double kMinWidth = 720, kPlotHeight = 300, kTickLength = 5;
constexpr double kSwatchWidth = 32, kLegendRow = 18;
constexpr size_t kMaxNameChars = 40;  // longer configuration names are shortened in legends
constexpr int kWindowsPerDecade = 20;

// Okabe-Ito colours (colour-blind safe), each with its own dash pattern so
// the series can also be told apart in greyscale.
struct Style {
  const char* color;
  const char* dash;  // stroke-dasharray; "" = solid
};
constexpr Style kStyles[] = {
    {"#0072B2", ""},    {"#D55E00", "9,4"},          {"#009E73", "2,3"}, {"#CC79A7", "12,3,3,3"},
    {"#E69F00", "5,5"}, {"#56B4E9", "14,4,2,4,2,4"}, {"#000000", "1,5"}, {"#999933", "20,5"},
};
constexpr size_t kNumStyles = sizeof(kStyles) / sizeof(kStyles[0]);

std::string Escape(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string DashAttr(size_t style) {
  const char* dash = kStyles[style % kNumStyles].dash;
  return *dash ? absl::StrCat(" stroke-dasharray=\"", dash, "\"") : "";
}

// Shortens `s` to at most kMaxNameChars characters (UTF-8 aware) with "…".
std::string Shorten(const std::string& s) {
  size_t chars = 0, cut = s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) continue;
    if (chars == kMaxNameChars - 1) cut = i;
    ++chars;
  }
  return chars <= kMaxNameChars ? s : absl::StrCat(s.substr(0, cut), "…");
}

// A duration in ms with three significant digits and the unit that keeps the
// number below 1000: "80ns", "2.5µs", "12ms", "1.5s".
std::string FormatDuration(double ms) {
  struct Unit {
    double ms;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1e-6, "ns"}, {1e-3, "µs"}, {1, "ms"}, {1e3, "s"}};
  if (ms <= 0) return "0";
  size_t i = 0;
  while (i + 1 < 4 && ms >= kUnits[i + 1].ms * 0.9995) ++i;
  return absl::StrFormat("%.3g%s", ms / kUnits[i].ms, kUnits[i].name);
}

// Largest / smallest of {1, 2, 5} x 10^k at most / at least v (v > 0).
double NiceFloor(double v) {
  const double base = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {10.0, 5.0, 2.0}) {
    if (m * base <= v * (1 + 1e-9)) return m * base;
  }
  return base;
}
double NiceCeil(double v) {
  const double base = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * base >= v * (1 - 1e-9)) return m * base;
  }
  return 10 * base;
}

struct Tick {
  double value;
  bool labelled;
};
// Ticks of a log axis over [lo, hi]: every m x 10^k (m = 1..9) inside;
// labelled at the decades when at least two decades are inside, else at
// 1, 2 and 5 x 10^k.
std::vector<Tick> LogTicks(double lo, double hi) {
  const int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int e1 = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  std::vector<Tick> ticks;
  for (int e = e0; e <= e1; ++e) {
    for (int m = 1; m <= 9; ++m) {
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back({v, m == 1});
    }
  }
  if (std::count_if(ticks.begin(), ticks.end(), [](const Tick& t) { return t.labelled; }) < 2) {
    for (Tick& t : ticks) {
      const double m = t.value / std::pow(10.0, std::floor(std::log10(t.value) + 1e-9));
      t.labelled = std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6;
    }
  }
  return ticks;
}

enum class Anchor { kStart, kMiddle, kEnd };

// An SVG document under construction.
class Svg {
 public:
  void Text(double x, double y, absl::string_view text, double size, Anchor anchor,
            absl::string_view attrs = "") {
    static constexpr const char* kAnchors[] = {"start", "middle", "end"};
    absl::StrAppendFormat(&body_,
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\" text-anchor=\"%s\"%s>%s"
                          "</text>\n",
                          x, y, size, kAnchors[static_cast<int>(anchor)], attrs, Escape(text));
  }
  // Text reading bottom to top, centred on (x, y), its baseline at x.
  void VerticalText(double x, double y, absl::string_view text, double size) {
    Text(x, y, text, size, Anchor::kMiddle,
         absl::StrFormat(" transform=\"rotate(-90 %.1f %.1f)\"", x, y));
  }
  void Line(double x1, double y1, double x2, double y2, absl::string_view stroke,
            absl::string_view attrs = "") {
    absl::StrAppendFormat(
        &body_, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>\n", x1, y1,
        x2, y2, stroke, attrs);
  }
  void Append(absl::string_view s) { absl::StrAppend(&body_, s); }

  std::string Finish(double width, double height) const {
    return absl::StrCat(
        absl::StrFormat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                        "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Verdana, Arial, "
                        "Helvetica, sans-serif\" font-size=\"11\">\n"
                        "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                        width, height, width, height),
        body_, "</svg>\n");
  }

 private:
  std::string body_;
};

std::string Points(const std::vector<std::pair<double, double>>& points) {
  return absl::StrJoin(points, " ", [](std::string* out, const std::pair<double, double>& p) {
    absl::StrAppendFormat(out, "%.1f,%.1f", p.first, p.second);
  });
}

// Data coordinates -> px: x on the log axis, y in [0, 1] upwards.
struct Mapping {
  double left, top, width, height, log_lo, log_hi;
  double X(double x) const { return left + width * (std::log10(x) - log_lo) / (log_hi - log_lo); }
  double Y(double y) const { return top + height * (1 - y); }
};

struct LegendEntry {
  std::string name;    // the series (configuration) name, shown shortened
  std::string detail;  // after the name
  size_t style;
  bool has_data;  // false: the swatch is faded (nothing drawn)
};

// What both plots share: titles, a log x axis over [x_lo, x_hi] (no x data
// when x_hi <= x_lo), a y axis over [0, 1], a legend below, and a note in
// the middle of the plot area for the empty case.
struct PlotSpec {
  std::string title, subtitle, x_title, y_title;
  std::vector<std::pair<double, std::string>> y_ticks;  // (value in [0, 1], label)
  double x_lo = 0, x_hi = 0;
  std::vector<LegendEntry> legend;
  std::string note;
  // Draws the series, one <g class="series"> each.
  std::function<void(Svg&, const Mapping&)> draw_series;
};

std::string LegendText(const LegendEntry& e) {
  return e.detail.empty() ? Shorten(e.name) : absl::StrCat(Shorten(e.name), " — ", e.detail);
}

std::string Render(const PlotSpec& spec) {
  const bool has_x = spec.x_hi > spec.x_lo && spec.x_lo > 0;
  std::vector<Tick> x_ticks;
  if (has_x) x_ticks = LogTicks(spec.x_lo, spec.x_hi);
  double x_label_w = 0;
  for (const Tick& t : x_ticks) {
    if (t.labelled)
      x_label_w = std::max(x_label_w, EstimateTextWidth(FormatDuration(t.value), kTickSize));
  }
  double y_label_w = 0;
  for (const auto& [v, label] : spec.y_ticks) {
    y_label_w = std::max(y_label_w, EstimateTextWidth(label, kTickSize));
  }

  // Vertical layout, top down.
  const double title_y = kPad + kAscent * kTitleSize;
  const double subtitle_y = title_y + kDescent * kTitleSize + 5 + kAscent * kSubtitleSize;
  const double top = subtitle_y + kDescent * kSubtitleSize + 16;
  const double bottom = top + kPlotHeight;
  const double x_label_y = bottom + kTickLength + 3 + kAscent * kTickSize;
  const double x_title_y = x_label_y + kDescent * kTickSize + 8 + kAscent * kAxisTitleSize;
  const double legend_y = x_title_y + kDescent * kAxisTitleSize + 14 + kAscent * kLegendSize;
  const double height = legend_y + kLegendRow * (std::max<size_t>(spec.legend.size(), 1) - 1) +
                        kDescent * kLegendSize + kPad;

  // Horizontal layout: the rotated y title, the y tick labels, the plot.
  const double y_title_x = kPad + kAscent * kAxisTitleSize;
  const double left = y_title_x + kDescent * kAxisTitleSize + 8 + y_label_w + kTickLength + 3;
  const double right = std::max(20.0, x_label_w / 2 + kPad);
  double legend_w = 0;
  for (const LegendEntry& e : spec.legend) {
    legend_w = std::max(legend_w, kSwatchWidth + 8 + EstimateTextWidth(LegendText(e), kLegendSize));
  }
  const double width = std::ceil(std::max(
      {kMinWidth, left + legend_w + kPad, EstimateTextWidth(spec.title, kTitleSize) + 2 * kPad,
       EstimateTextWidth(spec.subtitle, kSubtitleSize) + 2 * kPad,
       left + EstimateTextWidth(spec.note, kNoteSize) + 2 * kPad + right}));
  const double plot_w = width - left - right;
  const Mapping map{left,
                    top,
                    plot_w,
                    kPlotHeight,
                    has_x ? std::log10(spec.x_lo) : 0,
                    has_x ? std::log10(spec.x_hi) : 1};

  Svg svg;
  svg.Text(width / 2, title_y, spec.title, kTitleSize, Anchor::kMiddle);
  svg.Text(width / 2, subtitle_y, spec.subtitle, kSubtitleSize, Anchor::kMiddle, " fill=\"#444\"");

  // Grid and y ticks.
  for (const auto& [v, label] : spec.y_ticks) {
    svg.Line(left, map.Y(v), left + plot_w, map.Y(v), "#e4e4e4");
    svg.Line(left - kTickLength, map.Y(v), left, map.Y(v), "black");
    svg.Text(left - kTickLength - 3, map.Y(v) + 0.35 * kTickSize, label, kTickSize, Anchor::kEnd);
  }
  // x ticks: a grid line at every labelled tick; labels skipped where they
  // would overlap the previous one.
  double last_label_end = -1e9;
  for (const Tick& t : x_ticks) {
    const double x = map.X(t.value);
    if (t.labelled) svg.Line(x, top, x, bottom, "#e4e4e4");
    svg.Line(x, bottom, x, bottom + (t.labelled ? kTickLength : kTickLength / 2 + 0.5), "black");
    if (!t.labelled) continue;
    const std::string label = FormatDuration(t.value);
    const double w = EstimateTextWidth(label, kTickSize);
    if (x - w / 2 < last_label_end + 6) continue;
    svg.Text(x, x_label_y, label, kTickSize, Anchor::kMiddle, " class=\"xtick\"");
    last_label_end = x + w / 2;
  }
  if (has_x && spec.draw_series) spec.draw_series(svg, map);
  svg.Line(left, top, left, bottom, "black");
  svg.Line(left, bottom, left + plot_w, bottom, "black");
  if (!spec.note.empty()) {
    svg.Text(left + plot_w / 2, top + kPlotHeight / 2, spec.note, kNoteSize, Anchor::kMiddle,
             " fill=\"#444\" class=\"note\"");
  }

  svg.Text(left + plot_w / 2, x_title_y, spec.x_title, kAxisTitleSize, Anchor::kMiddle);
  svg.VerticalText(y_title_x, top + kPlotHeight / 2, spec.y_title, kAxisTitleSize);

  for (size_t i = 0; i < spec.legend.size(); ++i) {
    const LegendEntry& e = spec.legend[i];
    const double y = legend_y + kLegendRow * static_cast<double>(i);
    const Style& style = kStyles[e.style % kNumStyles];
    svg.Append(absl::StrFormat("<g class=\"legend-entry\" data-name=\"%s\"><title>%s</title>\n",
                               Escape(e.name), Escape(e.name)));
    svg.Line(left, y - 0.3 * kLegendSize, left + kSwatchWidth, y - 0.3 * kLegendSize, style.color,
             absl::StrCat(" stroke-width=\"2.5\"", DashAttr(e.style),
                          e.has_data ? "" : " stroke-opacity=\"0.3\""));
    svg.Text(left + kSwatchWidth + 8, y, LegendText(e), kLegendSize, Anchor::kStart);
    svg.Append("</g>\n");
  }
  return svg.Finish(width, std::ceil(height));
}

std::string SeriesGroupStart(const std::string& name) {
  return absl::StrFormat("<g class=\"series\" data-name=\"%s\">\n", Escape(name));
}

// A plot with the two titles and a y axis 0..1 labelled every 0.2.
PlotSpec NewSpec(const std::string& title, const std::string& subtitle, const char* x_title,
                 const char* y_title, const std::function<std::string(double)>& y_label) {
  PlotSpec spec;
  spec.title = title;
  spec.subtitle = subtitle;
  spec.x_title = x_title;
  spec.y_title = y_title;
  for (int i = 0; i <= 5; ++i) spec.y_ticks.emplace_back(i / 5.0, y_label(i / 5.0));
  return spec;
}

// The x axis over [lo, hi] widened to 1-2-5 values and to at least a factor
// of 2.5; without data (hi <= 0) the note instead.
void SetXRange(double lo, double hi, const std::string& no_data_note, PlotSpec* spec) {
  if (hi <= 0) {
    spec->note = no_data_note;
    return;
  }
  spec->x_lo = NiceFloor(lo);
  spec->x_hi = NiceCeil(hi);
  if (spec->x_hi <= spec->x_lo * 2) spec->x_hi = NiceCeil(spec->x_lo * 2.5);
}

std::string StyledPolyline(size_t style, const std::vector<std::pair<double, double>>& points) {
  return absl::StrFormat(
      "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n",
      kStyles[style % kNumStyles].color, DashAttr(style), Points(points));
}

// The legend detail of a series without ok runs.
std::string NoRunsDetail(int failed) {
  return failed == 0 ? "no runs" : absl::StrCat("no successful run (", failed, " failed)");
}

std::string RunsWord(int n) { return n == 1 ? "1 run" : absl::StrCat(n, " runs"); }

std::string FailedNote(int failed) {
  if (failed == 0) return "";
  return absl::StrCat("; ", failed, failed == 1 ? " failed run" : " failed runs", " left out");
}

// A configuration's runs for a workload, split into ok and failed.
std::vector<const RunResult*> OkRuns(const std::vector<const RunResult*>& runs) {
  std::vector<const RunResult*> ok;
  for (const RunResult* r : runs) {
    if (r->status() == "ok") ok.push_back(r);
  }
  return ok;
}

std::string SafeFileName(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return out;
}

}  // namespace

double EstimateTextWidth(absl::string_view text, double font_size) {
  double em = 0;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      em += kAsciiWidths[u - 0x20];
    } else if (u >= 0xc0) {  // the first byte of a non-ASCII character
      em += 1.0;
    }
  }
  return em * font_size;
}

MmuSeries MakeMmuSeries(const std::string& name, const std::vector<const RunResult*>& runs,
                        double min_window_ms) {
  MmuSeries s;
  s.name = name;
  const std::vector<const RunResult*> ok = OkRuns(runs);
  s.runs = static_cast<int>(ok.size());
  s.failed = static_cast<int>(runs.size() - ok.size());
  double longest_ms = 0;
  for (const RunResult* r : ok) longest_ms = std::max(longest_ms, r->wall_s() * 1e3);
  if (longest_ms <= 0 || min_window_ms <= 0) return s;
  std::vector<int64_t> windows_ns;
  for (int k = 0;; ++k) {
    const double w = min_window_ms * std::pow(10.0, static_cast<double>(k) / kWindowsPerDecade);
    if (w >= longest_ms * (1 - 1e-9)) break;
    windows_ns.push_back(std::llround(w * 1e6));
  }
  windows_ns.push_back(std::llround(longest_ms * 1e6));
  // per_window[i]: the ok runs' MMU at windows_ns[i].
  std::vector<std::vector<double>> per_window(windows_ns.size());
  for (const RunResult* r : ok) {
    std::vector<TimeInterval> pauses;
    for (const PauseSample& p : r->pause_samples())
      pauses.push_back({p.start_ns(), p.duration_ns()});
    const auto curve = MmuCurve(pauses, 0, std::llround(r->wall_s() * 1e9), windows_ns);
    for (size_t i = 0; i < curve.size(); ++i) per_window[i].push_back(curve[i].second);
  }
  for (size_t i = 0; i < windows_ns.size(); ++i) {
    const Spread spread = Summarize(per_window[i]);
    s.window_ms.push_back(static_cast<double>(windows_ns[i]) / 1e6);
    s.median.push_back(spread.median);
    s.min.push_back(spread.min);
    s.max.push_back(spread.max);
  }
  return s;
}

PauseSeries MakePauseSeries(const std::string& name, const std::vector<const RunResult*>& runs) {
  PauseSeries s;
  s.name = name;
  const std::vector<const RunResult*> ok = OkRuns(runs);
  s.runs = static_cast<int>(ok.size());
  s.failed = static_cast<int>(runs.size() - ok.size());
  for (const RunResult* r : ok) {
    for (const PauseSample& p : r->pause_samples()) {
      s.pauses_ms.push_back(static_cast<double>(p.duration_ns()) / 1e6);
    }
  }
  std::sort(s.pauses_ms.begin(), s.pauses_ms.end());
  return s;
}

std::string MmuPlotSvg(const std::string& title, const std::string& subtitle,
                       const std::vector<MmuSeries>& series) {
  PlotSpec spec = NewSpec(title, subtitle, "window size (log scale)", "minimum mutator utilization",
                          [](double y) { return absl::StrFormat("%g", y); });
  double lo = 0, hi = 0;
  for (size_t i = 0; i < series.size(); ++i) {
    const MmuSeries& s = series[i];
    if (!s.window_ms.empty()) {
      lo = lo == 0 ? s.window_ms.front() : std::min(lo, s.window_ms.front());
      hi = std::max(hi, s.window_ms.back());
    }
    std::string detail;
    if (s.runs == 0) {
      detail = NoRunsDetail(s.failed);
    } else {
      detail = absl::StrCat(s.runs == 1 ? "1 run" : absl::StrCat("median of ", s.runs, " runs"),
                            FailedNote(s.failed));
    }
    spec.legend.push_back({s.name, detail, i, !s.window_ms.empty()});
  }
  SetXRange(lo, hi, series.empty() ? "No configurations." : "No successful runs: nothing to plot.",
            &spec);
  spec.draw_series = [&series](Svg& svg, const Mapping& map) {
    for (size_t i = 0; i < series.size(); ++i) {
      const MmuSeries& s = series[i];
      if (s.window_ms.empty()) continue;
      const Style& style = kStyles[i % kNumStyles];
      svg.Append(SeriesGroupStart(s.name));
      if (s.runs > 1) {
        std::vector<std::pair<double, double>> band;
        for (size_t k = 0; k < s.window_ms.size(); ++k)
          band.emplace_back(map.X(s.window_ms[k]), map.Y(s.max[k]));
        for (size_t k = s.window_ms.size(); k-- > 0;)
          band.emplace_back(map.X(s.window_ms[k]), map.Y(s.min[k]));
        svg.Append(absl::StrFormat(
            "<polygon fill=\"%s\" fill-opacity=\"0.13\" stroke=\"none\" points=\"%s\"/>\n",
            style.color, Points(band)));
      }
      std::vector<std::pair<double, double>> line;
      for (size_t k = 0; k < s.window_ms.size(); ++k)
        line.emplace_back(map.X(s.window_ms[k]), map.Y(s.median[k]));
      svg.Append(absl::StrCat(StyledPolyline(i, line), "</g>\n"));
    }
  };
  return Render(spec);
}

std::string PauseCdfSvg(const std::string& title, const std::string& subtitle,
                        const std::vector<PauseSeries>& series) {
  PlotSpec spec = NewSpec(title, subtitle, "pause duration (log scale)", "pauses ≤ duration (%)",
                          [](double y) { return absl::StrCat(std::lround(y * 100), "%"); });
  double lo = 0, hi = 0;
  // Zero-length pauses are drawn at 1 ns (a log axis has no 0).
  auto clamp = [](double ms) { return std::max(ms, 1e-6); };
  for (size_t i = 0; i < series.size(); ++i) {
    const PauseSeries& s = series[i];
    const std::vector<double>& p = s.pauses_ms;
    if (!p.empty()) {
      lo = lo == 0 ? clamp(p.front()) : std::min(lo, clamp(p.front()));
      hi = std::max(hi, clamp(p.back()));
    }
    std::string detail;
    if (s.runs == 0) {
      detail = NoRunsDetail(s.failed);
    } else if (p.empty()) {
      detail = absl::StrCat("no pauses in ", RunsWord(s.runs), FailedNote(s.failed));
    } else {
      detail = absl::StrCat(p.size(), p.size() == 1 ? " pause" : " pauses", " in ",
                            RunsWord(s.runs), ": p50 ", FormatDuration(Percentile(p, 50)), ", p99 ",
                            FormatDuration(Percentile(p, 99)), ", max ", FormatDuration(p.back()),
                            FailedNote(s.failed));
    }
    spec.legend.push_back({s.name, detail, i, !p.empty()});
  }
  // A little room on both sides, so the first step does not hide in the y
  // axis and the longest pause's dot is not on the frame.
  SetXRange(lo * 0.9, hi * 1.1,
            series.empty() ? "No configurations."
                           : "No pauses recorded in any configuration: nothing to plot.",
            &spec);
  spec.draw_series = [&series, &clamp](Svg& svg, const Mapping& map) {
    for (size_t i = 0; i < series.size(); ++i) {
      const std::vector<double>& p = series[i].pauses_ms;
      if (p.empty()) continue;
      // A step line; steps that fall on the same pixel column merge.
      std::vector<std::pair<double, double>> line;
      const double n = static_cast<double>(p.size());
      for (size_t k = 0; k < p.size(); ++k) {
        const double x = std::round(map.X(clamp(p[k])) * 10) / 10;
        const double y = map.Y(static_cast<double>(k + 1) / n);
        if (!line.empty() && line.back().first == x) {
          line.back().second = y;
        } else {
          line.emplace_back(x, line.empty() ? map.Y(0) : line.back().second);
          line.emplace_back(x, y);
        }
      }
      svg.Append(absl::StrCat(
          SeriesGroupStart(series[i].name), StyledPolyline(i, line),
          // The maximum: a dot where the line reaches 100%.
          absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n</g>\n",
                          line.back().first, line.back().second, kStyles[i % kNumStyles].color)));
    }
  };
  return Render(spec);
}

std::vector<WorkloadPlots> MakeWorkloadPlots(const ExperimentResults& results) {
  // Configurations in the experiment's order, then any others the runs name.
  std::vector<std::string> configs;
  for (const HeapConfiguration& c : results.experiment().configs()) configs.push_back(c.name());
  std::vector<std::string> workloads;
  std::map<std::pair<std::string, std::string>, const ResultCell*> by_key;
  const std::vector<ResultCell> cells = GroupByCell(results);
  for (const ResultCell& cell : cells) {
    if (std::find(configs.begin(), configs.end(), cell.config) == configs.end())
      configs.push_back(cell.config);
    if (std::find(workloads.begin(), workloads.end(), cell.workload) == workloads.end())
      workloads.push_back(cell.workload);
    by_key[{cell.config, cell.workload}] = &cell;
  }
  const std::string experiment = results.experiment().name();
  std::vector<WorkloadPlots> plots;
  for (const std::string& workload : workloads) {
    std::vector<const ResultCell*> cells_of_workload;  // in config order
    for (const std::string& config : configs) {
      auto it = by_key.find({config, workload});
      if (it != by_key.end()) cells_of_workload.push_back(it->second);
    }
    // MMU windows start at the decade (or 2x, 5x) below the shortest
    // longest-pause of any run, so every curve's rise from 0 shows, within
    // [1 µs, 1 ms]; and at least two decades below the longest run.
    double shortest_max_pause = 0, longest_run = 0;
    for (const ResultCell* cell : cells_of_workload) {
      for (const RunResult* r : OkRuns(cell->runs)) {
        longest_run = std::max(longest_run, r->wall_s() * 1e3);
        double max_pause = 0;
        for (const PauseSample& p : r->pause_samples())
          max_pause = std::max(max_pause, static_cast<double>(p.duration_ns()) / 1e6);
        if (max_pause > 0 && (shortest_max_pause == 0 || max_pause < shortest_max_pause))
          shortest_max_pause = max_pause;
      }
    }
    double min_window =
        shortest_max_pause > 0 ? NiceFloor(std::clamp(shortest_max_pause, 1e-3, 1.0)) : 1.0;
    if (longest_run > 0) min_window = std::min(min_window, NiceFloor(longest_run / 100));
    std::vector<MmuSeries> mmu;
    std::vector<PauseSeries> pauses;
    for (const ResultCell* cell : cells_of_workload) {
      mmu.push_back(MakeMmuSeries(cell->config, cell->runs, min_window));
      pauses.push_back(MakePauseSeries(cell->config, cell->runs));
    }
    WorkloadPlots p;
    p.workload = workload;
    const std::string base = SafeFileName(workload);
    p.mmu_file = absl::StrCat("mmu_", base, ".svg");
    p.pauses_file = absl::StrCat("pauses_", base, ".svg");
    const std::string name =
        experiment.empty() ? workload : absl::StrCat(experiment, " / ", workload);
    p.mmu_svg = MmuPlotSvg(
        absl::StrCat(name, ": minimum mutator utilization"),
        "Line: median over a configuration's runs at each window; band: min–max over the runs.",
        mmu);
    p.pauses_svg = PauseCdfSvg(absl::StrCat(name, ": pause times"),
                               "Cumulative distribution of all pauses of a configuration's runs "
                               "(pooled); dot: the longest.",
                               pauses);
    plots.push_back(std::move(p));
  }
  return plots;
}

absl::StatusOr<std::vector<std::string>> WritePlots(const ExperimentResults& results,
                                                    const std::string& dir) {
  std::vector<std::string> files;
  for (const WorkloadPlots& p : MakeWorkloadPlots(results)) {
    GCLAB_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(dir, "/", p.mmu_file), p.mmu_svg));
    GCLAB_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(dir, "/", p.pauses_file), p.pauses_svg));
    files.push_back(p.mmu_file);
    files.push_back(p.pauses_file);
  }
  return files;
}

}  // namespace gclab
