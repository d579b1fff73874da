// Conformance suite: every allocator the registry knows (KnownAllocatorNames)
// must pass these against interfaces/allocator.h. Properties that only some
// allocators have are asked of their AllocatorCapabilities, never their name.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "registry/registry.h"
#include "testkit/allocator_fixture.h"

namespace gclab {
namespace {

using testkit::CheckPattern;
using testkit::IntervalSet;
using testkit::NewObject;
using testkit::TestAllocator;
using testkit::Walk;

// The parameter is the registry name; the allocator has default parameters.
class ConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  TestAllocator<> Make(size_t limit = size_t{256} << 20, bool poison = true) {
    return TestAllocator<>(testkit::MakeRegistryAllocator(GetParam()),
                           testkit::TestAllocatorOptions(limit, poison));
  }
};

// Sizes across every small class boundary region plus large objects.
std::vector<size_t> InterestingSizes() {
  std::vector<size_t> sizes;
  for (size_t s = 16; s <= 1024; s += 8) sizes.push_back(s);
  for (size_t s = 1024; s <= 40 << 10; s += 520) sizes.push_back(AlignUp(s, 8));
  for (size_t s : {size_t{32768}, size_t{32776}, size_t{65528}, size_t{65536}, size_t{65544},
                   size_t{200} << 10, size_t{1} << 20, (size_t{3} << 20) + 8}) {
    sizes.push_back(s);
  }
  return sizes;
}

TEST_P(ConformanceTest, NameMatchesRegistry) {
  auto a = Make();
  EXPECT_EQ(a->name(), GetParam());
}

TEST_P(ConformanceTest, SecondInitializeFails) {
  auto a = Make();
  EXPECT_FALSE(a->Initialize(AllocatorOptions()).ok());
}

TEST_P(ConformanceTest, CellsAreAlignedDisjointAndContained) {
  auto a = Make();
  IntervalSet set;
  std::vector<std::pair<Object*, uint32_t>> objects;
  uint32_t seed = 1;
  for (int round = 0; round < 3; ++round) {
    for (size_t size : InterestingSizes()) {
      Object* o = a.New(size, 1, seed);
      ASSERT_NE(o, nullptr) << "size " << size;
      const uintptr_t p = reinterpret_cast<uintptr_t>(o);
      EXPECT_EQ(p % kObjectAlignment, 0u) << "size " << size;
      EXPECT_TRUE(set.Add(p, size)) << "overlap at size " << size;
      EXPECT_TRUE(a->Contains(o));
      EXPECT_TRUE(a->Contains(reinterpret_cast<char*>(o) + size - 1));
      objects.emplace_back(o, seed++);
    }
  }
  int x = 0;
  EXPECT_FALSE(a->Contains(&x));
  EXPECT_FALSE(a->Contains(objects.data()));
  for (auto& [o, s] : objects) EXPECT_TRUE(CheckPattern(o, s));
  auto walk = Walk(*a);
  EXPECT_FALSE(walk.overlap);
  EXPECT_EQ(walk.cells.size(), objects.size());
}

TEST_P(ConformanceTest, SweepFreesExactlyTheUnmarkedCells) {
  auto a = Make();
  std::mt19937 rng(7);
  const std::vector<size_t> sizes = InterestingSizes();
  struct Cell {
    Object* o;
    uint32_t seed;
    bool live;
  };
  std::vector<Cell> cells;
  for (uint32_t i = 0; i < 3000; ++i) {
    const size_t size = i % 50 == 0 ? sizes[rng() % sizes.size()] : 16 + 8 * (rng() % 40);
    Object* o = a.New(size, /*epoch=*/1, i);
    ASSERT_NE(o, nullptr);
    cells.push_back({o, i, rng() % 3 == 0});
  }
  // Emulate a collector: new epoch 2; mark the survivors.
  size_t live_objects = 0, live_bytes = 0, dead_objects = 0, dead_bytes = 0;
  for (Cell& c : cells) {
    if (c.live) {
      c.o->header().mark.store(2);
      ++live_objects;
      live_bytes += c.o->size();
    } else {
      ++dead_objects;
      dead_bytes += c.o->size();
    }
  }
  a->PrepareForSweep(2);
  while (a->SweepSome()) {
  }
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.live_objects, live_objects);
  EXPECT_EQ(st.live_bytes, live_bytes);
  EXPECT_EQ(st.freed_objects, dead_objects);
  EXPECT_EQ(st.freed_bytes, dead_bytes);
  EXPECT_GT(st.units_swept, 0u);
  auto walk = Walk(*a);
  EXPECT_FALSE(walk.overlap);
  EXPECT_EQ(walk.cells.size(), live_objects);
  for (const Cell& c : cells) {
    if (!c.live) continue;
    EXPECT_EQ(walk.cells.count(reinterpret_cast<uintptr_t>(c.o)), 1u);
    EXPECT_TRUE(CheckPattern(c.o, c.seed)) << "live payload damaged by the sweep";
    EXPECT_EQ(c.o->header().magic, kObjectMagic);
  }
  AllocatorStats stats = a->GetStats();
  EXPECT_EQ(stats.in_use_bytes, live_bytes);
  EXPECT_EQ(stats.objects, live_objects);
  EXPECT_LE(stats.in_use_bytes + stats.free_bytes, stats.mapped_bytes);
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
  // A second cycle with nothing marked frees everything that is left.
  a->PrepareForSweep(3);
  st = a->FinishSweep();
  EXPECT_EQ(st.live_objects, 0u);
  EXPECT_EQ(st.freed_objects, live_objects);
  EXPECT_EQ(a->GetStats().in_use_bytes, 0u);
  EXPECT_TRUE(Walk(*a).cells.empty());
}

