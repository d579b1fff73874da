// Heap verifier: the check that makes every other number trustworthy. A
// collector that frees a live object, or a barrier that lets a reachable
// object stay white, shows up here as a broken object.
//
// VerifyHeap, with the world stopped and no sweep in progress, traces the
// object graph from every root (global roots, shadow stacks, stack-region
// objects) with an explicit stack and checks:
//   1. every pointer found (an object address, or an interior pointer
//      decoded by ObjectStart) leads to the start of an object either in memory
//      the allocator has mapped or in some thread's stack region;
//   2. that object is intact: 8-byte aligned, header magic kObjectMagic (not a
//      freed filler), a registered TypeDescriptor, a size consistent with its
//      type (records: exactly ObjectSizeFor(type));
//   3. no heap object and no global root points into a stack region (Go's
//      invariant that escape analysis must guarantee), and a thread's roots
//      (its shadow stack, its stack objects' fields) point into no stack
//      region but its own;
//   4. if marked_epoch >= 0, every reachable heap object carries that mark
//      epoch (the collection that just ran marked everything live);
//   5. the allocator's free memory is poisoned (Allocator::VerifyFreeMemory),
//      which catches writes through dangling pointers into freed cells.
// The error message names the first few problems with the path kind (root or
// field) and addresses.
#ifndef GCLAB_HEAP_VERIFIER_H_
#define GCLAB_HEAP_VERIFIER_H_

#include "absl/status/status.h"

namespace gclab {

class Heap;

// `check_free_memory`: check 5 too (it reads every free byte: drivers that
// verify often skip it where nothing was freed since they last ran it).
absl::Status VerifyHeap(Heap& heap, int marked_epoch, bool check_free_memory = true);

}  // namespace gclab

#endif  // GCLAB_HEAP_VERIFIER_H_
