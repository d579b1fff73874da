#include "experiments/machine_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gclab {
namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

// The value of "key: value" lines in a /proc file.
std::string ProcField(const std::string& path, absl::string_view key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, key)) {
      std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(':', 1));
      if (parts.size() == 2) return std::string(absl::StripAsciiWhitespace(parts[1]));
    }
  }
  return "";
}

uint64_t KbField(const std::string& path, absl::string_view key) {
  const std::string field = ProcField(path, key);
  absl::string_view v = field;
  absl::ConsumeSuffix(&v, " kB");
  uint64_t kb = 0;
  return absl::SimpleAtoi(v, &kb) ? kb * 1024 : 0;
}

std::string GitCommit(const std::string& dir) {
  if (dir.empty()) return "";
  const std::string git = dir + "/.git";
  std::string head = ReadFirstLine(git + "/HEAD");
  if (head.empty()) return "";
  if (!absl::StartsWith(head, "ref: ")) return head;
  const std::string ref = head.substr(5);
  std::string commit = ReadFirstLine(git + "/" + ref);
  if (!commit.empty()) return commit;
  std::ifstream packed(git + "/packed-refs");
  std::string line;
  while (std::getline(packed, line)) {
    if (absl::EndsWith(line, " " + ref)) return line.substr(0, line.find(' '));
  }
  return "";  // no commits yet
}

std::string BuildMode() {
  std::string mode;
#ifdef NDEBUG
  mode = "opt";
#else
  mode = "debug";
#endif
#if defined(GCLAB_ASAN)
  mode += "+asan";
#endif
#if defined(GCLAB_TSAN)
  mode += "+tsan";
#endif
#if defined(__SANITIZE_UNDEFINED__)
  mode += "+ubsan";
#endif
  return mode;
}

}  // namespace

MachineInfo CollectMachineInfo(const std::string& workspace_dir) {
  MachineInfo info;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) info.set_hostname(host);
  info.set_cores(static_cast<int>(std::thread::hardware_concurrency()));
  info.set_memory_bytes(KbField("/proc/meminfo", "MemTotal"));
  struct utsname u;
  if (uname(&u) == 0) info.set_kernel(absl::StrCat(u.sysname, " ", u.release, " ", u.machine));
  info.set_cpu_model(ProcField("/proc/cpuinfo", "model name"));
#if defined(__clang__)
  info.set_compiler(absl::StrCat("clang ", __clang_version__));
#elif defined(__GNUC__)
  info.set_compiler(absl::StrCat("gcc ", __VERSION__));
#endif
  info.set_build_mode(BuildMode());
  info.set_git_commit(GitCommit(workspace_dir));
  info.set_date(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone()));
  return info;
}

uint64_t PeakRssBytes() { return KbField("/proc/self/status", "VmHWM"); }

bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  if (!out) return false;
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace gclab
