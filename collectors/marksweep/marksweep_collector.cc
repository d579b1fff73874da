#include "collectors/marksweep/marksweep_collector.h"

#include <cstdio>
#include <string>

#include "collectors/common/mark_worklist.h"
#include "collectors/common/tracing.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {

const CollectorConstraints& MarkSweepCollector::constraints() const {
  static const CollectorConstraints kConstraints = {
      .frees_memory = true,
      .moves_objects = false,
      .concurrent_marking = false,
      .needs_write_barrier = false,
      .barrier = BarrierKind::kNone,
  };
  return kConstraints;
}

absl::Status MarkSweepCollector::Attach(Heap* heap) {
  absl::Status valid =
      ValidateMarkSweepOptions(options_);  // constructed directly, not by the factory
  if (!valid.ok()) return valid;
  heap_ = heap;
  trigger_.store(options_.growth.Goal(0), std::memory_order_relaxed);
  return absl::OkStatus();
}

void MarkSweepCollector::OnAllocationBudgetExhausted(Mutator* m) {
  if (heap_->heap_in_use_bytes() >= trigger_.load(std::memory_order_relaxed)) {
    Collect(m, GcCause::kHeapTrigger);
  }
}

bool MarkSweepCollector::CollectForAllocationFailure(Mutator* m, size_t bytes) {
  Collect(m, GcCause::kAllocationFailure);
  return true;
}

void MarkSweepCollector::CollectNow(Mutator* m) { Collect(m, GcCause::kExplicit); }

void MarkSweepCollector::Collect(Mutator* m, GcCause cause) {
  const uint64_t cycles_seen = cycles_.load(std::memory_order_acquire);
  const int64_t start_ns = heap_->NowNanos();
  // 1. Stop the world.
  const int64_t ttsp_ns = heap_->StopTheWorld(m);
  if (cause == GcCause::kHeapTrigger &&
      (cycles_.load(std::memory_order_acquire) != cycles_seen ||
       heap_->heap_in_use_bytes() < trigger_.load(std::memory_order_relaxed))) {
    heap_->ResumeTheWorld(m);  // someone else collected while we waited
    return;
  }
  CycleRecord cycle;
  cycle.cycle = cycles_.load(std::memory_order_relaxed) + 1;
  cycle.cause = cause;
  cycle.collector = std::string(name());
  cycle.start_ns = start_ns;
  cycle.heap_before_bytes = heap_->heap_in_use_bytes();
  cycle.barrier_slow_hits = 0;

  // 2. Everything white.
  const uint8_t epoch = heap_->AdvanceEpoch();

  // 3. Mark.
  const int64_t mark_start = heap_->NowNanos();
  MarkWorklist worklist;
  MarkCounters counters;
  {
    MarkWorklist::Local local(&worklist);
    auto shade_root = [&](Object** slot) {
      ++counters.roots;
      Shade(*slot, epoch, local);
    };
    if (ignore_mutator_roots_) {
      heap_->VisitGlobalRoots(shade_root);
    } else {
      heap_->VisitRoots(shade_root);
    }
    Drain(epoch, local, counters);
  }
  const int64_t mark_end = heap_->NowNanos();
  heap_->CheckmarkAfterMarking(epoch);  // a debug option; timed as neither phase
  const int64_t sweep_start = heap_->NowNanos();

  // 4. Sweep.
  Allocator* allocator = heap_->allocator();
  allocator->PrepareForSweep(epoch);
  const SweepStats sweep = allocator->FinishSweep();
  heap_->NoteSweepFinished(sweep.live_bytes);
  const int64_t sweep_end = heap_->NowNanos();

  // 5. Verify.
  heap_->VerifyAfterCollection(epoch);

  // 6. Next trigger and statistics.
  const uint64_t goal = options_.growth.Goal(counters.bytes);
  trigger_.store(goal, std::memory_order_relaxed);
  cycles_.fetch_add(1, std::memory_order_release);

  // 7. Resume.
  heap_->ResumeTheWorld(m);
  const int64_t end_ns = heap_->NowNanos();

  PauseRecord pause;
  pause.cycle = cycle.cycle;
  pause.phase = PausePhase::kFullCollection;
  pause.start_ns = start_ns;
  pause.duration_ns = end_ns - start_ns;
  pause.time_to_safepoint_ns = ttsp_ns;
  heap_->stats().RecordPause(pause);

  cycle.end_ns = end_ns;
  cycle.stw_start_ns = pause.duration_ns;
  cycle.mark_ns = mark_end - mark_start;
  cycle.sweep_ns = sweep_end - sweep_start;
  cycle.pause_total_ns = pause.duration_ns;
  cycle.heap_marked_bytes = counters.bytes;
  cycle.heap_after_bytes = sweep.live_bytes;
  cycle.heap_goal_bytes = goal;
  cycle.next_trigger_bytes = goal;
  cycle.objects_marked = counters.objects;
  cycle.objects_freed = sweep.freed_objects;
  cycle.bytes_freed = sweep.freed_bytes;
  cycle.roots_scanned = counters.roots;
  cycle.marker_threads = 0;
  heap_->stats().RecordCycle(cycle);
  if (heap_->config().gctrace) {
    std::fprintf(stderr, "%s\n", FormatGcTraceLine(cycle).c_str());
  }
}

absl::Status ValidateMarkSweepOptions(const MarkSweepOptions& options) {
  if (options.growth.gogc == 0) {
    return absl::InvalidArgumentError(
        "invalid value for marksweep.gogc: 0 would collect continuously; use > 0 or < 0 (off)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Collector>> NewMarkSweepCollector(const MarkSweepOptions& options) {
  absl::Status s = ValidateMarkSweepOptions(options);
  if (!s.ok()) return s;
  return std::make_unique<MarkSweepCollector>(options);
}

}  // namespace gclab
