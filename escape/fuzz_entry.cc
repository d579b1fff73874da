#include "escape/fuzz_entry.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "escape/gcflags_m.h"
#include "escape/stack_guard.h"
#include "escape/typecheck.h"

namespace gclab::escape {
namespace {

// Whether a message starts with "fuzz.go:LINE:COL:" (LINE, COL > 0).
bool Positioned(absl::string_view line) {
  if (!absl::ConsumePrefix(&line, "fuzz.go:")) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(':', 2));
  int l = 0, c = 0;
  return parts.size() == 3 && absl::SimpleAtoi(parts[0], &l) && absl::SimpleAtoi(parts[1], &c) &&
         l > 0 && c > 0;
}

}  // namespace

std::string FuzzOneInput(absl::string_view source) {
  // Every message of the front end starts with a position (a message may
  // span lines: go quotes a raw string literal in a syntax error as is).
  std::string violation;
  RunWithLargeStack([&] {
    Program prog;
    absl::Status st = LoadProgram("fuzz.go", source, &prog);
    std::vector<std::string> messages = prog.errors;
    messages.insert(messages.end(), prog.unsupported.begin(), prog.unsupported.end());
    if (!st.ok()) messages.push_back(std::string(st.message()));
    for (const std::string& m : messages)
      if (!Positioned(m)) violation = absl::StrCat("message without a position: ", m);
  });
  if (!violation.empty()) return violation;
  for (const char* analysis : {"go", "intraprocedural", "all_heap"}) {
    GcflagsOptions o;
    o.analysis = analysis;
    o.sites = true;
    o.explain_line = 2;
    GcflagsResult r = RunGcflagsM("fuzz.go", source, o);
    if (r.exit_code != kExitOk && r.exit_code != kExitErrors && r.exit_code != kExitUnsupported)
      return absl::StrCat(analysis, ": unexpected exit code ", r.exit_code, "\n", r.err);
    if (r.exit_code != kExitOk && !Positioned(r.err))
      return absl::StrCat(analysis, ": exit code ", r.exit_code, " without a positioned message");
  }
  return "";
}

}  // namespace gclab::escape
