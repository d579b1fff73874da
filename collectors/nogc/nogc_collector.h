// nogc: the collector that never collects (Epsilon in OpenJDK, NoGC in MMTk).
//
// Properties: no marking, no sweeping, no barrier, no pauses. Allocation runs
// until the heap limit, then fails with ResourceExhausted. It is the baseline
// every other collector's overhead is measured against: the cost of the
// allocator alone.
//
// Phases: none. Invariant: nothing is ever freed, so every object stays valid.
#ifndef GCLAB_COLLECTORS_NOGC_NOGC_COLLECTOR_H_
#define GCLAB_COLLECTORS_NOGC_NOGC_COLLECTOR_H_

#include <memory>

#include "absl/status/statusor.h"
#include "interfaces/collector.h"

namespace gclab {

class NoGcCollector final : public Collector {
 public:
  absl::string_view name() const override { return "nogc"; }
  const CollectorConstraints& constraints() const override;
  absl::Status Attach(Heap* heap) override;
  void OnAllocationBudgetExhausted(Mutator* m) override {}
  bool CollectForAllocationFailure(Mutator* m, size_t bytes) override { return false; }
  void CollectNow(Mutator* m) override {}
};

// The registry's factory (every collector factory has this shape; nogc has
// no parameters, so it never fails).
absl::StatusOr<std::unique_ptr<Collector>> NewNoGcCollector();

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_NOGC_NOGC_COLLECTOR_H_
