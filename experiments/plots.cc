#include "experiments/plots.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "experiments/metrics.h"
#include "experiments/report.h"
#include "experiments/results_io.h"
#include "util/files.h"
#include "util/status_macros.h"

namespace gclab {
namespace {

constexpr double kWidth = 640, kHeight = 400;
constexpr double kLeft = 60, kRight = 20, kTop = 40, kBottom = 50;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                               "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

std::string Escape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string Header(const std::string& title) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      "<text x=\"%.0f\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n"
      "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n"
      "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n",
      kWidth, kHeight, kWidth / 2, Escape(title), kLeft, kTop + kPlotH, kLeft + kPlotW,
      kTop + kPlotH, kLeft, kTop, kLeft, kTop + kPlotH);
}

std::string Label(double x, double y, const std::string& text, const char* anchor) {
  return absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor,
                         Escape(text));
}

std::string FormatMs(double ms) {
  if (ms >= 1000) return absl::StrFormat("%gs", ms / 1000);
  if (ms >= 1) return absl::StrFormat("%gms", ms);
  return absl::StrFormat("%gus", ms * 1000);
}

std::string SafeFileName(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return out;
}

}  // namespace

std::string PauseHistogramSvg(const std::string& title, const std::vector<double>& pauses_ms) {
  std::string svg = Header(title);
  // Bin k holds pauses in [2^k, 2^(k+1)) microseconds; bin 0 also holds < 1 µs.
  std::map<int, int> bins;
  for (double ms : pauses_ms) {
    const double us = ms * 1000;
    const int k = us < 1 ? 0 : static_cast<int>(std::floor(std::log2(us)));
    ++bins[k];
  }
  if (bins.empty()) {
    absl::StrAppend(&svg, Label(kLeft + kPlotW / 2, kTop + kPlotH / 2, "no pauses", "middle"));
  } else {
    const int lo = bins.begin()->first, hi = bins.rbegin()->first;
    const int nbins = hi - lo + 1;
    int max_count = 0;
    for (const auto& [k, c] : bins) max_count = std::max(max_count, c);
    const double bw = kPlotW / nbins;
    for (int k = lo; k <= hi; ++k) {
      const int c = bins.count(k) ? bins[k] : 0;
      const double h = kPlotH * c / max_count;
      const double x = kLeft + (k - lo) * bw;
      absl::StrAppend(&svg, absl::StrFormat("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                            "height=\"%.1f\" fill=\"%s\"><title>%d pauses in "
                                            "[%s, %s)</title></rect>\n",
                                            x + 1, kTop + kPlotH - h, bw - 2, h, kColors[0], c,
                                            FormatMs(std::ldexp(1, k) / 1000),
                                            FormatMs(std::ldexp(1, k + 1) / 1000)));
      if (c > 0)
        absl::StrAppend(&svg, Label(x + bw / 2, kTop + kPlotH - h - 3, absl::StrCat(c), "middle"));
      absl::StrAppend(
          &svg, Label(x + bw / 2, kTop + kPlotH + 14, FormatMs(std::ldexp(1, k) / 1000), "middle"));
    }
    absl::StrAppend(&svg, Label(kLeft - 5, kTop + 4, absl::StrCat(max_count), "end"));
  }
  absl::StrAppend(&svg, Label(kLeft + kPlotW / 2, kHeight - 12,
                              "pause duration (bin lower bound, log2 bins)", "middle"));
  absl::StrAppend(&svg, Label(14, kTop + kPlotH / 2, "count", "middle"));
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

std::string MmuCurveSvg(const std::string& title, const std::vector<MmuSeries>& series) {
  std::string svg = Header(title);
  double xmin = 1e300, xmax = 0;
  for (const MmuSeries& s : series) {
    for (const auto& [x, y] : s.points) {
      xmin = std::min(xmin, x);
      xmax = std::max(xmax, x);
    }
  }
  if (xmax <= 0 || xmin >= xmax) {
    absl::StrAppend(&svg, Label(kLeft + kPlotW / 2, kTop + kPlotH / 2, "no data", "middle"),
                    "</svg>\n");
    return svg;
  }
  const double lx0 = std::log10(xmin), lx1 = std::log10(xmax);
  auto px = [&](double x) { return kLeft + kPlotW * (std::log10(x) - lx0) / (lx1 - lx0); };
  auto py = [&](double y) { return kTop + kPlotH * (1 - y); };
  for (double y : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    absl::StrAppend(&svg,
                    absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                    "stroke=\"#ddd\"/>\n",
                                    kLeft, py(y), kLeft + kPlotW, py(y)),
                    Label(kLeft - 5, py(y) + 4, absl::StrFormat("%.2f", y), "end"));
  }
  for (int e = static_cast<int>(std::ceil(lx0)); e <= static_cast<int>(std::floor(lx1)); ++e) {
    const double x = std::pow(10.0, e);
    absl::StrAppend(&svg,
                    absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                    "stroke=\"#ddd\"/>\n",
                                    px(x), kTop, px(x), kTop + kPlotH),
                    Label(px(x), kTop + kPlotH + 14, FormatMs(x), "middle"));
  }
  for (size_t i = 0; i < series.size(); ++i) {
    const char* color = kColors[i % (sizeof(kColors) / sizeof(kColors[0]))];
    std::string points;
    for (const auto& [x, y] : series[i].points) {
      absl::StrAppend(&points, absl::StrFormat("%.1f,%.1f ", px(x), py(y)));
    }
    absl::StrAppend(
        &svg,
        absl::StrFormat("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                        "points=\"%s\"/>\n",
                        color, points),
        absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>\n", kLeft + kPlotW - 150,
                        kTop + 14 + 14 * i, color, Escape(series[i].name)));
  }
  absl::StrAppend(&svg, Label(kLeft + kPlotW / 2, kHeight - 12, "window (log scale)", "middle"),
                  Label(14, kTop + kPlotH / 2, "MMU", "middle"), "</svg>\n");
  return svg;
}

