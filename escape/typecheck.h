// Type checker: resolves names, computes types, rewrites the syntax tree
// into the typed IR (ir.h) and builds the Funcs the analyses run on.
//
// Errors are "file:line:col: message". Constructs outside the subset do not
// stop checking: the enclosing function is marked `unsupported` (analysed
// conservatively) and a "file:line:col: unsupported: ..." line is recorded in
// Program::unsupported.
#ifndef GCLAB_ESCAPE_TYPECHECK_H_
#define GCLAB_ESCAPE_TYPECHECK_H_

#include "absl/status/status.h"
#include "escape/ir.h"
#include "escape/parser.h"

namespace gclab::escape {

absl::Status Check(const ParsedFile& file, Program* prog);

// Parses and checks `src` in one step.
absl::Status LoadProgram(absl::string_view filename, absl::string_view src, Program* prog);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPECHECK_H_
