// SizeClassAllocator: a size-class allocator modelled on Go's runtime
// allocator (src/runtime/malloc.go, mheap.go, mcentral.go, mcache.go,
// sizeclasses.go; see also TCMalloc, from which Go's design descends). Our own
// code; the structure follows Go:
//
//   mheap     pages of 8 KiB carved from 1 MiB arenas (first page of each arena
//             holds its page->span table); free page runs are kept in an
//             address-ordered map (coalesced with both neighbours on free) and
//             a (npages, address) set for best fit. A wholly free arena goes
//             back to the PageSource. Large objects (> 32 KiB) get a span of
//             their own (an arena of their own if bigger than an arena).
//   mspan     npages contiguous pages holding `nelems` slots of one size class;
//             an alloc bitmap (bit set = slot allocated), `freeindex` (no free
//             slot below it), `alloc_count`, and `sweepgen`.
//   mcentral  one per size class: partial (has free slots) and full span
//             lists, each split into swept / unswept. As in Go, the two halves
//             are indexed by sweepgen/2 % 2, so PrepareForSweep's sweepgen += 2
//             turns every swept list into the unswept list without touching a
//             span.
//   mcache    per thread: one span per size class; allocation scans the
//             span's bitmap from freeindex (no lock); when the span is full the
//             cache hands it back to its mcentral and asks for another
//             (mcentral.cacheSpan: partial swept, else sweep a partial unswept
//             one, else sweep full unswept ones, else grow from the mheap).
//
// Size classes: Go's table (sizeclasses.go, 67 classes, 16 B .. 32 KiB, with
// Go's pages-per-span); class 1 (8 B) is never used since every gclab cell
// holds at least a 16-byte header. A request of `size` gets a slot of the
// smallest class >= size; the tail of the slot is internal fragmentation.
//
// Sweep (Go's sweepgen rule): with sg = the heap's sweepgen, a span with
// sweepgen == sg-2 needs sweeping, sg-1 is being swept, sg is swept. Whoever
// claims a span (CAS sg-2 -> sg-1, after popping it from an unswept list
// under the mcentral lock) sweeps it: for each allocated slot, the header mark
// decides (== live_epoch: live) - this is our gcmarkBits; the rebuilt bitmap
// becomes allocBits, freeindex = 0, dead slots are poisoned. A span with no
// live slot goes back to the mheap (units_released counts spans released).
// Spans are swept by SweepSome (round-robin over classes, then large spans)
// or lazily by an mcache about to use them.
//
// Thread-safety: Allocate touches only the caller's mcache on the fast path;
// each mcentral has its own mutex; the mheap has one; the sweep counters one.
// PrepareForSweep (world stopped) flushes every mcache into the swept lists
// before flipping sweepgen, so no span an mcache allocated from after
// PrepareForSweep is ever examined by that sweep.
//
// Free(cell): if the cell's span is the caller's current span for that class,
// its bit is cleared at once (slot reusable immediately, freeindex lowered).
// If the span sits swept in its mcentral, the bit is cleared under the
// mcentral lock. Otherwise (span cached by another thread, or not yet swept)
// the cell becomes a filler (kFreeMagic) and the next sweep of its span
// reclaims the slot. Large objects are returned to the mheap at once.
#ifndef GCLAB_ALLOCATORS_SIZE_CLASS_SIZE_CLASS_ALLOCATOR_H_
#define GCLAB_ALLOCATORS_SIZE_CLASS_SIZE_CLASS_ALLOCATOR_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "allocators/counters.h"
#include "allocators/page_source.h"
#include "allocators/sweep_cycle.h"
#include "interfaces/allocator.h"

namespace gclab {

struct SizeClassAllocatorConfig {
  // mheap arena size: power of two in [256 KiB, 4 MiB].
  size_t arena_bytes = size_t{1} << 20;
  // Spans swept per SweepSome call (>= 1).
  size_t spans_per_sweep_step = 16;
  // Wholly free arenas the PageSource keeps mapped for reuse.
  size_t retained_arenas = 2;
};

// A size-class allocator (not yet initialized), or InvalidArgument naming the
// first bad field of `config` ("size_class.arena_bytes must be ...").
absl::StatusOr<std::unique_ptr<Allocator>> NewSizeClassAllocator(
    const SizeClassAllocatorConfig& config = {});

// Go's size-class table.
inline constexpr size_t kSizeClassPageShift = 13;
inline constexpr size_t kSizeClassPageSize = size_t{1} << kSizeClassPageShift;
inline constexpr size_t kMaxSmallSize = 32768;
inline constexpr int kNumSizeClasses = 67;
// Bytes per slot of each class (class 0 = large).
uint32_t SizeClassBytes(int size_class);
// Pages per span of each class.
uint32_t SizeClassPages(int size_class);
// Smallest class whose slots hold `size` bytes (16 <= size <= kMaxSmallSize).
int SizeToClass(size_t size);

class SizeClassAllocator final : public Allocator {
 public:
  ~SizeClassAllocator() override;

