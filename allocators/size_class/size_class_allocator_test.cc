#include "allocators/size_class/size_class_allocator.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"
#include "testkit/allocator_fixture.h"

namespace gclab {
namespace {

using testkit::CheckPattern;
using testkit::IsInvalidArgumentNaming;
using testkit::NewObject;
using testkit::Walk;
using TestSizeClass = testkit::TestAllocator<SizeClassAllocator>;

TEST(SizeClassTableTest, EveryRequestGetsTheSmallestFittingClass) {
  int prev = 0;
  for (size_t size = 16; size <= kMaxSmallSize; size += 8) {
    const int cls = SizeToClass(size);
    ASSERT_GE(cls, 2);
    ASSERT_LT(cls, kNumSizeClasses);
    EXPECT_GE(SizeClassBytes(cls), size);
    if (cls > 2) {
      EXPECT_LT(SizeClassBytes(cls - 1), size);
    }
    EXPECT_GE(cls, prev);
    prev = cls;
  }
  EXPECT_EQ(SizeToClass(kMaxSmallSize), kNumSizeClasses - 1);
  for (int cls = 1; cls < kNumSizeClasses; ++cls) {
    EXPECT_GT(SizeClassBytes(cls), SizeClassBytes(cls - 1));
    EXPECT_GE(SizeClassPages(cls) * kSizeClassPageSize, SizeClassBytes(cls));
    EXPECT_EQ(SizeClassBytes(cls) % 8, 0u);
  }
}

TEST(SizeClassAllocatorTest, RejectsBadConfigNamingTheField) {
  SizeClassAllocatorConfig c1;
  c1.arena_bytes = 8 << 20;
  SizeClassAllocatorConfig c2;
  c2.spans_per_sweep_step = 0;
  for (const auto& [config, field] : {std::pair{c1, "size_class.arena_bytes"},
                                      std::pair{c2, "size_class.spans_per_sweep_step"}}) {
    EXPECT_TRUE(IsInvalidArgumentNaming(NewSizeClassAllocator(config).status(), field));
  }
}

TEST(SizeClassAllocatorTest, SlotsOfAClassAreStridedBySlotSize) {
  TestSizeClass a(NewSizeClassAllocator());
  // 56 bytes rounds up to the 64-byte class.
  Object* first = a.New(56, 1, 0);
  for (int i = 1; i < 100; ++i) {
    Object* o = a.New(56, 1, i);
    EXPECT_EQ(reinterpret_cast<char*>(o), reinterpret_cast<char*>(first) + 64 * i);
  }
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % kSizeClassPageSize, 0u);
  EXPECT_EQ(a->SpanCountForTesting(), 1u);  // 128 slots of 64 B in one page
}

TEST(SizeClassAllocatorTest, FreeInOwnSpanIsReusedAtOnce) {
  TestSizeClass a(NewSizeClassAllocator());
  Object* p = a.New(104, 1, 0);
  Object* q = a.New(104, 1, 1);
  a.Free(p);
  EXPECT_EQ(a.New(104, 1, 2), p);
  EXPECT_TRUE(CheckPattern(q, 1));
}

TEST(SizeClassAllocatorTest, FreeFromAnotherThreadsCacheWaitsForTheSweep) {
  TestSizeClass a(NewSizeClassAllocator());
  AllocatorCache* mine = a->NewCache();
  AllocatorCache* theirs = a->NewCache();
  Object* p = NewObject(*a, mine, 104, 1, 0);
  Object* q = NewObject(*a, mine, 104, 1, 1);
  a->Free(theirs, p);  // p's span is cached by `mine`: deferred
  EXPECT_EQ(p->header().magic, kFreeMagic);
  EXPECT_NE(NewObject(*a, mine, 104, 1, 2), p);
  auto walk = Walk(*a);
  EXPECT_EQ(walk.cells.count(reinterpret_cast<uintptr_t>(p)), 0u);
  EXPECT_EQ(walk.cells.size(), 2u);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
  a->ForEachObject([](Object* o) { o->header().mark.store(2); });
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.live_objects, 2u);
  EXPECT_EQ(st.freed_objects, 0u);               // p was already accounted for by Free
  EXPECT_EQ(NewObject(*a, mine, 104, 2, 3), p);  // lowest free slot after the sweep
  EXPECT_TRUE(CheckPattern(q, 1));
  a->DeleteCache(mine);
  a->DeleteCache(theirs);
}

