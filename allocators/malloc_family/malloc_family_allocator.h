// MallocFamilyAllocator: glibc malloc, jemalloc, mimalloc and tcmalloc as
// gclab allocators, so that gclab's collectors (marksweep, concurrent) run on
// them and their rows sit in the same experiments and tables as gclab's own
// allocators. One template, four back ends (backends.h): malloc, jemalloc,
// mimalloc, tcmalloc.
//
// What the adapter adds to the library allocator
// A library allocator hands out and frees memory; it cannot list what is
// allocated, which a sweeping collector needs (interfaces/allocator.h: the
// allocator frees every cell whose header mark is not the live epoch). The
// adapter keeps that list:
//   - per object: one 8-byte entry in a cell list (no header word in the
//     cell: the cell is exactly the library's block of the requested size);
//   - per allocation: the library's malloc, one store of the cell's address
//     into the cache's current chunk, the cache counters (as every gclab
//     allocator keeps), and every 64 KiB a reservation against the heap limit
//     (one CAS); every 510 cells a new 4 KiB chunk;
//   - per sweep, per cell: one header read (prefetched 8 entries ahead); a
//     dead cell is freed through the library's (sized) free, a live one moved
//     down in its chunk.
//
// Data structures
//   CellChunk   4 KiB: a next pointer, a count, and 510 cell addresses.
//   Cache       (per mutator thread) its current chunk, the chunks it filled
//               since the last PrepareForSweep, its counters and a quota of
//               bytes reserved from the heap limit.
//   allocator   (mu_) the cache set, `unswept_` (chunks of the sweep in
//               progress), `kept_` (chunks outside it: survivors of earlier
//               sweeps, chunks of deleted caches) and `partial_` (a kept
//               chunk being filled with the survivors of sparse chunks).
//
// Sweep (interfaces/allocator.h steps 4-6). PrepareForSweep (world stopped)
// moves every cache's chunks and every kept chunk to `unswept_`; caches start
// with no chunk, so no sweep ever sees a cell handed out after
// PrepareForSweep. Whoever claims a chunk (SweepSome, FinishSweep, or an
// Allocate that needs quota: lazy sweeping) sweeps it outside the lock,
// freeing dead cells through the library, then merges it into the kept
// chunks (a chunk less than half full is emptied into `partial_`; an empty
// one is deleted). Several threads sweep different chunks at once.
//
// Free(cell) does not call the library's free: a cell may sit in a chunk a
// sweeper is reading, and freeing it there would let the sweeper read (and
// free) memory the library has reused. Free marks the cell freed (payload
// poisoned when poison_freed, magic kFreeMagic, then mark 0 with release
// order) and the next sweep of its chunk frees it through the library. So
// free_reuses_memory is false, and VerifyFreeMemory checks the poison of these
// cells; cells a sweep freed belong to the library (sweep_keeps_freed_memory
// is false).
//
// Heap limit: the bytes charged are the requested cell sizes plus the chunks
// (not the library's rounding and metadata, which peak RSS shows). A cache
// reserves 64 KiB at a time; when the limit refuses, Allocate first sweeps
// unswept chunks (if a sweep is in progress), then returns nullptr.
//
// Thread-safety: Allocate touches only its cache (and mu_ for a new quota or
// chunk); Free touches only the cell and the cache's counters; sweeping
// claims chunks under mu_; ForEachObject, VerifyFreeMemory and Contains run
// with the world stopped. The library allocators are thread-safe and accept
// frees from any thread. Under ThreadSanitizer the adapter annotates the
// library's free -> malloc of an address as a release -> acquire pair (the
// libraries are not instrumented): every free happens before every later
// malloc, since a library may reuse freed memory at another offset.
#ifndef GCLAB_ALLOCATORS_MALLOC_FAMILY_MALLOC_FAMILY_ALLOCATOR_H_
#define GCLAB_ALLOCATORS_MALLOC_FAMILY_MALLOC_FAMILY_ALLOCATOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "allocators/counters.h"
#include "allocators/malloc_family/backends.h"
#include "allocators/sweep_cycle.h"
#include "interfaces/allocator.h"

