// concurrent: a mostly-concurrent, non-moving, precise mark-sweep collector in
// the style of Go's runtime (runtime/mgc.go) since Go 1.5: marking runs on
// background threads while mutators keep running, with two short
// stop-the-world pauses per cycle, a configurable write barrier, mutator
// assists and a feedback pacer; sweeping runs in the background.
//
// Citations
//   Dijkstra, Lamport, Martin, Scholten, Steffens, "On-the-fly garbage
//     collection: an exercise in cooperation", CACM 21(11), 1978 (tri-color
//     abstraction, insertion barrier).
//   Yuasa, "Real-time garbage collection on general-purpose machines", JSS
//     11(3), 1990 (deletion barrier, snapshot-at-the-beginning).
//   Clements & Hudson, "Eliminate STW stack re-scanning", Go proposal 17503,
//     2016 (the hybrid barrier of Go 1.8).
//   Clements, "Go 1.5 concurrent garbage collector pacing", 2015 (pacer.h).
//
// Properties
//   - concurrent marking by `marker_threads` background threads (marker.h);
//     mutator roots scanned per thread by handshake (hybrid, dijkstra) or in
//     the first pause (yuasa); globals scanned concurrently;
//   - two stop-the-world pauses per cycle, recorded individually in GcStats
//     (kSweepTermination, kMarkTermination); per-thread stack scans are
//     recorded as kStackScan (only that thread stops);
//   - allocate black: objects allocated while marking carry the cycle's epoch
//     (object/object.h) and are neither scanned nor freed by that cycle;
//   - sweeping concurrent with mutators (the collector's background thread
//     calls Allocator::SweepSome; allocators also sweep lazily), never in a
//     pause, except for the full stop-the-world fallback below;
//   - pacing (pacer.h): the cycle starts when heap_live reaches the trigger,
//     chosen by a feedback controller so marking ends near the goal
//     live * (1 + GOGC/100), optionally lowered by a soft memory limit;
//   - mutator assists: during marking a mutator pays scan work for what it
//     allocates (assist ratio with credit/debt), so allocation cannot outrun
//     marking.
//
// Tri-color terms are those of tricolor.h: white (unmarked), grey (marked, on
// a worklist), black (marked, scanned).
//
// Phases of one cycle (Go's names; the cycle owner is the collector's
// background thread, or a test driver through the stepping API below)
//   0. _GCoff: no barrier, the previous cycle's sweep may still run. A
//      mutator whose allocation check (every allocation_check_bytes) sees
//      heap_live >= trigger posts a request -- also while that sweep runs
//      (it used to be dropped then, and cycles started far past their
//      trigger); CollectNow and allocation failure post one and wait. The
//      owner first finishes the previous sweep (on its own thread, not in a
//      pause: Go's "finish sweep before gcStart"), then serves the request.
//   1. Sweep termination -- STOP THE WORLD #1.
//      _GCoff -> _GCmark: AdvanceEpoch (everything white), write barrier
//      ENABLED, allocate black from now on, every mutator's stack marked grey
//      (hybrid), allocation check interval lowered for assists.
//      yuasa only: shade every root (globals and all stacks) in the pause --
//      the snapshot must be atomic because stack writes are not barriered.
//      START THE WORLD.
//   2. Concurrent mark (_GCmark), mutators running:
//      a. shade globals (hybrid, dijkstra: global stores are barriered);
//      b. hybrid, dijkstra: Handshake each mutator whose stack is still
//         grey: it stops at its next poll (or, if parked, is held parked),
//         its roots are shaded into its own barrier buffer, the buffer is
//         published, its stack turns black (a thread attached since pause 1
//         is black already);
//      c. marker rounds (MarkerPool::MarkUntilIdle) drain the shared pool;
//      d. flush handshake: every mutator publishes its barrier buffer; if that
//         produced grey objects, back to c (Go's gcMarkDone ragged barrier).
//   3. Mark termination -- STOP THE WORLD #2.
//      Re-check with the world stopped: publish every mutator's barrier
//      buffer; dijkstra only: RE-SCAN every mutator's roots (roots_rescanned,
//      the pause cost of the insertion barrier); drain everything grey in the
//      pause. Now no grey object exists.
//      Checks, all before any sweep: (checkmark) a second trace from the
//      roots; (tests) the mark-termination hook, i.e. the tri-color checker;
//      (verify) the heap verifier.
//      _GCmark -> _GCoff: barrier DISABLED, pacer feedback step, next
//      trigger, Allocator::PrepareForSweep(epoch). START THE WORLD.
//   4. Concurrent sweep (_GCoff): the owner thread calls SweepSome until
//      done, then FinishSweep; (verify) the heap verifier again, with the
//      world stopped (a pause only when verifying), so a sweep that freed a
//      live object fails this cycle; the cycle is recorded, gctrace printed.
//
//   Full stop-the-world fallback: when an allocation fails, the failing thread
//   waits for the current cycle to finish and then requests a cycle that runs
//   phases 1-4 without resuming the world in between (one kFullCollection
//   pause, sweep included), so the retry sees every reclaimable byte.
//
// Invariants
//   - hybrid: the weak tri-color invariant (every white object pointed to by
//     a black object or stack is reachable from a grey object or an unscanned
//     root through white objects) holds from the end of phase 1; black stacks
//     never need re-scanning.
//   - dijkstra: the strong invariant (no black->white edge) holds for heap
//     objects; stacks are grey until the phase-3 re-scan.
//   - yuasa: every object reachable at phase 1 (the snapshot) stays reachable
//     from a grey object or is marked.
//   - end of phase 3 (all): no grey object, no black->white edge, every object
//     reachable from the roots is black (tricolor_checker.h checks exactly
//     this in tests).
//
// Write barriers (write_barrier.h; the slow path runs while
// Heap::write_barrier_enabled(); stores into stack-region objects are stack
// writes and are not barriered, as in Go):
//   dijkstra:  shade(value); *slot = value
//     A black heap object may only gain pointers to grey/black objects, so
//     the marker never has to revisit one. Stack writes are not barriered, so
//     an already scanned stack may come to hold the only pointer to a white
//     object (loaded from a field that is then overwritten): hence the
//     stop-the-world re-scan of every stack in phase 3.
//   yuasa:     shade(*slot); *slot = value
//     An object can only become unreachable from the snapshot by a pointer
//     deletion, which shades it: everything in the snapshot is marked.
//     Needs the stacks in the snapshot, taken in pause 1.
//   hybrid:    shade(*slot); if (stack of the storing mutator is grey)
//              shade(value); *slot = value
//     Why it suffices (Clements & Hudson's argument): it keeps the weak
//     invariant -- every white object a black object or a black stack
//     points to is reachable from a grey object or an unscanned root through
//     white objects. A black stack (scanned this cycle, or attached since
//     pause 1: empty, hence black) obtains pointers only by allocating (the
//     object is black) or by loading from an object or a global root it
//     reaches; it never receives one from another stack, because pointers
//     pass between threads only through the heap or global roots
//     (heap/mutator.h). So whatever it loads had a white path from a grey
//     object or an unscanned root, and cutting that path deletes a pointer
//     outside stacks, which the deletion half shades. This needs EVERY such
//     deletion barriered, root deletions included: Heap::DeleteGlobalRoot is
//     a barriered store of null (issue 9, defect 1: a thread attached after
//     pause 1 stored W, loaded from global g, into a black object, and g was
//     deleted unbarriered before the global scan; W was freed). A grey stack
//     may hold anything; what it stores into the heap is shaded by the
//     insertion half, and what it keeps is found by its scan. Together: no
//     re-scan, stacks scanned one at a time, new stacks black.
//
// Assists (credit/debt). At each allocation check during marking, mutator m
// is charged check_bytes * assist_ratio bytes of scan work (pacer.h). It
// first spends its credit, then steals background credit earned by the
// markers, and only then scans grey objects itself (at least 64 KiB, so the
// surplus becomes credit; at most 256 KiB per check, because an assist does
// not poll for safepoints). While it scans it counts as a busy marker, so no
// marker round ends under it, and as soon as a marker waits for work it hands
// over its grey objects and stops (marker.h: on a chain-shaped heap the only
// grey object would otherwise stay with the mutator, which then paid for all
// the marking). If no grey object is left to it and debt remains, the mutator
// waits, parked, until the markers earn background credit it can steal or
// marking ends (Go's assist queue, gcParkAssist): so allocation cannot outrun
// marking even when the grey work has run out (issue 9, defect 2: the debt
// used to be kept and the thread never waited).
//
// Synchronization
//   - phase_, the pacer thresholds, heap-live inputs: atomics written by the
//     cycle owner (phases change only with the world stopped), read by
//     mutators at allocation checks.
//   - mu_ guards the request/cycle counters and the shutdown flag.
//   - each mutator's ConcurrentMutatorState is touched by its own thread, or
//     by the collector while the mutator is stopped, parked-and-held (inside
//     a handshake) or detaching (stw_mu_ held by the heap).
//   - owner_local_ and the cycle record belong to the cycle owner.
//   - assist_mu_/assist_cv_: assists waiting for credit. Markers (adding
//     credit, seq_cst) and mark termination (phase change) notify when
//     assists_waiting_ (seq_cst) says someone waits (Dekker-style pairing).
#ifndef GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_COLLECTOR_H_
#define GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_COLLECTOR_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collectors/common/mark_worklist.h"
#include "collectors/concurrent/marker.h"
#include "collectors/concurrent/pacer.h"
#include "heap/gc_stats.h"
#include "interfaces/collector.h"

