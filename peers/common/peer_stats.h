// Pause statistics and the PEER_RESULT line shared by the native peers and
// the runner: percentiles, minimum mutator utilization (MMU) from a list of
// pause intervals, and /proc/self/status VmHWM.
#ifndef GCLAB_PEERS_COMMON_PEER_STATS_H_
#define GCLAB_PEERS_COMMON_PEER_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gclab::peers {

// One stop-the-world pause, in milliseconds since the run's start.
struct Pause {
  double start_ms = 0;
  double duration_ms = 0;
};

struct PauseSummary {
  uint64_t count = 0;
  double total_ms = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentile (q in [0, 1]) of `values`; 0 if empty.
double Percentile(std::vector<double> values, double q);

PauseSummary SummarizePauses(const std::vector<Pause>& pauses);

// Minimum over all windows of `window_ms` inside [0, run_ms] of the fraction
// of the window not covered by pauses. 1 without pauses; 0 if a pause covers
// a whole window. If run_ms < window_ms the whole run is the one window.
double MinimumMutatorUtilization(const std::vector<Pause>& pauses, double run_ms, double window_ms);

// "start:duration;start:duration" (ms, 4 decimals) and back.
std::string FormatPauses(const std::vector<Pause>& pauses);
bool ParsePauses(const std::string& text, std::vector<Pause>* pauses);

// Peak resident set (VmHWM) of this process in bytes, 0 if unknown.
uint64_t PeakRssBytes();

// Monotonic clock and process CPU time, in seconds.
double NowSeconds();
double ProcessCpuSeconds();

// What a native peer measured; Print() writes the PEER_RESULT line.
struct PeerResult {
  std::string peer;
  std::string workload;
  double wall_s = 0;
  double cpu_s = 0;
  uint64_t collections = 0;
  std::vector<Pause> pauses;
  uint64_t peak_heap_bytes = 0;
  uint64_t bytes_allocated = 0;
  uint64_t objects_allocated = 0;
  std::string extra;  // appended verbatim ("key=value ...")

  void Print() const;
};

}  // namespace gclab::peers

#endif  // GCLAB_PEERS_COMMON_PEER_STATS_H_
