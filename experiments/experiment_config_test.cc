#include "experiments/experiment_config.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/registry.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

constexpr char kValid[] = R"pb(
  name: "t"
  configs {
    name: "ms"
    allocator { size_class {} }
    collector { marksweep { gogc: 50 } }
  }
  workloads { gcbench { threads: 2 } }
)pb";

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<Experiment> e = ParseExperimentText(text, "x.textproto");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(e.status().message());
}

TEST(ExperimentConfigTest, ParsesAValidConfigWithDefaults) {
  absl::StatusOr<Experiment> e = ParseExperimentText(kValid, "x.textproto");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->repetitions(), 3);
  EXPECT_EQ(e->warmups(), 1);
  EXPECT_EQ(e->configs(0).escape_mode(), "none");
  EXPECT_EQ(e->configs(0).heap().heap_limit_bytes(), 1u << 30);
  EXPECT_EQ(e->workloads(0).gcbench().stretch_tree_depth(), 18);
}

TEST(ExperimentConfigTest, SyntaxErrorHasFileLineAndColumn) {
  EXPECT_THAT(ErrorOf("name: \"t\"\nconfigs {\n  name: ms\n}\n"), HasSubstr("x.textproto:3:9:"));
}

TEST(ExperimentConfigTest, UnknownFieldHasFileLineAndColumn) {
  EXPECT_THAT(ErrorOf("name: \"t\"\n  repetitons: 3\n"), HasSubstr("x.textproto:2:3:"));
  EXPECT_THAT(ErrorOf("name: \"t\"\n  repetitons: 3\n"), HasSubstr("repetitons"));
}

TEST(ExperimentConfigTest, UnknownCollectorListsTheKnownOnes) {
  const std::string error = ErrorOf(
      "name: \"t\"\nconfigs {\n  name: \"a\"\n  allocator { size_class {} }\n"
      "  collector { marksweeep {} }\n}\n");
  EXPECT_THAT(error, HasSubstr("x.textproto:5:15:"));
  EXPECT_THAT(error, HasSubstr("marksweeep"));
  for (const std::string& name : KnownCollectorNames()) EXPECT_THAT(error, HasSubstr(name));
}

TEST(ExperimentConfigTest, UnknownAllocatorListsTheKnownOnes) {
  const std::string error =
      ErrorOf("name: \"t\"\nconfigs {\n  name: \"a\"\n  allocator { slab {} }\n}\n");
  EXPECT_THAT(error, HasSubstr("x.textproto:4:15:"));
  EXPECT_THAT(error, HasSubstr("Known allocators: bump, free_list, size_class"));
}

TEST(ExperimentConfigTest, UnknownWorkloadListsTheKnownOnes) {
  const std::string error = ErrorOf("name: \"t\"\nworkloads { gcbenhc {} }\n");
  EXPECT_THAT(error, HasSubstr("x.textproto:2:13:"));
  EXPECT_THAT(error, HasSubstr("Known workloads: gcbench, binary_trees, splay"));
}

TEST(ExperimentConfigTest, MissingModulesListTheKnownOnes) {
  EXPECT_THAT(ErrorOf("name: \"t\" configs { name: \"a\" collector { nogc {} } }"
                      " workloads { splay {} }"),
              HasSubstr("configs[0] \"a\": allocator is not set; known allocators: bump"));
  EXPECT_THAT(ErrorOf("name: \"t\" configs { name: \"a\" allocator { bump {} } }"
                      " workloads { splay {} }"),
              HasSubstr("collector is not set; known collectors: nogc, marksweep"));
}

