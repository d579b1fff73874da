#include "gocompile/build.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gocompile/compiler.h"
#include "util/files.h"
#include "util/subprocess.h"

namespace gclab::gocompile {
namespace {

// FNV-1a over the inputs, 128 bits as two lanes.
std::string ContentHash(const std::vector<std::string>& parts) {
  uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
  for (const std::string& p : parts) {
    for (unsigned char c : p) {
      a = (a ^ c) * 0x100000001b3ULL;
      b = (b ^ c) * 0x100000001b3ULL + 0x9E3779B97F4A7C15ULL;
    }
    a = (a ^ 0xFF) * 0x100000001b3ULL;
  }
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buf;
}

std::string DefaultCacheDir() {
  if (const char* c = std::getenv("GCLAB_GORUN_CACHE")) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME")) return absl::StrCat(x, "/gclab-gorun");
  if (const char* h = std::getenv("HOME")) return absl::StrCat(h, "/.cache/gclab-gorun");
  return "/tmp/gclab-gorun";
}

// What identifies the runtime a binary links: the library's size and
// modification time.
std::string RuntimeStamp(const std::string& lib) {
  struct stat st;
  if (::stat(lib.c_str(), &st) != 0) return "";
  return absl::StrCat(st.st_size, ":", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The cache's binary for a key directory; cached if it is already built.
GoBuildResult CacheEntry(const std::string& dir) {
  GoBuildResult r;
  r.binary = absl::StrCat(dir, "/prog");
  r.cached = IsRegularFile(r.binary);
  return r;
}

// Runs a compiler that writes `binary`.tmp, then renames that into place, so
// a concurrent user of the cache never sees a partial binary.
absl::Status RunCompiler(const ProcessOptions& p, const std::string& what,
                         const std::string& binary) {
  absl::StatusOr<ProcessResult> ran = RunProcess(p);
  if (!ran.ok()) return ran.status();
  if (!ran->Succeeded()) {
    return absl::InternalError(
        absl::StrCat(what, " failed (", ran->Describe(), "):\n", ran->stderr_text));
  }
  if (std::rename((binary + ".tmp").c_str(), binary.c_str()) != 0)
    return absl::InternalError(absl::StrCat("cannot rename ", binary, ".tmp"));
  return absl::OkStatus();
}

}  // namespace

std::string RuntimeRootFor(const std::string& argv0) {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  std::string self = n > 0 ? std::string(exe, static_cast<size_t>(n)) : argv0;
  for (const std::string& cand : {self + ".runfiles/gclab", argv0 + ".runfiles/gclab"}) {
    if (IsRegularFile(cand + "/gocompile/libgort.so")) return cand;
  }
  if (const char* r = std::getenv("RUNFILES_DIR")) {
    std::string cand = absl::StrCat(r, "/gclab");
    if (IsRegularFile(cand + "/gocompile/libgort.so")) return cand;
  }
  char cwd[4096];
  if (::getcwd(cwd, sizeof(cwd)) != nullptr &&
      IsRegularFile(std::string(cwd) + "/gocompile/libgort.so"))
    return cwd;
  return self + ".runfiles/gclab";
}

absl::StatusOr<GoBuildResult> BuildGoProgram(const std::string& go_file,
                                             const GoBuildOptions& options) {
  absl::StatusOr<std::string> src = ReadFile(go_file);
  if (!src.ok()) return src.status();
  const std::string lib_dir = absl::StrCat(options.runtime_root, "/gocompile");
  const std::string lib = absl::StrCat(lib_dir, "/libgort.so");
  if (!IsRegularFile(lib))
    return absl::NotFoundError(
        absl::StrCat("gclab runtime library not found at ", lib, " (run gorun through bazel run)"));
  const std::string cache = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  // The translator is part of this binary: its stamp is in the key too.
  const std::string key = ContentHash(
      {*src, go_file, options.cxx, absl::StrJoin(options.cxx_flags, " "), options.plant_stack_site,
       RuntimeStamp(lib), RuntimeStamp("/proc/self/exe"), options.runtime_root});
  const std::string dir = absl::StrCat(cache, "/", key);
  GoBuildResult r = CacheEntry(dir);
  if (r.cached) return r;
  if (absl::Status st = MakeDirectories(dir); !st.ok()) return st;
  auto t0 = std::chrono::steady_clock::now();
  CompileOptions co;
  co.plant_stack_site = options.plant_stack_site;
  absl::StatusOr<std::string> cpp = CompileGo(go_file, *src, co);
  if (!cpp.ok()) return cpp.status();
  const std::string cc = absl::StrCat(dir, "/prog.cc");
  if (absl::Status st = WriteFileAtomically(cc, *cpp); !st.ok()) return st;
  r.translate_s = Since(t0);
  t0 = std::chrono::steady_clock::now();
  ProcessOptions p;
  p.argv = {options.cxx, "-std=c++20"};
  p.argv.insert(p.argv.end(), options.cxx_flags.begin(), options.cxx_flags.end());
  // libgort.so was built in the same configuration as this code: a
  // sanitized runtime needs the program linked with the same sanitizer (its
  // run-time library must come first).
#if defined(GCLAB_ASAN)
  p.argv.push_back("-fsanitize=address");
#endif
#if defined(GCLAB_UBSAN)
  p.argv.push_back("-fsanitize=undefined,float-cast-overflow");
#endif
#if defined(GCLAB_TSAN)
  p.argv.push_back("-fsanitize=thread");
#endif
  for (const char* f : {"-fwrapv", "-fno-strict-aliasing", "-w"}) p.argv.push_back(f);
  p.argv.push_back(absl::StrCat("-I", options.runtime_root));
  p.argv.push_back("-o");
  p.argv.push_back(r.binary + ".tmp");
  p.argv.push_back(cc);
  p.argv.push_back(absl::StrCat("-L", lib_dir));
  p.argv.push_back("-lgort");
  p.argv.push_back(absl::StrCat("-Wl,-rpath,", lib_dir));
  p.argv.push_back("-lpthread");
  if (absl::Status st = RunCompiler(p, absl::StrCat("C++ compilation of ", cc), r.binary);
      !st.ok()) {
    return st;
  }
  r.compile_s = Since(t0);
  return r;
}

absl::StatusOr<GoBuildResult> BuildWithGoToolchain(const std::string& go_file,
                                                   const std::string& go_tool,
                                                   const std::string& cache_dir) {
  absl::StatusOr<std::string> src = ReadFile(go_file);
  if (!src.ok()) return src.status();
  absl::StatusOr<std::string> go = FindProgram(go_tool);
  if (!go.ok()) {
    return absl::NotFoundError(absl::StrCat("Go toolchain \"", go_tool,
                                            "\" not found (Debian: apt-get install golang-go)"));
  }
  const std::string cache = cache_dir.empty() ? DefaultCacheDir() : cache_dir;
  const std::string key = ContentHash({"go build", *src, *go, RuntimeStamp(*go)});
  const std::string dir = absl::StrCat(cache, "/", key);
  GoBuildResult r = CacheEntry(dir);
  if (r.cached) return r;
  if (absl::Status st = MakeDirectories(dir + "/home/go"); !st.ok()) return st;
  // A copy beside the binary: `go build` names the package after the file.
  const std::string copy = absl::StrCat(dir, "/main.go");
  if (absl::Status st = WriteFileAtomically(copy, *src); !st.ok()) return st;
  const auto t0 = std::chrono::steady_clock::now();
  ProcessOptions p;
  p.argv = {*go, "build", "-o", r.binary + ".tmp", copy};
  p.working_dir = dir;
  p.env = {absl::StrCat("HOME=", dir, "/home"), absl::StrCat("GOPATH=", dir, "/home/go"),
           absl::StrCat("GOCACHE=", cache, "/gocache"), "GO111MODULE=off", "CGO_ENABLED=0"};
  if (absl::Status st = RunCompiler(p, absl::StrCat("go build of ", go_file), r.binary); !st.ok()) {
    return st;
  }
  r.compile_s = Since(t0);
  return r;
}

}  // namespace gclab::gocompile
