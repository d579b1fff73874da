// Printing of typed IR expressions and diagnostics the way cmd/compile
// prints them in -m output (go 1.19's ir/fmt.go conventions: implicit
// conversions, & and * are not shown; constants print as written in the
// source; operator precedence decides parentheses).
#ifndef GCLAB_ESCAPE_DIAGNOSTICS_H_
#define GCLAB_ESCAPE_DIAGNOSTICS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/ir.h"
#include "escape/source.h"

namespace gclab::escape {

// A -m style diagnostic.
struct Diagnostic {
  Pos pos;
  std::string msg;
};

// Nodes to print as other nodes (an analysis's rewrites, e.g. a
// devirtualized interface call printed as the static call it became).
using PrintSubstitutions = absl::flat_hash_map<const Node*, const Node*>;

// Go's %v of an expression node.
std::string ExprString(const Node* n, const PrintSubstitutions* subs = nullptr);

// "file:line:col: msg" lines, in the given order.
std::string FormatDiagnostics(const std::string& file, const std::vector<Diagnostic>& diags);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_DIAGNOSTICS_H_
