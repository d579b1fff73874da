// End-to-end test of the gcflags_m command: output format and exit codes.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "escape/test_util.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

std::string RunCli(const std::string& args, int* code) {
  std::string cmd = "escape/gcflags_m " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  *code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

TEST(GcflagsMTest, MatchesExpectedAndExitCodes) {
  int code = -1;
  std::string out = RunCli("-l escape/testdata/closures.go", &code);
  EXPECT_EQ(code, 0);
  // Paths are printed as given.
  std::string expected = testing::ReadFileOrDie("escape/testdata/closures.go.expected");
  std::string prefixed;
  size_t pos = 0;
  while (pos < expected.size()) {
    size_t nl = expected.find('\n', pos);
    prefixed += "escape/testdata/" + expected.substr(pos, nl - pos + 1);
    pos = nl + 1;
  }
  EXPECT_EQ(out, prefixed);

  std::string dir = testing::ScratchDir("cli");
  testing::WriteFileOrDie(dir + "/bad.go", "package p\nfunc f() {\n\treturn 1 +\n}\n");
  out = RunCli(dir + "/bad.go", &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("bad.go:4:1: syntax error"), std::string::npos) << out;

  testing::WriteFileOrDie(dir + "/unsup.go", "package p\nfunc f(p *int) {\n\tselect {}\n}\n");
  out = RunCli(dir + "/unsup.go", &code);
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("unsup.go:3:2: unsupported: select statement"), std::string::npos) << out;
  EXPECT_NE(out.find("unsup.go:2:8: leaking param: p"), std::string::npos) << out;

  out = RunCli("--analysis=nope " + dir + "/bad.go", &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("known: all_heap, intraprocedural, go"), std::string::npos) << out;

  out = RunCli("--sites --analysis=all_heap escape/testdata/basics.go", &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("summary\tescape/testdata/basics.go\tstack=0\theap="), std::string::npos)
      << out;

  out = RunCli("--explain=19 escape/testdata/basics.go", &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("basics.go:19:2: x escapes to heap:\n  flow: ~r0 = &x:\n"), std::string::npos)
      << out;
}

}  // namespace
}  // namespace gclab::escape
