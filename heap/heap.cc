#include "heap/heap.h"

#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "heap/checkmark.h"
#include "heap/mutator.h"
#include "heap/verifier.h"

namespace gclab {

void ApplyHeapEnvironment(HeapConfig* config) {
  auto truthy = [](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && v[0] != '\0' && std::strcmp(v, "0") != 0;
  };
  if (truthy("GCLAB_VERIFY")) config->verify = true;
  if (truthy("GCLAB_CHECKMARK")) config->checkmark = true;
  if (truthy("GCLAB_GCTRACE")) config->gctrace = true;
}

absl::StatusOr<std::unique_ptr<Heap>> Heap::Create(const HeapConfig& config,
                                                   std::unique_ptr<Allocator> allocator,
                                                   std::unique_ptr<Collector> collector) {
  if (allocator == nullptr || collector == nullptr) {
    return absl::InvalidArgumentError("Heap::Create needs an allocator and a collector");
  }
  if (config.heap_limit_bytes < (size_t{1} << 20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("heap_limit_bytes must be at least 1 MiB, got ", config.heap_limit_bytes));
  }
  if (config.allocation_check_bytes == 0) {
    return absl::InvalidArgumentError("allocation_check_bytes must be positive");
  }
  if (config.stack_region_bytes > kMaxStackRegionBytes) {
    // Mapped per thread at attach, where a failure can only abort.
    return absl::InvalidArgumentError(absl::StrCat("stack_region_bytes must be at most ",
                                                   kMaxStackRegionBytes, ", got ",
                                                   config.stack_region_bytes));
  }
  AllocatorOptions options;
  options.heap_limit_bytes = config.heap_limit_bytes;
  options.poison_freed = config.verify || config.poison_freed;
  absl::Status s = allocator->Initialize(options);
  if (!s.ok()) return s;
  std::unique_ptr<Heap> heap(new Heap(config, std::move(allocator), std::move(collector)));
  s = heap->collector_->Attach(heap.get());
  if (!s.ok()) return s;
  return heap;
}

Heap::Heap(const HeapConfig& config, std::unique_ptr<Allocator> allocator,
           std::unique_ptr<Collector> collector)
    : config_(config),
      allocator_(std::move(allocator)),
      collector_(std::move(collector)),
      constraints_(collector_->constraints()),
      start_time_(absl::Now()),
      allocation_check_bytes_(config.allocation_check_bytes) {}

Heap::~Heap() {
  {
    std::lock_guard<std::mutex> lock(mutators_mu_);
    if (!mutators_.empty()) {
      std::fprintf(stderr, "gclab: Heap destroyed with %zu attached mutators\n", mutators_.size());
      std::abort();
    }
  }
  collector_->Shutdown();
}

Mutator* Heap::AttachCurrentThread() {
  Mutator* m;
  {
    std::lock_guard<std::mutex> stw(stw_mu_);
    std::lock_guard<std::mutex> lock(mutators_mu_);
    static std::atomic<int> next_id{1};
    auto owned = std::unique_ptr<Mutator>(new Mutator(
        this, next_id.fetch_add(1), allocator_->NewCache(), config_.stack_region_bytes));
    owned->stack_region_.set_poison(config_.verify || config_.poison_freed);
    owned->budget_ = static_cast<int64_t>(allocation_check_bytes());
    m = owned.get();
    mutators_.push_back(std::move(owned));
    collector_->OnMutatorAttached(m);
  }
  m->Unpark();  // born parked; waits here if the world is stopped
  return m;
}

void Heap::DetachCurrentThread(Mutator* m) {
  m->Park();
  std::lock_guard<std::mutex> stw(stw_mu_);
  collector_->OnMutatorDetaching(m);
  FlushMutatorCounters(m);
  allocator_->DeleteCache(m->cache_);
  m->cache_ = nullptr;
  std::lock_guard<std::mutex> lock(mutators_mu_);
  for (auto it = mutators_.begin(); it != mutators_.end(); ++it) {
    if (it->get() == m) {
      mutators_.erase(it);
      return;
    }
  }
  std::fprintf(stderr, "gclab: DetachCurrentThread of an unknown mutator\n");
  std::abort();
}

size_t Heap::mutator_count() const {
  std::lock_guard<std::mutex> lock(mutators_mu_);
  return mutators_.size();
}

Object** Heap::NewGlobalRoot() {
  std::lock_guard<std::mutex> lock(globals_mu_);
  globals_.push_back(std::make_unique<Object*>(nullptr));
  return globals_.back().get();
}

void Heap::DeleteGlobalRoot(Object** slot) {
  {
    // Serialized with pauses and handshakes: the barrier switch cannot flip
    // between the check and the store, and no pause sees a half-done store.
    std::lock_guard<std::mutex> stw(stw_mu_);
    if (write_barrier_enabled()) {
      collector_->WriteBarrierSlow(nullptr, nullptr, slot, nullptr);
    } else {
      StorePointerRaw(slot, nullptr);
    }
  }
  EraseGlobalRoot(slot);
}

void Heap::EraseGlobalRoot(Object** slot) {
  std::lock_guard<std::mutex> lock(globals_mu_);
  for (auto it = globals_.begin(); it != globals_.end(); ++it) {
    if (it->get() == slot) {
      globals_.erase(it);
      return;
    }
  }
}

uint8_t Heap::AdvanceEpoch() {
  uint8_t e = epoch_.load(std::memory_order_relaxed);
  e = e == 255 ? 1 : e + 1;  // 0 is never an epoch: stack objects carry it
  epoch_.store(e, std::memory_order_relaxed);
  return e;
}

void Heap::SetWriteBarrierEnabled(bool enabled) {
  write_barrier_enabled_.store(enabled, std::memory_order_relaxed);
}

int64_t Heap::StopTheWorld(Mutator* self) {
  if (self != nullptr) self->Park();
  stw_mu_.lock();
  const int64_t t0 = NowNanos();
  safepoint_requested_.store(true, std::memory_order_seq_cst);
  std::vector<Mutator*> running;
  {
    std::lock_guard<std::mutex> lock(mutators_mu_);
    for (auto& m : mutators_) {
      m->poll_flag_.store(true, std::memory_order_seq_cst);
      running.push_back(m.get());
    }
  }
  for (Mutator* m : running) {
    int spins = 0;
    while (m->state_.load(std::memory_order_seq_cst) != Mutator::kParked) {
      if (++spins < 64) {
        sched_yield();
      } else {
        absl::SleepFor(absl::Microseconds(20));
      }
    }
  }
  world_stopped_.store(true, std::memory_order_release);
  return NowNanos() - t0;
}

void Heap::ResumeTheWorld(Mutator* self) {
  world_stopped_.store(false, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(resume_mu_);
    safepoint_requested_.store(false, std::memory_order_seq_cst);
    std::lock_guard<std::mutex> mlock(mutators_mu_);
    for (auto& m : mutators_) m->UpdatePollFlag();
    resume_cv_.notify_all();
  }
  stw_mu_.unlock();
  if (self != nullptr) self->Unpark();
}

void Heap::WaitForResume() {
  std::unique_lock<std::mutex> lock(resume_mu_);
  resume_cv_.wait(lock, [&] { return !safepoint_requested_.load(std::memory_order_seq_cst); });
}

void Heap::Handshake(Mutator* self, const std::function<void(Mutator*)>& fn) {
  if (self != nullptr) {
    fn(self);
    // A running mutator must not wait for stw_mu_: a StopTheWorld holding it
    // waits for this mutator to park (and another Handshake holding it, for
    // this mutator's handshake, which Park runs). So park first, as
    // StopTheWorld does.
    self->Park();
  }
  HandshakeOthers(self, fn);
  if (self != nullptr) self->Unpark();
}

void Heap::HandshakeOthers(Mutator* self, const std::function<void(Mutator*)>& fn) {
  std::lock_guard<std::mutex> stw(stw_mu_);
  std::vector<Mutator*> targets;
  {
    std::lock_guard<std::mutex> lock(mutators_mu_);
    for (auto& m : mutators_) {
      if (m.get() == self) continue;
      m->handshake_fn_ = &fn;
      m->handshake_done_.store(false, std::memory_order_relaxed);
      m->handshake_pending_.store(true, std::memory_order_seq_cst);
      m->poll_flag_.store(true, std::memory_order_seq_cst);
      targets.push_back(m.get());
    }
  }
  for (Mutator* m : targets) {
    int spins = 0;
    while (!m->handshake_done_.load(std::memory_order_acquire)) {
      if (m->state_.load(std::memory_order_seq_cst) == Mutator::kParked) {
        // Hold the mutator parked and run its handshake on its behalf.
        std::lock_guard<std::mutex> mlock(m->mu_);
        if (m->state_.load(std::memory_order_seq_cst) == Mutator::kParked) {
          m->RunPendingHandshake();
        }
        continue;
      }
      if (++spins < 64) {
        sched_yield();
      } else {
        absl::SleepFor(absl::Microseconds(20));
      }
    }
  }
}

void Heap::ForEachMutator(absl::FunctionRef<void(Mutator*)> f) {
  std::lock_guard<std::mutex> lock(mutators_mu_);
  for (auto& m : mutators_) f(m.get());
}

void Heap::VisitGlobalRoots(RootVisitor visitor) {
  std::lock_guard<std::mutex> lock(globals_mu_);
  for (auto& g : globals_) visitor(g.get());
}

void Heap::VisitMutatorRoots(Mutator* m, RootVisitor visitor) {
  m->shadow_stack_.ForEachSlot([&](Object** slot) { visitor(slot); });
  m->stack_region_.ForEachObject(
      [&](Object* o) { o->ForEachPointerSlot([&](Object** slot) { visitor(slot); }); });
}

void Heap::VisitRoots(RootVisitor visitor) {
  VisitGlobalRoots(visitor);
  std::lock_guard<std::mutex> lock(mutators_mu_);
  for (auto& m : mutators_) VisitMutatorRoots(m.get(), visitor);
}

void Heap::NoteSweepFinished(uint64_t live_bytes_after_sweep) {
  heap_in_use_bytes_.store(live_bytes_after_sweep, std::memory_order_relaxed);
}

void Heap::NoteBytesFreed(uint64_t bytes) {
  uint64_t cur = heap_in_use_bytes_.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    next = cur > bytes ? cur - bytes : 0;
  } while (!heap_in_use_bytes_.compare_exchange_weak(cur, next, std::memory_order_relaxed));
}

