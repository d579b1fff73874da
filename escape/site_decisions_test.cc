#include "escape/site_decisions.h"

#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "escape/test_support.h"
#include "escape/typecheck.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

using test_support::ReadFileOrDie;
using test_support::TestdataGoFiles;

std::string Base(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::unique_ptr<Program> Load(const std::string& path) {
  auto prog = std::make_unique<Program>();
  absl::Status st = LoadProgram(Base(path), ReadFileOrDie(path), prog.get());
  EXPECT_TRUE(st.ok()) << path << ": " << st;
  EXPECT_TRUE(prog->errors.empty() && prog->unsupported.empty()) << path;
  return prog;
}

// go 1.19's -m output for a testdata file (its .expected): line, col, message.
std::set<std::tuple<int, int, std::string>> GoDiagnostics(const std::string& path) {
  std::set<std::tuple<int, int, std::string>> out;
  for (absl::string_view line : absl::StrSplit(ReadFileOrDie(path + ".expected"), '\n')) {
    std::vector<absl::string_view> p = absl::StrSplit(line, absl::MaxSplits(':', 3));
    int l = 0, c = 0;
    if (p.size() != 4 || !absl::SimpleAtoi(p[1], &l) || !absl::SimpleAtoi(p[2], &c)) continue;
    out.emplace(l, c, std::string(absl::StripPrefix(p[3], " ")));
  }
  return out;
}

std::string Describe(const SiteDecision& s) {
  return absl::StrCat(s.pos.line, ":", s.pos.col, " ", SiteKindName(s.kind), " ", s.what);
}

TEST(SiteDecisionsTest, AllHeapNeverAllocatesOnTheStack) {
  int sites = 0;
  for (const std::string& path : TestdataGoFiles()) {
    auto prog = Load(path);
    SiteDecisions d = AnalyzeAll(*prog);
    for (const SiteDecision& s : d.sites()) {
      ++sites;
      EXPECT_EQ(s.Get(AnalysisId::kAllHeap), Decision::kHeap) << path << ":" << Describe(s);
    }
  }
  EXPECT_GT(sites, 200);
}

// The go analysis' decision of every site is what go 1.19 printed for it
// (testdata/*.expected come from the real compiler), and every escape
// message go printed for an expression or variable is a site.
TEST(SiteDecisionsTest, GoDecisionsAreGoCompilersOutput) {
  int stack = 0, heap = 0;
  for (const std::string& path : TestdataGoFiles()) {
    auto prog = Load(path);
    SiteDecisions d = AnalyzeAll(*prog);
    auto diags = GoDiagnostics(path);
    std::set<std::pair<int, int>> site_pos;
    for (const SiteDecision& s : d.sites()) {
      site_pos.emplace(s.pos.line, s.pos.col);
      bool heap_site = s.Get(AnalysisId::kGo) == Decision::kHeap;
      (heap_site ? heap : stack)++;
      if (AlwaysHeap(s.kind)) {
        EXPECT_TRUE(heap_site) << path << ":" << Describe(s);
        continue;
      }
      if (s.var != nullptr) {
        bool moved = diags.count({s.pos.line, s.pos.col, "moved to heap: " + s.what}) > 0;
        EXPECT_EQ(heap_site, moved) << path << ":" << Describe(s);
        continue;
      }
      std::string msg = s.what + (heap_site ? " escapes to heap" : " does not escape");
      EXPECT_TRUE(diags.count({s.pos.line, s.pos.col, msg}) > 0)
          << path << ":" << s.pos.line << ":" << s.pos.col << ": go printed no \"" << msg << "\"";
    }
    // Parameters (of closures too) print "p does not escape"; they are not
    // sites.
    std::set<std::pair<int, int>> param_pos;
    std::vector<const Func*> fns(prog->funcs.begin(), prog->funcs.end());
    while (!fns.empty()) {
      const Func* f = fns.back();
      fns.pop_back();
      fns.insert(fns.end(), f->closures.begin(), f->closures.end());
      for (const Obj* o : f->dcl)
        if (o->cls == VarClass::kParam || o->cls == VarClass::kParamOut)
          param_pos.emplace(o->pos.line, o->pos.col);
    }
    for (const auto& [line, col, msg] : diags) {
      // The temporaries of go/defer arguments are not sites: lowering go
      // and defer is the back end's business.
      if (absl::StartsWith(msg, "moved to heap: .autotmp_")) continue;
      bool escape_msg = absl::StartsWith(msg, "moved to heap: ") ||
                        absl::EndsWith(msg, " escapes to heap") ||
                        (absl::EndsWith(msg, " does not escape") && !param_pos.count({line, col}));
      if (escape_msg) {
        EXPECT_TRUE(site_pos.count({line, col}))
            << path << ":" << line << ":" << col << ": " << msg << " is no site";
      }
    }
  }
  EXPECT_GT(stack, 50);
  EXPECT_GT(heap, 100);
}

TEST(SiteDecisionsTest, KeysAreUniqueAndStableAcrossLoads) {
  for (const std::string& path : TestdataGoFiles()) {
    auto prog1 = Load(path);
    auto prog2 = Load(path);
    SiteDecisions d1 = AnalyzeAll(*prog1);
    SiteDecisions d2 = AnalyzeAll(*prog2);
    ASSERT_EQ(d1.sites().size(), d2.sites().size()) << path;
    absl::flat_hash_set<SiteKey> keys;
    absl::flat_hash_set<const void*> ptrs;
    for (size_t i = 0; i < d1.sites().size(); ++i) {
      const SiteDecision& a = d1.sites()[i];
      const SiteDecision& b = d2.sites()[i];
      EXPECT_TRUE(keys.insert(a.key).second) << path << ": duplicate key at " << Describe(a);
      EXPECT_TRUE((a.node != nullptr) != (a.var != nullptr)) << Describe(a);
      EXPECT_TRUE(ptrs.insert(a.node != nullptr ? static_cast<const void*>(a.node) : a.var).second);
      // Lookups by node, variable and key find this very site.
      if (a.node != nullptr) {
        EXPECT_EQ(d1.ForNode(a.node), &a);
        EXPECT_EQ(d1.ForVar(reinterpret_cast<const Obj*>(a.node)), nullptr);
        EXPECT_EQ(a.key.node_id, a.node->id);
      } else {
        EXPECT_EQ(d1.ForVar(a.var), &a);
        EXPECT_EQ(a.key.var_id, a.var->id);
      }
      EXPECT_EQ(d1.ForKey(a.key), &a);
      // The same source gives the same keys and decisions.
      EXPECT_EQ(a.key, b.key) << path << ": " << Describe(a) << " vs " << Describe(b);
      EXPECT_EQ(Describe(a), Describe(b));
      EXPECT_EQ(a.decision, b.decision) << path << ":" << Describe(a);
      EXPECT_EQ(a.go_reason, b.go_reason);
    }
  }
}

TEST(SiteDecisionsTest, NonSitesAreNotFound) {
  auto prog = std::make_unique<Program>();
  ASSERT_TRUE(LoadProgram("t.go",
                          "package p\nfunc f(a int) int {\n\tb := a + 1\n\treturn b * 2\n}\n",
                          prog.get())
                  .ok());
  SiteDecisions d = AnalyzeAll(*prog);
  EXPECT_TRUE(d.sites().empty());
  for (const Obj* o : prog->funcs[0]->dcl) EXPECT_EQ(d.ForVar(o), nullptr) << o->name;
  EXPECT_EQ(d.ForNode(prog->funcs[0]->body), nullptr);
  EXPECT_EQ(d.ForKey(SiteKey{prog->funcs[0]->body->id, -1}), nullptr);
}

TEST(SiteDecisionsTest, EachAnalysisDecidesOnItsOwn) {
  // x leaks only through the call to g: intraprocedural cannot see that g
  // does not keep it, go can. y is returned: heap under all three. new(int)
  // and make([]int, 4) are only read (through *, len): stack but for
  // all_heap.
  auto prog = std::make_unique<Program>();
  ASSERT_TRUE(LoadProgram("t.go",
                          "package p\n"
                          "func g(p *int) int { return *p }\n"
                          "func f() (int, *int) {\n"
                          "\tx := 1\n"
                          "\ty := 2\n"
                          "\tz := new(int)\n"
                          "\t*z = 3\n"
                          "\ts := make([]int, 4)\n"
                          "\treturn g(&x) + *z + len(s), &y\n"
                          "}\n",
                          prog.get())
                  .ok());
  SiteDecisions d = AnalyzeAll(*prog);
  std::map<std::string, std::array<Decision, kNumAnalyses>> got;
  for (const SiteDecision& s : d.sites()) got[s.what] = s.decision;
  ASSERT_EQ(got.size(), 4u);
  using D = Decision;
  EXPECT_EQ(got["x"], (std::array<D, 3>{D::kHeap, D::kHeap, D::kStack}));
  EXPECT_EQ(got["y"], (std::array<D, 3>{D::kHeap, D::kHeap, D::kHeap}));
  EXPECT_EQ(got["new(int)"], (std::array<D, 3>{D::kHeap, D::kStack, D::kStack}));
  EXPECT_EQ(got["make([]int, 4)"], (std::array<D, 3>{D::kHeap, D::kStack, D::kStack}));
  EXPECT_TRUE(d.fully_supported());
}

TEST(SiteDecisionsTest, UnsupportedFunctionsHaveNoSites) {
  auto prog = std::make_unique<Program>();
  ASSERT_TRUE(LoadProgram("t.go",
                          "package p\n"
                          "func bad() { undefinedThing() ; _ = new(int) }\n"
                          "func good() *int { return new(int) }\n",
                          prog.get())
                  .ok());
  SiteDecisions d = AnalyzeAll(*prog);
  EXPECT_FALSE(d.fully_supported());
  ASSERT_EQ(d.sites().size(), 1u);
  EXPECT_EQ(d.sites()[0].pos, (Pos{3, 30}));  // go's position of new(int)
  EXPECT_EQ(d.sites()[0].fn->name, "good");
  EXPECT_EQ(d.sites()[0].Get(AnalysisId::kGo), Decision::kHeap);
}

TEST(SiteDecisionsTest, ConcurrentAnalysesAgreeWithSequentialOnes) {
  std::vector<std::string> files = TestdataGoFiles();
  ASSERT_FALSE(files.empty());
  std::vector<std::unique_ptr<Program>> progs;
  std::vector<std::vector<std::array<Decision, kNumAnalyses>>> expected;
  for (const std::string& path : files) {
    progs.push_back(Load(path));
    expected.emplace_back();
    SiteDecisions d = AnalyzeAll(*progs.back());
    for (const SiteDecision& s : d.sites()) expected.back().push_back(s.decision);
  }
  // Two threads analyse every program at once, the same ones in the same
  // order, so that they really run the same analyses concurrently.
  std::vector<std::vector<std::array<Decision, kNumAnalyses>>> got[2];
  auto work = [&](int t) {
    for (const auto& p : progs) {
      got[t].emplace_back();
      SiteDecisions d = AnalyzeAll(*p);
      for (const SiteDecision& s : d.sites()) got[t].back().push_back(s.decision);
    }
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  EXPECT_EQ(got[0], expected);
  EXPECT_EQ(got[1], expected);
}

}  // namespace
}  // namespace gclab::escape
