#include "allocators/page_source.h"

#include <cstdint>
#include <cstring>

#include "gtest/gtest.h"

namespace gclab {
namespace {

TEST(PageSourceTest, MapsAlignedChunksAndTracksThem) {
  PageSource ps(size_t{64} << 20);
  void* a = ps.Map(256 << 10, 256 << 10);
  void* b = ps.Map(1 << 20, 1 << 20);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % (256 << 10), 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % (1 << 20), 0u);
  std::memset(a, 1, 256 << 10);
  EXPECT_EQ(ps.mapped_bytes(), (256u << 10) + (1u << 20));
  EXPECT_TRUE(ps.Contains(a));
  EXPECT_TRUE(ps.Contains(static_cast<char*>(a) + (256 << 10) - 1));
  EXPECT_FALSE(ps.Contains(static_cast<char*>(a) + (256 << 10)) &&
               static_cast<char*>(a) + (256 << 10) != b);
  EXPECT_EQ(ps.chunk_count(), 2u);
  ps.Unmap(a, 256 << 10);
  EXPECT_FALSE(ps.Contains(a));
  EXPECT_EQ(ps.mapped_bytes(), 1u << 20);
}

TEST(PageSourceTest, EnforcesLimit) {
  PageSource ps(size_t{1} << 20);
  void* a = ps.Map(512 << 10, kOsPageSize);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(ps.Map(768 << 10, kOsPageSize), nullptr);
  void* b = ps.Map(512 << 10, kOsPageSize);
  EXPECT_NE(b, nullptr);
  EXPECT_EQ(ps.Map(kOsPageSize, kOsPageSize), nullptr);
  EXPECT_LE(ps.mapped_bytes(), size_t{1} << 20);
  ps.Unmap(a, 512 << 10);
  EXPECT_NE(ps.Map(kOsPageSize, kOsPageSize), nullptr);
}

TEST(PageSourceTest, RetainsChunksForReuseAndEvictsAtLimit) {
  PageSource ps(size_t{1} << 20, /*retain_chunk_bytes=*/256 << 10, /*max_retained=*/2);
  void* a = ps.Map(256 << 10, 256 << 10);
  ASSERT_NE(a, nullptr);
  ps.Unmap(a, 256 << 10);
  EXPECT_EQ(ps.retained_bytes(), 256u << 10);
  EXPECT_EQ(ps.mapped_bytes(), 256u << 10);  // still mapped
  EXPECT_FALSE(ps.Contains(a));
  void* b = ps.Map(256 << 10, 256 << 10);
  EXPECT_EQ(a, b);  // reused
  EXPECT_EQ(ps.retained_bytes(), 0u);
  ps.Unmap(b, 256 << 10);
  // A big request evicts the retained chunk instead of failing.
  void* big = ps.Map(1 << 20, kOsPageSize);
  EXPECT_NE(big, nullptr);
  EXPECT_EQ(ps.retained_bytes(), 0u);
}

}  // namespace
}  // namespace gclab