namespace gclab {

// Deliberately broken variants of the barrier protocol, compiled in so that
// the schedule fuzzer's mutation check stays checked: the fuzzer must find
// each (fuzz/mutation_check_test.cc, docs/RELIABILITY.md). Only
// ConcurrentOptions::planted_bug_ForTesting selects one; no config can.
enum class PlantedBugForTesting : uint8_t {
  kNone,
  // hybrid without its deletion (Yuasa) half: shade(value) only while the
  // stack is grey.
  kHybridWithoutDeletionShade,
  // dijkstra without the stop-the-world stack re-scan at mark termination.
  kDijkstraWithoutRescan,
  // Heap::DeleteGlobalRoot clears the root without the barrier (issue 9,
  // defect 1, as it was).
  kUnbarrieredRootDeletion,
  // yuasa with the stacks scanned one by one after pause 1, not in it: the
  // snapshot is no longer atomic.
  kYuasaStacksByHandshake,
};
const char* PlantedBugName(PlantedBugForTesting bug);

struct ConcurrentOptions {
  int gogc = 100;                              // < 0: no trigger (GOGC=off); 0 invalid
  uint64_t min_heap_bytes = 4u << 20;          // no trigger below this heap size
  BarrierKind barrier = BarrierKind::kHybrid;  // kNone only via set_barrier_ForTesting
  int marker_threads = 1;                      // background markers, 1..64
  uint64_t memory_limit_bytes = 0;             // soft limit (GOMEMLIMIT); 0: none
  bool assists = true;                         // mutator assists while marking
  // Allocation check interval while marking (assist granularity).
  size_t mark_allocation_check_bytes = 16 * 1024;
  // CPUs the pacer assumes for utilization (0: hardware concurrency).
  int procs = 0;

