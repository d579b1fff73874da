// Allocator: the interface every gclab allocator implements.
//
// An allocator owns the memory of the managed heap. It hands out cells to
// mutator threads (through per-thread caches), and it sweeps: after a
// collector has marked, the allocator frees every cell whose header mark is not
// the live epoch and reports live and free bytes. It never decides what is
// live; that is the collector's job (interfaces/collector.h).
//
// Valid call sequence
//   1. Initialize(options)                      once, before anything else
//   2. NewCache()                               once per mutator thread
//   3. Allocate(cache, size)                    any thread, with its own cache
//   4. PrepareForSweep(live_epoch)              world stopped, after marking
//   5. SweepSome() until it returns false       any thread, concurrently with 3
//      (Allocate also sweeps lazily whatever unit it is about to reuse)
//   6. FinishSweep()                            sweeps the rest, returns stats
//   ...repeat 3-6 for every cycle...
//   7. DeleteCache(cache)                       when a mutator detaches
//
// Threading contract
// - Allocate may run on several threads at once, each with its own cache,
//   concurrently with SweepSome/FinishSweep on another thread.
// - PrepareForSweep, ForEachObject, VerifyFreeMemory run with the world stopped
//   (no Allocate in flight) and no sweep in progress except as noted.
// - A cell handed out by Allocate gets its ObjectHeader written by the caller
//   right after Allocate returns and before the caller's next safepoint. The
//   allocator must therefore never let a sweep examine a cell handed out after
//   the PrepareForSweep of that sweep (Go's sweepgen rule): caches are retired
//   in PrepareForSweep, and units acquired afterwards are swept before use.
// - Sweeping treats a cell as live iff header.mark == live_epoch. Freed cells
//   have their payload filled with kPoisonByte when options.poison_freed.
//
// Memory comes from a PageSource (allocators/page_source.h), which enforces the
// heap limit: when it refuses, Allocate returns nullptr and the heap collects
// and retries, then reports ResourceExhausted.
#ifndef GCLAB_INTERFACES_ALLOCATOR_H_
#define GCLAB_INTERFACES_ALLOCATOR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "object/object.h"

namespace gclab {

struct AllocatorOptions {
  // Upper bound on memory the allocator may map for the heap (bytes).
  size_t heap_limit_bytes = size_t{1} << 30;
  // Fill freed cells with kPoisonByte (the verifier checks it). Off in benchmarks.
  bool poison_freed = false;
};

struct SweepStats {
  size_t live_objects = 0;
  size_t live_bytes = 0;
  size_t freed_objects = 0;
  size_t freed_bytes = 0;
  size_t units_swept = 0;     // spans / regions / arenas
  size_t units_released = 0;  // wholly free units given back to the page source
};

struct AllocatorStats {
  size_t mapped_bytes = 0;  // memory obtained from the page source
  size_t in_use_bytes = 0;  // bytes in cells handed out and not yet freed
  size_t free_bytes = 0;    // free bytes inside mapped memory
  size_t objects = 0;       // cells handed out and not yet freed
};

// Constant properties an allocator declares (like a collector's
// CollectorConstraints); tests, benchmarks and tools branch on these, never
// on the allocator's name.
struct AllocatorCapabilities {
  // Free(cache, cell) makes the cell's memory available to Allocate before
  // the next sweep. False: the cell only becomes a filler, reclaimed by the
  // next sweep of its unit (bump).
  bool free_reuses_memory = true;
  // A sweep merges adjacent dead cells and free memory into one free block,
  // so a run of dead small cells can afterwards hold one larger cell. False:
  // freed slots keep their size (size classes).
  bool sweep_coalesces = false;
};

// Per-thread allocation state (TLAB, mcache, ...). Created and destroyed by the
// allocator; used by exactly one thread at a time.
class AllocatorCache {
 public:
  virtual ~AllocatorCache() = default;
};

class Allocator {
 public:
  virtual ~Allocator() = default;

  // Registry name ("bump", "free_list", "size_class").
  virtual absl::string_view name() const = 0;
  virtual const AllocatorCapabilities& capabilities() const = 0;

  virtual absl::Status Initialize(const AllocatorOptions& options) = 0;

  virtual AllocatorCache* NewCache() = 0;
  // Gives back the cache's unused memory. World need not be stopped.
  virtual void DeleteCache(AllocatorCache* cache) = 0;

  // Returns a cell of exactly `size` bytes (size is a multiple of 8 and at
  // least kHeaderSize) or nullptr if the heap limit prevents it. Hot path.
  virtual void* Allocate(AllocatorCache* cache, size_t size) = 0;

  // Explicit free of a cell obtained from Allocate (malloc-style use, for
  // microbenchmarks and tests; collectors free by sweeping). Whether the
  // memory is reusable before the next sweep is
  // capabilities().free_reuses_memory.
  virtual void Free(AllocatorCache* cache, void* cell) = 0;

  // Sweeping protocol; see the file comment.
  virtual void PrepareForSweep(uint8_t live_epoch) = 0;
  virtual bool SweepSome() = 0;
  virtual SweepStats FinishSweep() = 0;

  // Calls f on every allocated cell (every cell handed out and not freed).
  // World stopped, no sweep in progress.
  virtual void ForEachObject(const std::function<void(Object*)>& f) = 0;

  // OK iff every free byte that should be poisoned is (when poison_freed).
  // World stopped, no sweep in progress. The message names the address.
  virtual absl::Status VerifyFreeMemory() = 0;

  // True iff p points into memory this allocator has mapped.
  virtual bool Contains(const void* p) const = 0;

  virtual AllocatorStats GetStats() const = 0;
};

}  // namespace gclab

#endif  // GCLAB_INTERFACES_ALLOCATOR_H_
