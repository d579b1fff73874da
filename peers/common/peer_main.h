// Command line and driver shared by the native peers: flags (same names as
// the runner's and the Go peers'), running one workload, validation exit
// code, and the PEER_RESULT line.
//
// A policy adds to the workloads.h interface:
//   static constexpr const char* kName;
//   static void Init();                          // before the workload
//   static void Finish(PeerResult* result);      // after: collections, ...
#ifndef GCLAB_PEERS_COMMON_PEER_MAIN_H_
#define GCLAB_PEERS_COMMON_PEER_MAIN_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "peers/common/peer_stats.h"
#include "peers/common/workloads.h"

ABSL_DECLARE_FLAG(std::string, workload);
ABSL_DECLARE_FLAG(int, gcbench_stretch_depth);
ABSL_DECLARE_FLAG(int, gcbench_long_lived_depth);
ABSL_DECLARE_FLAG(int64_t, gcbench_array_size);
ABSL_DECLARE_FLAG(int, gcbench_min_depth);
ABSL_DECLARE_FLAG(int, gcbench_max_depth);
ABSL_DECLARE_FLAG(int, binary_trees_max_depth);
ABSL_DECLARE_FLAG(bool, corrupt_for_testing);

namespace gclab::peers {

// Exit code of a run whose result failed validation.
inline constexpr int kValidationFailedExit = 3;

// Parses flags; returns "" and fills the params, or an error message.
std::string ParsePeerFlags(int argc, char** argv, GcBenchParams* gcbench,
                           BinaryTreesParams* binary_trees);

template <typename P>
int PeerMain(int argc, char** argv) {
  GcBenchParams gcbench;
  BinaryTreesParams binary_trees;
  std::string err = ParsePeerFlags(argc, argv, &gcbench, &binary_trees);
  if (!err.empty()) {
    std::fprintf(stderr, "%s: %s\n", P::kName, err.c_str());
    return 2;
  }
  const std::string workload = absl::GetFlag(FLAGS_workload);
  P::Init();
  PeerResult result;
  result.peer = P::kName;
  result.workload = workload;
  double wall0 = NowSeconds();
  double cpu0 = ProcessCpuSeconds();
  if (workload == "gcbench") {
    err = GcBench<P>::Run(gcbench);
  } else {
    err = BinaryTrees<P>::Run(binary_trees);
  }
  result.wall_s = NowSeconds() - wall0;
  result.cpu_s = ProcessCpuSeconds() - cpu0;
  if (!err.empty()) {
    std::fprintf(stderr, "VALIDATION FAILED: peer=%s workload=%s: %s\n", P::kName, workload.c_str(),
                 err.c_str());
    return kValidationFailedExit;
  }
  P::Finish(&result);
  result.Print();
  return 0;
}

}  // namespace gclab::peers

#endif  // GCLAB_PEERS_COMMON_PEER_MAIN_H_
