#include "escape/stdlib.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace gclab::escape {

const std::vector<StdFunc>& StdFuncs() {
  static const auto* v = new std::vector<StdFunc>{
      {"fmt", "Println", "func(a ...any) (n int, err error)", {"h1"}},
      {"fmt", "Print", "func(a ...any) (n int, err error)", {"h1"}},
      {"fmt", "Printf", "func(format string, a ...any) (n int, err error)", {"", "h1"}},
      {"fmt", "Sprintf", "func(format string, a ...any) string", {"", "h1"}},
      {"fmt", "Sprint", "func(a ...any) string", {"h1"}},
      {"fmt", "Sprintln", "func(a ...any) string", {"h1"}},
      {"fmt", "Errorf", "func(format string, a ...any) error", {"", "h1"}},
      {"strings", "Contains", "func(s string, substr string) bool", {"", ""}},
      {"strings", "HasPrefix", "func(s string, prefix string) bool", {"", ""}},
      {"strings", "HasSuffix", "func(s string, suffix string) bool", {"", ""}},
      {"strings", "Index", "func(s string, substr string) int", {"", ""}},
      {"strings", "LastIndex", "func(s string, substr string) int", {"", ""}},
      {"strings", "Count", "func(s string, substr string) int", {"", ""}},
      {"strings", "EqualFold", "func(s string, t string) bool", {"", ""}},
      {"strings", "Split", "func(s string, sep string) []string", {"h0", ""}},
      {"strings", "Fields", "func(s string) []string", {"h0"}},
      {"strings", "Join", "func(elems []string, sep string) string", {"r0:1", ""}},
      {"strings", "Repeat", "func(s string, count int) string", {"", ""}},
      {"strings", "ToUpper", "func(s string) string", {"r0:0"}},
      {"strings", "ToLower", "func(s string) string", {"r0:0"}},
      {"strings", "TrimSpace", "func(s string) string", {"r0:0"}},
      {"strings", "Trim", "func(s string, cutset string) string", {"r0:0", ""}},
      {"strings", "TrimPrefix", "func(s string, prefix string) string", {"r0:0", ""}},
      {"strings", "TrimSuffix", "func(s string, suffix string) string", {"r0:0", ""}},
      {"strings",
       "Replace",
       "func(s string, old string, new string, n int) string",
       {"r0:0", "", "", ""}},
      {"strings", "ReplaceAll", "func(s string, old string, new string) string", {"r0:0", "", ""}},
      {"errors", "New", "func(text string) error", {"h0"}},
      {"errors", "Unwrap", "func(err error) error", {"h0"}},
      {"errors", "Is", "func(err error, target error) bool", {"h0", "h0"}},
      {"errors", "As", "func(err error, target any) bool", {"h0", "h0"}},
      {"sync", "(*Mutex).Lock", "func()", {"h0"}},
      {"sync", "(*Mutex).Unlock", "func()", {"h0"}},
      {"sync", "(*Mutex).TryLock", "func() bool", {"h0"}},
      {"sync", "(*WaitGroup).Add", "func(delta int)", {"h0", ""}},
      {"sync", "(*WaitGroup).Done", "func()", {"h0"}},
      {"sync", "(*WaitGroup).Wait", "func()", {"h0"}},
      {"sync", "(*Once).Do", "func(f func())", {"h0", ""}},
  };
  return *v;
}

const std::vector<StdType>& StdTypes() {
  static const auto* v = new std::vector<StdType>{
      {"sync", "Mutex", "struct { state int32; sema uint32 }"},
      {"sync", "WaitGroup", "struct { state1 uint64; state2 uint32 }"},
      {"sync", "Once", "struct { done uint32; m Mutex }"},
  };
  return *v;
}

bool IsSupportedImport(absl::string_view path) {
  return path == "fmt" || path == "strings" || path == "errors" || path == "sync";
}

ParamTag ParseTag(absl::string_view tag, int nresults) {
  ParamTag t;
  t.results.assign(nresults, -1);
  if (tag.empty()) return t;
  for (absl::string_view part : absl::StrSplit(tag, ',')) {
    int lvl = 0;
    if (part[0] == 'h') {
      (void)absl::SimpleAtoi(part.substr(1), &lvl);
      t.heap = lvl;
    } else if (part[0] == 'r') {
      std::vector<absl::string_view> kv = absl::StrSplit(part.substr(1), ':');
      int idx = 0;
      (void)absl::SimpleAtoi(kv[0], &idx);
      (void)absl::SimpleAtoi(kv[1], &lvl);
      if (idx < nresults) t.results[idx] = lvl;
    }
  }
  return t;
}

}  // namespace gclab::escape
