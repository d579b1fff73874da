// Recursive-descent parser for the Go subset. Builds syntax Nodes (see ir.h)
// owned by a Program. Syntax errors are "file:line:col: syntax error: ...".
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
  std::string name;  // local name ("" = last path element)
  Pos pos;
};

struct ParsedFile {
  std::string package;
  std::vector<ImportSpec> imports;
  // Top-level declarations: kVarDecl, kConstDecl, kTypeDecl and kFuncDecl
  // (represented as kFuncLit nodes with str = name; x = receiver field list
  // node or null, y = kFuncType, z = body or null).
  std::vector<Node*> decls;
};

// Parses `src` into `prog`'s arena.
absl::Status Parse(absl::string_view filename, absl::string_view src, Program* prog,
                   ParsedFile* out);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_PARSER_H_
