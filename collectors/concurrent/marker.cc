#include "collectors/concurrent/marker.h"

#include <time.h>

#include "collectors/concurrent/tricolor.h"

namespace gclab {

int64_t ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

MarkerPool::MarkerPool(MarkWorklist* worklist, int threads, std::atomic<uint64_t>* scan_done,
                       std::atomic<int64_t>* bg_credit)
    : worklist_(worklist),
      threads_(threads < 1 ? 1 : threads),
      scan_done_(scan_done),
      bg_credit_(bg_credit) {}

MarkerPool::~MarkerPool() { Stop(); }

void MarkerPool::Start() {
  for (int i = 0; i < threads_; ++i) workers_.emplace_back([this, i] { WorkerMain(i); });
}

void MarkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

void MarkerPool::MarkUntilIdle(uint8_t epoch) {
  std::unique_lock<std::mutex> lock(mu_);
  // Every marker must have left the previous round before busy_ is reset.
  cv_.wait(lock, [&] { return parked_ == threads_; });
  epoch_ = epoch;
  busy_ = threads_ + assists_;
  round_active_ = true;
  ++round_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return !round_active_; });
}

MarkerPool::AssistScope::AssistScope(MarkerPool* pool) : pool_(pool) {
  std::lock_guard<std::mutex> lock(pool_->mu_);
  ++pool_->assists_;
  if (pool_->round_active_) ++pool_->busy_;
}

MarkerPool::AssistScope::~AssistScope() {
  {
    std::lock_guard<std::mutex> lock(pool_->mu_);
    --pool_->assists_;
    if (pool_->round_active_) --pool_->busy_;
  }
  // Idle markers re-check: the pool may have work now, or the round is over.
  pool_->cv_.notify_all();
}

bool MarkerPool::AssistScope::Drain(MarkWorklist::Local& local, uint8_t epoch,
                                    uint64_t budget_bytes, uint64_t* bytes, uint64_t* objects) {
  const uint64_t start = *bytes;
  Object* obj;
  while (local.Pop(&obj)) {
    *bytes += Blacken(obj, epoch, local);
    ++*objects;
    if (pool_->idle_.load(std::memory_order_relaxed) > 0 && !local.IsLocalEmpty()) {
      local.Publish();  // hand it over; the destructor wakes the markers
      return true;
    }
    if (*bytes - start >= budget_bytes) return false;
  }
  return true;
}

MarkerStats MarkerPool::TakeCycleStats() {
  std::lock_guard<std::mutex> lock(mu_);
  MarkerStats s = stats_;
  stats_ = MarkerStats();
  return s;
}

void MarkerPool::WorkerMain(int index) {
  MarkWorklist::Local local(worklist_);
  uint64_t seen_round = 0;
  for (;;) {
    uint8_t epoch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++parked_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return round_ != seen_round || stop_; });
      if (stop_) return;
      --parked_;
      seen_round = round_;
      epoch = epoch_;
    }
    RunRound(local, epoch);
  }
}

void MarkerPool::RunRound(MarkWorklist::Local& local, uint8_t epoch) {
  MarkerStats stats;
  int64_t cpu0 = ThreadCpuNanos();
  // Adds this marker's work so far to stats_ (mu_ held). Done at every idle
  // transition, so the stats are complete when the round ends.
  auto account = [&] {
    const int64_t now = ThreadCpuNanos();
    stats_.cpu_ns += now - cpu0;
    stats_.bytes += stats.bytes;
    stats_.objects += stats.objects;
    cpu0 = now;
    stats = MarkerStats();
  };
  constexpr uint64_t kReportEvery = 64;   // objects between counter updates
  constexpr uint64_t kShareEvery = 1024;  // objects between "pool empty?" checks
  auto report = [&](uint64_t bytes) {
    if (bytes == 0) return;
    scan_done_->fetch_add(bytes, std::memory_order_relaxed);
    // seq_cst: the credit listener's check for waiting assists pairs with it.
    bg_credit_->fetch_add(static_cast<int64_t>(bytes), std::memory_order_seq_cst);
    if (credit_listener_) credit_listener_();
  };
  for (;;) {
    uint64_t reported_bytes = 0;
    uint64_t count = 0;
    Object* obj;
    while (local.Pop(&obj)) {
      stats.bytes += Blacken(obj, epoch, local);
      ++stats.objects;
      if (++count % kReportEvery == 0) {
        report(stats.bytes - reported_bytes);
        reported_bytes = stats.bytes;
        if (local.IsLocalEmpty()) continue;
        if (idle_.load(std::memory_order_relaxed) > 0) {
          // A peer is idle: share, and wake it.
          local.Publish();
          { std::lock_guard<std::mutex> lock(mu_); }  // no lost wake-up
          cv_.notify_all();
        } else if (count % kShareEvery == 0 && worklist_->IsEmpty()) {
          // Keep some work where assisting mutators can find it.
          local.Publish();
        }
      }
    }
    report(stats.bytes - reported_bytes);
    // Out of work: go idle; rejoin if the pool gets work, end the round when
    // nobody is busy.
    std::unique_lock<std::mutex> lock(mu_);
    account();
    --busy_;
    for (;;) {
      if (!round_active_) return;
      if (!worklist_->IsEmpty()) {
        ++busy_;
        break;
      }
      if (busy_ == 0) {
        ++stats_.rounds;
        round_active_ = false;
        cv_.notify_all();
        return;
      }
      idle_.fetch_add(1, std::memory_order_relaxed);
      cv_.wait(lock);
      idle_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
}

}  // namespace gclab
