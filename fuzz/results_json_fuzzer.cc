// Fuzz target for results files (experiments/results_io.h), which users feed
// `experiments:compare` (results.json of earlier runs, possibly edited or
// truncated): any input must be read or rejected with an error -- never a
// crash, a hang or a sanitizer report -- and what is read must survive being
// written back (JSON, the incremental JSON, CSV, cycles). (The comparison
// itself is not fuzzed here: experiments/report.cc, which it needs, does
// not compile with clang -- runtime printf formats in absl::StrFormat.)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "experiments/results_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gclab::ExperimentResults> results = gclab::ResultsFromJson(json);
  if (!results.ok()) {
    if (results.status().message().empty()) {
      std::fprintf(stderr, "results fuzzer: an error without a message\n");
      std::abort();
    }
    return 0;
  }
  gclab::ResultsToCsv(*results);
  absl::StatusOr<std::string> again = gclab::ResultsToJson(*results);
  if (!again.ok() || !gclab::ResultsFromJson(*again).ok()) {
    std::fprintf(stderr, "results fuzzer: what was read cannot be written and read back\n");
    std::abort();
  }
  (void)gclab::CyclesToJsonLines(*results);
  gclab::IncrementalResultsJson incremental;
  absl::StatusOr<std::string> doc = incremental.Document(*results);
  if (!doc.ok() || !gclab::ResultsFromJson(*doc).ok()) {
    std::fprintf(stderr, "results fuzzer: the incremental document does not read back\n");
    std::abort();
  }
  return 0;
}
