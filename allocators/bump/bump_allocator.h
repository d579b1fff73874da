// BumpAllocator: a bump-pointer region allocator with Immix-style hole bumping
// (Blackburn & McKinley, "Immix: A Mark-Region Garbage Collector with Space
// Efficiency, Fast Collection, and Mutator Performance", PLDI 2008), without
// Immix's lines: holes are exact byte ranges recomputed by the sweep.
//
// Properties
// - Allocation is a pointer bump in the calling thread's cache (TLAB); no lock,
//   no atomic RMW. A cache refills by moving to the next hole of its region,
//   then to another region (lock-protected lists), sweeping lazily if needed.
// - Objects of `large_object_bytes` or more go to the LargeObjectSpace (own
//   mapping per object).
// - No per-object free list: freed memory is reused only after the sweep that
//   turns it into a hole. Fragmentation shows up as small holes that a large
//   request skips.
//
// Data structures
// - Region: `region_bytes` (power of two, default 256 KiB) aligned to its own
//   size, so the region of a cell is `cell & ~(region_bytes - 1)`. Its first
//   kRegionHeaderBytes hold the Region descriptor (state, holes, stats); the
//   rest is a contiguous sequence of cells, each starting with an ObjectHeader
//   whose `size` leads to the next. Free runs are fillers (kFreeMagic, type
//   nullptr, see cell_utils.h), so a region is always parseable.
// - Region::holes: the free runs found by the last sweep (address order). A
//   cache owning the region bumps through them in order, skipping holes too
//   small for the request (they stay fillers until the next sweep).
// - Allocator lists (mu_): all regions, `available_` (swept, not owned, with a
//   hole), `unswept_` (to sweep this cycle), and the registered caches.
//
// Sweep (per region, by whichever thread claims it from `unswept_`): walk the
// cells in address order; a cell is live iff it is an object with
// mark == live_epoch; runs of dead objects and fillers are merged into one
// filler (payload poisoned when poison_freed) and recorded as holes. A wholly
// free region is returned to the PageSource (units_released). Regions go
// kUnswept -> kSweeping -> kAvailable/kFull or released.
//
// Thread-safety
// - Allocate: lock-free on the fast path; refills take mu_ briefly (the lazy
//   sweep of a claimed region runs outside the lock).
// - SweepSome/FinishSweep claim regions from `unswept_` under mu_ and sweep
//   them outside it; a region is touched by exactly one owner at a time (a
//   cache, or a sweeper), with ownership handed over under mu_. Caches only
//   ever own swept or fresh regions, so no sweep can see a cell allocated after
//   PrepareForSweep.
// - PrepareForSweep (world stopped) retires every cache: the rest of its
//   current run becomes a filler and its region joins `unswept_`.
// - ForEachObject/VerifyFreeMemory (world stopped) first *seal* each cache
//   (write a filler over its unused run [cursor, limit)) so regions parse.
//
// Free(cell): the cell becomes a filler (payload poisoned when poison_freed)
// right away, under mu_ (so it never races with a sweep of that region); its
// bytes are subtracted from the stats, but the memory is reused only after the
// next sweep of its region merges it into a hole. Large cells are unmapped.
#ifndef GCLAB_ALLOCATORS_BUMP_BUMP_ALLOCATOR_H_
#define GCLAB_ALLOCATORS_BUMP_BUMP_ALLOCATOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "allocators/counters.h"
#include "allocators/large_object_space.h"
#include "allocators/page_source.h"
#include "allocators/sweep_cycle.h"
#include "interfaces/allocator.h"

namespace gclab {

struct BumpAllocatorConfig {
  // Region size: power of two in [64 KiB, 16 MiB].
  size_t region_bytes = size_t{256} << 10;
  // Cells of at least this size use the large-object path. Multiple of 8,
  // at least 256 and at most region_bytes / 4.
  size_t large_object_bytes = size_t{64} << 10;
  // Regions swept per SweepSome call (>= 1).
  size_t regions_per_sweep_step = 4;
  // Wholly free regions the PageSource keeps mapped for reuse.
  size_t retained_regions = 4;
};

// A bump allocator (not yet initialized), or InvalidArgument naming the first
// bad field of `config` ("bump.region_bytes must be ...").
absl::StatusOr<std::unique_ptr<Allocator>> NewBumpAllocator(const BumpAllocatorConfig& config = {});

class BumpAllocator final : public Allocator {
 public:
  ~BumpAllocator() override;

