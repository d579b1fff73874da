// Runs an experiment's matrix: configurations x workloads x (warm-ups +
// repetitions). Every run gets a fresh Heap; with fresh_process every run
// also gets a fresh process (the runner re-executes itself with
// --single_run=INDEX and reads the RunResult back).
//
// Valid call sequence
//   ExperimentRunner runner(experiment, options);
//   ExperimentResults results = runner.RunAll();   // progress on options.log
#ifndef GCLAB_EXPERIMENTS_RUNNER_H_
#define GCLAB_EXPERIMENTS_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/experiment.pb.h"
#include "experiments/results.pb.h"

namespace gclab {

// One cell of the matrix.
struct RunSpec {
  int config_index = 0;
  int workload_index = 0;
  int repetition = 0;  // 0-based among measured runs; warm-ups: 0-based too
  bool warmup = false;
  uint64_t seed = 0;
};

// All runs in execution order: per config, per workload, the warm-ups then
// the repetitions. Seeds depend on (workload, repetition), not on the config.
std::vector<RunSpec> PlanRuns(const Experiment& experiment);

// Runs one spec in this process on a fresh heap; never fails (failures are the
// result's status and message).
RunResult ExecuteRun(const Experiment& experiment, const RunSpec& spec);

struct RunnerOptions {
  // Re-execute `self_exe` with `child_args` + --single_run=i
  // --single_run_output=FILE per run.
  bool fresh_process = false;
  std::string self_exe;
  std::vector<std::string> child_args;
  std::string scratch_dir;  // for the children's result files
  // Progress lines (stderr in the binary).
  std::function<void(const std::string&)> log;
};

class ExperimentRunner {
 public:
  ExperimentRunner(const Experiment& experiment, RunnerOptions options)
      : experiment_(experiment), options_(std::move(options)) {}

  // Runs every planned run; measured runs are returned (warm-ups dropped).
  ExperimentResults RunAll();

 private:
  RunResult RunOne(int index, const RunSpec& spec);
  RunResult RunInChild(int index, const RunSpec& spec);

  const Experiment& experiment_;
  RunnerOptions options_;
};

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_RUNNER_H_
