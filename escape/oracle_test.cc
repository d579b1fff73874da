// Oracle test: re-runs go 1.19 on every testdata program and checks that the
// checked-in .expected files are still exactly what Go prints. Requires go
// (tools/setup installs golang-go); fails loudly if it is missing.
#include <filesystem>

#include "escape/test_support.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

TEST(OracleTest, ExpectationsAreGos) {
  ASSERT_FALSE(test_support::GoTool().empty())
      << "the Go oracle (/usr/bin/go, go 1.19) is not installed; install golang-go or set "
         "GCLAB_GO";
  std::vector<std::string> files = test_support::TestdataGoFiles();
  ASSERT_FALSE(files.empty());
  for (const std::string& f : files) {
    std::filesystem::path p(f);
    absl::StatusOr<ProcessResult> r = test_support::RunGoCompile(
        std::filesystem::absolute(p.parent_path()).string(), {p.filename().string()});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_code, 0) << p.filename() << ": " << r->stdout_text << r->stderr_text;
    EXPECT_EQ(r->stdout_text + r->stderr_text, test_support::ReadFileOrDie(f + ".expected"))
        << p.filename() << ": checked-in expectation is stale; run escape/tools/regen_expected.sh";
  }
}

}  // namespace
}  // namespace gclab::escape
