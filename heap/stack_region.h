// StackRegion: a per-thread LIFO region beside the GC heap, where escape
// analysis places objects that do not escape their frame (Go's stack
// allocation). Objects in it carry ObjectHeader::kStackAllocated, are never
// marked or freed by a collector, and their pointer fields are roots: a
// collector visits them with every other root of the thread. Memory is freed
// when the StackFrame that allocated it ends.
//
// Invariant (Go's): no heap object and no global points into a stack region;
// the verifier checks it.
//
// Example
//   StackFrame frame(m);
//   Object* tmp = m->StackAllocate(kPointType);   // gone when `frame` ends
#ifndef GCLAB_HEAP_STACK_REGION_H_
#define GCLAB_HEAP_STACK_REGION_H_

#include <cstddef>

#include "object/object.h"

namespace gclab {

class Mutator;

class StackRegion {
 public:
  explicit StackRegion(size_t capacity_bytes);
  ~StackRegion();
  StackRegion(const StackRegion&) = delete;
  StackRegion& operator=(const StackRegion&) = delete;

  // Returns a cell of `size` bytes, or nullptr if the region is full.
  void* Allocate(size_t size) {
    if (size > capacity_ - top_) return nullptr;
    void* cell = base_ + top_;
    top_ += size;
    return cell;
  }
  size_t top() const { return top_; }
  // Pops back to `top` (a value of top() taken earlier); poisons
  // [top, old top) when poison is on. Inline: compiled code pops a frame per
  // call.
  void Reset(size_t top) {
    if (poison_) {
      ResetPoisoned(top);
    } else if (top < top_) {
      top_ = top;
    }
  }
  bool Contains(const void* p) const {
    const char* c = static_cast<const char*>(p);
    return c >= base_ && c < base_ + top_;
  }
  size_t capacity() const { return capacity_; }

  // Calls f(Object*) for every object in the region, in allocation order.
  template <typename F>
  void ForEachObject(F&& f) {
    size_t pos = 0;
    while (pos < top_) {
      Object* o = reinterpret_cast<Object*>(base_ + pos);
      pos += o->size();
      f(o);
    }
  }

  void set_poison(bool poison) { poison_ = poison; }

 private:
  void ResetPoisoned(size_t top);

  char* base_ = nullptr;
  size_t capacity_ = 0;
  size_t top_ = 0;
  bool poison_ = false;
};

// Scope of stack allocations (one Go function frame).
class StackFrame {
 public:
  explicit StackFrame(Mutator* m);
  ~StackFrame();
  StackFrame(const StackFrame&) = delete;
  StackFrame& operator=(const StackFrame&) = delete;

 private:
  Mutator* mutator_;
  size_t saved_top_;
};

}  // namespace gclab

#endif  // GCLAB_HEAP_STACK_REGION_H_
