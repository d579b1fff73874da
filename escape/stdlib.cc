#include "escape/stdlib.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "escape/stdlib_generated.h"

namespace gclab::escape {
namespace {

// Hand-checked summaries (go build -a -gcflags=PKG=-m PKG, go 1.19.8).
const char kFmt[] = R"GO(package fmt
//gclab:esc h1
func Println(a ...any) (n int, err error)
//gclab:esc h1
func Print(a ...any) (n int, err error)
//gclab:esc - h1
func Printf(format string, a ...any) (n int, err error)
//gclab:esc - h1
func Sprintf(format string, a ...any) string
//gclab:esc h1
func Sprint(a ...any) string
//gclab:esc h1
func Sprintln(a ...any) string
//gclab:esc - h1
func Errorf(format string, a ...any) error
)GO";

const char kErrors[] = R"GO(package errors
//gclab:esc h0
func New(text string) error
//gclab:esc h0
func Unwrap(err error) error
//gclab:esc h0 h0
func Is(err error, target error) bool
//gclab:esc h0 h0
func As(err error, target any) bool
)GO";

const char kSync[] = R"GO(package sync
type Mutex struct { _ int32; _ uint32 }
type WaitGroup struct { _ uint64; _ uint32 }
type Once struct { _ uint32; _ Mutex }
//gclab:esc h0
func (m *Mutex) Lock()
//gclab:esc h0
func (m *Mutex) Unlock()
//gclab:esc h0
func (m *Mutex) TryLock() bool
//gclab:esc h0 -
func (wg *WaitGroup) Add(delta int)
//gclab:esc h0
func (wg *WaitGroup) Done()
//gclab:esc h0
func (wg *WaitGroup) Wait()
//gclab:esc h0 -
func (o *Once) Do(f func())
)GO";

}  // namespace

const std::vector<StdPackage>& StdPackages() {
  static const auto* v = [] {
    auto* out = new std::vector<StdPackage>(GeneratedStdPackages());
    auto put = [&](StdPackage p) {
      for (StdPackage& q : *out)
        if (absl::string_view(q.path) == p.path) {
          q = p;
          return;
        }
      out->push_back(p);
    };
    put({"fmt", "fmt", kFmt});
    put({"errors", "errors", kErrors});
    if (FindGeneratedStdPackage("sync") == nullptr) put({"sync", "sync", kSync});
    return out;
  }();
  return *v;
}

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
