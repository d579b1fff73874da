#include "allocators/bump/bump_allocator.h"

#include <algorithm>
#include <new>
#include <utility>

#include "allocators/cell_utils.h"
#include "allocators/cell_walk.h"
#include "allocators/config_checks.h"
#include "allocators/counters.h"
#include "allocators/sweep_cycle.h"
#include "util/check.h"
#include "util/status_macros.h"

namespace gclab {
namespace {

constexpr uint64_t kRegionMagic = 0x6263726567696f6eull;  // "bcregion"
// A region whose largest hole is smaller than this is kFull (not offered to
// caches until its next sweep): keeps the available list short.
constexpr size_t kMinAvailableHole = 128;

// A run of `run` bytes can hold a cell of `size` and stay parseable: the
// remainder is either empty or big enough for a filler header.
inline bool Fits(size_t run, size_t size) { return run == size || run >= size + kHeaderSize; }

}  // namespace

struct BumpAllocator::Cache final : AllocatorCache {
  uintptr_t cursor = 0;  // next free byte of the current run
  uintptr_t limit = 0;   // end of the current run
  Region* region = nullptr;
  CacheCounters counters;  // region cells only (large cells: LargeObjectSpace)
};

absl::StatusOr<std::unique_ptr<Allocator>> NewBumpAllocator(const BumpAllocatorConfig& config) {
  GCLAB_RETURN_IF_ERROR(
      CheckPowerOfTwoIn("bump.region_bytes", config.region_bytes, 64 * kKiB, 16 * kMiB));
  GCLAB_RETURN_IF_ERROR(CheckMultipleIn("bump.large_object_bytes", config.large_object_bytes,
                                        kObjectAlignment, 256, config.region_bytes / 4,
                                        "region_bytes/4"));
  GCLAB_RETURN_IF_ERROR(
      CheckAtLeast("bump.regions_per_sweep_step", config.regions_per_sweep_step, 1));
  return std::unique_ptr<Allocator>(new BumpAllocator(config));
}

BumpAllocator::BumpAllocator(const BumpAllocatorConfig& config)
    : config_(config), region_bytes_(config.region_bytes) {}

BumpAllocator::~BumpAllocator() {
  std::unique_lock<std::mutex> lock(mu_);
  for (Cache* c : caches_) delete c;
  caches_.clear();
  for (Region* r : regions_) r->~Region();
  regions_.clear();
  // pages_ unmaps every chunk when destroyed (after large_).
}

const AllocatorCapabilities& BumpAllocator::capabilities() const {
  static constexpr AllocatorCapabilities kCapabilities = {
      .free_reuses_memory = false,  // a freed cell is a filler until its region is swept
      .sweep_coalesces = true,      // runs of dead cells and fillers become one hole
  };
  return kCapabilities;
}

absl::Status BumpAllocator::Initialize(const AllocatorOptions& options) {
  if (initialized_) return absl::FailedPreconditionError("bump: Initialize called twice");
  if (options.heap_limit_bytes == 0) {
    return absl::InvalidArgumentError("AllocatorOptions.heap_limit_bytes must be positive");
  }
  options_ = options;
  pages_ = std::make_unique<PageSource>(options.heap_limit_bytes, region_bytes_,
                                        config_.retained_regions);
  large_ = std::make_unique<LargeObjectSpace>(pages_.get());
  initialized_ = true;
  return absl::OkStatus();
}

AllocatorCache* BumpAllocator::NewCache() {
  auto* c = new Cache;
  std::unique_lock<std::mutex> lock(mu_);
  caches_.insert(c);
  return c;
}

void BumpAllocator::DeleteCache(AllocatorCache* cache) {
  auto* c = static_cast<Cache*>(cache);
  {
    std::unique_lock<std::mutex> lock(mu_);
    RetireCacheLocked(c);
    caches_.erase(c);
    counters_.Retire(c->counters);
  }
  delete c;
}

void* BumpAllocator::Allocate(AllocatorCache* cache, size_t size) {
  GCLAB_DCHECK(size >= kHeaderSize && size % kObjectAlignment == 0, "size %zu", size);
  if (size >= config_.large_object_bytes) return large_->Allocate(size);
  auto* c = static_cast<Cache*>(cache);
  const uintptr_t end = c->cursor + size;
  if (end == c->limit || end + kHeaderSize <= c->limit) {
    void* p = reinterpret_cast<void*>(c->cursor);
    c->cursor = end;
    c->counters.CountAllocation(size);
    return p;
  }
  return AllocateSlow(c, size);
}

bool BumpAllocator::TakeHole(Cache* c, size_t size) {
  Region* r = c->region;
  char* base = reinterpret_cast<char*>(r);
  while (r->next_hole < r->holes.size()) {
    const Hole h = r->holes[r->next_hole++];
    if (Fits(h.size, size)) {
      c->cursor = reinterpret_cast<uintptr_t>(base + h.offset);
      c->limit = c->cursor + h.size;
      return true;
    }
  }
  return false;
}

void BumpAllocator::RecomputeLargestHole(Region* r) {
  uint32_t largest = 0;
  for (size_t i = r->next_hole; i < r->holes.size(); ++i) {
    largest = std::max(largest, r->holes[i].size);
  }
  r->largest_hole = largest;
}

void BumpAllocator::SealCacheLocked(Cache* c) {
  if (c->cursor < c->limit) {
    WriteFiller(reinterpret_cast<void*>(c->cursor), c->limit - c->cursor);
  }
}

void BumpAllocator::RetireCacheLocked(Cache* c) {
  Region* r = c->region;
  if (r == nullptr) return;
  if (c->cursor < c->limit) {
    // The rest of the current run goes back as a hole (it was holes[next_hole-1]).
    WriteFiller(reinterpret_cast<void*>(c->cursor), c->limit - c->cursor);
    GCLAB_CHECK(r->next_hole > 0, "bump: run without a hole in region %p", static_cast<void*>(r));
    r->holes[--r->next_hole] =
        Hole{static_cast<uint32_t>(c->cursor - reinterpret_cast<uintptr_t>(r)),
             static_cast<uint32_t>(c->limit - c->cursor)};
  }
  RecomputeLargestHole(r);
  if (r->largest_hole >= kMinAvailableHole) {
    r->state = RegionState::kAvailable;
    available_.push_back(r);
  } else {
    r->state = RegionState::kFull;
  }
  c->region = nullptr;
  c->cursor = c->limit = 0;
}

BumpAllocator::Region* BumpAllocator::MapRegion() {
  void* chunk = pages_->Map(region_bytes_, region_bytes_);
  if (chunk == nullptr) return nullptr;
  auto* r = new (chunk) Region;
  r->magic = kRegionMagic;
  r->state = RegionState::kOwned;
  const size_t usable = region_usable_bytes();
  r->holes.push_back(
      Hole{static_cast<uint32_t>(kRegionHeaderBytes), static_cast<uint32_t>(usable)});
  r->next_hole = 0;
  r->largest_hole = static_cast<uint32_t>(usable);
  WriteFiller(RegionBegin(r), usable);
  PoisonBytes(RegionBegin(r) + kHeaderSize, usable - kHeaderSize, options_.poison_freed);
  return r;
}

void* BumpAllocator::AllocateSlow(Cache* c, size_t size) {
  // Close the current run (it stays parseable as a filler).
  if (c->cursor < c->limit) {
    WriteFiller(reinterpret_cast<void*>(c->cursor), c->limit - c->cursor);
  }
  c->cursor = c->limit = 0;
  for (;;) {
    if (c->region != nullptr && TakeHole(c, size)) break;
    Region* claimed = nullptr;
    uint8_t epoch = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      RetireCacheLocked(c);
      for (size_t i = available_.size(); i-- > 0;) {
        Region* r = available_[i];
        if (Fits(r->largest_hole, size)) {
          available_[i] = available_.back();
          available_.pop_back();
          r->state = RegionState::kOwned;
          c->region = r;
          break;
        }
      }
      if (c->region != nullptr) continue;
      claimed = ClaimUnsweptLocked(&epoch);
    }
    if (claimed != nullptr) {
      // Lazy sweep of the region we are about to reuse.
      SweepStats s;
      const bool wholly_free = SweepRegion(claimed, epoch, &s);
      std::unique_lock<std::mutex> lock(mu_);
      if (Fits(claimed->largest_hole, size)) {
        EndSweepLocked(s);
        claimed->state = RegionState::kOwned;
        c->region = claimed;
      } else {
        PublishSweptLocked(claimed, wholly_free, s);
      }
      continue;
    }
    Region* fresh = MapRegion();
    if (fresh == nullptr) return nullptr;  // heap limit
    std::unique_lock<std::mutex> lock(mu_);
    regions_.insert(fresh);
    c->region = fresh;
  }
  const uintptr_t p = c->cursor;
  c->cursor += size;
  c->counters.CountAllocation(size);
  return reinterpret_cast<void*>(p);
}

