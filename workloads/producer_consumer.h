// Producer/consumer: `producers` threads allocate messages (a record with a
// payload byte array) and hand them to `consumers` threads through a bounded
// queue that lives in the managed heap (a pointer-array ring in a global
// root). Consumers check each message and keep every retain_every-th one in a
// per-thread ring of retained_ring messages (mixing short and medium
// lifetimes). Threads waiting for space or messages park (ParkedScope), so a
// stop-the-world never waits on a blocked thread.
//
// Validation: each message carries (producer, sequence, checksum); consumers
// recompute the checksum from the payload and check it equals the one
// derived from (producer, sequence); every (producer, sequence) must be
// consumed exactly once; retained messages are re-checked at the end.
#ifndef GCLAB_WORKLOADS_PRODUCER_CONSUMER_H_
#define GCLAB_WORKLOADS_PRODUCER_CONSUMER_H_

#include <functional>

#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

class ProducerConsumer : public Workload {
 public:
  explicit ProducerConsumer(const ProducerConsumerParams& params) : params_(params) {}
  absl::string_view name() const override { return "producer_consumer"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  // Test seam: called by each consumer on every message it dequeues, before
  // checking it (for corruption tests).
  void set_on_dequeue_hook(std::function<void(Mutator*, Object* message)> hook) {
    on_dequeue_hook_ = std::move(hook);
  }

 private:
  ProducerConsumerParams params_;
  std::function<void(Mutator*, Object*)> on_dequeue_hook_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_PRODUCER_CONSUMER_H_
