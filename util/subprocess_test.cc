#include "util/subprocess.h"

#include <csignal>

#include "gtest/gtest.h"

namespace gclab {
namespace {

ProcessResult RunChild(std::vector<std::string> argv, ProcessOptions o = {}) {
  o.argv = std::move(argv);
  absl::StatusOr<ProcessResult> r = RunProcess(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ProcessResult{};
}

TEST(RunProcessTest, CapturesBothStreamsAndTheExitCode) {
  ProcessResult r = RunChild({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stdout_text, "out\n");
  EXPECT_EQ(r.stderr_text, "err\n");
  EXPECT_FALSE(r.Succeeded());
  EXPECT_EQ(r.Describe(), "exit 3");
}

TEST(RunProcessTest, ArgumentsArePassedWithoutAShell) {
  ProcessResult r = RunChild({"printf", "%s|", "a b", "$HOME", "'q'"});
  EXPECT_EQ(r.stdout_text, "a b|$HOME|'q'|");
}

TEST(RunProcessTest, FeedsStdinLargerThanAPipeBuffer) {
  ProcessOptions o;
  o.stdin_data = std::string(1 << 20, 'x');
  ProcessResult r = RunChild({"wc", "-c"}, o);
  EXPECT_EQ(r.stdout_text, "1048576\n");
}

TEST(RunProcessTest, EnvironmentOverridesAndWorkingDirectory) {
  ProcessOptions o;
  o.env = {"GCLAB_SUBPROCESS_TEST=yes", "HOME=/nonexistent"};
  o.working_dir = "/";
  ProcessResult r = RunChild({"sh", "-c", "echo $GCLAB_SUBPROCESS_TEST $HOME; pwd"}, o);
  EXPECT_EQ(r.stdout_text, "yes /nonexistent\n/\n");
}

TEST(RunProcessTest, ReportsTheSignalThatKilledTheChild) {
  ProcessResult r = RunChild({"sh", "-c", "kill -SEGV $$"});
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.term_signal, SIGSEGV);
  EXPECT_NE(r.Describe().find("signal 11"), std::string::npos) << r.Describe();
}

TEST(RunProcessTest, TimeoutKillsTheWholeProcessGroup) {
  ProcessOptions o;
  o.timeout = absl::Milliseconds(200);
  // The child closes its output and waits on a grandchild: both must die.
  ProcessResult r = RunChild({"sh", "-c", "exec >/dev/null 2>&1; sleep 30 & wait"}, o);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.wall_s, 20);
}

TEST(RunProcessTest, MissingProgramIsAnErrorNotAResult) {
  ProcessOptions o;
  o.argv = {"gclab-no-such-program"};
  absl::StatusOr<ProcessResult> r = RunProcess(o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("gclab-no-such-program"), absl::string_view::npos);
}

TEST(RunProcessTest, MeasuresPeakRssOfTheChild) {
  // 64 MiB touched by the child must show up in its maximum RSS.
  ProcessResult r = RunChild({"dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"});
  ASSERT_TRUE(r.Succeeded()) << r.stderr_text;
  EXPECT_GE(r.max_rss_bytes, uint64_t{64} << 20);
}

}  // namespace
}  // namespace gclab
