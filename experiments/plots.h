// Hand-written SVG plots (no dependencies): pause-time histograms and MMU
// curves, one of each per configuration, written next to the results.
#ifndef GCLAB_EXPERIMENTS_PLOTS_H_
#define GCLAB_EXPERIMENTS_PLOTS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/results.pb.h"

namespace gclab {

// Histogram of pause durations (ms) over power-of-two bins (1 µs, 2 µs, ...).
std::string PauseHistogramSvg(const std::string& title, const std::vector<double>& pauses_ms);

struct MmuSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (window ms, utilization 0..1)
};
// MMU curves: x = window (log scale, ms), y = utilization.
std::string MmuCurveSvg(const std::string& title, const std::vector<MmuSeries>& series);

// The MMU curve of one run from its pause samples, at windows from 0.1 ms up
// to the run's wall time.
MmuSeries RunMmuSeries(const std::string& name, const RunResult& run);

// Writes pauses_<config>.svg and mmu_<config>.svg for every configuration
// into `dir`; returns the file names (relative to dir).
absl::StatusOr<std::vector<std::string>> WritePlots(const ExperimentResults& results,
                                                    const std::string& dir);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_PLOTS_H_
