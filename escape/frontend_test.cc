// Lexer/parser/type checker: positioned errors, errors confined to one
// function, unsupported constructs handled conservatively, never a crash.
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/lexer.h"
#include "escape/test_support.h"
#include "escape/typecheck.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

// The file-level error, or the first error confined to a declaration.
std::string Err(const std::string& src) {
  Program prog;
  absl::Status st = LoadProgram("t.go", src, &prog);
  if (!st.ok()) return std::string(st.message());
  return prog.errors.empty() ? "" : prog.errors[0];
}

std::string Diags(const std::string& src, Program* prog) {
  absl::Status st = LoadProgram("t.go", src, prog);
  EXPECT_TRUE(st.ok()) << st;
  auto an = MakeEscapeAnalysis("go");
  return FormatDiagnostics("t.go", (*an)->Analyze(*prog, {}).diags);
}

TEST(LexerTest, TokensAndSemicolons) {
  auto lex = Lex("t.go", "package p\nvar x = 1 // c\n");
  ASSERT_TRUE(lex.ok());
  std::vector<std::string> texts;
  for (const Token& t : lex->tokens) texts.push_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"package", "p", ";", "var", "x", "=", "1", ";", ""}));
  EXPECT_EQ(lex->tokens[4].pos.line, 2);
  EXPECT_EQ(lex->tokens[4].pos.col, 5);
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(Lex("t.go", "package p\nvar s = \"abc\n").status().message(),
            "t.go:2:9: string literal not terminated");
  EXPECT_EQ(Lex("t.go", "package p\n/* x").status().message(), "t.go:2:1: comment not terminated");
  EXPECT_EQ(Lex("t.go", "package p\nvar x = 1 @ 2").status().message(),
            "t.go:2:11: invalid character U+0040 '@'");
  EXPECT_EQ(Lex("t.go", std::string("package p\nvar x = 1\0", 20)).status().message(),
            "t.go:2:10: invalid NUL character");
  EXPECT_EQ(Lex("t.go", "package p\nvar \xff = 1").status().message(),
            "t.go:2:5: invalid UTF-8 encoding");
  EXPECT_EQ(Lex("t.go", "package p\nvar x = 0b102").status().message(),
            "t.go:2:9: invalid digit '2' in binary literal");
}

TEST(LexerTest, UnicodeIdentifiersAndLiterals) {
  auto lex = Lex("t.go", "package p\nvar café, ñ = 0o17 + 0b101, 0x1p-2 + 3i\n");
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_EQ(lex->tokens[4].text, "café");
  EXPECT_EQ(lex->tokens[4].kind, TokKind::kIdent);
  EXPECT_EQ(lex->tokens[6].text, "ñ");
  // Columns are byte columns: "café" is 5 bytes.
  EXPECT_EQ(lex->tokens[5].pos.col, 10);
}

TEST(ParserTest, SyntaxErrors) {
  EXPECT_EQ(Err("package p\nx := 1\n"),
            "t.go:2:1: syntax error: non-declaration statement outside function body");
  EXPECT_EQ(Err("func f() {}"),
            "t.go:1:1: syntax error: unexpected keyword func, expecting package");
  EXPECT_EQ(Err("package p\nfunc f( {}\n"), "t.go:2:9: syntax error: unexpected {, expecting type");
}

TEST(ParserTest, SyntaxErrorInABodyIsConfinedToItsFunction) {
  Program prog;
  std::string out = Diags(
      "package p\n"
      "func f(p *int) {\n"
      "\tx := \n"
      "}\n"
      "func g(q *int) *int { return q }\n",
      &prog);
  ASSERT_EQ(prog.errors.size(), 1u);
  EXPECT_EQ(prog.errors[0], "t.go:4:1: syntax error: unexpected }, expecting expression");
  EXPECT_EQ(out,
            "t.go:2:8: leaking param: p\n"
            "t.go:5:8: leaking param: q to result ~r0 level=0\n");
}

