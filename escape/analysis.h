// Escape analyses: the common interface, the per-site result data and the
// registry that selects an analysis by name (like the collectors).
//
// Usage:
//   Program prog;
//   GCLAB_RETURN_IF_ERROR(LoadProgram("f.go", src, &prog));
//   GCLAB_ASSIGN_OR_RETURN(std::unique_ptr<EscapeAnalysis> a, MakeEscapeAnalysis("go"));
//   AnalysisResult r = a->Analyze(prog, {});
//   // r.sites: every allocation site and where it goes; r.diags: -m lines.
// Analyze does not modify the program; analyses (of the same or different
// programs) may run concurrently.
#ifndef GCLAB_ESCAPE_ANALYSIS_H_
#define GCLAB_ESCAPE_ANALYSIS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "escape/diagnostics.h"
#include "escape/ir.h"

namespace gclab::escape {

enum class SiteKind {
  kVariable,     // a local variable or parameter whose address is taken or captured
  kNew,          // new(T)
  kPtrLit,       // &T{...}
  kMakeSlice,    // make([]T, ...)
  kMakeMap,      // make(map[K]V, ...)
  kMakeChan,     // make(chan T, ...): always on the heap
  kSliceLit,     // []T{...}
  kMapLit,       // map[K]V{...}
  kClosure,      // func literal
  kMethodValue,  // x.M
  kConvIface,    // conversion of a non-pointer-shaped value to an interface
  kStringConv,   // string(b), []byte(s), []rune(s), string(runes), string(r)
  kAddString,    // a + b on strings
  kVariadic,     // the implicit slice of a variadic call
  kAppend,       // append's growth of the backing array: always on the heap
};

const char* SiteKindName(SiteKind k);

enum class Decision { kStack, kHeap };

// One allocation site and where an analysis put it.
struct AllocSite {
  std::string file;
  int line = 0;
  int col = 0;
  SiteKind kind = SiteKind::kNew;
  std::string what;  // Go's spelling: "x", "&T{...}", "make([]int, n)"
  Decision decision = Decision::kHeap;
  std::string reason;          // why it is on the heap (or "does not escape")
  const Node* node = nullptr;  // the allocating IR node, or
  const Obj* var = nullptr;    // the variable
};

struct AnalysisResult {
  std::vector<AllocSite> sites;
  // Diagnostics in emission order, formatted like `go build -gcflags=-m`.
  std::vector<Diagnostic> diags;
  // Explanations (like -m=2), keyed by line, when requested.
  std::vector<std::pair<int, std::string>> explanations;
  int stack_sites = 0;
  int heap_sites = 0;
  bool fully_supported = true;
};

struct AnalysisOptions {
  int explain_line = 0;  // 0 = none
};

class EscapeAnalysis {
 public:
  virtual ~EscapeAnalysis() = default;
  virtual std::string Name() const = 0;
  virtual AnalysisResult Analyze(const Program& prog, const AnalysisOptions& opts) const = 0;
};

// Known names: "all_heap", "intraprocedural", "go".
absl::StatusOr<std::unique_ptr<EscapeAnalysis>> MakeEscapeAnalysis(absl::string_view name);
std::vector<std::string> EscapeAnalysisNames();

// Factories (defined next to each analysis).
std::unique_ptr<EscapeAnalysis> NewAllHeapAnalysis();
std::unique_ptr<EscapeAnalysis> NewIntraproceduralAnalysis();
std::unique_ptr<EscapeAnalysis> NewGoEscapeAnalysis();

// ---- Helpers shared by the analyses.

// An allocation-site expression or variable of a function.
struct SiteRef {
  const Node* node = nullptr;  // allocation expression, or
  const Obj* var = nullptr;    // variable whose address is taken / captured / too large
  const Func* fn = nullptr;
};
// Every site of the program: expressions in walk order per function
// (closures included), then the function's variables. The same list for
// all analyses.
std::vector<SiteRef> CollectSites(const Program& prog);
// What the address-of node `addr` takes the address of, through fields and
// array elements: &x, &x.f, &x[i] (x an array) give x.
const Node* AddrBase(const Node* addr);
SiteKind KindOf(const Node* n);
// Whether the site is on the heap whatever the analysis (make(chan),
// append growth).
bool AlwaysHeap(SiteKind k);
// Go's size limits (HeapAllocReason): "too large for stack" (10 MiB for
// variables, 64 KiB for new/&T{}/make/closures), "non-constant size" for
// make([]T, n), or "".
std::string SizeReason(const Node* n, const Obj* var);
// The AllocSite of `s` with a decision.
AllocSite MakeSite(const Program& prog, const SiteRef& s, Decision d, std::string reason);
// Recomputes heap/stack totals of `r` from its sites.
void CountSites(AnalysisResult* r);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_ANALYSIS_H_
