// Oracle test: re-runs go 1.19 on every testdata program and checks that the
// checked-in .expected files are still exactly what Go prints. Requires go
// (CI installs golang-go); fails loudly if it is missing.
#include <filesystem>

#include "escape/test_util.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

TEST(OracleTest, ExpectationsAreGos) {
  std::string go = testing::GoTool();
  ASSERT_FALSE(go.empty()) << "the Go oracle (/usr/bin/go, go 1.19) is not installed; "
                              "install golang-go or set GCLAB_GO";
  std::vector<std::string> files = testing::TestdataGoFiles();
  ASSERT_FALSE(files.empty());
  for (const std::string& f : files) {
    std::filesystem::path p(f);
    int code = 0;
    std::string out = testing::RunGoCompile(std::filesystem::absolute(p.parent_path()).string(),
                                            p.filename().string(), &code);
    EXPECT_EQ(code, 0) << p.filename() << ": " << out;
    EXPECT_EQ(out, testing::ReadFileOrDie(f + ".expected"))
        << p.filename() << ": checked-in expectation is stale; run escape/tools/regen_expected.sh";
  }
}

}  // namespace
}  // namespace gclab::escape
