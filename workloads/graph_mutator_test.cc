#include "workloads/graph_mutator.h"

#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

GraphMutatorParams Small(int threads) {
  GraphMutatorParams p;
  p.set_nodes(500);
  p.set_edges_per_node(3);
  p.set_threads(threads);
  p.set_operations_per_thread(20000);
  p.set_allocate_percent(30);
  p.set_payload_bytes(24);
  return p;
}

TEST(GraphMutatorTest, RunValidates) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  GraphMutator g(Small(3));
  absl::Status s = g.Run(heap.get(), 5);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_GT(heap->stats().collections(), 0u);
}

TEST(GraphMutatorTest, RelinkedEdgeIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  GraphMutator g(Small(2));
  g.set_before_validation_hook([](Mutator* m, Object* nodes) {
    // Node 7's first edge now points at node 7 itself, which no model says.
    Object* n7 = m->LoadElement(nodes, 7);
    m->Store(n7, 0, m->Load(n7, 0) == n7 ? m->LoadElement(nodes, 8) : n7);
  });
  absl::Status s = g.Run(heap.get(), 5);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(GraphMutatorTest, CorruptPayloadIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  GraphMutator g(Small(2));
  g.set_before_validation_hook([](Mutator* m, Object* nodes) {
    Object* payload = m->Load(m->LoadElement(nodes, 11), 3 * 8);
    payload->data_at<uint8_t>(5) ^= 0xFF;
  });
  absl::Status s = g.Run(heap.get(), 5);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

}  // namespace
}  // namespace gclab
