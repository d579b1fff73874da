// Runs an experiment's matrix: configurations x workloads x (warm-ups +
// repetitions). Every run gets a fresh Heap; with fresh_process every run
// also gets a fresh process (the runner re-executes itself with
// --single_run=INDEX and reads the RunResult back).
//
// Failures are results, not the end of the experiment: a run that exhausts
// the heap limit (oom), fails its workload's validation (validation_failed)
// or, with fresh_process, crashes (crashed) or runs out of time (timeout) is
// recorded in its row, and the next run starts.
//
// Valid call sequence
//   ExperimentRunner runner(experiment, options);
//   ExperimentResults results = runner.RunAll();   // progress on options.log
//                                                  // results on on_run_done
#ifndef GCLAB_EXPERIMENTS_RUNNER_H_
#define GCLAB_EXPERIMENTS_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "experiments/experiment.pb.h"
#include "experiments/external_run.h"
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

// Runs one spec: in this process on a fresh heap, or, for a Go program or
// Go's runtime (experiments/external_run.h), as its own process. Never fails
// (failures are the result's status and message).
RunResult ExecuteRun(const Experiment& experiment, const RunSpec& spec,
                     const ExternalRunOptions& external = {});

// The identifying fields of spec's row (config, modules, workload,
// repetition, seed), no figures.
RunResult RowFor(const Experiment& experiment, const RunSpec& spec);

struct RunnerOptions {
  // Re-execute `self_exe` with `child_args` + --single_run=i
  // --single_run_output=FILE per run.
  bool fresh_process = false;
  std::string self_exe;
  std::vector<std::string> child_args;
  std::string scratch_dir;  // for the children's result files
  // fresh_process: a run still going after this long is killed (timeout).
  absl::Duration run_timeout = absl::InfiniteDuration();
  // Progress lines (stderr in the binary).
  std::function<void(const std::string&)> log;
  // After every measured run, with the results so far (complete = false
  // until the last): the binary rewrites its result files here, so an
  // interrupted experiment leaves valid files behind.
  std::function<void(const ExperimentResults&)> on_run_done;
  // Checked between runs: once true, no further run starts and RunAll
  // returns what ran (complete = false). Set from a signal handler.
  const std::atomic<bool>* stop = nullptr;
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
