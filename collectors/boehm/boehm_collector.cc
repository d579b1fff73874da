#include "collectors/boehm/boehm_collector.h"

#define GC_THREADS 1
#include <gc/gc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "collectors/boehm/boehm_allocator.h"
#include "collectors/common/heap_growth.h"
#include "collectors/common/stw_collection.h"
#include "heap/heap.h"
#include "heap/mutator.h"
#include "util/check.h"

namespace gclab {
namespace {

int64_t ProcessCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

}  // namespace

const CollectorConstraints& BoehmCollector::constraints() const {
  static const CollectorConstraints kConstraints = {
      .frees_memory = true,
      .moves_objects = false,
      .concurrent_marking = false,
      .needs_write_barrier = false,
      .barrier = BarrierKind::kNone,
      // Boehm marks and frees the allocator's memory itself.
      .required_reclamation = Reclamation::kExternalCollector,
  };
  return kConstraints;
}

absl::Status BoehmCollector::Attach(Heap* heap) {
  absl::Status valid = ValidateBoehmOptions(options_);  // constructed directly, not by the factory
  if (!valid.ok()) return valid;
  allocator_ = dynamic_cast<BoehmAllocator*>(heap->allocator());
  if (allocator_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collector 'boehm' needs the boehm allocator, got '", heap->allocator()->name(), "'"));
  }
  absl::Status started = allocator_->StartBoehm(options_.markers);
  if (!started.ok()) return started;
  heap_ = heap;
  trigger_.store(Trigger(0), std::memory_order_relaxed);
  return absl::OkStatus();
}

int BoehmCollector::markers() const {
  return allocator_ != nullptr && allocator_->runtime() != nullptr
             ? allocator_->runtime()->markers()
             : 0;
}

uint64_t BoehmCollector::Trigger(uint64_t live_bytes) const {
  if (options_.gogc > 0) {
    return HeapGrowthPolicy{options_.gogc, options_.min_heap_bytes}.Goal(live_bytes);
  }
  return std::max<uint64_t>(options_.min_heap_bytes,
                            live_bytes + live_bytes / options_.free_space_divisor);
}

void BoehmCollector::Collect(Mutator* m, GcCause cause) {
  // 1. Stop the world.
  StwCollection collection(heap_, m, cause, cycles_, trigger_, name());
  if (!collection.started()) return;
  CycleRecord& cycle = collection.cycle();
  boehm_internal::BoehmRuntime* runtime = allocator_->runtime();

  // 2. The epoch the mark procedure writes.
  const uint8_t epoch = heap_->AdvanceEpoch();
  runtime->set_epoch(epoch);

  // 3. Root words.
  std::vector<void*>& roots = runtime->roots();
  roots.clear();
  heap_->VisitRoots([&](Object** slot) {
    Object* target = ObjectStart(*slot);
    if (target != nullptr && !target->is_stack_allocated()) roots.push_back(target);
  });
  const size_t heap_roots = roots.size();
  allocator_->AppendCacheRoots(&roots);

  // 4. Boehm's collection.
  runtime->ResetMarkTotals();
  runtime->ClearEvents();
  const int64_t cpu0 = ProcessCpuNs();
  const int64_t gc0 = heap_->NowNanos();
  GCLAB_CHECK(boehm_internal::BoehmRuntime::CollectOnThisThread(),
              "boehm: Boehm refused to register the collecting thread");
  const int64_t gc_ns = heap_->NowNanos() - gc0;
  const int64_t cpu_ns = ProcessCpuNs() - cpu0;
  roots.clear();
  const boehm_internal::MarkTotals marked = runtime->SumMarkTotals();
  heap_->NoteSweepFinished(marked.bytes);

  // 5. Verify.
  heap_->VerifyAfterCollection(epoch);

  // 6. Next trigger and statistics.
  const uint64_t trigger = Trigger(marked.bytes);
  trigger_.store(trigger, std::memory_order_relaxed);
  const uint64_t objects_before = live_objects_ + (heap_->objects_allocated() - objects_seen_);
  cycles_.fetch_add(1, std::memory_order_release);
  const boehm_internal::CollectionEvents& ev = runtime->events();
  cycle.mark_ns = ev.mark_end > ev.mark_start ? ev.mark_end - ev.mark_start : gc_ns;
  cycle.sweep_ns = ev.reclaim_end > ev.reclaim_start ? ev.reclaim_end - ev.reclaim_start : 0;
  cycle.marker_cpu_ns = cpu_ns;  // every thread's CPU during GC_gcollect: the markers'
  cycle.heap_marked_bytes = marked.bytes;
  cycle.heap_after_bytes = marked.bytes;
  cycle.heap_goal_bytes = trigger;
  cycle.next_trigger_bytes = trigger;
  cycle.objects_marked = marked.objects;
  // Boehm frees lazily and does not count; estimated from what was live and
  // allocated since the previous cycle.
  cycle.objects_freed = objects_before > marked.objects ? objects_before - marked.objects : 0;
  cycle.bytes_freed =
      cycle.heap_before_bytes > marked.bytes ? cycle.heap_before_bytes - marked.bytes : 0;
  cycle.roots_scanned = heap_roots;
  cycle.marker_threads = runtime->markers();
  live_objects_ = marked.objects;
  objects_seen_ = heap_->objects_allocated();

  // 7. Resume; the pause and the cycle are recorded.
  collection.Finish();
}

absl::Status ValidateBoehmOptions(const BoehmOptions& options) {
  if (options.markers < 0 || options.markers > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value for boehm.markers: must be in [0, 64] (0: Boehm's choice), got ",
        options.markers));
  }
  if (options.free_space_divisor < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value for boehm.free_space_divisor: must be >= 1, got ",
                     options.free_space_divisor));
  }
  if (options.gogc < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value for boehm.gogc: must be >= 0 (0: Boehm's own trigger), got ", options.gogc));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Collector>> NewBoehmCollector(const BoehmOptions& options) {
  absl::Status s = ValidateBoehmOptions(options);
  if (!s.ok()) return s;
  return std::make_unique<BoehmCollector>(options);
}

}  // namespace gclab
