// Lexer for Go source files.
//
// Produces a token vector with Go's automatic semicolon insertion applied.
// Positions are 1-based line and byte column, as the Go compiler reports
// them. Identifiers may contain Unicode letters and digits; the input must be
// valid UTF-8 without NUL bytes. Literals are checked as Go's scanner checks
// them (number syntax, escapes), so that a malformed literal is an error here
// with its position. "//go:" directives are collected as pragmas.
#ifndef GCLAB_ESCAPE_LEXER_H_
#define GCLAB_ESCAPE_LEXER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "escape/source.h"

namespace gclab::escape {

enum class TokKind { kEOF, kIdent, kInt, kFloat, kImag, kChar, kString, kKeyword, kOp };

struct Token {
  TokKind kind = TokKind::kEOF;
  std::string text;  // source text (keywords, operators, identifiers, literals)
  Pos pos;
  bool auto_semi = false;  // a ";" inserted at a newline or EOF
};

// A "//go:name args" comment directive.
struct Pragma {
  Pos pos;
  std::string text;  // "go:noescape"
};

struct LexResult {
  std::vector<Token> tokens;  // ends with kEOF
  std::vector<Pragma> pragmas;
};

// Tokenizes `src`. Errors are "file:line:col: message".
absl::StatusOr<LexResult> Lex(absl::string_view filename, absl::string_view src);

// Whether `c` (a code point) may start / continue a Go identifier.
bool IsIdentStart(uint32_t c);
bool IsIdentPart(uint32_t c);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_LEXER_H_
