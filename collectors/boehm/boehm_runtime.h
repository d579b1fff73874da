// BoehmRuntime: the one Boehm-Demers-Weiser collector of the process, set up
// for gclab's boehm allocator + boehm collector pair (boehm_allocator.h,
// boehm_collector.h). Internal to collectors/boehm/.
//
// Boehm is a process-wide singleton (one heap, one mark state), so:
//   - it is initialized once per process (Init), with the marker count of
//     the first request; a later request for another count fails;
//   - one gclab heap at a time may use it (Acquire / Release): a collection
//     marks from one heap's roots, and would free the objects of a second
//     heap whose roots it does not know.
//
// How gclab drives it
//   - Precise objects: every gclab object lives in one Boehm object kind
//     whose mark procedure (MarkObject) traces the object through its
//     TypeDescriptor, decoding slot words with ObjectStart (interior
//     pointers included), and writes gclab's mark epoch into the header, so
//     gclab's heap verifier can check that Boehm marked everything reachable.
//     Boehm never scans a gclab object conservatively.
//   - Precise roots: GC_push_other_roots (which by default scans the thread
//     stacks conservatively) is replaced by PushRoots, which pushes the root
//     words the collector gathered from gclab's handles, globals and stack
//     regions before the collection, plus the heads of the allocator caches'
//     free lists. Boehm still scans the static data of the program and its
//     libraries (conservatively; nothing of gclab's points from there into
//     the heap).
//   - Collections only when gclab says: automatic collection is disabled
//     (GC_set_disable_automatic_collection), GC_max_retries is 0 and the
//     out-of-memory function returns nullptr, so an allocation at the heap
//     limit fails instead of collecting; the collector calls GC_gcollect
//     with gclab's world stopped.
//   - Collection events (GC_set_on_collection_event) are timed into
//     `events()` for the collector's CycleRecords.
//   - GC_all_interior_pointers is off (every pointer Boehm sees is an object
//     start, so an object needs no extra byte).
//   - No thread stays registered with Boehm: the thread that initializes
//     it is unregistered right away, and a collection registers the
//     collecting thread for its duration only (CollectOnThisThread). gclab's
//     mutators allocate unregistered (Boehm scans no stacks here), and
//     Boehm's stop-the-world signals reach no thread.
#ifndef GCLAB_COLLECTORS_BOEHM_BOEHM_RUNTIME_H_
#define GCLAB_COLLECTORS_BOEHM_BOEHM_RUNTIME_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gclab {
namespace boehm_internal {

// Nanosecond timestamps (steady clock) of the last collection's events; 0 if
// an event did not happen. Written by the collecting thread inside
// GC_gcollect, read after it.
struct CollectionEvents {
  int64_t start = 0, mark_start = 0, mark_end = 0, reclaim_start = 0, reclaim_end = 0, end = 0;
  int64_t pre_stop_world = 0, post_stop_world = 0, pre_start_world = 0, post_start_world = 0;
};

// Objects and bytes the mark procedure traced during one collection.
struct MarkTotals {
  uint64_t objects = 0;
  uint64_t bytes = 0;
};

class BoehmRuntime {
 public:
  // The process's runtime, initializing Boehm on first use with `markers`
  // marker threads (0: Boehm's choice, GC_MARKERS or one per core).
  // FailedPrecondition if Boehm already runs with another nonzero count.
  static absl::StatusOr<BoehmRuntime*> Get(int markers);

  // Exclusive use by one heap (the boehm allocator's Initialize /
  // destructor); does not need Boehm to be initialized.
  static absl::Status Acquire();
  static void Release();

  // GC_gcollect from the calling thread, which Boehm requires to be
  // registered: a thread it does not know is registered for the
  // collection only. False (no collection) if Boehm refused to register it.
  static bool CollectOnThisThread();

  // The Boehm object kind of gclab objects.
  int kind() const { return kind_; }
  // Marker threads, the collecting thread included.
  int markers() const;

  // Root words (object starts) PushRoots hands to Boehm at the next
  // collection. Filled by the collector with the world stopped.
  std::vector<void*>& roots() { return roots_; }
  // The epoch the mark procedure writes into every object it traces.
  void set_epoch(uint8_t epoch) { epoch_.store(epoch, std::memory_order_relaxed); }

  // Clears the mark totals; sums them (after GC_gcollect returned).
  void ResetMarkTotals();
  MarkTotals SumMarkTotals() const;

  const CollectionEvents& events() const { return events_; }
  void ClearEvents() { events_ = CollectionEvents(); }

 private:
  BoehmRuntime() = default;
  void Initialize(int markers);

  int kind_ = 0;
  int requested_markers_ = 0;
  std::vector<void*> roots_;
  std::atomic<uint8_t> epoch_{1};
  CollectionEvents events_;

  friend struct RuntimeCallbacks;
};

}  // namespace boehm_internal
}  // namespace gclab

#endif  // GCLAB_COLLECTORS_BOEHM_BOEHM_RUNTIME_H_
