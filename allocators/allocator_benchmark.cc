// Allocator microbenchmarks: gclab's allocators against the C library malloc
// of this binary (glibc in //allocators:allocator_benchmark; jemalloc and
// tcmalloc replace malloc process-wide, so each gets its own binary:
// //allocators:allocator_benchmark_jemalloc, ..._tcmalloc).
//
//   BM_AllocFree/<alloc>/<sizes>     malloc-style: allocate a batch of 64
//                                    cells, write their headers, free them.
//                                    1 and 4 threads (one cache per thread).
//                                    bump is absent: its Free does not reuse
//                                    memory before a sweep (see its header).
//   BM_AllocThenSweep/<alloc>/<sizes>  GC-style, 1 thread: allocate 20000
//                                    cells, mark 10%, PrepareForSweep +
//                                    FinishSweep (the survivors die in the
//                                    next iteration). malloc peer: free the
//                                    90% at the "sweep", the rest one
//                                    iteration later.
// Sizes: small = 16..64 B, medium = 256 B..2 KiB, mixed = 80% small, 18%
// medium, 2% 2..16 KiB. items/s counts cells.
//
// Run: bazel run --config=opt //allocators:allocator_benchmark -- --benchmark_min_time=0.05
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "allocators/bump/bump_allocator.h"
#include "allocators/free_list/free_list_allocator.h"
#include "allocators/size_class/size_class_allocator.h"
#include "benchmark/benchmark.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "object/type_descriptor.h"

#ifndef GCLAB_MALLOC_NAME
#define GCLAB_MALLOC_NAME "glibc"
#endif

