// GOGC-style heap-growth policy (Go's gcController.heapGoal without the
// pacer): after a collection that found `live` bytes, the next collection is
// due when the heap in use reaches
//     goal = max(min_heap, live * (1 + gogc / 100))
// gogc < 0 turns triggering off (collections then only happen when an
// allocation fails or on request), as GOGC=off does.
#ifndef GCLAB_COLLECTORS_COMMON_HEAP_GROWTH_H_
#define GCLAB_COLLECTORS_COMMON_HEAP_GROWTH_H_

#include <algorithm>
#include <cstdint>
#include <limits>

namespace gclab {

struct HeapGrowthPolicy {
  int gogc = 100;
  uint64_t min_heap_bytes = 4u << 20;

  // The goal after a collection that found `live_bytes`; the maximum
  // uint64 (never reached) when triggering is off or the goal does not fit.
  uint64_t Goal(uint64_t live_bytes) const {
    constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
    if (gogc < 0) return kNever;
    const double goal = static_cast<double>(live_bytes) * (1.0 + gogc / 100.0);
    // 2^64 as a double: converting anything at or above it is undefined.
    if (goal >= static_cast<double>(kNever)) return kNever;
    return std::max<uint64_t>(min_heap_bytes, static_cast<uint64_t>(goal));
  }
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_COMMON_HEAP_GROWTH_H_
