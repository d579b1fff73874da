#include "escape/differential.h"

#include <cstdio>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/generator.h"
#include "escape/typecheck.h"
#include "util/files.h"
#include "util/subprocess.h"

namespace gclab::escape {
namespace {

std::string GoCompile(const DiffConfig& cfg, const std::string& dir,
                      const std::vector<std::string>& files, int* code) {
  ProcessOptions o;
  o.argv = {cfg.go, "tool", "compile", "-p", "p", "-m", "-l", "-o", dir + "/out.o"};
  for (const std::string& f : files) o.argv.push_back(f);
  o.working_dir = dir;
  o.env = {"HOME=" + cfg.workdir,
           "GOCACHE=" + cfg.workdir + "/gocache",
           "GOPATH=" + cfg.workdir + "/gopath",
           "GO111MODULE=off",
           "GOTOOLCHAIN=local",
           "GOFLAGS="};
  absl::StatusOr<ProcessResult> r = RunProcess(o);
  if (!r.ok()) {
    *code = -1;
    return std::string(r.status().message());
  }
  *code = r->exit_code;
  return r->stdout_text + r->stderr_text;
}

// gclab's go analysis; *ok=false if the front end rejected (part of) the
// program.
std::string Gclab(const std::string& file, const std::string& src, bool* ok) {
  Program prog;
  absl::Status st = LoadProgram(file, src, &prog);
  if (!st.ok()) {
    *ok = false;
    return std::string(st.message());
  }
  *ok = prog.errors.empty() && prog.unsupported.empty();
  if (!*ok) {
    std::vector<std::string> msgs = prog.errors;
    msgs.insert(msgs.end(), prog.unsupported.begin(), prog.unsupported.end());
    return absl::StrJoin(msgs, "\n");
  }
  auto an = MakeEscapeAnalysis("go");
  AnalysisResult r = (*an)->Analyze(prog, AnalysisOptions{});
  return FormatDiagnostics(file, r.diags);
}

void WriteFile(const std::string& path, const std::string& data) {
  (void)WriteFileAtomically(path, data);
}

}  // namespace

std::map<std::string, std::set<std::string>> ParseSiteDecisions(const std::string& output,
                                                                const std::string& file) {
  std::map<std::string, std::set<std::string>> out;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (!absl::StartsWith(line, file + ":")) continue;
    line.remove_prefix(file.size() + 1);
    std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (parts.size() < 3) continue;
    std::string pos = absl::StrCat(parts[0], ":", parts[1]);
    std::string msg(absl::StripLeadingAsciiWhitespace(parts[2]));
    std::string subject, decision;
    if (absl::StartsWith(msg, "moved to heap: ")) {
      subject = msg.substr(15);
      decision = "heap";
    } else if (absl::StartsWith(msg, "leaking param content: ")) {
      subject = msg.substr(23);
      decision = "leak content";
    } else if (absl::StartsWith(msg, "leaking param: ")) {
      std::string rest = msg.substr(15);
      size_t to = rest.find(" to result ");
      if (to == std::string::npos) {
        subject = rest;
        decision = "leak heap";
      } else {
        subject = rest.substr(0, to);
        decision = rest.substr(to + 1);
      }
    } else if (absl::EndsWith(msg, " escapes to heap")) {
      subject = msg.substr(0, msg.size() - 16);
      decision = "heap";
    } else if (absl::EndsWith(msg, " does not escape")) {
      subject = msg.substr(0, msg.size() - 16);
      decision = "stack";
    } else {
      subject = "other";
      decision = msg;
    }
    out[pos + "|" + subject].insert(decision);
  }
  return out;
}

