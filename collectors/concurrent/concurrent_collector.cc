#include "collectors/concurrent/concurrent_collector.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collectors/concurrent/tricolor.h"
#include "collectors/concurrent/write_barrier.h"
#include "heap/checkmark.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {
namespace {

constexpr uint64_t kMinAssistBytes = 64 * 1024;  // Go's gcOverAssistWork
// An assist does not poll for safepoints; bounding one call bounds how long
// it can delay a stop-the-world (time-to-safepoint). Larger debts are paid
// over the next checks (Go's assists are preemptible instead).
constexpr uint64_t kMaxAssistBytesPerCheck = 256 * 1024;
constexpr int kMaxFlushRounds = 8;  // ragged flushes before mark termination drains the rest

int DefaultProcs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

PacerConfig PacerConfigFor(const ConcurrentOptions& o) {
  PacerConfig c;
  c.gogc = o.gogc;
  c.min_heap_bytes = o.min_heap_bytes;
  c.memory_limit_bytes = o.memory_limit_bytes;
  c.procs = o.procs > 0 ? o.procs : DefaultProcs();
  return c;
}

bool MoreUrgent(GcCause a, GcCause b) {
  auto rank = [](GcCause c) {
    switch (c) {
      case GcCause::kAllocationFailure:
        return 3;
      case GcCause::kExplicit:
        return 2;
      case GcCause::kMemoryLimit:
        return 1;
      case GcCause::kHeapTrigger:
        return 0;
    }
    return 0;
  };
  return rank(a) > rank(b);
}

}  // namespace

const char* PlantedBugName(PlantedBugForTesting bug) {
  switch (bug) {
    case PlantedBugForTesting::kNone:
      return "none";
    case PlantedBugForTesting::kHybridWithoutDeletionShade:
      return "hybrid_without_deletion_shade";
    case PlantedBugForTesting::kDijkstraWithoutRescan:
      return "dijkstra_without_rescan";
    case PlantedBugForTesting::kUnbarrieredRootDeletion:
      return "unbarriered_root_deletion";
    case PlantedBugForTesting::kYuasaStacksByHandshake:
      return "yuasa_stacks_by_handshake";
  }
  return "?";
}

absl::Status ValidateConcurrentOptions(const ConcurrentOptions& o) {
  if (o.gogc == 0) {
    return absl::InvalidArgumentError(
        "concurrent.gogc: 0 would collect continuously; use > 0, or < 0 for off");
  }
  if (o.marker_threads < 1 || o.marker_threads > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("concurrent.marker_threads must be in [1, 64], got ", o.marker_threads));
  }
  if (o.barrier == BarrierKind::kNone) {
    return absl::InvalidArgumentError(
        "concurrent.barrier: a concurrent collector needs a write barrier (dijkstra, yuasa or "
        "hybrid); 'none' exists only for tests (set_barrier_ForTesting)");
  }
  if (o.mark_allocation_check_bytes < 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("concurrent.mark_allocation_check_bytes must be >= 1024, got ",
                     o.mark_allocation_check_bytes));
  }
  return absl::OkStatus();
}

// Bookkeeping of the cycle being run; owned by the cycle owner.
struct ConcurrentCollector::Cycle {
  CycleRecord record;
  Mutator* self = nullptr;
  bool stw = false;  // full stop-the-world fallback
  uint8_t epoch = 0;
  StackScanMode scan_mode = StackScanMode::kHandshake;
  bool globals_scanned = false;
  bool marked = false;  // mark termination done; sweeping
  int64_t full_pause_start_ns = 0;
  int64_t full_pause_ttsp_ns = 0;
  int64_t mark_start_ns = 0;  // end of pause 1
  int64_t mark_end_ns = 0;    // start of pause 2
  int64_t sweep_start_ns = 0;
  uint64_t allocated_at_start = 0;  // bytes, counters flushed at pause 1
  uint64_t objects_at_start = 0;
  uint64_t barrier_hits = 0;
};

ConcurrentCollector::ConcurrentCollector(const ConcurrentOptions& options)
    : options_(options), barrier_(options.barrier), pacer_(PacerConfigFor(options)) {
  constraints_.frees_memory = true;
  constraints_.moves_objects = false;
  constraints_.concurrent_marking = true;
  constraints_.needs_write_barrier = true;
  constraints_.barrier = options.barrier;
}

ConcurrentCollector::~ConcurrentCollector() { Shutdown(); }

