// The lost-object interleaving of Dijkstra et al., built by hand with the
// step-wise cycle API, for every barrier and for the deliberately broken
// barrier `none`: proof that the checker and the verifier can fail.
#include "collectors/concurrent/write_barrier.h"

#include "collectors/concurrent/concurrent_collector.h"
#include "collectors/concurrent/tricolor_checker.h"
#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using namespace testkit;  // NOLINT

ConcurrentOptions ManualCycles() {
  ConcurrentOptions o;
  o.gogc = -1;                 // no triggered cycles: the test drives the only one
  o.manual_ForTesting = true;  // and no background markers
  o.assists_never_wait_ForTesting = true;
  return o;
}

// Roots: holder H (H.left = B) and C. C is blackened while H is still white;
// then the mutator moves B from H into C: C.left = B; H.left = null.
// B is now reachable only from black C. Returns the tri-color report.
TricolorReport RunLostObjectInterleaving(BarrierKind kind, bool* verifier_ok,
                                         int64_t* survivor_value) {
  ConcurrentOptions o = ManualCycles();
  std::shared_ptr<TricolorMonitor> checks =
      TricolorMonitor::Install(&o, /*abort_on_violation=*/false);
  auto t = MakeTestHeapWith<ConcurrentCollector>(o, {.verify = false, .checkmark = false});
  t.collector->set_barrier_ForTesting(kind);
  TricolorReport report;
  {
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local h(m.get(), NewNode(m.get(), 1));
    Local c(m.get(), NewNode(m.get(), 2));
    m->Store(h.get(), kLeft, NewNode(m.get(), 42));  // B

    t.collector->BeginCycleForTesting(m.get());
    t.collector->ScanObjectForTesting(c.get());  // C black, H and B white
    {
      HandleScope inner(m.get());
      Local b(m.get(), m->Load(h.get(), kLeft));
      m->Store(c.get(), kLeft, b.get());  // insertion into a black object
      m->Store(h.get(), kLeft, nullptr);  // deletion of B's last grey path
    }                                     // B is no longer on the stack
    t.collector->FinishCycleForTesting(m.get());
    report = checks->last_report();

    // The verifier sees what the sweep did to C.left.
    t.heap->StopTheWorld(m.get());
    *verifier_ok = t.heap->VerifyNow(/*marked_epoch=*/-1).ok();
    t.heap->ResumeTheWorld(m.get());
    *survivor_value = report.ok() ? ValueOf(m->Load(c.get(), kLeft)) : -1;
    m->Store(c.get(), kLeft, nullptr);  // drop the dangling pointer, if any
  }
  return report;
}

class BarrierTest : public ::testing::TestWithParam<BarrierKind> {};

TEST_P(BarrierTest, KeepsAnObjectMovedFromAGreyToABlackObject) {
  bool verifier_ok = false;
  int64_t value = 0;
  TricolorReport r = RunLostObjectInterleaving(GetParam(), &verifier_ok, &value);
  EXPECT_TRUE(r.ok()) << r.ToString();
  EXPECT_TRUE(verifier_ok);
  EXPECT_EQ(value, 42);
}

INSTANTIATE_TEST_SUITE_P(AllBarriers, BarrierTest,
                         ::testing::Values(BarrierKind::kDijkstra, BarrierKind::kYuasa,
                                           BarrierKind::kHybrid),
                         BarrierParamName);

TEST(BrokenBarrierTest, NoBarrierLosesTheObjectAndTheCheckerAndVerifierSayWhere) {
  bool verifier_ok = true;
  int64_t value = 0;
  TricolorReport r = RunLostObjectInterleaving(BarrierKind::kNone, &verifier_ok, &value);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.black_to_white, 1u) << r.ToString();
  EXPECT_EQ(r.reachable_white, 1u) << r.ToString();
  EXPECT_NE(r.ToString().find("black"), std::string::npos);
  EXPECT_FALSE(verifier_ok) << "the sweep freed B; the verifier must see a freed object";
}

TEST(BarrierStoreTest, DijkstraShadesTheNewValueOnly) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(ManualCycles());
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  Local holder(m.get(), NewNode(m.get(), 0));
  Local old_value(m.get(), NewNode(m.get(), 1));
  Local new_value(m.get(), NewNode(m.get(), 2));
  m->Store(holder.get(), kLeft, old_value.get());
  const uint8_t next_epoch = t.heap->epoch() == 255 ? 1 : t.heap->epoch() + 1;
  MarkWorklist wl;
  MarkWorklist::Local buffer(&wl);
  BarrieredStore(BarrierKind::kDijkstra, next_epoch, false, buffer, holder.get()->slot_at(kLeft),
                 new_value.get());
  EXPECT_TRUE(new_value.get()->IsMarked(next_epoch));
  EXPECT_FALSE(old_value.get()->IsMarked(next_epoch));
  EXPECT_EQ(m->Load(holder.get(), kLeft), new_value.get());
  Object* o;
  while (buffer.Pop(&o)) {
  }
  // Undo the marks so the heap's epoch bookkeeping stays consistent.
  new_value.get()->header().mark.store(t.heap->epoch());
}

TEST(BarrierStoreTest, YuasaShadesTheOldValueOnly) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(ManualCycles());
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  Local holder(m.get(), NewNode(m.get(), 0));
  Local old_value(m.get(), NewNode(m.get(), 1));
  Local new_value(m.get(), NewNode(m.get(), 2));
  m->Store(holder.get(), kLeft, old_value.get());
  const uint8_t next_epoch = t.heap->epoch() == 255 ? 1 : t.heap->epoch() + 1;
  MarkWorklist wl;
  MarkWorklist::Local buffer(&wl);
  BarrieredStore(BarrierKind::kYuasa, next_epoch, false, buffer, holder.get()->slot_at(kLeft),
                 new_value.get());
  EXPECT_TRUE(old_value.get()->IsMarked(next_epoch));
  EXPECT_FALSE(new_value.get()->IsMarked(next_epoch));
  Object* o;
  while (buffer.Pop(&o)) {
  }
  old_value.get()->header().mark.store(t.heap->epoch());
}

TEST(BarrierStoreTest, HybridShadesTheNewValueOnlyWhileTheStackIsGrey) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(ManualCycles());
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  Local holder(m.get(), NewNode(m.get(), 0));
  Local a(m.get(), NewNode(m.get(), 1));
  Local b(m.get(), NewNode(m.get(), 2));
  Local c(m.get(), NewNode(m.get(), 3));
  m->Store(holder.get(), kLeft, a.get());
  const uint8_t e = t.heap->epoch() == 255 ? 1 : t.heap->epoch() + 1;
  MarkWorklist wl;
  MarkWorklist::Local buffer(&wl);
  BarrieredStore(BarrierKind::kHybrid, e, /*stack_is_grey=*/false, buffer,
                 holder.get()->slot_at(kLeft), b.get());
  EXPECT_TRUE(a.get()->IsMarked(e));
  EXPECT_FALSE(b.get()->IsMarked(e));
  BarrieredStore(BarrierKind::kHybrid, e, /*stack_is_grey=*/true, buffer,
                 holder.get()->slot_at(kLeft), c.get());
  EXPECT_TRUE(b.get()->IsMarked(e));
  EXPECT_TRUE(c.get()->IsMarked(e));
  Object* o;
  while (buffer.Pop(&o)) o->header().mark.store(t.heap->epoch());
}

}  // namespace
}  // namespace gclab
