#include "allocators/malloc_family/malloc_family_allocator.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "allocators/cell_utils.h"
#include "util/check.h"

namespace gclab {
namespace {

// The mark of a cell Free has released (no heap object carries epoch 0).
constexpr uint8_t kFreedMark = 0;

// A chunk every new cache starts with: full, so the first Allocate takes the
// slow path and gets a chunk of its own. Never written.
CellChunk* FullSentinel() {
  static CellChunk* sentinel = [] {
    auto* c = new CellChunk;
    c->count = CellChunk::kCapacity;
    return c;
  }();
  return sentinel;
}

void PushChunk(CellChunk** list, CellChunk* chunk) {
  chunk->next = *list;
  *list = chunk;
}

}  // namespace

template <typename Backend>
struct MallocFamilyAllocator<Backend>::Cache : AllocatorCache {
  CacheCounters counters;
  CellChunk* current = FullSentinel();  // a chunk with room, or the sentinel
  CellChunk* full = nullptr;            // chunks filled since the last PrepareForSweep
  // Bytes reserved from the heap limit and not yet handed out. Written only
  // by the owner (and by PrepareForSweep/DeleteCache with the owner stopped).
  std::atomic<size_t> quota{0};
};

template <typename Backend>
const AllocatorCapabilities& MallocFamilyAllocator<Backend>::capabilities() const {
  static constexpr AllocatorCapabilities kCapabilities = {
      .free_reuses_memory = false,  // Free leaves the cell to the next sweep (see the header)
      .sweep_coalesces = false,     // the library decides; its blocks keep their size classes
      .reclamation = Reclamation::kSweepByHeaderMark,
      .sweep_keeps_freed_memory = false,  // swept cells go back to the library
  };
  return kCapabilities;
}

template <typename Backend>
MallocFamilyAllocator<Backend>::~MallocFamilyAllocator() {
  // Every cell goes back to the library, caches that were never deleted
  // included.
  std::lock_guard<std::mutex> lock(mu_);
  for (CellChunk* chunk : AllChunksLocked()) {
    for (size_t i = 0; i < chunk->count; ++i) {
      AnnotateLibraryFree(chunk->cells[i]);
      Backend::Free(chunk->cells[i], HeaderAt(chunk->cells[i])->size);
    }
    delete chunk;
  }
  for (Cache* c : caches_) delete c;
}

template <typename Backend>
absl::Status MallocFamilyAllocator<Backend>::Initialize(const AllocatorOptions& options) {
  if (initialized_) {
    return absl::FailedPreconditionError(absl::StrCat(Backend::kName, ": initialized twice"));
  }
  absl::Status loaded = Backend::Load();
  if (!loaded.ok()) return loaded;
  options_ = options;
  limit_ = options.heap_limit_bytes;
  initialized_ = true;
  return absl::OkStatus();
}

template <typename Backend>
AllocatorCache* MallocFamilyAllocator<Backend>::NewCache() {
  auto* c = new Cache;
  std::lock_guard<std::mutex> lock(mu_);
  caches_.push_back(c);
  return c;
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::DeleteCache(AllocatorCache* cache) {
  auto* c = static_cast<Cache*>(cache);
  std::lock_guard<std::mutex> lock(mu_);
  counters_.Retire(c->counters);
  // Its cells stay allocated. They were handed out after the last
  // PrepareForSweep, so they are not part of a sweep in progress: kept.
  if (c->current != FullSentinel()) {
    if (c->current->count > 0) {
      PushChunk(&kept_, c->current);
    } else {
      DeleteChunk(c->current);
    }
  }
  while (c->full != nullptr) {
    CellChunk* chunk = c->full;
    c->full = chunk->next;
    PushChunk(&kept_, chunk);
  }
  Release(c->quota.load(std::memory_order_relaxed));
  caches_.erase(std::find(caches_.begin(), caches_.end(), c));
  delete c;
}

template <typename Backend>
void* MallocFamilyAllocator<Backend>::Allocate(AllocatorCache* cache, size_t size) {
  auto* c = static_cast<Cache*>(cache);
  const size_t quota = c->quota.load(std::memory_order_relaxed);
  CellChunk* chunk = c->current;
  if (ABSL_PREDICT_FALSE(quota < size || chunk->count == CellChunk::kCapacity)) {
    return AllocateSlow(c, size);
  }
  void* cell = Backend::Malloc(size);
  if (ABSL_PREDICT_FALSE(cell == nullptr)) return nullptr;
  AnnotateLibraryMalloc(cell);
  chunk->cells[chunk->count++] = cell;
  c->quota.store(quota - size, std::memory_order_relaxed);
  c->counters.CountAllocation(size);
  return cell;
}

template <typename Backend>
void* MallocFamilyAllocator<Backend>::AllocateSlow(Cache* c, size_t size) {
  if (c->current->count == CellChunk::kCapacity) {
    if (!Refill(c, CellChunk::kBytes + size)) return nullptr;
    c->quota.store(c->quota.load(std::memory_order_relaxed) - CellChunk::kBytes,
                   std::memory_order_relaxed);
    chunk_bytes_.fetch_add(CellChunk::kBytes, std::memory_order_relaxed);
    if (c->current != FullSentinel()) PushChunk(&c->full, c->current);
    c->current = new CellChunk;
  }
  if (!Refill(c, size)) return nullptr;
  return Allocate(c, size);  // now takes the fast path
}

template <typename Backend>
bool MallocFamilyAllocator<Backend>::TryReserve(size_t bytes) {
  size_t cur = reserved_.load(std::memory_order_relaxed);
  do {
    if (bytes > limit_ || cur > limit_ - bytes) return false;
  } while (!reserved_.compare_exchange_weak(cur, cur + bytes, std::memory_order_relaxed));
  return true;
}

template <typename Backend>
bool MallocFamilyAllocator<Backend>::Refill(Cache* c, size_t need) {
  size_t quota = c->quota.load(std::memory_order_relaxed);
  if (quota >= need) return true;
  const size_t want = std::max(need - quota, kQuotaBytes);
  // Lazy sweeping: while a sweep is in progress, the dead cells it has not
  // reached yet still count against the limit; give back at least as much
  // as this refill takes.
  size_t released = 0;
  while (unswept_count_.load(std::memory_order_relaxed) > 0 && released < want) {
    if (!SweepOneChunk(&released)) break;
  }
  for (;;) {
    if (TryReserve(want)) {
      quota += want;
      break;
    }
    if (TryReserve(need - quota)) {  // near the limit: just what is needed
      quota = need;
      break;
    }
    if (!SweepOneChunk(&released)) return false;  // the heap limit
  }
  c->quota.store(quota, std::memory_order_relaxed);
  return true;
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::Free(AllocatorCache* cache, void* cell) {
  if (cell == nullptr) return;
  auto* c = static_cast<Cache*>(cache);
  ObjectHeader* h = HeaderAt(cell);
  GCLAB_CHECK(IsObject(h), "%s: Free of %p, which is not an allocated object", Backend::kName,
              cell);
  const size_t size = h->size;
  PoisonBytes(static_cast<char*>(cell) + kHeaderSize, size - kHeaderSize, options_.poison_freed);
  h->magic = kFreeMagic;
  // Last, with release order: a sweeper that sees this mark frees the cell,
  // and must find every write above done.
  h->mark.store(kFreedMark, std::memory_order_release);
  c->counters.CountFree(size);
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::PrepareForSweep(uint8_t live_epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  cycle_.Begin(Backend::kName);
  live_epoch_ = live_epoch;
  size_t n = 0;
  auto retire = [&](CellChunk* chunk) {
    PushChunk(&unswept_, chunk);
    ++n;
  };
  for (Cache* c : caches_) {
    if (c->current != FullSentinel()) {
      if (c->current->count > 0) {
        retire(c->current);
        c->current = FullSentinel();
      }
    }
    while (c->full != nullptr) {
      CellChunk* chunk = c->full;
      c->full = chunk->next;
      retire(chunk);
    }
  }
  while (kept_ != nullptr) {
    CellChunk* chunk = kept_;
    kept_ = chunk->next;
    retire(chunk);
  }
  if (partial_ != nullptr) {
    retire(partial_);
    partial_ = nullptr;
  }
  unswept_count_.store(n, std::memory_order_relaxed);
}

template <typename Backend>
size_t MallocFamilyAllocator<Backend>::SweepChunk(CellChunk* chunk, uint8_t live_epoch,
                                                  SweepStats* stats) {
  constexpr size_t kPrefetchDistance = 8;
  size_t released = 0;
  size_t out = 0;
  const size_t n = chunk->count;
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n) __builtin_prefetch(chunk->cells[i + kPrefetchDistance]);
    void* cell = chunk->cells[i];
    ObjectHeader* h = HeaderAt(cell);
    const uint8_t mark = h->mark.load(std::memory_order_acquire);
    const size_t size = h->size;
    if (mark == live_epoch) {
      chunk->cells[out++] = cell;
      ++stats->live_objects;
      stats->live_bytes += size;
      continue;
    }
    if (mark != kFreedMark) {  // Free already counted the cells it released
      ++stats->freed_objects;
      stats->freed_bytes += size;
    }
    released += size;
    AnnotateLibraryFree(cell);
    Backend::Free(cell, size);
  }
  chunk->count = out;
  ++stats->units_swept;
  return released;
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::DeleteChunk(CellChunk* chunk) {
  delete chunk;
  chunk_bytes_.fetch_sub(CellChunk::kBytes, std::memory_order_relaxed);
  Release(CellChunk::kBytes);
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::KeepLocked(CellChunk* chunk, SweepStats* stats) {
  if (chunk->count == 0) {
    DeleteChunk(chunk);
    ++stats->units_released;
    return;
  }
  if (chunk->count >= CellChunk::kCapacity / 2) {
    PushChunk(&kept_, chunk);
    return;
  }
  // A sparse chunk: empty it into partial_ (entries can move freely: nothing
  // points at a chunk slot).
  if (partial_ == nullptr) {
    partial_ = chunk;
    return;
  }
  const size_t n = std::min(CellChunk::kCapacity - partial_->count, chunk->count);
  chunk->count -= n;
  std::memcpy(&partial_->cells[partial_->count], &chunk->cells[chunk->count], n * sizeof(void*));
  partial_->count += n;
  if (partial_->count == CellChunk::kCapacity) {
    PushChunk(&kept_, partial_);
    partial_ = nullptr;
  }
  if (chunk->count == 0) {
    DeleteChunk(chunk);
    ++stats->units_released;
  } else {
    partial_ = chunk;  // partial_ was full: the rest starts the next one
  }
}

template <typename Backend>
bool MallocFamilyAllocator<Backend>::SweepOneChunk(size_t* released) {
  CellChunk* chunk;
  uint8_t live_epoch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (unswept_ == nullptr) return false;
    chunk = unswept_;
    unswept_ = chunk->next;
    unswept_count_.fetch_sub(1, std::memory_order_relaxed);
    cycle_.UnitClaimed();
    live_epoch = live_epoch_;
  }
  SweepStats s;
  const size_t bytes = SweepChunk(chunk, live_epoch, &s);
  Release(bytes);
  *released += bytes;
  std::lock_guard<std::mutex> lock(mu_);
  KeepLocked(chunk, &s);
  ++chunks_swept_;
  counters_.CountFreed(s.freed_bytes, s.freed_objects);
  cycle_.UnitSwept(s);
  return true;
}

template <typename Backend>
bool MallocFamilyAllocator<Backend>::SweepSome() {
  size_t released = 0;
  for (int i = 0; i < kChunksPerSweepStep; ++i) {
    if (!SweepOneChunk(&released)) return false;
  }
  return unswept_count_.load(std::memory_order_relaxed) > 0;
}

template <typename Backend>
SweepStats MallocFamilyAllocator<Backend>::FinishSweep() {
  size_t released = 0;
  while (SweepOneChunk(&released)) {
  }
  std::unique_lock<std::mutex> lock(mu_);
  return cycle_.Finish(lock);
}

template <typename Backend>
std::vector<CellChunk*> MallocFamilyAllocator<Backend>::AllChunksLocked() const {
  std::vector<CellChunk*> chunks;
  auto add_list = [&](CellChunk* list) {
    for (CellChunk* chunk = list; chunk != nullptr; chunk = chunk->next) chunks.push_back(chunk);
  };
  for (Cache* c : caches_) {
    if (c->current != FullSentinel()) chunks.push_back(c->current);
    add_list(c->full);
  }
  add_list(unswept_);
  add_list(kept_);
  if (partial_ != nullptr) chunks.push_back(partial_);
  return chunks;
}

template <typename Backend>
void MallocFamilyAllocator<Backend>::ForEachObject(const std::function<void(Object*)>& f) {
  std::vector<Object*> objects;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (CellChunk* chunk : AllChunksLocked()) {
      for (size_t i = 0; i < chunk->count; ++i) {
        if (IsObject(HeaderAt(chunk->cells[i]))) {
          objects.push_back(static_cast<Object*>(chunk->cells[i]));
        }
      }
    }
  }
  for (Object* o : objects) f(o);
}

template <typename Backend>
absl::Status MallocFamilyAllocator<Backend>::VerifyFreeMemory() {
  if (!options_.poison_freed) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  for (CellChunk* chunk : AllChunksLocked()) {
    for (size_t i = 0; i < chunk->count; ++i) {
      const ObjectHeader* h = HeaderAt(chunk->cells[i]);
      if (!IsFiller(h)) continue;
      const char* cell = static_cast<const char*>(chunk->cells[i]);
      absl::Status s =
          CheckPoisoned(cell, cell + kHeaderSize, h->size - kHeaderSize, Backend::kName);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

template <typename Backend>
bool MallocFamilyAllocator<Backend>::Contains(const void* p) const {
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t version = counters_.Sum(caches_).alloc_objects + chunks_swept_;
  if (version != index_version_) {
    index_.clear();
    for (CellChunk* chunk : AllChunksLocked()) {
      for (size_t i = 0; i < chunk->count; ++i) {
        index_.emplace_back(reinterpret_cast<uintptr_t>(chunk->cells[i]),
                            HeaderAt(chunk->cells[i])->size);
      }
    }
    std::sort(index_.begin(), index_.end());
    index_version_ = version;
  }
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  auto it = std::upper_bound(index_.begin(), index_.end(), std::make_pair(a, ~size_t{0}));
  if (it == index_.begin()) return false;
  --it;
  return a < it->first + it->second;
}

template <typename Backend>
AllocatorStats MallocFamilyAllocator<Backend>::GetStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  const CellTotals t = counters_.Sum(caches_);
  size_t quotas = 0;
  for (const Cache* c : caches_) quotas += c->quota.load(std::memory_order_relaxed);
  AllocatorStats st;
  const size_t reserved = reserved_.load(std::memory_order_relaxed);
  st.mapped_bytes = reserved > quotas ? reserved - quotas : 0;
  st.in_use_bytes = t.in_use_bytes();
  st.objects = t.objects();
  const size_t cells = st.mapped_bytes - std::min(st.mapped_bytes, chunk_bytes_.load());
  st.free_bytes = cells > st.in_use_bytes ? cells - st.in_use_bytes : 0;
  return st;
}

template <typename Backend>
size_t MallocFamilyAllocator<Backend>::ChunkCountForTesting() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (CellChunk* chunk : AllChunksLocked()) n += chunk->count > 0;
  return n;
}

template class MallocFamilyAllocator<GlibcMalloc>;
template class MallocFamilyAllocator<Jemalloc>;
template class MallocFamilyAllocator<Mimalloc>;
template class MallocFamilyAllocator<Tcmalloc>;

absl::StatusOr<std::unique_ptr<Allocator>> NewGlibcMallocAllocator() {
  return std::make_unique<GlibcMallocAllocator>();
}
absl::StatusOr<std::unique_ptr<Allocator>> NewJemallocAllocator() {
  return std::make_unique<JemallocAllocator>();
}
absl::StatusOr<std::unique_ptr<Allocator>> NewMimallocAllocator() {
  return std::make_unique<MimallocAllocator>();
}
absl::StatusOr<std::unique_ptr<Allocator>> NewTcmallocAllocator() {
  return std::make_unique<TcmallocAllocator>();
}

}  // namespace gclab
