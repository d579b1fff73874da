// nogc is the collector to copy when writing a new one
// (docs/ADDING_A_COLLECTOR.md); these tests pin down the contract it models:
// declared constraints, no pauses or cycles ever, allocation until the limit,
// then a clean ResourceExhausted.
#include "collectors/nogc/nogc_collector.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

class NoGcTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Heap> heap_ =
      testkit::MakeTestHeap(GetParam(), "nogc", {.heap_limit_bytes = 4 * testkit::kMiB});
};

TEST_P(NoGcTest, DeclaresThatItNeverFreesAndNeedsNoBarrier) {
  const CollectorConstraints& c = heap_->constraints();
  EXPECT_FALSE(c.frees_memory);
  EXPECT_FALSE(c.moves_objects);
  EXPECT_FALSE(c.concurrent_marking);
  EXPECT_FALSE(c.needs_write_barrier);
  EXPECT_EQ(c.barrier, BarrierKind::kNone);
  EXPECT_EQ(heap_->collector()->name(), "nogc");
}

TEST_P(NoGcTest, ExplicitCollectionIsANoOpThatKeepsGarbage) {
  testkit::ScopedMutator m(heap_.get());
  testkit::MakeGarbage(m, 256 << 10);
  const uint64_t in_use = heap_->heap_in_use_bytes();
  m->CollectGarbage();
  EXPECT_EQ(heap_->stats().collections(), 0u);
  EXPECT_TRUE(heap_->stats().pauses().empty());
  EXPECT_EQ(heap_->heap_in_use_bytes(), in_use);
  EXPECT_FALSE(heap_->write_barrier_enabled());
}

TEST_P(NoGcTest, AllocatesUntilTheLimitThenFailsCleanlyWithEveryObjectIntact) {
  testkit::ScopedMutator m(heap_.get());
  HandleScope scope(m);
  Local head(m, nullptr);
  absl::Status failure;
  int64_t n = 0;
  for (; n < 1'000'000; ++n) {  // 4 MiB / 48-byte nodes: the limit comes first
    absl::StatusOr<Object*> node = m->Allocate(testkit::NodeType());
    if (!node.ok()) {
      failure = node.status();
      break;
    }
    (*node)->data_at<int64_t>(testkit::kId) = n;
    m->Store(*node, testkit::kLeft, head.get());
    head.set(*node);
  }
  ASSERT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
  EXPECT_THAT(failure.message(), HasSubstr("TestNode"));
  EXPECT_GT(n, 1000);
  // Nothing was collected: the failing allocation asked the collector, which
  // had nothing to reclaim, and every node is still there, in order.
  EXPECT_EQ(heap_->stats().collections(), 0u);
  int64_t expect = n - 1;
  for (Object* o = head.get(); o != nullptr; o = m->Load(o, testkit::kLeft)) {
    ASSERT_EQ(testkit::NodeId(o), expect--);
  }
  EXPECT_EQ(expect, -1);
  EXPECT_TRUE(heap_->VerifyNow(/*marked_epoch=*/-1).ok());
}

INSTANTIATE_TEST_SUITE_P(EveryAllocator, NoGcTest,
                         ::testing::ValuesIn(AllocatorsCompatibleWith("nogc")),
                         [](const auto& info) { return info.param; });

TEST(NoGcFactoryTest, HasNoParametersAndAlwaysBuilds) {
  absl::StatusOr<std::unique_ptr<Collector>> c = NewNoGcCollector();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->name(), "nogc");
}

}  // namespace
}  // namespace gclab