  // ---- Test-only (the registry never sets these; see "Test support") ----
  // An assist that finds no grey object to pay its debt with keeps the debt
  // instead of waiting (parked) for background credit. For test drivers that
  // run the collector on the allocating thread itself: nothing else would
  // pay, so a wait would never end.
  bool assists_never_wait_ForTesting = false;
  // No threads: no background cycle owner, no marker threads. Cycle requests
  // (trigger, CollectNow, allocation failure) are only recorded; a driver runs
  // every phase through the stepping API, except that CollectNow and an
  // allocation failure run a whole cycle inline on the calling mutator.
  bool manual_ForTesting = false;
  // Runs at every mark termination: world stopped, nothing grey left, before
  // the sweep is armed (tests install the tri-color checker here:
  // collectors/concurrent/tricolor_checker.h).
  std::function<void(Heap& heap, uint8_t epoch, const MarkWorklist& pool)>
      at_mark_termination_ForTesting;
  // A deliberately broken barrier protocol (see PlantedBugForTesting).
  PlantedBugForTesting planted_bug_ForTesting = PlantedBugForTesting::kNone;
};

absl::Status ValidateConcurrentOptions(const ConcurrentOptions& options);

// Per-mutator collector state (see Synchronization above).
class ConcurrentMutatorState final : public CollectorMutatorState {
 public:
  explicit ConcurrentMutatorState(MarkWorklist* worklist) : barrier_buffer(worklist) {}

  // Grey objects shaded by this mutator's barrier, its stack scan and its
  // assists; flushed (Publish) at handshakes and mark termination.
  MarkWorklist::Local barrier_buffer;
  // This mutator's roots have not been scanned since pause 1 of the cycle in
  // progress (set for every mutator at pause 1; a thread attaching later
  // starts black). The hybrid barrier's insertion half applies while set.
  std::atomic<bool> stack_grey{false};
  int64_t assist_credit = 0;  // scan bytes; negative = debt
  uint64_t barrier_hits = 0;  // slow paths since the last mark termination
};

class ConcurrentCollector final : public Collector {
 public:
  explicit ConcurrentCollector(const ConcurrentOptions& options);
  ~ConcurrentCollector() override;

