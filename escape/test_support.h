// Helpers shared by the escape tests: testdata files, the Go oracle, running
// gclab's go analysis. testonly.
#ifndef GCLAB_ESCAPE_TEST_SUPPORT_H_
#define GCLAB_ESCAPE_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "util/subprocess.h"

namespace gclab::escape::test_support {

// The whole file; aborts the test binary (with the path) if unreadable.
std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);
// *.go files of the testdata directory (runfiles), sorted.
std::vector<std::string> TestdataGoFiles();
std::string TestdataDir();
// A fresh scratch directory under $TEST_TMPDIR (or /tmp).
std::string ScratchDir(const std::string& name);

// The oracle: absolute path of the go tool (GCLAB_GO or /usr/bin/go), or ""
// if it is not installed.
std::string GoTool();
// The environment go runs with in tests: private caches under `scratch`,
// GOPATH mode, no network.
std::vector<std::string> GoEnv(const std::string& scratch);
// Runs `go tool compile -p p -m -l -o OUT files...` in `dir`.
absl::StatusOr<ProcessResult> RunGoCompile(const std::string& dir,
                                           const std::vector<std::string>& files,
                                           const std::vector<std::string>& extra_flags = {});

// Runs gclab's go analysis on source `src` reported as `display_name`.
// Returns the diagnostics; *ok=false if the front end reported errors or
// unsupported constructs (the text then holds those messages).
std::string RunGclab(const std::string& display_name, const std::string& src, bool* ok);

}  // namespace gclab::escape::test_support

#endif  // GCLAB_ESCAPE_TEST_SUPPORT_H_
