#include "allocators/free_list/free_list_allocator.h"

#include <algorithm>
#include <bit>
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

constexpr uint64_t kArenaMagic = 0x66726c6172656e61ull;  // "frlarena"

inline bool Fits(size_t block, size_t n) { return block == n || block >= n + kHeaderSize; }

inline char*& LinkOf(char* block) { return *reinterpret_cast<char**>(block + kHeaderSize); }

}  // namespace

struct FreeListAllocator::Cache final : AllocatorCache {
  Cache(size_t num_sizes, size_t cap)
      : capacity(cap), count(num_sizes, 0), blocks(num_sizes * cap, nullptr) {}
  void** list(size_t size_index) { return blocks.data() + size_index * capacity; }

  const size_t capacity;
  std::vector<uint32_t> count;  // per size index (size / 8)
  std::vector<void*> blocks;    // capacity entries per size index
  CacheCounters counters;       // arena cells only (large cells: LargeObjectSpace)
};

absl::StatusOr<std::unique_ptr<Allocator>> NewFreeListAllocator(
    const FreeListAllocatorConfig& config) {
  GCLAB_RETURN_IF_ERROR(
      CheckPowerOfTwoIn("free_list.arena_bytes", config.arena_bytes, 64 * kKiB, 16 * kMiB));
  GCLAB_RETURN_IF_ERROR(CheckMultipleIn("free_list.large_object_bytes", config.large_object_bytes,
                                        kObjectAlignment, 256, config.arena_bytes / 4,
                                        "arena_bytes/4"));
  GCLAB_RETURN_IF_ERROR(CheckMultipleIn("free_list.cache_max_bytes", config.cache_max_bytes,
                                        kObjectAlignment, 0, 512));
  GCLAB_RETURN_IF_ERROR(
      CheckIn("free_list.cache_blocks_per_size", config.cache_blocks_per_size, 2, 256));
  GCLAB_RETURN_IF_ERROR(
      CheckAtLeast("free_list.arenas_per_sweep_step", config.arenas_per_sweep_step, 1));
  return std::unique_ptr<Allocator>(new FreeListAllocator(config));
}

FreeListAllocator::FreeListAllocator(const FreeListAllocatorConfig& config)
    : config_(config), arena_bytes_(config.arena_bytes) {}

FreeListAllocator::~FreeListAllocator() {
  std::unique_lock<std::mutex> lock(mu_);
  for (Cache* c : caches_) delete c;
  caches_.clear();
  // pages_ unmaps the arenas.
}

size_t FreeListAllocator::BinIndex(size_t size) {
  if (size <= kMaxExactBin) return size / kObjectAlignment;  // 3..256
  // (2K, 4K) -> 257, [4K, 8K) -> 258, ...
  return kMaxExactBin / kObjectAlignment + 1 + (std::bit_width(size) - 12);
}

const AllocatorCapabilities& FreeListAllocator::capabilities() const {
  static constexpr AllocatorCapabilities kCapabilities = {
      .free_reuses_memory = true,  // to the caller's cache or to a bin, at once
      .sweep_coalesces = true,     // runs of dead cells and free blocks become one block
  };
  return kCapabilities;
}

absl::Status FreeListAllocator::Initialize(const AllocatorOptions& options) {
  if (initialized_) return absl::FailedPreconditionError("free_list: Initialize called twice");
  if (options.heap_limit_bytes == 0) {
    return absl::InvalidArgumentError("AllocatorOptions.heap_limit_bytes must be positive");
  }
  options_ = options;
  pages_ =
      std::make_unique<PageSource>(options.heap_limit_bytes, arena_bytes_, config_.retained_arenas);
  large_ = std::make_unique<LargeObjectSpace>(pages_.get());
  initialized_ = true;
  return absl::OkStatus();
}

AllocatorCache* FreeListAllocator::NewCache() {
  auto* c =
      new Cache(config_.cache_max_bytes / kObjectAlignment + 1, config_.cache_blocks_per_size);
  std::unique_lock<std::mutex> lock(mu_);
  caches_.insert(c);
  return c;
}

