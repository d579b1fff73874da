// Human-readable summaries of ExperimentResults: the markdown results table
// (median and min–max over repetitions per configuration x workload) and the
// report.md that links the plots.
#ifndef GCLAB_EXPERIMENTS_REPORT_H_
#define GCLAB_EXPERIMENTS_REPORT_H_

#include <functional>
#include <string>
#include <vector>

#include "experiments/metrics.h"
#include "experiments/results.pb.h"

namespace gclab {

// The runs of one (config, workload) cell, in first-seen order.
struct ResultCell {
  std::string config;
  std::string workload;
  std::vector<const RunResult*> runs;
};
std::vector<ResultCell> GroupByCell(const ExperimentResults& results);

// Spread of `metric` over a cell's runs.
Spread CellSpread(const ResultCell& cell, const std::function<double(const RunResult&)>& metric);

// "ok", or e.g. "oom 2/3" (the most frequent failure and its count).
std::string CellStatus(const ResultCell& cell);

// The markdown results table.
std::string MarkdownTable(const ExperimentResults& results);

// report.md: machine, table, and the given SVG files (WritePlots' per-workload
// plots) embedded.
std::string MarkdownReport(const ExperimentResults& results,
                           const std::vector<std::string>& svg_files);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_REPORT_H_
