// The registry's `concurrent` case: every ConcurrentParams field reaches the
// collector, and bad values are rejected with the field's name.
#include "collectors/concurrent/concurrent_collector.h"
#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "registry/registry.h"

namespace gclab {
namespace {

TEST(RegistryConcurrentTest, MakesAHeapForEveryBarrier) {
  for (WriteBarrier barrier : {DIJKSTRA, YUASA, HYBRID}) {
    CollectorConfig config = CollectorConfigForName("concurrent").value();
    config.mutable_concurrent()->set_barrier(barrier);
    config.mutable_concurrent()->set_marker_threads(2);
    HeapConfig heap_config;
    ApplyHeapEnvironment(&heap_config);
    auto heap = MakeHeap(heap_config, AllocatorConfigForName("size_class").value(), config);
    ASSERT_TRUE(heap.ok()) << heap.status();
    EXPECT_EQ((*heap)->collector()->name(), "concurrent");
    EXPECT_TRUE((*heap)->constraints().concurrent_marking);
    EXPECT_TRUE((*heap)->constraints().needs_write_barrier);
    const BarrierKind expected = barrier == DIJKSTRA ? BarrierKind::kDijkstra
                                 : barrier == YUASA  ? BarrierKind::kYuasa
                                                     : BarrierKind::kHybrid;
    EXPECT_EQ((*heap)->constraints().barrier, expected);
    Mutator* m = (*heap)->AttachCurrentThread();
    m->CollectGarbage();
    (*heap)->DetachCurrentThread(m);
    EXPECT_EQ((*heap)->stats().cycles().back().marker_threads, 2);
  }
}

TEST(RegistryConcurrentTest, RejectsInvalidParametersNamingTheField) {
  CollectorConfig config = CollectorConfigForName("concurrent").value();
  config.mutable_concurrent()->set_gogc(0);
  absl::StatusOr<std::unique_ptr<Collector>> c = MakeCollector(config);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("concurrent.gogc"), absl::string_view::npos);
  config = CollectorConfigForName("concurrent").value();
  config.mutable_concurrent()->set_marker_threads(0);
  c = MakeCollector(config);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("concurrent.marker_threads"), absl::string_view::npos);
}

}  // namespace
}  // namespace gclab
