// The "go" escape analysis: a re-implementation of the algorithm of go 1.19's
// cmd/compile/internal/escape for gclab's typed IR (code in escape/goescape/).
//
// Heritage. Go's analysis descends from the connection-graph formulation of
// Choi et al., "Escape analysis for Java" (OOPSLA'99), simplified into a
// graph of abstract memory locations whose edges carry a dereference count.
//
// Locations. Every local variable and parameter, every allocation
// expression (new, &T{}, make, composite and function literals, interface
// conversions of non-pointer values, string conversions and concatenations,
// the implicit slice of a variadic call, method values) and some helper
// temporaries get a location. There are two distinguished locations: the
// heap (escapes from the start) and the blank/discard location.
//
// Edges. Statements are walked once, in source order, translating every
// assignment "dst = src" into a "hole" (destination plus dereference count)
// into which the source expression is evaluated: `&x` subtracts one, `*p`,
// `p.f` through a pointer, `s[i]` on a slice add one, `x.f` and `a[i]` on an
// array keep the count. The result is an edge src -> dst with derefs >= -1.
// Allocation expressions are "spilled": the value flows from a fresh
// location via an address-of edge. Channel sends, map keys and values, and
// the arguments of unknown functions flow to the heap; uintptr arithmetic
// converted back to unsafe.Pointer keeps the flow of the unsafe.Pointer it
// came from.
//
// The walk. For each root location (every location, and the heap), a
// Bellman-Ford-like shortest-path walk over incoming edges computes the
// minimal dereference count from every location to the root, clamping the
// count at 0 after an address-of step. If a location's address reaches a
// root that outlives it (the heap; a result parameter; a variable declared
// in an outer loop scope or an enclosing function), it escapes: it is
// heap-allocated and becomes a new root. Escape only grows, so roots are
// re-queued until a fixed point.
//
// Summaries. When a walk reaches a parameter, the flow is recorded as a
// parameter "leak" (to the heap, or to result i, with the minimal deref
// count). Callers outside the strongly connected component use the
// summaries; functions of one component (and closures with their enclosing
// function) are analysed together. Calls through interfaces or unknown
// function values leak their arguments to the heap, except interface calls
// devirtualized beforehand (a receiver statically converted from a concrete
// type, as go's devirtualize pass does even with -l).
//
// Closures capture by value when the variable is never reassigned after
// capture, its address is never taken and it is at most 128 bytes;
// otherwise by reference. go/defer statements wrap their call into a
// closure; arguments are evaluated into temporaries captured by value; the
// closure flows to the heap for `go` and for `defer` inside a loop.
//
// Generic functions are analysed per shape instantiation (see
// typecheck/generic.cc); their parameters are not reported.
//
// Size limits (HeapAllocReason): variables over 10 MiB, new/&T{}/closures
// over 64 KiB, make([]T, n) with non-constant n or over 64 KiB go to the heap.
//
// Known differences from Go: no inlining (matches -l), closure size limits
// are approximate, the transient flag (a codegen detail) is not computed.
#ifndef GCLAB_ESCAPE_GO_ESCAPE_H_
#define GCLAB_ESCAPE_GO_ESCAPE_H_

#include <memory>

#include "escape/analysis.h"

namespace gclab::escape {

std::unique_ptr<EscapeAnalysis> NewGoEscapeAnalysis();

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_GO_ESCAPE_H_
