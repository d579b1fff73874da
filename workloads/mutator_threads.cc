#include "workloads/mutator_threads.h"

#include <thread>
#include <vector>

namespace gclab {

absl::Status RunAttached(Heap* heap, const std::function<absl::Status(Mutator*)>& fn) {
  Mutator* m = heap->AttachCurrentThread();
  absl::Status status = fn(m);
  heap->DetachCurrentThread(m);
  return status;
}

absl::Status RunOnMutatorThreads(Mutator* self, int n,
                                 const std::function<absl::Status(int, Mutator*)>& fn) {
  Heap* heap = self->heap();
  std::vector<absl::Status> results(n);
  std::vector<std::thread> threads;
  threads.reserve(n);
  {
    // Thread creation may block (and the new threads attach, which may wait
    // for a collection in progress): stay parked until every thread is joined.
    ParkedScope parked(self);
    for (int i = 0; i < n; ++i) {
      threads.emplace_back(
          [&, i] { results[i] = RunAttached(heap, [&](Mutator* m) { return fn(i, m); }); });
    }
    for (std::thread& t : threads) t.join();
  }
  for (const absl::Status& s : results) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace gclab