absl::Status ConcurrentCollector::Attach(Heap* heap) {
  absl::Status s = ValidateConcurrentOptions(options_);
  if (!s.ok()) return s;
  heap_ = heap;
  normal_check_bytes_ = heap->allocation_check_bytes();
  owner_local_ = std::make_unique<MarkWorklist::Local>(&worklist_);
  if (options_.manual_ForTesting) return absl::OkStatus();
  markers_ =
      std::make_unique<MarkerPool>(&worklist_, options_.marker_threads, &scan_done_, &bg_credit_);
  markers_->set_credit_listener([this] { NotifyAssistWaiters(); });
  markers_->Start();
  gc_thread_ = std::thread([this] { GcThreadMain(); });
  return absl::OkStatus();
}

void ConcurrentCollector::Shutdown() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    shutdown_ = true;
    cv_.notify_all();
  }
  if (gc_thread_.joinable()) gc_thread_.join();
  if (markers_ != nullptr) markers_->Stop();
  // Manual mode: a driver may leave a cycle half done; every mutator has
  // detached (~Heap), so it can be finished here.
  if (cycle_ != nullptr) FinishCycleForTesting(nullptr);
}

ConcurrentMutatorState* ConcurrentCollector::StateOf(Mutator* m) {
  return static_cast<ConcurrentMutatorState*>(m->collector_state());
}

void ConcurrentCollector::OnMutatorAttached(Mutator* m) {
  // A new thread's stack is empty: black from birth (Go: new goroutines
  // during mark have black stacks).
  m->set_collector_state(std::make_unique<ConcurrentMutatorState>(&worklist_));
}

void ConcurrentCollector::OnMutatorDetaching(Mutator* m) {
  // Parked and under the heap's stw_mu_: no handshake or pause can run.
  ConcurrentMutatorState* st = StateOf(m);
  st->barrier_buffer.Publish();  // grey objects must outlive the thread
  detached_barrier_hits_.fetch_add(st->barrier_hits, std::memory_order_relaxed);
  st->barrier_hits = 0;
}

uint64_t ConcurrentCollector::HeapLive() const {
  const uint64_t allocated = heap_->bytes_allocated();
  const uint64_t base = allocated_at_mark_end_.load(std::memory_order_relaxed);
  return last_marked_.load(std::memory_order_relaxed) + (allocated > base ? allocated - base : 0);
}

uint64_t ConcurrentCollector::completed_cycles() const {
  std::unique_lock<std::mutex> lock(mu_);
  return cycles_done_;
}

// ---------------------------------------------------------------------------
// Mutator side: barrier, allocation checks, assists, requests.