namespace gclab {
namespace {

enum Kind { kBump, kFreeList, kSizeClass, kMalloc };
enum Sizes { kSmall, kMedium, kMixed };

const TypeDescriptor* BenchType() {
  static const TypeDescriptor* t = MakeDataArrayType("bench_bytes", 1);
  return t;
}

const std::vector<size_t>& SizeList(Sizes which) {
  static const std::vector<size_t>* lists = [] {
    auto* l = new std::vector<size_t>[3];
    std::mt19937 rng(42);
    for (int i = 0; i < 4096; ++i) {
      l[kSmall].push_back(16 + 8 * (rng() % 7));      // 16..64
      l[kMedium].push_back(256 + 8 * (rng() % 225));  // 256..2048
      const int r = rng() % 100;
      l[kMixed].push_back(r < 80   ? 16 + 8 * (rng() % 7)
                          : r < 98 ? 256 + 8 * (rng() % 225)
                                   : 2048 + 8 * (rng() % 1793));  // ..16 KiB
    }
    return l;
  }();
  return lists[which];
}

// The header the heap would write (InitializeObject without zeroing).
inline void WriteHeader(void* cell, size_t size, uint8_t epoch) {
  auto* h = static_cast<ObjectHeader*>(cell);
  h->type = BenchType();
  h->size = static_cast<uint32_t>(size);
  h->mark.store(epoch, std::memory_order_relaxed);
  h->flags = 0;
  h->magic = kObjectMagic;
}

std::unique_ptr<Allocator> MakeAllocator(Kind kind) {
  std::unique_ptr<Allocator> a;
  switch (kind) {
    case kBump:
      a = NewBumpAllocator().value();
      break;
    case kFreeList:
      a = NewFreeListAllocator().value();
      break;
    case kSizeClass:
      a = NewSizeClassAllocator().value();
      break;
    case kMalloc:
      return nullptr;
  }
  AllocatorOptions options;
  options.heap_limit_bytes = size_t{4} << 30;
  if (!a->Initialize(options).ok()) std::abort();
  return a;
}

// One allocator per kind, shared by the threads of BM_AllocFree and kept for
// the whole process (benchmark threads have no common setup hook here).
Allocator* SharedAllocator(Kind kind) {
  static std::once_flag once[4];
  static std::unique_ptr<Allocator> allocators[4];
  std::call_once(once[kind], [kind] { allocators[kind] = MakeAllocator(kind); });
  return allocators[kind].get();
}

void BM_AllocFree(benchmark::State& state, Kind kind, Sizes sizes) {
  const std::vector<size_t>& list = SizeList(sizes);
  Allocator* a = SharedAllocator(kind);
  AllocatorCache* cache = a != nullptr ? a->NewCache() : nullptr;
  constexpr int kBatch = 64;
  void* cells[kBatch];
  size_t next = static_cast<size_t>(state.thread_index()) * 977;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      const size_t size = list[next++ & 4095];
      void* p = a != nullptr ? a->Allocate(cache, size) : std::malloc(size);
      if (p == nullptr) {
        state.SkipWithError("out of memory");
        break;
      }
      WriteHeader(p, size, 1);
      cells[i] = p;
    }
    benchmark::DoNotOptimize(cells);
    for (int i = 0; i < kBatch; ++i) {
      if (a != nullptr) {
        a->Free(cache, cells[i]);
      } else {
        std::free(cells[i]);
      }
    }
  }
  if (a != nullptr) a->DeleteCache(cache);
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_AllocThenSweep(benchmark::State& state, Kind kind, Sizes sizes) {
  const std::vector<size_t>& list = SizeList(sizes);
  std::unique_ptr<Allocator> a = MakeAllocator(kind);
  AllocatorCache* cache = a != nullptr ? a->NewCache() : nullptr;
  constexpr int kCells = 20000;
  std::vector<void*> cells(kCells);
  std::vector<void*> survivors;  // malloc peer only
  uint8_t epoch = 1;
  size_t next = 0;
  for (auto _ : state) {
    for (int i = 0; i < kCells; ++i) {
      const size_t size = list[next++ & 4095];
      void* p = a != nullptr ? a->Allocate(cache, size) : std::malloc(size);
      if (p == nullptr) {
        state.SkipWithError("out of memory");
        break;
      }
      WriteHeader(p, size, epoch);
      cells[i] = p;
    }
    const uint8_t new_epoch = static_cast<uint8_t>(epoch % 250 + 1);
    if (a != nullptr) {
      for (int i = 0; i < kCells; i += 10) {
        static_cast<ObjectHeader*>(cells[i])->mark.store(new_epoch, std::memory_order_relaxed);
      }
      a->PrepareForSweep(new_epoch);
      benchmark::DoNotOptimize(a->FinishSweep());
    } else {
      for (void* p : survivors) std::free(p);
      survivors.clear();
      for (int i = 0; i < kCells; ++i) {
        if (i % 10 == 0) {
          survivors.push_back(cells[i]);
        } else {
          std::free(cells[i]);
        }
      }
    }
    epoch = new_epoch;
  }
  for (void* p : survivors) std::free(p);
  if (a != nullptr) a->DeleteCache(cache);
  state.SetItemsProcessed(state.iterations() * kCells);
}

const char* KindName(Kind k) {
  switch (k) {
    case kBump:
      return "bump";
    case kFreeList:
      return "free_list";
    case kSizeClass:
      return "size_class";
    case kMalloc:
      return "malloc_" GCLAB_MALLOC_NAME;
  }
  return "?";
}

const char* SizesName(Sizes s) {
  switch (s) {
    case kSmall:
      return "small";
    case kMedium:
      return "medium";
    case kMixed:
      return "mixed";
  }
  return "?";
}

int RegisterAll() {
  for (Sizes s : {kSmall, kMedium, kMixed}) {
    for (Kind k : {kFreeList, kSizeClass, kMalloc}) {
      benchmark::RegisterBenchmark(
          (std::string("BM_AllocFree/") + KindName(k) + "/" + SizesName(s)).c_str(),
          [k, s](benchmark::State& st) { BM_AllocFree(st, k, s); })
          ->Threads(1)
          ->Threads(4)
          ->UseRealTime();
    }
  }
  for (Sizes s : {kSmall, kMedium, kMixed}) {
    for (Kind k : {kBump, kFreeList, kSizeClass, kMalloc}) {
      benchmark::RegisterBenchmark(
          (std::string("BM_AllocThenSweep/") + KindName(k) + "/" + SizesName(s)).c_str(),
          [k, s](benchmark::State& st) { BM_AllocThenSweep(st, k, s); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return 0;
}

const int registered = RegisterAll();

}  // namespace
}  // namespace gclab
