#include "allocators/sweep_cycle.h"

#include <mutex>
#include <thread>

#include "gtest/gtest.h"

namespace gclab {
namespace {

TEST(SweepCycleTest, FinishReturnsTheCyclesStatsAndResetsThem) {
  std::mutex mu;
  SweepCycle cycle;
  std::unique_lock<std::mutex> lock(mu);
  cycle.Begin("test");
  cycle.UnitClaimed();
  cycle.UnitSwept(SweepStats{1, 16, 2, 32, 1, 0});
  cycle.Add(SweepStats{0, 0, 1, 4096, 1, 1});
  SweepStats st = cycle.Finish(lock);
  EXPECT_EQ(st.live_objects, 1u);
  EXPECT_EQ(st.freed_objects, 3u);
  EXPECT_EQ(st.freed_bytes, 32u + 4096);
  EXPECT_EQ(st.units_swept, 2u);
  EXPECT_EQ(st.units_released, 1u);
  cycle.Begin("test");  // the next cycle starts from zero
  EXPECT_EQ(cycle.Finish(lock).freed_objects, 0u);
}

TEST(SweepCycleTest, FinishWaitsForUnitsInFlight) {
  std::mutex mu;
  SweepCycle cycle;
  std::unique_lock<std::mutex> lock(mu);
  cycle.Begin("test");
  cycle.UnitClaimed();
  std::thread sweeper([&] {
    std::unique_lock<std::mutex> l(mu);
    cycle.UnitSwept(SweepStats{5, 80, 0, 0, 1, 0});
  });
  // Finish releases `mu` while it waits, so the sweeper can end its unit;
  // it cannot return before that, whatever the scheduling.
  EXPECT_EQ(cycle.Finish(lock).live_objects, 5u);
  lock.unlock();
  sweeper.join();
}

TEST(SweepCycleDeathTest, BeginTwiceIsABug) {
  SweepCycle cycle;
  cycle.Begin("test");
  EXPECT_DEATH(cycle.Begin("test"), "test: PrepareForSweep before FinishSweep");
}

}  // namespace
}  // namespace gclab