void FreeListAllocator::ReturnCacheBlocksLocked(Cache* c) {
  // Cached blocks always belong to arenas swept in the current cycle (caches
  // are emptied by PrepareForSweep), so they may go straight to the bins.
  for (size_t k = 0; k < c->count.size(); ++k) {
    void** list = c->list(k);
    const size_t size = k * kObjectAlignment;
    for (uint32_t i = 0; i < c->count[k]; ++i) {
      if (size >= kHeaderSize + kLinkBytes) PushBinLocked(static_cast<char*>(list[i]), size);
    }
    c->count[k] = 0;
  }
}

void FreeListAllocator::DeleteCache(AllocatorCache* cache) {
  auto* c = static_cast<Cache*>(cache);
  {
    std::unique_lock<std::mutex> lock(mu_);
    ReturnCacheBlocksLocked(c);
    caches_.erase(c);
    counters_.Retire(c->counters);
  }
  delete c;
}

void FreeListAllocator::PushBinLocked(char* block, size_t size) {
  GCLAB_DCHECK(size >= kHeaderSize + kLinkBytes, "block of %zu bytes", size);
  const size_t b = BinIndex(size);
  LinkOf(block) = bins_[b];
  bins_[b] = block;
  nonempty_[b / 64] |= uint64_t{1} << (b % 64);
}

char* FreeListAllocator::TakeBlockLocked(size_t n) {
  size_t b = n >= kHeaderSize + kLinkBytes ? BinIndex(n) : BinIndex(kHeaderSize + kLinkBytes);
  while (b < kNumBins) {
    // Next non-empty bin >= b.
    size_t w = b / 64;
    uint64_t word = nonempty_[w] & (~uint64_t{0} << (b % 64));
    while (word == 0) {
      if (++w == kBinWords) return nullptr;
      word = nonempty_[w];
    }
    b = w * 64 + std::countr_zero(word);
    // Exact bins hold one size: only the head needs a look. Power-of-two
    // bins: bounded first fit.
    const int max_steps = b <= kMaxExactBin / kObjectAlignment ? 1 : kMaxFirstFitSteps;
    char* prev = nullptr;
    int steps = 0;
    for (char* blk = bins_[b]; blk != nullptr && steps < max_steps;
         prev = blk, blk = LinkOf(blk), ++steps) {
      const size_t s = HeaderAt(blk)->size;
      if (!Fits(s, n)) continue;
      // Unlink.
      if (prev == nullptr) {
        bins_[b] = LinkOf(blk);
        if (bins_[b] == nullptr) nonempty_[b / 64] &= ~(uint64_t{1} << (b % 64));
      } else {
        LinkOf(prev) = LinkOf(blk);
      }
      if (s > n) {
        char* rest = blk + n;
        WriteFiller(rest, s - n);
        if (s - n >= kHeaderSize + kLinkBytes) PushBinLocked(rest, s - n);
      }
      WriteFiller(blk, n);
      return blk;
    }
    ++b;
  }
  return nullptr;
}

bool FreeListAllocator::SweepOneArenaLocked(std::unique_lock<std::mutex>& lock) {
  if (unswept_.empty()) return false;
  Arena* a = unswept_.back();
  unswept_.pop_back();
  a->state.store(kSweeping, std::memory_order_relaxed);
  cycle_.UnitClaimed();
  const uint8_t epoch = live_epoch_;
  lock.unlock();
  SweepStats s;
  std::vector<std::pair<char*, size_t>> runs;
  SweepCellRange(ArenaBegin(a), ArenaEnd(a), epoch, options_.poison_freed, kLinkBytes, &s,
                 [&](char* p, size_t n) { runs.emplace_back(p, n); });
  s.units_swept = 1;
  const bool wholly_free = runs.size() == 1 && runs[0].second == arena_usable_bytes();
  lock.lock();
  if (wholly_free) {
    s.units_released = 1;
    arenas_.erase(a);
    a->state.store(kSwept, std::memory_order_release);
    pages_->Unmap(a, arena_bytes_);
  } else {
    for (const auto& [p, n] : runs) {
      if (n >= kHeaderSize + kLinkBytes) PushBinLocked(p, n);
    }
    a->state.store(kSwept, std::memory_order_release);
  }
  cycle_.UnitSwept(s);
  counters_.CountFreed(s.freed_bytes, s.freed_objects);
  return true;
}