TEST_P(ConformanceTest, FreedMemoryIsReusedAfterSweep) {
  auto a = Make();
  std::map<uintptr_t, size_t> dead;  // cells freed by the sweep
  // Every 64th cell survives, so every unit stays partly live and its free
  // memory has to be reused in place rather than unmapped and remapped.
  for (int i = 0; i < 20000; ++i) {
    const size_t size = 48 + 16 * (i % 4);
    Object* o = a.New(size, 1, i);
    ASSERT_NE(o, nullptr);
    if (i % 64 == 0) {
      o->header().mark.store(2);
    } else {
      dead.emplace(reinterpret_cast<uintptr_t>(o), size);
    }
  }
  const size_t mapped = a->GetStats().mapped_bytes;
  a.Sweep(2);
  size_t reused = 0;
  const int kSecond = 15000;
  for (int i = 0; i < kSecond; ++i) {
    Object* o = a.New(48 + 16 * (i % 4), 2, i);
    ASSERT_NE(o, nullptr);
    // Does the new cell start inside a cell that the sweep freed?
    const uintptr_t p = reinterpret_cast<uintptr_t>(o);
    auto it = dead.upper_bound(p);
    if (it != dead.begin() && p < std::prev(it)->first + std::prev(it)->second) ++reused;
  }
  // (Not all: the tail of the last unit was never allocated before.)
  EXPECT_GT(reused, kSecond * 3 / 4);
  EXPECT_LE(a->GetStats().mapped_bytes, mapped);
  EXPECT_FALSE(Walk(*a).overlap);
}

// Capability free_reuses_memory, checked both ways: an allocator that
// declares it must hand freed cells out again before any sweep; one that
// does not must not (its freed cells stay fillers until the sweep).
TEST_P(ConformanceTest, FreeReusesMemoryBeforeTheSweepIffDeclared) {
  auto a = Make();
  std::set<uintptr_t> freed;
  std::vector<Object*> cells;
  for (int i = 0; i < 1000; ++i) cells.push_back(a.New(64, 1, i));
  for (Object* o : cells) {
    freed.insert(reinterpret_cast<uintptr_t>(o));
    a.Free(o);
  }
  const size_t mapped = a->GetStats().mapped_bytes;
  size_t reused = 0;
  for (int i = 0; i < 1000; ++i) {
    Object* o = a.New(64, 1, 1000 + i);
    ASSERT_NE(o, nullptr);
    reused += freed.count(reinterpret_cast<uintptr_t>(o));
  }
  if (a->capabilities().free_reuses_memory) {
    EXPECT_GT(reused, 1000u * 3 / 4);
    EXPECT_LE(a->GetStats().mapped_bytes, mapped);
  } else {
    EXPECT_EQ(reused, 0u) << "Free reuses memory before the sweep: declare free_reuses_memory";
  }
  EXPECT_EQ(a->GetStats().objects, 1000u);
  EXPECT_FALSE(Walk(*a).overlap);
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
}

