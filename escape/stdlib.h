// The standard packages gclab models, as Go declarations with escape tags.
//
// Each package is Go source text holding the exported API a program can
// use: types (with the memory layout of unexported fields kept as blank
// fields of equivalent types), functions and methods without bodies,
// constants and variables. Before each function, a comment
//   //gclab:esc TAG TAG ...
// gives the escape tag of every parameter (receiver first), as go 1.19
// records it in the package's export data: "-" (no flow), or a
// comma-separated list of "hN" (leaks to the heap after N dereferences) and
// "rI:N" (leaks to result I after N dereferences).
//
// The summaries are generated from go 1.19 by escape/tools/stdsummaries
// (regen.sh; see docs/ESCAPE.md) into stdlib_generated.cc.
#ifndef GCLAB_ESCAPE_STDLIB_H_
#define GCLAB_ESCAPE_STDLIB_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gclab::escape {

struct StdPackage {
  const char* path;
  const char* name;
  const char* source;  // Go declarations ("package NAME\nimport ...\n...")
};

// The modelled package with this import path, or null.
const StdPackage* FindStdPackage(absl::string_view path);
// All modelled packages.
const std::vector<StdPackage>& StdPackages();

// A parameter's escape tag, decoded: -1 = no flow; otherwise the minimal
// dereference count of the flow to the heap / to result i.
struct ParamTag {
  int heap = -1;
  std::vector<int> results;
};
// Parses one TAG of a //gclab:esc line; nullopt-like `ok` false if malformed.
ParamTag ParseTag(absl::string_view tag, int nresults, bool* ok);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_STDLIB_H_