bool FreeListAllocator::GrowLocked(std::unique_lock<std::mutex>& lock) {
  // Go's rule: sweep before growing the heap.
  if (SweepOneArenaLocked(lock)) return true;
  lock.unlock();
  void* chunk = pages_->Map(arena_bytes_, arena_bytes_);
  Arena* a = nullptr;
  if (chunk != nullptr) {
    a = new (chunk) Arena;
    a->magic = kArenaMagic;
    a->state.store(kSwept, std::memory_order_relaxed);
    WriteFiller(ArenaBegin(a), arena_usable_bytes());
    PoisonBytes(ArenaBegin(a) + kHeaderSize, arena_usable_bytes() - kHeaderSize,
                options_.poison_freed);
  }
  lock.lock();
  if (a == nullptr) return false;
  arenas_.insert(a);
  PushBinLocked(ArenaBegin(a), arena_usable_bytes());
  return true;
}

char* FreeListAllocator::AllocateCentral(size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (char* p = TakeBlockLocked(n)) return p;
    if (!GrowLocked(lock)) return nullptr;
  }
}

void* FreeListAllocator::RefillAndAllocate(Cache* c, size_t n) {
  const size_t k = n / kObjectAlignment;
  void** list = c->list(k);
  std::unique_lock<std::mutex> lock(mu_);
  char* first = nullptr;
  for (;;) {
    first = TakeBlockLocked(n);
    if (first != nullptr) break;
    if (!GrowLocked(lock)) return nullptr;
  }
  const size_t batch = c->capacity / 2;
  while (c->count[k] < batch) {
    char* p = TakeBlockLocked(n);
    if (p == nullptr) break;
    list[c->count[k]++] = p;
  }
  return first;
}

void* FreeListAllocator::Allocate(AllocatorCache* cache, size_t size) {
  GCLAB_DCHECK(size >= kHeaderSize && size % kObjectAlignment == 0, "size %zu", size);
  if (size >= config_.large_object_bytes) return large_->Allocate(size);
  auto* c = static_cast<Cache*>(cache);
  void* p;
  if (size <= config_.cache_max_bytes) {
    const size_t k = size / kObjectAlignment;
    if (c->count[k] > 0) {
      p = c->list(k)[--c->count[k]];
    } else {
      p = RefillAndAllocate(c, size);
      if (p == nullptr) return nullptr;
    }
  } else {
    p = AllocateCentral(size);
    if (p == nullptr) return nullptr;
  }
  c->counters.CountAllocation(size);
  return p;
}

