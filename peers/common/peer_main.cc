#include "peers/common/peer_main.h"

#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"

// Defaults are the published ones (GCBench 18/16/500000/4/16, binary-trees
// 21); the runner passes gclab's quickstart sizes.
ABSL_FLAG(std::string, workload, "gcbench", "gcbench or binary_trees");
ABSL_FLAG(int, gcbench_stretch_depth, 18, "GCBench stretch tree depth");
ABSL_FLAG(int, gcbench_long_lived_depth, 16, "GCBench long-lived tree depth");
ABSL_FLAG(int64_t, gcbench_array_size, 500000, "GCBench long-lived array");
ABSL_FLAG(int, gcbench_min_depth, 4, "GCBench min temporary tree depth");
ABSL_FLAG(int, gcbench_max_depth, 16, "GCBench max temporary tree depth");
ABSL_FLAG(int, binary_trees_max_depth, 21, "binary-trees n");
ABSL_FLAG(bool, corrupt_for_testing, false, "damage the long-lived tree so validation must fail");

namespace gclab::peers {

std::string ParsePeerFlags(int argc, char** argv, GcBenchParams* gcbench,
                           BinaryTreesParams* binary_trees) {
  absl::ParseCommandLine(argc, argv);
  std::string w = absl::GetFlag(FLAGS_workload);
  if (w != "gcbench" && w != "binary_trees") {
    return absl::StrFormat("--workload must be gcbench or binary_trees, got %s", w);
  }
  gcbench->stretch_depth = absl::GetFlag(FLAGS_gcbench_stretch_depth);
  gcbench->long_lived_depth = absl::GetFlag(FLAGS_gcbench_long_lived_depth);
  gcbench->array_size = absl::GetFlag(FLAGS_gcbench_array_size);
  gcbench->min_depth = absl::GetFlag(FLAGS_gcbench_min_depth);
  gcbench->max_depth = absl::GetFlag(FLAGS_gcbench_max_depth);
  binary_trees->max_depth = absl::GetFlag(FLAGS_binary_trees_max_depth);
  bool corrupt = absl::GetFlag(FLAGS_corrupt_for_testing);
  gcbench->corrupt_for_testing = corrupt;
  binary_trees->corrupt_for_testing = corrupt;
  auto in = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
  if (!in(gcbench->stretch_depth, 1, 30) || !in(gcbench->long_lived_depth, 2, 30) ||
      !in(gcbench->min_depth, 0, 30) ||
      !in(gcbench->max_depth, gcbench->min_depth, gcbench->stretch_depth) ||
      gcbench->array_size < 0 || gcbench->array_size > (int64_t{1} << 32)) {
    return "GCBench sizes out of range (depths in [0, 30], "
           "min <= max <= stretch, long-lived >= 2, array in [0, 2^32])";
  }
  if (!in(binary_trees->max_depth, 2, 30)) {
    return "--binary_trees_max_depth must be in [2, 30]";
  }
  return "";
}

}  // namespace gclab::peers
