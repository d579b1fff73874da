// What the stop-the-world collectors (marksweep, boehm) share.
//
// StopTheWorldCollector: a Collector whose every collection is one
// Collect(m, cause) with the world stopped: the heap trigger (heap in use
// >= trigger_), an allocation failure and an explicit request all land
// there.
//
// StwCollection: the frame of one such collection: stop the world, drop a
// heap-trigger collection that another thread's collection made
// unnecessary, open the CycleRecord, and at the end resume the world and
// record the pause, the cycle and the gctrace line.
//
// Valid call sequence (on the collecting mutator's thread)
//   StwCollection c(heap, m, cause, cycles, trigger, name);
//   if (!c.started()) return;      // the world is running again
//   ... collect; fill c.cycle() (mark, sweep, heap and object counts) ...
//   ... store the next trigger, bump `cycles` ...
//   c.Finish();                    // resumes, records pause and cycle
#ifndef GCLAB_COLLECTORS_COMMON_STW_COLLECTION_H_
#define GCLAB_COLLECTORS_COMMON_STW_COLLECTION_H_

#include <atomic>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "heap/gc_stats.h"
#include "interfaces/collector.h"

namespace gclab {

class Heap;
class Mutator;

class StopTheWorldCollector : public Collector {
 public:
  void OnAllocationBudgetExhausted(Mutator* m) final;
  bool CollectForAllocationFailure(Mutator* m, size_t bytes) final;
  void CollectNow(Mutator* m) final;

  uint64_t next_trigger_bytes() const { return trigger_.load(std::memory_order_relaxed); }

 protected:
  // One whole collection, on the thread of mutator `m`.
  virtual void Collect(Mutator* m, GcCause cause) = 0;

  Heap* heap_ = nullptr;  // set by Attach
  std::atomic<uint64_t> trigger_{0};
  std::atomic<uint64_t> cycles_{0};  // finished collections
};

class StwCollection {
 public:
  // Stops the world. `cycles` counts the collector's finished collections
  // and `trigger` is its heap trigger: a kHeapTrigger collection is
  // abandoned (world resumed, started() false) if `cycles` moved while this
  // thread waited for the world to stop, or the heap is now below
  // `trigger`.
  StwCollection(Heap* heap, Mutator* m, GcCause cause, const std::atomic<uint64_t>& cycles,
                const std::atomic<uint64_t>& trigger, absl::string_view collector);
  StwCollection(const StwCollection&) = delete;
  StwCollection& operator=(const StwCollection&) = delete;

  bool started() const { return started_; }
  // cycle, cause, collector, start_ns and heap_before_bytes are set.
  CycleRecord& cycle() { return cycle_; }

  // Resumes the world; records the pause (one kFullCollection pause from the
  // start to now, time-to-safepoint included) and the cycle (end_ns,
  // stw_start_ns and pause_total_ns filled in); prints the gctrace line.
  void Finish();

 private:
  Heap* const heap_;
  Mutator* const m_;
  bool started_ = false;
  int64_t ttsp_ns_ = 0;
  CycleRecord cycle_;
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_COMMON_STW_COLLECTION_H_
