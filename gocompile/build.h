// Building a Go file into a native binary outside Bazel: translate with
// gocompile, compile the C++ with the system compiler against the runtime
// library Bazel built (libgort.so and the runtime's headers, found in the
// caller's runfiles), and cache the binary by the content hash of
// everything that goes into it. Used by `gorun` and by the experiment
// runner for Go-file workloads.
//
//   GoBuildOptions o;
//   o.runtime_root = RuntimeRootFor(argv[0]);      // <exe>.runfiles/gclab
//   absl::StatusOr<GoBuildResult> b = BuildGoProgram("prog.go", o);
//   // b->binary: run it with gclab's flags and the program's arguments.
#ifndef GCLAB_GOCOMPILE_BUILD_H_
#define GCLAB_GOCOMPILE_BUILD_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gclab::gocompile {

struct GoBuildOptions {
  // The runfiles root holding goruntime/, heap/, ... headers and
  // gocompile/libgort.so.
  std::string runtime_root;
  // Where binaries are cached (created); default: $GCLAB_GORUN_CACHE, else
  // $XDG_CACHE_HOME/gclab-gorun, else ~/.cache/gclab-gorun.
  std::string cache_dir;
  std::string cxx = "g++";
  std::vector<std::string> cxx_flags = {"-O2"};
  std::string plant_stack_site;  // test only (gocompile's option)
};

struct GoBuildResult {
  std::string binary;
  bool cached = false;
  double translate_s = 0;  // 0 when cached
  double compile_s = 0;
};

// Translates and compiles `go_file` (or finds it in the cache). Errors:
// gocompile's positioned messages (InvalidArgument / Unimplemented), or the
// C++ compiler's output (Internal).
absl::StatusOr<GoBuildResult> BuildGoProgram(const std::string& go_file,
                                             const GoBuildOptions& options);

// Builds `go_file` with Go's own toolchain (`go build`, GO111MODULE=off,
// CGO_ENABLED=0; for reference rows from Go's runtime), cached like
// BuildGoProgram by the content hash of the source and the toolchain's
// version. `go_tool` is the `go` command; cache_dir as in GoBuildOptions.
// Errors: the toolchain's output (Internal), a missing toolchain (NotFound).
absl::StatusOr<GoBuildResult> BuildWithGoToolchain(const std::string& go_file,
                                                   const std::string& go_tool,
                                                   const std::string& cache_dir);

// <exe>.runfiles/gclab for a binary at `argv0` (or the current directory
// when it is already a runfiles tree, as under `bazel run`).
std::string RuntimeRootFor(const std::string& argv0);

}  // namespace gclab::gocompile

#endif  // GCLAB_GOCOMPILE_BUILD_H_
