// Allocator microbenchmarks: every allocator the registry knows
// (KnownAllocatorNames, default parameters) against a baseline, the C
// library malloc of this binary (glibc in //allocators:allocator_benchmark;
// jemalloc and tcmalloc replace malloc process-wide, so each gets its own
// binary: //allocators:allocator_benchmark_jemalloc, ..._tcmalloc).
//
//   BM_AllocFree/<alloc>/<sizes>     malloc-style: allocate a batch of 64
//                                    cells, write their headers, free them.
//                                    1 and 4 threads (one cache per thread).
//                                    Only allocators whose capabilities say
//                                    free_reuses_memory (not bump: its Free
//                                    reuses nothing before a sweep).
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
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "object/type_descriptor.h"
#include "registry/registry.h"

#ifndef GCLAB_MALLOC_NAME
#define GCLAB_MALLOC_NAME "glibc"
#endif

namespace gclab {
namespace {

enum Sizes { kSmall, kMedium, kMixed };

// The baseline's rows are named after it; gclab allocators after their
// registry names.
constexpr char kMallocBaseline[] = "malloc_" GCLAB_MALLOC_NAME;

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

// The registry's allocator `name` (uninitialized); aborts if the registry
// cannot make it.
std::unique_ptr<Allocator> MakeRegistryAllocator(const std::string& name) {
  absl::StatusOr<AllocatorConfig> config = AllocatorConfigForName(name);
  absl::StatusOr<std::unique_ptr<Allocator>> a =
      config.ok() ? MakeAllocator(*config) : config.status();
  if (!a.ok()) {
    std::fprintf(stderr, "allocator_benchmark: %s\n", a.status().ToString().c_str());
    std::abort();
  }
  return *std::move(a);
}

// An initialized allocator `name`, or nullptr for the malloc baseline.
std::unique_ptr<Allocator> NewSubject(const std::string& name) {
  if (name == kMallocBaseline) return nullptr;
  std::unique_ptr<Allocator> a = MakeRegistryAllocator(name);
  AllocatorOptions options;
  options.heap_limit_bytes = size_t{4} << 30;
  if (!a->Initialize(options).ok()) std::abort();
  return a;
}

// One allocator per name, shared by the threads of BM_AllocFree and kept for
// the whole process (benchmark threads have no common setup hook here).
Allocator* SharedSubject(const std::string& name) {
  static std::mutex mu;
  static auto* subjects = new std::map<std::string, std::unique_ptr<Allocator>>;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = subjects->try_emplace(name);
  if (inserted) it->second = NewSubject(name);
  return it->second.get();
}

void BM_AllocFree(benchmark::State& state, const std::string& name, Sizes sizes) {
  const std::vector<size_t>& list = SizeList(sizes);
  Allocator* a = SharedSubject(name);
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

void BM_AllocThenSweep(benchmark::State& state, const std::string& name, Sizes sizes) {
  const std::vector<size_t>& list = SizeList(sizes);
  std::unique_ptr<Allocator> a = NewSubject(name);
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

void RegisterAll() {
  // gclab allocators first, then the baseline, in each family.
  std::vector<std::string> free_subjects, sweep_subjects;
  for (const std::string& name : KnownAllocatorNames()) {
    sweep_subjects.push_back(name);
    if (MakeRegistryAllocator(name)->capabilities().free_reuses_memory) {
      free_subjects.push_back(name);
    }
  }
  free_subjects.push_back(kMallocBaseline);
  sweep_subjects.push_back(kMallocBaseline);
  for (Sizes s : {kSmall, kMedium, kMixed}) {
    for (const std::string& name : free_subjects) {
      benchmark::RegisterBenchmark(("BM_AllocFree/" + name + "/" + SizesName(s)).c_str(),
                                   [name, s](benchmark::State& st) { BM_AllocFree(st, name, s); })
          ->Threads(1)
          ->Threads(4)
          ->UseRealTime();
    }
  }
  for (Sizes s : {kSmall, kMedium, kMixed}) {
    for (const std::string& name : sweep_subjects) {
      benchmark::RegisterBenchmark(
          ("BM_AllocThenSweep/" + name + "/" + SizesName(s)).c_str(),
          [name, s](benchmark::State& st) { BM_AllocThenSweep(st, name, s); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

// Registered from a static initializer, like BENCHMARK(): the registry's
// protobuf descriptors are set up by initializers of higher priority.
const int registered = (RegisterAll(), 0);

}  // namespace
}  // namespace gclab
