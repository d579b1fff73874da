// Heap: the facade that binds one allocator and one collector to the mutator
// threads of a program, and the machinery they share: mutator registration,
// safepoints (stop-the-world and per-thread handshakes), precise roots, the
// mark epoch, the write-barrier switch, statistics and the verifier.
//
// Data flow
//   experiment config --(registry)--> Allocator + Collector --Heap::Create--> Heap
//   mutator thread --AttachCurrentThread--> Mutator --Allocate/Load/Store--> Heap
//      Allocate: poll safepoint -> allocator cache -> header -> budget check
//                (collector->OnAllocationBudgetExhausted every N bytes)
//                -> on failure collector->CollectForAllocationFailure, retry,
//                   then ResourceExhausted
//      Store:    if write_barrier_enabled() collector->WriteBarrierSlow
//   collector: StopTheWorld / Handshake, VisitRoots, marks (epoch), asks the
//              allocator to sweep, records GcStats, runs the verifier
//
// Safepoints. Each mutator is kRunning or kParked. A parked mutator does not
// touch the heap or its roots (it is blocked, sleeping, or in "native" code;
// Go's _Gsyscall), so a collector may scan its roots. StopTheWorld sets a flag
// that mutators poll (at allocation and Mutator::Poll) and waits until every
// mutator is parked. Handshake runs a function for each mutator either on the
// mutator itself at its next poll or, if it is parked, on the requester's
// thread while the mutator is held parked (Go's suspendG/stack scan).
//
// Ordering of the state flag and the request flag is Dekker-style with
// seq_cst atomics: Unpark stores kRunning then loads the request; StopTheWorld
// stores the request then loads each state, so one of them sees the other.
#ifndef GCLAB_HEAP_HEAP_H_
#define GCLAB_HEAP_HEAP_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "heap/gc_stats.h"
#include "interfaces/allocator.h"
#include "interfaces/collector.h"
#include "object/object.h"

namespace gclab {

class Mutator;

inline constexpr size_t kMaxStackRegionBytes = size_t{1} << 30;

struct HeapConfig {
  // Hard limit on heap memory (bytes); allocation beyond it, after a full
  // collection, fails with ResourceExhausted.
  size_t heap_limit_bytes = size_t{1} << 30;
  // Size of each thread's stack region (escape-analysed objects), at most
  // kMaxStackRegionBytes.
  size_t stack_region_bytes = size_t{1} << 20;
  // Run the heap verifier after every collection (concurrent collectors:
  // after marking and after sweeping); a failure aborts with the verifier's
  // report. Also enables poisoning of freed memory.
  bool verify = false;
  // Poison freed memory even without `verify` (for drivers that run the
  // verifier themselves, such as the schedule fuzzer).
  bool poison_freed = false;
  // Checkmark after every mark (heap/checkmark.h, Go's gccheckmark): re-mark
  // from the roots with the world stopped; a reachable object the mark left
  // white aborts with its path from a root. Env GCLAB_CHECKMARK=1.
  bool checkmark = false;
  // Print a gctrace line per cycle to stderr (also: env GCLAB_GCTRACE=1).
  bool gctrace = false;
  // Bytes a thread allocates between two OnAllocationBudgetExhausted calls.
  size_t allocation_check_bytes = 64 * 1024;
};

// Reads GCLAB_VERIFY / GCLAB_CHECKMARK / GCLAB_GCTRACE from the environment
// into `config` (tests set GCLAB_VERIFY=1 and GCLAB_CHECKMARK=1 through
// .bazelrc).
void ApplyHeapEnvironment(HeapConfig* config);

using RootVisitor = absl::FunctionRef<void(Object** slot)>;

class Heap {
 public:
  // Initializes the allocator, attaches the collector.
  static absl::StatusOr<std::unique_ptr<Heap>> Create(const HeapConfig& config,
                                                      std::unique_ptr<Allocator> allocator,
                                                      std::unique_ptr<Collector> collector);
  // Every mutator must have detached. Shuts the collector down.
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // ---- Mutators ----
  // Registers the calling thread. The Mutator is owned by the heap and valid
  // until DetachCurrentThread. The mutator's id() shows up in diagnostics.
  Mutator* AttachCurrentThread();
  void DetachCurrentThread(Mutator* m);
  size_t mutator_count() const;

  // ---- Global roots ----
  // A stable root slot (initially null) until it is deleted. Write through
  // Mutator::WriteGlobal so barriers see the store.
  Object** NewGlobalRoot();
  // Deletes a global root. Deleting a root deletes a pointer, so while
  // barriers are on it is a barriered store of null (Collector::
  // WriteBarrierSlow with no mutator): a concurrent collector whose argument
  // relies on every pointer deletion being seen (the hybrid barrier's black
  // stacks) must see this one too. From a thread that is not a running
  // mutator (like AttachCurrentThread: it waits for the pause or handshake in
  // progress); a running mutator calls Mutator::DeleteGlobalRoot instead.
  void DeleteGlobalRoot(Object** slot);

  // ---- For collectors ----
  Allocator* allocator() const { return allocator_.get(); }
  Collector* collector() const { return collector_.get(); }
  const CollectorConstraints& constraints() const { return constraints_; }
  const HeapConfig& config() const { return config_; }
  GcStats& stats() { return stats_; }

  // Current mark epoch (see object/object.h). AdvanceEpoch: world stopped.
  uint8_t epoch() const { return epoch_.load(std::memory_order_relaxed); }
  uint8_t AdvanceEpoch();

