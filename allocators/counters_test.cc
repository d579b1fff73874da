#include "allocators/counters.h"

#include <vector>

#include "gtest/gtest.h"

namespace gclab {
namespace {

struct TestCache {
  CacheCounters counters;
  CacheCounters slots;
};

TEST(CountersTest, SumAddsLiveCachesRetiredCachesAndSharedFrees) {
  AllocationCounters shared;
  TestCache a, b, gone;
  a.counters.CountAllocation(100);
  a.counters.CountAllocation(20);
  b.counters.CountAllocation(48);
  b.counters.CountFree(20);
  gone.counters.CountAllocation(1000);
  gone.counters.CountFree(16);
  shared.Retire(gone.counters);
  shared.CountFreed(100, 1);
  const std::vector<const TestCache*> caches = {&a, &b};
  const CellTotals t = shared.Sum(caches);
  EXPECT_EQ(t.alloc_bytes, 100u + 20 + 48 + 1000);
  EXPECT_EQ(t.alloc_objects, 4u);
  EXPECT_EQ(t.freed_bytes, 20u + 16 + 100);
  EXPECT_EQ(t.freed_objects, 3u);
  EXPECT_EQ(t.in_use_bytes(), 1168u - 136u);
  EXPECT_EQ(t.objects(), 1u);
}

TEST(CountersTest, SumOfASecondCounterSetPerCache) {
  AllocationCounters slots;
  TestCache a;
  a.counters.CountAllocation(40);
  a.slots.alloc_bytes.Add(48);
  const std::vector<const TestCache*> caches = {&a};
  const CellTotals t =
      slots.Sum(caches, [](const TestCache* c) -> const CacheCounters& { return c->slots; });
  EXPECT_EQ(t.alloc_bytes, 48u);
  EXPECT_EQ(t.alloc_objects, 0u);
}

TEST(CountersTest, InUseNeverWrapsAround) {
  CellTotals t;
  t.alloc_bytes = 10;
  t.freed_bytes = 30;  // a GetStats that saw a sweep's free before the allocation
  t.alloc_objects = 1;
  t.freed_objects = 2;
  EXPECT_EQ(t.in_use_bytes(), 0u);
  EXPECT_EQ(t.objects(), 0u);
}

TEST(CountersTest, UnitAllocatorStatsAddsLargeCellsAndLeavesTheRestFree) {
  CellTotals cells;
  cells.alloc_bytes = 1000;
  cells.alloc_objects = 10;
  cells.freed_bytes = 200;
  cells.freed_objects = 2;
  const AllocatorStats st = UnitAllocatorStats(cells, /*capacity_bytes=*/4096,
                                               /*mapped_bytes=*/8192, /*large_bytes=*/70000,
                                               /*large_objects=*/1);
  EXPECT_EQ(st.mapped_bytes, 8192u);
  EXPECT_EQ(st.in_use_bytes, 800u + 70000);
  EXPECT_EQ(st.objects, 9u);
  EXPECT_EQ(st.free_bytes, 4096u - 800);
}

TEST(CountersTest, AccumulateAddsEveryField) {
  SweepStats total{1, 2, 3, 4, 5, 6};
  Accumulate(SweepStats{10, 20, 30, 40, 50, 60}, &total);
  EXPECT_EQ(total.live_objects, 11u);
  EXPECT_EQ(total.live_bytes, 22u);
  EXPECT_EQ(total.freed_objects, 33u);
  EXPECT_EQ(total.freed_bytes, 44u);
  EXPECT_EQ(total.units_swept, 55u);
  EXPECT_EQ(total.units_released, 66u);
}

}  // namespace
}  // namespace gclab