// Capability sweep_coalesces: after a sweep, runs of adjacent dead cells hold
// cells as large as the whole run.
TEST_P(ConformanceTest, SweepCoalescesAdjacentDeadCellsIfDeclared) {
  auto a = Make();
  if (!a->capabilities().sweep_coalesces) {
    GTEST_SKIP() << GetParam() << " does not declare sweep_coalesces";
  }
  std::vector<Object*> cells;
  for (int i = 0; i < 256; ++i) cells.push_back(a.New(64, 1, i));
  std::sort(cells.begin(), cells.end());
  // In address order every 4th cell survives; where the three cells after it
  // are back to back, they form a dead run of 192 bytes.
  std::set<uintptr_t> runs;
  for (size_t i = 0; i + 3 < cells.size(); i += 4) {
    cells[i]->header().mark.store(2);
    const uintptr_t first = reinterpret_cast<uintptr_t>(cells[i + 1]);
    if (reinterpret_cast<uintptr_t>(cells[i + 2]) == first + 64 &&
        reinterpret_cast<uintptr_t>(cells[i + 3]) == first + 128) {
      runs.insert(first);
    }
  }
  ASSERT_GE(runs.size(), 32u) << "too few back-to-back cells to look at coalescing";
  SweepStats st = a.Sweep(2);
  EXPECT_EQ(st.live_objects, 64u);
  size_t in_runs = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    Object* o = a.New(192, 2, static_cast<uint32_t>(i));
    ASSERT_NE(o, nullptr);
    in_runs += runs.count(reinterpret_cast<uintptr_t>(o));
  }
  // Without coalescing no 192-byte cell fits where 64-byte cells were.
  EXPECT_GE(in_runs, runs.size() / 2);
  EXPECT_FALSE(Walk(*a).overlap);
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
}

TEST_P(ConformanceTest, PoisonCheckDetectsWriteToSweptCell) {
  auto a = Make();
  std::vector<Object*> objs;
  for (int i = 0; i < 64; ++i) objs.push_back(a.New(96, 1, i));
  for (int i = 0; i < 64; ++i) {
    if (i % 2 == 0) objs[i]->header().mark.store(2);
  }
  a.Sweep(2);
  ASSERT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
  // A stale write through a dangling pointer into a freed cell.
  char* victim = reinterpret_cast<char*>(objs[33]) + 96 - 1;
  ASSERT_EQ(static_cast<uint8_t>(*victim), kPoisonByte);
  *victim = 0x11;
  absl::Status st = a->VerifyFreeMemory();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("free memory at"), std::string::npos) << st;
  *victim = static_cast<char>(kPoisonByte);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
}

TEST_P(ConformanceTest, PoisonCheckDetectsWriteToExplicitlyFreedCell) {
  auto a = Make();
  std::vector<Object*> objs;
  for (int i = 0; i < 16; ++i) objs.push_back(a.New(128, 1, i));
  a.Free(objs[5]);
  ASSERT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
  char* victim = reinterpret_cast<char*>(objs[5]) + 100;
  *victim = 0x22;
  EXPECT_FALSE(a->VerifyFreeMemory().ok());
  *victim = static_cast<char>(kPoisonByte);
  EXPECT_TRUE(a->VerifyFreeMemory().ok());
  auto walk = Walk(*a);
  EXPECT_EQ(walk.cells.size(), 15u);
  EXPECT_EQ(walk.cells.count(reinterpret_cast<uintptr_t>(objs[5])), 0u);
  EXPECT_EQ(a->GetStats().objects, 15u);
}

TEST_P(ConformanceTest, HeapLimitGivesNullptrAndRecoversAfterSweep) {
  const size_t limit = size_t{8} << 20;
  auto a = Make(limit, /*poison=*/false);
  size_t n = 0;
  std::vector<Object*> objs;
  while (true) {
    Object* o = a.New(1024, 1, 0);
    if (o == nullptr) break;
    objs.push_back(o);
    ASSERT_LT(++n, limit / 1024) << "limit not enforced";
  }
  EXPECT_GT(n * 1024, limit / 2);
  EXPECT_LE(a->GetStats().mapped_bytes, limit);
  EXPECT_EQ(a->Allocate(a.cache(), size_t{16} << 20), nullptr);  // larger than the limit
  EXPECT_EQ(a->Allocate(a.cache(), 1024), nullptr);
  // Everything dies; after the sweep there is room again.
  a.Sweep(2);
  EXPECT_NE(a.New(1024, 2, 0), nullptr);
  EXPECT_NE(a.New(100 << 10, 2, 0), nullptr);
  EXPECT_LE(a->GetStats().mapped_bytes, limit);
}

