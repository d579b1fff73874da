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
// Valid call sequence: from the cycle owner, with the world stopped, after
// the final drain of mark termination and before Allocator::PrepareForSweep:
//   TricolorReport r = CheckTricolorInvariant(heap, epoch, worklist);
// It is a *_ForTesting facility: it walks the whole heap and is enabled by
// ConcurrentOptions::check_tricolor_ForTesting, never in benchmarks.
#ifndef GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_
#define GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "collectors/common/mark_worklist.h"
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

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_CHECKER_H_
