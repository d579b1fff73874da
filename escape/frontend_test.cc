// Lexer/parser/type checker error handling: bad input gives a positioned
// "file:line:col: message", never a crash; unsupported constructs are
// reported and analysed conservatively.
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/lexer.h"
#include "escape/test_util.h"
#include "escape/typecheck.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

std::string Err(const std::string& src) {
  Program prog;
  absl::Status st = LoadProgram("t.go", src, &prog);
  return st.ok() ? "" : std::string(st.message());
}

TEST(LexerTest, TokensAndSemicolons) {
  auto toks = Lex("t.go", "package p\nvar x = 1 // c\n");
  ASSERT_TRUE(toks.ok());
  std::vector<std::string> texts;
  for (const Token& t : *toks) texts.push_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"package", "p", ";", "var", "x", "=", "1", ";", ""}));
  EXPECT_EQ((*toks)[4].pos.line, 2);
  EXPECT_EQ((*toks)[4].pos.col, 5);
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(Lex("t.go", "package p\nvar s = \"abc\n").status().message(),
            "t.go:2:9: string literal not terminated");
  EXPECT_EQ(Lex("t.go", "package p\n/* x").status().message(), "t.go:2:1: comment not terminated");
  EXPECT_TRUE(absl::StartsWith(Lex("t.go", "package p\nvar x = 1 @ 2").status().message(),
                               "t.go:2:11: invalid character"));
}

TEST(ParserTest, SyntaxErrors) {
  EXPECT_EQ(Err("package p\nfunc f() {\n\tx := \n}\n"),
            "t.go:4:1: syntax error: unexpected }, expecting expression");
  EXPECT_EQ(Err("package p\nfunc f( {}\n"), "t.go:2:9: syntax error: unexpected {, expecting type");
  EXPECT_EQ(Err("package p\nx := 1\n"),
            "t.go:2:1: syntax error: non-declaration statement outside function body");
  EXPECT_EQ(Err("func f() {}"),
            "t.go:1:1: syntax error: unexpected keyword func, expecting package");
}

TEST(TypecheckTest, TypeErrors) {
  EXPECT_EQ(Err("package p\nfunc f() int {\n\treturn y\n}\n"), "t.go:3:9: undefined: y");
  EXPECT_EQ(Err("package p\nfunc f() {\n\tx := 1\n}\n"), "t.go:3:2: x declared but not used");
  EXPECT_EQ(
      Err("package p\nfunc f() int {\n\tvar s string = 1\n\t_ = s\n\treturn 0\n}\n"),
      "t.go:3:17: cannot use 1 (untyped int constant) as string value in variable declaration");
  EXPECT_EQ(Err("package p\nfunc f() int {\n}\n"), "t.go:3:1: missing return");
  EXPECT_EQ(Err("package p\nimport \"fmt\"\n"), "t.go:2:8: \"fmt\" imported and not used");
  EXPECT_EQ(Err("package p\ntype T struct{}\nfunc f(t T) { t.x = 1 }\n"),
            "t.go:3:16: t.x undefined (type T has no field or method x)");
}

TEST(TypecheckTest, UnsupportedIsReportedAndConservative) {
  Program prog;
  absl::Status st = LoadProgram("t.go",
                                "package p\n"
                                "func f(p *int) {\n"
                                "\tch := make(chan int)\n"
                                "\t_ = ch\n"
                                "}\n"
                                "func g(q *int) *int { return q }\n",
                                &prog);
  ASSERT_TRUE(st.ok()) << st;
  ASSERT_EQ(prog.unsupported.size(), 1u);
  EXPECT_EQ(prog.unsupported[0], "t.go:3:13: unsupported: channel type");
  auto an = MakeEscapeAnalysis("go");
  ASSERT_TRUE(an.ok());
  AnalysisResult r = (*an)->Analyze(prog, {});
  EXPECT_FALSE(r.fully_supported);
  std::string out = FormatDiagnostics("t.go", r.diags);
  // f is conservative (p leaks), g is still analysed precisely.
  EXPECT_NE(out.find("t.go:2:8: leaking param: p\n"), std::string::npos) << out;
  EXPECT_NE(out.find("t.go:6:8: leaking param: q to result ~r0 level=0\n"), std::string::npos)
      << out;
}

