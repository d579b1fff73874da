// Recursive-descent parser for Go source files. Builds syntax Nodes (see the
// syntax ops in ir.h) owned by a Program.
//
// Errors are "file:line:col: syntax error: ...". A syntax error inside a
// function body does not stop the parse: the body is dropped, the error is
// recorded in ParsedFile::body_errors and parsing resumes after the body's
// closing brace, so the file's other functions can still be analysed. Any
// other syntax error ends the parse with an error status.
//
// Nesting depth is bounded by the stack really available (StackBudget), not
// by a fixed count: deep inputs parse; inputs too deep for the stack are a
// positioned error, never a crash.
#ifndef GCLAB_ESCAPE_PARSER_H_
#define GCLAB_ESCAPE_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escape/ir.h"

namespace gclab::escape {

struct ImportSpec {
  std::string path;  // unquoted
  std::string name;  // local name ("" = the package's name)
  Pos pos;           // of the path
};

// Pragma flags of a kFuncDecl (Node::int_val).
inline constexpr int64_t kPragmaNoescape = 1;
inline constexpr int64_t kPragmaUintptrEscapes = 2;
inline constexpr int64_t kPragmaNoinline = 4;

struct ParsedFile {
  std::string package;
  std::vector<ImportSpec> imports;
  // Top-level declarations: kFuncDecl, kVarDecl, kConstDecl, kTypeDecl.
  std::vector<Node*> decls;
  // Syntax errors confined to a function body (that body is null).
  std::vector<std::string> body_errors;
};

// Parses `src` into `prog`'s arena. `stack_fraction` is the share of the
// remaining stack the parser may use for nesting.
absl::Status Parse(absl::string_view filename, absl::string_view src, Program* prog,
                   ParsedFile* out, double stack_fraction = 0.25);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_PARSER_H_
