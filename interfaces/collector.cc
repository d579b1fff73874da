#include "interfaces/collector.h"

#include "absl/strings/str_cat.h"

namespace gclab {

absl::Status CheckCompatible(const Allocator& allocator, const Collector& collector) {
  const std::optional<Reclamation>& required = collector.constraints().required_reclamation;
  const Reclamation offered = allocator.capabilities().reclamation;
  if (required.has_value() && *required != offered) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collector '", collector.name(), "' cannot run on allocator '", allocator.name(),
        "': the collector requires an allocator with reclamation ", ReclamationName(*required),
        ", the allocator's is ", ReclamationName(offered)));
  }
  return absl::OkStatus();
}

const char* BarrierKindName(BarrierKind kind) {
  switch (kind) {
    case BarrierKind::kNone:
      return "none";
    case BarrierKind::kDijkstra:
      return "dijkstra";
    case BarrierKind::kYuasa:
      return "yuasa";
    case BarrierKind::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

}  // namespace gclab