TEST(ExperimentConfigTest, GoRuntimeAndEscapeModesMeetTheirWorkloads) {
  const std::string go_program = " workloads { go_program { program: \"structsim\" } }";
  EXPECT_TRUE(ParseExperimentText(absl::StrCat("name: \"t\" configs { name: \"go\" go_runtime {} }",
                                               go_program, " workloads { gcbench {} }"),
                                  "x.textproto")
                  .ok());
  EXPECT_THAT(ErrorOf("name: \"t\" configs { name: \"go\" go_runtime {} allocator { bump {} } }" +
                      go_program),
              HasSubstr("leave allocator, collector and heap unset"));
  EXPECT_THAT(ErrorOf("name: \"t\" configs { name: \"go\" go_runtime { gogc: -5 } }" + go_program),
              HasSubstr("go_runtime.gogc must be -1 (off) or in [0, 1000000], got -5"));
  EXPECT_THAT(ErrorOf("name: \"t\" configs { name: \"go\" go_runtime {} } workloads { splay {} }"),
              HasSubstr("workloads[0] \"splay\" has no Go program"));
  EXPECT_THAT(
      ErrorOf("name: \"t\" configs { name: \"a\" allocator { bump {} } collector { nogc {} }"
              " escape_mode: \"intraprocedural\" } workloads { splay {} }"),
      HasSubstr("escape_mode \"intraprocedural\" needs Go-program workloads"));
  EXPECT_THAT(
      ErrorOf("name: \"t\" configs { name: \"a\" allocator { bump {} } collector { nogc {} }"
              " heap { stack_region_bytes: 8192 } }" +
              go_program),
      HasSubstr("stack_region_bytes must be at least 65536 for Go-program workloads"));
  EXPECT_TRUE(ParseExperimentText("name: \"t\" configs { name: \"a\" allocator { bump {} } "
                                  "collector { nogc {} } escape_mode: \"go\" }" +
                                      go_program,
                                  "x.textproto")
                  .ok());
}

TEST(ExperimentConfigTest, BadValuesNameTheField) {
  auto with = [](const std::string& extra) { return absl::StrCat(kValid, extra); };
  EXPECT_THAT(ErrorOf(with("repetitions: 0")), HasSubstr("repetitions must be >= 1, got 0"));
  EXPECT_THAT(ErrorOf(with("warmups: -1")), HasSubstr("warmups must be >= 0"));
  EXPECT_THAT(ErrorOf(with("workloads { binary_trees { threads: 0 } }")),
              HasSubstr("workloads[1]: binary_trees.threads must be in [1, 256], got 0"));
  EXPECT_THAT(ErrorOf(with("configs { name: \"ms\" allocator { bump {} } collector { nogc {} } }")),
              HasSubstr("configs[1].name \"ms\" is used twice"));
  EXPECT_THAT(ErrorOf(with("configs { name: \"b\" allocator { bump {} } collector { nogc {} } "
                           "heap { heap_limit_bytes: 10 } }")),
              HasSubstr("configs[1] \"b\": heap.heap_limit_bytes must be at least"));
  EXPECT_THAT(
      ErrorOf(with("configs { name: \"b\" allocator { bump {} } collector { nogc {} } "
                   "escape_mode: \"some\" }")),
      HasSubstr("unknown escape_mode \"some\"; known modes: none, all_heap, intraprocedural, go"));
  EXPECT_THAT(
      ErrorOf(with("configs { name: \"bad name\" allocator { bump {} } collector { nogc {} } }")),
      HasSubstr("configs[1].name must be"));
  EXPECT_THAT(ErrorOf("configs { name: \"a\" allocator { bump {} } collector { nogc {} } }"
                      " workloads { splay {} }"),
              HasSubstr("name must be a non-empty"));
}

TEST(ExperimentConfigTest, SemanticErrorsPointAtTheEntry) {
  const std::string error = ErrorOf(
      "name: \"t\"\nconfigs { name: \"a\" allocator { bump {} } collector { nogc {} } }\n"
      "workloads { splay {} }\n  workloads { lru_cache { hot_percent: 200 } }\n");
  EXPECT_THAT(error, HasSubstr("x.textproto:4:3: workloads[1]: lru_cache.hot_percent"));
}

