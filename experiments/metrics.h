// Run metrics: percentiles, pause summaries, minimum mutator utilization
// (MMU, Cheng & Blelloch 2001) and spreads over repetitions. Pure functions
// over plain data, so they can be tested on hand-computed examples.
#ifndef GCLAB_EXPERIMENTS_METRICS_H_
#define GCLAB_EXPERIMENTS_METRICS_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace gclab {

// A time interval [start_ns, start_ns + duration_ns).
struct TimeInterval {
  int64_t start_ns = 0;
  int64_t duration_ns = 0;
  int64_t end_ns() const { return start_ns + duration_ns; }
};

// The p-th percentile (p in [0, 100]) with linear interpolation between the
// closest ranks (numpy's default): rank = p/100 * (n-1). 0 for no values.
double Percentile(std::vector<double> values, double p);

struct PauseSummary {
  uint64_t count = 0;
  double total_ms = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};
PauseSummary SummarizePauses(const std::vector<TimeInterval>& pauses);

// Unions overlapping intervals after clipping them to [span_start, span_end);
// returns them sorted and disjoint.
std::vector<TimeInterval> ClipAndMerge(const std::vector<TimeInterval>& pauses, int64_t span_start,
                                       int64_t span_end);

// Minimum mutator utilization for windows of `window_ns` over the run span
// [span_start, span_end): the minimum over all window positions inside the
// span of (window - pause time inside the window) / window. Computed exactly:
// the pause time in a sliding window is piecewise linear in its position,
// so its maximum is at a breakpoint (a window edge meeting a pause edge) or at
// the span's ends. If the window is at least the span, it is the span's
// utilization, 1 - pauses/span. 1 for an empty span.
double MinimumMutatorUtilization(const std::vector<TimeInterval>& pauses, int64_t span_start,
                                 int64_t span_end, int64_t window_ns);

// MMU at each window (ns); pairs (window_ns, mmu).
std::vector<std::pair<int64_t, double>> MmuCurve(const std::vector<TimeInterval>& pauses,
                                                 int64_t span_start, int64_t span_end,
                                                 const std::vector<int64_t>& windows_ns);

// Spread over repetitions.
struct Spread {
  int n = 0;
  double min = 0;
  double median = 0;
  double max = 0;
  double mean = 0;
};
Spread Summarize(const std::vector<double>& values);

// Whether two spreads are within noise of each other: their [min, max] ranges
// overlap.
bool WithinNoise(const Spread& a, const Spread& b);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_METRICS_H_
