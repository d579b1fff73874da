#include "workloads/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

TEST(WorkloadRegistryTest, KnownNamesAreTheOneofFields) {
  EXPECT_THAT(KnownWorkloadNames(),
              ::testing::ElementsAre("gcbench", "binary_trees", "splay", "graph_mutator",
                                     "lru_cache", "producer_consumer"));
}

TEST(WorkloadRegistryTest, EveryKnownNameMakesAWorkloadOfThatName) {
  for (const std::string& name : KnownWorkloadNames()) {
    absl::StatusOr<WorkloadConfig> config = WorkloadConfigForName(name);
    ASSERT_TRUE(config.ok()) << name;
    EXPECT_EQ(WorkloadName(*config), name);
    EXPECT_EQ(WorkloadLabel(*config), name);
    absl::StatusOr<std::unique_ptr<Workload>> w = MakeWorkload(*config);
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ((*w)->name(), name);
  }
}

TEST(WorkloadRegistryTest, UnknownNameListsTheKnownOnes) {
  absl::StatusOr<WorkloadConfig> c = WorkloadConfigForName("gcbenhc");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("known workloads: gcbench, binary_trees, splay"));
}

TEST(WorkloadRegistryTest, BadValuesNameTheField) {
  WorkloadConfig c;
  c.mutable_gcbench()->set_threads(0);
  EXPECT_THAT(std::string(ValidateWorkloadConfig(c).message()),
              HasSubstr("gcbench.threads must be in [1, 256], got 0"));
  c.mutable_gcbench()->set_threads(1);
  c.mutable_gcbench()->set_max_tree_depth(2);  // below min_tree_depth 4
  EXPECT_THAT(std::string(ValidateWorkloadConfig(c).message()),
              HasSubstr("gcbench.max_tree_depth"));
  WorkloadConfig lru;
  lru.mutable_lru_cache()->set_hot_percent(101);
  EXPECT_THAT(std::string(MakeWorkload(lru).status().message()),
              HasSubstr("lru_cache.hot_percent"));
  EXPECT_THAT(std::string(ValidateWorkloadConfig(WorkloadConfig()).message()),
              HasSubstr("no kind set"));
}

TEST(WorkloadRegistryTest, ShrunkConfigsStayValid) {
  for (const std::string& name : KnownWorkloadNames()) {
    WorkloadConfig c = *WorkloadConfigForName(name);
    ShrinkForSmoke(&c);
    EXPECT_TRUE(ValidateWorkloadConfig(c).ok()) << name << ": " << ValidateWorkloadConfig(c);
  }
  WorkloadConfig g = *WorkloadConfigForName("gcbench");
  ShrinkForSmoke(&g);
  EXPECT_LT(g.gcbench().stretch_tree_depth(), GcBenchParams().stretch_tree_depth());
}

}  // namespace
}  // namespace gclab
