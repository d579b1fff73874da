// Built-in knowledge of the standard packages the subset may import (fmt,
// strings, errors, sync): signatures and the escape tags go 1.19 records in
// their export data (verified with `go build -a -gcflags=PKG=-m PKG`).
#ifndef GCLAB_ESCAPE_STDLIB_H_
#define GCLAB_ESCAPE_STDLIB_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gclab::escape {

// A parameter tag: -1 = no flow; otherwise the minimal deref count of the
// flow to the heap / to result i (Go's "leaks" encoding, decoded).
struct ParamTag {
  int heap = -1;
  std::vector<int> results;  // per result index, -1 = none
};

struct StdFunc {
  const char* pkg;
  const char* name;  // "F" or "T.M" / "(*T).M"
  const char* sig;   // Go signature text: "func(a ...any) (n int, err error)"
  // One tag string per parameter (receiver first): "" = no leak,
  // "h0"/"h1" = heap at level, "r0:1" = result 0 at level 1.
  std::vector<const char*> tags;
};

const std::vector<StdFunc>& StdFuncs();
// Types exported by the supported packages: name -> Go type text.
struct StdType {
  const char* pkg;
  const char* name;
  const char* def;  // underlying type text
};
const std::vector<StdType>& StdTypes();
bool IsSupportedImport(absl::string_view path);
ParamTag ParseTag(absl::string_view tag, int nresults);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_STDLIB_H_
