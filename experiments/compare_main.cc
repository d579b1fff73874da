// Compares two results.json files side by side.
//
//   bazel run //experiments:compare -- a/results.json b/results.json
//
// Relative paths are resolved against the directory `bazel run` was called
// from. Exit status 0, or 1 on a usage or read error.
#include <cstdio>

#include "experiments/compare.h"
#include "experiments/results_io.h"
#include "util/files.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s a/results.json b/results.json\n", argv[0]);
    return 1;
  }
  absl::StatusOr<gclab::ExperimentResults> a =
      gclab::ReadResultsJsonFile(gclab::ResolveUserPath(argv[1]));
  absl::StatusOr<gclab::ExperimentResults> b =
      gclab::ReadResultsJsonFile(gclab::ResolveUserPath(argv[2]));
  for (const auto* r : {&a, &b}) {
    if (!r->ok()) {
      std::fprintf(stderr, "compare: %s\n", std::string(r->status().message()).c_str());
      return 1;
    }
  }
  const gclab::Comparison c = gclab::CompareResults(*a, *b);
  std::fputs(gclab::FormatComparison(c, argv[1], argv[2]).c_str(), stdout);
  return 0;
}
