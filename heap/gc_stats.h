// GcStats: the one statistics structure every collector fills and every
// experiment reads. Each stop-the-world pause is recorded individually (start,
// duration, phase) so pause distributions and minimum mutator utilization can
// be computed afterwards; each collection cycle gets one CycleRecord.
//
// Thread-safety: all methods are thread-safe. Counters are atomics; records are
// appended under a mutex (a few per cycle, never on a hot path).
#ifndef GCLAB_HEAP_GC_STATS_H_
#define GCLAB_HEAP_GC_STATS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace gclab {

// Why a cycle started.
enum class GcCause : uint8_t {
  kHeapTrigger,        // the heap-growth policy / pacer trigger was reached
  kAllocationFailure,  // an allocation failed; a full collection is forced
  kExplicit,           // Heap::CollectGarbage / Mutator::CollectGarbage
  kMemoryLimit,        // the soft memory limit was reached
};
const char* GcCauseName(GcCause cause);

// The phases a pause can belong to (Go's names where they exist).
enum class PausePhase : uint8_t {
  kFullCollection,    // a whole stop-the-world mark(-sweep)
  kSweepTermination,  // concurrent: STW that enables barriers and starts marking
  kMarkTermination,   // concurrent: STW that ends marking
  kStackScan,         // a single thread stopped to scan its own roots
};
const char* PausePhaseName(PausePhase phase);

struct PauseRecord {
  uint64_t cycle = 0;
  PausePhase phase = PausePhase::kFullCollection;
  int64_t start_ns = 0;              // since heap creation
  int64_t duration_ns = 0;           // from the stop request to the resumption
  int64_t time_to_safepoint_ns = 0;  // part of duration spent waiting for threads
};

struct CycleRecord {
  uint64_t cycle = 0;  // 1-based
  GcCause cause = GcCause::kHeapTrigger;
  std::string collector;
  int64_t start_ns = 0;  // since heap creation
  int64_t end_ns = 0;    // when sweeping finished (or was handed to lazy sweep)
  // Wall time per phase. For stop-the-world collectors mark and sweep happen in
  // the single pause; concurrent collectors fill the concurrent fields.
  int64_t stw_start_ns = 0;        // first pause of the cycle (sweep termination)
  int64_t concurrent_mark_ns = 0;  // wall time of concurrent marking
  int64_t stw_end_ns = 0;          // mark termination pause (0 for STW collectors)
  int64_t mark_ns = 0;             // total wall time spent marking
  int64_t sweep_ns = 0;            // total wall time spent sweeping
  int64_t marker_cpu_ns = 0;       // CPU time of background/dedicated markers
  int64_t assist_cpu_ns = 0;       // CPU time mutators spent in mark assists
  int64_t pause_total_ns = 0;      // sum of this cycle's pauses
  // Heap sizes (bytes).
  uint64_t heap_before_bytes = 0;   // heap in use when the cycle started
  uint64_t heap_marked_bytes = 0;   // bytes marked live
  uint64_t heap_after_bytes = 0;    // heap in use after sweeping
  uint64_t heap_goal_bytes = 0;     // the goal the pacer aimed at (0 if none)
  uint64_t next_trigger_bytes = 0;  // heap size that triggers the next cycle
  uint64_t objects_marked = 0;      // scanned (markers, assists) + allocated black
  uint64_t objects_freed = 0;
  uint64_t bytes_freed = 0;
  uint64_t roots_scanned = 0;      // root slots visited (rescans included)
  uint64_t roots_rescanned = 0;    // root slots visited at mark termination
  uint64_t barrier_slow_hits = 0;  // write-barrier slow paths taken this cycle
  int marker_threads = 0;
};

class GcStats {
 public:
  void RecordPause(const PauseRecord& pause);
  void RecordCycle(const CycleRecord& cycle);

  std::vector<PauseRecord> pauses() const;
  std::vector<CycleRecord> cycles() const;
  uint64_t collections() const;

  // Monotone counters, bumped from anywhere.
  std::atomic<uint64_t> barrier_slow_hits{0};
  std::atomic<uint64_t> verifier_runs{0};

  // Peak of the heap-in-use estimate (Heap::heap_in_use_bytes) seen so far.
  void ObserveHeapInUse(uint64_t bytes) {
    uint64_t cur = peak_heap_bytes_.load(std::memory_order_relaxed);
    while (bytes > cur &&
           !peak_heap_bytes_.compare_exchange_weak(cur, bytes, std::memory_order_relaxed)) {
    }
  }
  uint64_t peak_heap_bytes() const { return peak_heap_bytes_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mu_;
  std::vector<PauseRecord> pauses_;  // guarded by mu_
  std::vector<CycleRecord> cycles_;  // guarded by mu_
  std::atomic<uint64_t> peak_heap_bytes_{0};
};

// One line per cycle in the spirit of GODEBUG=gctrace=1; see docs/GCTRACE.md.
//   gc 3 @0.412s 2 pauses: 0.021+0.105 ms stw, 4.1 ms concurrent mark, 1.2 ms sweep,
//   cpu: 3.9 ms marker, 0.4 ms assist; heap 48->51->20 MB, 40 MB goal, 1 threads, cause trigger
std::string FormatGcTraceLine(const CycleRecord& cycle);

}  // namespace gclab

#endif  // GCLAB_HEAP_GC_STATS_H_