TEST_P(ConformanceTest, StatsAddUp) {
  auto a = Make();
  std::mt19937 rng(3);
  size_t bytes = 0;
  std::vector<Object*> objs;
  for (int i = 0; i < 5000; ++i) {
    const size_t size = i % 500 == 0 ? 70000 : 16 + 8 * (rng() % 300);
    Object* o = a.New(size, 1, i);
    ASSERT_NE(o, nullptr);
    bytes += size;
    objs.push_back(o);
  }
  for (int i = 0; i < 5000; i += 7) {
    bytes -= objs[i]->size();
    a.Free(objs[i]);
  }
  AllocatorStats st = a->GetStats();
  auto walk = Walk(*a);
  EXPECT_EQ(st.in_use_bytes, bytes);
  EXPECT_EQ(walk.bytes, bytes);
  EXPECT_EQ(st.objects, walk.cells.size());
  EXPECT_LE(st.in_use_bytes + st.free_bytes, st.mapped_bytes);
  EXPECT_GT(st.free_bytes, 0u);
  a.DeleteCache();
  // Deleting the cache does not change what is allocated.
  AllocatorStats after = a->GetStats();
  EXPECT_EQ(after.in_use_bytes, bytes);
  EXPECT_EQ(after.objects, walk.cells.size());
}

TEST_P(ConformanceTest, LazySweepOnAllocation) {
  auto a = Make();
  for (int i = 0; i < 30000; ++i) {
    Object* o = a.New(64, 1, i);
    ASSERT_NE(o, nullptr);
    if (i % 100 == 0) o->header().mark.store(2);  // keeps every unit partly live
  }
  const size_t mapped = a->GetStats().mapped_bytes;
  a->PrepareForSweep(2);
  // No SweepSome: allocation has to sweep what it reuses.
  for (int i = 0; i < 25000; ++i) ASSERT_NE(a.New(64, 2, i), nullptr);
  EXPECT_LE(a->GetStats().mapped_bytes, mapped);
  SweepStats st = a->FinishSweep();
  EXPECT_EQ(st.live_objects, 300u);
  EXPECT_EQ(st.freed_objects, 30000u - 300u);
  auto walk = Walk(*a);
  EXPECT_FALSE(walk.overlap);
  EXPECT_EQ(walk.cells.size(), 300u + 25000u);
  EXPECT_TRUE(a->VerifyFreeMemory().ok()) << a->VerifyFreeMemory();
}

TEST_P(ConformanceTest, ConcurrentAllocationWithSweepSome) {
  auto a = Make();
  constexpr int kThreads = 4;
  std::vector<AllocatorCache*> caches;
  for (int t = 0; t < kThreads; ++t) caches.push_back(a->NewCache());
  for (int cycle = 0; cycle < 3; ++cycle) {
    const uint8_t old_epoch = static_cast<uint8_t>(1 + cycle);
    const uint8_t epoch = static_cast<uint8_t>(2 + cycle);
    // Old population, allocated by all caches, a third survives.
    std::vector<std::pair<Object*, uint32_t>> survivors;
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < 3000; ++i) {
        Object* o = NewObject(*a, caches[t], 16 + 8 * (i % 64), old_epoch, i);
        ASSERT_NE(o, nullptr);
        if (i % 3 == 0) {
          o->header().mark.store(epoch);
          survivors.emplace_back(o, i);
        }
      }
    }
    // Objects surviving from earlier cycles were marked by ForEachObject below.
    a->ForEachObject([&](Object* o) {
      if (o->mark_epoch() == old_epoch && o->size() == 40000) o->header().mark.store(epoch);
    });
    a->PrepareForSweep(epoch);
    std::vector<std::vector<std::pair<Object*, uint32_t>>> fresh(kThreads);
    std::atomic<bool> failed{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 4000; ++i) {
          const size_t size = i % 500 == 0 ? 40000 : 16 + 8 * ((i * 7 + t) % 100);
          Object* o = NewObject(*a, caches[t], size, epoch, i * 10 + t);
          if (o == nullptr) {
            failed = true;
            return;
          }
          if (i % 4 == 1 && size != 40000) {
            a->Free(caches[t], o);
          } else {
            fresh[t].emplace_back(o, i * 10 + t);
          }
        }
      });
    }
    std::thread sweeper([&] {
      while (a->SweepSome()) {
      }
    });
    for (auto& th : threads) th.join();
    sweeper.join();
    ASSERT_FALSE(failed.load());
    SweepStats st = a->FinishSweep();
    EXPECT_EQ(st.live_objects, survivors.size() + (cycle == 0 ? 0 : kThreads * 8));
    auto walk = Walk(*a);
    EXPECT_FALSE(walk.overlap);
    for (auto& [o, s] : survivors) {
      EXPECT_TRUE(CheckPattern(o, s));
      EXPECT_EQ(walk.cells.count(reinterpret_cast<uintptr_t>(o)), 1u);
    }
    size_t fresh_count = 0;
    for (int t = 0; t < kThreads; ++t) {
      for (auto& [o, s] : fresh[t]) {
        EXPECT_TRUE(CheckPattern(o, s)) << "cell allocated during the sweep was damaged";
        EXPECT_EQ(walk.cells.count(reinterpret_cast<uintptr_t>(o)), 1u);
        ++fresh_count;
      }
    }
    EXPECT_EQ(walk.cells.size(), survivors.size() + fresh_count + (cycle == 0 ? 0 : kThreads * 8));
    EXPECT_EQ(a->GetStats().objects, walk.cells.size());
    EXPECT_EQ(a->GetStats().in_use_bytes, walk.bytes);
    absl::Status v = a->VerifyFreeMemory();
    EXPECT_TRUE(v.ok()) << v;
    // Only the large objects allocated during this cycle survive into the next.
    a->PrepareForSweep(static_cast<uint8_t>(epoch + 100));
    for (int t = 0; t < kThreads; ++t) {
      for (auto& [o, s] : fresh[t]) {
        if (o->size() == 40000) o->header().mark.store(static_cast<uint8_t>(epoch + 100));
      }
    }
    a->FinishSweep();
    a->ForEachObject([&](Object* o) { o->header().mark.store(epoch); });
  }
  for (AllocatorCache* c : caches) a->DeleteCache(c);
}

