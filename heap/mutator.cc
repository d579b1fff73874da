#include "heap/mutator.h"

#include "absl/strings/str_cat.h"

namespace gclab {

Mutator::Mutator(Heap* heap, int id, AllocatorCache* cache, size_t stack_region_bytes)
    : heap_(heap),
      collector_(heap->collector()),
      id_(id),
      cache_(cache),
      stack_region_(stack_region_bytes) {}

Mutator::~Mutator() = default;

Object* Mutator::TryAllocate(const TypeDescriptor* type, size_t length) {
  const size_t size = ObjectSizeFor(type, length);
  if (size > kMaxObjectSize) return nullptr;  // also kObjectSizeOverflow
  Poll();
  budget_ -= static_cast<int64_t>(size);
  if (budget_ <= 0) {
    // Nothing unrooted is held here, so the collector may stop the world.
    budget_ = static_cast<int64_t>(heap_->allocation_check_bytes());
    heap_->FlushMutatorCounters(this);
    collector_->OnAllocationBudgetExhausted(this);
  }
  void* cell = heap_->allocator_->Allocate(cache_, size);
  if (cell == nullptr) {
    if (!heap_->constraints_.frees_memory) return nullptr;
    collector_->CollectForAllocationFailure(this, size);
    cell = heap_->allocator_->Allocate(cache_, size);
    if (cell == nullptr) return nullptr;
  }
  // No safepoint between here and the return: the epoch cannot change.
  Object* obj = InitializeObject(cell, type, size, heap_->epoch(), 0);
  bytes_allocated_ += size;
  ++objects_allocated_;
  return obj;
}

absl::StatusOr<Object*> Mutator::Allocate(const TypeDescriptor* type, size_t length) {
  Object* obj = TryAllocate(type, length);
  if (obj == nullptr) {
    const size_t size = ObjectSizeFor(type, length);
    if (size > kMaxObjectSize) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate a '", type->name, "' of length ", length, ": ",
                       size == kObjectSizeOverflow
                           ? "its size overflows"
                           : absl::StrCat(size, " bytes is more than the largest object (",
                                          kMaxObjectSize, " bytes)")));
    }
    return absl::ResourceExhaustedError(
        absl::StrCat("out of memory: cannot allocate ", size, " bytes for a '", type->name,
                     "' (length ", length, ") within the heap limit of ",
                     heap_->config().heap_limit_bytes, " bytes after a full collection (collector ",
                     collector_->name(), ", allocator ", heap_->allocator()->name(), ")"));
  }
  return obj;
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
}

void Mutator::Unpark() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      state_.store(kRunning, std::memory_order_seq_cst);
      if (!heap_->safepoint_requested_.load(std::memory_order_seq_cst)) break;
      state_.store(kParked, std::memory_order_seq_cst);
    }
    heap_->WaitForResume();
  }
  // A handshake posted while parked and not yet run on our behalf runs now.
  RunPendingHandshake();
  UpdatePollFlag();
}

// ---- handles.h ----

Local::Local(Mutator* m, Object* value) : slot_(m->shadow_stack().Push(value)) {}

HandleScope::HandleScope(Mutator* m) : mutator_(m), saved_size_(m->shadow_stack().size()) {}

HandleScope::~HandleScope() { mutator_->shadow_stack().Truncate(saved_size_); }

// ---- stack_region.h (StackFrame) ----

StackFrame::StackFrame(Mutator* m) : mutator_(m), saved_top_(m->stack_region().top()) {}

StackFrame::~StackFrame() { mutator_->stack_region().Reset(saved_top_); }

}  // namespace gclab
