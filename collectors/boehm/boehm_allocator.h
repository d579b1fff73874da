// BoehmAllocator: gclab objects in the Boehm-Demers-Weiser collector's heap
// (Debian's libgc 8.2), the allocator half of the boehm pair. Boehm owns the
// memory and finds dead objects itself, so this allocator declares
// Reclamation::kExternalCollector and runs only with a collector that
// requires it: the boehm collector (boehm_collector.h), or nogc.
//
// Allocation. Every gclab object is a Boehm object of one kind with a
// precise mark procedure (boehm_runtime.h). Each cache keeps, per 16-byte
// granule count up to 2 KiB, a list of cleared objects that Boehm handed out
// in a batch (GC_generic_malloc_many); allocating is popping the list (what
// Boehm's own thread-local GC_malloc does for its built-in kinds, which do
// not cover custom kinds). Larger objects come from GC_generic_malloc. The
// cells on a cache's lists are allocated from Boehm's point of view; the
// collector keeps them alive by pushing the list heads as roots.
//
// Free(cell) is GC_free: the object goes back to Boehm's free list at once.
//
// Sweeping. PrepareForSweep, SweepSome and FinishSweep do nothing: Boehm
// sweeps lazily, as its allocation reaches each block.
//
// What the interface's queries mean here
//   ForEachObject   the objects Boehm's last collection marked (reachable
//                   then); objects allocated since are not listed.
//   VerifyFreeMemory  OK: freed objects belong to Boehm, which clears them.
//   Contains(p)     p is inside an object of the gclab kind (GC_base).
//   GetStats        the Boehm heap (GC_get_heap_usage_safe): mapped = heap
//                   size - unmapped, free = Boehm's free bytes, in_use = the
//                   rest; objects = allocated - freed by Free (Boehm's own
//                   frees are not counted).
//
// Heap limit: GC_set_max_heap_size. Boehm's heap never shrinks, so in a
// process whose earlier boehm heap grew larger the effective limit is that
// size. Boehm is process-wide: one boehm heap per process at a time
// (Initialize fails with FailedPrecondition for a second).
#ifndef GCLAB_COLLECTORS_BOEHM_BOEHM_ALLOCATOR_H_
#define GCLAB_COLLECTORS_BOEHM_BOEHM_ALLOCATOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "collectors/boehm/boehm_runtime.h"
#include "interfaces/allocator.h"

namespace gclab {

class BoehmAllocator final : public Allocator {
 public:
  static constexpr size_t kGranuleBytes = 16;
  // Boehm's largest small object (half a 4 KiB block); larger ones are
  // allocated one at a time.
  static constexpr size_t kMaxSmallBytes = 2048;

  BoehmAllocator() = default;
  ~BoehmAllocator() override;

  absl::string_view name() const override { return "boehm"; }
  const AllocatorCapabilities& capabilities() const override;
  absl::Status Initialize(const AllocatorOptions& options) override;
  AllocatorCache* NewCache() override;
  void DeleteCache(AllocatorCache* cache) override;
  void* Allocate(AllocatorCache* cache, size_t size) override;
  void Free(AllocatorCache* cache, void* cell) override;
  void PrepareForSweep(uint8_t live_epoch) override {}
  bool SweepSome() override { return false; }
  SweepStats FinishSweep() override { return SweepStats(); }
  void ForEachObject(const std::function<void(Object*)>& f) override;
  absl::Status VerifyFreeMemory() override { return absl::OkStatus(); }
  bool Contains(const void* p) const override;
  AllocatorStats GetStats() const override;

  // ---- For the boehm collector ----
  // Starts Boehm (once per process) with `markers` marker threads (0:
  // Boehm's choice); called by the collector's Attach, else by the first
  // NewCache. FailedPrecondition if Boehm already runs with another count.
  absl::Status StartBoehm(int markers);
  boehm_internal::BoehmRuntime* runtime() const { return runtime_; }
  // Appends the head of every cache's free lists to `roots` (world stopped).
  void AppendCacheRoots(std::vector<void*>* roots) const;
  // Objects handed out minus objects freed by Free, over the heap's life.
  uint64_t objects_in_use() const;

 private:
  static constexpr size_t kLists = kMaxSmallBytes / kGranuleBytes + 1;
  struct Cache;

  void* AllocateSlow(Cache* c, size_t size);

  AllocatorOptions options_;
  bool initialized_ = false;
  bool acquired_ = false;
  boehm_internal::BoehmRuntime* runtime_ = nullptr;
  int kind_ = 0;

  mutable std::mutex mu_;
  std::vector<Cache*> caches_ ABSL_GUARDED_BY(mu_);
  // Objects handed out / freed by Free, of deleted caches.
  uint64_t retired_allocated_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t retired_freed_ ABSL_GUARDED_BY(mu_) = 0;
};

// The registry's factory (no parameters).
absl::StatusOr<std::unique_ptr<Allocator>> NewBoehmAllocator();

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_BOEHM_BOEHM_ALLOCATOR_H_