SiteComparison CompareSites(const std::string& go_output, const std::string& gclab_output,
                            const std::string& file) {
  auto g = ParseSiteDecisions(go_output, file);
  auto m = ParseSiteDecisions(gclab_output, file);
  SiteComparison c;
  std::set<std::string> keys;
  for (auto& [k, v] : g) keys.insert(k);
  for (auto& [k, v] : m) keys.insert(k);
  for (const std::string& k : keys) {
    ++c.sites;
    auto gi = g.find(k);
    auto mi = m.find(k);
    std::set<std::string> gs = gi == g.end() ? std::set<std::string>{} : gi->second;
    std::set<std::string> ms = mi == m.end() ? std::set<std::string>{} : mi->second;
    if (gs == ms) {
      ++c.agree;
    } else {
      c.diffs.push_back(absl::StrCat(file, ":", k, ": go={", absl::StrJoin(gs, ","), "} gclab={",
                                     absl::StrJoin(ms, ","), "}"));
    }
  }
  return c;
}

DiffReport RunDifferential(const DiffConfig& cfg) {
  DiffReport rep;
  (void)MakeDirectories(cfg.workdir);
  ProgramGenerator gen(cfg.seed);
  int minimized = 0;
  for (int base = 0; base < cfg.programs; base += cfg.per_batch) {
    int n = std::min(cfg.per_batch, cfg.programs - base);
    std::string dir = absl::StrCat(cfg.workdir, "/batch");
    std::filesystem::remove_all(dir);
    (void)MakeDirectories(dir);
    std::vector<GenProgram> progs;
    std::vector<std::string> files, srcs;
    for (int i = 0; i < n; ++i) {
      std::string prefix = absl::StrCat("p", base + i);
      progs.push_back(gen.Generate(prefix, cfg.funcs_per_program));
      files.push_back(prefix + ".go");
      srcs.push_back(progs.back().Render("p"));
      WriteFile(dir + "/" + files.back(), srcs.back());
    }
    int code = 0;
    std::string go_out = GoCompile(cfg, dir, files, &code);
    std::vector<bool> valid(n, true);
    if (code != 0) {
      // Isolate the programs go rejects.
      go_out.clear();
      for (int i = 0; i < n; ++i) {
        int c2 = 0;
        std::string o = GoCompile(cfg, dir, {files[i]}, &c2);
        if (c2 != 0) {
          valid[i] = false;
          ++rep.invalid;
          if (cfg.verbose) fprintf(stderr, "go rejected %s:\n%s\n", files[i].c_str(), o.c_str());
        } else {
          go_out += o;
        }
      }
    }
    for (int i = 0; i < n; ++i) {
      if (!valid[i]) continue;
      ++rep.programs;
      bool ok = false;
      std::string mine = Gclab(files[i], srcs[i], &ok);
      if (!ok) {
        ++rep.gclab_rejected;
        rep.reports.push_back(
            absl::StrCat("gclab rejected a valid program: ", mine, "\n", srcs[i]));
        continue;
      }
      SiteComparison c = CompareSites(go_out, mine, files[i]);
      rep.sites += c.sites;
      rep.agree += c.agree;
      if (c.diffs.empty()) continue;
      ++rep.disagreeing_programs;
      if (cfg.verbose)
        for (const std::string& d : c.diffs) fprintf(stderr, "%s\n", d.c_str());
      if (minimized >= cfg.max_minimize) continue;
      ++minimized;
      // Delta-debug the program while some site still disagrees.
      std::string mdir = absl::StrCat(cfg.workdir, "/min");
      (void)MakeDirectories(mdir);
      std::string last_diff;
      auto still_fails = [&](const GenProgram& cand) {
        std::string src = cand.Render("p");
        WriteFile(mdir + "/" + files[i], src);
        int c3 = 0;
        std::string g = GoCompile(cfg, mdir, {files[i]}, &c3);
        if (c3 != 0) return false;
        bool ok2 = false;
        std::string m = Gclab(files[i], src, &ok2);
        if (!ok2) return false;
        SiteComparison cc = CompareSites(g, m, files[i]);
        if (cc.diffs.empty()) return false;
        last_diff = absl::StrJoin(cc.diffs, "\n");
        return true;
      };
      GenProgram small = Minimize(progs[i], still_fails);
      still_fails(small);
      rep.reports.push_back(absl::StrCat("disagreement (minimized to ", small.LiveStatements(),
                                         " statements):\n", last_diff, "\n--- program ---\n",
                                         small.Render("p")));
    }
  }
  return rep;
}

}  // namespace gclab::escape
