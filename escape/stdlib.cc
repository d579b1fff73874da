#include "escape/stdlib.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "escape/stdlib_generated.h"

namespace gclab::escape {
const std::vector<StdPackage>& StdPackages() { return GeneratedStdPackages(); }

const StdPackage* FindStdPackage(absl::string_view path) {
  for (const StdPackage& p : StdPackages())
    if (path == p.path) return &p;
  return nullptr;
}

ParamTag ParseTag(absl::string_view tag, int nresults, bool* ok) {
  ParamTag t;
  *ok = true;
  t.results.assign(nresults, -1);
  if (tag.empty() || tag == "-") return t;
  for (absl::string_view part : absl::StrSplit(tag, ',')) {
    int lvl = 0;
    if (part.size() >= 2 && part[0] == 'h') {
      if (!absl::SimpleAtoi(part.substr(1), &lvl) || lvl < 0) *ok = false;
      t.heap = lvl;
    } else if (part.size() >= 4 && part[0] == 'r') {
      std::vector<absl::string_view> kv = absl::StrSplit(part.substr(1), ':');
      int idx = 0;
      if (kv.size() != 2 || !absl::SimpleAtoi(kv[0], &idx) || !absl::SimpleAtoi(kv[1], &lvl) ||
          idx < 0 || lvl < 0) {
        *ok = false;
        continue;
      }
      if (idx < nresults) t.results[idx] = lvl;
    } else {
      *ok = false;
    }
  }
  return t;
}

}  // namespace gclab::escape
