// testkit: fixtures for tests that drive an Allocator directly, without a
// heap: patterned cells whose payload can be checked, and a walk of every
// allocated cell that detects overlaps. See heap_fixture.h for heaps.
#ifndef GCLAB_TESTKIT_ALLOCATOR_FIXTURE_H_
#define GCLAB_TESTKIT_ALLOCATOR_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "interfaces/allocator.h"
#include "object/object.h"
#include "object/type_descriptor.h"

namespace gclab {
namespace testkit {

// A data-array type (no pointers) so payloads can hold arbitrary patterns.
const TypeDescriptor* ByteArrayType();

// Allocates a cell of `size` bytes, writes its header (mark = epoch) and
// fills its payload with a pattern derived from `seed`. nullptr at the limit.
Object* NewObject(Allocator& a, AllocatorCache* cache, size_t size, uint8_t epoch, uint32_t seed);
void FillPattern(Object* o, uint32_t seed);
// True iff the payload still holds the pattern of `seed`.
bool CheckPattern(const Object* o, uint32_t seed);

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
