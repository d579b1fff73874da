// The dynamic soundness check of the escape analysis catches unsound
// decisions: planted_unsound is planted.go with each scenario's escaping
// allocation site forced onto the stack under --escape=go (go_program's
// plant_stack_site). Run with the verifier on, every scenario must end with
// the escape check's report naming that scenario's site, and exit 2; the
// other analyses' decisions are untouched, so they run clean. (The same
// program unplanted runs clean in every mode: programs_test's `planted`.)
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "util/subprocess.h"

namespace gclab::gocompile {
namespace {

struct Scenario {
  const char* name;
  const char* site;  // the planted allocation site
  const char* what;  // how the report describes the violation
};

constexpr Scenario kScenarios[] = {
    {"global", "&T{...} allocated at gocompile/testdata/planted.go:23:11",
     "is stored into the heap or a global at gocompile/testdata/planted.go:23:2"},
    {"heap", "&T{...} allocated at gocompile/testdata/planted.go:29:8",
     "is stored into the heap or a global at gocompile/testdata/planted.go:29:3"},
    {"return", "&T{...} allocated at gocompile/testdata/planted.go:35:9",
     "outlived its frame: a pointer to it is used at gocompile/testdata/planted.go:86:14"},
    {"closure", "func literal allocated at gocompile/testdata/planted.go:41:9",
     "outlived its frame: a pointer to it is used at gocompile/testdata/planted.go:89:16"},
    {"channel", "&T{...} allocated at gocompile/testdata/planted.go:49:8",
     "is stored into the heap or a global at gocompile/testdata/planted.go:49:5"},
    {"slice", "make([]int, n) allocated at gocompile/testdata/planted.go:54:11",
     "outlived its frame: a pointer to it is used at gocompile/testdata/planted.go:97:32"},
    {"loop", "&T{...} allocated at gocompile/testdata/planted.go:66:8",
     "outlived its loop iteration"},
};

ProcessResult RunPlanted(const std::string& collector, const std::string& escape,
                         const char* scenario) {
  ProcessOptions o;
  o.argv = {"gocompile/testdata/planted_unsound",
            "--collector=" + collector,
            "--escape=" + escape,
            "--verify",
            "--",
            scenario};
  o.timeout = absl::Seconds(120);
  auto r = RunProcess(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ProcessResult{};
}

class PlantedTest : public testing::TestWithParam<std::string> {};

TEST_P(PlantedTest, EveryPlantedSiteIsReportedUnderGo) {
  for (const Scenario& s : kScenarios) {
    ProcessResult r = RunPlanted(GetParam(), "go", s.name);
    EXPECT_EQ(r.exit_code, 2) << s.name << ": " << r.Describe() << "\n" << r.stderr_text;
    const std::string want =
        absl::StrCat("gclab: escape check: stack object ", s.site, " ", s.what);
    EXPECT_TRUE(absl::StartsWith(r.stderr_text, want))
        << s.name << ": want a report starting with\n  " << want << "\ngot\n"
        << r.stderr_text;
    EXPECT_TRUE(
        absl::StrContains(r.stderr_text, "[--escape=go]\nfatal error: unsound escape decision\n"))
        << r.stderr_text;
  }
}

TEST_P(PlantedTest, OtherAnalysesAreNotPlanted) {
  for (const char* escape : {"all_heap", "intraprocedural"}) {
    for (const Scenario& s : kScenarios) {
      ProcessResult r = RunPlanted(GetParam(), escape, s.name);
      EXPECT_EQ(r.exit_code, 0) << escape << " " << s.name << ": " << r.stderr_text;
      EXPECT_EQ(r.stderr_text, "") << escape << " " << s.name;
      EXPECT_TRUE(absl::StartsWith(r.stdout_text, s.name)) << r.stdout_text;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Collectors, PlantedTest, testing::Values("marksweep", "concurrent"));

}  // namespace
}  // namespace gclab::gocompile
