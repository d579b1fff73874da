// SweepCycle: the bookkeeping of one allocator sweep cycle, shared by the
// allocators (interfaces/allocator.h, steps 4-6): whether a cycle is in
// progress, how many units (regions, arenas, spans) are being swept right
// now, and the cycle's SweepStats.
//
// Call sequence, every call with the owner's mutex held:
//   1. Begin()                           in PrepareForSweep (world stopped)
//   2. per unit: UnitClaimed() when a thread takes it off the unswept list,
//      sweep it outside the lock, then UnitSwept(stats) (wakes waiters)
//      Add(stats) for stats swept without a claim (a large-object space)
//   3. Finish(lock)                      in FinishSweep, after claiming the rest:
//                                        waits until no unit is in flight
//
// Synchronisation: guarded by a mutex the owner chooses (bump and free_list:
// their allocator lock; size_class: its sweep lock). `unit_swept()` is the
// condition variable UnitSwept notifies, for owners that wait on a unit's
// sweep elsewhere too (Free of a cell in a unit being swept).
#ifndef GCLAB_ALLOCATORS_SWEEP_CYCLE_H_
#define GCLAB_ALLOCATORS_SWEEP_CYCLE_H_

#include <condition_variable>
#include <cstddef>
#include <mutex>

#include "allocators/counters.h"
#include "interfaces/allocator.h"
#include "util/check.h"

namespace gclab {

class SweepCycle {
 public:
  // Starts a cycle; aborts if the previous one was not finished.
  void Begin(const char* allocator) {
    GCLAB_CHECK(!in_progress_, "%s: PrepareForSweep before FinishSweep", allocator);
    in_progress_ = true;
    stats_ = SweepStats();
  }

  void UnitClaimed() { ++in_flight_; }

  // A claimed unit is swept: adds its stats and wakes whoever waits for it.
  void UnitSwept(const SweepStats& s) {
    --in_flight_;
    Accumulate(s, &stats_);
    unit_swept_.notify_all();
  }

  // Stats of sweeping done without a claim (e.g. the large-object space).
  void Add(const SweepStats& s) { Accumulate(s, &stats_); }

  // Ends the cycle once no unit is in flight (waits on `lock`, the owner's
  // mutex, held on entry and on return) and returns its stats.
  SweepStats Finish(std::unique_lock<std::mutex>& lock) {
    unit_swept_.wait(lock, [this] { return in_flight_ == 0; });
    const SweepStats result = stats_;
    stats_ = SweepStats();
    in_progress_ = false;
    return result;
  }

  std::condition_variable& unit_swept() { return unit_swept_; }

 private:
  bool in_progress_ = false;
  size_t in_flight_ = 0;
  SweepStats stats_;
  std::condition_variable unit_swept_;
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_SWEEP_CYCLE_H_
