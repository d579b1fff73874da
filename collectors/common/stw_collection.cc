#include "collectors/common/stw_collection.h"

#include <cstdio>
#include <string>

#include "heap/heap.h"

namespace gclab {

void StopTheWorldCollector::OnAllocationBudgetExhausted(Mutator* m) {
  if (heap_->heap_in_use_bytes() >= trigger_.load(std::memory_order_relaxed)) {
    Collect(m, GcCause::kHeapTrigger);
  }
}

bool StopTheWorldCollector::CollectForAllocationFailure(Mutator* m, size_t bytes) {
  Collect(m, GcCause::kAllocationFailure);
  return true;
}

void StopTheWorldCollector::CollectNow(Mutator* m) { Collect(m, GcCause::kExplicit); }

StwCollection::StwCollection(Heap* heap, Mutator* m, GcCause cause,
                             const std::atomic<uint64_t>& cycles,
                             const std::atomic<uint64_t>& trigger, absl::string_view collector)
    : heap_(heap), m_(m) {
  const uint64_t cycles_seen = cycles.load(std::memory_order_acquire);
  const int64_t start_ns = heap_->NowNanos();
  ttsp_ns_ = heap_->StopTheWorld(m_);
  if (cause == GcCause::kHeapTrigger &&
      (cycles.load(std::memory_order_acquire) != cycles_seen ||
       heap_->heap_in_use_bytes() < trigger.load(std::memory_order_relaxed))) {
    heap_->ResumeTheWorld(m_);  // someone else collected while we waited
    return;
  }
  started_ = true;
  cycle_.cycle = cycles.load(std::memory_order_relaxed) + 1;
  cycle_.cause = cause;
  cycle_.collector = std::string(collector);
  cycle_.start_ns = start_ns;
  cycle_.heap_before_bytes = heap_->heap_in_use_bytes();
}

void StwCollection::Finish() {
  heap_->ResumeTheWorld(m_);
  const int64_t end_ns = heap_->NowNanos();

  PauseRecord pause;
  pause.cycle = cycle_.cycle;
  pause.phase = PausePhase::kFullCollection;
  pause.start_ns = cycle_.start_ns;
  pause.duration_ns = end_ns - cycle_.start_ns;
  pause.time_to_safepoint_ns = ttsp_ns_;
  heap_->stats().RecordPause(pause);

  cycle_.end_ns = end_ns;
  cycle_.stw_start_ns = pause.duration_ns;
  cycle_.pause_total_ns = pause.duration_ns;
  heap_->stats().RecordCycle(cycle_);
  if (heap_->config().gctrace) {
    std::fprintf(stderr, "%s\n", FormatGcTraceLine(cycle_).c_str());
  }
}

}  // namespace gclab
