#include "testkit/allocator_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "registry/registry.h"

namespace gclab {
namespace testkit {

AllocatorOptions TestAllocatorOptions(size_t heap_limit_bytes, bool poison) {
  AllocatorOptions options;
  options.heap_limit_bytes = heap_limit_bytes;
  options.poison_freed = poison;
  return options;
}

absl::StatusOr<std::unique_ptr<Allocator>> MakeRegistryAllocator(absl::string_view name) {
  absl::StatusOr<AllocatorConfig> config = AllocatorConfigForName(name);
  if (!config.ok()) return config.status();
  return MakeAllocator(*config);
}

std::unique_ptr<Allocator> InitializedOrDie(absl::StatusOr<std::unique_ptr<Allocator>> made,
                                            const AllocatorOptions& options) {
  absl::Status status = made.status();
  if (status.ok()) status = (*made)->Initialize(options);
  if (!status.ok()) {
    std::fprintf(stderr, "testkit: cannot make the allocator under test: %s\n",
                 status.ToString().c_str());
    std::abort();
  }
  return *std::move(made);
}

void DieWrongAllocatorType(const Allocator& a) {
  std::fprintf(stderr, "testkit: allocator '%s' is not of the type the test asked for\n",
               std::string(a.name()).c_str());
  std::abort();
}

::testing::AssertionResult IsInvalidArgumentNaming(const absl::Status& status,
                                                   absl::string_view field) {
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return ::testing::AssertionFailure()
           << "expected InvalidArgument naming " << field << ", got " << status;
  }
  if (status.message().find(field) == absl::string_view::npos) {
    return ::testing::AssertionFailure() << "message does not name " << field << ": " << status;
  }
  return ::testing::AssertionSuccess();
}

SweepStats Sweep(Allocator& a, uint8_t live_epoch) {
  a.PrepareForSweep(live_epoch);
  return a.FinishSweep();
}

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
