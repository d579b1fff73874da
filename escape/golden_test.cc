// Golden test: gclab's -m output must equal go 1.19's checked-in output for
// every program in escape/testdata (regenerate with tools/regen_expected.sh).
#include <filesystem>

#include "escape/test_support.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

TEST(GoldenTest, AllTestdataMatchesGo) {
  std::vector<std::string> files = test_support::TestdataGoFiles();
  ASSERT_GE(files.size(), 10u) << "testdata missing";
  int matched = 0;
  for (const std::string& f : files) {
    std::string base = std::filesystem::path(f).filename().string();
    std::string expected = test_support::ReadFileOrDie(f + ".expected");
    bool ok = false;
    std::string got = test_support::RunGclab(base, test_support::ReadFileOrDie(f), &ok);
    EXPECT_TRUE(ok) << base << ": " << got;
    EXPECT_EQ(got, expected) << "diagnostics differ for " << base;
    if (ok && got == expected) ++matched;
  }
  printf("golden: %d/%zu testdata programs match go 1.19 exactly\n", matched, files.size());
}

}  // namespace
}  // namespace gclab::escape