TEST(SizeClassAllocatorTest, FreeInASweptCentralSpanClearsTheBit) {
  TestSizeClass a(NewSizeClassAllocator());
  AllocatorCache* c1 = a->NewCache();
  std::vector<Object*> v;
  for (int i = 0; i < 128; ++i) v.push_back(NewObject(*a, c1, 64, 1, i));  // fills a span
  Object* next = NewObject(*a, c1, 64, 1, 999);  // c1 moves to a second span
  EXPECT_NE(reinterpret_cast<uintptr_t>(next) / kSizeClassPageSize,
            reinterpret_cast<uintptr_t>(v[0]) / kSizeClassPageSize);
  a->Free(c1, v[7]);  // first span sits full in its mcentral: bit cleared now
  AllocatorCache* c2 = a->NewCache();
  EXPECT_EQ(NewObject(*a, c2, 64, 1, 1000), v[7]);  // c2 takes the partial span
  a->DeleteCache(c1);
  a->DeleteCache(c2);
}

TEST(SizeClassAllocatorTest, EmptySpansGoBackAndArenasAreReleased) {
  SizeClassAllocatorConfig config;
  config.retained_arenas = 0;
  TestSizeClass a(NewSizeClassAllocator(config));
  for (int i = 0; i < 20000; ++i) a.New(16 + 8 * (i % 200), 1, i);
  a.New(100 << 10, 1, 0);
  const size_t spans = a->SpanCountForTesting();
  EXPECT_GT(a->ArenaCountForTesting(), 1u);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.units_swept, spans);
  EXPECT_EQ(st.units_released, spans);
  EXPECT_EQ(a->SpanCountForTesting(), 0u);
  EXPECT_EQ(a->ArenaCountForTesting(), 0u);
  EXPECT_EQ(a->GetStats().mapped_bytes, 0u);
}

TEST(SizeClassAllocatorTest, FreePageRunsCoalesce) {
  TestSizeClass a(NewSizeClassAllocator());
  // 40 KiB -> 5-page large spans, carved in address order from one arena.
  Object* x = a.New(40 << 10, 1, 0);
  Object* y = a.New(40 << 10, 1, 1);
  Object* z = a.New(40 << 10, 1, 2);
  EXPECT_EQ(reinterpret_cast<char*>(y), reinterpret_cast<char*>(x) + 5 * kSizeClassPageSize);
  const size_t free_pages = a->FreePagesForTesting();
  a.Free(y);
  a.Free(x);
  EXPECT_EQ(a->FreePagesForTesting(), free_pages + 10);
  // Best fit: the coalesced 10-page run where x and y were.
  EXPECT_EQ(a.New(80 << 10, 1, 3), x);
  EXPECT_TRUE(CheckPattern(z, 2));
}

TEST(SizeClassAllocatorTest, ObjectLargerThanAnArena) {
  TestSizeClass a(NewSizeClassAllocator());
  Object* huge = a.New((3 << 20) + 8, 1, 7);
  ASSERT_NE(huge, nullptr);
  EXPECT_TRUE(a->Contains(reinterpret_cast<char*>(huge) + (3 << 20)));
  EXPECT_TRUE(CheckPattern(huge, 7));
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.freed_bytes, (3u << 20) + 8);
  EXPECT_FALSE(a->Contains(huge));
}

}  // namespace
}  // namespace gclab
