// Formatting of IR expressions and diagnostics the way cmd/compile prints
// them in -m output (go 1.19's ir/fmt.go conventions).
#ifndef GCLAB_ESCAPE_DIAGNOSTICS_H_
#define GCLAB_ESCAPE_DIAGNOSTICS_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "escape/analysis.h"
#include "escape/ir.h"

namespace gclab::escape {

// Go's %v of an expression node.
std::string ExprString(const Node* n);

// Nodes to print as other nodes (the analysis's rewrites, e.g. a
// devirtualized interface call printed as the static call it became).
// nullptr clears. Not thread-safe across concurrent analyses.
void SetExprSubstitutions(const std::unordered_map<const Node*, const Node*>* subs);

// "file:line:col: msg" lines, in the given order.
std::string FormatDiagnostics(const std::string& file, const std::vector<Diagnostic>& diags);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_DIAGNOSTICS_H_
