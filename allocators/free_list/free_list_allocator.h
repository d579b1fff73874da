// FreeListAllocator: segregated-fit free lists over 1 MiB arenas, with
// coalescing during the sweep (Wilson, Johnstone, Neely & Boles, "Dynamic
// Storage Allocation: A Survey and Critical Review", IWMM 1995, section 3.6
// "segregated fits"; Knuth TAOCP vol. 1, 2.5 for first fit and splitting).
//
// Properties
// - Every free block is a filler cell (kFreeMagic, type nullptr, see
//   cell_utils.h) inside an arena; an arena is always parseable cell by cell.
// - Bins (central, under one mutex): exact bins for block sizes 24..2048 step
//   8 and power-of-two bins (2K, 4K), [4K, 8K), ... above. A request takes the
//   first block that fits in the first non-empty bin that can satisfy it
//   (exact bins: the head; power-of-two bins: first fit among the first
//   kMaxFirstFitSteps blocks; a bitmap skips empty bins) and splits the
//   remainder back into its bin. Blocks of 16 bytes cannot hold a link and
//   are left unlisted until the sweep coalesces them.
// - Per-thread cache: for sizes <= cache_max_bytes, a small array of free
//   blocks of that exact size per size, refilled in batches from the bins and
//   fed by Free; no lock on a cache hit.
// - Large objects (>= large_object_bytes) use the LargeObjectSpace.
//
// Free block layout: filler header (16 B) | link (8 B, next block in the bin,
// only for blocks >= 24 B) | poison. VerifyFreeMemory checks the poison after
// the link word.
//
// Coalescing: only during the sweep. Free does not coalesce (no boundary
// tags): a freed cell becomes a free block of its own size immediately
// (cache or bin), and merges with its neighbours at the next sweep of its
// arena, which walks the arena in address order and merges every maximal run
// of free blocks and dead objects into one block.
//
// Sweep protocol. PrepareForSweep (world stopped) empties every cache and the
// central bins (the blocks stay fillers in the heap) and marks every arena
// kUnswept. Each arena is then claimed (under the mutex) by SweepSome,
// FinishSweep or an allocation that found the bins empty (lazy sweep), swept
// outside the lock, and its free runs are binned; a wholly free arena is
// returned to the PageSource. Bins and caches therefore only ever hold blocks
// of swept arenas, so no sweep can see a cell allocated after PrepareForSweep.
//
// Thread-safety: Allocate/Free hit only the caller's cache on the fast path;
// bins, arena lists and cache registry are guarded by mu_. Free of a cell in
// an arena not yet swept this cycle takes mu_, waits if the arena is being
// swept, and otherwise turns the cell into a filler that the sweep will merge.
#ifndef GCLAB_ALLOCATORS_FREE_LIST_FREE_LIST_ALLOCATOR_H_
#define GCLAB_ALLOCATORS_FREE_LIST_FREE_LIST_ALLOCATOR_H_

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

struct FreeListAllocatorConfig {
  // Arena size: power of two in [64 KiB, 16 MiB].
  size_t arena_bytes = size_t{1} << 20;
  // Cells of at least this size use the large-object path: multiple of 8 in
  // [256, arena_bytes / 4].
  size_t large_object_bytes = size_t{64} << 10;
  // Sizes up to this are served from the per-thread cache: multiple of 8 in
  // [0, 512]; 0 disables the cache.
  size_t cache_max_bytes = 256;
  // Blocks each per-size cache list holds: [2, 256].
  size_t cache_blocks_per_size = 32;
  // Arenas swept per SweepSome call (>= 1).
  size_t arenas_per_sweep_step = 2;
  // Wholly free arenas the PageSource keeps mapped for reuse.
  size_t retained_arenas = 2;
};

// A free-list allocator (not yet initialized), or InvalidArgument naming the
// first bad field of `config` ("free_list.arena_bytes must be ...").
absl::StatusOr<std::unique_ptr<Allocator>> NewFreeListAllocator(
    const FreeListAllocatorConfig& config = {});

