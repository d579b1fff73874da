#include "experiments/gctrace.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gclab {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

int64_t MsToNs(double ms) { return static_cast<int64_t>(std::llround(ms * 1e6)); }

// "a+b+c" or "a+b/c/d+e" into numbers; false unless exactly `n` of them.
bool Numbers(absl::string_view text, absl::string_view seps, size_t n, std::vector<double>* out) {
  out->clear();
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(seps))) {
    double v;
    if (!absl::SimpleAtod(part, &v) || !(v >= 0)) return false;
    out->push_back(v);
  }
  return out->size() == n;
}

// One line, already known to start with "gc <digit>".
bool ParseLine(absl::string_view line, GoTraceCycle* c) {
  // Sections: "gc N @Ts P%", "a+b+c ms clock", "cpu", "x->y->z MB", "G MB goal", ...
  std::vector<absl::string_view> sections = absl::StrSplit(line, ", ");
  if (sections.size() < 5) return false;
  // "gc 3 @0.046s 1%: 0.017+6.2+0.003 ms clock"
  std::vector<absl::string_view> head = absl::StrSplit(sections[0], ' ', absl::SkipEmpty());
  if (head.size() != 7 || head[0] != "gc" || head[5] != "ms" || head[6] != "clock") return false;
  if (!absl::SimpleAtoi(head[1], &c->cycle)) return false;
  absl::string_view at = head[2];
  double start_s;
  if (!absl::ConsumePrefix(&at, "@") || !absl::ConsumeSuffix(&at, "s") ||
      !absl::SimpleAtod(at, &start_s) || !(start_s >= 0)) {
    return false;
  }
  c->start_ns = MsToNs(start_s * 1e3);
  std::vector<double> v;
  if (!Numbers(head[4], "+", 3, &v)) return false;
  c->sweep_termination_ns = MsToNs(v[0]);
  c->concurrent_mark_ns = MsToNs(v[1]);
  c->mark_termination_ns = MsToNs(v[2]);
  // "0.035+0.69/0.065/3.8+0.007 ms cpu"
  absl::string_view cpu = sections[1];
  if (!absl::ConsumeSuffix(&cpu, " ms cpu") || !Numbers(cpu, "+/", 5, &v)) return false;
  c->assist_cpu_ns = MsToNs(v[1]);
  c->marker_cpu_ns = MsToNs(v[2] + v[3]);
  // "3->4->1 MB"
  absl::string_view heap = sections[2];
  std::vector<uint64_t> mb;
  if (!absl::ConsumeSuffix(&heap, " MB")) return false;
  for (absl::string_view part : absl::StrSplit(heap, "->")) {
    uint64_t x;
    if (!absl::SimpleAtoi(part, &x)) return false;
    mb.push_back(x);
  }
  if (mb.size() != 3) return false;
  c->heap_start_bytes = mb[0] * kMiB;
  c->heap_end_bytes = mb[1] * kMiB;
  c->heap_live_bytes = mb[2] * kMiB;
  // "4 MB goal"
  absl::string_view goal = sections[3];
  uint64_t goal_mb;
  if (!absl::ConsumeSuffix(&goal, " MB goal") || !absl::SimpleAtoi(goal, &goal_mb)) return false;
  c->heap_goal_bytes = goal_mb * kMiB;
  // The last section: "2 P" or "2 P (forced)".
  absl::string_view procs = sections.back();
  c->forced = absl::ConsumeSuffix(&procs, " (forced)");
  if (!absl::ConsumeSuffix(&procs, " P") || !absl::SimpleAtoi(procs, &c->procs)) return false;
  return true;
}

}  // namespace

absl::StatusOr<std::vector<GoTraceCycle>> ParseGcTrace(absl::string_view text) {
  std::vector<GoTraceCycle> cycles;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    // A gctrace line may follow the program's own output on the same line
    // when the program wrote no newline; it always starts "gc <digits> @".
    const size_t at = line.find("gc ");
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = line.substr(at);
    if (rest.size() < 4 || !absl::ascii_isdigit(rest[3]) ||
        rest.find(" @") == absl::string_view::npos) {
      continue;
    }
    GoTraceCycle c;
    if (!ParseLine(rest, &c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("gctrace line ", line_number, " is not in go 1.19's format: ", rest));
    }
    cycles.push_back(c);
  }
  return cycles;
}

GcFigures GcFiguresFromGcTrace(const std::vector<GoTraceCycle>& cycles) {
  GcFigures f;
  for (const GoTraceCycle& t : cycles) {
    PauseRecord first;
    first.cycle = t.cycle;
    first.phase = PausePhase::kSweepTermination;
    first.start_ns = t.start_ns;
    first.duration_ns = t.sweep_termination_ns;
    PauseRecord second;
    second.cycle = t.cycle;
    second.phase = PausePhase::kMarkTermination;
    second.start_ns = t.start_ns + t.sweep_termination_ns + t.concurrent_mark_ns;
    second.duration_ns = t.mark_termination_ns;
    f.pauses.push_back(first);
    f.pauses.push_back(second);

    CycleRecord c;
    c.cycle = t.cycle;
    c.cause = t.forced ? GcCause::kExplicit : GcCause::kHeapTrigger;
    c.collector = "go";
    c.start_ns = t.start_ns;
    c.end_ns = second.start_ns + second.duration_ns;
    c.stw_start_ns = t.sweep_termination_ns;
    c.concurrent_mark_ns = t.concurrent_mark_ns;
    c.stw_end_ns = t.mark_termination_ns;
    c.mark_ns = t.concurrent_mark_ns + t.mark_termination_ns;
    c.marker_cpu_ns = t.marker_cpu_ns;
    c.assist_cpu_ns = t.assist_cpu_ns;
    c.pause_total_ns = first.duration_ns + second.duration_ns;
    c.heap_before_bytes = t.heap_start_bytes;
    c.heap_marked_bytes = t.heap_live_bytes;
    c.heap_after_bytes = t.heap_end_bytes;
    c.heap_goal_bytes = t.heap_goal_bytes;
    c.marker_threads = t.procs;
    f.cycles.push_back(c);
    f.peak_heap_bytes = std::max({f.peak_heap_bytes, t.heap_start_bytes, t.heap_end_bytes});
  }
  f.collections = cycles.size();
  return f;
}

}  // namespace gclab
