// The object model's size arithmetic: sizes that cannot exist are reported,
// never wrapped around (issue 9, defect 5).
#include "object/object.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace gclab {
namespace {

TEST(ObjectSizeForTest, RecordsAndArraysGetHeaderPlusAlignedPayload) {
  const TypeDescriptor* record = MakeRecordType("ObjectTestRecord", 2, 12);
  EXPECT_EQ(ObjectSizeFor(record), kHeaderSize + 32);
  const TypeDescriptor* bytes = MakeDataArrayType("ObjectTestBytes", 1);
  EXPECT_EQ(ObjectSizeFor(bytes, 0), kHeaderSize);
  EXPECT_EQ(ObjectSizeFor(bytes, 9), kHeaderSize + 16);
}

// Pins defect 5: 8 * (2^61 + 1) wrapped to 8, so the array was allocated as
// a 24-byte cell and its elements were written past the end.
TEST(ObjectSizeForTest, AnArrayWhoseSizeOverflowsIsReportedAsOverflow) {
  const TypeDescriptor* pointers = MakePointerArrayType("ObjectTestPointers");
  EXPECT_EQ(ObjectSizeFor(pointers, (size_t{1} << 61) + 1), kObjectSizeOverflow);
  EXPECT_EQ(ObjectSizeFor(pointers, ~size_t{0}), kObjectSizeOverflow);
  // No overflow in the product, but header + payload would wrap.
  const TypeDescriptor* bytes = MakeDataArrayType("ObjectTestBytes2", 1);
  EXPECT_EQ(ObjectSizeFor(bytes, ~size_t{0} - 4), kObjectSizeOverflow);
  EXPECT_GT(kObjectSizeOverflow, kMaxObjectSize);
}

// Pins defect 5: array_length() divided by element_size, which may be 0.
TEST(ObjectTest, ArrayOfZeroSizeElementsHasLengthZero) {
  const TypeDescriptor* empty = MakeDataArrayType("ObjectTestEmptyElements", 0);
  std::vector<uint64_t> cell(ObjectSizeFor(empty, 100) / 8);
  Object* obj = InitializeObject(cell.data(), empty, ObjectSizeFor(empty, 100), 1, 0);
  EXPECT_EQ(obj->size(), kHeaderSize);
  EXPECT_EQ(obj->array_length(), 0u);
}

}  // namespace
}  // namespace gclab