TEST(TypecheckTest, TypeErrorsArePositioned) {
  EXPECT_EQ(Err("package p\nfunc f() int {\n\treturn y\n}\n"), "t.go:3:9: undefined: y");
  EXPECT_EQ(Err("package p\nfunc f() {\n\tx := 1\n}\n"), "t.go:3:2: x declared but not used");
  EXPECT_EQ(
      Err("package p\nfunc f() int {\n\tvar s string = 1\n\t_ = s\n\treturn 0\n}\n"),
      "t.go:3:17: cannot use 1 (untyped int constant) as string value in variable declaration");
  EXPECT_EQ(Err("package p\nfunc f() int {\n}\n"), "t.go:3:1: missing return");
  EXPECT_EQ(Err("package p\nimport \"fmt\"\n"), "t.go:2:8: \"fmt\" imported and not used");
  EXPECT_EQ(Err("package p\ntype T struct{}\nfunc f(t T) { t.x = 1 }\n"),
            "t.go:3:16: t.x undefined (type T has no field or method x)");
  EXPECT_EQ(Err("package p\ntype T [2]T\n"), "t.go:2:6: invalid recursive type T");
}

TEST(TypecheckTest, UnsupportedIsReportedAndConservative) {
  Program prog;
  std::string out = Diags(
      "package p\n"
      "import \"net/http\"\n"
      "func f(p *int) {\n"
      "\t_, _ = http.Get(\"u\")\n"
      "}\n"
      "func g(q *int) *int { return q }\n",
      &prog);
  ASSERT_EQ(prog.unsupported.size(), 2u);
  EXPECT_EQ(prog.unsupported[0], "t.go:2:8: unsupported: import \"net/http\"");
  EXPECT_TRUE(absl::StartsWith(prog.unsupported[1], "t.go:4:13: unsupported: net/http.Get"))
      << prog.unsupported[1];
  // f is conservative (p leaks), g is still analysed precisely.
  EXPECT_EQ(out,
            "t.go:3:8: leaking param: p\n"
            "t.go:6:8: leaking param: q to result ~r0 level=0\n");
}

TEST(TypecheckTest, TypesOfUnmodelledPackagesAreOpaque) {
  // Values of http.ResponseWriter can be passed, stored and returned
  // (analysed like go does); only selecting into them is unsupported, and
  // only in the function that does it.
  Program prog;
  std::string out = Diags(
      "package p\n"
      "import \"net/http\"\n"
      "type H struct{ w http.ResponseWriter }\n"
      "func a(w http.ResponseWriter) { _ = w }\n"
      "func b(w http.ResponseWriter) H { return H{w: w} }\n"
      "func c(r *http.Request) { _ = r.URL }\n",
      &prog);
  EXPECT_TRUE(prog.errors.empty()) << prog.errors[0];
  ASSERT_EQ(prog.unsupported.size(), 2u);
  EXPECT_EQ(prog.unsupported[1],
            "t.go:6:32: unsupported: r.URL (http.Request is a type of a package gclab does not "
            "model)");
  EXPECT_EQ(out,
            "t.go:4:8: w does not escape\n"
            "t.go:5:8: leaking param: w to result ~r0 level=0\n"
            "t.go:6:8: leaking param: r\n");
}

TEST(TypecheckTest, DotImportsOfModelledPackages) {
  Program prog;
  std::string out = Diags(
      "package p\n"
      "import . \"strings\"\n"
      "func f(s string) bool { return Contains(s, \"x\") }\n",
      &prog);
  EXPECT_TRUE(prog.errors.empty() && prog.unsupported.empty());
  EXPECT_EQ(out, "t.go:3:8: s does not escape\n");
  EXPECT_EQ(Err("package p\nimport . \"fmt\"\nfunc Println() {}\n"),
            "t.go:3:6: Println redeclared in this block");
}

