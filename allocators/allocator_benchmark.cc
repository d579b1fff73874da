// Allocator microbenchmarks: every allocator the registry knows
// (KnownAllocatorNames, default parameters; the peer modules malloc,
// jemalloc, mimalloc and tcmalloc included) and, as baselines, the four
// library allocators called directly (lib_malloc = glibc's __libc_malloc,
// lib_jemalloc, lib_mimalloc, lib_tcmalloc: the back ends of
// allocators/malloc_family/backends.h, which coexist in one process without
// replacing malloc). Everything runs in one binary, so every row of a table
// comes from the same run.
//
//   BM_AllocFastPath/<alloc>/<bytes>  the allocation path the heap takes
//                                    (Mutator::TryAllocate's inline path
//                                    calls Allocator::Allocate(cache, size)
//                                    and writes the header): batches of 8192
//                                    cells of exactly 16, 32, 64 or 256
//                                    bytes, 1 thread. The reclamation between
//                                    batches is not timed (a sweep with
//                                    nothing marked, or Free for allocators
//                                    an outside collector reclaims; free()
//                                    for the libraries), so allocation runs
//                                    in the steady state of a collected heap.
//                                    per_alloc = time per cell.
//   BM_Sweep/<alloc>/<sizes>         sweep rate: 100000 cells (not timed),
//                                    every 10th marked live, then
//                                    PrepareForSweep + FinishSweep timed.
//                                    items/s = cells swept, bytes/s = bytes
//                                    swept. Allocators whose capabilities say
//                                    kSweepByHeaderMark. lib_*: free() of the
//                                    90% dead, for scale.
//   BM_AllocFree/<alloc>/<sizes>     malloc-style: allocate a batch of 64
//                                    cells, write their headers, free them.
//                                    1 and 4 threads (one cache per thread).
//                                    Only allocators whose capabilities say
//                                    free_reuses_memory (not bump: its Free
//                                    reuses nothing before a sweep).
//   BM_AllocThenSweep/<alloc>/<sizes>  GC-style, 1 thread: allocate 20000
//                                    cells, mark 10%, PrepareForSweep +
//                                    FinishSweep (the survivors die in the
//                                    next iteration). lib_*: free the 90% at
//                                    the "sweep", the rest one iteration
//                                    later.
// Sizes: small = 16..64 B, medium = 256 B..2 KiB, mixed = 80% small, 18%
// medium, 2% 2..16 KiB. items/s counts cells.
//
// Run: bazel run --config=opt //allocators:allocator_benchmark -- --benchmark_min_time=0.05
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "allocators/malloc_family/backends.h"
#include "benchmark/benchmark.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "object/type_descriptor.h"
#include "registry/registry.h"

