// Loading and checking experiment configs (experiments/experiment.proto, text
// format).
//
// Errors are meant for people editing configs:
//   configs/x.textproto:12:5: Message type "gclab.CollectorConfig" has no field
//       named "marksweeep". Known collectors: nogc, marksweep
//   configs/x.textproto:9:3: configs[1] "ms": collector: marksweep.gogc ...
// and never a crash.
//
// Typical use
//   absl::StatusOr<Experiment> e = LoadExperimentFile(path);
//   if (smoke) ShrinkExperimentForSmoke(&*e);
#ifndef GCLAB_EXPERIMENTS_EXPERIMENT_CONFIG_H_
#define GCLAB_EXPERIMENTS_EXPERIMENT_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "experiments/experiment.pb.h"
#include "heap/heap.h"

namespace gclab {

// Escape-analysis modes the runner accepts (escape_mode field).
std::vector<std::string> KnownEscapeModes();

// Parses `text` (the contents of `filename`, used in messages) and validates
// the result (ValidateExperiment). InvalidArgument with file:line:col.
absl::StatusOr<Experiment> ParseExperimentText(absl::string_view text, absl::string_view filename);

// Reads and parses a file. NotFound if it cannot be read.
absl::StatusOr<Experiment> LoadExperimentFile(const std::string& path);

// Semantic checks: names, module configs (through the registry's factories,
// so bad parameters are reported naming the field), workloads, counts.
absl::Status ValidateExperiment(const Experiment& experiment);

// Scales an experiment down for smoke tests: workloads shrunk
// (ShrinkForSmoke), 1 repetition, no warm-up, heap limits capped at 256 MiB.
void ShrinkExperimentForSmoke(Experiment* experiment);

// The HeapConfig for a configuration (environment overrides applied:
// GCLAB_VERIFY, GCLAB_GCTRACE).
HeapConfig HeapConfigFor(const HeapConfiguration& config);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_EXPERIMENT_CONFIG_H_
