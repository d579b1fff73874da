// Go's GODEBUG=gctrace=1 output, parsed: one line per collection, printed by
// the runtime at the end of mark termination (src/runtime/mgc.go,
// gcMarkTermination; this is go 1.19's format):
//
//   gc 3 @0.046s 1%: 0.017+6.2+0.003 ms clock, 0.035+0.69/0.065/3.8+0.007 ms cpu,
//      3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
//
//   @0.046s        when the cycle started (sweep termination), since the
//                  program started; millisecond resolution
//   a+b+c ms clock sweep-termination pause, concurrent mark, mark-termination
//                  pause (wall)
//   a+b/c/d+e cpu  the pauses' CPU, and marking CPU split into mutator
//                  assists / background (dedicated + fractional) / idle
//   x->y->z MB     heap in use at the cycle's start, at its end, and marked
//                  live (MB = 2^20 bytes, truncated: coarse for small heaps)
//   (forced)       runtime.GC() asked for it
//
// Lines that are not gctrace lines (the program's own stderr, the
// scavenger's) are skipped; a line that starts like one but does not parse
// is an error naming its line number, so a format change is noticed.
//
//   absl::StatusOr<std::vector<GoTraceCycle>> c = ParseGcTrace(stderr_text);
//   GcFigures f = GcFiguresFromGcTrace(*c);   // experiments/run_figures.h
#ifndef GCLAB_EXPERIMENTS_GCTRACE_H_
#define GCLAB_EXPERIMENTS_GCTRACE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "experiments/run_figures.h"

namespace gclab {

struct GoTraceCycle {
  uint64_t cycle = 0;
  int64_t start_ns = 0;  // since the program started
  int64_t sweep_termination_ns = 0;
  int64_t concurrent_mark_ns = 0;
  int64_t mark_termination_ns = 0;
  int64_t assist_cpu_ns = 0;
  int64_t marker_cpu_ns = 0;  // background + idle marking
  uint64_t heap_start_bytes = 0;
  uint64_t heap_end_bytes = 0;
  uint64_t heap_live_bytes = 0;
  uint64_t heap_goal_bytes = 0;
  int procs = 0;
  bool forced = false;
};

absl::StatusOr<std::vector<GoTraceCycle>> ParseGcTrace(absl::string_view text);

// The cycles as gclab's figures: two pauses per cycle (sweep termination at
// the cycle's start, mark termination after the concurrent mark), cause
// "explicit" for forced cycles, collector "go".
GcFigures GcFiguresFromGcTrace(const std::vector<GoTraceCycle>& cycles);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_GCTRACE_H_