  absl::string_view name() const override { return "size_class"; }
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

  size_t SpanCountForTesting() const;
  size_t ArenaCountForTesting() const;
  size_t FreePagesForTesting() const;

 private:
  friend absl::StatusOr<std::unique_ptr<Allocator>> NewSizeClassAllocator(
      const SizeClassAllocatorConfig& config);
  // `config` has been validated by NewSizeClassAllocator.
  explicit SizeClassAllocator(const SizeClassAllocatorConfig& config);

  struct Span;
  struct SpanList {
    Span* head = nullptr;
    size_t size = 0;
    void Push(Span* s);
    void Remove(Span* s);
    Span* Pop();
  };
  // std::mutex rather than absl::Mutex throughout: the system Abseil is not
  // built with TSan, so TSan would not see absl::Mutex's happens-before edges.
  struct Central {
    std::mutex mu;
    std::condition_variable swept;  // a span of this class finished sweeping
    SpanList partial[2];            // index: sweepgen/2 % 2 == swept half
    SpanList full[2];
  };
  struct Cache;

  static int SweptIndex(uint32_t sg) { return (sg >> 1) & 1; }
  static int UnsweptIndex(uint32_t sg) { return SweptIndex(sg) ^ 1; }

  // mheap.
  Span* AllocSpan(size_t npages);
  void FreeSpan(Span* s);
  void FreeRunLocked(uintptr_t start, size_t npages) ABSL_EXCLUSIVE_LOCKS_REQUIRED(heap_mu_);
  void TakeRunLocked(uintptr_t start, size_t npages) ABSL_EXCLUSIVE_LOCKS_REQUIRED(heap_mu_);
  Span* SpanOf(const void* p) const;
  std::vector<Span*> ListSpans() const;
  size_t arena_pages() const { return arena_bytes_ >> kSizeClassPageShift; }

  // mcentral / mcache.
  Span* Refill(Cache* c, int cls);
  Span* CacheSpan(int cls, Cache* c);
  void UncacheSpanLocked(Central& m, Span* s);
  void InitSmallSpan(Span* s, int cls, uint32_t sg);
  void* AllocateLarge(size_t size);
  void FreeLarge(Span* s);

  // Sweeping. `s` has been claimed (sweepgen == sg-1).
  void SweepSmallSpan(Span* s, uint32_t sg, SweepStats* stats);
  // CAS sg-2 -> sg-1, cycle_.UnitClaimed(), unswept--. Called under the lock of the
  // list the span was popped from.
  void BeginSweepClaim(Span* s, uint32_t sg);
  // cycle_.UnitSwept(s): the span is swept, its stats join the cycle.
  void EndSweep(const SweepStats& s);
  // Claims and sweeps one span of class `cls` (0 = large); false if none left.
  bool SweepOneOfClass(int cls);

  const SizeClassAllocatorConfig config_;
  const size_t arena_bytes_;
  AllocatorOptions options_;
  bool initialized_ = false;
  std::unique_ptr<PageSource> pages_;

  std::atomic<uint32_t> sweepgen_{2};
  std::atomic<uint8_t> live_epoch_{0};  // set in PrepareForSweep (world stopped)

  mutable std::mutex heap_mu_;
  std::map<uintptr_t, size_t> free_runs_ ABSL_GUARDED_BY(heap_mu_);  // start -> npages
  std::set<std::pair<size_t, uintptr_t>> free_by_size_ ABSL_GUARDED_BY(heap_mu_);
  std::map<uintptr_t, size_t> arenas_ ABSL_GUARDED_BY(heap_mu_);  // base -> bytes
  std::set<Span*> spans_in_use_ ABSL_GUARDED_BY(heap_mu_);
  std::vector<Span*> span_pool_ ABSL_GUARDED_BY(heap_mu_);  // recycled Span objects
  size_t free_pages_ ABSL_GUARDED_BY(heap_mu_) = 0;
  size_t small_span_bytes_ ABSL_GUARDED_BY(heap_mu_) = 0;

  Central central_[kNumSizeClasses];
  std::mutex large_mu_;
  std::condition_variable large_swept_;
  SpanList large_[2] ABSL_GUARDED_BY(large_mu_);

  mutable std::mutex caches_mu_;
  std::set<Cache*> caches_ ABSL_GUARDED_BY(caches_mu_);

  std::mutex sweep_mu_;
  SweepCycle cycle_ ABSL_GUARDED_BY(sweep_mu_);
  std::atomic<size_t> unswept_spans_{0};
  std::atomic<int> sweep_cursor_{0};

  // Small cells: deleted caches' counts and what sweeps and Frees outside
  // the owner's span freed, in requested bytes (header sizes) and objects,
  // and in slot bytes (class sizes; objects unused).
  AllocationCounters counters_;
  AllocationCounters slot_counters_;
  std::atomic<size_t> large_bytes_{0};
  std::atomic<size_t> large_objects_{0};
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_SIZE_CLASS_SIZE_CLASS_ALLOCATOR_H_
