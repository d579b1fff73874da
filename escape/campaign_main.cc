// Differential campaign driver: N random programs, gclab vs go 1.19.
// Usage: diff_campaign --programs=N [--seed=S] [--batch=B] [--funcs=F]
//                      [--go=/usr/bin/go] [--workdir=DIR] [--minimize=K] [-v]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "escape/differential.h"

int main(int argc, char** argv) {
  gclab::escape::DiffConfig cfg;
  cfg.go = "/usr/bin/go";
  cfg.workdir = "/tmp/gclab_escape_campaign";
  cfg.programs = 1000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&](const char* flag, auto* out) {
      std::string f = std::string(flag) + "=";
      if (!absl::StartsWith(a, f)) return false;
      std::string v = a.substr(f.size());
      if constexpr (std::is_same_v<std::remove_pointer_t<decltype(out)>, std::string>) {
        *out = v;
      } else {
        if (!absl::SimpleAtoi(v, out)) {
          fprintf(stderr, "bad value for %s\n", flag);
          exit(1);
        }
      }
      return true;
    };
    if (val("--programs", &cfg.programs) || val("--seed", &cfg.seed) ||
        val("--batch", &cfg.per_batch) || val("--funcs", &cfg.funcs_per_program) ||
        val("--go", &cfg.go) || val("--workdir", &cfg.workdir) ||
        val("--minimize", &cfg.max_minimize))
      continue;
    if (a == "-v") {
      cfg.verbose = true;
      continue;
    }
    fprintf(stderr, "unknown flag %s\n", a.c_str());
    return 1;
  }
  gclab::escape::DiffReport r = gclab::escape::RunDifferential(cfg);
  for (const std::string& s : r.reports) printf("%s\n", s.c_str());
  printf("programs=%d invalid=%d gclab_rejected=%d disagreeing_programs=%d sites=%ld agree=%ld\n",
         r.programs, r.invalid, r.gclab_rejected, r.disagreeing_programs, r.sites, r.agree);
  printf("agreement: %.3f%% of per-site decisions (seed=%llu, %d programs x %d funcs)\n",
         r.Agreement(), static_cast<unsigned long long>(cfg.seed), r.programs,
         cfg.funcs_per_program);
  return r.gclab_rejected == 0 ? 0 : 2;
}
