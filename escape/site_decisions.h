// Escape decisions as data: for every allocation site of a program, where
// each analysis ("all_heap", "intraprocedural", "go") puts it, keyed by the
// typed IR node (or variable) a back end walks.
//
// A compiler from the Go subset walks the same typed IR the analyses ran on
// (the Program of LoadProgram). At each allocating node - new(T), &T{...},
// slice and map literals, make, func literals (closures), method values,
// implicit and explicit conversions of non-pointer values to interfaces,
// string/[]byte/[]rune conversions, string concatenation, the implicit
// slice of a variadic call, append's growth - it asks ForNode(node); at each
// variable declaration (parameters included), ForVar(obj) says whether the
// variable is moved to the heap. Nodes and variables that are not sites
// give nullptr: they allocate nothing (a variable without a site lives on
// the stack under every analysis).
//
// Valid call sequence:
//   Program prog;
//   GCLAB_RETURN_IF_ERROR(LoadProgram("f.go", src, &prog));
//   SiteDecisions d = AnalyzeAll(prog);        // prog must outlive d
//   for (const SiteDecision& s : d.sites()) ...
//   // While generating code for node `n`:
//   if (const SiteDecision* s = d.ForNode(n)) {
//     bool heap = s->Get(AnalysisId::kGo) == Decision::kHeap;
//     ...
//   }
//
// Functions the front end could not check (prog.unsupported / prog.errors
// non-empty; Func::unsupported) keep no body and hence no sites; a back end
// must not compile them. AnalyzeAll does not modify the program; several
// AnalyzeAll calls (on the same or different programs) may run at once.
//
// Keys. ForNode/ForVar are keyed by pointer. SiteDecision::key is the same
// identity as numbers (Node::id / Obj::id): unique within the program and
// the same each time the same source is loaded, so it can be written out
// and matched by another process.
#ifndef GCLAB_ESCAPE_SITE_DECISIONS_H_
#define GCLAB_ESCAPE_SITE_DECISIONS_H_

#include <array>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/analysis.h"
#include "escape/ir.h"

namespace gclab::escape {

// The analyses, in the order of EscapeAnalysisNames().
enum class AnalysisId { kAllHeap = 0, kIntraprocedural = 1, kGo = 2 };
inline constexpr int kNumAnalyses = 3;
const char* AnalysisName(AnalysisId a);

// A site's identity as numbers: exactly one of node_id / var_id is >= 0.
struct SiteKey {
  int node_id = -1;  // Node::id of the allocating node
  int var_id = -1;   // Obj::id of the variable
  bool operator==(const SiteKey& o) const { return node_id == o.node_id && var_id == o.var_id; }
  template <typename H>
  friend H AbslHashValue(H h, const SiteKey& k) {
    return H::combine(std::move(h), k.node_id, k.var_id);
  }
};

struct SiteDecision {
  const Node* node = nullptr;  // the allocating node, or
  const Obj* var = nullptr;    // the variable (moved to the heap or not)
  const Func* fn = nullptr;    // the function (or closure) the site is in
  SiteKey key;
  SiteKind kind = SiteKind::kNew;
  Pos pos;
  std::string what;                               // Go's spelling, as in -m output: "x", "&T{...}"
  std::array<Decision, kNumAnalyses> decision{};  // indexed by AnalysisId
  std::string go_reason;  // the go analysis' reason ("does not escape", ...)

  Decision Get(AnalysisId a) const { return decision[static_cast<int>(a)]; }
};

class SiteDecisions {
 public:
  // Every site, in the order of CollectSites (per function, in walk order,
  // then the function's variables).
  const std::vector<SiteDecision>& sites() const { return sites_; }
  // The site of an allocating node / of a variable, or nullptr if none.
  const SiteDecision* ForNode(const Node* n) const;
  const SiteDecision* ForVar(const Obj* v) const;
  const SiteDecision* ForKey(const SiteKey& k) const;
  // False if some function was not checked (see above).
  bool fully_supported() const { return fully_supported_; }

 private:
  friend SiteDecisions AnalyzeAll(const Program& prog);
  std::vector<SiteDecision> sites_;
  absl::flat_hash_map<const void*, size_t> by_ptr_;  // Node* or Obj*
  absl::flat_hash_map<SiteKey, size_t> by_key_;
  bool fully_supported_ = true;
};

// Runs the three analyses on `prog` (on a large-stack thread, like
// gcflags_m) and joins their decisions per site.
SiteDecisions AnalyzeAll(const Program& prog);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_SITE_DECISIONS_H_
