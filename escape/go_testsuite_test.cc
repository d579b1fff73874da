// Go 1.19's own escape-analysis test suite (test/escape*.go from Debian's
// golang-1.19-src), run through gcflags_m and scored with the rules of
// Go's test runner (errorcheck.h). Prints the per-file table and requires
// the score gclab reaches, so that a regression fails.
//
// Left out, because they test what gclab does not model (the last three are
// scored anyway and printed after the table, for information):
//   escape.go, escape3.go       "run" tests (executed, no diagnostics checked)
//   escape4.go                  compiled with inlining (-m without -l)
//   escape2n.go                 compiled with -N (no optimizations)
//   escape_runtime_atomic.go    compiles package runtime (-+, runtime-only rules)
#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "escape/errorcheck.h"
#include "escape/gcflags_m.h"
#include "gtest/gtest.h"
#include "util/files.h"

namespace gclab::escape {
namespace {

constexpr char kTestDir[] = "/usr/share/go-1.19/test/";

const char* const kFiles[] = {
    "escape2.go",
    "escape5.go",
    "escape_array.go",
    "escape_calls.go",
    "escape_closure.go",
    "escape_field.go",
    "escape_goto.go",
    "escape_hash_maphash.go",
    "escape_iface.go",
    "escape_indir.go",
    "escape_level.go",
    "escape_map.go",
    "escape_param.go",
    "escape_selfassign.go",
    "escape_slice.go",
    "escape_struct_param1.go",
    "escape_struct_param2.go",
    "escape_struct_return.go",
    "escape_sync_atomic.go",
    "escape_unsafe.go",
};

// The score gclab reaches (all of it): a floor, so a regression fails.
constexpr int kMinMatched = 1065;
constexpr int kMinCleanFiles = 20;

TEST(ErrorcheckTest, ScoresLikeGosTestRunner) {
  std::string src =
      "package p\n"
      "func f(p *int) { // ERROR \"leaking param: p$\"\n"
      "}\n"
      "func g() { // ERROR \"a\" \"b\"\n"
      "} //// ERROR \"disabled\"\n"
      "var x = 1 // ERROR \"LINE\"\n";
  std::vector<WantedError> want = WantedErrors("t.go", src);
  ASSERT_EQ(want.size(), 4u);
  EXPECT_EQ(want[3].regexp, "t.go:6");
  FileScore s = ScoreOutput("t.go", want,
                            "t.go:2:8: leaking param: p\n"
                            "t.go:4:6: a\n"
                            "t.go:4:9: b c\n"
                            "t.go:6:5: at t.go:6\n");
  EXPECT_EQ(s.matched, 4);
  EXPECT_TRUE(s.clean());
  // A message nobody wanted, and a pattern nothing matched ("$" anchors).
  s = ScoreOutput("t.go", want,
                  "t.go:2:8: leaking param: p to result ~r0 level=0\n"
                  "t.go:4:6: a\n"
                  "t.go:4:6: b\n"
                  "t.go:5:1: extra\n"
                  "t.go:6:5: at t.go:6\n");
  EXPECT_EQ(s.matched, 3);
  ASSERT_EQ(s.missing.size(), 1u);
  EXPECT_EQ(s.missing[0], "2: leaking param: p$");
  EXPECT_EQ(s.unmatched, (std::vector<std::string>{"t.go:5: extra",
                                                   "t.go:2: leaking param: p to result ~r0 "
                                                   "level=0"}));
  EXPECT_FALSE(s.clean());
  // "t.go:1" must not match diagnostics of line 10.
  s = ScoreOutput("t.go", {WantedError{1, "x"}}, "t.go:10:1: x\n");
  EXPECT_EQ(s.matched, 0);
  EXPECT_EQ(s.unmatched.size(), 1u);
  // Braces that are not repetitions are literal, as in RE2.
  EXPECT_EQ(GoRegexpToEcma("\\[\\]int{...} does{2}"), "\\[\\]int\\{...\\} does{2}");
}

// Scores one file; appends its row (and what is missing or extra) to `table`.
FileScore ScoreFile(const char* f, std::string* table) {
  absl::StatusOr<std::string> src = ReadFile(std::string(kTestDir) + f);
  EXPECT_TRUE(src.ok()) << src.status();
  if (!src.ok()) return FileScore{};
  GcflagsResult r = RunGcflagsM(f, *src, GcflagsOptions{});
  std::vector<WantedError> want = WantedErrors(f, *src);
  FileScore s = ScoreOutput(f, want, r.out);
  absl::StrAppend(table, absl::StrFormat("%-26s %4d/%4d %6d %5s\n", f, s.matched, s.patterns,
                                         s.unmatched.size(), s.clean() ? "yes" : "no"));
  for (const std::string& m : s.missing) absl::StrAppend(table, "    missing ", m, "\n");
  for (const std::string& u : s.unmatched) absl::StrAppend(table, "    extra   ", u, "\n");
  if (!r.err.empty()) absl::StrAppend(table, "    stderr  ", r.err);
  return s;
}

TEST(GoTestsuiteTest, EscapeTestsOfGo119) {
  ASSERT_EQ(access((std::string(kTestDir) + "escape2.go").c_str(), R_OK), 0)
      << kTestDir << "escape2.go is missing: install Debian's golang-1.19-src (tools/setup)";
  int patterns = 0, matched = 0, clean = 0;
  std::string table = absl::StrFormat("%-26s %9s %6s %5s\n", "file", "patterns", "extra", "clean");
  for (const char* f : kFiles) {
    FileScore s = ScoreFile(f, &table);
    patterns += s.patterns;
    matched += s.matched;
    clean += s.clean();
    // No file loses all its diagnostics to one construct.
    if (s.patterns > 0) {
      EXPECT_GT(s.diagnostics, 0) << f << ": no diagnostics";
    }
  }
  absl::StrAppend(&table,
                  absl::StrFormat("total %d/%d patterns (%.1f%%), %d/%zu files clean\n", matched,
                                  patterns, 100.0 * matched / patterns, clean, std::size(kFiles)));
  // For information only: the files left out, scored as if gclab were
  // compiling them with -m -l (their flags are not modelled).
  absl::StrAppend(&table, "not scored (flags gclab does not model):\n");
  for (const char* f : {"escape2n.go", "escape4.go", "escape_runtime_atomic.go"})
    ScoreFile(f, &table);
  printf("%s", table.c_str());
  EXPECT_EQ(patterns, 1065) << "the test files changed";
  EXPECT_GE(matched, kMinMatched);
  EXPECT_GE(clean, kMinCleanFiles);
}

}  // namespace
}  // namespace gclab::escape
