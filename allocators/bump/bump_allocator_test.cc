#include "allocators/bump/bump_allocator.h"

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

std::unique_ptr<BumpAllocator> Make(BumpAllocatorConfig config = {}, bool poison = true) {
  auto a = std::make_unique<BumpAllocator>(config);
  AllocatorOptions options;
  options.poison_freed = poison;
  EXPECT_TRUE(a->Initialize(options).ok());
  return a;
}

TEST(BumpAllocatorTest, RejectsBadConfigNamingTheField) {
  struct Case {
    BumpAllocatorConfig config;
    const char* field;
  };
  std::vector<Case> cases(4);
  cases[0].config.region_bytes = 300 << 10;
  cases[0].field = "region_bytes";
  cases[1].config.region_bytes = 32 << 10;
  cases[1].field = "region_bytes";
  cases[2].config.large_object_bytes = 128 << 10;
  cases[2].field = "large_object_bytes";
  cases[3].config.regions_per_sweep_step = 0;
  cases[3].field = "regions_per_sweep_step";
  for (const Case& c : cases) {
    BumpAllocator a(c.config);
    absl::Status st = a.Initialize(AllocatorOptions());
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(st.message().find(c.field), absl::string_view::npos) << st;
  }
}

TEST(BumpAllocatorTest, BumpsContiguouslyAndNeverStraddlesRegions) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  const uintptr_t mask = ~(uintptr_t{256 << 10} - 1);
  uintptr_t prev_end = 0;
  size_t contiguous = 0;
  for (int i = 0; i < 20000; ++i) {
    const size_t size = 16 + 8 * (i % 50);
    Object* o = NewObject(*a, cache, size, 1, i);
    const uintptr_t p = reinterpret_cast<uintptr_t>(o);
    EXPECT_EQ(p & mask, (p + size - 1) & mask) << "cell straddles a region boundary";
    EXPECT_GE(p - (p & mask), BumpAllocator::kRegionHeaderBytes);
    if (p == prev_end) ++contiguous;
    prev_end = p + size;
  }
  // All but the first cell of each region follow their predecessor directly.
  EXPECT_GE(contiguous, 20000u - a->RegionCountForTesting());
  a->DeleteCache(cache);
}

TEST(BumpAllocatorTest, CachesBumpIntoHolesInAddressOrder) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  std::vector<Object*> old;
  for (int i = 0; i < 100; ++i) old.push_back(NewObject(*a, cache, 64, 1, i));
  for (int i = 0; i < 100; ++i) {
    if ((i / 10) % 2 == 0) old[i]->header().mark.store(2);  // live blocks of 10
  }
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.freed_objects, 50u);
  EXPECT_EQ(st.units_released, 0u);
  // The first hole is old[10..19], the second old[30..39], ...
  for (int hole = 0; hole < 2; ++hole) {
    for (int j = 0; j < 10; ++j) {
      Object* o = NewObject(*a, cache, 64, 2, 1000 + j);
      EXPECT_EQ(o, old[10 + 20 * hole + j]) << "hole " << hole << " cell " << j;
    }
  }
  for (int i = 0; i < 100; ++i) {
    if ((i / 10) % 2 == 0) {
      EXPECT_TRUE(CheckPattern(old[i], i));
    }
  }
  a->DeleteCache(cache);
}

TEST(BumpAllocatorTest, HoleTooSmallIsSkipped) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  Object* keep1 = NewObject(*a, cache, 32, 1, 0);
  Object* dead = NewObject(*a, cache, 32, 1, 1);
  Object* keep2 = NewObject(*a, cache, 32, 1, 2);
  keep1->header().mark.store(2);
  keep2->header().mark.store(2);
  a->PrepareForSweep(2);
  a->FinishSweep();
  // A 24-byte request cannot use the 32-byte hole (the 8 bytes left could not
  // hold a filler), so the cache skips it and bumps past `keep2`; the hole
  // stays a filler until the next sweep.
  Object* o = NewObject(*a, cache, 24, 2, 3);
  EXPECT_NE(o, dead);
  EXPECT_GT(reinterpret_cast<uintptr_t>(o), reinterpret_cast<uintptr_t>(keep2));
  auto walk = Walk(*a);
  EXPECT_FALSE(walk.overlap);
  EXPECT_EQ(walk.cells.size(), 3u);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
  a->DeleteCache(cache);
}

TEST(BumpAllocatorTest, FreeMakesAFillerReusedOnlyAfterTheSweep) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  Object* x = NewObject(*a, cache, 64, 1, 0);
  Object* y = NewObject(*a, cache, 64, 1, 1);
  a->Free(cache, x);
  EXPECT_EQ(x->header().magic, kFreeMagic);
  Object* z = NewObject(*a, cache, 64, 1, 2);
  EXPECT_EQ(reinterpret_cast<char*>(z), reinterpret_cast<char*>(y) + 64);  // no reuse yet
  EXPECT_EQ(Walk(*a).cells.size(), 2u);
  EXPECT_EQ(a->GetStats().in_use_bytes, 128u);
  y->header().mark.store(2);
  z->header().mark.store(2);
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.freed_objects, 0u);  // x was already freed
  EXPECT_EQ(st.live_objects, 2u);
  EXPECT_EQ(NewObject(*a, cache, 64, 2, 3), x);  // the hole x left
  a->DeleteCache(cache);
}

TEST(BumpAllocatorTest, WhollyFreeRegionsAreReleased) {
  BumpAllocatorConfig config;
  config.retained_regions = 0;
  auto a = Make(config);
  AllocatorCache* cache = a->NewCache();
  for (int i = 0; i < 40000; ++i) NewObject(*a, cache, 64, 1, i);
  const size_t regions = a->RegionCountForTesting();
  EXPECT_GE(regions, 10u);
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.units_released, regions);
  EXPECT_EQ(a->RegionCountForTesting(), 0u);
  EXPECT_EQ(a->GetStats().mapped_bytes, 0u);
  a->DeleteCache(cache);
}

TEST(BumpAllocatorTest, LargeObjectsGetTheirOwnMapping) {
  auto a = Make();
  AllocatorCache* cache = a->NewCache();
  Object* small = NewObject(*a, cache, 64, 1, 0);
  const size_t regions = a->RegionCountForTesting();
  Object* big = NewObject(*a, cache, 64 << 10, 1, 1);
  Object* big2 = NewObject(*a, cache, 300 << 10, 1, 2);
  EXPECT_EQ(a->RegionCountForTesting(), regions);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big) % kOsPageSize, 0u);
  EXPECT_TRUE(a->Contains(big2));
  small->header().mark.store(2);
  big2->header().mark.store(2);
  a->PrepareForSweep(2);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.freed_objects, 1u);
  EXPECT_EQ(st.freed_bytes, 64u << 10);
  EXPECT_FALSE(a->Contains(big));
  EXPECT_TRUE(CheckPattern(big2, 2));
  a->Free(cache, big2);
  EXPECT_FALSE(a->Contains(big2));
  EXPECT_EQ(a->GetStats().in_use_bytes, 64u);
  a->DeleteCache(cache);
}

}  // namespace
}  // namespace gclab