TEST(AnalysisRegistryTest, KnownAndUnknown) {
  for (const std::string& n : EscapeAnalysisNames()) {
    auto a = MakeEscapeAnalysis(n);
    ASSERT_TRUE(a.ok()) << n;
    EXPECT_EQ((*a)->Name(), n);
  }
  auto bad = MakeEscapeAnalysis("nope");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown escape analysis \"nope\"; known: all_heap, intraprocedural, go");
}

TEST(AnalysisTest, BaselinesAreOrdered) {
  // Per testdata program: the analyses report the same sites; all_heap puts
  // all of them on the heap; whatever go puts on the heap, intraprocedural
  // does too.
  int go_stack = 0;
  for (const std::string& f : test_support::TestdataGoFiles()) {
    Program prog;
    ASSERT_TRUE(LoadProgram(f, test_support::ReadFileOrDie(f), &prog).ok()) << f;
    auto all = (*MakeEscapeAnalysis("all_heap"))->Analyze(prog, {});
    auto intra = (*MakeEscapeAnalysis("intraprocedural"))->Analyze(prog, {});
    auto go = (*MakeEscapeAnalysis("go"))->Analyze(prog, {});
    EXPECT_EQ(all.stack_sites, 0) << f;
    ASSERT_EQ(all.sites.size(), intra.sites.size()) << f;
    ASSERT_EQ(go.sites.size(), all.sites.size()) << f;
    go_stack += go.stack_sites;
    for (size_t i = 0; i < go.sites.size(); ++i) {
      EXPECT_EQ(go.sites[i].node, intra.sites[i].node) << f;
      EXPECT_EQ(go.sites[i].var, intra.sites[i].var) << f;
      if (go.sites[i].decision == Decision::kHeap)
        EXPECT_EQ(intra.sites[i].decision, Decision::kHeap)
            << f << ":" << go.sites[i].line << ":" << go.sites[i].col << " " << go.sites[i].what;
    }
  }
  EXPECT_GT(go_stack, 20);
}

// Robustness: truncations and byte mutations of every testdata program
// give either success or positioned errors, never a crash.
TEST(FuzzTest, TruncatedAndMutatedInputsNeverCrash) {
  std::mt19937 rng(7);
  const std::string kBytes = "{}()[];,.:=+-*&!\"'`/\n\t x0";
  int errors = 0, total = 0;
  for (const std::string& f : test_support::TestdataGoFiles()) {
    std::string src = test_support::ReadFileOrDie(f);
    std::vector<std::string> variants;
    for (int i = 0; i < 40; ++i) variants.push_back(src.substr(0, rng() % (src.size() + 1)));
    for (int i = 0; i < 60; ++i) {
      std::string m = src;
      int edits = 1 + rng() % 3;
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % m.size();
        switch (rng() % 3) {
          case 0:
            m[at] = kBytes[rng() % kBytes.size()];
            break;
          case 1:
            m.erase(at, 1 + rng() % 5);
            break;
          default:
            m.insert(at, 1, kBytes[rng() % kBytes.size()]);
        }
      }
      variants.push_back(m);
    }
    for (const std::string& v : variants) {
      ++total;
      Program prog;
      absl::Status st = LoadProgram("fz.go", v, &prog);
      std::vector<std::string> msgs = prog.errors;
      if (st.ok()) {
        for (const std::string& name : EscapeAnalysisNames())
          (void)(*MakeEscapeAnalysis(name))->Analyze(prog, {});
      } else {
        msgs.push_back(std::string(st.message()));
      }
      if (!msgs.empty()) ++errors;
      for (const std::string& msg : msgs) {
        int line = 0, col = 0;
        ASSERT_EQ(sscanf(msg.c_str(), "fz.go:%d:%d:", &line, &col), 2) << msg;
        EXPECT_GT(line, 0) << msg;
        EXPECT_GT(col, 0) << msg;
      }
    }
  }
  printf("fuzz: %d variants, %d with positioned errors\n", total, errors);
  EXPECT_GT(errors, total / 2);
}

}  // namespace
}  // namespace gclab::escape
