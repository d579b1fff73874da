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
// no marker stops while another could still hand it work. A mutator assist in
// progress (AssistScope) counts as busy too: it may hold the only grey object
// (a chain-shaped heap has one grey object at a time), and a round that ended
// under it would leave the whole chain to the mutator. The assist hands its
// grey objects to the markers as soon as one of them waits for work. Grey
// objects in mutators' barrier buffers are not the pool's business: the
// collector flushes them by handshake and runs another round, and re-checks
// them with the world stopped (concurrent_collector.h, phase 3).
//
// Valid call sequence (one cycle owner thread):
//   MarkerPool pool(&worklist, n);  pool.Start();
//   per cycle: pool.MarkUntilIdle(epoch) ... (any number of rounds)
//              pool.TakeCycleStats()
//   pool.Stop();                    // joins; also from the destructor
// and, on mutator threads while marking:
//   { MarkerPool::AssistScope assist(&pool); assist.Drain(...); }
#ifndef GCLAB_COLLECTORS_CONCURRENT_MARKER_H_
#define GCLAB_COLLECTORS_CONCURRENT_MARKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
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

  // Called on a marker thread each time it adds to `bg_credit` (every few
  // objects): the collector wakes assists that wait for credit. Set before
  // Start().
  void set_credit_listener(std::function<void()> listener) {
    credit_listener_ = std::move(listener);
  }
  void Start();
  void Stop();
  int threads() const { return threads_; }

  // Runs one marking round with every marker and returns when the pool is
  // empty and every marker is idle (see the file comment).
  void MarkUntilIdle(uint8_t epoch);

  // Work and CPU of the rounds since the last call.
  MarkerStats TakeCycleStats();

  // A mutator assist (Go's gcAssistAlloc): while it lives, it counts as a
  // busy marker of the round in progress (and of a round that starts), so no
  // round ends while it holds grey objects.
  class AssistScope {
   public:
    explicit AssistScope(MarkerPool* pool);
    ~AssistScope();  // publish `local` before: what it holds goes to the markers
    AssistScope(const AssistScope&) = delete;
    AssistScope& operator=(const AssistScope&) = delete;

    // Blackens grey objects from `local` (then the shared pool) until
    // `budget_bytes` of scan work are done, the grey objects run out, or a
    // marker waits for work while `local` still holds some: then everything
    // in `local` is handed to the markers and the assist stops (they do the
    // rest; the mutator goes back to its own work). Adds to *bytes and
    // *objects. Returns true unless it stopped at the budget (no grey object
    // was left to it).
    bool Drain(MarkWorklist::Local& local, uint8_t epoch, uint64_t budget_bytes, uint64_t* bytes,
               uint64_t* objects);

   private:
    MarkerPool* const pool_;
  };

  // Markers waiting for work inside a round.
  int idle_markers_ForTesting() const { return idle_.load(std::memory_order_relaxed); }

 private:
  void WorkerMain(int index);
  void RunRound(MarkWorklist::Local& local, uint8_t epoch);

  MarkWorklist* const worklist_;
  const int threads_;
  std::atomic<uint64_t>* const scan_done_;
  std::atomic<int64_t>* const bg_credit_;
  std::function<void()> credit_listener_;
  std::vector<std::thread> workers_;

  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // TSan, so its Mutex is invisible to --config=tsan; pthread-based
  // std::mutex is intercepted. The fields below are guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t round_ = 0;  // rounds started
  bool round_active_ = false;
  int busy_ = 0;     // markers in the round not idle, plus assists in progress
  int assists_ = 0;  // AssistScopes alive
  int parked_ = 0;   // markers waiting for a round
  uint8_t epoch_ = 0;
  bool stop_ = false;
  MarkerStats stats_;
  std::atomic<int> idle_{0};  // markers waiting inside a round (hint to publish)
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_MARKER_H_
