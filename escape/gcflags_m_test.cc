// End-to-end test of the gcflags_m command: output format, flags and exit
// codes, paths as given and relative to BUILD_WORKING_DIRECTORY.
#include <string>

#include "escape/test_support.h"
#include "gtest/gtest.h"
#include "util/subprocess.h"

namespace gclab::escape {
namespace {

ProcessResult RunCli(std::vector<std::string> args, std::vector<std::string> env = {}) {
  ProcessOptions o;
  o.argv = {"escape/gcflags_m"};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.env = std::move(env);
  absl::StatusOr<ProcessResult> r = RunProcess(o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ProcessResult{};
}

std::string Prefixed(const std::string& prefix, const std::string& expected) {
  std::string out;
  size_t pos = 0;
  while (pos < expected.size()) {
    size_t nl = expected.find('\n', pos);
    out += prefix + expected.substr(pos, nl - pos + 1);
    pos = nl + 1;
  }
  return out;
}

TEST(GcflagsMTest, OutputEqualsExpectationWithPathsAsGiven) {
  ProcessResult r = RunCli({"-l", "escape/testdata/closures.go"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text,
            Prefixed("escape/testdata/",
                     test_support::ReadFileOrDie("escape/testdata/closures.go.expected")));
  EXPECT_EQ(r.stderr_text, "");
}

TEST(GcflagsMTest, RelativePathsResolveAgainstBuildWorkingDirectory) {
  std::string dir = test_support::ScratchDir("cli_wd");
  test_support::WriteFileOrDie(dir + "/w.go", "package p\nfunc f(p *int) *int { return p }\n");
  ProcessResult r = RunCli({"w.go"}, {"BUILD_WORKING_DIRECTORY=" + dir});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "w.go:2:8: leaking param: p to result ~r0 level=0\n");
}

TEST(GcflagsMTest, ExitCodes) {
  std::string dir = test_support::ScratchDir("cli");
  test_support::WriteFileOrDie(dir + "/bad.go", "package p\nfunc f() {\n\treturn 1 +\n}\n");
  ProcessResult r = RunCli({dir + "/bad.go"});
  EXPECT_EQ(r.exit_code, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("bad.go:4:1: syntax error"), std::string::npos) << r.stderr_text;

  // An unsupported import: the function using it is conservative (its
  // parameter leaks), the others exact; exit status 3.
  test_support::WriteFileOrDie(dir + "/unsup.go",
                               "package p\nimport \"net/http\"\n"
                               "func f(p *int) { http.Get(\"x\") }\n"
                               "func g(q *int) *int { return q }\n");
  r = RunCli({dir + "/unsup.go"});
  EXPECT_EQ(r.exit_code, 3) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("unsup.go:2:8: unsupported: import \"net/http\""), std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("unsup.go:3:8: leaking param: p\n"), std::string::npos)
      << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("unsup.go:4:8: leaking param: q to result ~r0 level=0\n"),
            std::string::npos)
      << r.stdout_text;

  r = RunCli({"--analysis=nope", dir + "/bad.go"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("known: all_heap, intraprocedural, go"), std::string::npos)
      << r.stderr_text;

  r = RunCli({"--no_such_flag", dir + "/bad.go"});
  EXPECT_EQ(r.exit_code, 1) << r.stderr_text;

  r = RunCli({dir + "/missing.go"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("missing.go"), std::string::npos) << r.stderr_text;
}

TEST(GcflagsMTest, SitesAndExplain) {
  ProcessResult r = RunCli({"--sites", "--analysis=all_heap", "escape/testdata/basics.go"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.stdout_text.find("summary\tescape/testdata/basics.go\tstack=0\theap="),
            std::string::npos)
      << r.stdout_text;
  r = RunCli({"--explain=19", "escape/testdata/basics.go"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.stdout_text.find("basics.go:19:2: x escapes to heap:\n  flow: ~r0 = &x:\n"),
            std::string::npos)
      << r.stdout_text;
}

}  // namespace
}  // namespace gclab::escape
