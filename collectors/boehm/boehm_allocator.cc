#include "collectors/boehm/boehm_allocator.h"

#define GC_THREADS 1
#include <gc/gc.h>
#include <gc/gc_inline.h>
#include <gc/gc_mark.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/str_cat.h"
#include "util/check.h"

namespace gclab {

namespace {

bool IsObject(const void* cell) {
  return static_cast<const ObjectHeader*>(cell)->magic == kObjectMagic;
}

// A count with one writer (the cache's thread) and any number of readers.
struct OwnerCount {
  void Add() { n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
  uint64_t Load() const { return n.load(std::memory_order_relaxed); }
  std::atomic<uint64_t> n{0};
};

}  // namespace

struct BoehmAllocator::Cache : AllocatorCache {
  // lists[g]: cleared objects of g granules, linked through their first word.
  void* lists[kLists] = {};
  OwnerCount allocated;
  OwnerCount freed;
};

const AllocatorCapabilities& BoehmAllocator::capabilities() const {
  static constexpr AllocatorCapabilities kCapabilities = {
      .free_reuses_memory = true,  // GC_free: back on Boehm's free list at once
      .sweep_coalesces = false,
      .reclamation = Reclamation::kExternalCollector,
      .sweep_keeps_freed_memory = false,
  };
  return kCapabilities;
}

BoehmAllocator::~BoehmAllocator() {
  if (!acquired_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Cache* c : caches_) delete c;
    caches_.clear();
  }
  if (runtime_ != nullptr) {
    // Nothing is a root any more: one collection gives every object of this
    // heap back to Boehm for the next heap of the process.
    runtime_->roots().clear();
    // (If Boehm cannot register this thread, the next heap's first
    // collection frees them instead.)
    boehm_internal::BoehmRuntime::CollectOnThisThread();
  }
  boehm_internal::BoehmRuntime::Release();
}

absl::Status BoehmAllocator::Initialize(const AllocatorOptions& options) {
  if (initialized_) return absl::FailedPreconditionError("boehm: initialized twice");
  absl::Status s = boehm_internal::BoehmRuntime::Acquire();
  if (!s.ok()) return s;
  acquired_ = true;
  options_ = options;
  initialized_ = true;
  return absl::OkStatus();
}

absl::Status BoehmAllocator::StartBoehm(int markers) {
  if (runtime_ != nullptr) {
    if (markers != 0 && markers != runtime_->markers()) {
      return boehm_internal::BoehmRuntime::Get(markers).status();
    }
    return absl::OkStatus();
  }
  absl::StatusOr<boehm_internal::BoehmRuntime*> r = boehm_internal::BoehmRuntime::Get(markers);
  if (!r.ok()) return r.status();
  GC_set_max_heap_size(options_.heap_limit_bytes);
  kind_ = (*r)->kind();
  runtime_ = *r;
  return absl::OkStatus();
}

AllocatorCache* BoehmAllocator::NewCache() {
  if (runtime_ == nullptr) {
    absl::Status s = StartBoehm(0);  // Boehm's choice of markers never conflicts
    GCLAB_CHECK(s.ok(), "boehm: %s", std::string(s.message()).c_str());
  }
  auto* c = new Cache;
  std::lock_guard<std::mutex> lock(mu_);
  caches_.push_back(c);
  return c;
}

void BoehmAllocator::DeleteCache(AllocatorCache* cache) {
  auto* c = static_cast<Cache*>(cache);
  std::lock_guard<std::mutex> lock(mu_);
  retired_allocated_ += c->allocated.Load();
  retired_freed_ += c->freed.Load();
  caches_.erase(std::find(caches_.begin(), caches_.end(), c));
  delete c;  // the cells on its lists become garbage for the next collection
}

void* BoehmAllocator::Allocate(AllocatorCache* cache, size_t size) {
  auto* c = static_cast<Cache*>(cache);
  const size_t granules = (size + kGranuleBytes - 1) / kGranuleBytes;
  if (ABSL_PREDICT_TRUE(granules < kLists)) {
    void* cell = c->lists[granules];
    if (ABSL_PREDICT_TRUE(cell != nullptr)) {
      c->lists[granules] = *static_cast<void**>(cell);
      *static_cast<void**>(cell) = nullptr;  // the link; the rest is cleared
      c->allocated.Add();
      return cell;
    }
  }
  return AllocateSlow(c, size);
}

void* BoehmAllocator::AllocateSlow(Cache* c, size_t size) {
  const size_t granules = (size + kGranuleBytes - 1) / kGranuleBytes;
  void* cell;
  if (granules < kLists) {
    GC_generic_malloc_many(granules * kGranuleBytes, kind_, &c->lists[granules]);
    cell = c->lists[granules];
    if (cell == nullptr) return nullptr;  // the heap limit
    c->lists[granules] = *static_cast<void**>(cell);
    *static_cast<void**>(cell) = nullptr;
  } else {
    cell = GC_generic_malloc(size, kind_);
    if (cell == nullptr) return nullptr;
  }
  c->allocated.Add();
  return cell;
}

void BoehmAllocator::Free(AllocatorCache* cache, void* cell) {
  if (cell == nullptr) return;
  auto* c = static_cast<Cache*>(cache);
  GCLAB_CHECK(IsObject(cell), "boehm: Free of %p, which is not an allocated object", cell);
  c->freed.Add();
  GC_free(cell);
}

void BoehmAllocator::ForEachObject(const std::function<void(Object*)>& f) {
  if (runtime_ == nullptr) return;
  struct Walk {
    int kind;
    std::vector<Object*> objects;
  } walk{kind_, {}};
  GC_call_with_alloc_lock(
      [](void* arg) -> void* {
        GC_enumerate_reachable_objects_inner(
            [](void* obj, size_t, void* data) {
              auto* w = static_cast<Walk*>(data);
              if (GC_get_kind_and_size(obj, nullptr) == w->kind && IsObject(obj)) {
                w->objects.push_back(static_cast<Object*>(obj));
              }
            },
            arg);
        return nullptr;
      },
      &walk);
  for (Object* o : walk.objects) f(o);
}

bool BoehmAllocator::Contains(const void* p) const {
  if (runtime_ == nullptr) return false;
  void* base = GC_base(const_cast<void*>(p));
  return base != nullptr && GC_get_kind_and_size(base, nullptr) == kind_;
}

AllocatorStats BoehmAllocator::GetStats() const {
  AllocatorStats st;
  st.objects = objects_in_use();
  if (runtime_ == nullptr) return st;
  GC_word heap = 0, free = 0, unmapped = 0, since_gc = 0, total = 0;
  GC_get_heap_usage_safe(&heap, &free, &unmapped, &since_gc, &total);
  st.mapped_bytes = heap - unmapped;
  st.free_bytes = free;
  st.in_use_bytes = st.mapped_bytes > free ? st.mapped_bytes - free : 0;
  return st;
}

void BoehmAllocator::AppendCacheRoots(std::vector<void*>* roots) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Cache* c : caches_) {
    for (void* head : c->lists) {
      if (head != nullptr) roots->push_back(head);
    }
  }
}

uint64_t BoehmAllocator::objects_in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t allocated = retired_allocated_, freed = retired_freed_;
  for (const Cache* c : caches_) {
    allocated += c->allocated.Load();
    freed += c->freed.Load();
  }
  return allocated > freed ? allocated - freed : 0;
}

absl::StatusOr<std::unique_ptr<Allocator>> NewBoehmAllocator() {
  return std::make_unique<BoehmAllocator>();
}

}  // namespace gclab