  absl::string_view name() const override { return "bump"; }
  const AllocatorCapabilities& capabilities() const override;
  absl::Status Initialize(const AllocatorOptions& options) override;
  AllocatorCache* NewCache() override;
  void DeleteCache(AllocatorCache* cache) override;
  void* Allocate(AllocatorCache* cache, size_t size) override;
  void Free(AllocatorCache* cache, void* cell) override;
  void PrepareForSweep(uint8_t live_epoch) override;
  bool SweepSome() override;
  SweepStats FinishSweep() override;
  void ForEachObject(const std::function<void(Object*)>& f) override;
  absl::Status VerifyFreeMemory() override;
  bool Contains(const void* p) const override;
  AllocatorStats GetStats() const override;

  // Number of regions currently mapped (for tests).
  size_t RegionCountForTesting() const;
  size_t region_usable_bytes() const { return region_bytes_ - kRegionHeaderBytes; }

  static constexpr size_t kRegionHeaderBytes = 256;

 private:
  friend absl::StatusOr<std::unique_ptr<Allocator>> NewBumpAllocator(
      const BumpAllocatorConfig& config);
  // `config` has been validated by NewBumpAllocator.
  explicit BumpAllocator(const BumpAllocatorConfig& config);

  struct Hole {
    uint32_t offset;  // from region base
    uint32_t size;
  };
  enum class RegionState : uint8_t { kOwned, kAvailable, kFull, kUnswept, kSweeping };
  struct Region {
    uint64_t magic;
    RegionState state;
    std::vector<Hole> holes;    // from the last sweep, address order
    size_t next_hole = 0;       // first hole not yet taken by a cache
    uint32_t largest_hole = 0;  // over holes[next_hole..]
  };
  struct Cache;

  char* RegionBegin(Region* r) const { return reinterpret_cast<char*>(r) + kRegionHeaderBytes; }
  char* RegionEnd(Region* r) const { return reinterpret_cast<char*>(r) + region_bytes_; }
  Region* RegionOf(const void* p) const {
    return reinterpret_cast<Region*>(reinterpret_cast<uintptr_t>(p) & ~(region_bytes_ - 1));
  }

  void* AllocateSlow(Cache* c, size_t size);
  bool TakeHole(Cache* c, size_t size);
  void RetireCacheLocked(Cache* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SealCacheLocked(Cache* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void RecomputeLargestHole(Region* r);
  Region* MapRegion();
  // Sweeps a region claimed from unswept_ (state kSweeping); returns true if
  // it is wholly free.
  bool SweepRegion(Region* r, uint8_t live_epoch, SweepStats* stats);
  // Takes an unswept region for sweeping (kSweeping, claimed in cycle_) and
  // the epoch to sweep with; nullptr if none is left.
  Region* ClaimUnsweptLocked(uint8_t* live_epoch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the sweep of a claimed region: its stats go to the cycle and the
  // freed counters.
  void EndSweepLocked(const SweepStats& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // EndSweepLocked, then releases r if wholly free, else makes it
  // available/full.
  void PublishSweptLocked(Region* r, bool wholly_free, SweepStats s)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static bool RegionNotSweeping(Region* r) { return r->state != RegionState::kSweeping; }
  void ReleaseRegionLocked(Region* r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Claims and sweeps one unswept region; false if none was left.
  bool SweepOneRegion();
  // World stopped: seals every cache (a filler over its unused run, so the
  // regions parse) and returns the regions.
  std::vector<Region*> SealCachesAndListRegions();

  const BumpAllocatorConfig config_;
  const size_t region_bytes_;
  AllocatorOptions options_;
  bool initialized_ = false;
  std::unique_ptr<PageSource> pages_;
  std::unique_ptr<LargeObjectSpace> large_;

  // std::mutex rather than absl::Mutex: the system Abseil is not built with
  // TSan, so TSan would not see absl::Mutex's happens-before edges.
  mutable std::mutex mu_;
  std::set<Region*> regions_ ABSL_GUARDED_BY(mu_);
  std::vector<Region*> available_ ABSL_GUARDED_BY(mu_);
  std::vector<Region*> unswept_ ABSL_GUARDED_BY(mu_);
  std::set<Cache*> caches_ ABSL_GUARDED_BY(mu_);
  uint8_t live_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  SweepCycle cycle_ ABSL_GUARDED_BY(mu_);  // unit_swept(): a region finished sweeping

  // Region cells (large cells: LargeObjectSpace): deleted caches' counts,
  // and what sweeps and Free freed.
  AllocationCounters counters_;
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_BUMP_BUMP_ALLOCATOR_H_
