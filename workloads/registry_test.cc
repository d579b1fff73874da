#include "workloads/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

TEST(WorkloadRegistryTest, KnownNamesAreTheOneofFields) {
  EXPECT_THAT(KnownWorkloadNames(),
              ::testing::ElementsAre("gcbench", "binary_trees", "splay", "graph_mutator",
                                     "lru_cache", "producer_consumer", "go_program"));
  EXPECT_THAT(InProcessWorkloadNames(),
              ::testing::ElementsAre("gcbench", "binary_trees", "splay", "graph_mutator",
                                     "lru_cache", "producer_consumer"));
}

TEST(WorkloadRegistryTest, EveryInProcessNameMakesAWorkloadOfThatName) {
  for (const std::string& name : InProcessWorkloadNames()) {
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

TEST(WorkloadRegistryTest, GoProgramsAreExternalAndChecked) {
  WorkloadConfig c;
  c.mutable_go_program()->set_program("structsim");
  c.mutable_go_program()->add_args("400");
  c.mutable_go_program()->add_smoke_args("10");
  EXPECT_TRUE(IsExternalWorkload(c));
  EXPECT_TRUE(ValidateWorkloadConfig(c).ok());
  EXPECT_EQ(MakeWorkload(c).status().code(), absl::StatusCode::kFailedPrecondition);
  ShrinkForSmoke(&c);
  EXPECT_THAT(c.go_program().args(), ::testing::ElementsAre("10"));
  c.mutable_go_program()->set_program("../etc");
  EXPECT_THAT(std::string(ValidateWorkloadConfig(c).message()),
              HasSubstr("go_program.program must be a workloads/go program name"));
  c.mutable_go_program()->set_file("prog.c");
  EXPECT_THAT(std::string(ValidateWorkloadConfig(c).message()), HasSubstr(".go file"));
  WorkloadConfig empty;
  empty.mutable_go_program();
  EXPECT_THAT(std::string(ValidateWorkloadConfig(empty).message()),
              HasSubstr("program or file must be set"));
}

TEST(WorkloadRegistryTest, GoEquivalentsCarryTheSizes) {
  WorkloadConfig g = *WorkloadConfigForName("gcbench");
  std::optional<GoProgramParams> go = GoEquivalent(g);
  ASSERT_TRUE(go.has_value());
  EXPECT_EQ(go->program(), "gcbench");
  EXPECT_THAT(go->args(), ::testing::ElementsAre("18", "16", "500000", "4", "16"));
  WorkloadConfig b = *WorkloadConfigForName("binary_trees");
  b.mutable_binary_trees()->set_max_depth(19);
  ASSERT_TRUE(GoEquivalent(b).has_value());
  EXPECT_THAT(GoEquivalent(b)->args(), ::testing::ElementsAre("19"));
  // Forms the Go programs do not have.
  b.mutable_binary_trees()->set_threads(2);
  EXPECT_FALSE(GoEquivalent(b).has_value());
  g.mutable_gcbench()->set_stack_roots(10);
  EXPECT_FALSE(GoEquivalent(g).has_value());
  EXPECT_FALSE(GoEquivalent(*WorkloadConfigForName("splay")).has_value());
}

TEST(WorkloadRegistryTest, ShrunkConfigsStayValid) {
  for (const std::string& name : InProcessWorkloadNames()) {
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
