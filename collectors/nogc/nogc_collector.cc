#include "collectors/nogc/nogc_collector.h"

namespace gclab {

const CollectorConstraints& NoGcCollector::constraints() const {
  static const CollectorConstraints kConstraints = {
      .frees_memory = false,
      .moves_objects = false,
      .concurrent_marking = false,
      .needs_write_barrier = false,
      .barrier = BarrierKind::kNone,
      .required_reclamation = std::nullopt,  // allocates only: any allocator will do
  };
  return kConstraints;
}

absl::Status NoGcCollector::Attach(Heap* heap) { return absl::OkStatus(); }

absl::StatusOr<std::unique_ptr<Collector>> NewNoGcCollector() {
  return std::make_unique<NoGcCollector>();
}

}  // namespace gclab
