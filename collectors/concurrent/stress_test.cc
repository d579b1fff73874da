// Stress: four mutator threads mutate pointer graphs (allocation, random
// re-linking, moving subtrees between objects -- the lost-object pattern --,
// dropping roots, writing globals) while cycles run back to back, for every
// barrier and 1 or 2 marker threads. Each thread keeps a shadow model of its
// graph outside the heap and checks every walk against it; the tri-color
// checker and the heap verifier (GCLAB_VERIFY=1) run at every cycle.
//
// Size: kOpsPerThread operations per thread; divided by 8 under TSan/ASan so
// each shard stays well under a minute there.
#include <cstdint>
#include <random>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "collectors/concurrent/tricolor_checker.h"
#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using namespace testkit;  // NOLINT

#if defined(GCLAB_TSAN) || defined(GCLAB_ASAN)
constexpr int kOpsPerThread = 60000;
#else
constexpr int kOpsPerThread = 600000;
#endif
constexpr int kThreads = 4;
constexpr int kRootSlots = 64;

struct ShadowNode {
  int64_t value = 0;
  int64_t left = 0;  // ids; 0 = null
  int64_t right = 0;
};

// One thread's graph and its shadow.
class GraphMutator {
 public:
  GraphMutator(Heap* heap, int index, uint32_t seed)
      : heap_(heap), index_(index), rng_(seed), next_id_(int64_t{index + 1} << 40) {}

  void Run(int ops) {
    ScopedMutator m(heap_);
    m_ = m.get();
    Object** global = heap_->NewGlobalRoot();
    {
      HandleScope scope(m_);
      static const TypeDescriptor* kArray = MakePointerArrayType("StressRoots");
      Local roots(m_, m_->Allocate(kArray, kRootSlots).value());
      roots_ = &roots;
      root_ids_.assign(kRootSlots, 0);
      for (int op = 0; op < ops && !::testing::Test::HasFatalFailure(); ++op) {
        Step(global);
        if (op % 4000 == 3999) PruneShadow();
      }
      CheckEverything(global);
      roots_ = nullptr;
    }
    m_->DeleteGlobalRoot(global);  // a running mutator deletes through itself
  }

