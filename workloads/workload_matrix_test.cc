// Every workload (smoke sizes) against every allocator x collector pair the
// registry knows that can run together, with the heap verifier on.
// A newly registered module or workload is covered automatically.
#include <string>
#include <tuple>

#include "gtest/gtest.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"
#include "workloads/registry.h"

namespace gclab {
namespace {

using ModulePair = std::pair<std::string, std::string>;
using MatrixParam = std::tuple<ModulePair, std::string>;

class WorkloadMatrixTest : public ::testing::TestWithParam<MatrixParam> {};

TEST_P(WorkloadMatrixTest, RunsAndValidates) {
  const auto& [modules, workload] = GetParam();
  const auto& [allocator, collector] = modules;
  // 512 MiB: far above what any smoke-sized workload allocates, so even a
  // collector that never frees must not run out of memory.
  // A module the registry lists must build with its defaults: no skipping.
  absl::StatusOr<std::unique_ptr<Heap>> made = testkit::TryMakeTestHeap(
      allocator, collector,
      {.heap_limit_bytes = 512 * testkit::kMiB, .min_heap_bytes = 256 * 1024});
  ASSERT_TRUE(made.ok()) << allocator << "/" << collector << ": " << made.status();
  std::unique_ptr<Heap> heap = std::move(made).value();
  absl::StatusOr<WorkloadConfig> config = WorkloadConfigForName(workload);
  ASSERT_TRUE(config.ok()) << config.status();
  ShrinkForSmoke(&*config);
  absl::StatusOr<std::unique_ptr<Workload>> w = MakeWorkload(*config);
  ASSERT_TRUE(w.ok()) << w.status();
  absl::Status s = (*w)->Run(heap.get(), 1234);
  EXPECT_TRUE(s.ok()) << allocator << "/" << collector << "/" << workload << ": " << s;
  EXPECT_GT(heap->objects_allocated(), 0u);
  if (heap->constraints().frees_memory) {
    EXPECT_EQ(heap->stats().cycles().size(), heap->stats().collections());
  }
  // The verifier (on in every test heap) ran after the collections.
  ASSERT_TRUE(heap->config().verify);
  if (heap->stats().collections() > 0) {
    EXPECT_GT(heap->stats().verifier_runs.load(), 0u);
  }
}

std::string Name(const ::testing::TestParamInfo<MatrixParam>& info) {
  const auto& [modules, workload] = info.param;
  return modules.first + "_" + modules.second + "_" + workload;
}

// Every allocator x collector pair that can run together (their declared
// capabilities and constraints decide, never their names) x every workload.
INSTANTIATE_TEST_SUITE_P(AllModules, WorkloadMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(KnownCompatiblePairs()),
                                            ::testing::ValuesIn(InProcessWorkloadNames())),
                         Name);

}  // namespace
}  // namespace gclab
