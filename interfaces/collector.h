// Collector: the interface every gclab garbage collector implements.
//
// A collector decides what is live and when to collect; the allocator
// (interfaces/allocator.h) owns memory and frees what the collector left
// unmarked. Generic code never asks a collector's name: it asks its
// CollectorConstraints (MMTk's PlanConstraints), e.g. whether stores need the
// write-barrier slow path or whether the collector frees anything at all.
//
// Valid call sequence (all driven by the Heap, heap/heap.h)
//   1. Attach(heap)                       once, from Heap::Create
//   2. OnMutatorAttached(m)               per mutator thread, as it attaches
//   3. any interleaving, on mutator threads:
//        OnAllocationBudgetExhausted(m)   every Heap::allocation_check_bytes()
//                                         bytes a thread allocates
//        CollectForAllocationFailure(m)   an allocation failed
//        CollectNow(m)                    explicit full collection
//        WriteBarrierSlow(m, ...)         a pointer store while barriers are on
//   4. OnMutatorDetaching(m)              per thread, as it detaches
//   5. Shutdown()                         from ~Heap: stop background threads
//
// Shared machinery for implementations lives in collectors/common/: mark
// worklists, root and object tracing, the GOGC heap-growth policy.
#ifndef GCLAB_INTERFACES_COLLECTOR_H_
#define GCLAB_INTERFACES_COLLECTOR_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "object/object.h"

namespace gclab {

class Heap;
class Mutator;

// Which write barrier a collector uses (see collectors/concurrent/).
enum class BarrierKind : uint8_t {
  kNone,      // no barrier (stop-the-world collectors)
  kDijkstra,  // insertion barrier: shade the new value; roots re-scanned at termination
  kYuasa,     // deletion barrier: shade the overwritten value (snapshot-at-the-beginning)
  kHybrid,    // Go 1.8+: shade the old value, and the new one while the stack is grey
};
const char* BarrierKindName(BarrierKind kind);

// Constant properties a collector declares; generic code branches on these.
struct CollectorConstraints {
  bool frees_memory = true;          // false: never reclaims (nogc)
  bool moves_objects = false;        // true: pointers may change across safepoints
  bool concurrent_marking = false;   // marks while mutators run
  bool needs_write_barrier = false;  // stores must take WriteBarrierSlow when enabled
  BarrierKind barrier = BarrierKind::kNone;
};

// Per-mutator state a collector may attach to each Mutator (e.g. a local
// mark worklist, assist credit, "stack is grey" flag).
class CollectorMutatorState {
 public:
  virtual ~CollectorMutatorState() = default;
};

class Collector {
 public:
  virtual ~Collector() = default;

  // Registry name ("nogc", "marksweep", ...).
  virtual absl::string_view name() const = 0;
  virtual const CollectorConstraints& constraints() const = 0;

  // Called once from Heap::Create after the allocator is initialized. May start
  // background threads.
  virtual absl::Status Attach(Heap* heap) = 0;

  virtual void OnMutatorAttached(Mutator* m) {}
  virtual void OnMutatorDetaching(Mutator* m) {}

  // Called on mutator `m` (running, at a point where it may be stopped) each
  // time it has allocated Heap::allocation_check_bytes() more bytes. The
  // collector may start a cycle, make `m` assist marking, or do nothing.
  virtual void OnAllocationBudgetExhausted(Mutator* m) = 0;

  // An allocation of `bytes` failed. Run a full collection (blocking) so the
  // allocation can be retried. Returns false if nothing can be reclaimed.
  virtual bool CollectForAllocationFailure(Mutator* m, size_t bytes) = 0;

  // Explicit blocking full collection (Go's runtime.GC()).
  virtual void CollectNow(Mutator* m) = 0;

  // Called for every pointer store `*slot = value` into `holder` (nullptr for a
  // global root) while Heap::write_barrier_enabled(). Must perform the store.
  // `m` is the storing mutator, or nullptr for a store by a thread that is not
  // a mutator: Heap::DeleteGlobalRoot clears the root this way, serialized
  // with pauses and handshakes (the heap holds its safepoint lock).
  virtual void WriteBarrierSlow(Mutator* m, Object* holder, Object** slot, Object* value) {
    StorePointerRaw(slot, value);
  }

  // Stop background threads; finish or abandon any cycle. Called from ~Heap
  // after every mutator detached, before the allocator is destroyed.
  virtual void Shutdown() {}
};

}  // namespace gclab

#endif  // GCLAB_INTERFACES_COLLECTOR_H_
