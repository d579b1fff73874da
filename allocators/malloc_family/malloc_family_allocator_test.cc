// The adapter's own behaviour, on each of the four back ends (the
// conformance suite, //allocators:allocator_conformance_test, covers the
// interface through the registry).
#include "allocators/malloc_family/malloc_family_allocator.h"

#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"
#include "testkit/allocator_fixture.h"

namespace gclab {
namespace {

using testkit::CheckPattern;
using testkit::TestAllocator;
using testkit::Walk;

template <typename A>
class MallocFamilyTest : public ::testing::Test {
 protected:
  static absl::StatusOr<std::unique_ptr<Allocator>> Make() { return std::make_unique<A>(); }
};

using Backends =
    ::testing::Types<GlibcMallocAllocator, JemallocAllocator, MimallocAllocator, TcmallocAllocator>;
class BackendNames {
 public:
  template <typename A>
  static std::string GetName(int) {
    return std::string(A().name());
  }
};
TYPED_TEST_SUITE(MallocFamilyTest, Backends, BackendNames);

TYPED_TEST(MallocFamilyTest, FreedCellWaitsForTheSweepPoisoned) {
  TestAllocator<TypeParam> a(this->Make());
  Object* keep = a.New(64, 1, 1);
  Object* gone = a.New(64, 1, 2);
  a.Free(gone);
  // Still held (and poisoned) until the sweep; no longer an object.
  EXPECT_EQ(gone->header().magic, kFreeMagic);
  EXPECT_EQ(static_cast<uint8_t>(gone->payload()[10]), kPoisonByte);
  EXPECT_EQ(a->GetStats().objects, 1u);
  EXPECT_EQ(Walk(*a).cells.size(), 1u);
  EXPECT_TRUE(a->Contains(gone));
  keep->header().mark.store(2);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.live_objects, 1u);
  EXPECT_EQ(st.freed_objects, 0u) << "Free counted the freed cell already";
  EXPECT_FALSE(a->Contains(gone));
  EXPECT_TRUE(CheckPattern(keep, 1));
}

TYPED_TEST(MallocFamilyTest, SparseSurvivorsAreMergedIntoFewChunks) {
  TestAllocator<TypeParam> a(this->Make());
  std::vector<Object*> cells;
  for (int i = 0; i < 50 * static_cast<int>(CellChunk::kCapacity); ++i) {
    cells.push_back(a.New(32, 1, i));
  }
  EXPECT_GE(a->ChunkCountForTesting(), 50u);
  for (size_t i = 0; i < cells.size(); i += 100) cells[i]->header().mark.store(2);
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.live_objects, (cells.size() + 99) / 100);
  // 255 survivors fit one chunk.
  EXPECT_EQ(a->ChunkCountForTesting(), 1u);
  EXPECT_GT(st.units_released, 40u);
  for (size_t i = 0; i < cells.size(); i += 100) EXPECT_TRUE(CheckPattern(cells[i], i));
}

TYPED_TEST(MallocFamilyTest, AllocationSweepsLazilyToStayWithinTheLimit) {
  // Heap limit 4 MiB, 3 MiB of garbage: without lazy sweeping the next 3 MiB
  // could not be allocated before FinishSweep.
  TestAllocator<TypeParam> a(this->Make(), testkit::TestAllocatorOptions(4 << 20, false));
  for (int i = 0; i < 3 * 1024; ++i) ASSERT_NE(a.New(1024, 1, i), nullptr);
  a->PrepareForSweep(2);
  for (int i = 0; i < 3 * 1024; ++i) ASSERT_NE(a.New(1024, 2, i), nullptr) << i;
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.freed_objects, 3u * 1024);
  EXPECT_LE(a->GetStats().mapped_bytes, size_t{4} << 20);
}

TYPED_TEST(MallocFamilyTest, SecondCacheAndDeletedCacheKeepTheirCells) {
  TestAllocator<TypeParam> a(this->Make());
  AllocatorCache* other = a->NewCache();
  std::vector<Object*> mine;
  for (int i = 0; i < 1000; ++i) mine.push_back(testkit::NewObject(*a, other, 48, 1, i));
  a->DeleteCache(other);
  EXPECT_EQ(Walk(*a).cells.size(), 1000u);
  for (Object* o : mine) o->header().mark.store(2);
  EXPECT_EQ(a.Sweep(2).live_objects, 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(CheckPattern(mine[i], i));
}

// All four libraries in one process: cells from each are disjoint, and none
// replaced the process's malloc (a std::vector's buffer is in none of them).
TEST(MallocFamilyCoexistenceTest, FourLibrariesInOneProcess) {
  TestAllocator<GlibcMallocAllocator> glibc(std::make_unique<GlibcMallocAllocator>());
  TestAllocator<JemallocAllocator> je(std::make_unique<JemallocAllocator>());
  TestAllocator<MimallocAllocator> mi(std::make_unique<MimallocAllocator>());
  TestAllocator<TcmallocAllocator> tc(std::make_unique<TcmallocAllocator>());
  std::vector<int> process_malloc(100);
  std::set<uintptr_t> seen;
  for (int i = 0; i < 100; ++i) {
    for (Object* o : {glibc.New(64, 1, i), je.New(64, 1, i), mi.New(64, 1, i), tc.New(64, 1, i)}) {
      ASSERT_NE(o, nullptr);
      EXPECT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(o)).second);
    }
  }
  for (Allocator* a : {static_cast<Allocator*>(&*glibc), static_cast<Allocator*>(&*je),
                       static_cast<Allocator*>(&*mi), static_cast<Allocator*>(&*tc)}) {
    EXPECT_FALSE(a->Contains(process_malloc.data())) << a->name();
  }
}

}  // namespace
}  // namespace gclab
