// marksweep: stop-the-world, non-moving, precise mark-sweep.
//
// Heritage: McCarthy's mark-sweep (1960) with an explicit mark stack instead of
// recursion (Knuth, TAOCP vol. 1, 2.3.5), sweeping through the allocator in
// the style of Go's runtime (mark epochs play the role of Go's gcmarkBits).
//
// Properties
//   - stop-the-world: every phase runs with all mutators stopped at
//     safepoints; one pause per collection;
//   - precise: roots are the handle scopes, global roots and stack-region
//     objects; objects are traced through their TypeDescriptor;
//   - non-moving; no write barrier;
//   - triggered by the GOGC heap-growth policy (collectors/common/heap_growth.h):
//     when the heap in use reaches max(min_heap, live * (1 + GOGC/100)); also
//     on allocation failure and on request.
//
// Phases of one collection (all inside one pause)
//   1. Stop the world (Heap::StopTheWorld): every mutator parks at a
//      safepoint. If another thread collected while this one waited and the
//      cause was the trigger, resume and return.
//   2. Advance the mark epoch: every object becomes white at once.
//   3. Mark: shade every root referent grey, then drain the worklist,
//      blackening objects (collectors/common/tracing.h). Deep structures
//      cannot overflow the C++ stack: the worklist lives on the heap.
//      With HeapConfig::checkmark, a second trace checks that every
//      reachable object carries the epoch (heap/checkmark.h).
//   4. Sweep: Allocator::PrepareForSweep(epoch) + FinishSweep(): every cell
//      not carrying the epoch is freed (and poisoned when verifying).
//   5. Verify (if HeapConfig::verify): every reachable object is intact and
//      marked; free memory is poisoned.
//   6. Set the next trigger from the live bytes; record the pause and the
//      cycle in GcStats; print a gctrace line if enabled.
//   7. Resume the world.
//
// Invariant at the end of 3: every object reachable from the roots carries the
// epoch (black); no black object points to a white one.
#ifndef GCLAB_COLLECTORS_MARKSWEEP_MARKSWEEP_COLLECTOR_H_
#define GCLAB_COLLECTORS_MARKSWEEP_MARKSWEEP_COLLECTOR_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "collectors/common/heap_growth.h"
#include "heap/gc_stats.h"
#include "interfaces/collector.h"

namespace gclab {

struct MarkSweepOptions {
  HeapGrowthPolicy growth;
};

class MarkSweepCollector final : public Collector {
 public:
  explicit MarkSweepCollector(const MarkSweepOptions& options) : options_(options) {}

  absl::string_view name() const override { return "marksweep"; }
  const CollectorConstraints& constraints() const override;
  absl::Status Attach(Heap* heap) override;
  void OnAllocationBudgetExhausted(Mutator* m) override;
  bool CollectForAllocationFailure(Mutator* m, size_t bytes) override;
  void CollectNow(Mutator* m) override;

  uint64_t next_trigger_bytes() const { return trigger_.load(std::memory_order_relaxed); }

  // Deliberately wrong root set: ignore the mutators' roots (shadow stacks and
  // stack regions), so live objects get freed. Proves the verifier can fail.
  void set_ignore_mutator_roots_ForTesting(bool ignore) { ignore_mutator_roots_ = ignore; }

 private:
  void Collect(Mutator* m, GcCause cause);

  const MarkSweepOptions options_;
  Heap* heap_ = nullptr;
  std::atomic<uint64_t> trigger_{0};
  std::atomic<uint64_t> cycles_{0};
  bool ignore_mutator_roots_ = false;
};

// OK, or InvalidArgument naming the bad field ("marksweep.gogc").
absl::Status ValidateMarkSweepOptions(const MarkSweepOptions& options);
// The registry's factory: validates, then constructs.
absl::StatusOr<std::unique_ptr<Collector>> NewMarkSweepCollector(
    const MarkSweepOptions& options = {});

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_MARKSWEEP_MARKSWEEP_COLLECTOR_H_