void ConcurrentCollector::WriteBarrierSlow(Mutator* m, Object* holder, Object** slot,
                                           Object* value) {
  if (holder != nullptr && holder->is_stack_allocated()) {
    StorePointerRaw(slot, value);  // a stack write: never barriered
    return;
  }
  const BarrierKind kind = barrier_.load(std::memory_order_relaxed);
  const PlantedBugForTesting bug = options_.planted_bug_ForTesting;
  if (m == nullptr && bug == PlantedBugForTesting::kUnbarrieredRootDeletion) {
    StorePointerRaw(slot, value);
    return;
  }
  if (m == nullptr) {
    // A root deletion by a thread that is no mutator (Heap::DeleteGlobalRoot),
    // serialized with pauses and handshakes: barriered like any other store
    // (it has no stack; count it grey, so both halves apply). What it shades
    // goes straight to the shared pool.
    MarkWorklist::Local shaded(&worklist_);
    BarrieredStore(kind, heap_->epoch(), /*stack_is_grey=*/true, shaded, slot, value);
    shaded.Publish();
    detached_barrier_hits_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ConcurrentMutatorState* st = StateOf(m);
  ++st->barrier_hits;
  if (kind == BarrierKind::kHybrid && bug == PlantedBugForTesting::kHybridWithoutDeletionShade) {
    if (st->stack_grey.load(std::memory_order_relaxed)) {
      ShadeGrey(value, heap_->epoch(), st->barrier_buffer);
    }
    StorePointerRaw(slot, value);
    return;
  }
  BarrieredStore(kind, heap_->epoch(), st->stack_grey.load(std::memory_order_relaxed),
                 st->barrier_buffer, slot, value);
}

void ConcurrentCollector::OnAllocationBudgetExhausted(Mutator* m) {
  // The phase only changes with the world stopped, and m is running.
  if (phase_.load(std::memory_order_acquire) == Phase::kMark) {
    if (options_.assists) Assist(m, StateOf(m));
    return;
  }
  MaybeTrigger();
}

void ConcurrentCollector::MaybeTrigger() {
  if (request_posted_.load(std::memory_order_relaxed)) return;
  const uint64_t trigger = pacer_.trigger();
  if (trigger == Pacer::kNoTrigger || HeapLive() < trigger) return;
  // A cycle may be running: only its sweep (marking calls Assist instead).
  // The request starts the next cycle as soon as that sweep is done.
  std::unique_lock<std::mutex> lock(mu_);
  if (request_pending_ || shutdown_) return;
  RequestCycle(pacer_.goal_set_by_memory_limit() ? GcCause::kMemoryLimit : GcCause::kHeapTrigger,
               /*stop_the_world=*/false);
}

void ConcurrentCollector::Assist(Mutator* m, ConcurrentMutatorState* st) {
  const double ratio = pacer_.AssistRatio(HeapLive(), scan_done_.load(std::memory_order_relaxed));
  st->assist_credit -=
      static_cast<int64_t>(static_cast<double>(heap_->allocation_check_bytes()) * ratio);
  while (st->assist_credit < 0) {
    StealBackgroundCredit(st);
    if (st->assist_credit >= 0) return;
    if (!PayWithScanWork(st)) return;  // stopped at the budget: more at the next check
    if (st->assist_credit >= 0) return;
    // Nothing left to scan, debt left to pay: allocation must not outrun
    // marking, so wait for the credit the markers earn (Go's assist queue,
    // gcParkAssist), or for the end of marking.
    if (options_.assists_never_wait_ForTesting) return;  // keep the debt
    WaitForCredit(m);
    // Running again: the phase cannot change under us. If marking ended
    // (maybe a new cycle began and reset the credit), the loop ends.
    if (phase_.load(std::memory_order_acquire) != Phase::kMark) return;
  }
}

void ConcurrentCollector::StealBackgroundCredit(ConcurrentMutatorState* st) {
  // Go's bgScanCredit: scan work the markers did beyond what was owed.
  int64_t available = bg_credit_.load(std::memory_order_relaxed);
  while (available > 0 && st->assist_credit < 0) {
    const int64_t take = std::min(available, -st->assist_credit);
    if (bg_credit_.compare_exchange_weak(available, available - take, std::memory_order_relaxed)) {
      st->assist_credit += take;
      break;
    }
  }
}

bool ConcurrentCollector::PayWithScanWork(ConcurrentMutatorState* st) {
  // At least kMinAssistBytes (the surplus is credit), at most
  // kMaxAssistBytesPerCheck (an assist does not poll for safepoints).
  const int64_t cpu0 = ThreadCpuNanos();
  const uint64_t budget = std::clamp<uint64_t>(static_cast<uint64_t>(-st->assist_credit),
                                               kMinAssistBytes, kMaxAssistBytesPerCheck);
  uint64_t bytes = 0, objects = 0;
  bool ran_out;
  if (markers_ != nullptr) {
    // Counts as a busy marker meanwhile (no round ends under it) and hands
    // its grey objects to markers that wait for work.
    MarkerPool::AssistScope scope(markers_.get());
    ran_out = scope.Drain(st->barrier_buffer, heap_->epoch(), budget, &bytes, &objects);
    st->barrier_buffer.Publish();  // what is left goes back to the markers
  } else {
    ran_out = DrainGrey(heap_->epoch(), st->barrier_buffer, budget, &bytes, &objects);
    st->barrier_buffer.Publish();
  }
  st->assist_credit += static_cast<int64_t>(bytes);
  scan_done_.fetch_add(bytes, std::memory_order_relaxed);
  scan_objects_.fetch_add(objects, std::memory_order_relaxed);
  assist_scan_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  cycle_assist_cpu_ns_.fetch_add(ThreadCpuNanos() - cpu0, std::memory_order_relaxed);
  return ran_out;
}

void ConcurrentCollector::WaitForCredit(Mutator* m) {
  assist_waits_.fetch_add(1, std::memory_order_relaxed);
  const uint64_t generation = marking_generation_.load(std::memory_order_relaxed);
  // Parked: pauses and handshakes proceed without us (the barrier buffer was
  // published, and nothing here touches the mutator's state).
  ParkedScope parked(m);
  std::unique_lock<std::mutex> lock(assist_mu_);
  assists_waiting_.fetch_add(1, std::memory_order_seq_cst);
  assist_cv_.wait(lock, [&] {
    return bg_credit_.load(std::memory_order_seq_cst) > 0 ||
           phase_.load(std::memory_order_seq_cst) != Phase::kMark ||
           marking_generation_.load(std::memory_order_relaxed) != generation;
  });
  assists_waiting_.fetch_sub(1, std::memory_order_relaxed);
}

void ConcurrentCollector::NotifyAssistWaiters() {
  // Pairs with WaitForCredit: the credit (or phase) was written before this
  // seq_cst load, the waiter counted itself before reading them.
  if (assists_waiting_.load(std::memory_order_seq_cst) == 0) return;
  { std::lock_guard<std::mutex> lock(assist_mu_); }  // no lost wake-up
  assist_cv_.notify_all();
}

uint64_t ConcurrentCollector::RequestCycle(GcCause cause, bool stop_the_world) {
  if (!request_pending_) {
    request_pending_ = true;
    request_cause_ = cause;
    request_stw_ = stop_the_world;
  } else {
    if (MoreUrgent(cause, request_cause_)) request_cause_ = cause;
    request_stw_ = request_stw_ || stop_the_world;
  }
  request_posted_.store(true, std::memory_order_relaxed);
  cv_.notify_all();
  // The pending request is served by the next cycle to start, which starts
  // after this call (a cycle that already started is not enough).
  return cycles_started_ + 1;
}

void ConcurrentCollector::TakeRequest(GcCause* cause, bool* stop_the_world) {
  if (!request_pending_) return;
  if (MoreUrgent(request_cause_, *cause)) *cause = request_cause_;
  *stop_the_world = *stop_the_world || request_stw_;
  request_pending_ = false;
  request_posted_.store(false, std::memory_order_relaxed);
}

void ConcurrentCollector::RequestAndWait(Mutator* m, GcCause cause, bool stop_the_world) {
  // m holds no unrooted pointers here; parked, it does not hold up pauses and
  // its handshakes run on the collector's behalf.
  ParkedScope parked(m);
  std::unique_lock<std::mutex> lock(mu_);
  if (shutdown_) return;
  const uint64_t target = RequestCycle(cause, stop_the_world);
  cv_.wait(lock, [&] { return cycles_done_ >= target || shutdown_; });
}

void ConcurrentCollector::CollectNow(Mutator* m) {
  if (options_.manual_ForTesting) {  // no owner thread: run it here
    FinishCycleForTesting(m);
    RunCycle(m, GcCause::kExplicit, /*stop_the_world=*/false);
    return;
  }
  RequestAndWait(m, GcCause::kExplicit, /*stop_the_world=*/false);
}

bool ConcurrentCollector::CollectForAllocationFailure(Mutator* m, size_t bytes) {
  // Waits for the cycle in progress (if any) and then runs a full
  // stop-the-world cycle, sweep included, so the retry sees all free memory.
  if (options_.manual_ForTesting) {
    FinishCycleForTesting(m);
    RunCycle(m, GcCause::kAllocationFailure, /*stop_the_world=*/true);
    return true;
  }
  RequestAndWait(m, GcCause::kAllocationFailure, /*stop_the_world=*/true);
  return true;
}

// ---------------------------------------------------------------------------
// The cycle owner.

void ConcurrentCollector::GcThreadMain() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return (request_pending_ && !cycle_running_) || shutdown_; });
      if (shutdown_) {
        // Every mutator has detached (~Heap): nobody waits for a request, and
        // the last cycle finished its sweep before this thread came back here.
        return;
      }
    }
    // Only this thread starts cycles: the request is still pending, and
    // BeginCycle takes it (and its cause).
    RunCycle(nullptr, GcCause::kHeapTrigger, /*stop_the_world=*/false);
  }
}