TEST(TypecheckTest, UnsupportedImport) {
  Program prog;
  ASSERT_TRUE(
      LoadProgram("t.go", "package p\nimport \"os\"\nfunc f() { os.Exit(1) }\n", &prog).ok());
  ASSERT_GE(prog.unsupported.size(), 1u);
  EXPECT_EQ(prog.unsupported[0], "t.go:2:8: unsupported: import \"os\"");
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
  // Per testdata program: heap(all_heap) >= heap(intraprocedural) and the
  // site lists of all analyses cover the same allocation expressions.
  for (const std::string& f : testing::TestdataGoFiles()) {
    Program prog;
    ASSERT_TRUE(LoadProgram(f, testing::ReadFileOrDie(f), &prog).ok()) << f;
    auto all = (*MakeEscapeAnalysis("all_heap"))->Analyze(prog, {});
    auto intra = (*MakeEscapeAnalysis("intraprocedural"))->Analyze(prog, {});
    auto go = (*MakeEscapeAnalysis("go"))->Analyze(prog, {});
    EXPECT_EQ(all.stack_sites, 0) << f;
    EXPECT_GE(all.heap_sites, intra.heap_sites) << f;
    EXPECT_EQ(all.sites.size(), intra.sites.size()) << f;
    EXPECT_GT(go.stack_sites + go.heap_sites, 0) << f;
    EXPECT_EQ(go.sites.size(), all.sites.size()) << f;
    EXPECT_LE(go.heap_sites, intra.heap_sites) << f;
    // Soundness of the baseline: whatever Go puts on the heap, the
    // intraprocedural analysis does too (for expression sites).
    for (const AllocSite& g : go.sites) {
      if (g.decision != Decision::kHeap || g.kind == SiteKind::kVariable) continue;
      for (const AllocSite& s : intra.sites) {
        if (s.line == g.line && s.col == g.col && s.what == g.what) {
          EXPECT_EQ(s.decision, Decision::kHeap)
              << f << ":" << g.line << ":" << g.col << " " << g.what;
        }
      }
    }
  }
}

// Fuzz-ish robustness: truncations and byte mutations of every testdata
// program must give either success or a positioned error, never a crash.
TEST(FuzzTest, TruncatedAndMutatedInputsNeverCrash) {
  std::mt19937 rng(7);
  const std::string kBytes = "{}()[];,.:=+-*&!\"'`/\n\t x0";
  int errors = 0, total = 0;
  for (const std::string& f : testing::TestdataGoFiles()) {
    std::string src = testing::ReadFileOrDie(f);
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
      if (st.ok()) {
        for (const std::string& name : EscapeAnalysisNames())
          (void)(*MakeEscapeAnalysis(name))->Analyze(prog, {});
        continue;
      }
      ++errors;
      std::string msg(st.message());
      ASSERT_TRUE(absl::StartsWith(msg, "fz.go:")) << msg;
      int line = 0, col = 0;
      ASSERT_EQ(sscanf(msg.c_str(), "fz.go:%d:%d:", &line, &col), 2) << msg;
      EXPECT_GT(line, 0) << msg;
      EXPECT_GT(col, 0) << msg;
    }
  }
  printf("fuzz: %d variants, %d rejected with positioned errors\n", total, errors);
  EXPECT_GT(errors, total / 2);
}

TEST(FuzzTest, DeepNestingIsAnError) {
  std::string src =
      "package p\nvar x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  std::string e = Err(src);
  EXPECT_TRUE(absl::StartsWith(e, "t.go:2:")) << e;
}

}  // namespace
}  // namespace gclab::escape
