#include "allocators/free_list/free_list_allocator.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"
#include "registry/registry.h"
#include "testkit/allocator_fixture.h"

namespace gclab {
namespace {

using testkit::CheckPattern;
using testkit::IsInvalidArgumentNaming;
using testkit::Walk;
using TestFreeList = testkit::TestAllocator<FreeListAllocator>;

FreeListAllocatorConfig NoCache() {
  FreeListAllocatorConfig c;
  c.cache_max_bytes = 0;
  return c;
}

TEST(FreeListAllocatorTest, RejectsBadConfigNamingTheField) {
  std::vector<std::pair<FreeListAllocatorConfig, const char*>> cases(5);
  cases[0].first.arena_bytes = 3 << 20;
  cases[0].second = "free_list.arena_bytes";
  cases[1].first.large_object_bytes = 100;
  cases[1].second = "free_list.large_object_bytes";
  cases[2].first.cache_max_bytes = 1024;
  cases[2].second = "free_list.cache_max_bytes";
  cases[3].first.cache_blocks_per_size = 1;
  cases[3].second = "free_list.cache_blocks_per_size";
  cases[4].first.arenas_per_sweep_step = 0;
  cases[4].second = "free_list.arenas_per_sweep_step";
  for (const auto& [config, field] : cases) {
    EXPECT_TRUE(IsInvalidArgumentNaming(NewFreeListAllocator(config).status(), field));
  }
}

TEST(FreeListAllocatorTest, RegistryPassesItsParamsToTheFactory) {
  AllocatorConfig config;
  config.mutable_free_list()->set_arena_bytes(3 << 20);
  EXPECT_TRUE(IsInvalidArgumentNaming(MakeAllocator(config).status(), "free_list.arena_bytes"));
  config.mutable_free_list()->set_arena_bytes(256 << 10);
  TestFreeList a(MakeAllocator(config));
  EXPECT_EQ(a->arena_usable_bytes(), (256u << 10) - FreeListAllocator::kArenaHeaderBytes);
}

TEST(FreeListAllocatorTest, BinIndex) {
  EXPECT_EQ(FreeListAllocator::BinIndex(24), 3u);
  EXPECT_EQ(FreeListAllocator::BinIndex(512), 64u);
  EXPECT_EQ(FreeListAllocator::BinIndex(2048), 256u);
  EXPECT_EQ(FreeListAllocator::BinIndex(2056), 257u);
  EXPECT_EQ(FreeListAllocator::BinIndex(4088), 257u);
  EXPECT_EQ(FreeListAllocator::BinIndex(4096), 258u);
  EXPECT_EQ(FreeListAllocator::BinIndex(8192), 259u);
  EXPECT_LT(FreeListAllocator::BinIndex(1 << 20), FreeListAllocator::kNumBins);
  for (size_t s = 24; s < (1 << 20); s += 8) {
    EXPECT_LE(FreeListAllocator::BinIndex(s), FreeListAllocator::BinIndex(s + 8));
  }
}

TEST(FreeListAllocatorTest, SplitsBlocksAddressOrdered) {
  TestFreeList a(NewFreeListAllocator(NoCache()));
  Object* p = a.New(64, 1, 0);
  Object* q = a.New(200, 1, 1);
  Object* r = a.New(1000, 1, 2);
  EXPECT_EQ(reinterpret_cast<char*>(q), reinterpret_cast<char*>(p) + 64);
  EXPECT_EQ(reinterpret_cast<char*>(r), reinterpret_cast<char*>(q) + 200);
  EXPECT_EQ(a->BinnedBlocksForTesting(), 1u);  // the arena's remainder
}

TEST(FreeListAllocatorTest, CacheReusesAFreedCellAtOnce) {
  TestFreeList a(NewFreeListAllocator());
  Object* p = a.New(64, 1, 0);
  a.Free(p);
  EXPECT_EQ(a.New(64, 1, 1), p);
}

TEST(FreeListAllocatorTest, FreedMediumCellGoesToItsBin) {
  TestFreeList a(NewFreeListAllocator());
  Object* p = a.New(1000, 1, 0);
  Object* q = a.New(1000, 1, 1);
  a.Free(p);
  EXPECT_EQ(a.New(1000, 1, 2), p);  // exact bin 125
  EXPECT_TRUE(CheckPattern(q, 1));
}

TEST(FreeListAllocatorTest, FreeDoesNotCoalesceTheSweepDoes) {
  TestFreeList a(NewFreeListAllocator(NoCache()));
  Object* x = a.New(64, 1, 0);
  Object* y = a.New(64, 1, 1);
  Object* z = a.New(64, 1, 2);
  Object* w = a.New(64, 1, 3);  // keeps x..z apart from the tail
  a.Free(x);
  a.Free(y);
  a.Free(z);
  Object* big = a.New(192, 1, 4);
  EXPECT_NE(big, x) << "Free coalesced without boundary tags?";
  EXPECT_EQ(a.New(64, 1, 5), z);  // LIFO within the exact bin
  a.Free(z);
  w->header().mark.store(2);
  big->header().mark.store(2);
  a->PrepareForSweep(2);
  EXPECT_EQ(a->BinnedBlocksForTesting(), 0u);  // bins are rebuilt by the sweep
  a->FinishSweep();
  EXPECT_EQ(a.New(192, 2, 6), x) << "x, y, z not coalesced by the sweep";
  EXPECT_TRUE(CheckPattern(w, 3));
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
}

TEST(FreeListAllocatorTest, WhollyFreeArenasAreReleased) {
  FreeListAllocatorConfig config;
  config.retained_arenas = 0;
  TestFreeList a(NewFreeListAllocator(config));
  for (int i = 0; i < 60000; ++i) a.New(16 + 8 * (i % 60), 1, i);
  const size_t arenas = a->ArenaCountForTesting();
  EXPECT_GE(arenas, 10u);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.units_released, arenas);
  EXPECT_EQ(st.units_swept, arenas);
  EXPECT_EQ(a->ArenaCountForTesting(), 0u);
  EXPECT_EQ(a->GetStats().mapped_bytes, 0u);
}

TEST(FreeListAllocatorTest, SixteenByteCellsWork) {
  TestFreeList a(NewFreeListAllocator());
  std::vector<Object*> v;
  for (int i = 0; i < 1000; ++i) v.push_back(a.New(16, 1, i));
  for (int i = 0; i < 1000; i += 2) a.Free(v[i]);
  for (int i = 1; i < 1000; i += 2) v[i]->header().mark.store(2);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.live_objects, 500u);
  auto walk = Walk(*a);
  EXPECT_EQ(walk.cells.size(), 500u);
  EXPECT_FALSE(walk.overlap);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
}

}  // namespace
}  // namespace gclab