void ConcurrentCollector::RunCycle(Mutator* self, GcCause cause, bool stop_the_world) {
  BeginCycle(self, cause, stop_the_world);
  Cycle& c = *cycle_;
  ConcurrentMark(self, c);
  MarkTermination(self, c);
  Sweep(self, c);
}

void ConcurrentCollector::BeginCycle(Mutator* self, GcCause cause, bool stop_the_world) {
  uint64_t number;
  {
    std::unique_lock<std::mutex> lock(mu_);
    TakeRequest(&cause, &stop_the_world);
    number = ++cycles_started_;
    cycle_running_ = true;
  }
  cycle_ = std::make_unique<Cycle>();
  Cycle& c = *cycle_;
  c.self = self;
  c.stw = stop_the_world;
  c.record.cause = cause;
  c.record.cycle = number;
  SweepTermination(self, c);
}

void ConcurrentCollector::RecordPause(Cycle& c, PausePhase phase, int64_t start_ns, int64_t end_ns,
                                      int64_t ttsp_ns) {
  PauseRecord p;
  p.cycle = c.record.cycle;
  p.phase = phase;
  p.start_ns = start_ns;
  p.duration_ns = end_ns - start_ns;
  p.time_to_safepoint_ns = ttsp_ns;
  heap_->stats().RecordPause(p);
  c.record.pause_total_ns += p.duration_ns;
  if (phase == PausePhase::kSweepTermination) c.record.stw_start_ns = p.duration_ns;
  if (phase == PausePhase::kMarkTermination) c.record.stw_end_ns = p.duration_ns;
  if (phase == PausePhase::kFullCollection) c.record.stw_start_ns = p.duration_ns;
}

