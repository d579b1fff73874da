#include "experiments/metrics.h"

#include <random>

#include "gtest/gtest.h"

namespace gclab {
namespace {

constexpr int64_t kMs = 1000000;

TEST(PercentileTest, InterpolatesBetweenClosestRanks) {
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 0), 1);
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 100), 4);
  EXPECT_DOUBLE_EQ(Percentile({7}, 99), 7);
  EXPECT_DOUBLE_EQ(Percentile({}, 50), 0);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_NEAR(Percentile(hundred, 99), 99.01, 1e-9);  // rank 98.01
}

TEST(PauseSummaryTest, HandExample) {
  PauseSummary s = SummarizePauses({{0, 1 * kMs}, {10 * kMs, 3 * kMs}, {20 * kMs, 2 * kMs}});
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.total_ms, 6);
  EXPECT_DOUBLE_EQ(s.mean_ms, 2);
  EXPECT_DOUBLE_EQ(s.p50_ms, 2);
  EXPECT_DOUBLE_EQ(s.max_ms, 3);
  EXPECT_NEAR(s.p99_ms, 2.98, 1e-9);
}

TEST(MmuTest, NoPausesIsOne) {
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization({}, 0, 100 * kMs, 10 * kMs), 1.0);
}

TEST(MmuTest, SinglePause) {
  // Span 100 ms, one 5 ms pause at 10 ms.
  std::vector<TimeInterval> p = {{10 * kMs, 5 * kMs}};
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 1 * kMs), 0.0);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 4 * kMs), 0.0);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 10 * kMs), 0.5);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 100 * kMs), 0.95);
  // A window longer than the span: the span's utilization.
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 1000 * kMs), 0.95);
}

TEST(MmuTest, TwoPausesHandComputed) {
  // Pauses [10,13) and [16,19) ms in a 100 ms span.
  std::vector<TimeInterval> p = {{10 * kMs, 3 * kMs}, {16 * kMs, 3 * kMs}};
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 10 * kMs), 0.4);  // [9,19): 6 ms
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 5 * kMs), 0.4);   // [10,15): 3 ms
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 6 * kMs), 0.5);   // 3 of 6 ms
  EXPECT_NEAR(MinimumMutatorUtilization(p, 0, 100 * kMs, 9 * kMs), 1.0 / 3, 1e-12);
}

TEST(MmuTest, PausesAreClippedToTheSpanAndMerged) {
  // Half of the first pause is before the span; the last two overlap.
  std::vector<TimeInterval> p = {{-5 * kMs, 10 * kMs}, {50 * kMs, 4 * kMs}, {52 * kMs, 4 * kMs}};
  std::vector<TimeInterval> merged = ClipAndMerge(p, 0, 100 * kMs);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].start_ns, 0);
  EXPECT_EQ(merged[0].duration_ns, 5 * kMs);
  EXPECT_EQ(merged[1].start_ns, 50 * kMs);
  EXPECT_EQ(merged[1].duration_ns, 6 * kMs);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 100 * kMs), 0.89);
  EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(p, 0, 100 * kMs, 10 * kMs), 0.4);
}

// The exact algorithm against brute force over every integer window position.
TEST(MmuTest, MatchesBruteForceOnRandomPauses) {
  std::mt19937 rng(1);
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t span = 200;
    std::vector<TimeInterval> pauses;
    int64_t t = 0;
    while (true) {
      t += 1 + rng() % 30;
      const int64_t d = 1 + rng() % 10;
      if (t + d > span) break;
      pauses.push_back({t, d});
      t += d;
    }
    for (int64_t w : {1, 3, 7, 20, 50, 199}) {
      int64_t worst = 0;
      for (int64_t s = 0; s + w <= span; ++s) {
        int64_t paused = 0;
        for (int64_t x = s; x < s + w; ++x) {
          for (const TimeInterval& p : pauses) paused += (x >= p.start_ns && x < p.end_ns());
        }
        worst = std::max(worst, paused);
      }
      EXPECT_DOUBLE_EQ(MinimumMutatorUtilization(pauses, 0, span, w),
                       static_cast<double>(w - worst) / w)
          << "trial " << trial << " window " << w;
    }
  }
}

TEST(MmuTest, CurveIsMonotoneInWindowForOnePause) {
  std::vector<TimeInterval> p = {{10 * kMs, 5 * kMs}};
  auto curve = MmuCurve(p, 0, 100 * kMs, {1 * kMs, 10 * kMs, 50 * kMs});
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_DOUBLE_EQ(curve[0].second, 0.0);
  EXPECT_DOUBLE_EQ(curve[1].second, 0.5);
  EXPECT_DOUBLE_EQ(curve[2].second, 0.9);
}

TEST(SpreadTest, SummarizeAndNoise) {
  Spread a = Summarize({3, 1, 2});
  EXPECT_EQ(a.n, 3);
  EXPECT_DOUBLE_EQ(a.min, 1);
  EXPECT_DOUBLE_EQ(a.median, 2);
  EXPECT_DOUBLE_EQ(a.max, 3);
  EXPECT_DOUBLE_EQ(a.mean, 2);
  EXPECT_TRUE(WithinNoise(a, Summarize({2.5, 4})));
  EXPECT_FALSE(WithinNoise(a, Summarize({3.5, 4})));
}

}  // namespace
}  // namespace gclab
