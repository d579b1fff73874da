#include "allocators/free_list/free_list_allocator.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"
#include "testkit/allocator_fixture.h"

namespace gclab {
namespace {

using testkit::CheckPattern;
using testkit::NewObject;
using testkit::Walk;

std::unique_ptr<FreeListAllocator> Make(FreeListAllocatorConfig config = {}) {
  auto a = std::make_unique<FreeListAllocator>(config);
  AllocatorOptions options;
  options.poison_freed = true;
  EXPECT_TRUE(a->Initialize(options).ok());
  return a;
}

FreeListAllocatorConfig NoCache() {
  FreeListAllocatorConfig c;
  c.cache_max_bytes = 0;
  return c;
}

TEST(FreeListAllocatorTest, RejectsBadConfigNamingTheField) {
  std::vector<std::pair<FreeListAllocatorConfig, const char*>> cases(5);
  cases[0].first.arena_bytes = 3 << 20;
  cases[0].second = "arena_bytes";
  cases[1].first.large_object_bytes = 100;
  cases[1].second = "large_object_bytes";
  cases[2].first.cache_max_bytes = 1024;
  cases[2].second = "cache_max_bytes";
  cases[3].first.cache_blocks_per_size = 1;
  cases[3].second = "cache_blocks_per_size";
  cases[4].first.arenas_per_sweep_step = 0;
  cases[4].second = "arenas_per_sweep_step";
  for (const auto& [config, field] : cases) {
    FreeListAllocator a(config);
    absl::Status st = a.Initialize(AllocatorOptions());
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_NE(st.message().find(field), absl::string_view::npos) << st;
  }
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
  auto a = Make(NoCache());
  AllocatorCache* cache = a->NewCache();
  Object* p = NewObject(*a, cache, 64, 1, 0);
  Object* q = NewObject(*a, cache, 200, 1, 1);
  Object* r = NewObject(*a, cache, 1000, 1, 2);
  EXPECT_EQ(reinterpret_cast<char*>(q), reinterpret_cast<char*>(p) + 64);
  EXPECT_EQ(reinterpret_cast<char*>(r), reinterpret_cast<char*>(q) + 200);
  EXPECT_EQ(a->BinnedBlocksForTesting(), 1u);  // the arena's remainder
  a->DeleteCache(cache);
}

TEST(FreeListAllocatorTest, CacheReusesAFreedCellAtOnce) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  Object* p = NewObject(*a, cache, 64, 1, 0);
  a->Free(cache, p);
  EXPECT_EQ(NewObject(*a, cache, 64, 1, 1), p);
  a->DeleteCache(cache);
}

TEST(FreeListAllocatorTest, FreedMediumCellGoesToItsBin) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  Object* p = NewObject(*a, cache, 1000, 1, 0);
  Object* q = NewObject(*a, cache, 1000, 1, 1);
  a->Free(cache, p);
  EXPECT_EQ(NewObject(*a, cache, 1000, 1, 2), p);  // exact bin 125
  EXPECT_TRUE(CheckPattern(q, 1));
  a->DeleteCache(cache);
}

TEST(FreeListAllocatorTest, FreeDoesNotCoalesceTheSweepDoes) {
  auto a = Make(NoCache());
  AllocatorCache* cache = a->NewCache();
  Object* x = NewObject(*a, cache, 64, 1, 0);
  Object* y = NewObject(*a, cache, 64, 1, 1);
  Object* z = NewObject(*a, cache, 64, 1, 2);
  Object* w = NewObject(*a, cache, 64, 1, 3);  // keeps x..z apart from the tail
  a->Free(cache, x);
  a->Free(cache, y);
  a->Free(cache, z);
  Object* big = NewObject(*a, cache, 192, 1, 4);
  EXPECT_NE(big, x) << "Free coalesced without boundary tags?";
  EXPECT_EQ(NewObject(*a, cache, 64, 1, 5), z);  // LIFO within the exact bin
  a->Free(cache, z);
  w->header().mark.store(2);
  big->header().mark.store(2);
  a->PrepareForSweep(2);
  EXPECT_EQ(a->BinnedBlocksForTesting(), 0u);  // bins are rebuilt by the sweep
  a->FinishSweep();
  EXPECT_EQ(NewObject(*a, cache, 192, 2, 6), x) << "x, y, z not coalesced by the sweep";
  EXPECT_TRUE(CheckPattern(w, 3));
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
  a->DeleteCache(cache);
}

TEST(FreeListAllocatorTest, WhollyFreeArenasAreReleased) {
  FreeListAllocatorConfig config;
  config.retained_arenas = 0;
  auto a = Make(config);
  AllocatorCache* cache = a->NewCache();
  for (int i = 0; i < 60000; ++i) NewObject(*a, cache, 16 + 8 * (i % 60), 1, i);
  const size_t arenas = a->ArenaCountForTesting();
  EXPECT_GE(arenas, 10u);
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.units_released, arenas);
  EXPECT_EQ(st.units_swept, arenas);
  EXPECT_EQ(a->ArenaCountForTesting(), 0u);
  EXPECT_EQ(a->GetStats().mapped_bytes, 0u);
  a->DeleteCache(cache);
}

TEST(FreeListAllocatorTest, SixteenByteCellsWork) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  std::vector<Object*> v;
  for (int i = 0; i < 1000; ++i) v.push_back(NewObject(*a, cache, 16, 1, i));
  for (int i = 0; i < 1000; i += 2) a->Free(cache, v[i]);
  for (int i = 1; i < 1000; i += 2) v[i]->header().mark.store(2);
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.live_objects, 500u);
  auto walk = Walk(*a);
  EXPECT_EQ(walk.cells.size(), 500u);
  EXPECT_FALSE(walk.overlap);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
  a->DeleteCache(cache);
}

}  // namespace
}  // namespace gclab
