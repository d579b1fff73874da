// gocompile: translates a Go file to C++ on gclab's heap.
//
//   gocompile [--plant_stack_site=LINE:COL[,LINE:COL...]] [--display_name=NAME] -o OUT.cc FILE.go
//
// Exit status 0 on success; 1 with "file:line:col: message" lines on stderr
// for syntax and type errors and for constructs gocompile does not support.
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "gocompile/compiler.h"
#include "util/files.h"

int main(int argc, char** argv) {
  gclab::gocompile::CompileOptions opts;
  std::string out, in;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--plant_stack_site=")) {
      opts.plant_stack_site = a.substr(std::strlen("--plant_stack_site="));
    } else if (absl::StartsWith(a, "--display_name=")) {
      opts.display_name = a.substr(std::strlen("--display_name="));
    } else if (a == "-o" && i + 1 < argc) {
      out = argv[++i];
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "gocompile: unknown flag %s\n", a.c_str());
      return 1;
    } else {
      in = a;
    }
  }
  if (in.empty() || out.empty()) {
    std::fprintf(
        stderr, "usage: gocompile [--plant_stack_site=LINE:COL[,LINE:COL...]] -o OUT.cc FILE.go\n");
    return 1;
  }
  absl::StatusOr<std::string> src = gclab::ReadFile(gclab::ResolveUserPath(in));
  if (!src.ok()) {
    std::fprintf(stderr, "gocompile: %s\n", std::string(src.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<std::string> cpp = gclab::gocompile::CompileGo(in, *src, opts);
  if (!cpp.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cpp.status().message()).c_str());
    return 1;
  }
  absl::Status st = gclab::WriteFileAtomically(gclab::ResolveUserPath(out), *cpp);
  if (!st.ok()) {
    std::fprintf(stderr, "gocompile: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  return 0;
}
