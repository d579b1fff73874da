// Source positions: 1-based line and byte column, as the Go compiler prints
// them ("file.go:LINE:COL: message").
#ifndef GCLAB_ESCAPE_SOURCE_H_
#define GCLAB_ESCAPE_SOURCE_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gclab::escape {

struct Pos {
  int line = 0;
  int col = 0;
  bool Known() const { return line > 0; }
  bool operator<(const Pos& o) const { return line != o.line ? line < o.line : col < o.col; }
  bool operator==(const Pos& o) const { return line == o.line && col == o.col; }
  bool operator!=(const Pos& o) const { return !(*this == o); }
};

// "file:line:col: message".
inline std::string PosMessage(absl::string_view file, Pos pos, absl::string_view message) {
  return absl::StrCat(file, ":", pos.line, ":", pos.col, ": ", message);
}

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_SOURCE_H_
