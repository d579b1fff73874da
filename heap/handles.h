// Precise roots for mutator threads: a shadow stack of root slots per thread.
//
// A HandleScope marks a position in the thread's shadow stack; every Local
// created while it is the innermost scope lives in a slot of that stack and is
// dropped when the scope ends (LIFO, like C++ automatic variables). Collectors
// visit every slot of every thread's shadow stack as a root; a moving collector
// may update them.
//
// Example
//   HandleScope scope(m);
//   Local node(m, m->Allocate(kNodeType).value());
//   Local child(m, m->Allocate(kNodeType).value());
//   m->Store(node.get(), kLeftOffset, child.get());
//
// Slots are only written by the owning thread, and only read by others while
// that thread is stopped or parked (or from its own handshake), so they are
// plain memory.
#ifndef GCLAB_HEAP_HANDLES_H_
#define GCLAB_HEAP_HANDLES_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "object/object.h"

namespace gclab {

class Mutator;

// Chunked stack of root slots; slot addresses are stable while they exist.
class ShadowStack {
 public:
  static constexpr size_t kBlockSlots = 1024;

  Object** Push(Object* value) {
    if (top_ == capacity_) Grow();
    Object** slot = &blocks_[top_ / kBlockSlots][top_ % kBlockSlots];
    *slot = value;
    ++top_;
    return slot;
  }
  size_t size() const { return top_; }
  void Truncate(size_t size) { top_ = size; }

  template <typename F>
  void ForEachSlot(F&& f) {
    for (size_t i = 0; i < top_; ++i) f(&blocks_[i / kBlockSlots][i % kBlockSlots]);
  }

 private:
  void Grow() {
    blocks_.push_back(std::make_unique<Object*[]>(kBlockSlots));
    capacity_ += kBlockSlots;
  }

  std::vector<std::unique_ptr<Object*[]>> blocks_;
  size_t top_ = 0;
  size_t capacity_ = 0;
};

// A root slot in the current thread's shadow stack.
class Local {
 public:
  Local(Mutator* m, Object* value = nullptr);
  Object* get() const { return *slot_; }
  void set(Object* value) { *slot_ = value; }
  Object** slot() const { return slot_; }
  explicit operator bool() const { return *slot_ != nullptr; }

 private:
  Object** slot_;
};

class HandleScope {
 public:
  explicit HandleScope(Mutator* m);
  ~HandleScope();
  HandleScope(const HandleScope&) = delete;
  HandleScope& operator=(const HandleScope&) = delete;

 private:
  Mutator* mutator_;
  size_t saved_size_;
};

}  // namespace gclab

#endif  // GCLAB_HEAP_HANDLES_H_