bool BumpAllocator::SweepRegion(Region* r, uint8_t live_epoch, SweepStats* stats) {
  GCLAB_CHECK(r->magic == kRegionMagic, "bump: sweeping a non-region %p", static_cast<void*>(r));
  r->holes.clear();
  r->next_hole = 0;
  char* base = reinterpret_cast<char*>(r);
  SweepCellRange(
      RegionBegin(r), RegionEnd(r), live_epoch, options_.poison_freed,
      /*link_bytes=*/0, stats, [&](char* run, size_t n) {
        r->holes.push_back(Hole{static_cast<uint32_t>(run - base), static_cast<uint32_t>(n)});
      });
  stats->units_swept++;
  RecomputeLargestHole(r);
  return r->holes.size() == 1 && r->holes[0].size == region_usable_bytes();
}

BumpAllocator::Region* BumpAllocator::ClaimUnsweptLocked(uint8_t* live_epoch) {
  if (unswept_.empty()) return nullptr;
  Region* r = unswept_.back();
  unswept_.pop_back();
  r->state = RegionState::kSweeping;
  cycle_.UnitClaimed();
  *live_epoch = live_epoch_;
  return r;
}

void BumpAllocator::EndSweepLocked(const SweepStats& s) {
  cycle_.UnitSwept(s);
  counters_.CountFreed(s.freed_bytes, s.freed_objects);
}

