#include "collectors/concurrent/pacer.h"

#include <algorithm>

namespace gclab {

Pacer::Pacer(const PacerConfig& config)
    : config_(config), goal_ratio_(config.gogc < 0 ? 0.0 : config.gogc / 100.0) {
  ComputeThresholds();
}

void Pacer::ComputeThresholds() {
  const double marked = static_cast<double>(marked_);
  double goal;
  bool limited = false;
  if (config_.gogc < 0) {
    goal = static_cast<double>(kNoTrigger);
  } else {
    goal =
        std::max<double>(static_cast<double>(config_.min_heap_bytes), marked * (1.0 + goal_ratio_));
  }
  if (config_.memory_limit_bytes != 0) {
    // The floor is the heap found live by scanning: what was allocated black
    // during marking is of unknown liveness (mostly garbage in an allocating
    // program), and counting it let the goal rise above the limit.
    const double floor = static_cast<double>(scanned_) * 1.05 + static_cast<double>(1u << 20);
    const double limit_goal = std::max(floor, static_cast<double>(config_.memory_limit_bytes));
    if (limit_goal < goal) {
      goal = limit_goal;
      limited = true;
    }
  }
  limited_.store(limited, std::memory_order_relaxed);
  if (goal >= static_cast<double>(kNoTrigger)) {
    goal_.store(kNoTrigger, std::memory_order_relaxed);
    trigger_.store(kNoTrigger, std::memory_order_relaxed);
    return;
  }
  // The trigger takes trigger_fraction_ of the headroom above `marked`. A
  // limit's goal may lie below `marked` (garbage allocated black counts in
  // heap_live until the next cycle frees it): then trigger at the goal, i.e.
  // start the next cycle right away.
  const double base = std::min(marked, goal);
  const double trigger = base + (goal - base) * trigger_fraction_;
  goal_.store(static_cast<uint64_t>(goal), std::memory_order_relaxed);
  trigger_.store(static_cast<uint64_t>(trigger), std::memory_order_relaxed);
}

void Pacer::BeginCycle(uint64_t heap_live) {
  // Everything live must be scanned once; before the first mark the best
  // estimate is the heap itself.
  expected_scan_.store(marked_ != 0 ? marked_ : heap_live, std::memory_order_relaxed);
}

double Pacer::AssistRatio(uint64_t heap_live, uint64_t scan_done) const {
  const uint64_t goal = goal_.load(std::memory_order_relaxed);
  const double expected = static_cast<double>(expected_scan_.load(std::memory_order_relaxed));
  const double remaining_scan =
      std::max(expected - static_cast<double>(scan_done), expected / 10.0);
  double distance;
  if (goal == kNoTrigger) {
    // GOGC off and no limit: pace against the limit-free heap, i.e. only as
    // hard as "finish before the heap doubles".
    distance = std::max<double>(expected, 1.0);
  } else {
    const double g = static_cast<double>(goal);
    const double live = static_cast<double>(heap_live);
    distance = g - live;
    if (live >= g) distance = g * kHardGoalFactor - live;  // past the goal
  }
  distance = std::max(distance, 64.0 * 1024.0);
  return remaining_scan / distance;
}

void Pacer::EndCycle(const PacerCycleResult& r) {
  const uint64_t goal = goal_.load(std::memory_order_relaxed);
  const uint64_t trigger = trigger_.load(std::memory_order_relaxed);
  if (marked_ > 0 && r.mark_wall_ns > 0 && goal != kNoTrigger) {
    // The growth ratios in force for the cycle that just ended, after
    // min_heap and the memory limit moved the goal (Go <= 1.17's
    // effectiveGrowthRatio), not GOGC/100.
    const double marked = static_cast<double>(marked_);
    const double h_g = static_cast<double>(goal) / marked - 1.0;
    const double h_t = static_cast<double>(trigger) / marked - 1.0;
    if (h_g > 0) {
      const double h_a = static_cast<double>(r.heap_live_at_end) / marked - 1.0;
      const double u_a = static_cast<double>(r.mark_cpu_ns) /
                         (static_cast<double>(r.mark_wall_ns) * std::max(config_.procs, 1));
      const double u_g = config_.goal_utilization;
      const double error = (h_g - h_t) - (u_a / u_g) * (h_a - h_t);
      trigger_fraction_ =
          std::clamp((h_t + kGain * error) / h_g, kMinTriggerFraction, kMaxTriggerFraction);
    }
  }
  marked_ = r.marked_bytes;
  scanned_ = r.scanned_bytes;
  ComputeThresholds();
}

}  // namespace gclab
