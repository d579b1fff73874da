#include "experiments/run_figures.h"

#include "gtest/gtest.h"

namespace gclab {
namespace {

// Two 1 ms pauses in a 10 ms run starting at t=5 ms on the figures' clock.
GcFigures TwoPauses() {
  GcFigures f;
  PauseRecord p;
  p.cycle = 1;
  p.phase = PausePhase::kSweepTermination;
  p.start_ns = 6000000;
  p.duration_ns = 1000000;
  p.time_to_safepoint_ns = 250000;
  f.pauses.push_back(p);
  p.phase = PausePhase::kMarkTermination;
  p.start_ns = 8000000;
  p.time_to_safepoint_ns = 500000;
  f.pauses.push_back(p);
  CycleRecord c;
  c.cycle = 1;
  c.heap_marked_bytes = 2000000;
  c.mark_ns = 1000000;
  f.cycles.push_back(c);
  f.collections = 1;
  f.peak_heap_bytes = 123;
  return f;
}

TEST(RunFiguresTest, PausesAreRelativeToTheRunAndSummarized) {
  RunResult r;
  FillGcColumns(TwoPauses(), 5000000, 15000000, /*cycle_log=*/true, &r);
  EXPECT_EQ(r.collections(), 1u);
  EXPECT_EQ(r.pauses(), 2u);
  EXPECT_DOUBLE_EQ(r.pause_total_ms(), 2.0);
  EXPECT_DOUBLE_EQ(r.pause_max_ms(), 1.0);
  ASSERT_EQ(r.pause_samples_size(), 2);
  EXPECT_EQ(r.pause_samples(0).start_ns(), 1000000);
  EXPECT_EQ(r.pause_samples(1).phase(), "mark-termination");
  EXPECT_DOUBLE_EQ(r.ttsp_max_ms(), 0.5);
  EXPECT_DOUBLE_EQ(r.ttsp_total_ms(), 0.75);
  EXPECT_DOUBLE_EQ(r.mmu_1ms(), 0.0);    // a whole 1 ms window is a pause
  EXPECT_DOUBLE_EQ(r.mmu_100ms(), 0.8);  // the whole 10 ms run: 2 ms paused
  EXPECT_EQ(r.peak_heap_bytes(), 123u);
  EXPECT_DOUBLE_EQ(r.mark_rate_mb_s(), 2000.0);  // 2 MB in 1 ms
  ASSERT_EQ(r.cycles_size(), 1);
  EXPECT_EQ(r.cycles(0).pauses_size(), 2);
}

TEST(RunFiguresTest, GoRunStatsReadAsTheHeapsOwnRecords) {
  GoRunStats s;
  s.set_collector("concurrent");
  s.set_peak_heap_bytes(77);
  GoRunStats::Pause* p = s.add_pauses();
  p->set_cycle(1);
  p->set_phase("mark-termination");
  p->set_start_ns(10);
  p->set_duration_ns(20);
  p->set_time_to_safepoint_ns(5);
  s.add_pauses()->set_phase("a phase from the future");
  GoRunStats::Cycle* c = s.add_cycles();
  c->set_cycle(1);
  c->set_cause("explicit");
  c->set_heap_marked_bytes(99);
  const GcFigures f = GcFiguresFromGoRunStats(s);
  EXPECT_EQ(f.collections, 1u);
  EXPECT_EQ(f.peak_heap_bytes, 77u);
  ASSERT_EQ(f.pauses.size(), 2u);
  EXPECT_EQ(f.pauses[0].phase, PausePhase::kMarkTermination);
  EXPECT_EQ(f.pauses[0].time_to_safepoint_ns, 5);
  EXPECT_EQ(f.pauses[1].phase, PausePhase::kFullCollection);
  ASSERT_EQ(f.cycles.size(), 1u);
  EXPECT_EQ(f.cycles[0].cause, GcCause::kExplicit);
  EXPECT_EQ(f.cycles[0].collector, "concurrent");
  EXPECT_EQ(f.cycles[0].heap_marked_bytes, 99u);
}

}  // namespace
}  // namespace gclab
