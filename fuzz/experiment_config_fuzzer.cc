// Fuzz target for experiment configs (experiments/experiment_config.h), the
// text a user feeds `experiments:run`: any input must give an experiment or a
// clear error that says where (it starts with the file name; parse errors
// carry line:col) -- never a crash, a hang or a sanitizer report. A valid
// experiment must also survive what the runner does before running it:
// planning its runs, --smoke shrinking (and still be valid), heap configs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "experiments/experiment_config.h"
#include "experiments/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gclab::Experiment> e = gclab::ParseExperimentText(text, "fuzz.textproto");
  if (!e.ok()) {
    const std::string message(e.status().message());
    if (e.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(message, "fuzz.textproto")) {
      std::fprintf(stderr, "experiment config fuzzer: an error that does not say where: %s\n",
                   e.status().ToString().c_str());
      std::abort();
    }
    return 0;
  }
  const std::vector<gclab::RunSpec> plan = gclab::PlanRuns(*e);
  if (plan.empty()) {
    std::fprintf(stderr, "experiment config fuzzer: a valid experiment plans no run\n");
    std::abort();
  }
  for (const gclab::HeapConfiguration& c : e->configs()) gclab::HeapConfigFor(c);
  gclab::Experiment smoke = *e;
  gclab::ShrinkExperimentForSmoke(&smoke);
  const absl::Status valid = gclab::ValidateExperiment(smoke);
  if (!valid.ok()) {
    std::fprintf(stderr, "experiment config fuzzer: --smoke made a valid experiment invalid: %s\n",
                 valid.ToString().c_str());
    std::abort();
  }
  return 0;
}