  // The inline "barrier active?" check (Go's writeBarrier.enabled). Change it
  // only with the world stopped.
  bool write_barrier_enabled() const {
    return write_barrier_enabled_.load(std::memory_order_relaxed);
  }
  void SetWriteBarrierEnabled(bool enabled);

  size_t allocation_check_bytes() const {
    return allocation_check_bytes_.load(std::memory_order_relaxed);
  }
  void set_allocation_check_bytes(size_t bytes) {
    allocation_check_bytes_.store(bytes, std::memory_order_relaxed);
  }

  // Stops every mutator at a safepoint. `self` is the calling mutator (it
  // counts as stopped) or nullptr for a collector thread. Returns the time
  // spent waiting for threads to reach safepoints (ns). Stop/resume pairs
  // are serialized with each other and with Handshake.
  int64_t StopTheWorld(Mutator* self);
  void ResumeTheWorld(Mutator* self);
  bool world_stopped() const { return world_stopped_.load(std::memory_order_acquire); }
  // A StopTheWorld has raised its request (and holds the safepoint lock).
  bool stop_requested_ForTesting() const {
    return safepoint_requested_.load(std::memory_order_seq_cst);
  }

  // Runs fn(m) once for every attached mutator m (see the file comment);
  // returns when all have run. Not with the world stopped. `self` as above:
  // fn(self) runs directly, then self stays parked while the others run.
  void Handshake(Mutator* self, const std::function<void(Mutator*)>& fn);

  // Calls f(m) for every attached mutator. World stopped, or inside a
  // collector's own synchronization that keeps the mutator set stable.
  void ForEachMutator(absl::FunctionRef<void(Mutator*)> f);

  // Root enumeration. VisitRoots = globals + every mutator's roots.
  void VisitGlobalRoots(RootVisitor visitor);
  void VisitMutatorRoots(Mutator* m, RootVisitor visitor);
  void VisitRoots(RootVisitor visitor);

  // Heap-in-use estimate: bytes live after the last sweep plus bytes
  // allocated since (garbage included). Collectors call NoteSweepFinished.
  uint64_t heap_in_use_bytes() const { return heap_in_use_bytes_.load(std::memory_order_relaxed); }
  void NoteSweepFinished(uint64_t live_bytes_after_sweep);
  void NoteBytesFreed(uint64_t bytes);  // incremental (lazy) sweeping

  // Totals over the heap's life (flushed from threads every check interval
  // and at detach; exact once all threads have detached or flushed).
  uint64_t bytes_allocated() const { return bytes_allocated_.load(std::memory_order_relaxed); }
  uint64_t objects_allocated() const { return objects_allocated_.load(std::memory_order_relaxed); }
  uint64_t stack_objects_allocated() const {
    return stack_objects_allocated_.load(std::memory_order_relaxed);
  }

  // Runs the verifier (world stopped, no sweep in progress) if config.verify;
  // aborts with its report on failure, saying `when` ("after marking", ...).
  // `marked_epoch`: if set, every reachable heap object must carry it
  // (collections that just marked).
  void VerifyAfterCollection(int marked_epoch, absl::string_view when = "collection");
  // Runs the verifier unconditionally and returns its verdict.
  absl::Status VerifyNow(int marked_epoch);
  // Runs Checkmark (heap/checkmark.h) if config.checkmark and aborts with its
  // report on failure. World stopped, marking done with `epoch`, no sweep.
  void CheckmarkAfterMarking(uint8_t epoch);

  // Moves every mutator's allocation counters into the heap totals, so that
  // bytes_allocated() is exact. World stopped.
  void FlushAllMutatorCounters();

  // Nanoseconds since the heap was created (monotonic).
  int64_t NowNanos() const { return absl::ToInt64Nanoseconds(absl::Now() - start_time_); }

  // Whether `p` points into some mutator's stack region. Slow; verifier only.
  bool IsInStackRegion(const void* p);

 private:
  friend class Mutator;

  Heap(const HeapConfig& config, std::unique_ptr<Allocator> allocator,
       std::unique_ptr<Collector> collector);

  void WaitForResume();
  void EraseGlobalRoot(Object** slot);
  // Handshake's part for every mutator but `self` (parked or nullptr).
  void HandshakeOthers(Mutator* self, const std::function<void(Mutator*)>& fn);
  void FlushMutatorCounters(Mutator* m);

  const HeapConfig config_;
  std::unique_ptr<Allocator> allocator_;
  std::unique_ptr<Collector> collector_;
  CollectorConstraints constraints_;
  GcStats stats_;
  absl::Time start_time_;

  std::atomic<uint8_t> epoch_{1};
  std::atomic<bool> write_barrier_enabled_{false};
  std::atomic<size_t> allocation_check_bytes_;

  // Safepoint machinery.
  std::atomic<bool> safepoint_requested_{false};
  std::atomic<bool> world_stopped_{false};
  std::mutex stw_mu_;  // held from StopTheWorld to ResumeTheWorld, and by Handshake
  std::mutex resume_mu_;
  std::condition_variable resume_cv_;

  mutable std::mutex mutators_mu_;
  std::vector<std::unique_ptr<Mutator>> mutators_;  // guarded by mutators_mu_

  std::mutex globals_mu_;
  std::vector<std::unique_ptr<Object*>> globals_;  // guarded by globals_mu_

  std::atomic<uint64_t> heap_in_use_bytes_{0};
  std::atomic<uint64_t> bytes_allocated_{0};
  std::atomic<uint64_t> objects_allocated_{0};
  std::atomic<uint64_t> stack_objects_allocated_{0};
};

}  // namespace gclab

#endif  // GCLAB_HEAP_HEAP_H_
