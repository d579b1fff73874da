// Checkmark: after a (concurrent) mark, re-mark from the roots with the world
// stopped and report the first reachable object the mark left white, with its
// path from a root. Go's GODEBUG=gccheckmark=1 (runtime/mcheckmark.go).
//
// A concurrent collector ends marking believing that everything reachable is
// marked; a barrier or root-scanning bug breaks exactly that belief, and the
// sweep that follows frees a live object, which shows up much later as a
// corrupt object somewhere else. Checkmark turns the belief into a check at
// the one moment it must hold: after the final drain, before sweeping. It is
// a production debug option (HeapConfig::checkmark, env GCLAB_CHECKMARK=1,
// on in tests), independent of the verifier: it checks nothing but marks, so
// it costs one traversal of the live graph.
//
// The trace is breadth-first, so the reported path is a shortest one:
//   checkmark: reachable object 0x7f..40 (TestNode) is white (mark 3, epoch 4);
//   path: global root #0 -> 0x7f..00 (TestNode, marked) .+0 -> 0x7f..40
// Roots are named "global root #i", "shadow stack slot #j of mutator N" and
// "stack object 0x... of mutator N"; each hop names the field's byte offset.
//
// Valid call sequence: world stopped (or otherwise no mutator running), no
// sweep in progress, after marking with mark epoch `epoch`:
//   absl::Status s = Checkmark(heap, epoch);
#ifndef GCLAB_HEAP_CHECKMARK_H_
#define GCLAB_HEAP_CHECKMARK_H_

#include <cstdint>

#include "absl/status/status.h"

namespace gclab {

class Heap;

// OK, or FailedPrecondition naming the first white reachable object found
// (in breadth-first order) and its path from a root.
absl::Status Checkmark(Heap& heap, uint8_t epoch);

}  // namespace gclab

#endif  // GCLAB_HEAP_CHECKMARK_H_
