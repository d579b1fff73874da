// gorun: runs a Go file on gclab's heap without a BUILD file.
//
//   bazel run //gocompile:gorun -- [gclab flags] file.go [program arguments]
//
// gclab's flags (--allocator, --collector, --escape, --gctrace, --verify,
// --stats_json, ...; see the program's --help) come before the file; the
// first argument ending in .go is the program. The file is translated and
// compiled once (cached by content hash: see gocompile/build.h), then
// executed with the flags and arguments; gorun exits with its status.
// --gorun_verbose reports the build; --gorun_no_run only builds.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gocompile/build.h"
#include "util/files.h"

int main(int argc, char** argv) {
  std::vector<std::string> flags, args;
  std::string file;
  bool verbose = false, no_run = false;
  gclab::gocompile::GoBuildOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (file.empty()) {
      if (a == "--gorun_verbose") {
        verbose = true;
      } else if (a == "--gorun_no_run") {
        no_run = true;
      } else if (absl::StartsWith(a, "--gorun_plant_stack_site=")) {
        o.plant_stack_site = a.substr(std::strlen("--gorun_plant_stack_site="));
      } else if (absl::EndsWith(a, ".go")) {
        file = a;
      } else {
        flags.push_back(a);
      }
    } else {
      args.push_back(a);
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: gorun [gclab flags] file.go [program arguments]\n");
    return 1;
  }
  o.runtime_root = gclab::gocompile::RuntimeRootFor(argv[0]);
  absl::StatusOr<gclab::gocompile::GoBuildResult> b =
      gclab::gocompile::BuildGoProgram(gclab::ResolveUserPath(file), o);
  if (!b.ok()) {
    std::fprintf(stderr, "%s\n", std::string(b.status().message()).c_str());
    return 1;
  }
  if (verbose) {
    std::fprintf(stderr, "gorun: %s %s (translate %.2fs, compile %.2fs)\n", b->binary.c_str(),
                 b->cached ? "cached" : "built", b->translate_s, b->compile_s);
  }
  if (no_run) return 0;
  std::vector<char*> cargv;
  cargv.push_back(const_cast<char*>(file.c_str()));
  for (std::string& f : flags) cargv.push_back(f.data());
  cargv.push_back(const_cast<char*>("--"));
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  // Under bazel run the working directory is the runfiles tree: run the
  // program where the user typed the command.
  if (const char* wd = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (chdir(wd) != 0) std::perror("gorun: chdir");
  }
  execv(b->binary.c_str(), cargv.data());
  std::perror("gorun: exec");
  return 1;
}