class FreeListAllocator final : public Allocator {
 public:
  ~FreeListAllocator() override;

  absl::string_view name() const override { return "free_list"; }
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

  size_t ArenaCountForTesting() const;
  // Number of blocks in the central bins (all sizes).
  size_t BinnedBlocksForTesting() const;
  size_t arena_usable_bytes() const { return arena_bytes_ - kArenaHeaderBytes; }

  static constexpr size_t kArenaHeaderBytes = 64;
  static constexpr size_t kLinkBytes = 8;
  static constexpr size_t kMaxExactBin = 2048;
  static constexpr size_t kNumBins = 272;
  static constexpr size_t kBinWords = (kNumBins + 63) / 64;
  // First fit looks at most this many blocks of a power-of-two bin before
  // moving on to the next bin (bounds the walk; exact bins need no walk).
  static constexpr int kMaxFirstFitSteps = 32;

  // Bin of a free block of `size` (>= 24) bytes.
  static size_t BinIndex(size_t size);

 private:
  friend absl::StatusOr<std::unique_ptr<Allocator>> NewFreeListAllocator(
      const FreeListAllocatorConfig& config);
  // `config` has been validated by NewFreeListAllocator.
  explicit FreeListAllocator(const FreeListAllocatorConfig& config);

  enum ArenaState : uint8_t { kUnswept, kSweeping, kSwept };
  struct Arena {
    uint64_t magic;
    std::atomic<uint8_t> state;
  };
  struct Cache;

  char* ArenaBegin(Arena* a) const { return reinterpret_cast<char*>(a) + kArenaHeaderBytes; }
  char* ArenaEnd(Arena* a) const { return reinterpret_cast<char*>(a) + arena_bytes_; }
  Arena* ArenaOf(const void* p) const {
    return reinterpret_cast<Arena*>(reinterpret_cast<uintptr_t>(p) & ~(arena_bytes_ - 1));
  }
  static bool ArenaNotSweeping(Arena* a) {
    return a->state.load(std::memory_order_acquire) != kSweeping;
  }

  void PushBinLocked(char* block, size_t size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes a block of exactly `n` bytes from the bins (splitting), written as
  // a filler of size n; nullptr if no binned block fits.
  char* TakeBlockLocked(size_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes more blocks available: sweeps one unswept arena or maps a new one.
  // Returns false at the heap limit. Drops and re-takes mu_.
  bool GrowLocked(std::unique_lock<std::mutex>& lock) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  char* AllocateCentral(size_t n);
  void* RefillAndAllocate(Cache* c, size_t n);
  // Claims one unswept arena; false if none. Sweeps it outside the lock.
  bool SweepOneArenaLocked(std::unique_lock<std::mutex>& lock) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReturnCacheBlocksLocked(Cache* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<Arena*> ListArenas() const;

  const FreeListAllocatorConfig config_;
  const size_t arena_bytes_;
  AllocatorOptions options_;
  bool initialized_ = false;
  std::unique_ptr<PageSource> pages_;
  std::unique_ptr<LargeObjectSpace> large_;

  // std::mutex rather than absl::Mutex: the system Abseil is not built with
  // TSan, so TSan would not see absl::Mutex's happens-before edges.
  mutable std::mutex mu_;
  char* bins_[kNumBins] ABSL_GUARDED_BY(mu_) = {};
  uint64_t nonempty_[kBinWords] ABSL_GUARDED_BY(mu_) = {};
  std::set<Arena*> arenas_ ABSL_GUARDED_BY(mu_);
  std::vector<Arena*> unswept_ ABSL_GUARDED_BY(mu_);
  std::set<Cache*> caches_ ABSL_GUARDED_BY(mu_);
  uint8_t live_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  SweepCycle cycle_ ABSL_GUARDED_BY(mu_);  // unit_swept(): an arena finished sweeping

  // Arena cells (large cells: LargeObjectSpace): deleted caches' counts,
  // and what sweeps and cache-less Frees freed.
  AllocationCounters counters_;
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_FREE_LIST_FREE_LIST_ALLOCATOR_H_
