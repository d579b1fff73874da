// The mutation check of issue 9: the schedule fuzzer must find each of the
// deliberately planted barrier bugs (PlantedBugForTesting), so that a change
// that blinds it (an oracle that stops looking, a program encoding that can
// no longer express an interleaving) fails here.
//
// Engine: uniformly random programs from a fixed seed, run in this process --
// no libFuzzer, so the verdict and the cost are the same on every machine.
// Each case names a seed and length with which the generator finds its bug
// cheaply, and a budget of two to four times the programs that took when it
// was written (seeds picked with `schedule_tool random`; over other seeds it
// takes from tens to some thousands of programs, docs/RELIABILITY.md). A
// deliberate change to the program encoding changes what a seed generates:
// re-pick the seeds then. How long libFuzzer takes to find each bug from an
// empty corpus is measured by `tools/fuzz mutation-check`.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "fuzz/schedule_program.h"
#include "gtest/gtest.h"

namespace gclab::fuzz {
namespace {

struct Planted {
  PlantedBugForTesting bug;
  BarrierKind barrier;
  uint64_t seed;
  size_t length;  // bytes per program
  int budget;     // programs
};

class MutationCheckTest : public ::testing::TestWithParam<Planted> {};

TEST_P(MutationCheckTest, RandomProgramsFindThePlantedBug) {
#if defined(GCLAB_ASAN) || defined(GCLAB_TSAN) || defined(GCLAB_UBSAN)
  GTEST_SKIP() << "the oracles are the same without sanitizers, and this costs minutes there";
#endif
  const Planted& p = GetParam();
  ScheduleOptions options;
  options.barrier = p.barrier;
  options.planted_bug = p.bug;
  std::mt19937_64 rng(p.seed);
  uint64_t operations = 0;
  for (int i = 0; i < p.budget; ++i) {
    std::vector<uint8_t> program(p.length);
    for (uint8_t& b : program) b = static_cast<uint8_t>(rng());
    const ScheduleResult r = RunSchedule(program.data(), program.size(), options);
    operations += r.operations;
    if (!r.ok()) {
      RecordProperty("programs", i + 1);
      RecordProperty("operations", static_cast<int>(operations));
      std::printf("%s found by program %d after %llu operations: %s\n", PlantedBugName(p.bug),
                  i + 1, static_cast<unsigned long long>(operations), r.failure.c_str());
      return;
    }
  }
  FAIL() << PlantedBugName(p.bug) << " not found in " << p.budget << " programs (" << operations
         << " operations)";
}

// The oracles do not cry wolf: the same programs pass without a planted bug.
TEST(MutationCheckTest, TheSameProgramsPassWhenNothingIsPlanted) {
  for (BarrierKind barrier : kScheduleBarriers) {
    ScheduleOptions options;
    options.barrier = barrier;
    std::mt19937_64 rng(1);
    for (int i = 0; i < 300; ++i) {
      std::vector<uint8_t> program(2048);
      for (uint8_t& b : program) b = static_cast<uint8_t>(rng());
      const ScheduleResult r = RunSchedule(program.data(), program.size(), options);
      ASSERT_TRUE(r.ok()) << "program " << i << ": " << r.failure;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    PlantedBugs, MutationCheckTest,
    ::testing::Values(
        // Found by program 95, 143, 641 and 7 when written.
        Planted{PlantedBugForTesting::kHybridWithoutDeletionShade, BarrierKind::kHybrid, 3, 2048,
                400},
        Planted{PlantedBugForTesting::kDijkstraWithoutRescan, BarrierKind::kDijkstra, 6, 2048, 400},
        Planted{PlantedBugForTesting::kUnbarrieredRootDeletion, BarrierKind::kHybrid, 1, 2048,
                1500},
        Planted{PlantedBugForTesting::kYuasaStacksByHandshake, BarrierKind::kYuasa, 8, 2048, 100}),
    [](const ::testing::TestParamInfo<Planted>& info) {
      return std::string(PlantedBugName(info.param.bug));
    });

}  // namespace
}  // namespace gclab::fuzz
