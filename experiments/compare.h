// Side-by-side comparison of two results files (e.g. before/after a change).
// Cells are matched by (config, workload); for each metric the table shows
// min / median / max over repetitions for a and b, the ratio of medians b/a,
// and "~" when the two [min, max] ranges overlap (difference within noise).
#ifndef GCLAB_EXPERIMENTS_COMPARE_H_
#define GCLAB_EXPERIMENTS_COMPARE_H_

#include <functional>
#include <string>
#include <vector>

#include "experiments/metrics.h"
#include "experiments/results.pb.h"

namespace gclab {

struct ComparedMetric {
  std::string name;
  Spread a;
  Spread b;
  double ratio = 0;  // b.median / a.median (0 if a.median == 0)
  bool within_noise = false;
};

struct ComparedCell {
  std::string config;
  std::string workload;
  std::string status_a;
  std::string status_b;
  std::vector<ComparedMetric> metrics;
};

struct Comparison {
  std::vector<ComparedCell> cells;
  std::vector<std::string> only_in_a;  // "config / workload"
  std::vector<std::string> only_in_b;
};

Comparison CompareResults(const ExperimentResults& a, const ExperimentResults& b);

// Markdown rendering: one table per cell.
std::string FormatComparison(const Comparison& c, const std::string& label_a,
                             const std::string& label_b);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_COMPARE_H_