MmuSeries RunMmuSeries(const std::string& name, const RunResult& run) {
  std::vector<TimeInterval> pauses;
  for (const PauseSample& p : run.pause_samples())
    pauses.push_back({p.start_ns(), p.duration_ns()});
  const int64_t span = static_cast<int64_t>(run.wall_s() * 1e9);
  std::vector<int64_t> windows;
  for (double w = 1e5; w < static_cast<double>(span); w *= 1.5)
    windows.push_back(static_cast<int64_t>(w));
  if (span > 0) windows.push_back(span);
  MmuSeries s;
  s.name = name;
  for (const auto& [w, mmu] : MmuCurve(pauses, 0, span, windows)) {
    s.points.emplace_back(static_cast<double>(w) / 1e6, mmu);
  }
  return s;
}

absl::StatusOr<std::vector<std::string>> WritePlots(const ExperimentResults& results,
                                                    const std::string& dir) {
  std::vector<std::string> files;
  std::vector<std::string> configs;
  for (const HeapConfiguration& c : results.experiment().configs()) configs.push_back(c.name());
  const std::vector<ResultCell> cells = GroupByCell(results);
  for (const std::string& config : configs) {
    std::vector<double> pauses_ms;
    std::vector<MmuSeries> series;
    for (const ResultCell& cell : cells) {
      if (cell.config != config) continue;
      // The repetition with the median wall time represents the cell.
      std::vector<const RunResult*> runs = cell.runs;
      std::sort(runs.begin(), runs.end(),
                [](const RunResult* a, const RunResult* b) { return a->wall_s() < b->wall_s(); });
      for (const RunResult* r : runs) {
        for (const PauseSample& p : r->pause_samples()) pauses_ms.push_back(p.duration_ns() / 1e6);
      }
      if (!runs.empty()) series.push_back(RunMmuSeries(cell.workload, *runs[runs.size() / 2]));
    }
    const std::string base = SafeFileName(config);
    const std::string hist = absl::StrCat("pauses_", base, ".svg");
    const std::string mmu = absl::StrCat("mmu_", base, ".svg");
    GCLAB_RETURN_IF_ERROR(WriteFileAtomically(
        absl::StrCat(dir, "/", hist),
        PauseHistogramSvg(absl::StrCat("Pause times: ", config, " (all workloads, ",
                                       pauses_ms.size(), " pauses)"),
                          pauses_ms)));
    GCLAB_RETURN_IF_ERROR(WriteFileAtomically(
        absl::StrCat(dir, "/", mmu), MmuCurveSvg(absl::StrCat("Minimum mutator utilization: ",
                                                              config, " (median run per workload)"),
                                                 series)));
    files.push_back(hist);
    files.push_back(mmu);
  }
  return files;
}

}  // namespace gclab
