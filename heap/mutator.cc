#include "heap/mutator.h"

#include "absl/strings/str_cat.h"

namespace gclab {

Mutator::Mutator(Heap* heap, int id, AllocatorCache* cache, size_t stack_region_bytes)
    : heap_(heap),
      collector_(heap->collector()),
      allocator_(heap->allocator()),
      id_(id),
      cache_(cache),
      stack_region_(stack_region_bytes) {}

Mutator::~Mutator() = default;

Object* Mutator::TryAllocateSlow(const TypeDescriptor* type, size_t size) {
  if (size > kMaxObjectSize) return nullptr;  // also kObjectSizeOverflow
  Poll();
  budget_ -= static_cast<int64_t>(size);
  if (budget_ <= 0) {
    // Nothing unrooted is held here, so the collector may stop the world.
    budget_ = static_cast<int64_t>(heap_->allocation_check_bytes());
    heap_->FlushMutatorCounters(this);
    collector_->OnAllocationBudgetExhausted(this);
  }
  void* cell = allocator_->Allocate(cache_, size);
  if (cell == nullptr) {
    if (!heap_->constraints_.frees_memory) return nullptr;
    collector_->CollectForAllocationFailure(this, size);
    cell = allocator_->Allocate(cache_, size);
    if (cell == nullptr) return nullptr;
  }
  // No safepoint between here and the return: the epoch cannot change.
  Object* obj = InitializeObject(cell, type, size, heap_->epoch(), 0);
  bytes_allocated_ += size;
  ++objects_allocated_;
  return obj;
}

absl::Status Mutator::OutOfMemory(const TypeDescriptor* type, size_t length) const {
  const size_t size = ObjectSizeFor(type, length);
  if (size > kMaxObjectSize) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "cannot allocate a '", type->name, "' of length ", length, ": ",
        size == kObjectSizeOverflow ? "its size overflows"
                                    : absl::StrCat(size, " bytes is more than the largest object (",
                                                   kMaxObjectSize, " bytes)")));
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("out of memory: cannot allocate ", size, " bytes for a '", type->name,
                   "' (length ", length, ") within the heap limit of ",
                   heap_->config().heap_limit_bytes, " bytes after a full collection (collector ",
                   collector_->name(), ", allocator ", heap_->allocator()->name(), ")"));
}

Object* Mutator::StackAllocate(const TypeDescriptor* type, size_t length) {
  const size_t size = ObjectSizeFor(type, length);
  if (size > kMaxObjectSize) return nullptr;
  void* cell = stack_region_.Allocate(size);
  if (cell == nullptr) return nullptr;
  ++stack_objects_allocated_;
  return InitializeObject(cell, type, size, /*epoch=*/0, ObjectHeader::kStackAllocated);
}

void Mutator::CollectGarbage() { collector_->CollectNow(this); }

void Mutator::FlushCounters() { heap_->FlushMutatorCounters(this); }

void Mutator::DeleteGlobalRoot(Object** global_slot) {
  WriteGlobal(global_slot, nullptr);
  heap_->EraseGlobalRoot(global_slot);
}

void Mutator::UpdatePollFlag() {
  poll_flag_.store(false, std::memory_order_seq_cst);
  if (heap_->safepoint_requested_.load(std::memory_order_seq_cst) ||
      handshake_pending_.load(std::memory_order_seq_cst)) {
    poll_flag_.store(true, std::memory_order_seq_cst);
  }
}

void Mutator::RunPendingHandshake() {
  bool expected = true;
  if (handshake_pending_.compare_exchange_strong(expected, false, std::memory_order_acq_rel)) {
    (*handshake_fn_)(this);
    handshake_done_.store(true, std::memory_order_release);
    heap_->NotifySafepointReached();
  }
}

void Mutator::PollSlow() {
  RunPendingHandshake();
  if (heap_->safepoint_requested_.load(std::memory_order_seq_cst)) {
    Park();
    Unpark();
  }
  UpdatePollFlag();
}

void Mutator::Park() {
  RunPendingHandshake();
  state_.store(kParked, std::memory_order_seq_cst);
  // A StopTheWorld (or Handshake) may be waiting for exactly this.
  if (heap_->safepoint_requested_.load(std::memory_order_seq_cst) ||
      handshake_pending_.load(std::memory_order_seq_cst)) {
    heap_->NotifySafepointReached();
  }
}

void Mutator::Unpark() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      state_.store(kRunning, std::memory_order_seq_cst);
      if (!heap_->safepoint_requested_.load(std::memory_order_seq_cst)) break;
      state_.store(kParked, std::memory_order_seq_cst);
    }
    // The requester may have seen kRunning in between and be waiting.
    heap_->NotifySafepointReached();
    heap_->WaitForResume();
  }
  // A handshake posted while parked and not yet run on our behalf runs now.
  RunPendingHandshake();
  UpdatePollFlag();
}

// ---- stack_region.h (StackFrame) ----

StackFrame::StackFrame(Mutator* m) : mutator_(m), saved_top_(m->stack_region().top()) {}

StackFrame::~StackFrame() { mutator_->stack_region().Reset(saved_top_); }

}  // namespace gclab
