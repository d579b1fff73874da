#include "testkit/allocator_fixture.h"

#include <cstring>

namespace gclab {
namespace testkit {

const TypeDescriptor* ByteArrayType() {
  static const TypeDescriptor* t = MakeDataArrayType("alloc_test_bytes", 1);
  return t;
}

void FillPattern(Object* o, uint32_t seed) {
  char* p = o->payload();
  const size_t n = o->payload_size();
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    p[i] = static_cast<char>(x >> 24);
  }
}

bool CheckPattern(const Object* o, uint32_t seed) {
  const char* p = o->payload();
  const size_t n = o->payload_size();
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    if (p[i] != static_cast<char>(x >> 24)) return false;
  }
  return true;
}

Object* NewObject(Allocator& a, AllocatorCache* cache, size_t size, uint8_t epoch, uint32_t seed) {
  void* cell = a.Allocate(cache, size);
  if (cell == nullptr) return nullptr;
  Object* o = InitializeObject(cell, ByteArrayType(), size, epoch, 0);
  FillPattern(o, seed);
  return o;
}

bool IntervalSet::Add(uintptr_t start, size_t size) {
  auto next = intervals_.lower_bound(start);
  if (next != intervals_.end() && next->first < start + size) return false;
  if (next != intervals_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second > start) return false;
  }
  intervals_.emplace(start, size);
  return true;
}

HeapWalk Walk(Allocator& a) {
  HeapWalk w;
  IntervalSet set;
  a.ForEachObject([&](Object* o) {
    const uintptr_t p = reinterpret_cast<uintptr_t>(o);
    if (!set.Add(p, o->size())) w.overlap = true;
    if (!w.cells.emplace(p, o->size()).second) w.overlap = true;
    w.bytes += o->size();
  });
  return w;
}

}  // namespace testkit
}  // namespace gclab
