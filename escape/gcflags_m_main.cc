// gcflags_m: prints escape-analysis diagnostics for Go files in the format
// of `go build -gcflags='-m -l'` (go 1.19).
//
//   gcflags_m [-l] [--analysis=go|intraprocedural|all_heap] [--explain=LINE] [--sites] f.go...
//
// Relative paths are resolved against the directory `bazel run` was started
// from and printed as given. Exit status: see escape/gcflags_m.h (the
// highest over all files).
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "escape/gcflags_m.h"
#include "util/files.h"

ABSL_FLAG(std::string, analysis, "go", "Escape analysis: go, intraprocedural or all_heap.");
ABSL_FLAG(int, explain, 0, "Explain (like -m=2) the escaping locations of this line.");
ABSL_FLAG(bool, sites, false, "Also print every allocation site and a stack/heap summary.");
ABSL_FLAG(bool, l, true, "Accepted for compatibility: inlining is never modelled (always -l).");
ABSL_FLAG(bool, m, true, "Accepted for compatibility: the output is always that of -m.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "prints go 1.19's -gcflags='-m -l' escape diagnostics for Go files\n"
      "usage: gcflags_m [-l] [--analysis=NAME] [--explain=LINE] [--sites] file.go ...");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << "usage: gcflags_m [-l] [--analysis=NAME] [--explain=LINE] [--sites] file.go ...\n";
    return gclab::escape::kExitUsage;
  }
  gclab::escape::GcflagsOptions opts;
  opts.analysis = absl::GetFlag(FLAGS_analysis);
  opts.explain_line = absl::GetFlag(FLAGS_explain);
  opts.sites = absl::GetFlag(FLAGS_sites);
  int status = gclab::escape::kExitOk;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string name = args[i];
    absl::StatusOr<std::string> src = gclab::ReadFile(gclab::ResolveUserPath(name));
    if (!src.ok()) {
      std::cerr << "open " << name << ": " << src.status().message() << "\n";
      return gclab::escape::kExitUsage;
    }
    gclab::escape::GcflagsResult r = gclab::escape::RunGcflagsM(name, *src, opts);
    std::cout << r.out;
    std::cerr << r.err;
    if (r.exit_code == gclab::escape::kExitUsage) return r.exit_code;
    if (r.exit_code == gclab::escape::kExitErrors ||
        (r.exit_code == gclab::escape::kExitUnsupported && status == gclab::escape::kExitOk))
      status = r.exit_code;
  }
  std::cout.flush();
  return status;
}
