// Hand-written SVG plots (no dependencies) for comparing configurations: per
// workload, one MMU plot and one pause-time plot, with every configuration
// as its own series. Written next to the results; see docs/EXPERIMENTS.md.
#ifndef GCLAB_EXPERIMENTS_PLOTS_H_
#define GCLAB_EXPERIMENTS_PLOTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "experiments/results.pb.h"

namespace gclab {

// One configuration's MMU curve for one workload: at each window, the median
// (and min, max) over the configuration's ok runs of the run's MMU
// (MmuCurve from experiments/metrics.h).
struct MmuSeries {
  std::string name;                      // the configuration
  int runs = 0;                          // ok runs the curve is made of
  int failed = 0;                        // runs left out because they did not finish ok
  std::vector<double> window_ms;         // ascending
  std::vector<double> median, min, max;  // MMU (0..1) at each window
};

// The MMU series of `name` over `runs` (ok and failed; failed runs are only
// counted): windows log-spaced from `min_window_ms` (20 per decade) up to the
// longest ok run's wall time.
MmuSeries MakeMmuSeries(const std::string& name, const std::vector<const RunResult*>& runs,
                        double min_window_ms);

// One configuration's pauses for one workload, pooled over its ok runs.
struct PauseSeries {
  std::string name;  // the configuration
  int runs = 0;      // ok runs the pauses come from
  int failed = 0;    // runs left out because they did not finish ok
  std::vector<double> pauses_ms;
};
PauseSeries MakePauseSeries(const std::string& name, const std::vector<const RunResult*>& runs);

// MMU plot: x = window (log scale), y = MMU 0..1, one line per series with a
// shaded min-max band; legend below the plot.
std::string MmuPlotSvg(const std::string& title, const std::string& subtitle,
                       const std::vector<MmuSeries>& series);

// Pause plot: the cumulative distribution of pause durations (x log scale,
// y = % of pauses <= x), one step line per series; the legend gives each
// series' count, p50, p99 and max.
std::string PauseCdfSvg(const std::string& title, const std::string& subtitle,
                        const std::vector<PauseSeries>& series);

// The plots of one workload, every configuration of the experiment a series
// (in config order).
struct WorkloadPlots {
  std::string workload;
  std::string mmu_file;  // mmu_<workload>.svg
  std::string mmu_svg;
  std::string pauses_file;  // pauses_<workload>.svg
  std::string pauses_svg;
};
std::vector<WorkloadPlots> MakeWorkloadPlots(const ExperimentResults& results);

// Writes every workload's MMU and pause plot into `dir`; returns the file
// names (relative to dir), per workload the MMU plot then the pause plot.
absl::StatusOr<std::vector<std::string>> WritePlots(const ExperimentResults& results,
                                                    const std::string& dir);

// Estimated advance width in px of `text` at `font_size` px (DejaVu Sans
// widths, the widest common sans-serif; 1 em for non-ASCII). Layout uses it
// to keep every label inside the picture.
double EstimateTextWidth(absl::string_view text, double font_size);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_PLOTS_H_
