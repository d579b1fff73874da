// Helpers shared by the escape tests: files, the Go oracle, running gclab.
#ifndef GCLAB_ESCAPE_TEST_UTIL_H_
#define GCLAB_ESCAPE_TEST_UTIL_H_

#include <string>
#include <vector>

namespace gclab::escape::testing {

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
// Runs `go tool compile -m -l -o ... file` in `dir`; returns the combined
// output and sets *exit_code.
std::string RunGoCompile(const std::string& dir, const std::string& file, int* exit_code);
// Runs gclab's go analysis on `path`, reporting it as `display_name`.
// Returns diagnostics text; *ok=false on syntax/type errors (text = error).
std::string RunGclab(const std::string& path, const std::string& display_name, bool* ok);

}  // namespace gclab::escape::testing

#endif  // GCLAB_ESCAPE_TEST_UTIL_H_
