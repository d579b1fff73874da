// LargeObjectSpace: the large-object path shared by the bump and free-list
// allocators. Each large object gets its own page-aligned mapping from the
// PageSource (size rounded up to kOsPageSize) and is recorded in an
// address-ordered table (for Free, Contains-style lookups, ForEachObject and
// the sweep). A sweep frees (unmaps) every object recorded before
// PrepareForSweep whose header mark is not the live epoch; objects allocated
// after PrepareForSweep are never examined by that sweep (each entry carries
// the sweep generation it was allocated or last swept in).
//
// Thread-safe: one mutex; every operation is per large object (>= 1 mapping),
// so the lock is never on a small-object hot path.
#ifndef GCLAB_ALLOCATORS_LARGE_OBJECT_SPACE_H_
#define GCLAB_ALLOCATORS_LARGE_OBJECT_SPACE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "allocators/page_source.h"
#include "interfaces/allocator.h"
#include "object/object.h"

namespace gclab {

class LargeObjectSpace {
 public:
  explicit LargeObjectSpace(PageSource* pages) : pages_(pages) {}
  ~LargeObjectSpace();  // unmaps every remaining object

  // A fresh, page-aligned cell of `size` bytes, or nullptr at the heap limit.
  void* Allocate(size_t size);
  // Unmaps `cell`. Returns false if `cell` is not a large object of this space.
  bool Free(void* cell);
  bool Owns(const void* cell) const;

  // World stopped: every current object becomes subject to the next sweep.
  void PrepareForSweep(uint8_t live_epoch);
  // Sweeps up to `max_objects` pending objects; returns true if any remain.
  bool SweepSome(size_t max_objects, SweepStats* stats);

  // World stopped.
  void ForEachObject(const std::function<void(Object*)>& f) const;

  size_t in_use_bytes() const;
  size_t objects() const;

 private:
  struct Entry {
    size_t size;         // cell size
    size_t mapped;       // mapping size
    uint64_t swept_gen;  // generation allocated or last swept in
  };

  PageSource* const pages_;
  mutable std::mutex mu_;
  std::map<uintptr_t, Entry> objects_ ABSL_GUARDED_BY(mu_);
  std::vector<uintptr_t> pending_ ABSL_GUARDED_BY(mu_);  // to sweep this cycle
  uint64_t gen_ ABSL_GUARDED_BY(mu_) = 0;
  uint8_t live_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  size_t in_use_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_LARGE_OBJECT_SPACE_H_
