#include "escape/test_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/typecheck.h"
#include "util/files.h"

namespace gclab::escape::test_support {

std::string ReadFileOrDie(const std::string& path) {
  absl::StatusOr<std::string> s = ReadFile(path);
  if (!s.ok()) {
    fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
    abort();
  }
  return *s;
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  absl::Status st = WriteFileAtomically(path, data);
  if (!st.ok()) {
    fprintf(stderr, "%s\n", std::string(st.message()).c_str());
    abort();
  }
}

std::string TestdataDir() { return "escape/testdata"; }

std::vector<std::string> TestdataGoFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(TestdataDir())) {
    std::string p = e.path().string();
    if (p.size() > 3 && p.substr(p.size() - 3) == ".go") out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ScratchDir(const std::string& name) {
  const char* t = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(t != nullptr ? t : "/tmp", "/", name);
  absl::Status st = MakeDirectories(dir);
  if (!st.ok()) {
    fprintf(stderr, "%s\n", std::string(st.message()).c_str());
    abort();
  }
  return dir;
}

std::string GoTool() {
  const char* g = std::getenv("GCLAB_GO");
  std::string path = g != nullptr ? g : "/usr/bin/go";
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

std::vector<std::string> GoEnv(const std::string& scratch) {
  return {"HOME=" + scratch,
          "GOCACHE=" + scratch + "/gocache",
          "GOPATH=" + scratch + "/gopath",
          "GO111MODULE=off",
          "GOTOOLCHAIN=local",
          "GOFLAGS=",
          "GOPROXY=off"};
}

absl::StatusOr<ProcessResult> RunGoCompile(const std::string& dir,
                                           const std::vector<std::string>& files,
                                           const std::vector<std::string>& extra_flags) {
  std::string scratch = ScratchDir("gohome");
  ProcessOptions o;
  o.argv = {GoTool(), "tool", "compile", "-p", "p", "-m", "-l"};
  for (const std::string& f : extra_flags) o.argv.push_back(f);
  o.argv.push_back("-o");
  o.argv.push_back(scratch + "/out.o");
  for (const std::string& f : files) o.argv.push_back(f);
  o.working_dir = dir;
  o.env = GoEnv(scratch);
  return RunProcess(o);
}

std::string RunGclab(const std::string& display_name, const std::string& src, bool* ok) {
  Program prog;
  absl::Status st = LoadProgram(display_name, src, &prog);
  if (!st.ok()) {
    *ok = false;
    return std::string(st.message());
  }
  auto an = MakeEscapeAnalysis("go");
  AnalysisResult r = (*an)->Analyze(prog, AnalysisOptions{});
  *ok = prog.errors.empty() && prog.unsupported.empty();
  if (!*ok) {
    std::vector<std::string> msgs = prog.errors;
    msgs.insert(msgs.end(), prog.unsupported.begin(), prog.unsupported.end());
    return absl::StrJoin(msgs, "\n");
  }
  return FormatDiagnostics(display_name, r.diags);
}

}  // namespace gclab::escape::test_support