  absl::string_view name() const override { return "concurrent"; }
  const CollectorConstraints& constraints() const override { return constraints_; }
  absl::Status Attach(Heap* heap) override;
  void OnMutatorAttached(Mutator* m) override;
  void OnMutatorDetaching(Mutator* m) override;
  void OnAllocationBudgetExhausted(Mutator* m) override;
  bool CollectForAllocationFailure(Mutator* m, size_t bytes) override;
  void CollectNow(Mutator* m) override;
  void WriteBarrierSlow(Mutator* m, Object* holder, Object** slot, Object* value) override;
  void Shutdown() override;

  enum class Phase : uint8_t { kOff, kMark, kMarkTermination };
  Phase phase() const { return phase_.load(std::memory_order_acquire); }
  const Pacer& pacer() const { return pacer_; }
  BarrierKind barrier() const { return barrier_.load(std::memory_order_relaxed); }
  // heap_live as the pacer sees it: marked by the last cycle + allocated since.
  uint64_t HeapLive() const;
  // Cycles whose sweep has finished.
  uint64_t completed_cycles() const;

  // ---- Test support ----
  // Swap the barrier between cycles (kNone: the deliberately broken barrier).
  void set_barrier_ForTesting(BarrierKind kind) { barrier_.store(kind, std::memory_order_relaxed); }

  // The stepping API: a driver (a regression test, the schedule fuzzer) runs
  // each phase at the point of its choosing, so an interleaving of mutator
  // actions and collector steps is reproducible. Only with manual_ForTesting
  // (nothing else runs cycles), from one driver thread at a time. `self` is
  // the mutator the driver runs as, or nullptr: then every mutator must be
  // parked (the driver runs their handshakes on their behalf). Valid sequence
  // for one cycle:
  //   BeginCycleForTesting(self)          1. sweep termination (STW #1); takes
  //                                          the pending request, if any
  //   in any order, any number of times, between mutator actions:
  //     ScanGlobalsForTesting()           2a. (later calls do nothing)
  //     ScanStackForTesting(self, m)      2b. handshake scanning m's roots, if
  //                                           its stack is still grey
  //     MarkForTesting(n)                 2c. a marker's work: blacken up to n
  //                                           grey objects of the shared pool
  //     FlushForTesting(self, m)          2d. handshake publishing m's buffer
  //   MarkTerminationForTesting(self)     2a/2b duties left, then 3 (STW #2)
  //   SweepForTesting() ... until false   4. one Allocator::SweepSome each
  //   FinishCycleForTesting(self)         whatever is left of 2-4, the sweep's
  //                                       end and the cycle record
  // FinishCycleForTesting may follow any step (it completes the cycle).
  enum class StepPhase : uint8_t { kIdle, kMarking, kSweeping };
  StepPhase step_phase_ForTesting() const;
  void BeginCycleForTesting(Mutator* self);
  void ScanGlobalsForTesting();
  void ScanStackForTesting(Mutator* self, Mutator* m);
  size_t MarkForTesting(size_t max_objects);
  void FlushForTesting(Mutator* self, Mutator* m);
  void MarkTerminationForTesting(Mutator* self);
  bool SweepForTesting();
  void FinishCycleForTesting(Mutator* self);
  // Blackens `obj` now, outside any worklist, so it is not scanned again
  // this cycle (hand-built interleavings: "C is black, H is white").
  void ScanObjectForTesting(Object* obj);
  uint8_t epoch_ForTesting() const;
  // The cause of the request waiting for a cycle (manual mode: nobody serves
  // it until the driver begins a cycle), if any.
  std::optional<GcCause> pending_request_ForTesting() const;
  uint64_t assist_scan_bytes_ForTesting() const {
    return assist_scan_bytes_.load(std::memory_order_relaxed);
  }
  // Assists waiting for credit now, and waits so far.
  int assists_waiting_ForTesting() const { return assists_waiting_.load(); }
  uint64_t assist_waits_ForTesting() const { return assist_waits_.load(); }

 private:
  struct Cycle;  // the record and bookkeeping of the cycle being run

