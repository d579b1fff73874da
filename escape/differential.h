// Differential testing of the "go" analysis against go 1.19: random
// programs from the generator are compiled by both, per-site decisions are
// compared, and disagreements are minimized by delta debugging.
#ifndef GCLAB_ESCAPE_DIFFERENTIAL_H_
#define GCLAB_ESCAPE_DIFFERENTIAL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace gclab::escape {

// Site key ("line:col|subject") -> decision set ("heap", "stack",
// "leak heap", "leak content", "to ~r0 level=0", ...), from -m output lines
// of `file`.
std::map<std::string, std::set<std::string>> ParseSiteDecisions(const std::string& output,
                                                                const std::string& file);

struct SiteComparison {
  int sites = 0;  // union of site keys
  int agree = 0;
  std::vector<std::string> diffs;  // "key: go={...} gclab={...}"
};
SiteComparison CompareSites(const std::string& go_output, const std::string& gclab_output,
                            const std::string& file);

struct DiffConfig {
  uint64_t seed = 1;
  int programs = 100;
  int per_batch = 50;  // programs (files) per go invocation
  int funcs_per_program = 4;
  std::string go;        // path of the go tool
  std::string workdir;   // scratch directory
  int max_minimize = 3;  // disagreeing programs to minimize and report
  bool verbose = false;
};

struct DiffReport {
  int programs = 0;
  int invalid = 0;         // programs go rejected (generator bugs)
  int gclab_rejected = 0;  // programs gclab rejected but go accepted
  int disagreeing_programs = 0;
  long sites = 0;
  long agree = 0;
  std::vector<std::string> reports;  // minimized disagreements
  double Agreement() const { return sites == 0 ? 100.0 : 100.0 * agree / sites; }
};

DiffReport RunDifferential(const DiffConfig& cfg);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_DIFFERENTIAL_H_