namespace gclab {
namespace {

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

// A library allocator called directly (a baseline row, "lib_<name>").
struct Library {
  std::string name;
  absl::Status (*load)();
  void* (*malloc)(size_t);
  void (*free)(void*, size_t);
};

// The back end's Malloc and Free, annotated for ThreadSanitizer (the cells
// of BM_AllocFree pass between threads inside the library).
template <typename Backend>
void* LibraryMalloc(size_t size) {
  void* p = Backend::Malloc(size);
  AnnotateLibraryMalloc(p);
  return p;
}
template <typename Backend>
void LibraryFree(void* p, size_t size) {
  AnnotateLibraryFree(p);
  Backend::Free(p, size);
}

template <typename Backend>
Library LibraryOf() {
  return {std::string("lib_") + Backend::kName, &Backend::Load, &LibraryMalloc<Backend>,
          &LibraryFree<Backend>};
}

const std::vector<Library>& Libraries() {
  static const auto* libs =
      new std::vector<Library>{LibraryOf<GlibcMalloc>(), LibraryOf<Jemalloc>(),
                               LibraryOf<Mimalloc>(), LibraryOf<Tcmalloc>()};
  return *libs;
}

const Library* FindLibrary(const std::string& name) {
  for (const Library& l : Libraries()) {
    if (l.name == name) return &l;
  }
  return nullptr;
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

// What a benchmark allocates from: a registry allocator (with one cache of
// the calling thread) or a library. The library is loaded by Start; a failure
// to load (or to initialize the allocator) makes the row an error.
class Subject {
 public:
  // `allocator`: an initialized allocator, or nullptr for library `name`.
  Subject(const std::string& name, Allocator* allocator)
      : allocator_(allocator), library_(allocator == nullptr ? FindLibrary(name) : nullptr) {}
  ~Subject() {
    if (cache_ != nullptr) allocator_->DeleteCache(cache_);
  }
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  // False (with the row's error set) if the subject cannot run.
  bool Start(benchmark::State& state) {
    if (allocator_ != nullptr) {
      cache_ = allocator_->NewCache();
      return true;
    }
    const absl::Status loaded =
        library_ != nullptr ? library_->load() : absl::NotFoundError("no such library");
    if (!loaded.ok()) state.SkipWithError(loaded.ToString().c_str());
    return loaded.ok();
  }
  void* Allocate(size_t size) {
    return allocator_ != nullptr ? allocator_->Allocate(cache_, size) : library_->malloc(size);
  }
  // Free: Allocator::Free, or the library's free.
  void Free(void* cell, size_t size) {
    if (allocator_ != nullptr) {
      allocator_->Free(cache_, cell);
    } else {
      library_->free(cell, size);
    }
  }
  Allocator* allocator() const { return allocator_; }

 private:
  Allocator* const allocator_;
  const Library* const library_;
  AllocatorCache* cache_ = nullptr;
};

// An initialized registry allocator `name`, or nullptr for a library.
std::unique_ptr<Allocator> NewAllocator(const std::string& name) {
  if (FindLibrary(name) != nullptr) return nullptr;
  std::unique_ptr<Allocator> a = MakeRegistryAllocator(name);
  AllocatorOptions options;
  options.heap_limit_bytes = size_t{4} << 30;
  if (!a->Initialize(options).ok()) std::abort();
  return a;
}

// One allocator per name, shared by the threads of BM_AllocFree and the
// other benchmarks and kept for the whole process (benchmark threads have no
// common setup hook; the boehm allocator allows one instance per process).
Allocator* SharedAllocator(const std::string& name) {
  static std::mutex mu;
  static auto* allocators = new std::map<std::string, std::unique_ptr<Allocator>>;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = allocators->try_emplace(name);
  if (inserted) it->second = NewAllocator(name);
  return it->second.get();
}

// The next mark epoch after `epoch` (1..250, as the heap's).
uint8_t NextEpoch(uint8_t epoch) { return static_cast<uint8_t>(epoch % 250 + 1); }

void BM_AllocFastPath(benchmark::State& state, const std::string& name, size_t size) {
  Subject s(name, SharedAllocator(name));
  if (!s.Start(state)) return;
  Allocator* a = s.allocator();
  const bool sweeps =
      a != nullptr && a->capabilities().reclamation == Reclamation::kSweepByHeaderMark;
  constexpr int kBatch = 8192;
  std::vector<void*> cells(kBatch);
  uint8_t epoch = 1;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      void* p = s.Allocate(size);
      if (p == nullptr) {
        state.SkipWithError("out of memory");
        return;
      }
      WriteHeader(p, size, epoch);
      cells[i] = p;
    }
    benchmark::DoNotOptimize(cells.data());
    state.PauseTiming();
    if (sweeps) {
      // Nothing carries the new live epoch: the sweep frees every cell.
      epoch = NextEpoch(epoch);
      a->PrepareForSweep(epoch);
      a->FinishSweep();
    } else {
      for (void* p : cells) s.Free(p, size);
    }
    state.ResumeTiming();
  }
  const double cells_done = static_cast<double>(state.iterations()) * kBatch;
  state.SetItemsProcessed(static_cast<int64_t>(cells_done));
  state.counters["per_alloc"] =
      benchmark::Counter(cells_done, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// One generation of cells of the sweep benchmarks: allocated with every 10th
// marked live, then reclaimed: swept (registry allocators) or, for a
// library, the dead cells freed and the live ones one generation later.
class Generation {
 public:
  explicit Generation(int cells) : cells_(cells), sizes_(cells) {}

  // Allocates the cells (sizes from `list`, from *next on) with header mark
  // `epoch`, every 10th `live`; adds their bytes to *bytes. False (with the
  // row's error set) when the allocator runs out of memory.
  bool Fill(benchmark::State& state, Subject& s, const std::vector<size_t>& list, size_t* next,
            uint8_t epoch, uint8_t live, uint64_t* bytes) {
    for (size_t i = 0; i < cells_.size(); ++i) {
      const size_t size = list[(*next)++ & 4095];
      void* p = s.Allocate(size);
      if (p == nullptr) {
        state.SkipWithError("out of memory");
        return false;
      }
      WriteHeader(p, size, i % 10 == 0 ? live : epoch);
      cells_[i] = p;
      sizes_[i] = size;
      *bytes += size;
    }
    return true;
  }
  // Frees every cell whose mark is not `live`.
  void Reclaim(Subject& s, uint8_t live) {
    if (Allocator* a = s.allocator()) {
      a->PrepareForSweep(live);
      benchmark::DoNotOptimize(a->FinishSweep());
      return;
    }
    FreeSurvivors(s);
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (i % 10 == 0) {
        survivors_.emplace_back(cells_[i], sizes_[i]);
      } else {
        s.Free(cells_[i], sizes_[i]);
      }
    }
  }
  // Libraries: frees the survivors of the last Reclaim.
  void FreeSurvivors(Subject& s) {
    for (auto [p, size] : survivors_) s.Free(p, size);
    survivors_.clear();
  }

 private:
  std::vector<void*> cells_;
  std::vector<size_t> sizes_;
  std::vector<std::pair<void*, size_t>> survivors_;
};

// One generation of `cells` cells per iteration: filled (timed only if
// `time_fill`), every 10th kept live, the rest reclaimed (timed). Returns the
// bytes filled, or nullopt when the row could not run (its error is set).
std::optional<uint64_t> RunGenerations(benchmark::State& state, const std::string& name,
                                       Sizes sizes, int cells, bool time_fill) {
  std::unique_ptr<Allocator> owned = NewAllocator(name);
  Subject s(name, owned.get());
  if (!s.Start(state)) return std::nullopt;
  Generation g(cells);
  uint8_t epoch = 1;
  size_t next = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    if (!time_fill) state.PauseTiming();
    const uint8_t live = NextEpoch(epoch);
    if (!g.Fill(state, s, SizeList(sizes), &next, epoch, live, &bytes)) return std::nullopt;
    if (!time_fill) state.ResumeTiming();
    g.Reclaim(s, live);
    epoch = live;
  }
  g.FreeSurvivors(s);
  state.SetItemsProcessed(state.iterations() * cells);
  return bytes;
}

void BM_Sweep(benchmark::State& state, const std::string& name, Sizes sizes) {
  const std::optional<uint64_t> bytes_swept =
      RunGenerations(state, name, sizes, 100000, /*time_fill=*/false);
  if (bytes_swept.has_value()) state.SetBytesProcessed(static_cast<int64_t>(*bytes_swept));
}

void BM_AllocFree(benchmark::State& state, const std::string& name, Sizes sizes) {
  const std::vector<size_t>& list = SizeList(sizes);
  Subject s(name, SharedAllocator(name));
  if (!s.Start(state)) return;
  constexpr int kBatch = 64;
  void* cells[kBatch];
  size_t cell_sizes[kBatch];
  size_t next = static_cast<size_t>(state.thread_index()) * 977;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      const size_t size = list[next++ & 4095];
      void* p = s.Allocate(size);
      if (p == nullptr) {
        state.SkipWithError("out of memory");
        break;
      }
      WriteHeader(p, size, 1);
      cells[i] = p;
      cell_sizes[i] = size;
    }
    benchmark::DoNotOptimize(cells);
    for (int i = 0; i < kBatch; ++i) s.Free(cells[i], cell_sizes[i]);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_AllocThenSweep(benchmark::State& state, const std::string& name, Sizes sizes) {
  RunGenerations(state, name, sizes, 20000, /*time_fill=*/true);
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
  // Registry allocators first, then the libraries, in each family.
  std::vector<std::string> all, free_subjects, sweep_subjects, fast_subjects;
  for (const std::string& name : KnownAllocatorNames()) {
    const AllocatorCapabilities& caps = MakeRegistryAllocator(name)->capabilities();
    // An allocator whose memory an external collector reclaims (Boehm's)
    // frees nothing when swept.
    const bool sweeps = caps.reclamation == Reclamation::kSweepByHeaderMark;
    if (sweeps) sweep_subjects.push_back(name);
    if (caps.free_reuses_memory) free_subjects.push_back(name);
    // The fast path needs the batch reclaimed between batches.
    if (sweeps || caps.free_reuses_memory) fast_subjects.push_back(name);
  }
  for (const Library& l : Libraries()) {
    fast_subjects.push_back(l.name);
    free_subjects.push_back(l.name);
    sweep_subjects.push_back(l.name);
  }
  for (size_t bytes : {16, 32, 64, 256}) {
    for (const std::string& name : fast_subjects) {
      benchmark::RegisterBenchmark(
          ("BM_AllocFastPath/" + name + "/" + std::to_string(bytes)).c_str(),
          [name, bytes](benchmark::State& st) { BM_AllocFastPath(st, name, bytes); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  for (Sizes s : {kSmall, kMixed}) {
    for (const std::string& name : sweep_subjects) {
      benchmark::RegisterBenchmark(("BM_Sweep/" + name + "/" + SizesName(s)).c_str(),
                                   [name, s](benchmark::State& st) { BM_Sweep(st, name, s); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
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
