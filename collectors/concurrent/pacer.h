// Pacer: when to start a concurrent cycle and how hard mutators must assist,
// so that marking finishes as the heap reaches its goal. This is Go's pacer
// as designed for Go 1.5 (Austin Clements, "Go 1.5 concurrent garbage
// collector pacing", 2015; runtime/mgcpacer.go before 1.18), with the soft
// memory limit of Go 1.19 (GOMEMLIMIT).
//
// Quantities (bytes), for the cycle about to run:
//   marked     heap marked by the previous mark: scanned + allocated black
//              (Go: heapMarked)
//   scanned    the part of `marked` found live by scanning
//   goal       max(min_heap, marked * (1 + GOGC/100)), lowered to what the
//              soft memory limit allows (but never below scanned * 1.05 +
//              1 MiB, so a limit below the live heap degrades into frequent
//              collections instead of continuous ones; the floor counts
//              scanned bytes only, because what was allocated black is of
//              unknown liveness, mostly garbage)
//   trigger    heap_live at which the cycle starts:
//              marked + (goal - marked) * f, where f = h_T / h_g is the
//              trigger fraction (the part of the goal's headroom the heap
//              may use up before the cycle starts), initially Go's 7/8. If
//              the limit put the goal below marked, the goal itself (the
//              next cycle starts at once).
//
// The feedback controller (one step per cycle, at mark termination). With
// the ratios in force for the cycle that ended -- the goal after min_heap and
// the memory limit, not GOGC/100 (Go <= 1.17's effectiveGrowthRatio):
//   h_g = goal growth ratio          (goal / marked - 1)
//   h_T = trigger growth ratio       (trigger / marked - 1 = f * h_g)
//   h_a = actual growth at the end of marking (heap_live / marked - 1)
//   u_g = goal CPU utilization of marking (0.30: Go's 25% background + 5% assists)
//   u_a = actual utilization: (marker CPU + assist CPU) / (mark wall time * procs)
// the error is
//   e = (h_g - h_T) - (u_a / u_g) * (h_a - h_T)
// i.e. the heap growth the cycle should have had minus the growth it had,
// scaled by how much more (or less) CPU than the target it used to get there.
// The next trigger ratio is h_T + K * e with K = 0.5, clamped to
// [0.6 h_g, 0.95 h_g] as Go does, i.e. f = (h_T + K e) / h_g in [0.6, 0.95].
// If marking overshoots the goal, e < 0 and the next cycle starts earlier; if
// it finishes early using little CPU, e > 0 and the next starts later. With
// GOGC/100 in place of the goal in force, an overshoot of a goal the memory
// limit lowered looked like an undershoot (and the trigger moved later), and
// an undershoot of a min_heap goal looked like an overshoot.
//
// Assists. While marking, a mutator owes scan work for what it allocates:
//   assist_ratio = remaining_scan_work / remaining_heap_distance
//   remaining_scan_work = max(expected_scan - scan_done, expected_scan / 10)
//   remaining_heap_distance = goal - heap_live, or, once heap_live is past the
//                             goal, the distance to the hard goal 1.1 * goal
//                             (Go 1.18); at least 64 KiB
// with expected_scan = the previous cycle's marked bytes (everything live
// must be scanned once). A mutator that allocates N bytes owes
// N * assist_ratio bytes of scan work (concurrent_collector.h: credit/debt).
//
// GOGC < 0 ("off"): no trigger (collections only on request or allocation
// failure), unless a memory limit is set, in which case goal = limit.
//
// Thread-safety: BeginCycle/EndCycle by the cycle owner only; trigger(),
// goal() and AssistRatio() from any thread (atomics).
#ifndef GCLAB_COLLECTORS_CONCURRENT_PACER_H_
#define GCLAB_COLLECTORS_CONCURRENT_PACER_H_

#include <atomic>
#include <cstdint>

namespace gclab {

struct PacerConfig {
  int gogc = 100;
  uint64_t min_heap_bytes = 4u << 20;
  uint64_t memory_limit_bytes = 0;  // 0: none
  int procs = 1;                    // CPUs available (for utilization)
  double goal_utilization = 0.30;
};

// Measurements of one finished mark phase.
struct PacerCycleResult {
  uint64_t marked_bytes = 0;      // scanned + allocated black (Go's heapMarked)
  uint64_t scanned_bytes = 0;     // of which found live by scanning
  uint64_t heap_live_at_end = 0;  // heap_live at mark termination
  int64_t mark_wall_ns = 0;       // sweep termination -> mark termination
  int64_t mark_cpu_ns = 0;        // marker + assist CPU
};

class Pacer {
 public:
  static constexpr uint64_t kNoTrigger = ~uint64_t{0};
  static constexpr double kGain = 0.5;
  static constexpr double kHardGoalFactor = 1.1;
  // Go's clamp of the trigger: [0.6, 0.95] of the goal's headroom.
  static constexpr double kMinTriggerFraction = 0.6;
  static constexpr double kMaxTriggerFraction = 0.95;

  explicit Pacer(const PacerConfig& config);

  // Heap-live level that starts the next cycle (kNoTrigger if none).
  uint64_t trigger() const { return trigger_.load(std::memory_order_relaxed); }
  // The goal of the current/next cycle (kNoTrigger if none).
  uint64_t goal() const { return goal_.load(std::memory_order_relaxed); }
  // True iff the memory limit, not GOGC, set the current goal.
  bool goal_set_by_memory_limit() const { return limited_.load(std::memory_order_relaxed); }
  // The fraction of the goal's headroom above the marked heap the heap may
  // use up before the next cycle starts: h_T / h_g, in [0.6, 0.95].
  double trigger_fraction() const { return trigger_fraction_; }
  double goal_ratio() const { return goal_ratio_; }
  uint64_t marked_bytes() const { return marked_; }

  // A cycle starts with `heap_live` bytes live-or-allocated. Fixes the scan
  // work expected for assists.
  void BeginCycle(uint64_t heap_live);

  // Scan work owed per allocated byte, given the current heap_live and the
  // scan work done so far this cycle.
  double AssistRatio(uint64_t heap_live, uint64_t scan_done) const;

  // Feedback step and new goal/trigger from a finished mark.
  void EndCycle(const PacerCycleResult& result);

 private:
  void ComputeThresholds();

  const PacerConfig config_;
  const double goal_ratio_;              // GOGC / 100
  double trigger_fraction_ = 7.0 / 8.0;  // h_T / h_g (owner only); Go's initial 7/8
  uint64_t marked_ = 0;                  // owner only
  uint64_t scanned_ = 0;                 // owner only
  std::atomic<uint64_t> expected_scan_{0};
  std::atomic<uint64_t> trigger_{0};
  std::atomic<uint64_t> goal_{0};
  std::atomic<bool> limited_{false};
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_PACER_H_
