#include "workloads/gcbench.h"

#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

GcBenchParams Tiny(int threads) {
  GcBenchParams p;
  p.set_stretch_tree_depth(10);
  p.set_long_lived_tree_depth(8);
  p.set_array_size(5000);
  p.set_min_tree_depth(4);
  p.set_max_tree_depth(8);
  p.set_threads(threads);
  return p;
}

TEST(GcBenchTest, NumItersMatchesThePublishedFormula) {
  // 2 * TreeSize(18) / TreeSize(d), TreeSize(d) = 2^(d+1) - 1.
  EXPECT_EQ(GcBench::NumIters(18, 4), 2 * 524287 / 31);
  EXPECT_EQ(GcBench::NumIters(18, 16), 2 * 524287 / 131071);
}

TEST(GcBenchTest, SingleThreadedRunValidates) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  GcBench bench(Tiny(1));
  EXPECT_TRUE(bench.Run(heap.get(), 1).ok());
  EXPECT_GT(heap->stats().collections(), 0u);
  EXPECT_GT(heap->objects_allocated(), 2 * GcBench::NumIters(10, 4) * 31);
}

TEST(GcBenchTest, MultiThreadedRunValidates) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  GcBench bench(Tiny(3));
  EXPECT_TRUE(bench.Run(heap.get(), 1).ok());
}

TEST(GcBenchTest, OutOfMemoryIsReportedNotCrashed) {
  // The long-lived tree alone needs ~40 MiB; the limit is 8 MiB.
  auto heap =
      testkit::MakeTestHeap("size_class", "marksweep",
                            {.heap_limit_bytes = 8 * testkit::kMiB, .min_heap_bytes = 256 * 1024});
  GcBenchParams p = Tiny(1);
  p.set_long_lived_tree_depth(20);
  GcBench bench(p);
  absl::Status s = bench.Run(heap.get(), 1);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_EQ(StatusKind(s), "oom");
}

}  // namespace
}  // namespace gclab
