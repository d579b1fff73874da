#include "collectors/concurrent/write_barrier.h"

namespace gclab {

StackScanMode StackScanModeFor(BarrierKind kind) {
  switch (kind) {
    case BarrierKind::kYuasa:
      return StackScanMode::kInFirstPause;
    case BarrierKind::kDijkstra:
      return StackScanMode::kHandshakeAndRescan;
    case BarrierKind::kHybrid:
    case BarrierKind::kNone:  // scans like hybrid; only the shading is missing
      return StackScanMode::kHandshake;
  }
  return StackScanMode::kHandshake;
}

}  // namespace gclab
