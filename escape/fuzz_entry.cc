#include "escape/fuzz_entry.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "escape/gcflags_m.h"

namespace gclab::escape {
namespace {

// Whether a stderr line starts with "fuzz.go:LINE:COL:" (LINE, COL > 0).
bool Positioned(absl::string_view line) {
  if (!absl::ConsumePrefix(&line, "fuzz.go:")) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(':', 2));
  int l = 0, c = 0;
  return parts.size() == 3 && absl::SimpleAtoi(parts[0], &l) && absl::SimpleAtoi(parts[1], &c) &&
         l > 0 && c > 0;
}

}  // namespace

std::string FuzzOneInput(absl::string_view source) {
  for (const char* analysis : {"go", "intraprocedural", "all_heap"}) {
    GcflagsOptions o;
    o.analysis = analysis;
    o.sites = true;
    o.explain_line = 2;
    GcflagsResult r = RunGcflagsM("fuzz.go", source, o);
    if (r.exit_code != kExitOk && r.exit_code != kExitErrors && r.exit_code != kExitUnsupported)
      return absl::StrCat(analysis, ": unexpected exit code ", r.exit_code, "\n", r.err);
    if (r.exit_code != kExitOk && r.err.empty())
      return absl::StrCat(analysis, ": exit code ", r.exit_code, " without a message");
    for (absl::string_view line : absl::StrSplit(r.err, '\n', absl::SkipEmpty())) {
      // Continuation lines of a multi-line message start with a tab.
      if (absl::StartsWith(line, "\t")) continue;
      if (!Positioned(line)) return absl::StrCat(analysis, ": message without a position: ", line);
    }
  }
  return "";
}

}  // namespace gclab::escape
