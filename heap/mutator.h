// Mutator: one attached program thread. Everything a workload does to the
// managed heap goes through it: allocation, pointer loads and stores, root
// handles, stack allocation, safepoint polls and parking.
//
// Valid call sequence (on the owning thread only)
//   Mutator* m = heap->AttachCurrentThread();
//   { HandleScope scope(m); Local x(m, m->Allocate(type).value()); ...
//     m->Store(x.get(), offset, y); m->Poll(); ... }
//   heap->DetachCurrentThread(m);
//
// Any raw Object* not held in a Local, a global root or a stack-region object
// may be freed (or, by a moving collector, moved) at the next safepoint: at
// Allocate, Poll, Unpark or CollectGarbage.
//
// Pointers pass between threads only through the heap or global roots
// (stored by one thread, loaded by the other), never as raw pointers through
// other memory: a concurrent collector's barrier sees the first and not the
// second (Go: goroutines share memory through the heap). A global root is
// deleted by its owner thread with DeleteGlobalRoot (barriered like a store).
//
// Before blocking (waiting on a lock, a condition, sleeping) a thread parks:
//   { ParkedScope parked(m); queue.Wait(); }
// so a stop-the-world does not wait for it.
#ifndef GCLAB_HEAP_MUTATOR_H_
#define GCLAB_HEAP_MUTATOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "heap/handles.h"
#include "heap/heap.h"
#include "heap/stack_region.h"
#include "interfaces/allocator.h"
#include "interfaces/collector.h"
#include "object/object.h"

namespace gclab {

class Mutator {
 public:
  enum State : int { kRunning = 0, kParked = 1 };

  ~Mutator();
  Mutator(const Mutator&) = delete;
  Mutator& operator=(const Mutator&) = delete;

  Heap* heap() const { return heap_; }
  int id() const { return id_; }

  // ---- Allocation ----
  // Allocates a zeroed object (arrays: `length` elements). On exhaustion runs a
  // full collection and retries; then returns nullptr (TryAllocate) or
  // ResourceExhausted naming the request and the limit (Allocate).
  Object* TryAllocate(const TypeDescriptor* type, size_t length = 0);
  absl::StatusOr<Object*> Allocate(const TypeDescriptor* type, size_t length = 0);

  // Allocates in this thread's stack region, inside the innermost StackFrame.
  // Returns nullptr if the region is full. That is a stack overflow (Go's
  // "goroutine stack exceeds" fatal error), not a cue to allocate the object
  // on the heap instead: a non-escaping object may point at other stack
  // objects, and from the heap those would be heap->stack pointers that
  // dangle once the frame is popped (the verifier rejects them).
  Object* StackAllocate(const TypeDescriptor* type, size_t length = 0);

  // ---- Pointer fields (offsets in bytes into the payload) ----
  Object* Load(Object* obj, uint32_t offset) const { return LoadPointer(obj->slot_at(offset)); }
  void Store(Object* obj, uint32_t offset, Object* value) {
    Object** slot = obj->slot_at(offset);
    if (heap_->write_barrier_enabled()) {
      collector_->WriteBarrierSlow(this, obj, slot, value);
    } else {
      StorePointerRaw(slot, value);
    }
  }
  Object* LoadElement(Object* array, size_t index) const {
    return Load(array, static_cast<uint32_t>(index * sizeof(Object*)));
  }
  void StoreElement(Object* array, size_t index, Object* value) {
    Store(array, static_cast<uint32_t>(index * sizeof(Object*)), value);
  }
  // Deletes a global root from this running mutator: a barriered store of
  // null into it (see Heap::DeleteGlobalRoot), then the slot is gone.
  void DeleteGlobalRoot(Object** global_slot);
  // Store into a global root slot (from Heap::NewGlobalRoot).
  void WriteGlobal(Object** global_slot, Object* value) {
    if (heap_->write_barrier_enabled()) {
      collector_->WriteBarrierSlow(this, nullptr, global_slot, value);
    } else {
      StorePointerRaw(global_slot, value);
    }
  }

  // ---- Safepoints ----
  void Poll() {
    if (poll_flag_.load(std::memory_order_relaxed)) PollSlow();
  }
  // Park before blocking; the thread must not touch the heap until Unpark.
  void Park();
  void Unpark();
  State state() const { return static_cast<State>(state_.load(std::memory_order_seq_cst)); }

  // Explicit full collection (runtime.GC()).
  void CollectGarbage();

  // ---- Roots ----
  ShadowStack& shadow_stack() { return shadow_stack_; }
  StackRegion& stack_region() { return stack_region_; }

  // ---- Per-thread state for the allocator and the collector ----
  AllocatorCache* allocator_cache() const { return cache_; }
  CollectorMutatorState* collector_state() const { return collector_state_.get(); }
  void set_collector_state(std::unique_ptr<CollectorMutatorState> s) {
    collector_state_ = std::move(s);
  }

  // Counters (owner thread writes; flushed into Heap totals periodically).
  uint64_t bytes_allocated() const { return bytes_allocated_; }
  // Moves this thread's counters into the Heap totals now (otherwise done
  // every allocation_check_bytes and at detach), so that Heap's totals are
  // exact for this thread (Go's ReadMemStats). Owner thread only.
  void FlushCounters();
  uint64_t objects_allocated() const { return objects_allocated_; }
  uint64_t stack_objects_allocated() const { return stack_objects_allocated_; }

 private:
  friend class Heap;

  Mutator(Heap* heap, int id, AllocatorCache* cache, size_t stack_region_bytes);

  void PollSlow();
  // Runs this mutator's pending handshake if this call claims it.
  void RunPendingHandshake();
  Object* AllocateSlow(const TypeDescriptor* type, size_t size, void* cell);
  void UpdatePollFlag();

  Heap* const heap_;
  Collector* const collector_;
  const int id_;
  AllocatorCache* cache_;
  std::unique_ptr<CollectorMutatorState> collector_state_;

  std::atomic<int> state_{kParked};
  // Set when a safepoint or a handshake is requested; the fast path of Poll.
  std::atomic<bool> poll_flag_{false};
  // Held while the mutator changes from parked to running and while a
  // handshake runs on its behalf.
  std::mutex mu_;
  // Pending handshake: claimed with a CAS on handshake_pending_.
  const std::function<void(Mutator*)>* handshake_fn_ = nullptr;
  std::atomic<bool> handshake_pending_{false};
  std::atomic<bool> handshake_done_{false};

  ShadowStack shadow_stack_;
  StackRegion stack_region_;

  int64_t budget_ = 0;  // bytes left until the next collector check
  uint64_t bytes_allocated_ = 0;
  uint64_t objects_allocated_ = 0;
  uint64_t stack_objects_allocated_ = 0;
  uint64_t flushed_bytes_ = 0;
  uint64_t flushed_objects_ = 0;
  uint64_t flushed_stack_objects_ = 0;
};

// Parks the mutator for the scope's duration (around blocking calls).
class ParkedScope {
 public:
  explicit ParkedScope(Mutator* m) : m_(m) { m_->Park(); }
  ~ParkedScope() { m_->Unpark(); }
  ParkedScope(const ParkedScope&) = delete;
  ParkedScope& operator=(const ParkedScope&) = delete;

 private:
  Mutator* m_;
};

}  // namespace gclab

#endif  // GCLAB_HEAP_MUTATOR_H_
