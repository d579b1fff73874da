// Interior pointers (object/object.h) keep their objects alive under every
// allocator x collector: an object referenced only by tagged pointers into
// its middle (roots, stack-object fields, heap fields; near and far from the
// header) survives collections intact, and is freed once they are gone.
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::gclab::testkit::MakeTestHeap;
using ::gclab::testkit::ScopedMutator;

Object* Word(uintptr_t w) { return reinterpret_cast<Object*>(w); }

// A tagged pointer to byte `offset` of o's payload.
Object* Interior(Object* o, size_t offset) {
  return Word(InteriorPointer(o, reinterpret_cast<uintptr_t>(o->payload()) + offset));
}

class InteriorPointerRootsTest
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(InteriorPointerRootsTest, InteriorPointersKeepObjectsAliveAndIntact) {
  const auto& [allocator, collector] = GetParam();
  auto heap = MakeTestHeap(allocator, collector);
  ScopedMutator m(heap.get());
  const TypeDescriptor* bytes = MakeDataArrayType("test_bytes", 1);
  const TypeDescriptor* holder = MakeRecordType("test_holder", 2, 0);
  HandleScope scope(m);
  // A small array reached through a root into its middle, a large one
  // (beyond the tag's reach) through a field of a heap object, whose only
  // reference is an interior pointer from a stack-region object.
  Object* small = m->Allocate(bytes, 1000).value();
  small->payload()[500] = 42;
  Local small_root(m, Interior(small, 500));
  Object* large = m->Allocate(bytes, kMaxTaggedDistance + 4096).value();
  RegisterLargeObject(large);
  large->payload()[kMaxTaggedDistance + 100] = 7;
  Object* h = m->Allocate(holder).value();
  m->Store(h, 8, Interior(large, kMaxTaggedDistance + 100));
  StackFrame frame(m);
  Object* stack_obj = m->StackAllocate(holder);
  ASSERT_NE(stack_obj, nullptr);
  m->Store(stack_obj, 0, Word(InteriorPointer(h, reinterpret_cast<uintptr_t>(h->payload()) + 8)));
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2000; ++j) ASSERT_TRUE(m->Allocate(bytes, 512).ok());  // garbage
    m->CollectGarbage();  // the verifier runs after each collection
  }
  EXPECT_EQ(ObjectStart(small_root.get()), small);
  EXPECT_EQ(small->payload()[500], 42);
  EXPECT_EQ(large->payload()[kMaxTaggedDistance + 100], 7);
  EXPECT_EQ(small->header().magic, kObjectMagic);
  EXPECT_EQ(large->header().magic, kObjectMagic);
  EXPECT_EQ(h->header().magic, kObjectMagic);
}

std::vector<std::tuple<std::string, std::string>> Pairs() {
  std::vector<std::tuple<std::string, std::string>> v;
  for (const std::string& a : KnownAllocatorNames())
    for (const std::string& c : KnownCollectorNames()) v.emplace_back(a, c);
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllModules, InteriorPointerRootsTest, ::testing::ValuesIn(Pairs()),
                         [](const auto& info) {
                           return absl::StrCat(std::get<0>(info.param), "_",
                                               std::get<1>(info.param));
                         });

}  // namespace
}  // namespace gclab
