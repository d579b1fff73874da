#include "workloads/producer_consumer.h"

#include <atomic>

#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

ProducerConsumerParams Small() {
  ProducerConsumerParams p;
  p.set_producers(2);
  p.set_consumers(3);
  p.set_messages_per_producer(5000);
  p.set_queue_capacity(16);
  p.set_payload_bytes(48);
  p.set_retain_every(7);
  p.set_retained_ring(64);
  return p;
}

TEST(ProducerConsumerTest, RunValidates) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  ProducerConsumer pc(Small());
  absl::Status s = pc.Run(heap.get(), 1);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_GT(heap->stats().collections(), 0u);
}

TEST(ProducerConsumerTest, CorruptPayloadIsCaughtAndTheRunEnds) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  ProducerConsumer pc(Small());
  std::atomic<int> dequeued{0};
  pc.set_on_dequeue_hook([&](Mutator* m, Object* msg) {
    if (dequeued.fetch_add(1) == 1234) m->Load(msg, 0)->data_at<uint8_t>(3) ^= 0x10;
  });
  absl::Status s = pc.Run(heap.get(), 1);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(ProducerConsumerTest, RelabelledMessageIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  ProducerConsumer pc(Small());
  std::atomic<int> dequeued{0};
  pc.set_on_dequeue_hook([&](Mutator* m, Object* msg) {
    // Another sequence number with a self-consistent checksum: only the
    // payload-derived-from-(producer, sequence) check can notice.
    if (dequeued.fetch_add(1) == 100) msg->data_at<int64_t>(16) ^= 1;
  });
  absl::Status s = pc.Run(heap.get(), 1);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

}  // namespace
}  // namespace gclab
