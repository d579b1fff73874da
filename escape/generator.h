// Random generator of well-typed programs in the Go subset, for the
// differential test against go 1.19. Programs are structured (functions of
// statements with def/use information) so that a disagreement can be
// minimized by delta debugging over functions and statements.
#ifndef GCLAB_ESCAPE_GENERATOR_H_
#define GCLAB_ESCAPE_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gclab::escape {

struct GenStmt {
  std::string head;           // leaf text, or block header ("if n > 1 {")
  std::vector<GenStmt> body;  // nested statements (blocks only)
  bool block = false;
  std::vector<int> defines;  // variable ids declared
  std::vector<int> uses;     // variable ids used (incl. nested)
  std::vector<int> calls;    // function indices called (incl. nested)
  std::string fallback;      // replacement when removed ("" = delete)
  bool removed = false;
};

struct GenFunc {
  std::string name;
  std::string signature;  // "(a *int, ...) *int"
  std::vector<GenStmt> body;
  bool removed = false;
};

struct GenProgram {
  std::string prefix;  // unique name prefix, e.g. "p12"
  std::vector<GenFunc> funcs;
  // Renders a file of package `pkg`.
  std::string Render(const std::string& pkg) const;
  int LiveStatements() const;
};

class ProgramGenerator {
 public:
  explicit ProgramGenerator(uint64_t seed) : rng_(seed) {}
  GenProgram Generate(const std::string& prefix, int num_funcs);

 private:
  enum VKind { kInt, kPInt, kPT, kT, kSPInt, kIface, kNumKinds };
  struct Var {
    int id;
    std::string name;
    VKind kind;
  };
  struct Ctx {
    std::vector<std::vector<Var>> scopes;
    int next_var = 0;
    int depth = 0;
    int func_index = 0;
    int num_funcs = 0;
  };

  int R(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool P(int pct) { return R(100) < pct; }
  const Var* Pick(Ctx& c, VKind k);
  std::string Expr(Ctx& c, VKind k, std::vector<int>* uses, int depth);
  std::string Place(Ctx& c, VKind k, std::vector<int>* uses);
  GenStmt Stmt(Ctx& c);
  GenStmt ExtraStmt(Ctx& c);
  std::string NewName(Ctx& c, const char* prefix, int* id);
  void Declare(Ctx& c, GenStmt* s, VKind k, const std::string& init);
  std::vector<GenStmt> Block(Ctx& c, int n);
  std::string CallExpr(Ctx& c, int fi, std::vector<int>* uses, std::vector<int>* calls);

  std::mt19937_64 rng_;
  std::string p_;
  std::vector<int> result_kind_;  // per function: 0 *int, 1 *T, 2 int, 3 (*int, *T)
};

// Removes functions/statements (with everything depending on them) while
// `still_fails` holds. Returns the minimized program.
template <typename Pred>
GenProgram Minimize(GenProgram prog, Pred still_fails);

// Marks statement/func removals and cascades to dependents.
void RemoveFunction(GenProgram* p, int fi);
bool RemoveStatement(GenProgram* p, int fi, std::vector<int> path);
// Enumerates live statement paths of function fi.
std::vector<std::vector<int>> StatementPaths(const GenProgram& p, int fi);

template <typename Pred>
GenProgram Minimize(GenProgram prog, Pred still_fails) {
  bool changed = true;
  int budget = 400;
  while (changed && budget > 0) {
    changed = false;
    for (int fi = static_cast<int>(prog.funcs.size()) - 1; fi >= 0 && budget > 0; --fi) {
      if (prog.funcs[fi].removed) continue;
      GenProgram cand = prog;
      RemoveFunction(&cand, fi);
      --budget;
      if (still_fails(cand)) {
        prog = cand;
        changed = true;
      }
    }
    for (int fi = 0; fi < static_cast<int>(prog.funcs.size()) && budget > 0; ++fi) {
      if (prog.funcs[fi].removed) continue;
      std::vector<std::vector<int>> paths = StatementPaths(prog, fi);
      for (int i = static_cast<int>(paths.size()) - 1; i >= 0 && budget > 0; --i) {
        GenProgram cand = prog;
        if (!RemoveStatement(&cand, fi, paths[i])) continue;
        --budget;
        if (still_fails(cand)) {
          prog = cand;
          changed = true;
          break;  // paths are stale
        }
      }
    }
  }
  return prog;
}

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_GENERATOR_H_
