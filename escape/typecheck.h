// Type checker: resolves names, computes types and constant values, and
// builds the typed IR (ir.h) and the Funcs the analyses run on, the way go
// 1.19's types2 + noder (irgen) do, including where cmd/compile positions
// the implicit operations it inserts.
//
// Errors never abort the whole file when they can be confined:
//  * a construct outside the subset, or a type error, inside a function
//    body makes only that function "unsupported" (Func::unsupported): it is
//    analysed conservatively and the positioned message is recorded in
//    Program::unsupported ("file:l:c: unsupported: ...") or Program::errors;
//  * an erroneous package-level declaration (type, const, var, signature)
//    gets an invalid (opaque) type and its message is recorded in
//    Program::errors; what uses it is checked as well as possible;
//  * imports of packages gclab does not model are opaque: using their
//    members makes the using function unsupported.
// LoadProgram fails only for syntax errors outside function bodies and
// malformed files (bad package clause, ...).
//
// Usage:
//   Program prog;
//   absl::Status st = LoadProgram("f.go", source, &prog);
//   // st.ok(): run analyses on prog; see prog.errors / prog.unsupported.
#ifndef GCLAB_ESCAPE_TYPECHECK_H_
#define GCLAB_ESCAPE_TYPECHECK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escape/ir.h"
#include "escape/parser.h"

namespace gclab::escape {

struct CheckOptions {
  // Share of the stack (remaining at the call) parsing and checking may use
  // for nesting; deeper input is a positioned error.
  double stack_fraction = 0.25;
};

// Checks a parsed file into `prog` (whose filename must be set).
absl::Status Check(const ParsedFile& file, Program* prog, const CheckOptions& opts = {});

// Parses and checks `src` in one step.
absl::Status LoadProgram(absl::string_view filename, absl::string_view src, Program* prog,
                         const CheckOptions& opts = {});

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPECHECK_H_
