#include "allocators/config_checks.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

TEST(ConfigChecksTest, PowerOfTwoInRange) {
  EXPECT_TRUE(CheckPowerOfTwoIn("x.bytes", 64 * kKiB, 64 * kKiB, 16 * kMiB).ok());
  EXPECT_TRUE(CheckPowerOfTwoIn("x.bytes", 16 * kMiB, 64 * kKiB, 16 * kMiB).ok());
  for (size_t bad : {size_t{0}, size_t{3}, 32 * kKiB, 300 * kKiB, 32 * kMiB}) {
    absl::Status st = CheckPowerOfTwoIn("x.bytes", bad, 64 * kKiB, 16 * kMiB);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(st.message(),
              absl::StrCat("x.bytes must be a power of two in [64 KiB, 16 MiB], got ", bad));
  }
}

TEST(ConfigChecksTest, MultipleInRangeSaysWhereTheBoundComesFrom) {
  EXPECT_TRUE(CheckMultipleIn("x.large", 256, 8, 256, 1024, "region/4").ok());
  EXPECT_TRUE(CheckMultipleIn("x.large", 0, 8, 0, 512).ok());
  EXPECT_EQ(CheckMultipleIn("x.large", 260, 8, 256, 1024, "region/4").message(),
            "x.large must be a multiple of 8 in [256, region/4 = 1024], got 260");
  EXPECT_EQ(CheckMultipleIn("x.large", 2048, 8, 256, 1024).message(),
            "x.large must be a multiple of 8 in [256, 1024], got 2048");
}

TEST(ConfigChecksTest, InRangeAndAtLeast) {
  EXPECT_TRUE(CheckIn("x.n", 2, 2, 256).ok());
  EXPECT_EQ(CheckIn("x.n", 1, 2, 256).message(), "x.n must be in [2, 256], got 1");
  EXPECT_TRUE(CheckAtLeast("x.step", 1, 1).ok());
  EXPECT_EQ(CheckAtLeast("x.step", 0, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckAtLeast("x.step", 0, 1).message(), "x.step must be at least 1, got 0");
}

}  // namespace
}  // namespace gclab
