// PageSource: where every gclab allocator gets its memory.
//
// Maps aligned chunks with mmap(MAP_NORESERVE) on demand, enforces the heap
// limit (a Map that would take the mapped total beyond `limit_bytes` returns
// nullptr; it never crashes), tracks mapped bytes, and keeps a chunk table
// (address-ordered map, O(log n)) so Contains(p) answers "is p inside a chunk
// handed out and not yet returned". Returned chunks whose size equals
// `retain_chunk_bytes` are kept mapped (up to `max_retained_chunks`) and
// reused by the next Map of that size, which avoids mmap/munmap churn when a
// unit (region, arena, span arena) is emptied and refilled every cycle: an
// unmapped chunk costs a munmap now and, when it is mapped again, a page
// fault and the kernel's zeroing per page (27% of a binary-trees profile
// was kernel time with the old limit of 2-4 chunks, 3-8% without it;
// docs/PERFORMANCE.md).
// The allocators retain every chunk by default (kRetainAllChunks), as Go's
// heap keeps its spans; the heap limit still bounds the total.
// Retained chunks still count as mapped (they occupy address space and may
// hold resident pages) and are evicted first when a Map would exceed the
// limit. Retained chunks are not reported by Contains.
//
// Thread-safe: all methods may be called from any thread (one internal mutex;
// calls are per chunk, never per object).
#ifndef GCLAB_ALLOCATORS_PAGE_SOURCE_H_
#define GCLAB_ALLOCATORS_PAGE_SOURCE_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace gclab {

inline constexpr size_t kOsPageSize = 4096;
// max_retained_chunks: keep every returned chunk (until the limit presses).
inline constexpr size_t kRetainAllChunks = ~size_t{0};

class PageSource {
 public:
  // `retain_chunk_bytes` == 0 disables retention.
  explicit PageSource(size_t limit_bytes, size_t retain_chunk_bytes = 0,
                      size_t max_retained_chunks = 0);
  // Unmaps every chunk still mapped (handed out or retained).
  ~PageSource();

  PageSource(const PageSource&) = delete;
  PageSource& operator=(const PageSource&) = delete;

  // Returns `bytes` (a multiple of kOsPageSize) of readable, writable memory
  // aligned to `alignment` (a power of two >= kOsPageSize), or nullptr if the
  // limit or the OS refuses. Fresh chunks are zero; reused chunks are not.
  void* Map(size_t bytes, size_t alignment);

  // Gives back a chunk obtained from Map with the same `bytes`.
  void Unmap(void* chunk, size_t bytes);

  // True iff p lies inside a chunk handed out by Map and not yet returned.
  bool Contains(const void* p) const;

  size_t mapped_bytes() const { return mapped_bytes_.load(std::memory_order_relaxed); }
  size_t limit_bytes() const { return limit_bytes_; }
  size_t retained_bytes() const;
  size_t chunk_count() const;

 private:
  void* MapFromOs(size_t bytes, size_t alignment);
  void EvictRetainedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t limit_bytes_;
  const size_t retain_chunk_bytes_;
  const size_t max_retained_chunks_;

  mutable std::mutex mu_;
  std::map<uintptr_t, size_t> chunks_ ABSL_GUARDED_BY(mu_);  // start -> bytes
  std::vector<void*> retained_ ABSL_GUARDED_BY(mu_);         // retain_chunk_bytes_ each
  size_t mapped_locked_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<size_t> mapped_bytes_{0};  // mirror of mapped_locked_ for lock-free reads
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_PAGE_SOURCE_H_
