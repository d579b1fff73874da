// The workload registry: one explicit switch (registry.cc) maps a
// WorkloadConfig (workloads/workloads.proto) to its implementation. Names are
// the oneof field names of WorkloadConfig.kind, so a new workload is visible
// everywhere (runner, matrix test) once it has its field and its case.
//
// Example
//   absl::StatusOr<WorkloadConfig> c = WorkloadConfigForName("gcbench");
//   absl::StatusOr<std::unique_ptr<Workload>> w = MakeWorkload(*c);
#ifndef GCLAB_WORKLOADS_REGISTRY_H_
#define GCLAB_WORKLOADS_REGISTRY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

// Registry names in declaration order.
std::vector<std::string> KnownWorkloadNames();

// A config selecting `name` with default parameters; NotFound listing the
// known names otherwise.
absl::StatusOr<WorkloadConfig> WorkloadConfigForName(absl::string_view name);

// The registry name a config selects ("" if none).
std::string WorkloadName(const WorkloadConfig& config);
// The label for tables: config.label if set, else the registry name.
std::string WorkloadLabel(const WorkloadConfig& config);

// OK, or InvalidArgument naming the offending field (e.g. "gcbench.threads
// must be in [1, 256], got 0"); InvalidArgument listing the known workloads if
// no kind is set.
absl::Status ValidateWorkloadConfig(const WorkloadConfig& config);

// Shrinks the sizes of `config` so a run takes well under a second (smoke
// tests). Keeps the structure (threads, phases) of the workload.
void ShrinkForSmoke(WorkloadConfig* config);

// Whether the workload runs as its own process (go_program) rather than on a
// heap in the caller's process (MakeWorkload). The runner asks this, never the
// name.
bool IsExternalWorkload(const WorkloadConfig& config);

// The registry names MakeWorkload builds (every known name except the
// external ones), in declaration order.
std::vector<std::string> InProcessWorkloadNames();

// The Go program that does what `config` does, for reference rows from Go's
// own runtime: a go_program is its own; gcbench and binary_trees map to
// workloads/go/gcbench.go and binarytrees.go with the same sizes (only in
// their single-threaded published form: one thread, no extra stack roots,
// binary_trees min_depth 4, as the Go programs fix them). nullopt otherwise.
std::optional<GoProgramParams> GoEquivalent(const WorkloadConfig& config);

// Validates and builds an in-process workload; FailedPrecondition for an
// external one.
absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(const WorkloadConfig& config);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_REGISTRY_H_
