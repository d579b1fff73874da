// Every allocator x every collector, under a randomized mutator workload.
//
// Four threads each run a seeded random program over their own object graph:
// allocate into a root, link a field to another root's object, unlink, drop a
// root, walk a field into a root, and sometimes collect. Each thread keeps a
// shadow model of its graph outside the managed heap (node id -> field ids).
// At the end, and at checkpoints, the graph reachable from the roots is
// compared with the model node by node, so a collector that frees or corrupts
// a live object, or an allocator that hands out a live cell twice, fails here.
// The heap verifier runs after every collection (MakeTestHeap turns it on).
//
// Parameterized over the registry's names: a newly registered allocator or
// collector is tested here the moment it is registered.
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::gclab::testkit::kId;
using ::gclab::testkit::kLeft;
using ::gclab::testkit::kRight;
using ::gclab::testkit::MakeTestHeap;
using ::gclab::testkit::NewNode;
using ::gclab::testkit::NodeId;
using ::gclab::testkit::ScopedMutator;

constexpr int kThreads = 4;
constexpr int kRoots = 16;
constexpr int kSteps = 50000;

struct ModelNode {
  uint64_t left = 0, right = 0;  // ids; 0 = null
};

class RandomMutator {
 public:
  RandomMutator(Mutator* m, uint32_t seed, uint64_t id_base)
      : m_(m), rng_(seed), next_id_(id_base) {}

  // Returns "" on success or a description of the first mismatch.
  std::string Run() {
    HandleScope scope(m_);
    std::vector<Local> roots;
    for (int i = 0; i < kRoots; ++i) roots.emplace_back(m_);
    model_roots_.assign(kRoots, 0);
    for (int step = 0; step < kSteps; ++step) {
      const int r = Pick(kRoots), s = Pick(kRoots);
      const uint32_t field = Pick(2) ? kLeft : kRight;
      switch (Pick(10)) {
        case 0:
        case 1:
        case 2: {  // allocate a node into root r, maybe linking it to root s
          const uint64_t id = next_id_++;
          Object* n = NewNode(m_, id);
          model_[id] = ModelNode{};
          if (roots[s].get() != nullptr && Pick(2)) {
            m_->Store(n, field, roots[s].get());
            Field(model_[id], field) = model_roots_[s];
          }
          roots[r].set(n);
          model_roots_[r] = id;
          break;
        }
        case 3:
        case 4: {  // link: root r's field = root s
          if (roots[r].get() == nullptr) break;
          m_->Store(roots[r].get(), field, roots[s].get());
          Field(model_[model_roots_[r]], field) = model_roots_[s];
          break;
        }
        case 5: {  // unlink
          if (roots[r].get() == nullptr) break;
          m_->Store(roots[r].get(), field, nullptr);
          Field(model_[model_roots_[r]], field) = 0;
          break;
        }
        case 6: {  // drop a root
          roots[r].set(nullptr);
          model_roots_[r] = 0;
          break;
        }
        case 7:
        case 8: {  // walk: root r = root s's field
          if (roots[s].get() == nullptr) break;
          roots[r].set(m_->Load(roots[s].get(), field));
          model_roots_[r] = Field(model_[model_roots_[s]], field);
          break;
        }
        case 9: {  // garbage of varied sizes (drives the heap-growth trigger)
          static const TypeDescriptor* junk = MakeDataArrayType("Junk", 8);
          if (!m_->Allocate(junk, Pick(2048)).ok()) return "junk allocation failed";
          if (Pick(5000) == 0) m_->CollectGarbage();
          m_->Poll();
          break;
        }
      }
      if (step % 10000 == 9999) {
        std::string err = Check(roots);
        if (!err.empty()) return absl::StrCat("step ", step, ": ", err);
      }
    }
    return Check(roots);
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  static uint64_t& Field(ModelNode& n, uint32_t field) { return field == kLeft ? n.left : n.right; }

  // Compares the heap graph reachable from the roots with the model.
  std::string Check(const std::vector<Local>& roots) {
    absl::flat_hash_set<Object*> seen;
    std::vector<std::pair<Object*, uint64_t>> stack;
    for (int i = 0; i < kRoots; ++i) {
      const uint64_t want = model_roots_[i];
      Object* o = roots[i].get();
      if ((o == nullptr) != (want == 0)) return absl::StrCat("root ", i, " null mismatch");
      if (o != nullptr) stack.push_back({o, want});
    }
    while (!stack.empty()) {
      auto [o, want] = stack.back();
      stack.pop_back();
      if (NodeId(o) != want) {
        return absl::StrCat("node at ", reinterpret_cast<uintptr_t>(o), " has id ", NodeId(o),
                            ", model says ", want);
      }
      if (!seen.insert(o).second) continue;
      const ModelNode& mn = model_[want];
      for (uint32_t f : {kLeft, kRight}) {
        Object* c = m_->Load(o, f);
        const uint64_t cw = f == kLeft ? mn.left : mn.right;
        if ((c == nullptr) != (cw == 0)) {
          return absl::StrCat("node ", want, " field ", f, " null mismatch");
        }
        if (c != nullptr) stack.push_back({c, cw});
      }
    }
    return "";
  }

  Mutator* m_;
  std::mt19937 rng_;
  uint64_t next_id_;
  std::vector<uint64_t> model_roots_;
  absl::flat_hash_map<uint64_t, ModelNode> model_;
};

using Modules = std::tuple<std::string, std::string>;

class RandomizedMutatorTest : public ::testing::TestWithParam<Modules> {};

TEST_P(RandomizedMutatorTest, FourThreadsKeepTheirGraphsIntactAcrossCollections) {
  const auto& [allocator, collector] = GetParam();
  auto heap = MakeTestHeap(allocator, collector, {.heap_limit_bytes = 512 * testkit::kMiB});
  // Small trigger interval so the tracing collectors run many cycles.
  heap->set_allocation_check_bytes(16 << 10);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ScopedMutator m(heap.get());
      errors[t] = RandomMutator(m, 1234 + t, (static_cast<uint64_t>(t) + 1) << 40).Run();
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], "") << "thread " << t;
  if (heap->constraints().frees_memory) {
    int triggered = 0;
    for (const CycleRecord& c : heap->stats().cycles()) {
      triggered += c.cause == GcCause::kHeapTrigger;
    }
    // A stop-the-world collector triggers on the allocating thread itself:
    // with ~160 MB allocated against a 4 MiB trigger no schedule avoids it.
    // A concurrent collector's trigger only posts a request its own thread
    // serves, so how many such cycles finish before the threads do depends
    // on the scheduler (it failed 1 run in 3 here): recorded, not asserted.
    // Its triggers are tested deterministically with the stepping API
    // (collectors/concurrent: ConcurrentSteppingTest, ConcurrentPacingTest).
    if (!heap->constraints().concurrent_marking) {
      EXPECT_GE(triggered, 2) << "the workload must drive the collector's own trigger";
    }
    ::testing::Test::RecordProperty("collections", heap->stats().collections());
    ::testing::Test::RecordProperty("triggered", triggered);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryAllocatorAndCollector, RandomizedMutatorTest,
                         ::testing::Combine(::testing::ValuesIn(KnownAllocatorNames()),
                                            ::testing::ValuesIn(KnownCollectorNames())),
                         [](const ::testing::TestParamInfo<Modules>& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace gclab
