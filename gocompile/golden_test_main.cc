// Output-equality test of Go programs compiled by gocompile: every case of a
// manifest (gocompile/testdata/cases.txt describes the format) runs under
// every collector x escape analysis with the verifier and the escape
// soundness checks on, and its stdout, exit status and first stderr line must
// be those Go's own toolchain produced (the goldens regen_goldens.sh writes).
//
// Usage (a cc_test's args): golden_test_main MANIFEST
//   the programs are the go_program targets beside MANIFEST, the goldens in
//   golden/ beside it.
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "util/files.h"
#include "util/subprocess.h"

namespace gclab::gocompile {
namespace {

struct Case {
  std::string name;
  std::string program;  // path of the go_program binary
  std::string golden_prefix;
  std::vector<std::string> gclab_flags;
  std::vector<std::string> args;
  bool stderr_digits = false;
};

struct Golden {
  int status = 0;
  std::string stdout_text;
  std::string stderr_first;  // empty: stderr must be empty
  std::string fatal;
};

std::string ReadOrDie(const std::string& path) {
  auto s = ReadFile(path);
  if (!s.ok()) {
    std::cerr << "cannot read " << path << ": " << s.status() << "\n";
    std::exit(1);
  }
  return *s;
}

std::vector<Case> ParseManifest(const std::string& path) {
  const std::string dir = path.substr(0, path.rfind('/') + 1);
  std::vector<Case> cases;
  for (absl::string_view line : absl::StrSplit(ReadOrDie(path), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> toks = absl::StrSplit(line, ' ', absl::SkipEmpty());
    Case c;
    c.name = toks.at(0);
    c.program = dir + toks.at(1);
    c.golden_prefix = dir + "golden/" + c.name;
    for (size_t i = 2; i < toks.size(); ++i) {
      absl::string_view t = toks[i];
      if (t == "nogo") continue;
      if (t == "stderr_digits") {
        c.stderr_digits = true;
      } else if (absl::ConsumePrefix(&t, "gclab:")) {
        c.gclab_flags.emplace_back(t);
      } else {
        c.args.push_back(toks[i]);
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

Golden LoadGolden(const Case& c) {
  Golden g;
  g.stdout_text = ReadOrDie(c.golden_prefix + ".out");
  for (absl::string_view line : absl::StrSplit(ReadOrDie(c.golden_prefix + ".exit"), '\n')) {
    if (absl::ConsumePrefix(&line, "status ")) {
      g.status = std::atoi(std::string(line).c_str());
    } else if (absl::ConsumePrefix(&line, "stderr ")) {
      g.stderr_first = std::string(line);
    } else if (absl::ConsumePrefix(&line, "fatal ")) {
      g.fatal = std::string(line);
    }
  }
  return g;
}

// Every run of digits becomes "N" (limits printed in messages differ).
std::string MaskDigits(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      out += 'N';
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

class GoldenRun : public testing::Test {
 public:
  GoldenRun(Case c, std::string collector, std::string escape)
      : case_(std::move(c)), collector_(std::move(collector)), escape_(std::move(escape)) {}

  void TestBody() override {
    const Golden want = LoadGolden(case_);
    ProcessOptions o;
    o.argv = {case_.program, "--collector=" + collector_, "--escape=" + escape_, "--verify",
              // Small heaps, so that even these short runs collect many times.
              "--gc_min_heap_bytes=262144"};
    o.argv.insert(o.argv.end(), case_.gclab_flags.begin(), case_.gclab_flags.end());
    o.argv.push_back("--");
    o.argv.insert(o.argv.end(), case_.args.begin(), case_.args.end());
    o.timeout = absl::Seconds(240);
    auto r = RunProcess(o);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string cmd = absl::StrJoin(o.argv, " ");
    EXPECT_EQ(r->exit_code, want.status) << cmd << ": " << r->Describe() << "\n" << r->stderr_text;
    EXPECT_EQ(r->stdout_text, want.stdout_text) << cmd;
    if (want.stderr_first.empty()) {
      EXPECT_EQ(r->stderr_text, "") << cmd;
      return;
    }
    std::string first = r->stderr_text.substr(0, r->stderr_text.find('\n'));
    if (case_.stderr_digits) {
      EXPECT_EQ(MaskDigits(first), MaskDigits(want.stderr_first)) << cmd << "\n" << r->stderr_text;
    } else {
      EXPECT_EQ(first, want.stderr_first) << cmd << "\n" << r->stderr_text;
    }
    if (!want.fatal.empty()) {
      EXPECT_TRUE(absl::StrContains(r->stderr_text, want.fatal + "\n"))
          << cmd << ": no \"" << want.fatal << "\" in\n"
          << r->stderr_text;
    }
  }

 private:
  Case case_;
  std::string collector_, escape_;
};

}  // namespace
}  // namespace gclab::gocompile

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " MANIFEST\n";
    return 1;
  }
  using gclab::gocompile::Case;
  using gclab::gocompile::GoldenRun;
  for (const Case& c : gclab::gocompile::ParseManifest(argv[1])) {
    for (const char* collector : {"marksweep", "concurrent"}) {
      for (const char* escape : {"all_heap", "intraprocedural", "go"}) {
        testing::RegisterTest(c.name.c_str(), absl::StrCat(collector, "_", escape).c_str(), nullptr,
                              nullptr, __FILE__, __LINE__, [=]() -> testing::Test* {
                                return new GoldenRun(c, collector, escape);
                              });
      }
    }
  }
  return RUN_ALL_TESTS();
}
