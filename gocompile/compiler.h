// gocompile: ahead-of-time translation of a Go program (the subset of
// docs/GOCOMPILE.md) to C++ on gclab's heap, through the gort runtime
// (goruntime/gort.h). The program is parsed and type-checked by the escape
// module's front end; each allocation site is compiled with the decision of
// all three escape analyses, and the analysis is chosen when the program
// runs (--escape=...), so one binary serves every mode.
//
// Usage:
//   absl::StatusOr<std::string> cpp = CompileGo("f.go", source, {});
//   // cpp.ok(): a complete C++ translation unit defining main().
//   // Otherwise: "file:line:col: message" lines (syntax and type errors,
//   // and constructs gocompile does not support).
#ifndef GCLAB_GOCOMPILE_COMPILER_H_
#define GCLAB_GOCOMPILE_COMPILER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gclab::gocompile {

struct CompileOptions {
  // Test only: the allocation sites at "LINE:COL[,LINE:COL...]" are put on
  // the stack under --escape=go whatever the analysis decided (planted
  // unsound decisions the escape checks must report).
  std::string plant_stack_site;
  // The file name positions and reports use (defaults to the one given).
  std::string display_name;
};

// The C++ translation of `source`, or an error whose message holds one
// positioned line per problem: InvalidArgument for syntax and type errors,
// Unimplemented for constructs outside the supported subset.
absl::StatusOr<std::string> CompileGo(absl::string_view filename, absl::string_view source,
                                      const CompileOptions& options);

}  // namespace gclab::gocompile

#endif  // GCLAB_GOCOMPILE_COMPILER_H_