void BumpAllocator::PublishSweptLocked(Region* r, bool wholly_free, SweepStats s) {
  if (wholly_free) s.units_released++;
  EndSweepLocked(s);
  if (wholly_free) {
    ReleaseRegionLocked(r);
    return;
  }
  if (r->largest_hole >= kMinAvailableHole) {
    r->state = RegionState::kAvailable;
    available_.push_back(r);
  } else {
    r->state = RegionState::kFull;
  }
}

void BumpAllocator::ReleaseRegionLocked(Region* r) {
  regions_.erase(r);
  r->~Region();
  pages_->Unmap(r, region_bytes_);
}

bool BumpAllocator::SweepOneRegion() {
  Region* r = nullptr;
  uint8_t epoch = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    r = ClaimUnsweptLocked(&epoch);
    if (r == nullptr) return false;
  }
  SweepStats s;
  const bool wholly_free = SweepRegion(r, epoch, &s);
  std::unique_lock<std::mutex> lock(mu_);
  PublishSweptLocked(r, wholly_free, s);
  return true;
}

void BumpAllocator::PrepareForSweep(uint8_t live_epoch) {
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.Begin("bump");
  for (Cache* c : caches_) RetireCacheLocked(c);
  available_.clear();
  unswept_.assign(regions_.begin(), regions_.end());
  for (Region* r : unswept_) r->state = RegionState::kUnswept;
  live_epoch_ = live_epoch;
  large_->PrepareForSweep(live_epoch);
}

bool BumpAllocator::SweepSome() {
  for (size_t i = 0; i < config_.regions_per_sweep_step; ++i) {
    if (!SweepOneRegion()) break;
  }
  SweepStats s;
  const bool large_more = large_->SweepSome(config_.regions_per_sweep_step, &s);
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.Add(s);  // the LargeObjectSpace keeps its own byte counts
  return large_more || !unswept_.empty();
}

SweepStats BumpAllocator::FinishSweep() {
  while (SweepOneRegion()) {
  }
  SweepStats s;
  while (large_->SweepSome(size_t{1} << 20, &s)) {
  }
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.Add(s);
  return cycle_.Finish(lock);
}

void BumpAllocator::Free(AllocatorCache* cache, void* cell) {
  if (cell == nullptr) return;
  ObjectHeader* h = HeaderAt(cell);
  GCLAB_CHECK(IsObject(h), "bump: Free of %p, which is not an allocated object", cell);
  const size_t size = h->size;
  if (size >= config_.large_object_bytes) {
    const bool freed = large_->Free(cell);
    GCLAB_CHECK(freed, "bump: Free of an unknown large cell %p", cell);
    return;
  }
  Region* r = RegionOf(cell);
  GCLAB_CHECK(r->magic == kRegionMagic, "bump: Free of %p, outside the heap", cell);
  std::unique_lock<std::mutex> lock(mu_);
  // Never race with the sweep of this region.
  cycle_.unit_swept().wait(lock, [r] { return RegionNotSweeping(r); });
  WriteFiller(cell, size);
  PoisonBytes(static_cast<char*>(cell) + kHeaderSize, size - kHeaderSize, options_.poison_freed);
  counters_.CountFreed(size, 1);
}

std::vector<BumpAllocator::Region*> BumpAllocator::SealCachesAndListRegions() {
  std::unique_lock<std::mutex> lock(mu_);
  for (Cache* c : caches_) SealCacheLocked(c);
  return std::vector<Region*>(regions_.begin(), regions_.end());
}

void BumpAllocator::ForEachObject(const std::function<void(Object*)>& f) {
  for (Region* r : SealCachesAndListRegions())
    ForEachObjectInRange(RegionBegin(r), RegionEnd(r), f);
  large_->ForEachObject(f);
}

absl::Status BumpAllocator::VerifyFreeMemory() {
  const FreeMemoryVerifier verifier("bump", "region", options_.poison_freed);
  for (Region* r : SealCachesAndListRegions()) {
    absl::Status st = verifier.CheckRange(r, RegionBegin(r), RegionEnd(r));
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

bool BumpAllocator::Contains(const void* p) const {
  return pages_ != nullptr && pages_->Contains(p);
}

AllocatorStats BumpAllocator::GetStats() const {
  if (pages_ == nullptr) return AllocatorStats();
  CellTotals cells;
  size_t regions = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cells = counters_.Sum(caches_);
    regions = regions_.size();
  }
  return UnitAllocatorStats(cells, regions * region_usable_bytes(), pages_->mapped_bytes(),
                            large_->in_use_bytes(), large_->objects());
}

size_t BumpAllocator::RegionCountForTesting() const {
  std::unique_lock<std::mutex> lock(mu_);
  return regions_.size();
}

}  // namespace gclab
