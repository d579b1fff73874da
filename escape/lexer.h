// Lexer for the Go subset understood by gclab's escape module.
//
// Produces a token vector with Go's automatic semicolon insertion applied.
// Positions are 1-based line and byte column, as the Go compiler reports them.
#ifndef GCLAB_ESCAPE_LEXER_H_
#define GCLAB_ESCAPE_LEXER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gclab::escape {

struct Pos {
  int line = 0;
  int col = 0;
  bool Known() const { return line > 0; }
  bool operator<(const Pos& o) const { return line != o.line ? line < o.line : col < o.col; }
  bool operator==(const Pos& o) const { return line == o.line && col == o.col; }
};

enum class TokKind { kEOF, kIdent, kInt, kFloat, kChar, kString, kKeyword, kOp };

struct Token {
  TokKind kind = TokKind::kEOF;
  std::string text;  // Source text (keywords, operators, identifiers, literals).
  Pos pos;
  bool auto_semi = false;  // A ";" inserted at a newline or EOF.
};

// Tokenizes `src`. Errors are "file:line:col: message".
absl::StatusOr<std::vector<Token>> Lex(absl::string_view filename, absl::string_view src);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_LEXER_H_