// Shades every root of m (shadow stack and stack-region objects) into
// `into`. Runs on m, or with m stopped or held parked.
static uint64_t ShadeRootsOf(Heap* heap, Mutator* m, uint8_t epoch, MarkWorklist::Local& into) {
  uint64_t n = 0;
  heap->VisitMutatorRoots(m, [&](Object** slot) {
    ++n;
    ShadeGrey(LoadPointer(slot), epoch, into);
  });
  return n;
}

// Phase 1 -- STOP THE WORLD #1 (sweep termination).
void ConcurrentCollector::SweepTermination(Mutator* self, Cycle& c) {
  c.record.collector = std::string(name());
  c.record.marker_threads = markers_ != nullptr ? markers_->threads() : 0;
  c.record.start_ns = heap_->NowNanos();
  const int64_t pause_start = heap_->NowNanos();
  const int64_t ttsp = heap_->StopTheWorld(self);
  // The previous cycle's sweep finished at its end (phase 4), so marking may
  // begin: no unswept cell can carry a stale epoch.
  // Every byte allocated so far is counted now: bytes a mutator flushes
  // later were allocated during marking (black), and only those.
  heap_->FlushAllMutatorCounters();
  c.record.heap_before_bytes = HeapLive();
  c.allocated_at_start = heap_->bytes_allocated();
  c.objects_at_start = heap_->objects_allocated();
  scan_done_.store(0, std::memory_order_relaxed);
  scan_objects_.store(0, std::memory_order_relaxed);
  bg_credit_.store(0, std::memory_order_relaxed);
  cycle_roots_.store(0, std::memory_order_relaxed);
  cycle_assist_cpu_ns_.store(0, std::memory_order_relaxed);
  pacer_.BeginCycle(c.record.heap_before_bytes);
  c.record.heap_goal_bytes = pacer_.goal() == Pacer::kNoTrigger ? 0 : pacer_.goal();

  // _GCoff -> _GCmark: everything white, barrier on, allocate black.
  c.epoch = heap_->AdvanceEpoch();
  c.scan_mode = StackScanModeFor(barrier_.load(std::memory_order_relaxed));
  if (c.scan_mode == StackScanMode::kInFirstPause &&
      options_.planted_bug_ForTesting == PlantedBugForTesting::kYuasaStacksByHandshake) {
    c.scan_mode = StackScanMode::kHandshake;  // globals in the pause, stacks later
    ScanGlobals(c);
  }
  heap_->ForEachMutator([&](Mutator* m) {
    ConcurrentMutatorState* st = StateOf(m);
    st->stack_grey.store(true, std::memory_order_relaxed);
    st->assist_credit = 0;
  });
  marking_generation_.fetch_add(1, std::memory_order_relaxed);
  heap_->SetWriteBarrierEnabled(true);
  phase_.store(Phase::kMark, std::memory_order_release);
  normal_check_bytes_ = heap_->allocation_check_bytes();
  heap_->set_allocation_check_bytes(
      std::min(normal_check_bytes_, options_.mark_allocation_check_bytes));

  if (c.scan_mode == StackScanMode::kInFirstPause) {
    // yuasa: the snapshot of all roots, atomically.
    ScanGlobals(c);
    ScanStacks(self, c, nullptr);
  }

  if (c.stw) {
    c.full_pause_start_ns = pause_start;
    c.full_pause_ttsp_ns = ttsp;
  } else {
    const int64_t pause_end = heap_->NowNanos();
    heap_->ResumeTheWorld(self);
    RecordPause(c, PausePhase::kSweepTermination, pause_start, pause_end, ttsp);
  }
  c.mark_start_ns = heap_->NowNanos();
}

// Phase 2a: globals. Every global store is barriered, so they can be scanned
// while mutators run (yuasa: in pause 1, part of the snapshot).
void ConcurrentCollector::ScanGlobals(Cycle& c) {
  if (c.globals_scanned) return;
  c.globals_scanned = true;
  uint64_t roots = 0;
  heap_->VisitGlobalRoots([&](Object** slot) {
    ++roots;
    ShadeGrey(LoadPointer(slot), c.epoch, *owner_local_);
  });
  owner_local_->Publish();
  cycle_roots_.fetch_add(roots, std::memory_order_relaxed);
}

