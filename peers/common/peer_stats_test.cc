#include "peers/common/peer_stats.h"

#include <vector>

#include "gtest/gtest.h"

namespace gclab::peers {
namespace {

TEST(PeerStatsTest, Percentiles) {
  std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_EQ(Percentile(v, 0.5), 3);
  EXPECT_EQ(Percentile(v, 0.99), 5);
  EXPECT_EQ(Percentile({}, 0.5), 0);
}

TEST(PeerStatsTest, Summary) {
  PauseSummary s = SummarizePauses({{0, 1}, {10, 3}, {20, 2}});
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.total_ms, 6);
  EXPECT_DOUBLE_EQ(s.max_ms, 3);
  EXPECT_DOUBLE_EQ(s.p50_ms, 2);
}

TEST(PeerStatsTest, Mmu) {
  // 100 ms run, pauses of 2 ms at 10 and 3 ms at 12.5 (overlapping window).
  std::vector<Pause> p = {{10, 2}, {13, 3}};
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization({}, 100, 10), 1);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 100, 1), 0);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 100, 10), 0.5);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 100, 100), 0.95);
  // Run shorter than the window: the run is the window.
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 50, 100), 0.9);
}

TEST(PeerStatsTest, PauseListRoundTrip) {
  std::vector<Pause> p = {{1.5, 0.25}, {7, 3}}, q;
  ASSERT_TRUE(ParsePauses(FormatPauses(p), &q));
  ASSERT_EQ(q.size(), 2u);
  EXPECT_DOUBLE_EQ(q[1].start_ms, 7);
  EXPECT_DOUBLE_EQ(q[0].duration_ms, 0.25);
  EXPECT_TRUE(ParsePauses("", &q));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(ParsePauses("1:2;x", &q));
}

}  // namespace
}  // namespace gclab::peers
