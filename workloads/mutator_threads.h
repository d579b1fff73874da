// Helpers for running workload code on attached mutator threads.
//
//   absl::Status s = RunAttached(heap, [&](Mutator* m) { ... return OkStatus(); });
//   // inside, from an attached mutator `m`:
//   absl::Status s = RunOnMutatorThreads(m, 4, [&](int index, Mutator* worker) {...});
#ifndef GCLAB_WORKLOADS_MUTATOR_THREADS_H_
#define GCLAB_WORKLOADS_MUTATOR_THREADS_H_

#include <functional>

#include "absl/status/status.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {

// Attaches the calling thread to `heap`, runs fn(m) and detaches it again
// (also when fn fails).
absl::Status RunAttached(Heap* heap, const std::function<absl::Status(Mutator*)>& fn);

// Starts `n` threads, each attached to self's heap, running fn(index, mutator);
// `self` (the caller's attached mutator) is parked while it waits for them.
// Returns the first non-OK status in thread index order.
absl::Status RunOnMutatorThreads(Mutator* self, int n,
                                 const std::function<absl::Status(int, Mutator*)>& fn);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_MUTATOR_THREADS_H_
