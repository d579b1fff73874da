// ObjectStart / InteriorPointer (object/object.h) and record arrays.
#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"

namespace gclab {
namespace {

// An 8-aligned cell of `bytes` bytes initialized as an object of `type`.
Object* NewCell(std::vector<uint64_t>& storage, const TypeDescriptor* type, size_t length) {
  const size_t size = ObjectSizeFor(type, length);
  storage.assign(size / 8 + 1, 0);
  return InitializeObject(storage.data(), type, size, /*epoch=*/1, /*flags=*/0);
}

Object* Word(uintptr_t w) { return reinterpret_cast<Object*>(w); }

TEST(InteriorPointerTest, ObjectAddressesAndNullDecodeToThemselves) {
  std::vector<uint64_t> storage;
  Object* o = NewCell(storage, MakeRecordType("two_pointers", 2, 8), 0);
  EXPECT_EQ(ObjectStart(o), o);
  EXPECT_EQ(ObjectStart(nullptr), nullptr);
}

TEST(InteriorPointerTest, EveryByteOfThePayloadDecodesToTheObject) {
  std::vector<uint64_t> storage;
  Object* o = NewCell(storage, MakeDataArrayType("bytes", 1), 1000);
  const uintptr_t start = reinterpret_cast<uintptr_t>(o);
  for (uintptr_t a = start; a <= start + o->size(); ++a) {
    const uintptr_t w = InteriorPointer(o, a);
    ASSERT_EQ(InteriorAddress(w), a);
    ASSERT_EQ(ObjectStart(Word(w)), o) << "offset " << a - start;
  }
}

TEST(InteriorPointerTest, DistancesBeyondTheTagUseTheLargeObjectRegistry) {
  std::vector<uint64_t> storage;
  Object* o = NewCell(storage, MakeDataArrayType("big_bytes", 1), kMaxTaggedDistance + 4096);
  RegisterLargeObject(o);
  const uintptr_t start = reinterpret_cast<uintptr_t>(o);
  for (uintptr_t d : {uintptr_t{16}, kMaxTaggedDistance - 8, kMaxTaggedDistance - 1,
                      kMaxTaggedDistance, kMaxTaggedDistance + 1, uintptr_t{o->size()}}) {
    const uintptr_t w = InteriorPointer(o, start + d);
    EXPECT_EQ(w >> kInteriorTagShift == kLargeOffsetTag, d >= kMaxTaggedDistance) << d;
    EXPECT_EQ(ObjectStart(Word(w)), o) << "distance " << d;
  }
}

TEST(InteriorPointerTest, RegisteringAnOverlappingObjectForgetsTheDeadOne) {
  std::vector<uint64_t> storage;
  Object* big = NewCell(storage, MakeDataArrayType("big", 1), 3 * kMaxTaggedDistance);
  RegisterLargeObject(big);
  const uintptr_t start = reinterpret_cast<uintptr_t>(big);
  // The memory is reused: a second large object starts inside the first.
  Object* second = reinterpret_cast<Object*>(start + kMaxTaggedDistance + 8 * 100);
  InitializeObject(second, MakeDataArrayType("second", 1), kMaxTaggedDistance + 64, 1, 0);
  RegisterLargeObject(second);
  const uintptr_t in_second = reinterpret_cast<uintptr_t>(second) + kMaxTaggedDistance + 8;
  EXPECT_EQ(ObjectStart(Word(InteriorPointer(second, in_second))), second);
  EXPECT_EQ(FindLargeObject(start + 2 * kMaxTaggedDistance + 900 * 8), nullptr);
}

TEST(RecordArrayTest, VisitsThePointersOfEveryElement) {
  // []struct{ name string; next *T; n int }: pointers at 0 and 16 of 32 bytes.
  const TypeDescriptor* t = MakeRecordArrayType("[]entry", 32, {0, 16});
  std::vector<uint64_t> storage;
  Object* o = NewCell(storage, t, 3);
  EXPECT_EQ(o->payload_size(), 96u);
  EXPECT_EQ(o->array_length(), 3u);
  std::vector<uint32_t> offsets;
  o->ForEachPointerSlot([&](Object** slot) {
    offsets.push_back(static_cast<uint32_t>(reinterpret_cast<char*>(slot) - o->payload()));
  });
  EXPECT_EQ(offsets, (std::vector<uint32_t>{0, 16, 32, 48, 64, 80}));
  EXPECT_TRUE(t->has_pointers());
  EXPECT_TRUE(t->is_array());
}

}  // namespace
}  // namespace gclab
