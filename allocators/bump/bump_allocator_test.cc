#include "allocators/bump/bump_allocator.h"

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
using TestBump = testkit::TestAllocator<BumpAllocator>;

TEST(BumpAllocatorTest, RejectsBadConfigNamingTheField) {
  struct Case {
    BumpAllocatorConfig config;
    const char* field;
  };
  std::vector<Case> cases(4);
  cases[0].config.region_bytes = 300 << 10;
  cases[0].field = "bump.region_bytes";
  cases[1].config.region_bytes = 32 << 10;
  cases[1].field = "bump.region_bytes";
  cases[2].config.large_object_bytes = 128 << 10;
  cases[2].field = "bump.large_object_bytes";
  cases[3].config.regions_per_sweep_step = 0;
  cases[3].field = "bump.regions_per_sweep_step";
  for (const Case& c : cases) {
    EXPECT_TRUE(IsInvalidArgumentNaming(NewBumpAllocator(c.config).status(), c.field));
  }
}

TEST(BumpAllocatorTest, RegistryPassesItsParamsToTheFactory) {
  AllocatorConfig config;
  config.mutable_bump()->set_region_bytes(3);
  EXPECT_TRUE(IsInvalidArgumentNaming(MakeAllocator(config).status(), "bump.region_bytes"));
  config.mutable_bump()->set_region_bytes(1 << 20);
  TestBump a(MakeAllocator(config));
  EXPECT_EQ(a->region_usable_bytes(), (1u << 20) - BumpAllocator::kRegionHeaderBytes);
}

TEST(BumpAllocatorTest, BumpsContiguouslyAndNeverStraddlesRegions) {
  TestBump a(NewBumpAllocator());
  const uintptr_t mask = ~(uintptr_t{256 << 10} - 1);
  uintptr_t prev_end = 0;
  size_t contiguous = 0;
  for (int i = 0; i < 20000; ++i) {
    const size_t size = 16 + 8 * (i % 50);
    Object* o = a.New(size, 1, i);
    const uintptr_t p = reinterpret_cast<uintptr_t>(o);
    EXPECT_EQ(p & mask, (p + size - 1) & mask) << "cell straddles a region boundary";
    EXPECT_GE(p - (p & mask), BumpAllocator::kRegionHeaderBytes);
    if (p == prev_end) ++contiguous;
    prev_end = p + size;
  }
  // All but the first cell of each region follow their predecessor directly.
  EXPECT_GE(contiguous, 20000u - a->RegionCountForTesting());
}

TEST(BumpAllocatorTest, CachesBumpIntoHolesInAddressOrder) {
  TestBump a(NewBumpAllocator());
  std::vector<Object*> old;
  for (int i = 0; i < 100; ++i) old.push_back(a.New(64, 1, i));
  for (int i = 0; i < 100; ++i) {
    if ((i / 10) % 2 == 0) old[i]->header().mark.store(2);  // live blocks of 10
  }
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.freed_objects, 50u);
  EXPECT_EQ(st.units_released, 0u);
  // The first hole is old[10..19], the second old[30..39], ...
  for (int hole = 0; hole < 2; ++hole) {
    for (int j = 0; j < 10; ++j) {
      Object* o = a.New(64, 2, 1000 + j);
      EXPECT_EQ(o, old[10 + 20 * hole + j]) << "hole " << hole << " cell " << j;
    }
  }
  for (int i = 0; i < 100; ++i) {
    if ((i / 10) % 2 == 0) {
      EXPECT_TRUE(CheckPattern(old[i], i));
    }
  }
}

TEST(BumpAllocatorTest, HoleTooSmallIsSkipped) {
  TestBump a(NewBumpAllocator());
  Object* keep1 = a.New(32, 1, 0);
  Object* dead = a.New(32, 1, 1);
  Object* keep2 = a.New(32, 1, 2);
  keep1->header().mark.store(2);
  keep2->header().mark.store(2);
  a.Sweep(2);
  // A 24-byte request cannot use the 32-byte hole (the 8 bytes left could not
  // hold a filler), so the cache skips it and bumps past `keep2`; the hole
  // stays a filler until the next sweep.
  Object* o = a.New(24, 2, 3);
  EXPECT_NE(o, dead);
  EXPECT_GT(reinterpret_cast<uintptr_t>(o), reinterpret_cast<uintptr_t>(keep2));
  auto walk = Walk(*a);
  EXPECT_FALSE(walk.overlap);
  EXPECT_EQ(walk.cells.size(), 3u);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
}

TEST(BumpAllocatorTest, FreeMakesAFillerReusedOnlyAfterTheSweep) {
  TestBump a(NewBumpAllocator());
  Object* x = a.New(64, 1, 0);
  Object* y = a.New(64, 1, 1);
  a.Free(x);
  EXPECT_EQ(x->header().magic, kFreeMagic);
  Object* z = a.New(64, 1, 2);
  EXPECT_EQ(reinterpret_cast<char*>(z), reinterpret_cast<char*>(y) + 64);  // no reuse yet
  EXPECT_EQ(Walk(*a).cells.size(), 2u);
  EXPECT_EQ(a->GetStats().in_use_bytes, 128u);
  y->header().mark.store(2);
  z->header().mark.store(2);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.freed_objects, 0u);  // x was already freed
  EXPECT_EQ(st.live_objects, 2u);
  EXPECT_EQ(a.New(64, 2, 3), x);  // the hole x left
}

TEST(BumpAllocatorTest, WhollyFreeRegionsAreReleased) {
  BumpAllocatorConfig config;
  config.retained_regions = 0;
  TestBump a(NewBumpAllocator(config));
  for (int i = 0; i < 40000; ++i) a.New(64, 1, i);
  const size_t regions = a->RegionCountForTesting();
  EXPECT_GE(regions, 10u);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.units_released, regions);
  EXPECT_EQ(a->RegionCountForTesting(), 0u);
  EXPECT_EQ(a->GetStats().mapped_bytes, 0u);
}

TEST(BumpAllocatorTest, LargeObjectsGetTheirOwnMapping) {
  TestBump a(NewBumpAllocator());
  Object* small = a.New(64, 1, 0);
  const size_t regions = a->RegionCountForTesting();
  Object* big = a.New(64 << 10, 1, 1);
  Object* big2 = a.New(300 << 10, 1, 2);
  EXPECT_EQ(a->RegionCountForTesting(), regions);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big) % kOsPageSize, 0u);
  EXPECT_TRUE(a->Contains(big2));
  small->header().mark.store(2);
  big2->header().mark.store(2);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.freed_objects, 1u);
  EXPECT_EQ(st.freed_bytes, 64u << 10);
  EXPECT_FALSE(a->Contains(big));
  EXPECT_TRUE(CheckPattern(big2, 2));
  a.Free(big2);
  EXPECT_FALSE(a->Contains(big2));
  EXPECT_EQ(a->GetStats().in_use_bytes, 64u);
}

}  // namespace
}  // namespace gclab
