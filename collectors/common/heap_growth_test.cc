#include "collectors/common/heap_growth.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace gclab {
namespace {

constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

// Hides a value from the optimizer, so the conversions below happen at run
// time (constant folding saturates and would hide the bug).
template <typename T>
T Opaque(T v) {
  asm volatile("" : "+r"(v));
  return v;
}

TEST(HeapGrowthPolicyTest, GoalIsLiveTimesOnePlusGogcAndAtLeastTheMinimum) {
  HeapGrowthPolicy p{.gogc = 100, .min_heap_bytes = 4u << 20};
  EXPECT_EQ(p.Goal(0), 4u << 20);
  EXPECT_EQ(p.Goal(10u << 20), 20u << 20);
  p.gogc = -1;
  EXPECT_EQ(p.Goal(10u << 20), kNever);
}

// Pins defect 5: live * (1 + GOGC/100) beyond 2^64 was converted to uint64
// (undefined; on x86-64 it came out as 0, so the goal fell to min_heap and
// every allocation check collected).
TEST(HeapGrowthPolicyTest, AGoalBeyondTheRangeOfUint64MeansNever) {
  HeapGrowthPolicy p{.gogc = Opaque(std::numeric_limits<int>::max()), .min_heap_bytes = 4u << 20};
  EXPECT_EQ(p.Goal(Opaque(uint64_t{1} << 40)), kNever);
  EXPECT_EQ(p.Goal(Opaque(kNever)), kNever);
}

}  // namespace
}  // namespace gclab
