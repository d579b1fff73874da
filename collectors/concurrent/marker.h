// MarkerPool: the background mark workers of the concurrent collector (Go's
// dedicated gcBgMarkWorkers), N threads blackening grey objects from one
// shared MarkWorklist while mutators run.
//
// Work distribution. Each marker owns a MarkWorklist::Local: pushes and pops
// are lock-free, and only full or empty 256-entry segments go through the
// pool's mutex. A marker that notices an idle peer (idle_ > 0) publishes its
// local segments, so work spreads at segment granularity.
//
// Termination detection (one "round"). A round starts with busy_ = N. A
// marker whose Local and the pool are both empty decrements busy_ under mu_
// and waits; it becomes busy again (busy_++) if the pool gets work. The round
// ends when busy_ == 0 with the pool empty: no marker holds grey objects
// (a marker only goes idle with an empty Local) and none can produce more, so
// no marker stops while another could still hand it work. Grey objects held
// outside the pool -- mutators' barrier buffers, an assist in progress -- are
// not the pool's business: the collector flushes them by handshake and runs
// another round, and re-checks them with the world stopped
// (concurrent_collector.h, phase 3).
//
// Valid call sequence (one cycle owner thread):
//   MarkerPool pool(&worklist, n);  pool.Start();
//   per cycle: pool.MarkUntilIdle(epoch) ... (any number of rounds)
//              pool.TakeCycleStats()
//   pool.Stop();                    // joins; also from the destructor
#ifndef GCLAB_COLLECTORS_CONCURRENT_MARKER_H_
#define GCLAB_COLLECTORS_CONCURRENT_MARKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "collectors/common/mark_worklist.h"

namespace gclab {

// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), ns.
int64_t ThreadCpuNanos();

struct MarkerStats {
  int64_t cpu_ns = 0;
  uint64_t bytes = 0;
  uint64_t objects = 0;
  uint64_t rounds = 0;
};

class MarkerPool {
 public:
  // The pool adds its scan work (bytes), every few objects, to `scan_done`
  // (the pacer's progress) and to `bg_credit` (background credit that
  // assists may steal, Go's bgScanCredit).
  MarkerPool(MarkWorklist* worklist, int threads, std::atomic<uint64_t>* scan_done,
             std::atomic<int64_t>* bg_credit);
  ~MarkerPool();
  MarkerPool(const MarkerPool&) = delete;
  MarkerPool& operator=(const MarkerPool&) = delete;

  void Start();
  void Stop();
  int threads() const { return threads_; }

  // Runs one marking round with every marker and returns when the pool is
  // empty and every marker is idle (see the file comment).
  void MarkUntilIdle(uint8_t epoch);

  // Work and CPU of the rounds since the last call.
  MarkerStats TakeCycleStats();

 private:
  void WorkerMain(int index);
  void RunRound(MarkWorklist::Local& local, uint8_t epoch);

  MarkWorklist* const worklist_;
  const int threads_;
  std::atomic<uint64_t>* const scan_done_;
  std::atomic<int64_t>* const bg_credit_;
  std::vector<std::thread> workers_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan, so its Mutex is invisible to --config=tsan; pthread-based
  // std::mutex is intercepted. The fields below are guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t round_ = 0;  // rounds started
  bool round_active_ = false;
  int busy_ = 0;    // markers in the round, not idle
  int parked_ = 0;  // markers waiting for a round
  uint8_t epoch_ = 0;
  bool stop_ = false;
  MarkerStats stats_;
  std::atomic<int> idle_{0};  // markers waiting inside a round (hint to publish)
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_MARKER_H_