void Heap::FlushMutatorCounters(Mutator* m) {
  const uint64_t bytes = m->bytes_allocated_ - m->flushed_bytes_;
  bytes_allocated_.fetch_add(bytes, std::memory_order_relaxed);
  objects_allocated_.fetch_add(m->objects_allocated_ - m->flushed_objects_,
                               std::memory_order_relaxed);
  stack_objects_allocated_.fetch_add(m->stack_objects_allocated_ - m->flushed_stack_objects_,
                                     std::memory_order_relaxed);
  m->flushed_bytes_ = m->bytes_allocated_;
  m->flushed_objects_ = m->objects_allocated_;
  m->flushed_stack_objects_ = m->stack_objects_allocated_;
  const uint64_t in_use = heap_in_use_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  stats_.ObserveHeapInUse(in_use);
}

void Heap::VerifyAfterCollection(int marked_epoch, absl::string_view when) {
  if (!config_.verify) return;
  absl::Status s = VerifyNow(marked_epoch);
  if (!s.ok()) {
    std::fprintf(stderr, "gclab: heap verification failed after %s (%s/%s): %s\n",
                 std::string(when).c_str(), std::string(collector_->name()).c_str(),
                 std::string(allocator_->name()).c_str(), s.ToString().c_str());
    std::abort();
  }
}

void Heap::CheckmarkAfterMarking(uint8_t epoch) {
  if (!config_.checkmark) return;
  absl::Status s = Checkmark(*this, epoch);
  if (!s.ok()) {
    std::fprintf(stderr, "gclab: %s/%s: %s\n", std::string(collector_->name()).c_str(),
                 std::string(allocator_->name()).c_str(), std::string(s.message()).c_str());
    std::abort();
  }
}

void Heap::FlushAllMutatorCounters() {
  std::lock_guard<std::mutex> lock(mutators_mu_);
  for (auto& m : mutators_) FlushMutatorCounters(m.get());
}

absl::Status Heap::VerifyNow(int marked_epoch) {
  stats_.verifier_runs.fetch_add(1, std::memory_order_relaxed);
  return VerifyHeap(*this, marked_epoch);
}

bool Heap::IsInStackRegion(const void* p) {
  std::lock_guard<std::mutex> lock(mutators_mu_);
  for (auto& m : mutators_) {
    if (m->stack_region_.Contains(p)) return true;
  }
  return false;
}

}  // namespace gclab