namespace gclab {

// The cells handed out by one cache between two sweeps, or kept by a sweep.
struct CellChunk {
  static constexpr size_t kBytes = 4096;
  static constexpr size_t kCapacity = (kBytes - 2 * sizeof(void*)) / sizeof(void*);

  CellChunk* next = nullptr;
  size_t count = 0;
  void* cells[kCapacity];
};
static_assert(sizeof(CellChunk) == CellChunk::kBytes);

template <typename Backend>
class MallocFamilyAllocator final : public Allocator {
 public:
  MallocFamilyAllocator() = default;
  ~MallocFamilyAllocator() override;

  absl::string_view name() const override { return Backend::kName; }
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

  // Chunks that hold cells (for tests).
  size_t ChunkCountForTesting() const;

  // Bytes a cache reserves from the heap limit at a time.
  static constexpr size_t kQuotaBytes = size_t{64} << 10;
  // Chunks a SweepSome call sweeps.
  static constexpr int kChunksPerSweepStep = 8;

 private:
  struct Cache;

  void* AllocateSlow(Cache* c, size_t size);
  // Tops the cache's quota up to at least `need` bytes; false at the limit.
  bool Refill(Cache* c, size_t need);
  bool TryReserve(size_t bytes);
  void Release(size_t bytes) { reserved_.fetch_sub(bytes, std::memory_order_relaxed); }
  // Claims and sweeps one unswept chunk; adds the bytes it gave back to
  // `*released`. False if none was left.
  bool SweepOneChunk(size_t* released);
  // Frees the dead cells of `chunk` and compacts the live ones; returns the
  // bytes given back to the library.
  size_t SweepChunk(CellChunk* chunk, uint8_t live_epoch, SweepStats* stats);
  void KeepLocked(CellChunk* chunk, SweepStats* stats) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DeleteChunk(CellChunk* chunk);
  // Every chunk that holds cells (world stopped).
  std::vector<CellChunk*> AllChunksLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  AllocatorOptions options_;
  bool initialized_ = false;
  size_t limit_ = 0;
  // Bytes charged against the heap limit: cells held (live, dead but not yet
  // swept, freed but not yet swept), chunks, and the caches' quotas.
  std::atomic<size_t> reserved_{0};
  std::atomic<size_t> chunk_bytes_{0};
  // Chunks in unswept_ (read without mu_ to skip lazy sweeping cheaply).
  std::atomic<size_t> unswept_count_{0};

  mutable std::mutex mu_;
  std::vector<Cache*> caches_ ABSL_GUARDED_BY(mu_);
  CellChunk* unswept_ ABSL_GUARDED_BY(mu_) = nullptr;
  CellChunk* kept_ ABSL_GUARDED_BY(mu_) = nullptr;
  CellChunk* partial_ ABSL_GUARDED_BY(mu_) = nullptr;
  uint8_t live_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t chunks_swept_ ABSL_GUARDED_BY(mu_) = 0;
  SweepCycle cycle_ ABSL_GUARDED_BY(mu_);
  AllocationCounters counters_;

  // Contains: cell intervals sorted by address, rebuilt when cells were
  // allocated or swept since the last build.
  mutable std::vector<std::pair<uintptr_t, size_t>> index_ ABSL_GUARDED_BY(mu_);
  mutable uint64_t index_version_ ABSL_GUARDED_BY(mu_) = ~uint64_t{0};
};

using GlibcMallocAllocator = MallocFamilyAllocator<GlibcMalloc>;
using JemallocAllocator = MallocFamilyAllocator<Jemalloc>;
using MimallocAllocator = MallocFamilyAllocator<Mimalloc>;
using TcmallocAllocator = MallocFamilyAllocator<Tcmalloc>;

// The registry's factories (the adapter has no parameters). The library is
// loaded by Initialize, which fails with FailedPrecondition naming the
// Debian package if it is missing.
absl::StatusOr<std::unique_ptr<Allocator>> NewGlibcMallocAllocator();
absl::StatusOr<std::unique_ptr<Allocator>> NewJemallocAllocator();
absl::StatusOr<std::unique_ptr<Allocator>> NewMimallocAllocator();
absl::StatusOr<std::unique_ptr<Allocator>> NewTcmallocAllocator();

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_MALLOC_FAMILY_MALLOC_FAMILY_ALLOCATOR_H_
