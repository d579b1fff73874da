#include "allocators/size_class/size_class_allocator.h"

#include <algorithm>
#include <array>
#include <bit>
#include <new>

#include "allocators/cell_utils.h"
#include "allocators/cell_walk.h"
#include "allocators/config_checks.h"
#include "allocators/counters.h"
#include "allocators/sweep_cycle.h"
#include "util/check.h"
#include "util/status_macros.h"

namespace gclab {
namespace {

// Go's src/runtime/sizeclasses.go: class_to_size and class_to_allocnpages.
constexpr uint16_t kClassToSize[kNumSizeClasses] = {
    0,     8,     16,    32,    48,    64,    80,    96,    112,   128,   144,  160,   176,   192,
    208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,  512,   576,   640,
    704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304, 2688,  3072,  3200,
    3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728, 10240, 10880, 12288,
    13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
constexpr uint8_t kClassToPages[kNumSizeClasses] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2,  3, 1, 3, 2,
    3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4};

constexpr uint64_t kArenaMagic = 0x7363617265616e61ull;  // "scarena"

// First page of every arena: the page -> span table.
struct ArenaHeader {
  static constexpr size_t kTableEntries =
      (kSizeClassPageSize - 2 * sizeof(uint64_t)) / sizeof(void*);
  uint64_t magic;
  uint64_t bytes;
  std::atomic<void*> spans[kTableEntries];
};
static_assert(sizeof(ArenaHeader) <= kSizeClassPageSize);

const std::array<uint8_t, kMaxSmallSize / 8 + 1>& SizeTable() {
  static const auto* table = [] {
    auto* t = new std::array<uint8_t, kMaxSmallSize / 8 + 1>();
    int cls = 2;
    for (size_t i = 0; i < t->size(); ++i) {
      const size_t size = i * 8;
      while (kClassToSize[cls] < size) ++cls;
      (*t)[i] = static_cast<uint8_t>(cls);
    }
    return t;
  }();
  return *table;
}

}  // namespace

uint32_t SizeClassBytes(int size_class) { return kClassToSize[size_class]; }
uint32_t SizeClassPages(int size_class) { return kClassToPages[size_class]; }
int SizeToClass(size_t size) { return SizeTable()[(size + 7) / 8]; }

struct SizeClassAllocator::Span {
  uintptr_t start = 0;
  size_t npages = 0;
  int size_class = 0;  // 0: large
  uint32_t elem_size = 0;
  uint32_t nelems = 0;
  uint32_t freeindex = 0;  // no free slot below it
  uint32_t alloc_count = 0;
  std::vector<uint64_t> alloc_bits;  // bit set: slot allocated; bits >= nelems set
  std::atomic<uint32_t> sweepgen{0};
  Span* prev = nullptr;
  Span* next = nullptr;
  SpanList* list = nullptr;
  Cache* cached_by = nullptr;  // guarded by the class's mcentral lock
  size_t large_size = 0;