  void GcThreadMain();
  // Posts a cycle request; returns the cycle number that will satisfy it.
  uint64_t RequestCycle(GcCause cause, bool stop_the_world);  // mu_ held
  // Takes the pending request for a cycle about to start.  // mu_ held
  void TakeRequest(GcCause* cause, bool* stop_the_world);
  void RequestAndWait(Mutator* m, GcCause cause, bool stop_the_world);
  void MaybeTrigger();
  void Assist(Mutator* m, ConcurrentMutatorState* st);
  void StealBackgroundCredit(ConcurrentMutatorState* st);
  // Pays debt with scan work; true if the grey objects ran out (or went to
  // idle markers) before the debt was paid or the per-check budget was done.
  bool PayWithScanWork(ConcurrentMutatorState* st);
  // Parks m until background credit appears or marking ends.
  void WaitForCredit(Mutator* m);
  void NotifyAssistWaiters();

  // The phases (see the file comment). `self`: the owner's mutator or nullptr.
  void RunCycle(Mutator* self, GcCause cause, bool stop_the_world);
  void BeginCycle(Mutator* self, GcCause cause, bool stop_the_world);
  void SweepTermination(Mutator* self, Cycle& c);
  void ConcurrentMark(Mutator* self, Cycle& c);
  void ScanGlobals(Cycle& c);
  // Scans the roots of every mutator whose stack is grey (`only`: of that one).
  void ScanStacks(Mutator* self, Cycle& c, Mutator* only);
  void MarkTermination(Mutator* self, Cycle& c);
  void Sweep(Mutator* self, Cycle& c);
  void EndCycle(Mutator* self, Cycle& c);
  void DrainOnOwner(Cycle& c);
  // A pause lasts from the stop request (start_ns) to the moment the owner
  // resumes the world (end_ns, taken just before ResumeTheWorld, so a
  // preemption of the owner after the resumption is not counted).
  void RecordPause(Cycle& c, PausePhase phase, int64_t start_ns, int64_t end_ns, int64_t ttsp_ns);
  void CheckManual(const char* step) const;

  static ConcurrentMutatorState* StateOf(Mutator* m);

  const ConcurrentOptions options_;
  CollectorConstraints constraints_;
  Heap* heap_ = nullptr;
  std::atomic<BarrierKind> barrier_;
  std::atomic<Phase> phase_{Phase::kOff};
  Pacer pacer_;
  size_t normal_check_bytes_ = 0;  // the heap's allocation_check_bytes outside marking

  MarkWorklist worklist_;                             // the shared grey pool
  std::unique_ptr<MarkerPool> markers_;               // null in manual mode
  std::unique_ptr<MarkWorklist::Local> owner_local_;  // cycle owner only
  std::unique_ptr<Cycle> cycle_;                      // cycle owner only
  std::thread gc_thread_;

  // Scan work this cycle (markers, assists, pause drains), bytes; and the
  // objects blackened by everyone but the markers (they count their own).
  std::atomic<uint64_t> scan_done_{0};
  std::atomic<uint64_t> scan_objects_{0};
  std::atomic<int64_t> bg_credit_{0};
  std::atomic<uint64_t> assist_scan_bytes_{0};  // over the collector's life
  std::atomic<int64_t> cycle_assist_cpu_ns_{0};
  std::atomic<uint64_t> cycle_roots_{0};
  std::atomic<uint64_t> detached_barrier_hits_{0};
  // Assists waiting for credit (Go's assist queue). marking_generation_
  // changes at every pause 1, so a waiter notices that its cycle ended even
  // if the next one began before it woke.
  std::mutex assist_mu_;
  std::condition_variable assist_cv_;
  std::atomic<int> assists_waiting_{0};
  std::atomic<uint64_t> assist_waits_{0};
  std::atomic<uint64_t> marking_generation_{0};
  // heap_live = last_marked_ + bytes_allocated() - allocated_at_mark_end_.
  std::atomic<uint64_t> last_marked_{0};
  std::atomic<uint64_t> allocated_at_mark_end_{0};

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan, so its Mutex is invisible to --config=tsan. Guarded by mu_:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool request_pending_ = false;
  GcCause request_cause_ = GcCause::kHeapTrigger;
  bool request_stw_ = false;
  uint64_t cycles_started_ = 0;
  uint64_t cycles_done_ = 0;
  bool cycle_running_ = false;  // from phase 1 to the end of 4
  bool shutdown_ = false;
  std::atomic<bool> request_posted_{false};  // fast-path mirror of request_pending_
};

// Validates `options` and returns a ConcurrentCollector.
absl::StatusOr<std::unique_ptr<Collector>> NewConcurrentCollector(
    const ConcurrentOptions& options = {});

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_COLLECTOR_H_
