// TricolorChecker: test support that checks, at mark termination, the
// invariant a concurrent mark must end with. Given the world stopped, every
// grey set drained and no sweep in progress, it verifies
//   1. no grey object is left (the shared pool is empty);
//   2. no black object points to a white one (walking every allocated object
//      through Allocator::ForEachObject), which together with 1. is the strong
//      tri-color invariant;
//   3. nothing reachable from the roots (globals, shadow stacks, stack-region
//      objects) is white -- the property the sweep relies on.
// A barrier that lets the marker lose an object violates 2 or 3; the report
// names the first few offending edges.
//
// It walks the whole heap, so it is test-only (a testonly target, never
// linked into the collector): tests install it as the collector's
// mark-termination hook (ConcurrentOptions::at_mark_termination_ForTesting):
//   ConcurrentOptions o;
//   std::shared_ptr<TricolorMonitor> checks = TricolorMonitor::Install(&o);
//   ... build the heap with `o`, run cycles ...
//   EXPECT_EQ(checks->violations(), 0u);
// Or call it directly, from the cycle owner with the world stopped, after the
// final drain of mark termination and before Allocator::PrepareForSweep:
//   TricolorReport r = CheckTricolorInvariant(heap, epoch, worklist);
#ifndef GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_
#define GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/common/mark_worklist.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "heap/heap.h"

namespace gclab {

struct TricolorReport {
  uint64_t objects_checked = 0;  // allocated heap objects walked
  uint64_t black_objects = 0;
  uint64_t grey_left = 0;             // segments left in the shared pool
  uint64_t black_to_white = 0;        // heap edges from a marked to an unmarked object
  uint64_t reachable_white = 0;       // reachable objects left unmarked
  std::vector<std::string> examples;  // at most a few, for the message

  bool ok() const { return grey_left == 0 && black_to_white == 0 && reachable_white == 0; }
  std::string ToString() const;
};

TricolorReport CheckTricolorInvariant(Heap& heap, uint8_t epoch, const MarkWorklist& worklist);

// Runs the checker at every mark termination of a collector built from the
// options it was installed into, and keeps the verdicts. Thread-safe.
class TricolorMonitor {
 public:
  // Sets options->at_mark_termination_ForTesting (replacing any hook). With
  // abort_on_violation, a violation aborts with the report (stress tests);
  // otherwise it is only recorded (tests of deliberately broken barriers).
  // The hook shares ownership of the monitor.
  static std::shared_ptr<TricolorMonitor> Install(ConcurrentOptions* options,
                                                  bool abort_on_violation = true);

  explicit TricolorMonitor(bool abort_on_violation) : abort_on_violation_(abort_on_violation) {}
  void Check(Heap& heap, uint8_t epoch, const MarkWorklist& worklist);

  uint64_t checks() const;
  uint64_t violations() const;
  TricolorReport last_report() const;  // of the latest check

 private:
  const bool abort_on_violation_;
  mutable std::mutex mu_;
  uint64_t checks_ = 0;      // guarded by mu_
  uint64_t violations_ = 0;  // guarded by mu_
  TricolorReport last_;      // guarded by mu_
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_