// Phase 2b: stacks. With the world stopped (pause 1 for yuasa, the full
// stop-the-world fallback) directly; otherwise one mutator at a time by
// handshake: it stops at its next poll (or is held parked), its roots are
// shaded into its own barrier buffer, the buffer is published, its stack
// turns black.
void ConcurrentCollector::ScanStacks(Mutator* self, Cycle& c, Mutator* only) {
  const uint8_t epoch = c.epoch;
  if (heap_->world_stopped()) {
    heap_->ForEachMutator([&](Mutator* m) {
      ConcurrentMutatorState* st = StateOf(m);
      if ((only != nullptr && m != only) || !st->stack_grey.load(std::memory_order_relaxed)) return;
      cycle_roots_.fetch_add(ShadeRootsOf(heap_, m, epoch, *owner_local_),
                             std::memory_order_relaxed);
      st->stack_grey.store(false, std::memory_order_relaxed);
    });
    owner_local_->Publish();
    return;
  }
  const uint64_t cycle_number = c.record.cycle;
  heap_->Handshake(self, [&, cycle_number](Mutator* m) {
    ConcurrentMutatorState* st = StateOf(m);
    if ((only != nullptr && m != only) || !st->stack_grey.load(std::memory_order_relaxed)) return;
    const int64_t start = heap_->NowNanos();
    cycle_roots_.fetch_add(ShadeRootsOf(heap_, m, epoch, st->barrier_buffer),
                           std::memory_order_relaxed);
    st->barrier_buffer.Publish();
    st->stack_grey.store(false, std::memory_order_relaxed);  // grey -> black stack
    PauseRecord p;
    p.cycle = cycle_number;
    p.phase = PausePhase::kStackScan;
    p.start_ns = start;
    p.duration_ns = heap_->NowNanos() - start;
    heap_->stats().RecordPause(p);
  });
}

// Phase 2 -- concurrent mark.
void ConcurrentCollector::ConcurrentMark(Mutator* self, Cycle& c) {
  ScanGlobals(c);
  if (c.scan_mode != StackScanMode::kInFirstPause) ScanStacks(self, c, nullptr);
  // c, d. Marker rounds until a flush of every barrier buffer finds nothing.
  for (int round = 0; markers_ != nullptr; ++round) {
    markers_->MarkUntilIdle(c.epoch);
    if (c.stw || round + 1 >= kMaxFlushRounds) break;
    heap_->Handshake(self, [](Mutator* m) { StateOf(m)->barrier_buffer.Publish(); });
    if (worklist_.IsEmpty()) break;
  }
  c.mark_end_ns = heap_->NowNanos();
}

void ConcurrentCollector::DrainOnOwner(Cycle& c) {
  uint64_t bytes = 0, objects = 0;
  DrainGrey(c.epoch, *owner_local_, 0, &bytes, &objects);
  scan_done_.fetch_add(bytes, std::memory_order_relaxed);
  scan_objects_.fetch_add(objects, std::memory_order_relaxed);
}

