// Escape analyses: the common interface, the per-site result data and the
// registry that selects an analysis by name (like the collectors).
#ifndef GCLAB_ESCAPE_ANALYSIS_H_
#define GCLAB_ESCAPE_ANALYSIS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "escape/ir.h"

namespace gclab::escape {

enum class SiteKind {
  kVariable,     // a local variable or parameter whose address is taken
  kNew,          // new(T)
  kPtrLit,       // &T{...}
  kMakeSlice,    // make([]T, ...)
  kMakeMap,      // make(map[K]V, ...)
  kSliceLit,     // []T{...}
  kMapLit,       // map[K]V{...}
  kClosure,      // func literal
  kMethodValue,  // x.M
  kConvIface,    // conversion of a non-pointer value to an interface
  kStringConv,   // string(b), []byte(s), ...
  kAddString,    // a + b
  kVariadic,     // ... argument
};

const char* SiteKindName(SiteKind k);

enum class Decision { kStack, kHeap };

// One allocation site and where the analysis put it.
struct AllocSite {
  std::string file;
  int line = 0;
  int col = 0;
  SiteKind kind = SiteKind::kNew;
  std::string what;  // Go's spelling: "x", "&T{...}", "make([]int, n)"
  Decision decision = Decision::kHeap;
  std::string reason;  // why it is on the heap (or "does not escape")
};

// A -m style diagnostic line.
struct Diagnostic {
  Pos pos;
  std::string msg;
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
  virtual AnalysisResult Analyze(const Program& prog, const AnalysisOptions& opts) = 0;
};

// Known names: "all_heap", "intraprocedural", "go".
absl::StatusOr<std::unique_ptr<EscapeAnalysis>> MakeEscapeAnalysis(absl::string_view name);
std::vector<std::string> EscapeAnalysisNames();

// Factories (defined next to each analysis).
std::unique_ptr<EscapeAnalysis> NewAllHeapAnalysis();
std::unique_ptr<EscapeAnalysis> NewIntraproceduralAnalysis();
std::unique_ptr<EscapeAnalysis> NewGoEscapeAnalysis();

// Helpers shared by the analyses.
// Every allocation-site expression of `fn` (closures included, in walk
// order), and the variables of `fn` whose address is taken.
struct SiteRef {
  Node* node = nullptr;  // allocation expression, or
  Obj* var = nullptr;    // address-taken variable
  Func* fn = nullptr;
};
std::vector<SiteRef> CollectSites(const Program& prog);
SiteKind KindOf(const Node* n);
// Go's size limits: a non-empty reason ("too large for stack",
// "non-constant size") if the site must be heap-allocated regardless of
// escaping (10 MiB for variables, 64 KiB for implicit allocations).
std::string SizeReason(const Node* n, const Obj* var);
// Recomputes heap/stack totals of `r` from its sites.
void CountSites(AnalysisResult* r);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_ANALYSIS_H_
