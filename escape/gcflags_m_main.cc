// gcflags_m: prints escape-analysis diagnostics for Go-subset files in the
// format of `go build -gcflags='-m -l'` (go 1.19).
//
// Usage: gcflags_m [-l] [--analysis=go|intraprocedural|all_heap]
//                  [--explain=LINE] [--sites] file.go ...
//
// Exit status: 0 success; 1 usage or I/O error; 2 syntax or type error(s);
// 3 the file(s) contained constructs outside the subset (diagnostics are
// still printed, with the affected functions analysed conservatively).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/typecheck.h"

namespace {

constexpr int kExitUsage = 1;
constexpr int kExitErrors = 2;
constexpr int kExitUnsupported = 3;

int Usage() {
  std::cerr << "usage: gcflags_m [-l] [--analysis=NAME] [--explain=LINE] [--sites] file.go ...\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gclab::escape;
  std::string analysis = "go";
  int explain = 0;
  bool sites = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-l" || a == "-m") continue;
    if (absl::StartsWith(a, "--analysis=")) {
      analysis = a.substr(11);
    } else if (absl::StartsWith(a, "--explain=")) {
      if (!absl::SimpleAtoi(a.substr(10), &explain)) return Usage();
    } else if (a == "--sites") {
      sites = true;
    } else if (absl::StartsWith(a, "-") && a != "-") {
      return Usage();
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return Usage();
  auto an = MakeEscapeAnalysis(analysis);
  if (!an.ok()) {
    std::cerr << an.status().message() << "\n";
    return kExitUsage;
  }
  const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
  int status = 0;
  for (const std::string& f : files) {
    std::string path = f;
    if (wd != nullptr && !f.empty() && f[0] != '/') path = std::string(wd) + "/" + f;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "open " << f << ": no such file or directory\n";
      return kExitUsage;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    Program prog;
    absl::Status st = LoadProgram(f, ss.str(), &prog);
    if (!st.ok()) {
      std::cerr << st.message() << "\n";
      status = kExitErrors;
      continue;
    }
    for (const std::string& u : prog.unsupported) std::cerr << u << "\n";
    AnalysisOptions opts;
    opts.explain_line = explain;
    AnalysisResult r = (*an)->Analyze(prog, opts);
    std::cout << FormatDiagnostics(f, r.diags);
    for (const auto& [line, text] : r.explanations) std::cout << text;
    if (sites) {
      for (const AllocSite& s : r.sites)
        std::cout << "site\t" << s.file << ":" << s.line << ":" << s.col << "\t"
                  << SiteKindName(s.kind) << "\t"
                  << (s.decision == Decision::kHeap ? "heap" : "stack") << "\t" << s.what << "\t"
                  << s.reason << "\n";
      std::cout << "summary\t" << f << "\tstack=" << r.stack_sites << "\theap=" << r.heap_sites
                << "\n";
    }
    if (!r.fully_supported && status == 0) status = kExitUnsupported;
  }
  std::cout.flush();
  return status;
}