// Phase 3 -- STOP THE WORLD #2 (mark termination).
void ConcurrentCollector::MarkTermination(Mutator* self, Cycle& c) {
  const int64_t pause_start = heap_->NowNanos();
  const int64_t ttsp = c.stw ? 0 : heap_->StopTheWorld(self);
  if (c.mark_end_ns == 0) c.mark_end_ns = pause_start;
  phase_.store(Phase::kMarkTermination, std::memory_order_release);

  // Re-check with the world stopped: barrier buffers written since the last
  // flush, and (dijkstra) the stacks, which were never barriered.
  uint64_t hits = detached_barrier_hits_.exchange(0, std::memory_order_relaxed);
  heap_->ForEachMutator([&](Mutator* m) {
    ConcurrentMutatorState* st = StateOf(m);
    st->barrier_buffer.Publish();
    hits += st->barrier_hits;
    st->barrier_hits = 0;
  });
  c.barrier_hits = hits;
  if (c.scan_mode == StackScanMode::kHandshakeAndRescan && !c.stw &&
      options_.planted_bug_ForTesting != PlantedBugForTesting::kDijkstraWithoutRescan) {
    uint64_t rescanned = 0;
    heap_->ForEachMutator(
        [&](Mutator* m) { rescanned += ShadeRootsOf(heap_, m, c.epoch, *owner_local_); });
    c.record.roots_rescanned = rescanned;
    cycle_roots_.fetch_add(rescanned, std::memory_order_relaxed);
  }
  DrainOnOwner(c);  // now nothing is grey anywhere

  // Checks, all before any sweep: checkmark (a debug option), the tests'
  // hook (the tri-color checker), the heap verifier.
  heap_->CheckmarkAfterMarking(c.epoch);
  if (options_.at_mark_termination_ForTesting) {
    options_.at_mark_termination_ForTesting(*heap_, c.epoch, worklist_);
  }
  heap_->VerifyAfterCollection(c.epoch, "marking");

  // Statistics and the pacer's feedback step.
  const int64_t now = heap_->NowNanos();
  const MarkerStats ms = markers_ != nullptr ? markers_->TakeCycleStats() : MarkerStats();
  heap_->FlushAllMutatorCounters();  // every byte allocated black, counted
  const uint64_t allocated_now = heap_->bytes_allocated();
  const uint64_t heap_live_end = HeapLive();
  // Marked = scanned + allocated black during the cycle (Go counts both).
  const uint64_t marked =
      scan_done_.load(std::memory_order_relaxed) + (allocated_now - c.allocated_at_start);
  const int64_t assist_cpu = cycle_assist_cpu_ns_.load(std::memory_order_relaxed);
  PacerCycleResult pr;
  pr.marked_bytes = marked;
  pr.scanned_bytes = scan_done_.load(std::memory_order_relaxed);
  pr.heap_live_at_end = heap_live_end;
  pr.mark_wall_ns = now - c.mark_start_ns;
  pr.mark_cpu_ns = ms.cpu_ns + assist_cpu;
  if (c.stw) pr.mark_wall_ns = 0;  // a pause measures nothing about pacing
  pacer_.EndCycle(pr);
  last_marked_.store(marked, std::memory_order_relaxed);
  allocated_at_mark_end_.store(allocated_now, std::memory_order_relaxed);

  c.record.concurrent_mark_ns = c.stw ? 0 : c.mark_end_ns - c.mark_start_ns;
  c.record.mark_ns = now - c.mark_start_ns;
  c.record.marker_cpu_ns = ms.cpu_ns;
  c.record.assist_cpu_ns = assist_cpu;
  c.record.heap_marked_bytes = marked;
  c.record.next_trigger_bytes = pacer_.trigger() == Pacer::kNoTrigger ? 0 : pacer_.trigger();
  // Scanned by markers, assists and the owner, and allocated black.
  c.record.objects_marked = ms.objects + scan_objects_.load(std::memory_order_relaxed) +
                            (heap_->objects_allocated() - c.objects_at_start);
  c.record.roots_scanned = cycle_roots_.load(std::memory_order_relaxed);
  c.record.barrier_slow_hits = hits;

  // _GCmark -> _GCoff: barrier off, sweeping armed.
  heap_->SetWriteBarrierEnabled(false);
  phase_.store(Phase::kOff, std::memory_order_seq_cst);
  NotifyAssistWaiters();  // their debt is moot now (they are parked)
  heap_->set_allocation_check_bytes(normal_check_bytes_);
  heap_->allocator()->PrepareForSweep(c.epoch);
  c.marked = true;
  c.sweep_start_ns = heap_->NowNanos();
  if (!c.stw) {
    const int64_t pause_end = heap_->NowNanos();
    heap_->ResumeTheWorld(self);
    RecordPause(c, PausePhase::kMarkTermination, pause_start, pause_end, ttsp);
  }
}

// Phase 4 -- concurrent sweep (in the pause for the full fallback).
void ConcurrentCollector::Sweep(Mutator* self, Cycle& c) {
  Allocator* allocator = heap_->allocator();
  while (allocator->SweepSome()) {
  }
  EndCycle(self, c);
}

// The end of phase 4: the rest of the sweep, the verifier once more, the
// cycle's record.
void ConcurrentCollector::EndCycle(Mutator* self, Cycle& c) {
  const SweepStats s = heap_->allocator()->FinishSweep();
  heap_->NoteBytesFreed(s.freed_bytes);
  if (heap_->config().verify) {
    // What the sweep freed must have been unreachable: checked now, not a
    // cycle later (or never). Everything reachable still carries the epoch:
    // the mark gave it, or allocation since mark termination did.
    if (!c.stw) heap_->StopTheWorld(self);
    heap_->VerifyAfterCollection(c.epoch, "sweeping");
    if (!c.stw) heap_->ResumeTheWorld(self);
  }
  if (c.stw) {
    const int64_t pause_end = heap_->NowNanos();
    heap_->ResumeTheWorld(c.self);
    RecordPause(c, PausePhase::kFullCollection, c.full_pause_start_ns, pause_end,
                c.full_pause_ttsp_ns);
  }
  const int64_t end = heap_->NowNanos();
  c.record.sweep_ns = end - c.sweep_start_ns;
  c.record.end_ns = end;
  c.record.heap_after_bytes = heap_->heap_in_use_bytes();
  c.record.objects_freed = s.freed_objects;
  c.record.bytes_freed = s.freed_bytes;
  heap_->stats().barrier_slow_hits.fetch_add(c.barrier_hits, std::memory_order_relaxed);
  heap_->stats().RecordCycle(c.record);
  if (heap_->config().gctrace) {
    std::fprintf(stderr, "%s\n", FormatGcTraceLine(c.record).c_str());
  }
  cycle_.reset();  // `c` is gone
  std::unique_lock<std::mutex> lock(mu_);
  ++cycles_done_;
  cycle_running_ = false;
  cv_.notify_all();
}

