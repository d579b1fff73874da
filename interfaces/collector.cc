#include "interfaces/collector.h"

namespace gclab {

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
