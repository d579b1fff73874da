#include "allocators/cell_walk.h"

#include <cstring>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"

namespace gclab {
namespace {

// A 256-byte unit: object (64) | filler (96) | object (32) | filler (64).
class CellWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::memset(unit_, 0, sizeof(unit_));
    WriteObject(0, 64, /*mark=*/1);
    WriteFiller(unit_ + 64, 96);
    PoisonBytes(unit_ + 64 + kHeaderSize, 96 - kHeaderSize, true);
    WriteObject(160, 32, /*mark=*/2);
    WriteFiller(unit_ + 192, 64);
    PoisonBytes(unit_ + 192 + kHeaderSize, 64 - kHeaderSize, true);
  }
  void WriteObject(size_t offset, size_t size, uint8_t mark) {
    ObjectHeader* h = HeaderAt(unit_ + offset);
    h->type = nullptr;
    h->size = static_cast<uint32_t>(size);
    h->mark.store(mark);
    h->flags = 0;
    h->magic = kObjectMagic;
  }
  char* begin() { return unit_; }
  char* end() { return unit_ + sizeof(unit_); }

  alignas(16) char unit_[256];
};

TEST_F(CellWalkTest, VisitsEveryCellInAddressOrder) {
  std::vector<std::pair<size_t, size_t>> cells;  // offset, size
  EXPECT_EQ(WalkCellRange(
                begin(), end(),
                [&](char* p, ObjectHeader*, size_t size) { cells.emplace_back(p - unit_, size); }),
            nullptr);
  EXPECT_EQ(cells,
            (std::vector<std::pair<size_t, size_t>>{{0, 64}, {64, 96}, {160, 32}, {192, 64}}));
}

TEST_F(CellWalkTest, StopsAtTheFirstCellThatDoesNotParse) {
  HeaderAt(unit_ + 160)->size = 20;  // not a multiple of kObjectAlignment
  int visited = 0;
  EXPECT_EQ(WalkCellRange(begin(), end(), [&](char*, ObjectHeader*, size_t) { ++visited; }),
            unit_ + 160);
  EXPECT_EQ(visited, 2);
  HeaderAt(unit_ + 160)->size = 128;  // beyond the end of the unit
  EXPECT_EQ(WalkCellRange(begin(), end(), [](char*, ObjectHeader*, size_t) {}), unit_ + 160);
  HeaderAt(unit_ + 160)->size = 32;
  HeaderAt(unit_ + 160)->magic = 0x1234;  // neither object nor filler
  EXPECT_EQ(WalkCellRange(begin(), end(), [](char*, ObjectHeader*, size_t) {}), unit_ + 160);
}

TEST_F(CellWalkTest, ForEachObjectInRangeSkipsFillers) {
  std::vector<char*> objects;
  ForEachObjectInRange(begin(), end(),
                       [&](Object* o) { objects.push_back(reinterpret_cast<char*>(o)); });
  EXPECT_EQ(objects, (std::vector<char*>{unit_, unit_ + 160}));
}

TEST_F(CellWalkTest, VerifierNamesTheUnparseableCellAndItsUnit) {
  const FreeMemoryVerifier verifier("test", "region", /*poison=*/true);
  EXPECT_TRUE(verifier.CheckRange(unit_, begin(), end()).ok());
  HeaderAt(unit_ + 64)->magic = 0x1234;
  absl::Status st = verifier.CheckRange(unit_, begin(), end());
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(st.message().find("test: unparseable cell"), absl::string_view::npos) << st;
  EXPECT_NE(st.message().find("in region"), absl::string_view::npos) << st;
}

TEST_F(CellWalkTest, VerifierSkipsTheLinkWordOfFillers) {
  std::memset(unit_ + 64 + kHeaderSize, 0x42, 8);  // a free-list link
  EXPECT_FALSE(FreeMemoryVerifier("test", "arena", true).CheckRange(unit_, begin(), end()).ok());
  EXPECT_TRUE(FreeMemoryVerifier("test", "arena", true, /*link_bytes=*/8)
                  .CheckRange(unit_, begin(), end())
                  .ok());
  unit_[64 + kHeaderSize + 8] = 0x42;  // a write after the link
  absl::Status st = FreeMemoryVerifier("test", "arena", true, 8).CheckRange(unit_, begin(), end());
  EXPECT_NE(st.message().find("free memory at"), absl::string_view::npos) << st;
  // Without poisoning only parseability is checked.
  EXPECT_TRUE(FreeMemoryVerifier("test", "arena", false).CheckRange(unit_, begin(), end()).ok());
}

TEST_F(CellWalkTest, VerifierChecksSlots) {
  const FreeMemoryVerifier verifier("test", "span", /*poison=*/true);
  // The filler at 192 fills its 64-byte slot; the object at 0 is never checked for poison.
  EXPECT_TRUE(verifier.CheckAllocatedSlot(unit_, unit_ + 192, 64).ok());
  EXPECT_TRUE(verifier.CheckAllocatedSlot(unit_, unit_, 64).ok());
  // A filler smaller than its slot: the slot's tail must be poisoned too.
  WriteFiller(unit_ + 192, 48);
  EXPECT_TRUE(verifier.CheckAllocatedSlot(unit_, unit_ + 192, 64).ok());
  unit_[255] = 0;
  EXPECT_FALSE(verifier.CheckAllocatedSlot(unit_, unit_ + 192, 64).ok());
  // A cell bigger than its slot does not parse.
  EXPECT_FALSE(verifier.CheckAllocatedSlot(unit_, unit_, 48).ok());
  // A free slot is poisoned throughout, header included.
  PoisonBytes(unit_ + 192, 64, true);
  EXPECT_TRUE(verifier.CheckFreeSlot(unit_ + 192, 64).ok());
  unit_[192] = 0;
  EXPECT_FALSE(verifier.CheckFreeSlot(unit_ + 192, 64).ok());
}

TEST_F(CellWalkTest, SweepMergesDeadObjectsAndFillersIntoRuns) {
  SweepStats stats;
  std::vector<std::pair<size_t, size_t>> runs;
  // Live epoch 2: the object at 0 (mark 1) dies and merges with the filler after it.
  SweepCellRange(begin(), end(), /*live_epoch=*/2, /*poison=*/true, /*link_bytes=*/0, &stats,
                 [&](char* p, size_t n) { runs.emplace_back(p - unit_, n); });
  EXPECT_EQ(runs, (std::vector<std::pair<size_t, size_t>>{{0, 160}, {192, 64}}));
  EXPECT_EQ(stats.live_objects, 1u);
  EXPECT_EQ(stats.live_bytes, 32u);
  EXPECT_EQ(stats.freed_objects, 1u);
  EXPECT_EQ(stats.freed_bytes, 64u);
  EXPECT_TRUE(IsFiller(HeaderAt(unit_)));
  EXPECT_EQ(HeaderAt(unit_)->size, 160u);
  EXPECT_TRUE(FreeMemoryVerifier("test", "region", true).CheckRange(unit_, begin(), end()).ok());
}

}  // namespace
}  // namespace gclab
