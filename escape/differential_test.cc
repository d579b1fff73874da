// Bounded differential test: 150 random programs (3 go invocations of 50
// files), gclab's go analysis vs go 1.19. Disagreements are minimized and
// printed; the test requires >= 99% per-site agreement and no valid program
// rejected by gclab.
#include "escape/differential.h"

#include "escape/test_support.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

TEST(DifferentialTest, RandomProgramsAgreeWithGo) {
  DiffConfig cfg;
  cfg.go = test_support::GoTool();
  ASSERT_FALSE(cfg.go.empty()) << "the Go oracle (/usr/bin/go, go 1.19) is not installed";
  cfg.seed = 20261127;
  cfg.programs = 150;
  cfg.per_batch = 50;
  cfg.funcs_per_program = 4;
  cfg.workdir = test_support::ScratchDir("differential");
  cfg.max_minimize = 2;
  DiffReport r = RunDifferential(cfg);
  for (const std::string& s : r.reports) printf("%s\n", s.c_str());
  printf("differential: %d programs, %ld sites, %.3f%% agreement, %d disagreeing programs\n",
         r.programs, r.sites, r.Agreement(), r.disagreeing_programs);
  EXPECT_EQ(r.invalid, 0) << "the generator produced programs go rejects";
  EXPECT_EQ(r.gclab_rejected, 0);
  EXPECT_EQ(r.programs, 150);
  EXPECT_GT(r.sites, 1000);
  EXPECT_GE(r.Agreement(), 99.0);
}

TEST(DifferentialTest, SiteComparisonDetectsDisagreement) {
  std::string go = "a.go:3:2: moved to heap: x\na.go:4:9: leaking param: p to result ~r0 level=0\n";
  std::string same = go;
  std::string other = "a.go:4:9: leaking param: p\na.go:5:1: new(int) does not escape\n";
  SiteComparison c1 = CompareSites(go, same, "a.go");
  EXPECT_EQ(c1.sites, 2);
  EXPECT_EQ(c1.agree, 2);
  SiteComparison c2 = CompareSites(go, other, "a.go");
  EXPECT_EQ(c2.sites, 3);
  EXPECT_EQ(c2.agree, 0);
  EXPECT_EQ(c2.diffs.size(), 3u);
}

}  // namespace
}  // namespace gclab::escape
