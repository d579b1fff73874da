// boehm: the Boehm-Demers-Weiser collector (Debian's libgc 8.2) behind
// gclab's collector interface, as Whippet's `bdw` backend wraps it behind its
// own (wingo/whippet, src/bdw.c). Paired with the boehm allocator
// (boehm_allocator.h), which puts gclab objects in Boehm's heap.
//
// Heritage: Boehm & Weiser, "Garbage Collection in an Uncooperative
// Environment" (SP&E 1988); parallel marking after Endo, Taura & Yonezawa
// (SC 1997) as Boehm implements it; lazy sweeping.
//
// Properties
//   - stop-the-world, non-moving, non-incremental mark-sweep; marking in
//     parallel on Boehm's marker threads (`markers`); sweeping lazily, as
//     allocation reaches each block (so its cost is in the mutator);
//   - precise here: gclab's roots are handed to Boehm (instead of Boehm's
//     conservative scan of thread stacks) and gclab objects are traced by a
//     mark procedure that reads their TypeDescriptor (boehm_runtime.h). Only
//     the program's static data is scanned conservatively, as Boehm always
//     does;
//   - no write barrier;
//   - requires the boehm allocator: CollectorConstraints::required_reclamation
//     is kExternalCollector, which only it declares; Heap::Create refuses any
//     other allocator with an error naming the capability;
//   - triggered by gclab, not by Boehm (Boehm's automatic collection is off):
//     by default with Boehm's own rule, a collection after allocating
//     live / free_space_divisor bytes (GC_free_space_divisor, 3: Boehm's
//     default), or with Go's GOGC rule if gogc > 0; never below
//     min_heap_bytes; also on allocation failure and on request.
//
// Phases of one collection (all inside one gclab pause)
//   1. Stop the world (Heap::StopTheWorld): every mutator parks at a
//      safepoint, so no object is half-initialized and every live reference
//      is in a root.
//   2. Advance gclab's mark epoch (the mark procedure writes it into every
//      object it traces, for the verifier).
//   3. Gather the root words: ObjectStart of every root slot (handles,
//      globals, stack-region objects' fields) and the heads of the allocator
//      caches' free lists.
//   4. GC_gcollect (BoehmRuntime::CollectOnThisThread): Boehm finishes the
//      previous cycle's lazy sweep, marks from the static data and the
//      roots of 3 in parallel, and starts lazy sweeping. Its events are
//      timed into the CycleRecord (mark, reclaim).
//   5. Verify (HeapConfig::verify): every reachable object is intact and
//      carries the epoch, i.e. Boehm marked it.
//   6. Set the next trigger from the bytes the mark procedure traced; record
//      the pause and the cycle; resume the world.
//
// Threads: Boehm does not know gclab's mutators. gclab has stopped them
// (parked at safepoints) before Boehm collects, and their roots reach Boehm
// precisely, so Boehm has no thread to suspend or stack to scan; only the
// collecting thread is registered with Boehm, for the collection
// (GC_gcollect needs it). No signals go to mutator threads (which also keeps
// Boehm working under ThreadSanitizer, which defers signals to blocked
// threads).
#ifndef GCLAB_COLLECTORS_BOEHM_BOEHM_COLLECTOR_H_
#define GCLAB_COLLECTORS_BOEHM_BOEHM_COLLECTOR_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "collectors/common/stw_collection.h"
#include "heap/gc_stats.h"
#include "interfaces/collector.h"

namespace gclab {

class BoehmAllocator;

struct BoehmOptions {
  // Marker threads, the collecting thread included (GC_set_markers_count);
  // 0: Boehm's choice (GC_MARKERS, else one per core). One count per
  // process: the first boehm heap's.
  int markers = 0;
  // Boehm's trigger: collect after allocating live / free_space_divisor
  // bytes (>= 1).
  int free_space_divisor = 3;
  // > 0: Go's GOGC trigger instead (collect when the heap in use reaches
  // live * (1 + gogc / 100)); 0: Boehm's. Negative is an error.
  int gogc = 0;
  // No collection is triggered below this heap size.
  uint64_t min_heap_bytes = 4u << 20;
};

class BoehmCollector final : public StopTheWorldCollector {
 public:
  explicit BoehmCollector(const BoehmOptions& options) : options_(options) {}

  absl::string_view name() const override { return "boehm"; }
  const CollectorConstraints& constraints() const override;
  absl::Status Attach(Heap* heap) override;

  // Boehm's marker threads (the collecting thread included).
  int markers() const;

 private:
  void Collect(Mutator* m, GcCause cause) override;
  uint64_t Trigger(uint64_t live_bytes) const;

  const BoehmOptions options_;
  BoehmAllocator* allocator_ = nullptr;
  uint64_t live_objects_ = 0;  // traced by the last collection (world stopped)
  uint64_t objects_seen_ = 0;  // Heap::objects_allocated() at the last collection
};

// OK, or InvalidArgument naming the bad field ("boehm.free_space_divisor").
absl::Status ValidateBoehmOptions(const BoehmOptions& options);
// The registry's factory: validates, then constructs.
absl::StatusOr<std::unique_ptr<Collector>> NewBoehmCollector(const BoehmOptions& options = {});

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_BOEHM_BOEHM_COLLECTOR_H_
