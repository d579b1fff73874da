// Result files: results.csv (one row per run, fixed columns), results.json
// (protobuf JSON mapping of ExperimentResults) and cycles.jsonl (one JSON
// object per collection).
#ifndef GCLAB_EXPERIMENTS_RESULTS_IO_H_
#define GCLAB_EXPERIMENTS_RESULTS_IO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "experiments/results.pb.h"

namespace gclab {

// The CSV columns, in order. Scripts rely on these names; append only.
const std::vector<std::string>& CsvColumns();

// Header line plus one line per run (RFC 4180 quoting where needed).
std::string ResultsToCsv(const ExperimentResults& results);

absl::StatusOr<std::string> ResultsToJson(const ExperimentResults& results);
absl::StatusOr<ExperimentResults> ResultsFromJson(const std::string& json);

// One JSON object per line for every CycleSample of every run.
absl::StatusOr<std::string> CyclesToJsonLines(const ExperimentResults& results);

absl::StatusOr<ExperimentResults> ReadResultsJsonFile(const std::string& path);

// results.json for results that only ever gain runs (the runner rewrites the
// file after every run): each run is converted to JSON once, so writing the
// file after run n costs the copy, not n conversions. The document reads
// back (ResultsFromJson) exactly as ResultsToJson's does.
class IncrementalResultsJson {
 public:
  absl::StatusOr<std::string> Document(const ExperimentResults& results);

 private:
  std::vector<std::string> runs_;  // JSON of runs [0, size)
};

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_RESULTS_IO_H_