void FreeListAllocator::Free(AllocatorCache* cache, void* cell) {
  if (cell == nullptr) return;
  ObjectHeader* h = HeaderAt(cell);
  GCLAB_CHECK(IsObject(h), "free_list: Free of %p, which is not an allocated object", cell);
  const size_t size = h->size;
  if (size >= config_.large_object_bytes) {
    const bool freed = large_->Free(cell);
    GCLAB_CHECK(freed, "free_list: Free of an unknown large cell %p", cell);
    return;
  }
  auto* c = static_cast<Cache*>(cache);
  Arena* a = ArenaOf(cell);
  GCLAB_CHECK(a->magic == kArenaMagic, "free_list: Free of %p, outside the heap", cell);
  char* block = static_cast<char*>(cell);
  auto make_free = [&] {
    WriteFiller(block, size);
    PoisonBytes(block + kHeaderSize, size - kHeaderSize, options_.poison_freed);
    if (c != nullptr) {
      c->counters.CountFree(size);
    } else {
      counters_.CountFreed(size, 1);
    }
  };
  // An arena swept this cycle stays swept until the next PrepareForSweep
  // (world stopped), so the check cannot go stale under us.
  if (a->state.load(std::memory_order_acquire) == kSwept) {
    make_free();
    if (c != nullptr && size <= config_.cache_max_bytes) {
      const size_t k = size / kObjectAlignment;
      if (c->count[k] < c->capacity) {
        c->list(k)[c->count[k]++] = block;
        return;
      }
    }
    if (size < kHeaderSize + kLinkBytes) return;  // unlisted until the sweep
    std::unique_lock<std::mutex> lock(mu_);
    PushBinLocked(block, size);
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.unit_swept().wait(lock, [a] { return ArenaNotSweeping(a); });
  make_free();
  if (a->state.load(std::memory_order_relaxed) == kSwept && size >= kHeaderSize + kLinkBytes) {
    PushBinLocked(block, size);
  }
  // Else kUnswept: the filler is merged by the sweep of its arena.
}

void FreeListAllocator::PrepareForSweep(uint8_t live_epoch) {
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.Begin("free_list");
  for (Cache* c : caches_) std::fill(c->count.begin(), c->count.end(), 0);
  std::fill(std::begin(bins_), std::end(bins_), nullptr);
  std::fill(std::begin(nonempty_), std::end(nonempty_), 0);
  unswept_.assign(arenas_.begin(), arenas_.end());
  for (Arena* a : unswept_) a->state.store(kUnswept, std::memory_order_relaxed);
  live_epoch_ = live_epoch;
  large_->PrepareForSweep(live_epoch);
}

bool FreeListAllocator::SweepSome() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (size_t i = 0; i < config_.arenas_per_sweep_step; ++i) {
      if (!SweepOneArenaLocked(lock)) break;
    }
  }
  SweepStats s;
  const bool large_more = large_->SweepSome(config_.arenas_per_sweep_step * 4, &s);
  std::unique_lock<std::mutex> lock(mu_);
  cycle_.Add(s);  // the LargeObjectSpace keeps its own byte counts
  return large_more || !unswept_.empty();
}

SweepStats FreeListAllocator::FinishSweep() {
  SweepStats s;
  while (large_->SweepSome(size_t{1} << 20, &s)) {
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (SweepOneArenaLocked(lock)) {
  }
  cycle_.Add(s);
  return cycle_.Finish(lock);
}

std::vector<FreeListAllocator::Arena*> FreeListAllocator::ListArenas() const {
  std::unique_lock<std::mutex> lock(mu_);
  return std::vector<Arena*>(arenas_.begin(), arenas_.end());
}

void FreeListAllocator::ForEachObject(const std::function<void(Object*)>& f) {
  for (Arena* a : ListArenas()) ForEachObjectInRange(ArenaBegin(a), ArenaEnd(a), f);
  large_->ForEachObject(f);
}

absl::Status FreeListAllocator::VerifyFreeMemory() {
  const FreeMemoryVerifier verifier("free_list", "arena", options_.poison_freed, kLinkBytes);
  for (Arena* a : ListArenas()) {
    absl::Status st = verifier.CheckRange(a, ArenaBegin(a), ArenaEnd(a));
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

bool FreeListAllocator::Contains(const void* p) const {
  return pages_ != nullptr && pages_->Contains(p);
}

AllocatorStats FreeListAllocator::GetStats() const {
  if (pages_ == nullptr) return AllocatorStats();
  CellTotals cells;
  size_t arenas = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cells = counters_.Sum(caches_);
    arenas = arenas_.size();
  }
  return UnitAllocatorStats(cells, arenas * arena_usable_bytes(), pages_->mapped_bytes(),
                            large_->in_use_bytes(), large_->objects());
}

size_t FreeListAllocator::ArenaCountForTesting() const {
  std::unique_lock<std::mutex> lock(mu_);
  return arenas_.size();
}

size_t FreeListAllocator::BinnedBlocksForTesting() const {
  std::unique_lock<std::mutex> lock(mu_);
  size_t n = 0;
  for (char* head : bins_) {
    for (char* b = head; b != nullptr; b = LinkOf(b)) ++n;
  }
  return n;
}

}  // namespace gclab
