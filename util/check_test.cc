#include "util/check.h"

#include "gtest/gtest.h"

namespace gclab {
namespace {

TEST(CheckDeathTest, FailureNamesTheConditionThePlaceAndTheMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const int cells = 3;
  EXPECT_DEATH(GCLAB_CHECK(cells == 4, "have %d cells", cells),
               "check_test.cc:[0-9]+: CHECK failed: cells == 4: have 3 cells");
  EXPECT_DEATH(GCLAB_CHECK(cells > 5), "CHECK failed: cells > 5");
}

TEST(CheckTest, PassingChecksEvaluateTheConditionOnce) {
  int evaluations = 0;
  GCLAB_CHECK(++evaluations == 1, "evaluated %d times", evaluations);
  EXPECT_EQ(evaluations, 1);
}

#ifdef NDEBUG
TEST(CheckTest, DcheckIsCompiledOutWithNdebug) {
  int evaluations = 0;
  GCLAB_DCHECK(++evaluations == 100);
  EXPECT_EQ(evaluations, 0);
}
#else
TEST(CheckDeathTest, DcheckFailsInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(GCLAB_DCHECK(1 + 1 == 3), "CHECK failed: 1 \\+ 1 == 3");
}
#endif

}  // namespace
}  // namespace gclab