  char* slot(uint32_t i) const {
    return reinterpret_cast<char*>(start + static_cast<uintptr_t>(i) * elem_size);
  }
  bool allocated(uint32_t i) const { return (alloc_bits[i / 64] >> (i % 64)) & 1; }
  // First free slot >= freeindex, or nelems.
  uint32_t NextFree() const {
    uint32_t i = freeindex;
    while (i < nelems) {
      const uint32_t w = i / 64;
      const uint64_t free = ~alloc_bits[w] >> (i % 64);
      if (free != 0) return std::min<uint32_t>(i + std::countr_zero(free), nelems);
      i = (w + 1) * 64;
    }
    return nelems;
  }
};

struct SizeClassAllocator::Cache final : AllocatorCache {
  Span* alloc[kNumSizeClasses] = {};
  CacheCounters counters;  // small cells: header sizes and objects
  CacheCounters slots;     // small cells: slot (class) sizes; bytes only
};

void SizeClassAllocator::SpanList::Push(Span* s) {
  GCLAB_DCHECK(s->list == nullptr, "span %p is already on a list", static_cast<void*>(s));
  s->prev = nullptr;
  s->next = head;
  if (head != nullptr) head->prev = s;
  head = s;
  s->list = this;
  ++size;
}

void SizeClassAllocator::SpanList::Remove(Span* s) {
  GCLAB_CHECK(s->list == this, "span %p is not on this list", static_cast<void*>(s));
  if (s->prev != nullptr)
    s->prev->next = s->next;
  else
    head = s->next;
  if (s->next != nullptr) s->next->prev = s->prev;
  s->prev = s->next = nullptr;
  s->list = nullptr;
  --size;
}

SizeClassAllocator::Span* SizeClassAllocator::SpanList::Pop() {
  Span* s = head;
  if (s != nullptr) Remove(s);
  return s;
}

absl::StatusOr<std::unique_ptr<Allocator>> NewSizeClassAllocator(
    const SizeClassAllocatorConfig& config) {
  GCLAB_RETURN_IF_ERROR(
      CheckPowerOfTwoIn("size_class.arena_bytes", config.arena_bytes, 256 * kKiB, 4 * kMiB));
  GCLAB_RETURN_IF_ERROR(
      CheckAtLeast("size_class.spans_per_sweep_step", config.spans_per_sweep_step, 1));
  return std::unique_ptr<Allocator>(new SizeClassAllocator(config));
}

SizeClassAllocator::SizeClassAllocator(const SizeClassAllocatorConfig& config)
    : config_(config), arena_bytes_(config.arena_bytes) {}

SizeClassAllocator::~SizeClassAllocator() {
  {
    std::unique_lock<std::mutex> lock(caches_mu_);
    for (Cache* c : caches_) delete c;
    caches_.clear();
  }
  std::unique_lock<std::mutex> lock(heap_mu_);
  for (Span* s : spans_in_use_) delete s;
  for (Span* s : span_pool_) delete s;
  spans_in_use_.clear();
  span_pool_.clear();
  // pages_ unmaps the arenas.
}

const AllocatorCapabilities& SizeClassAllocator::capabilities() const {
  static constexpr AllocatorCapabilities kCapabilities = {
      .free_reuses_memory = true,  // own or central span at once; else after the sweep
      .sweep_coalesces = false,    // slots keep their class; only whole spans merge
  };
  return kCapabilities;
}

absl::Status SizeClassAllocator::Initialize(const AllocatorOptions& options) {
  if (initialized_) return absl::FailedPreconditionError("size_class: Initialize called twice");
  if (options.heap_limit_bytes == 0) {
    return absl::InvalidArgumentError("AllocatorOptions.heap_limit_bytes must be positive");
  }
  options_ = options;
  pages_ =
      std::make_unique<PageSource>(options.heap_limit_bytes, arena_bytes_, config_.retained_arenas);
  SizeTable();
  initialized_ = true;
  return absl::OkStatus();
}

// ---------------------------------------------------------------- mheap

void SizeClassAllocator::TakeRunLocked(uintptr_t start, size_t npages) {
  free_runs_.erase(start);
  free_by_size_.erase({npages, start});
  free_pages_ -= npages;
}

void SizeClassAllocator::FreeRunLocked(uintptr_t start, size_t npages) {
  free_runs_.emplace(start, npages);
  free_by_size_.emplace(npages, start);
  free_pages_ += npages;
}

SizeClassAllocator::Span* SizeClassAllocator::AllocSpan(size_t npages) {
  std::unique_lock<std::mutex> lock(heap_mu_);
  uintptr_t start = 0;
  for (;;) {
    auto it = free_by_size_.lower_bound({npages, 0});
    if (it != free_by_size_.end()) {
      const auto [n, s] = *it;
      TakeRunLocked(s, n);
      if (n > npages) FreeRunLocked(s + npages * kSizeClassPageSize, n - npages);
      start = s;
      break;
    }
    // Grow: a normal arena, or a dedicated one for a span bigger than that.
    const size_t bytes = npages + 1 <= arena_pages()
                             ? arena_bytes_
                             : AlignUp((npages + 1) * kSizeClassPageSize, kOsPageSize);
    lock.unlock();
    void* chunk = pages_->Map(bytes, arena_bytes_);
    lock.lock();
    if (chunk == nullptr) return nullptr;
    auto* a = static_cast<ArenaHeader*>(chunk);
    a->magic = kArenaMagic;
    a->bytes = bytes;
    for (auto& e : a->spans) e.store(nullptr, std::memory_order_relaxed);
    const uintptr_t base = reinterpret_cast<uintptr_t>(chunk);
    arenas_.emplace(base, bytes);
    FreeRunLocked(base + kSizeClassPageSize, bytes / kSizeClassPageSize - 1);
  }
  Span* s;
  if (!span_pool_.empty()) {
    s = span_pool_.back();
    span_pool_.pop_back();
  } else {
    s = new Span;
  }
  s->start = start;
  s->npages = npages;
  const uintptr_t base = start & ~(uintptr_t{arena_bytes_} - 1);
  auto* a = reinterpret_cast<ArenaHeader*>(base);
  const size_t first = (start - base) >> kSizeClassPageShift;
  for (size_t i = first; i < first + npages && i < ArenaHeader::kTableEntries; ++i) {
    a->spans[i].store(s, std::memory_order_release);
  }
  spans_in_use_.insert(s);
  return s;
}

void SizeClassAllocator::FreeSpan(Span* s) {
  std::unique_lock<std::mutex> lock(heap_mu_);
  uintptr_t start = s->start;
  size_t n = s->npages;
  const uintptr_t base = start & ~(uintptr_t{arena_bytes_} - 1);
  auto* a = reinterpret_cast<ArenaHeader*>(base);
  const size_t first = (start - base) >> kSizeClassPageShift;
  for (size_t i = first; i < first + n && i < ArenaHeader::kTableEntries; ++i) {
    a->spans[i].store(nullptr, std::memory_order_relaxed);
  }
  if (s->size_class != 0) small_span_bytes_ -= n * kSizeClassPageSize;
  spans_in_use_.erase(s);
  s->alloc_bits.clear();
  s->list = nullptr;
  s->cached_by = nullptr;
  span_pool_.push_back(s);
  // Coalesce with the free runs on both sides (never across arenas: every
  // arena starts with its header page, which is never free).
  auto next = free_runs_.find(start + n * kSizeClassPageSize);
  if (next != free_runs_.end()) {
    const size_t nn = next->second;
    TakeRunLocked(next->first, nn);
    n += nn;
  }
  auto prev = free_runs_.lower_bound(start);
  if (prev != free_runs_.begin()) {
    --prev;
    if (prev->first + prev->second * kSizeClassPageSize == start) {
      const uintptr_t ps = prev->first;
      const size_t pn = prev->second;
      TakeRunLocked(ps, pn);
      start = ps;
      n += pn;
    }
  }
  const size_t arena_bytes = a->bytes;
  if (start == base + kSizeClassPageSize && n == arena_bytes / kSizeClassPageSize - 1) {
    // Wholly free arena: back to the page source.
    arenas_.erase(base);
    pages_->Unmap(a, arena_bytes);
    return;
  }
  FreeRunLocked(start, n);
}

SizeClassAllocator::Span* SizeClassAllocator::SpanOf(const void* p) const {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(p);
  const uintptr_t base = addr & ~(uintptr_t{arena_bytes_} - 1);
  const auto* a = reinterpret_cast<const ArenaHeader*>(base);
  GCLAB_CHECK(a->magic == kArenaMagic, "size_class: %p is outside the heap", p);
  const size_t page = (addr - base) >> kSizeClassPageShift;
  GCLAB_CHECK(page >= 1 && page < ArenaHeader::kTableEntries, "size_class: bad page %zu of %p",
              page, p);
  return static_cast<Span*>(a->spans[page].load(std::memory_order_acquire));
}

// ---------------------------------------------------------------- mcache

AllocatorCache* SizeClassAllocator::NewCache() {
  auto* c = new Cache;
  std::unique_lock<std::mutex> lock(caches_mu_);
  caches_.insert(c);
  return c;
}

void SizeClassAllocator::DeleteCache(AllocatorCache* cache) {
  auto* c = static_cast<Cache*>(cache);
  for (int cls = 2; cls < kNumSizeClasses; ++cls) {
    if (Span* s = c->alloc[cls]) {
      std::unique_lock<std::mutex> lock(central_[cls].mu);
      UncacheSpanLocked(central_[cls], s);
      c->alloc[cls] = nullptr;
    }
  }
  {
    std::unique_lock<std::mutex> lock(caches_mu_);
    caches_.erase(c);
    counters_.Retire(c->counters);
    slot_counters_.Retire(c->slots);
  }
  delete c;
}

void SizeClassAllocator::UncacheSpanLocked(Central& m, Span* s) {
  const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
  GCLAB_CHECK(s->sweepgen.load(std::memory_order_relaxed) == sg,
              "size_class: cached span %p not swept in this cycle", static_cast<void*>(s));
  s->cached_by = nullptr;
  (s->alloc_count == s->nelems ? m.full : m.partial)[SweptIndex(sg)].Push(s);
}

void SizeClassAllocator::InitSmallSpan(Span* s, int cls, uint32_t sg) {
  s->size_class = cls;
  s->elem_size = kClassToSize[cls];
  s->nelems = static_cast<uint32_t>(s->npages * kSizeClassPageSize / s->elem_size);
  s->alloc_bits.assign((s->nelems + 63) / 64, 0);
  if (s->nelems % 64 != 0) s->alloc_bits.back() = ~uint64_t{0} << (s->nelems % 64);
  s->freeindex = 0;
  s->alloc_count = 0;
  s->large_size = 0;
  s->sweepgen.store(sg, std::memory_order_relaxed);
  PoisonBytes(reinterpret_cast<void*>(s->start), s->npages * kSizeClassPageSize,
              options_.poison_freed);
  std::unique_lock<std::mutex> lock(heap_mu_);
  small_span_bytes_ += s->npages * kSizeClassPageSize;
}

SizeClassAllocator::Span* SizeClassAllocator::CacheSpan(int cls, Cache* c) {
  Central& m = central_[cls];
  const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
  const int sw = SweptIndex(sg);
  const int un = UnsweptIndex(sg);
  {
    std::unique_lock<std::mutex> lock(m.mu);
    for (;;) {
      if (Span* s = m.partial[sw].Pop()) {
        s->cached_by = c;
        return s;
      }
      Span* s = m.partial[un].Pop();
      if (s == nullptr) s = m.full[un].Pop();
      if (s == nullptr) break;
      // Lazy sweep of the span we are about to use (Go: mcentral.cacheSpan).
      BeginSweepClaim(s, sg);
      lock.unlock();
      SweepStats st;
      SweepSmallSpan(s, sg, &st);
      EndSweep(st);
      lock.lock();
      s->sweepgen.store(sg, std::memory_order_release);
      m.swept.notify_all();
      if (s->alloc_count < s->nelems) {
        s->cached_by = c;
        return s;
      }
      m.full[sw].Push(s);
    }
  }
  Span* s = AllocSpan(kClassToPages[cls]);
  if (s == nullptr) return nullptr;
  InitSmallSpan(s, cls, sg);
  std::unique_lock<std::mutex> lock(m.mu);
  s->cached_by = c;
  return s;
}

SizeClassAllocator::Span* SizeClassAllocator::Refill(Cache* c, int cls) {
  if (Span* old = c->alloc[cls]) {
    std::unique_lock<std::mutex> lock(central_[cls].mu);
    UncacheSpanLocked(central_[cls], old);
  }
  c->alloc[cls] = CacheSpan(cls, c);
  return c->alloc[cls];
}

void* SizeClassAllocator::Allocate(AllocatorCache* cache, size_t size) {
  GCLAB_DCHECK(size >= kHeaderSize && size % kObjectAlignment == 0, "size %zu", size);
  if (size > kMaxSmallSize) return AllocateLarge(size);
  auto* c = static_cast<Cache*>(cache);
  const int cls = SizeToClass(size);
  Span* s = c->alloc[cls];
  uint32_t idx = s != nullptr ? s->NextFree() : 0;
  if (s == nullptr || idx >= s->nelems) {
    s = Refill(c, cls);
    if (s == nullptr) return nullptr;
    idx = s->NextFree();
    GCLAB_CHECK(idx < s->nelems, "size_class: refilled span %p has no free slot",
                static_cast<void*>(s));
  }
  s->alloc_bits[idx / 64] |= uint64_t{1} << (idx % 64);
  s->freeindex = idx + 1;
  s->alloc_count++;
  c->counters.CountAllocation(size);
  c->slots.alloc_bytes.Add(s->elem_size);
  return s->slot(idx);
}

void* SizeClassAllocator::AllocateLarge(size_t size) {
  const size_t npages = (size + kSizeClassPageSize - 1) / kSizeClassPageSize;
  Span* s = AllocSpan(npages);
  if (s == nullptr) return nullptr;
  s->size_class = 0;
  s->elem_size = 0;
  s->nelems = 1;
  s->alloc_count = 1;
  s->freeindex = 1;
  s->alloc_bits.clear();
  s->large_size = size;
  const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
  s->sweepgen.store(sg, std::memory_order_relaxed);
  {
    std::unique_lock<std::mutex> lock(large_mu_);
    large_[SweptIndex(sg)].Push(s);
  }
  large_bytes_.fetch_add(size, std::memory_order_relaxed);
  large_objects_.fetch_add(1, std::memory_order_relaxed);
  return reinterpret_cast<void*>(s->start);
}

namespace {
struct SweepWait {
  const std::atomic<uint32_t>* span_sweepgen;
  uint32_t sg;
  bool Done() const { return span_sweepgen->load(std::memory_order_acquire) != sg - 1; }
};
}  // namespace

void SizeClassAllocator::FreeLarge(Span* s) {
  {
    std::unique_lock<std::mutex> lock(large_mu_);
    const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
    SweepWait wait{&s->sweepgen, sg};
    large_swept_.wait(lock, [&] { return wait.Done(); });
    GCLAB_CHECK(s->list != nullptr, "size_class: Free of a large object not in use (span %p)",
                static_cast<void*>(s));
    if (s->sweepgen.load(std::memory_order_relaxed) == sg - 2) {
      unswept_spans_.fetch_sub(1, std::memory_order_relaxed);
    }
    s->list->Remove(s);
  }
  large_bytes_.fetch_sub(s->large_size, std::memory_order_relaxed);
  large_objects_.fetch_sub(1, std::memory_order_relaxed);
  FreeSpan(s);
}

void SizeClassAllocator::Free(AllocatorCache* cache, void* cell) {
  if (cell == nullptr) return;
  ObjectHeader* h = HeaderAt(cell);
  GCLAB_CHECK(IsObject(h), "size_class: Free of %p, which is not an allocated object", cell);
  Span* s = SpanOf(cell);
  GCLAB_CHECK(s != nullptr, "size_class: Free of %p, in a free page", cell);
  if (s->size_class == 0) {
    GCLAB_CHECK(s->start == reinterpret_cast<uintptr_t>(cell),
                "size_class: Free of %p, inside a large object", cell);
    FreeLarge(s);
    return;
  }
  const size_t size = h->size;
  const int cls = s->size_class;
  const uintptr_t off = reinterpret_cast<uintptr_t>(cell) - s->start;
  GCLAB_CHECK(off % s->elem_size == 0, "size_class: Free of an interior pointer %p", cell);
  const uint32_t idx = static_cast<uint32_t>(off / s->elem_size);
  auto* c = static_cast<Cache*>(cache);
  if (c != nullptr && c->alloc[cls] == s) {
    // Our own span: clear the bit, the slot is reusable at once.
    PoisonBytes(cell, s->elem_size, options_.poison_freed);
    s->alloc_bits[idx / 64] &= ~(uint64_t{1} << (idx % 64));
    s->alloc_count--;
    s->freeindex = std::min(s->freeindex, idx);
    c->counters.CountFree(size);
    c->slots.freed_bytes.Add(s->elem_size);
    return;
  }
  Central& m = central_[cls];
  std::unique_lock<std::mutex> lock(m.mu);
  const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
  SweepWait wait{&s->sweepgen, sg};
  m.swept.wait(lock, [&] { return wait.Done(); });
  if (s->cached_by == nullptr && s->list != nullptr &&
      s->sweepgen.load(std::memory_order_acquire) == sg) {
    // Swept and sitting in the mcentral: free the slot now.
    const bool was_full = s->alloc_count == s->nelems;
    PoisonBytes(cell, s->elem_size, options_.poison_freed);
    s->alloc_bits[idx / 64] &= ~(uint64_t{1} << (idx % 64));
    s->alloc_count--;
    s->freeindex = std::min(s->freeindex, idx);
    slot_counters_.CountFreed(s->elem_size, 0);
    if (was_full) {
      GCLAB_CHECK(s->list == &m.full[SweptIndex(sg)], "size_class: full span %p not listed",
                  static_cast<void*>(s));
      s->list->Remove(s);
      m.partial[SweptIndex(sg)].Push(s);
    }
  } else {
    // Another thread's span, or not yet swept: the next sweep reclaims it.
    WriteFiller(cell, size);
    PoisonBytes(static_cast<char*>(cell) + kHeaderSize, size - kHeaderSize, options_.poison_freed);
  }
  counters_.CountFreed(size, 1);
}

// ---------------------------------------------------------------- sweeping

void SizeClassAllocator::BeginSweepClaim(Span* s, uint32_t sg) {
  uint32_t expected = sg - 2;
  const bool claimed =
      s->sweepgen.compare_exchange_strong(expected, sg - 1, std::memory_order_acq_rel);
  GCLAB_CHECK(claimed, "size_class: span %p on an unswept list is not unswept",
              static_cast<void*>(s));
  unswept_spans_.fetch_sub(1, std::memory_order_relaxed);
  std::unique_lock<std::mutex> lock(sweep_mu_);
  cycle_.UnitClaimed();
}

void SizeClassAllocator::EndSweep(const SweepStats& s) {
  std::unique_lock<std::mutex> lock(sweep_mu_);
  cycle_.UnitSwept(s);
}

void SizeClassAllocator::SweepSmallSpan(Span* s, uint32_t sg, SweepStats* stats) {
  const uint8_t epoch = live_epoch_.load(std::memory_order_relaxed);
  size_t freed_slots = 0;
  size_t freed_bytes = 0;
  size_t freed_objects = 0;
  for (size_t w = 0; w < s->alloc_bits.size(); ++w) {
    uint64_t bits = s->alloc_bits[w];
    while (bits != 0) {
      const uint32_t i = static_cast<uint32_t>(w * 64 + std::countr_zero(bits));
      bits &= bits - 1;
      if (i >= s->nelems) break;
      char* cell = s->slot(i);
      ObjectHeader* h = HeaderAt(cell);
      if (IsObject(h) && h->mark.load(std::memory_order_relaxed) == epoch) {
        stats->live_objects++;
        stats->live_bytes += h->size;
        continue;
      }
      GCLAB_CHECK(IsObject(h) || IsFiller(h), "size_class: corrupt header at %p (magic 0x%x)",
                  static_cast<void*>(cell), static_cast<unsigned>(h->magic));
      if (IsObject(h)) {
        stats->freed_objects++;
        stats->freed_bytes += h->size;
        freed_objects++;
        freed_bytes += h->size;
      }
      s->alloc_bits[w] &= ~(uint64_t{1} << (i % 64));
      s->alloc_count--;
      ++freed_slots;
      PoisonBytes(cell, s->elem_size, options_.poison_freed);
    }
  }
  s->freeindex = 0;
  stats->units_swept++;
  counters_.CountFreed(freed_bytes, freed_objects);
  slot_counters_.CountFreed(freed_slots * s->elem_size, 0);
  // The caller publishes sweepgen = sg under the mcentral lock, together with
  // the span's new list or cache, so Free never sees a swept span in limbo.
}

bool SizeClassAllocator::SweepOneOfClass(int cls) {
  const uint32_t sg = sweepgen_.load(std::memory_order_acquire);
  const int sw = SweptIndex(sg);
  const int un = UnsweptIndex(sg);
  SweepStats st;
  if (cls == 0) {
    Span* s;
    {
      std::unique_lock<std::mutex> lock(large_mu_);
      s = large_[un].Pop();
      if (s == nullptr) return false;
      BeginSweepClaim(s, sg);
    }
    const ObjectHeader* h = HeaderAt(reinterpret_cast<void*>(s->start));
    GCLAB_CHECK(IsObject(h), "size_class: large object %p has a bad header (magic 0x%x)",
                static_cast<const void*>(h), static_cast<unsigned>(h->magic));
    st.units_swept = 1;
    if (h->mark.load(std::memory_order_relaxed) == live_epoch_.load(std::memory_order_relaxed)) {
      st.live_objects = 1;
      st.live_bytes = s->large_size;
      std::unique_lock<std::mutex> lock(large_mu_);
      s->sweepgen.store(sg, std::memory_order_release);
      large_[sw].Push(s);
      large_swept_.notify_all();
    } else {
      st.freed_objects = 1;
      st.freed_bytes = s->large_size;
      st.units_released = 1;
      large_bytes_.fetch_sub(s->large_size, std::memory_order_relaxed);
      large_objects_.fetch_sub(1, std::memory_order_relaxed);
      {
        std::unique_lock<std::mutex> lock(large_mu_);
        s->sweepgen.store(sg, std::memory_order_release);
        large_swept_.notify_all();
      }
      FreeSpan(s);
    }
    EndSweep(st);
    return true;
  }
  Central& m = central_[cls];
  Span* s;
  {
    std::unique_lock<std::mutex> lock(m.mu);
    s = m.partial[un].Pop();
    if (s == nullptr) s = m.full[un].Pop();
    if (s == nullptr) return false;
    BeginSweepClaim(s, sg);
  }
  SweepSmallSpan(s, sg, &st);
  bool release = false;
  {
    std::unique_lock<std::mutex> lock(m.mu);
    s->sweepgen.store(sg, std::memory_order_release);
    m.swept.notify_all();
    if (s->alloc_count == 0) {
      release = true;
    } else {
      (s->alloc_count == s->nelems ? m.full : m.partial)[sw].Push(s);
    }
  }
  if (release) {
    st.units_released = 1;
    FreeSpan(s);
  }
  EndSweep(st);
  return true;
}

void SizeClassAllocator::PrepareForSweep(uint8_t live_epoch) {
  {
    std::unique_lock<std::mutex> lock(sweep_mu_);
    cycle_.Begin("size_class");
  }
  const uint32_t sg = sweepgen_.load(std::memory_order_relaxed);
  {
    std::unique_lock<std::mutex> lock(caches_mu_);
    for (Cache* c : caches_) {
      for (int cls = 2; cls < kNumSizeClasses; ++cls) {
        if (Span* s = c->alloc[cls]) {
          std::unique_lock<std::mutex> central_lock(central_[cls].mu);
          UncacheSpanLocked(central_[cls], s);
          c->alloc[cls] = nullptr;
        }
      }
    }
  }
  live_epoch_.store(live_epoch, std::memory_order_relaxed);
  // Flip: every swept list becomes the unswept list of the new cycle.
  size_t unswept = 0;
  for (int cls = 2; cls < kNumSizeClasses; ++cls) {
    std::unique_lock<std::mutex> lock(central_[cls].mu);
    const int old_unswept = UnsweptIndex(sg);
    GCLAB_CHECK(
        central_[cls].partial[old_unswept].size == 0 && central_[cls].full[old_unswept].size == 0,
        "size_class: previous sweep of class %d unfinished", cls);
    unswept += central_[cls].partial[SweptIndex(sg)].size + central_[cls].full[SweptIndex(sg)].size;
  }
  {
    std::unique_lock<std::mutex> lock(large_mu_);
    unswept += large_[SweptIndex(sg)].size;
  }
  unswept_spans_.store(unswept, std::memory_order_relaxed);
  sweepgen_.store(sg + 2, std::memory_order_release);
}

bool SizeClassAllocator::SweepSome() {
  size_t budget = config_.spans_per_sweep_step;
  int misses = 0;
  while (budget > 0 && unswept_spans_.load(std::memory_order_relaxed) > 0 &&
         misses < kNumSizeClasses) {
    const int cls = sweep_cursor_.load(std::memory_order_relaxed) % kNumSizeClasses;
    if (cls != 1 && SweepOneOfClass(cls)) {
      --budget;
      misses = 0;
    } else {
      sweep_cursor_.store((cls + 1) % kNumSizeClasses, std::memory_order_relaxed);
      ++misses;
    }
  }
  return unswept_spans_.load(std::memory_order_relaxed) > 0;
}

SweepStats SizeClassAllocator::FinishSweep() {
  for (int cls = 0; cls < kNumSizeClasses; ++cls) {
    if (cls == 1) continue;
    while (SweepOneOfClass(cls)) {
    }
  }
  std::unique_lock<std::mutex> lock(sweep_mu_);
  const SweepStats result = cycle_.Finish(lock);
  GCLAB_CHECK(unswept_spans_.load() == 0, "size_class: %zu spans left unswept",
              unswept_spans_.load());
  return result;
}

// ---------------------------------------------------------------- inspection

std::vector<SizeClassAllocator::Span*> SizeClassAllocator::ListSpans() const {
  std::unique_lock<std::mutex> lock(heap_mu_);
  return std::vector<Span*>(spans_in_use_.begin(), spans_in_use_.end());
}

void SizeClassAllocator::ForEachObject(const std::function<void(Object*)>& f) {
  for (Span* s : ListSpans()) {
    if (s->size_class == 0) {
      f(reinterpret_cast<Object*>(s->start));
      continue;
    }
    for (uint32_t i = 0; i < s->nelems; ++i) {
      if (!s->allocated(i)) continue;
      ObjectHeader* h = HeaderAt(s->slot(i));
      if (IsObject(h)) f(reinterpret_cast<Object*>(h));
    }
  }
}

absl::Status SizeClassAllocator::VerifyFreeMemory() {
  const FreeMemoryVerifier verifier("size_class", "span", options_.poison_freed);
  for (Span* s : ListSpans()) {
    if (s->size_class == 0) continue;
    const void* base = reinterpret_cast<const void*>(s->start);
    for (uint32_t i = 0; i < s->nelems; ++i) {
      absl::Status st = s->allocated(i)
                            ? verifier.CheckAllocatedSlot(base, s->slot(i), s->elem_size)
                            : verifier.CheckFreeSlot(s->slot(i), s->elem_size);
      if (!st.ok()) return st;
    }
  }
  return absl::OkStatus();
}

bool SizeClassAllocator::Contains(const void* p) const {
  return pages_ != nullptr && pages_->Contains(p);
}

AllocatorStats SizeClassAllocator::GetStats() const {
  AllocatorStats st;
  if (pages_ == nullptr) return st;
  CellTotals cells, slots;
  {
    std::unique_lock<std::mutex> lock(caches_mu_);
    cells = counters_.Sum(caches_);
    slots = slot_counters_.Sum(caches_,
                               [](const Cache* c) -> const CacheCounters& { return c->slots; });
  }
  size_t free_pages, small_bytes;
  {
    std::unique_lock<std::mutex> lock(heap_mu_);
    free_pages = free_pages_;
    small_bytes = small_span_bytes_;
  }
  const size_t slot_in_use = slots.in_use_bytes();
  st.mapped_bytes = pages_->mapped_bytes();
  st.in_use_bytes = cells.in_use_bytes() + large_bytes_.load(std::memory_order_relaxed);
  st.objects = cells.objects() + large_objects_.load(std::memory_order_relaxed);
  st.free_bytes =
      free_pages * kSizeClassPageSize + (small_bytes > slot_in_use ? small_bytes - slot_in_use : 0);
  return st;
}

size_t SizeClassAllocator::SpanCountForTesting() const {
  std::unique_lock<std::mutex> lock(heap_mu_);
  return spans_in_use_.size();
}

size_t SizeClassAllocator::ArenaCountForTesting() const {
  std::unique_lock<std::mutex> lock(heap_mu_);
  return arenas_.size();
}

size_t SizeClassAllocator::FreePagesForTesting() const {
  std::unique_lock<std::mutex> lock(heap_mu_);
  return free_pages_;
}

}  // namespace gclab
