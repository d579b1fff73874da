// Allocation counters shared by the allocators: per-cache counters that the
// Allocate fast path bumps without an atomic read-modify-write, allocator-wide
// counters for what deleted caches counted and what is freed off-cache, their
// sum for GetStats, and the accumulation of SweepStats.
//
// Synchronisation
// - CacheCounters: written only by the thread that owns the cache (relaxed
//   load + store, no lock prefix on the hot path); read by any thread in
//   GetStats (relaxed loads). GetStats is exact with the world stopped and a
//   snapshot that may lag by a few cells otherwise.
// - AllocationCounters: fetch_add from any thread (sweeps, Free on a locked
//   path, DeleteCache).
//
// Use
//   struct Cache : AllocatorCache { CacheCounters counters; ... };
//   Allocate:    c->counters.CountAllocation(size);
//   DeleteCache: counters_.Retire(c->counters);          (under the cache-set lock)
//   a sweep:     counters_.CountFreed(s.freed_bytes, s.freed_objects);
//   GetStats:    CellTotals t = counters_.Sum(caches_);  (under the cache-set lock)
//                stats.in_use_bytes = t.in_use_bytes(); stats.objects = t.objects();
#ifndef GCLAB_ALLOCATORS_COUNTERS_H_
#define GCLAB_ALLOCATORS_COUNTERS_H_

#include <atomic>
#include <cstddef>

#include "interfaces/allocator.h"

namespace gclab {

// A counter with a single writer and any number of readers.
class OwnerCounter {
 public:
  // Only the owning thread may call Add.
  void Add(size_t delta) {
    value_.store(value_.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
  }
  size_t Load() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<size_t> value_{0};
};

// The counts of one allocator cache (header sizes, as AllocatorStats counts).
struct CacheCounters {
  void CountAllocation(size_t bytes) {
    alloc_bytes.Add(bytes);
    alloc_objects.Add(1);
  }
  void CountFree(size_t bytes) {
    freed_bytes.Add(bytes);
    freed_objects.Add(1);
  }

  OwnerCounter alloc_bytes;
  OwnerCounter alloc_objects;
  OwnerCounter freed_bytes;
  OwnerCounter freed_objects;
};

// Cells handed out and freed, summed over an allocator's counters.
struct CellTotals {
  // Cells handed out and not freed. A GetStats racing with a sweep may see a
  // free before the allocation it undoes; the difference is then 0, not a
  // wrapped-around size_t.
  size_t in_use_bytes() const { return alloc_bytes > freed_bytes ? alloc_bytes - freed_bytes : 0; }
  size_t objects() const {
    return alloc_objects > freed_objects ? alloc_objects - freed_objects : 0;
  }

  size_t alloc_bytes = 0;
  size_t alloc_objects = 0;
  size_t freed_bytes = 0;
  size_t freed_objects = 0;
};

// An allocator's own counters: the counts of deleted caches, and frees that
// no cache counted.
class AllocationCounters {
 public:
  // Keeps the counts of a cache that is being deleted (call under the lock
  // that guards the cache set, so Sum never counts the cache twice or not at all).
  void Retire(const CacheCounters& c) {
    retired_alloc_bytes_.fetch_add(c.alloc_bytes.Load(), std::memory_order_relaxed);
    retired_alloc_objects_.fetch_add(c.alloc_objects.Load(), std::memory_order_relaxed);
    freed_bytes_.fetch_add(c.freed_bytes.Load(), std::memory_order_relaxed);
    freed_objects_.fetch_add(c.freed_objects.Load(), std::memory_order_relaxed);
  }

  // Frees that no cache counted (sweeps, Free on a locked path). Any thread.
  void CountFreed(size_t bytes, size_t objects) {
    freed_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    freed_objects_.fetch_add(objects, std::memory_order_relaxed);
  }

  // Totals over these counters and the live `caches` (a range of pointers to
  // caches with a `counters` member). The caller holds the cache-set lock.
  template <typename CacheSet>
  CellTotals Sum(const CacheSet& caches) const {
    return Sum(caches, [](const auto* c) -> const CacheCounters& { return c->counters; });
  }
  // The same with the CacheCounters counters_of(cache) of each cache (for an
  // allocator that keeps a second set per cache, e.g. size_class's slot bytes).
  template <typename CacheSet, typename CountersOf>
  CellTotals Sum(const CacheSet& caches, CountersOf counters_of) const {
    CellTotals t;
    t.alloc_bytes = retired_alloc_bytes_.load(std::memory_order_relaxed);
    t.alloc_objects = retired_alloc_objects_.load(std::memory_order_relaxed);
    t.freed_bytes = freed_bytes_.load(std::memory_order_relaxed);
    t.freed_objects = freed_objects_.load(std::memory_order_relaxed);
    for (const auto* c : caches) {
      const CacheCounters& counters = counters_of(c);
      t.alloc_bytes += counters.alloc_bytes.Load();
      t.alloc_objects += counters.alloc_objects.Load();
      t.freed_bytes += counters.freed_bytes.Load();
      t.freed_objects += counters.freed_objects.Load();
    }
    return t;
  }

 private:
  std::atomic<size_t> retired_alloc_bytes_{0};
  std::atomic<size_t> retired_alloc_objects_{0};
  std::atomic<size_t> freed_bytes_{0};
  std::atomic<size_t> freed_objects_{0};
};

// AllocatorStats of an allocator whose small cells live in units of fixed
// capacity (bump regions, free_list arenas; `capacity_bytes` in all) and
// whose large cells are counted apart (`large_bytes`, `large_objects`): free
// memory is the capacity the small cells in use leave.
inline AllocatorStats UnitAllocatorStats(const CellTotals& cells, size_t capacity_bytes,
                                         size_t mapped_bytes, size_t large_bytes,
                                         size_t large_objects) {
  const size_t in_use = cells.in_use_bytes();
  AllocatorStats st;
  st.mapped_bytes = mapped_bytes;
  st.in_use_bytes = in_use + large_bytes;
  st.objects = cells.objects() + large_objects;
  st.free_bytes = capacity_bytes > in_use ? capacity_bytes - in_use : 0;
  return st;
}

// Adds one sweep's stats to a cycle's.
inline void Accumulate(const SweepStats& s, SweepStats* total) {
  total->live_objects += s.live_objects;
  total->live_bytes += s.live_bytes;
  total->freed_objects += s.freed_objects;
  total->freed_bytes += s.freed_bytes;
  total->units_swept += s.units_swept;
  total->units_released += s.units_released;
}

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_COUNTERS_H_
