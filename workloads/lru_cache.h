// LRU cache: a hash table plus a recency list, all in the managed heap, under
// a skewed request stream. Values have random sizes; entries live from a few
// requests (cold keys, evicted soon) to the whole run (hot keys): mixed
// lifetimes, pointer-heavy updates (list splicing) on every hit.
//
// Validation: a model (std::list + hash map outside the heap) runs the same
// requests; every request's hit/miss must agree with it, every hit's value
// must carry the stamp and size the model recorded, and at the end the recency
// order, the contents and the hit/miss totals must equal the model's.
#ifndef GCLAB_WORKLOADS_LRU_CACHE_H_
#define GCLAB_WORKLOADS_LRU_CACHE_H_

#include <cstdint>
#include <functional>

#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

class LruCache : public Workload {
 public:
  explicit LruCache(const LruCacheParams& params) : params_(params) {}
  absl::string_view name() const override { return "lru_cache"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

  // Test seam: called on the mutator after the last request and before the
  // final validation with the list sentinel (for corruption tests).
  void set_before_validation_hook(std::function<void(Mutator*, Object* sentinel)> hook) {
    before_validation_hook_ = std::move(hook);
  }

 private:
  LruCacheParams params_;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
  std::function<void(Mutator*, Object*)> before_validation_hook_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_LRU_CACHE_H_
