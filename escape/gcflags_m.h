// The gcflags_m pipeline as a library: one Go source file in, the -m output
// of an escape analysis out. The command (gcflags_m_main.cc), the fuzzer
// (gcflags_m_fuzzer.cc) and the tests all run input through RunGcflagsM.
//
// The whole pipeline runs on a thread with a large stack, and nesting is
// bounded by that stack (stack_guard.h): any input - valid, invalid or
// hostile - ends with a result or a positioned error.
//
//   GcflagsOptions o;
//   GcflagsResult r = RunGcflagsM("f.go", source, o);
//   std::cout << r.out; std::cerr << r.err; return r.exit_code;
#ifndef GCLAB_ESCAPE_GCFLAGS_M_H_
#define GCLAB_ESCAPE_GCFLAGS_M_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gclab::escape {

// Exit status of gcflags_m.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;        // usage or I/O error
inline constexpr int kExitErrors = 2;       // syntax or type errors (file:line:col on stderr)
inline constexpr int kExitUnsupported = 3;  // constructs outside the subset (listed on stderr)

struct GcflagsOptions {
  std::string analysis = "go";  // all_heap, intraprocedural, go
  int explain_line = 0;         // like -m=2 for the locations of this line
  bool sites = false;           // per-site data lines and a summary
};

struct GcflagsResult {
  std::string out;  // stdout: diagnostics (and sites)
  std::string err;  // stderr: errors, unsupported constructs
  int exit_code = kExitOk;
};

// `display_name` is the file name printed in positions.
GcflagsResult RunGcflagsM(const std::string& display_name, absl::string_view src,
                          const GcflagsOptions& options);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_GCFLAGS_M_H_
