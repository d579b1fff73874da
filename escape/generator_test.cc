#include "escape/generator.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escape/typecheck.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

// The front end's errors for a rendered program ("" if none).
std::string Errors(const std::string& src) {
  Program prog;
  absl::Status st = LoadProgram("gen.go", src, &prog);
  std::string out = st.ok() ? "" : std::string(st.message());
  for (const std::string& e : prog.errors) absl::StrAppend(&out, e, "\n");
  for (const std::string& e : prog.unsupported) absl::StrAppend(&out, e, "\n");
  return out;
}

TEST(GeneratorTest, CoversTheLanguageOfIssue10) {
  std::string all;
  for (int i = 0; i < 200; ++i) {
    ProgramGenerator gen(1000 + i);
    all += gen.Generate(absl::StrCat("p", i), 4).Render("p");
  }
  for (const char* construct :
       {"make(chan *int", " <- ",        "= <-",           ", ok := <-",
        "close(",         "select {",    "range ch",       "make(chan chan *int)",
        "_gid[*",         "_gid(",       "_Box[*int]{",    "unsafe.Pointer(",
        "uintptr(",       "(*int)(up",   ").M(",           "_V.M\n",
        "type L",         "complex(",    "imag(",          "_second(",
        "fmt.Println(p",  "struct {\n",  "continue Outer", "break Outer",
        "goto L",         "== nil && fn"})
    EXPECT_TRUE(absl::StrContains(all, construct)) << "never generated: " << construct;
}

TEST(GeneratorTest, ProgramsAreValidForTheFrontEnd) {
  for (int i = 0; i < 100; ++i) {
    ProgramGenerator gen(5000 + i);
    std::string src = gen.Generate("q", 4).Render("p");
    ASSERT_EQ(Errors(src), "") << src;
  }
}

TEST(GeneratorTest, RemovingStatementsKeepsProgramsValid) {
  // Removal cascades to every statement that uses what was removed: each
  // intermediate program of a minimization must still compile.
  for (int i = 0; i < 20; ++i) {
    ProgramGenerator gen(7000 + i);
    GenProgram prog = gen.Generate("r", 4);
    int before = prog.LiveStatements();
    for (int fi = 0; fi < static_cast<int>(prog.funcs.size()); ++fi) {
      std::vector<std::vector<int>> paths = StatementPaths(prog, fi);
      for (size_t k = 0; k < paths.size(); k += 3) {
        GenProgram cand = prog;
        if (!RemoveStatement(&cand, fi, paths[k])) continue;
        ASSERT_EQ(Errors(cand.Render("p")), "") << cand.Render("p");
      }
    }
    GenProgram cand = prog;
    RemoveFunction(&cand, 0);
    ASSERT_EQ(Errors(cand.Render("p")), "") << cand.Render("p");
    EXPECT_LT(cand.LiveStatements(), before);
  }
}

}  // namespace
}  // namespace gclab::escape