// Random alloc / free / mark / sweep against a model of the live set.
TEST_P(ConformanceTest, RandomizedAgainstModel) {
  auto a = Make(size_t{64} << 20);
  AllocatorCache* cache = a.cache();
  AllocatorCache* other = a->NewCache();
  std::mt19937 rng(12345);
  struct Info {
    size_t size;
    uint32_t seed;
  };
  std::map<uintptr_t, Info> model;
  uint8_t epoch = 1;
  bool sweeping = false;
  uint32_t next_seed = 1;
  auto check_model = [&] {
    auto walk = Walk(*a);
    ASSERT_FALSE(walk.overlap);
    ASSERT_EQ(walk.cells.size(), model.size());
    size_t bytes = 0;
    for (const auto& [p, info] : model) {
      auto it = walk.cells.find(p);
      ASSERT_NE(it, walk.cells.end());
      ASSERT_EQ(it->second, info.size);
      ASSERT_TRUE(CheckPattern(reinterpret_cast<Object*>(p), info.seed));
      bytes += info.size;
    }
    AllocatorStats st = a->GetStats();
    ASSERT_EQ(st.in_use_bytes, bytes);
    ASSERT_EQ(st.objects, model.size());
    ASSERT_LE(st.in_use_bytes + st.free_bytes, st.mapped_bytes);
    absl::Status v = a->VerifyFreeMemory();
    ASSERT_TRUE(v.ok()) << v;
  };
  for (int step = 0; step < 6000; ++step) {
    const int op = rng() % 100;
    if (op < 60) {
      const int kind = rng() % 100;
      size_t size = kind < 80   ? 16 + 8 * (rng() % 32)
                    : kind < 98 ? 16 + 8 * (rng() % 1200)
                                : 8 * (4096 + rng() % 20000);
      const uint32_t seed = next_seed++;
      Object* o = NewObject(*a, rng() % 4 == 0 ? other : cache, size, epoch, seed);
      ASSERT_NE(o, nullptr);
      const uintptr_t p = reinterpret_cast<uintptr_t>(o);
      ASSERT_EQ(model.count(p), 0u) << "address handed out twice";
      model[p] = Info{size, seed};
    } else if (op < 70 && !model.empty()) {
      auto it = model.begin();
      std::advance(it, rng() % model.size());
      a->Free(rng() % 2 ? cache : other, reinterpret_cast<void*>(it->first));
      model.erase(it);
    } else if (op < 72 && !sweeping) {
      // Start a cycle: new epoch, mark a random 60%.
      const uint8_t old = epoch;
      epoch = static_cast<uint8_t>(epoch % 250 + 1);
      ASSERT_NE(epoch, old);
      for (auto it = model.begin(); it != model.end();) {
        auto* o = reinterpret_cast<Object*>(it->first);
        if (rng() % 10 < 6) {
          o->header().mark.store(epoch);
          ++it;
        } else {
          it = model.erase(it);
        }
      }
      a->PrepareForSweep(epoch);
      sweeping = true;
    } else if (op < 80 && sweeping) {
      if (!a->SweepSome() || rng() % 4 == 0) {
        a->FinishSweep();
        sweeping = false;
        check_model();
      }
    }
  }
  if (sweeping) a->FinishSweep();
  check_model();
  a->DeleteCache(other);
}

INSTANTIATE_TEST_SUITE_P(AllAllocators, ConformanceTest, ::testing::ValuesIn(KnownAllocatorNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace gclab
