// testkit: fixtures for tests that drive an Allocator directly, without a
// heap: an initialized allocator with a cache of its own, patterned cells
// whose payload can be checked, and a walk of every allocated cell that
// detects overlaps. See heap_fixture.h for heaps.
//
//   testkit::TestAllocator<BumpAllocator> a(NewBumpAllocator(config));
//   Object* o = a.New(64, /*epoch=*/1, /*seed=*/7);
//   o->header().mark.store(2);
//   SweepStats st = a.Sweep(/*live_epoch=*/2);
//   EXPECT_TRUE(testkit::CheckPattern(o, 7));
//   EXPECT_EQ(a->RegionCountForTesting(), 1u);
#ifndef GCLAB_TESTKIT_ALLOCATOR_FIXTURE_H_
#define GCLAB_TESTKIT_ALLOCATOR_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "object/type_descriptor.h"

namespace gclab {
namespace testkit {

// AllocatorOptions for tests: freed memory poisoned (VerifyFreeMemory checks
// it) unless `poison` is false.
AllocatorOptions TestAllocatorOptions(size_t heap_limit_bytes = AllocatorOptions().heap_limit_bytes,
                                      bool poison = true);

// The registry's allocator `name` with default parameters (registry/registry.h).
absl::StatusOr<std::unique_ptr<Allocator>> MakeRegistryAllocator(absl::string_view name);

// The allocator a factory made, initialized with `options`. Aborts the test
// binary with the status if the factory or Initialize failed (a test cannot
// go on without its allocator).
std::unique_ptr<Allocator> InitializedOrDie(absl::StatusOr<std::unique_ptr<Allocator>> made,
                                            const AllocatorOptions& options);

// Passes iff `status` is InvalidArgument and its message names `field`:
//   EXPECT_TRUE(IsInvalidArgumentNaming(NewBumpAllocator(c).status(), "bump.region_bytes"));
::testing::AssertionResult IsInvalidArgumentNaming(const absl::Status& status,
                                                   absl::string_view field);

// A data-array type (no pointers) so payloads can hold arbitrary patterns.
const TypeDescriptor* ByteArrayType();

// Allocates a cell of `size` bytes, writes its header (mark = epoch) and
// fills its payload with a pattern derived from `seed`. nullptr at the limit.
Object* NewObject(Allocator& a, AllocatorCache* cache, size_t size, uint8_t epoch, uint32_t seed);
void FillPattern(Object* o, uint32_t seed);
// True iff the payload still holds the pattern of `seed`.
bool CheckPattern(const Object* o, uint32_t seed);

// PrepareForSweep(live_epoch) then FinishSweep(): a whole sweep, world
// stopped, as a collector runs it after marking.
SweepStats Sweep(Allocator& a, uint8_t live_epoch);

// Aborts: `a` is not of the type a TestAllocator asked for.
[[noreturn]] void DieWrongAllocatorType(const Allocator& a);

// An initialized allocator, as its concrete type A (for *ForTesting hooks),
// with one cache of its own that is deleted before the allocator.
template <typename A = Allocator>
class TestAllocator {
 public:
  // `made` is a factory's result, e.g. NewBumpAllocator(config) or
  // MakeRegistryAllocator("bump"); aborts unless it is an A and initializes.
  explicit TestAllocator(absl::StatusOr<std::unique_ptr<Allocator>> made,
                         const AllocatorOptions& options = TestAllocatorOptions())
      : a_(Downcast(InitializedOrDie(std::move(made), options))), cache_(a_->NewCache()) {}
  ~TestAllocator() { DeleteCache(); }
  TestAllocator(const TestAllocator&) = delete;
  TestAllocator& operator=(const TestAllocator&) = delete;

  A* operator->() const { return a_.get(); }
  A& operator*() const { return *a_; }

  AllocatorCache* cache() const { return cache_; }
  // NewObject through the own cache.
  Object* New(size_t size, uint8_t epoch, uint32_t seed) const {
    return NewObject(*a_, cache_, size, epoch, seed);
  }
  // Free through the own cache.
  void Free(void* cell) const { a_->Free(cache_, cell); }
  SweepStats Sweep(uint8_t live_epoch) const { return testkit::Sweep(*a_, live_epoch); }
  // Deletes the own cache early (e.g. to check that stats survive it).
  void DeleteCache() {
    if (cache_ != nullptr) a_->DeleteCache(cache_);
    cache_ = nullptr;
  }

 private:
  static std::unique_ptr<A> Downcast(std::unique_ptr<Allocator> a) {
    A* typed = dynamic_cast<A*>(a.get());
    if (typed == nullptr) DieWrongAllocatorType(*a);
    a.release();
    return std::unique_ptr<A>(typed);
  }
  std::unique_ptr<A> a_;
  AllocatorCache* cache_;
};

// Detects overlapping [start, start+size) intervals.
class IntervalSet {
 public:
  // Returns false if [start, start+size) overlaps an interval already added.
  bool Add(uintptr_t start, size_t size);
  size_t size() const { return intervals_.size(); }

 private:
  std::map<uintptr_t, size_t> intervals_;
};

struct HeapWalk {
  std::map<uintptr_t, size_t> cells;  // address -> header size
  size_t bytes = 0;
  bool overlap = false;
};
// Collects ForEachObject's cells, checking that none overlap.
HeapWalk Walk(Allocator& a);

}  // namespace testkit
}  // namespace gclab

#endif  // GCLAB_TESTKIT_ALLOCATOR_FIXTURE_H_
