#include "peers/common/peer_stats.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gclab::peers {

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(q * static_cast<double>(values.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

PauseSummary SummarizePauses(const std::vector<Pause>& pauses) {
  PauseSummary s;
  std::vector<double> d;
  d.reserve(pauses.size());
  for (const Pause& p : pauses) {
    d.push_back(p.duration_ms);
    s.total_ms += p.duration_ms;
    s.max_ms = std::max(s.max_ms, p.duration_ms);
  }
  s.count = pauses.size();
  s.p50_ms = Percentile(d, 0.50);
  s.p99_ms = Percentile(d, 0.99);
  return s;
}

namespace {

// Paused time inside [lo, hi).
double PausedIn(const std::vector<Pause>& pauses, double lo, double hi) {
  double sum = 0;
  for (const Pause& p : pauses) {
    double a = std::max(lo, p.start_ms);
    double b = std::min(hi, p.start_ms + p.duration_ms);
    if (b > a) sum += b - a;
  }
  return sum;
}

}  // namespace

double MinimumMutatorUtilization(const std::vector<Pause>& pauses, double run_ms,
                                 double window_ms) {
  if (window_ms <= 0) return 0;
  if (run_ms < window_ms) window_ms = run_ms;
  if (window_ms <= 0) return pauses.empty() ? 1 : 0;
  // The worst window starts at a pause start or ends at a pause end (or sits
  // at the edges of the run); check all of those candidates.
  std::vector<double> starts = {0, run_ms - window_ms};
  for (const Pause& p : pauses) {
    starts.push_back(p.start_ms);
    starts.push_back(p.start_ms + p.duration_ms - window_ms);
  }
  double worst = 1;
  for (double s : starts) {
    s = std::clamp(s, 0.0, run_ms - window_ms);
    double paused = PausedIn(pauses, s, s + window_ms);
    worst = std::min(worst, std::max(0.0, 1 - paused / window_ms));
  }
  return worst;
}

std::string FormatPauses(const std::vector<Pause>& pauses) {
  return absl::StrJoin(pauses, ";", [](std::string* out, const Pause& p) {
    absl::StrAppendFormat(out, "%.4f:%.4f", p.start_ms, p.duration_ms);
  });
}

bool ParsePauses(const std::string& text, std::vector<Pause>* pauses) {
  pauses->clear();
  if (text.empty()) return true;
  for (absl::string_view item : absl::StrSplit(text, ';')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    Pause p;
    if (parts.size() != 2 || !absl::SimpleAtod(parts[0], &p.start_ms) ||
        !absl::SimpleAtod(parts[1], &p.duration_ms)) {
      return false;
    }
    pauses->push_back(p);
  }
  return true;
}

uint64_t PeakRssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      uint64_t kb = 0;
      std::sscanf(line.c_str(), "VmHWM: %lu", &kb);
      return kb * 1024;
    }
  }
  return 0;
}

double NowSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

void PeerResult::Print() const {
  PauseSummary s = SummarizePauses(pauses);
  std::string line = absl::StrFormat(
      "PEER_RESULT peer=%s workload=%s wall_s=%.6f cpu_s=%.6f collections=%d "
      "pauses=%d pause_total_ms=%.4f pause_max_ms=%.4f pause_p50_ms=%.4f "
      "pause_p99_ms=%.4f peak_heap_bytes=%d peak_rss_bytes=%d "
      "bytes_allocated=%d objects_allocated=%d",
      peer, workload, wall_s, cpu_s, collections, s.count, s.total_ms, s.max_ms, s.p50_ms, s.p99_ms,
      peak_heap_bytes, PeakRssBytes(), bytes_allocated, objects_allocated);
  if (!extra.empty()) absl::StrAppend(&line, " ", extra);
  absl::StrAppend(&line, " pause_list_ms=", FormatPauses(pauses), " ok=1\n");
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace gclab::peers
