// Running another program and collecting what it did: exit status, output,
// wall and CPU time, peak RSS. One implementation for every caller that runs
// a child process (the experiment runner's process-per-run mode, peer and
// Go-runtime rows, the Go oracle in escape tests).
//
// No shell is involved: arguments are passed as they are, so nothing needs
// quoting. The child gets its own process group, so a timeout kills it and
// everything it started (`go run` starts the program it built).
//
// Example
//   ProcessOptions o;
//   o.argv = {"/usr/bin/go", "version"};
//   absl::StatusOr<ProcessResult> r = RunProcess(o);
//   if (r.ok() && r->Succeeded()) std::cout << r->stdout_text;
#ifndef GCLAB_UTIL_SUBPROCESS_H_
#define GCLAB_UTIL_SUBPROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gclab {

struct ProcessOptions {
  // argv[0] is the program: a path, or a name looked up in PATH.
  std::vector<std::string> argv;
  // Working directory of the child; empty: the caller's.
  std::string working_dir;
  // "NAME=value" entries added to (or replacing in) the caller's environment.
  std::vector<std::string> env;
  // Written to the child's standard input, which is then closed.
  std::string stdin_data;
  // Where the child's output goes. Captured: into ProcessResult. A path:
  // into that file (created or truncated). Empty path and not captured:
  // inherited from the caller.
  bool capture_stdout = true;
  bool capture_stderr = true;
  std::string stdout_path;
  std::string stderr_path;
  // Killed (SIGKILL to its process group) when it runs longer.
  absl::Duration timeout = absl::InfiniteDuration();
};

struct ProcessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int term_signal = 0;  // the signal that ended it, or 0
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  double wall_s = 0;
  double user_cpu_s = 0;
  double system_cpu_s = 0;
  uint64_t max_rss_bytes = 0;  // of the largest process in the child's tree (wait4)

  bool Succeeded() const { return exit_code == 0 && !timed_out; }
  // "exit 2", "signal 11 (Segmentation fault)", "timed out after 10s".
  std::string Describe() const;
};

// Runs the child to completion. A Status error only when it could not be
// started (no such program, fork failure); a child that fails is a result.
absl::StatusOr<ProcessResult> RunProcess(const ProcessOptions& options);

// Absolute path of `name` found in PATH (or `name` itself if it contains a
// '/' and is executable); NotFound otherwise.
absl::StatusOr<std::string> FindProgram(const std::string& name);

}  // namespace gclab

#endif  // GCLAB_UTIL_SUBPROCESS_H_