 private:
  int64_t NewId() { return ++next_id_; }
  int Rand(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  Object* NewNodeWithId(int64_t value) {
    Object* n = NewNode(m_, value);
    const int64_t id = NewId();
    n->data_at<int64_t>(kId) = id;
    shadow_[id] = ShadowNode{value, 0, 0};
    return n;
  }

  // Follows up to `steps` random edges from root slot `slot`; returns the
  // node reached (checking each step against the shadow) and its id.
  Object* Walk(int slot, int steps, int64_t* id) {
    Object* cur = m_->LoadElement(roots_->get(), slot);
    int64_t sid = root_ids_[slot];
    Expect(cur, sid, "root slot");
    for (int i = 0; i < steps && cur != nullptr; ++i) {
      const bool left = Rand(2) == 0;
      Object* next = m_->Load(cur, left ? kLeft : kRight);
      const int64_t nid = left ? shadow_[sid].left : shadow_[sid].right;
      Expect(next, nid, "edge");
      if (next == nullptr) break;
      cur = next;
      sid = nid;
    }
    *id = sid;
    return cur;
  }

  void Expect(Object* obj, int64_t id, const char* what) {
    if (obj == nullptr) {
      ASSERT_EQ(id, 0) << "thread " << index_ << ": " << what << " lost node " << id;
      return;
    }
    ASSERT_EQ(obj->data_at<int64_t>(kId), id) << "thread " << index_ << ": " << what;
    ASSERT_EQ(ValueOf(obj), shadow_[id].value) << "thread " << index_ << " node " << id;
  }

  void Step(Object** global) {
    HandleScope scope(m_);
    const int dice = Rand(100);
    if (dice < 30) {  // allocate into a root slot (drops the old subgraph)
      const int slot = Rand(kRootSlots);
      Local n(m_, NewNodeWithId(Rand(1 << 20)));
      int64_t tid;
      Object* t = Walk(Rand(kRootSlots), Rand(3), &tid);
      if (t != nullptr && Rand(2) == 0) {
        m_->Store(n.get(), kLeft, t);
        shadow_[n.get()->data_at<int64_t>(kId)].left = tid;
      }
      m_->StoreElement(roots_->get(), slot, n.get());
      root_ids_[slot] = n.get()->data_at<int64_t>(kId);
    } else if (dice < 55) {  // relink: a.side = b (or null)
      int64_t aid, bid;
      Object* a = Walk(Rand(kRootSlots), Rand(4), &aid);
      Object* b = Rand(10) == 0 ? nullptr : Walk(Rand(kRootSlots), Rand(4), &bid);
      if (b == nullptr) bid = 0;
      if (a == nullptr) return;
      const bool left = Rand(2) == 0;
      m_->Store(a, left ? kLeft : kRight, b);
      (left ? shadow_[aid].left : shadow_[aid].right) = bid;
    } else if (dice < 70) {  // move: b's child goes to a, b loses it
      int64_t aid, bid;
      Object* a = Walk(Rand(kRootSlots), Rand(3), &aid);
      Object* b = Walk(Rand(kRootSlots), Rand(3), &bid);
      if (a == nullptr || b == nullptr || a == b) return;
      Local child(m_, m_->Load(b, kRight));
      const int64_t cid = shadow_[bid].right;
      m_->Store(b, kRight, nullptr);
      shadow_[bid].right = 0;
      m_->Store(a, kLeft, child.get());
      shadow_[aid].left = cid;
    } else if (dice < 78) {  // drop a root
      const int slot = Rand(kRootSlots);
      m_->StoreElement(roots_->get(), slot, nullptr);
      root_ids_[slot] = 0;
    } else if (dice < 86) {  // publish a subgraph through this thread's global
      int64_t id;
      Object* n = Walk(Rand(kRootSlots), Rand(3), &id);
      m_->WriteGlobal(global, n);
      global_id_ = n == nullptr ? 0 : id;
    } else if (dice < 96) {  // short-lived garbage
      HandleScope inner(m_);
      Local head(m_, nullptr);
      for (int i = 0; i < 24; ++i) {
        Local n(m_, NewNode(m_, -1));
        m_->Store(n.get(), kLeft, head.get());
        head.set(n.get());
      }
    } else {  // check the global's subgraph
      int64_t unused;
      Walk(Rand(kRootSlots), 8, &unused);
      CheckFrom(*global, global_id_, 200);
    }
  }

  // Walks up to `limit` nodes from (obj, id) comparing with the shadow.
  void CheckFrom(Object* obj, int64_t id, size_t limit) {
    std::vector<std::pair<Object*, int64_t>> stack = {{obj, id}};
    std::unordered_set<int64_t> seen;
    while (!stack.empty() && seen.size() < limit) {
      auto [o, sid] = stack.back();
      stack.pop_back();
      Expect(o, sid, "walk");
      if (o == nullptr || !seen.insert(sid).second) continue;
      checksum_ += ValueOf(o) * 31 + sid;
      stack.push_back({m_->Load(o, kLeft), shadow_[sid].left});
      stack.push_back({m_->Load(o, kRight), shadow_[sid].right});
    }
  }

  void CheckEverything(Object** global) {
    int64_t heap_sum = 0, shadow_sum = 0;
    std::unordered_set<int64_t> seen;
    std::vector<std::pair<Object*, int64_t>> stack;
    for (int i = 0; i < kRootSlots; ++i) {
      stack.push_back({m_->LoadElement(roots_->get(), i), root_ids_[i]});
    }
    stack.push_back({*global, global_id_});
    while (!stack.empty()) {
      auto [o, sid] = stack.back();
      stack.pop_back();
      Expect(o, sid, "final walk");
      if (o == nullptr || !seen.insert(sid).second) continue;
      heap_sum += ValueOf(o) ^ o->data_at<int64_t>(kId);
      shadow_sum += shadow_[sid].value ^ sid;
      stack.push_back({m_->Load(o, kLeft), shadow_[sid].left});
      stack.push_back({m_->Load(o, kRight), shadow_[sid].right});
    }
    EXPECT_EQ(heap_sum, shadow_sum) << "thread " << index_;
  }

  // Drops shadow nodes unreachable from this thread's roots.
  void PruneShadow() {
    std::unordered_map<int64_t, ShadowNode> live;
    std::vector<int64_t> stack(root_ids_.begin(), root_ids_.end());
    stack.push_back(global_id_);
    while (!stack.empty()) {
      const int64_t id = stack.back();
      stack.pop_back();
      if (id == 0 || live.count(id)) continue;
      const ShadowNode n = shadow_[id];
      live[id] = n;
      stack.push_back(n.left);
      stack.push_back(n.right);
    }
    shadow_.swap(live);
  }

  Heap* heap_;
  int index_;
  std::mt19937 rng_;
  int64_t next_id_;
  Mutator* m_ = nullptr;
  Local* roots_ = nullptr;
  std::vector<int64_t> root_ids_;
  int64_t global_id_ = 0;
  std::unordered_map<int64_t, ShadowNode> shadow_;
  int64_t checksum_ = 0;
};

class StressTest : public ::testing::TestWithParam<std::tuple<BarrierKind, int>> {};

TEST_P(StressTest, FourMutatorsRelinkingGraphsNeverLoseAnObject) {
  ConcurrentOptions o;
  o.barrier = std::get<0>(GetParam());
  o.marker_threads = std::get<1>(GetParam());
  o.gogc = 25;
  o.min_heap_bytes = 256 * 1024;
  std::shared_ptr<TricolorMonitor> checks = TricolorMonitor::Install(&o);  // aborts on a violation
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { GraphMutator(t.heap.get(), i, 1234 + i).Run(kOpsPerThread); });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(checks->violations(), 0u);
  // How many cycles ran and how many stores met a marking cycle depends on
  // the scheduler, so it is recorded, not asserted (issue 9, item 10). The
  // interleavings themselves are explored on purpose, deterministically, by
  // the schedule fuzzer (fuzz/); this test is for real races (TSan).
  uint64_t hits = 0;
  for (const CycleRecord& c : t.heap->stats().cycles()) hits += c.barrier_slow_hits;
  RecordProperty("cycles", static_cast<int>(t.heap->stats().collections()));
  RecordProperty("barrier_slow_hits", static_cast<int>(hits));
}

INSTANTIATE_TEST_SUITE_P(BarriersAndMarkers, StressTest,
                         ::testing::Combine(::testing::Values(BarrierKind::kDijkstra,
                                                              BarrierKind::kYuasa,
                                                              BarrierKind::kHybrid),
                                            ::testing::Values(1, 2)),
                         [](const ::testing::TestParamInfo<std::tuple<BarrierKind, int>>& info) {
                           return absl::StrCat(BarrierKindName(std::get<0>(info.param)), "_",
                                               std::get<1>(info.param), "markers");
                         });

}  // namespace
}  // namespace gclab