TEST(ExperimentConfigTest, BadModuleParametersNameTheField) {
  // The registry's factories check module parameters; the message is
  // prefixed with the configuration.
  const std::string error =
      ErrorOf(absl::StrCat(kValid,
                           "configs { name: \"b\" allocator { bump { region_bytes: 3 } }"
                           " collector { nogc {} } }"));
  EXPECT_THAT(error, HasSubstr("configs[1] \"b\": allocator: "));
  EXPECT_THAT(error, HasSubstr("region_bytes"));
}

// Found by the experiment config fuzzer: `repetitions: 2000000000` was
// valid, and planning it (before anything ran) filled memory with run specs.
TEST(ExperimentConfigTest, AnExperimentTooLargeToPlanIsAnError) {
  const std::string base(kValid);
  EXPECT_THAT(ErrorOf(base + "repetitions: 2000000000"),
              HasSubstr("x.textproto: the experiment plans 2000000001 runs "
                        "(1 configs x 1 workloads x (2000000000 repetitions + 1 warm-ups)); "
                        "at most 1000000"));
  EXPECT_THAT(ErrorOf(base + "repetitions: 2147483647 warmups: 2147483647"),
              HasSubstr("plans 4294967294 runs"));
  EXPECT_TRUE(ParseExperimentText(base + "repetitions: 999999 warmups: 1", "x").ok());
}

// A stack region is mapped per thread at attach: one of 2^60 bytes made every
// run abort in mmap instead of failing with a message.
TEST(ExperimentConfigTest, StackRegionBeyondOneGibIsAnError) {
  const std::string config = R"pb(
    name: "t"
    configs {
      name: "ms"
      allocator { size_class {} }
      collector { marksweep {} }
      heap { stack_region_bytes: 1152921504606846976 }
    }
    workloads { gcbench {} }
  )pb";
  EXPECT_THAT(ErrorOf(config), HasSubstr("x.textproto:3:5: configs[0] \"ms\": "
                                         "heap.stack_region_bytes must be in [4096, 1073741824], "
                                         "got 1152921504606846976"));
}

TEST(ExperimentConfigTest, IncompatibleModulesAreRefusedWithTheCapability) {
  // boehm collects only the boehm allocator's heap (declared, not by name).
  const std::string error = ErrorOf(absl::StrCat(kValid,
                                                 "configs { name: \"b\" allocator { size_class {} }"
                                                 " collector { boehm {} } }"));
  EXPECT_THAT(error, HasSubstr("configs[1] \"b\": "));
  EXPECT_THAT(error, HasSubstr("reclamation external-collector"));
  EXPECT_THAT(error, HasSubstr("allocators it runs on: boehm"));
}

TEST(ExperimentConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadExperimentFile("/nonexistent/x.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ExperimentConfigTest, ShippedConfigsAreValid) {
  for (const char* name :
       {"quickstart", "compare_collectors", "compare_allocators", "peers", "escape_on_off"}) {
    const std::string path = absl::StrCat("experiments/configs/", name, ".textproto");
    absl::StatusOr<Experiment> e = LoadExperimentFile(path);
    ASSERT_TRUE(e.ok()) << e.status();
    ShrinkExperimentForSmoke(&*e);
    EXPECT_TRUE(ValidateExperiment(*e).ok()) << name;
    EXPECT_EQ(e->repetitions(), 1);
  }
}

TEST(ExperimentConfigTest, HeapConfigCarriesTheSettings) {
  absl::StatusOr<Experiment> e = ParseExperimentText(
      absl::StrCat(kValid,
                   "configs { name: \"b\" allocator { bump {} } collector { nogc {} } "
                   "heap { heap_limit_bytes: 33554432 allocation_check_bytes: 4096 } }"),
      "x");
  ASSERT_TRUE(e.ok()) << e.status();
  HeapConfig c = HeapConfigFor(e->configs(1));
  EXPECT_EQ(c.heap_limit_bytes, 33554432u);
  EXPECT_EQ(c.allocation_check_bytes, 4096u);
}

}  // namespace
}  // namespace gclab
