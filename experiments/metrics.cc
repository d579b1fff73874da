#include "experiments/metrics.h"

#include <algorithm>
#include <cmath>

namespace gclab {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  p = std::clamp(p, 0.0, 100.0);
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = rank - static_cast<double>(lo);
  return values[lo] + (values[hi] - values[lo]) * frac;
}

PauseSummary SummarizePauses(const std::vector<TimeInterval>& pauses) {
  PauseSummary s;
  s.count = pauses.size();
  if (pauses.empty()) return s;
  std::vector<double> ms;
  ms.reserve(pauses.size());
  for (const TimeInterval& p : pauses) {
    const double d = static_cast<double>(p.duration_ns) / 1e6;
    ms.push_back(d);
    s.total_ms += d;
    s.max_ms = std::max(s.max_ms, d);
  }
  s.mean_ms = s.total_ms / static_cast<double>(ms.size());
  s.p50_ms = Percentile(ms, 50);
  s.p99_ms = Percentile(ms, 99);
  return s;
}

std::vector<TimeInterval> ClipAndMerge(const std::vector<TimeInterval>& pauses, int64_t span_start,
                                       int64_t span_end) {
  std::vector<TimeInterval> clipped;
  for (const TimeInterval& p : pauses) {
    const int64_t s = std::max(p.start_ns, span_start);
    const int64_t e = std::min(p.end_ns(), span_end);
    if (e > s) clipped.push_back({s, e - s});
  }
  std::sort(clipped.begin(), clipped.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.start_ns < b.start_ns; });
  std::vector<TimeInterval> merged;
  for (const TimeInterval& p : clipped) {
    if (!merged.empty() && p.start_ns <= merged.back().end_ns()) {
      const int64_t end = std::max(merged.back().end_ns(), p.end_ns());
      merged.back().duration_ns = end - merged.back().start_ns;
    } else {
      merged.push_back(p);
    }
  }
  return merged;
}

namespace {

// Pause time in [span_start, x) over sorted disjoint intervals, with prefix
// sums of their durations.
class PauseIndex {
 public:
  explicit PauseIndex(std::vector<TimeInterval> merged) : merged_(std::move(merged)) {
    prefix_.resize(merged_.size() + 1, 0);
    for (size_t i = 0; i < merged_.size(); ++i) {
      prefix_[i + 1] = prefix_[i] + merged_[i].duration_ns;
    }
  }
  int64_t PausedBefore(int64_t x) const {
    // First interval starting at or after x.
    auto it = std::lower_bound(merged_.begin(), merged_.end(), x,
                               [](const TimeInterval& p, int64_t v) { return p.start_ns < v; });
    const size_t k = static_cast<size_t>(it - merged_.begin());
    int64_t total = prefix_[k];
    if (k > 0 && merged_[k - 1].end_ns() > x) total -= merged_[k - 1].end_ns() - x;
    return total;
  }
  int64_t PausedIn(int64_t a, int64_t b) const { return PausedBefore(b) - PausedBefore(a); }
  const std::vector<TimeInterval>& merged() const { return merged_; }

 private:
  std::vector<TimeInterval> merged_;
  std::vector<int64_t> prefix_;
};

double Mmu(const PauseIndex& index, int64_t span_start, int64_t span_end, int64_t window) {
  const int64_t span = span_end - span_start;
  if (span <= 0) return 1.0;
  if (window <= 0) return index.merged().empty() ? 1.0 : 0.0;
  if (window >= span) {
    return 1.0 -
           static_cast<double>(index.PausedIn(span_start, span_end)) / static_cast<double>(span);
  }
  const int64_t last = span_end - window;
  int64_t worst = index.PausedIn(span_start, span_start + window);
  auto consider = [&](int64_t t) {
    t = std::clamp(t, span_start, last);
    worst = std::max(worst, index.PausedIn(t, t + window));
  };
  consider(last);
  for (const TimeInterval& p : index.merged()) {
    consider(p.start_ns);
    consider(p.end_ns());
    consider(p.start_ns - window);
    consider(p.end_ns() - window);
  }
  return static_cast<double>(window - worst) / static_cast<double>(window);
}

}  // namespace

double MinimumMutatorUtilization(const std::vector<TimeInterval>& pauses, int64_t span_start,
                                 int64_t span_end, int64_t window_ns) {
  PauseIndex index(ClipAndMerge(pauses, span_start, span_end));
  return Mmu(index, span_start, span_end, window_ns);
}

std::vector<std::pair<int64_t, double>> MmuCurve(const std::vector<TimeInterval>& pauses,
                                                 int64_t span_start, int64_t span_end,
                                                 const std::vector<int64_t>& windows_ns) {
  PauseIndex index(ClipAndMerge(pauses, span_start, span_end));
  std::vector<std::pair<int64_t, double>> curve;
  for (int64_t w : windows_ns) curve.emplace_back(w, Mmu(index, span_start, span_end, w));
  return curve;
}

Spread Summarize(const std::vector<double>& values) {
  Spread s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  s.median = Percentile(values, 50);
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  return s;
}

bool WithinNoise(const Spread& a, const Spread& b) { return a.min <= b.max && b.min <= a.max; }

}  // namespace gclab
