#include "escape/test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/typecheck.h"

namespace gclab::escape::testing {

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    abort();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) {
    fprintf(stderr, "cannot write %s\n", path.c_str());
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
  std::string base = t != nullptr ? t : "/tmp";
  std::string dir = base + "/" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

std::string GoTool() {
  const char* g = std::getenv("GCLAB_GO");
  std::string path = g != nullptr ? g : "/usr/bin/go";
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

static std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string RunGoCompile(const std::string& dir, const std::string& file, int* exit_code) {
  std::string go = GoTool();
  std::string scratch = ScratchDir("gohome");
  std::string cmd =
      "cd " + ShellQuote(dir) + " && env HOME=" + ShellQuote(scratch) +
      " GOCACHE=" + ShellQuote(scratch + "/cache") + " GOPATH=" + ShellQuote(scratch + "/gopath") +
      " GO111MODULE=off GOTOOLCHAIN=local GOFLAGS= " + ShellQuote(go) + " tool compile -m -l -o " +
      ShellQuote(scratch + "/out.o") + " " + ShellQuote(file) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *exit_code = -1;
    return "popen failed";
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::string RunGclab(const std::string& path, const std::string& display_name, bool* ok) {
  Program prog;
  absl::Status st = LoadProgram(display_name, ReadFileOrDie(path), &prog);
  if (!st.ok()) {
    *ok = false;
    return std::string(st.message());
  }
  *ok = true;
  auto an = MakeEscapeAnalysis("go");
  AnalysisResult r = (*an)->Analyze(prog, AnalysisOptions{});
  return FormatDiagnostics(display_name, r.diags);
}

}  // namespace gclab::escape::testing
