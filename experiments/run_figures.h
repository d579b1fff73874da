// The GC columns of a results row (experiments/results.proto RunResult),
// computed in one place for every kind of row, so a column means the same in
// each: in-process runs (the heap's GcStats), Go programs on gclab's heap
// (their --stats_json, goruntime/run_stats.proto) and Go's own runtime (its
// gctrace, experiments/gctrace.h). Percentiles, pause summaries and MMU are
// experiments/metrics.h's.
//
//   GcFigures f = GcFiguresOf(heap.stats());           // or FromGoRunStats, or
//                                                      // GcFiguresFromGcTrace
//   FillGcColumns(f, run_start_ns, run_end_ns, cycle_log, &row);
#ifndef GCLAB_EXPERIMENTS_RUN_FIGURES_H_
#define GCLAB_EXPERIMENTS_RUN_FIGURES_H_

#include <cstdint>
#include <vector>

#include "experiments/results.pb.h"
#include "goruntime/run_stats.pb.h"
#include "heap/gc_stats.h"

namespace gclab {

// What a run's collector did, on one clock (ns; its origin is the caller's:
// heap creation, or the program's start).
struct GcFigures {
  std::vector<PauseRecord> pauses;
  std::vector<CycleRecord> cycles;
  uint64_t collections = 0;
  uint64_t peak_heap_bytes = 0;
  uint64_t barrier_slow_hits = 0;
};

GcFigures GcFiguresOf(GcStats& stats);

// A compiled Go program's report. Unknown phase or cause names (a newer
// runtime) read as a full collection / heap trigger.
GcFigures GcFiguresFromGoRunStats(const GoRunStats& stats);

// Fills collections, pauses and their summary, time-to-safepoint, MMU at 1,
// 10 and 100 ms over [run_start_ns, run_end_ns), peak heap, barrier slow
// hits, mark rate, the raw pause list and (cycle_log) one CycleSample per
// cycle. Pause times in the row are relative to run_start_ns.
void FillGcColumns(const GcFigures& figures, int64_t run_start_ns, int64_t run_end_ns,
                   bool cycle_log, RunResult* row);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_RUN_FIGURES_H_
