// MarkWorklist: the grey set of a marking collector, as a segmented stack.
//
// Objects are pushed and popped through a per-thread Local view that owns two
// small segments (push and pop); only full or empty segments move between a
// Local and the shared pool, under the pool's mutex. So the hot path (Push,
// Pop) takes no lock, and several marker threads share work at segment
// granularity (V8 cppgc's Worklist / MMTk's work packets).
//
// Valid call sequence
//   MarkWorklist wl;
//   MarkWorklist::Local local(&wl);      // one per marking thread
//   local.Push(obj); ... local.Pop(&obj) ...
//   local.Publish();                      // before the thread stops marking,
//                                         // so no grey object is stranded
//   wl.IsEmpty()                          // true once every Local published
//                                         // and drained
#ifndef GCLAB_COLLECTORS_COMMON_MARK_WORKLIST_H_
#define GCLAB_COLLECTORS_COMMON_MARK_WORKLIST_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "object/object.h"

namespace gclab {

class MarkWorklist {
 public:
  static constexpr size_t kSegmentCapacity = 256;

  struct Segment {
    size_t size = 0;
    Object* items[kSegmentCapacity];
    bool full() const { return size == kSegmentCapacity; }
    bool empty() const { return size == 0; }
  };

  class Local {
   public:
    explicit Local(MarkWorklist* worklist)
        : worklist_(worklist),
          push_(std::make_unique<Segment>()),
          pop_(std::make_unique<Segment>()) {}
    ~Local() { Publish(); }
    Local(const Local&) = delete;
    Local& operator=(const Local&) = delete;

    void Push(Object* obj) {
      if (push_->full()) {
        worklist_->PushSegment(std::move(push_));
        push_ = std::make_unique<Segment>();
      }
      push_->items[push_->size++] = obj;
    }

    bool Pop(Object** out) {
      if (pop_->empty()) {
        if (!push_->empty()) {
          std::swap(push_, pop_);
        } else {
          std::unique_ptr<Segment> s = worklist_->PopSegment();
          if (s == nullptr) return false;
          pop_ = std::move(s);
        }
      }
      *out = pop_->items[--pop_->size];
      return true;
    }

    bool IsLocalEmpty() const { return push_->empty() && pop_->empty(); }

    // Hands every locally held object to the shared pool.
    void Publish() {
      if (!push_->empty()) {
        worklist_->PushSegment(std::move(push_));
        push_ = std::make_unique<Segment>();
      }
      if (!pop_->empty()) {
        worklist_->PushSegment(std::move(pop_));
        pop_ = std::make_unique<Segment>();
      }
    }

   private:
    MarkWorklist* worklist_;
    std::unique_ptr<Segment> push_;
    std::unique_ptr<Segment> pop_;
  };

  // True iff the shared pool holds no segment (Locals may still hold work).
  bool IsEmpty() const { return pool_size_.load(std::memory_order_acquire) == 0; }
  size_t SegmentCountForTesting() const { return pool_size_.load(std::memory_order_acquire); }

 private:
  void PushSegment(std::unique_ptr<Segment> s) {
    std::lock_guard<std::mutex> lock(mu_);
    pool_.push_back(std::move(s));
    pool_size_.store(pool_.size(), std::memory_order_release);
  }
  std::unique_ptr<Segment> PopSegment() {
    if (IsEmpty()) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    if (pool_.empty()) return nullptr;
    std::unique_ptr<Segment> s = std::move(pool_.back());
    pool_.pop_back();
    pool_size_.store(pool_.size(), std::memory_order_release);
    return s;
  }

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Segment>> pool_;  // guarded by mu_
  std::atomic<size_t> pool_size_{0};
};

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_COMMON_MARK_WORKLIST_H_