// ---------------------------------------------------------------------------
// Test support: the stepping API.

void ConcurrentCollector::CheckManual(const char* step) const {
  if (!options_.manual_ForTesting) {
    std::fprintf(stderr, "gclab: %s needs ConcurrentOptions::manual_ForTesting\n", step);
    std::abort();
  }
}

ConcurrentCollector::StepPhase ConcurrentCollector::step_phase_ForTesting() const {
  if (cycle_ == nullptr) return StepPhase::kIdle;
  return cycle_->marked ? StepPhase::kSweeping : StepPhase::kMarking;
}

void ConcurrentCollector::BeginCycleForTesting(Mutator* self) {
  CheckManual("BeginCycleForTesting");
  if (cycle_ != nullptr) {
    std::fprintf(stderr, "gclab: BeginCycleForTesting while another cycle runs\n");
    std::abort();
  }
  // The cycle serves the pending request (and has its cause), if any.
  BeginCycle(self, pending_request_ForTesting().value_or(GcCause::kExplicit),
             /*stop_the_world=*/false);
}

void ConcurrentCollector::ScanGlobalsForTesting() {
  CheckManual("ScanGlobalsForTesting");
  if (step_phase_ForTesting() == StepPhase::kMarking) ScanGlobals(*cycle_);
}

void ConcurrentCollector::ScanStackForTesting(Mutator* self, Mutator* m) {
  CheckManual("ScanStackForTesting");
  if (step_phase_ForTesting() == StepPhase::kMarking) ScanStacks(self, *cycle_, m);
}

size_t ConcurrentCollector::MarkForTesting(size_t max_objects) {
  CheckManual("MarkForTesting");
  if (step_phase_ForTesting() != StepPhase::kMarking) return 0;
  const uint8_t epoch = cycle_->epoch;
  size_t objects = 0;
  uint64_t bytes = 0;
  Object* obj;
  while (objects < max_objects && owner_local_->Pop(&obj)) {
    bytes += Blacken(obj, epoch, *owner_local_);
    ++objects;
  }
  owner_local_->Publish();  // a marker shares what it did not get to
  scan_done_.fetch_add(bytes, std::memory_order_relaxed);
  scan_objects_.fetch_add(objects, std::memory_order_relaxed);
  bg_credit_.fetch_add(static_cast<int64_t>(bytes), std::memory_order_seq_cst);
  if (bytes > 0) NotifyAssistWaiters();
  return objects;
}

void ConcurrentCollector::FlushForTesting(Mutator* self, Mutator* m) {
  CheckManual("FlushForTesting");
  if (step_phase_ForTesting() != StepPhase::kMarking) return;
  heap_->Handshake(self, [m](Mutator* target) {
    if (target == m) StateOf(m)->barrier_buffer.Publish();
  });
}

void ConcurrentCollector::MarkTerminationForTesting(Mutator* self) {
  CheckManual("MarkTerminationForTesting");
  if (step_phase_ForTesting() != StepPhase::kMarking) return;
  Cycle& c = *cycle_;
  // The root duties of phase 2 are not optional.
  ScanGlobals(c);
  if (c.scan_mode != StackScanMode::kInFirstPause) ScanStacks(self, c, nullptr);
  MarkTermination(self, c);
}

bool ConcurrentCollector::SweepForTesting() {
  CheckManual("SweepForTesting");
  if (step_phase_ForTesting() != StepPhase::kSweeping) return false;
  return heap_->allocator()->SweepSome();
}

void ConcurrentCollector::FinishCycleForTesting(Mutator* self) {
  if (cycle_ == nullptr) return;
  MarkTerminationForTesting(self);
  Sweep(self, *cycle_);
}

void ConcurrentCollector::ScanObjectForTesting(Object* obj) {
  // grey (or white) -> black now, without going through the worklist, so the
  // object is not scanned again this cycle.
  obj->TryMark(cycle_->epoch);
  scan_done_.fetch_add(Blacken(obj, cycle_->epoch, *owner_local_), std::memory_order_relaxed);
  scan_objects_.fetch_add(1, std::memory_order_relaxed);
  owner_local_->Publish();
}

uint8_t ConcurrentCollector::epoch_ForTesting() const { return heap_->epoch(); }

std::optional<GcCause> ConcurrentCollector::pending_request_ForTesting() const {
  std::unique_lock<std::mutex> lock(mu_);
  if (!request_pending_) return std::nullopt;
  return request_cause_;
}

absl::StatusOr<std::unique_ptr<Collector>> NewConcurrentCollector(
    const ConcurrentOptions& options) {
  absl::Status s = ValidateConcurrentOptions(options);
  if (!s.ok()) return s;
  return std::make_unique<ConcurrentCollector>(options);
}

}  // namespace gclab
