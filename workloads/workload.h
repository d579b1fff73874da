// Workload: one standard program run against a gclab Heap (GCBench,
// binary-trees, splay, ...). Every workload validates its own result, so a
// collector bug fails the run instead of making it fast.
//
// Valid call sequence
//   absl::StatusOr<std::unique_ptr<Workload>> w = MakeWorkload(config);  // registry.h
//   absl::Status s = (*w)->Run(heap, seed);  // calling thread NOT attached to heap
//   // s: OK | ResourceExhausted (out of memory) | DataLoss (validation failed)
//   //    | anything else (error)
//   Run may be called again on a fresh heap (runs are independent).
//
// Rules every workload follows
// - All managed memory comes from Mutator::Allocate/TryAllocate; pointer
//   fields are written with Mutator::Store and read with Mutator::Load.
// - Every Object* held across an allocation or a Poll lives in a Local (or a
//   global root): anything else may be freed at the next safepoint.
// - Blocking waits (condition variables, contended locks, joins) happen
//   inside a ParkedScope.
// - Behaviour depends only on heap->constraints(), never on module names.
#ifndef GCLAB_WORKLOADS_WORKLOAD_H_
#define GCLAB_WORKLOADS_WORKLOAD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "heap/heap.h"

namespace gclab {

class Workload {
 public:
  virtual ~Workload() = default;

  // Registry name ("gcbench", "binary_trees", ...).
  virtual absl::string_view name() const = 0;

  // Runs the workload once on `heap`. The calling thread must not be attached
  // to `heap`; Run attaches it (and any worker threads) and detaches them all
  // before returning. `seed` makes randomized workloads reproducible.
  virtual absl::Status Run(Heap* heap, uint64_t seed) = 0;
};

// The status a workload returns when its self-check fails (DataLoss, message
// prefixed "validation failed: ").
absl::Status ValidationError(absl::string_view message);
bool IsValidationError(const absl::Status& status);

// Short machine-readable kind of a run's outcome, used as the `status` column
// of results: "ok", "oom" (ResourceExhausted), "validation_failed" (DataLoss),
// "error" (anything else).
std::string StatusKind(const absl::Status& status);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_WORKLOAD_H_
