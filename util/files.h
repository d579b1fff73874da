// Files and paths at the I/O boundary: whole-file reads and atomic writes
// with absl::Status errors that name the path, and the resolution of paths a
// user typed on the command line of a `bazel run` target.
#ifndef GCLAB_UTIL_FILES_H_
#define GCLAB_UTIL_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gclab {

// The whole file; NotFound / PermissionDenied / Internal naming the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `data` to a temporary file beside `path` and renames it over `path`,
// so a reader (or an interrupted writer) never sees a partial file.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view data);

// Whether `path` names a regular file (following symlinks).
bool IsRegularFile(const std::string& path);

// Creates `path` and its missing parents (mkdir -p).
absl::Status MakeDirectories(const std::string& path);

// A relative path given by a user of `bazel run` means a path relative to
// where they typed the command (BUILD_WORKING_DIRECTORY), not to the runfiles
// tree Bazel starts the binary in. Absolute paths, and every path when not
// under `bazel run`, are returned unchanged.
std::string ResolveUserPath(const std::string& path);

}  // namespace gclab

#endif  // GCLAB_UTIL_FILES_H_
