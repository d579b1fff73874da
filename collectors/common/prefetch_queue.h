// PrefetchQueue: hides the cache miss of shading behind the scanning of other
// objects (Boehm's mark-stack prefetch; Cher, Hosking & Vijaykumar,
// "Software prefetching for mark-sweep garbage collection", ASPLOS 2004).
//
// Marking a pointer-rich heap is a chain of cache misses: scanning an object
// yields the addresses of its children, and shading a child must read its
// header (the mark byte) before anything else can happen. A marker that
// shades each child as soon as it reads the pointer waits for every miss in
// turn. Instead, each child is prefetched and parked in a small FIFO; it is
// shaded only when kDepth more children have been queued behind it, by which
// time its header is usually in cache.
//
// Deferring a shade is sound within one drain: the drain shades everything
// left in the queue (Flush) before it reports itself idle, stops on a
// budget, or publishes, so no edge is lost; TryMark still decides, with a
// CAS, which of several markers greys an object.
//
//   PrefetchQueue q;
//   obj->ForEachPointerSlot([&](Object** slot) {
//     if (Object* due = q.Exchange(LoadPointer(slot))) Shade(due);
//   });
//   ...
//   q.Flush([&](Object* due) { Shade(due); });  // before going idle
#ifndef GCLAB_COLLECTORS_COMMON_PREFETCH_QUEUE_H_
#define GCLAB_COLLECTORS_COMMON_PREFETCH_QUEUE_H_

#include <cstddef>

#include "object/object.h"

namespace gclab {

class PrefetchQueue {
 public:
  // Shades in flight: about the number of misses a core overlaps.
  static constexpr size_t kDepth = 8;

  // Queues the object the slot word `word` keeps alive (ObjectStart; nothing
  // for nullptr) after prefetching its header, and returns the object that
  // leaves the queue to be shaded now (nullptr if none).
  Object* Exchange(Object* word) {
    Object* obj = ObjectStart(word);
    if (obj == nullptr) return nullptr;
    __builtin_prefetch(obj, /*rw=*/1, /*locality=*/3);  // the mark CAS writes it
    Object* due = ring_[pos_];
    ring_[pos_] = obj;
    pos_ = (pos_ + 1) % kDepth;
    return due;
  }

  // Calls f(obj) for every queued object, oldest first, and empties the queue.
  template <typename F>
  void Flush(F&& f) {
    for (size_t i = 0; i < kDepth; ++i) {
      const size_t at = (pos_ + i) % kDepth;
      if (Object* obj = ring_[at]) {
        ring_[at] = nullptr;
        f(obj);
      }
    }
  }

 private:
  Object* ring_[kDepth] = {};
  size_t pos_ = 0;
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_COMMON_PREFETCH_QUEUE_H_
