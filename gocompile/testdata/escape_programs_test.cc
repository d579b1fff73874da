// The dynamic soundness check over the escape analysis's own test programs
// (issue 11, item 5): every escape/testdata/*.go program gocompile supports
// runs under every collector x escape analysis with the verifier and the
// escape checks on, and must report nothing; the others are listed in
// escape_programs.txt with gocompile's error, and must still fail with it,
// so the list can only shrink honestly. The manifest's header gives the
// format.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "util/files.h"
#include "util/subprocess.h"

namespace gclab::gocompile {
namespace {

constexpr char kManifest[] = "gocompile/testdata/escape_programs.txt";
constexpr char kEscapeTestdata[] = "escape/testdata";

struct Entry {
  std::string name;
  bool run = false;
  std::string panic;  // run: the prefix of the Go panic it ends with, or empty
  std::string error;  // unsupported: gocompile's first error line, without the file name
};

std::vector<Entry> ReadManifest() {
  absl::StatusOr<std::string> text = ReadFile(kManifest);
  EXPECT_TRUE(text.ok()) << text.status();
  std::vector<Entry> entries;
  if (!text.ok()) return entries;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::MaxSplits(' ', 2));
    Entry e;
    e.name = std::string(f[0]);
    if (f.size() == 2 && f[1] == "run") {
      e.run = true;
    } else if (f.size() == 3 && f[1] == "panics") {
      e.run = true;
      e.panic = std::string(f[2]);
    } else if (f.size() == 3 && f[1] == "unsupported") {
      e.error = std::string(f[2]);
    } else {
      ADD_FAILURE() << kManifest << ": malformed line: " << line;
      continue;
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string SourceOf(const std::string& name) {
  absl::StatusOr<std::string> src = ReadFile(absl::StrCat(kEscapeTestdata, "/", name, ".go"));
  EXPECT_TRUE(src.ok()) << src.status();
  return src.ok() ? *src : "";
}

TEST(EscapeProgramsTest, ManifestListsEveryProgramOnce) {
  std::set<std::string> on_disk;
  for (const auto& f : std::filesystem::directory_iterator(kEscapeTestdata)) {
    if (f.path().extension() == ".go") on_disk.insert(f.path().stem().string());
  }
  ASSERT_FALSE(on_disk.empty()) << "no " << kEscapeTestdata << "/*.go in the runfiles";
  std::set<std::string> listed;
  for (const Entry& e : ReadManifest()) {
    EXPECT_TRUE(listed.insert(e.name).second) << e.name << " is listed twice";
    EXPECT_TRUE(on_disk.count(e.name))
        << e.name << " is listed but " << kEscapeTestdata << "/" << e.name << ".go does not exist";
  }
  for (const std::string& name : on_disk) {
    EXPECT_TRUE(listed.count(name))
        << kEscapeTestdata << "/" << name << ".go is not in " << kManifest
        << ": add it as `run` (and to BUILD) or `unsupported`";
  }
}

// An unsupported program must still fail to translate, with the listed
// error: when gocompile learns its construct, the test says to run it.
TEST(EscapeProgramsTest, UnsupportedProgramsFailWithTheListedError) {
  const std::string tmp = std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp";
  for (const Entry& e : ReadManifest()) {
    if (e.run) continue;
    std::string src = SourceOf(e.name);
    // A package without main: translate it as if it had one, so the error is
    // the construct gocompile lacks, not the missing main.
    if (!absl::StrContains(src, "\nfunc main()")) src += "\nfunc main() {}\n";
    const std::string go_file = absl::StrCat(tmp, "/", e.name, ".go");
    ASSERT_TRUE(WriteFileAtomically(go_file, src).ok());
    ProcessOptions o;
    o.argv = {"gocompile/gocompile", "-o", absl::StrCat(tmp, "/", e.name, ".gen.cc"), go_file};
    o.timeout = absl::Seconds(120);
    absl::StatusOr<ProcessResult> r = RunProcess(o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_code, 1) << e.name << " translates now: list it as `run` in " << kManifest
                               << " and add it to ESCAPE_PROGRAMS (or ESCAPE_WITH_MAIN) in BUILD\n"
                               << r->stderr_text;
    const std::string first(
        absl::StripPrefix(std::vector<absl::string_view>(absl::StrSplit(r->stderr_text, '\n'))[0],
                          absl::StrCat(go_file, ":")));
    EXPECT_EQ(first, e.error) << e.name << ": gocompile's first error changed; update "
                              << kManifest;
  }
}

// Every supported program reports nothing under any analysis: no escape
// check violation, no verifier failure, exit 0 (or the Go panic it is listed
// with), and the same output as under all_heap (a stack decision never
// changes what the program prints).
TEST(EscapeProgramsTest, SupportedProgramsRunCleanUnderTheChecks) {
  int ran = 0;
  for (const Entry& e : ReadManifest()) {
    if (!e.run) continue;
    const std::string binary = absl::StrCat("gocompile/testdata/escape_", e.name);
    ASSERT_TRUE(std::filesystem::exists(binary))
        << binary << " is not built: add " << e.name << " to ESCAPE_PROGRAMS (or, without"
        << " func main, to ESCAPE_WITH_MAIN with a main in escape_mains/) in BUILD";
    std::string want_stdout;
    bool first = true;
    for (const char* escape : {"all_heap", "intraprocedural", "go"}) {
      for (const char* collector : {"marksweep", "concurrent"}) {
        ProcessOptions o;
        o.argv = {binary, absl::StrCat("--collector=", collector),
                  absl::StrCat("--escape=", escape), "--verify"};
        o.timeout = absl::Seconds(120);
        absl::StatusOr<ProcessResult> r = RunProcess(o);
        ASSERT_TRUE(r.ok()) << r.status();
        const std::string what = absl::StrCat(e.name, " --collector=", collector,
                                              " --escape=", escape, ": ", r->Describe());
        if (e.panic.empty()) {
          EXPECT_EQ(r->exit_code, 0) << what << "\n" << r->stderr_text;
          EXPECT_EQ(r->stderr_text, "") << what;
        } else {
          EXPECT_EQ(r->exit_code, 2) << what << "\n" << r->stderr_text;
          EXPECT_TRUE(absl::StartsWith(r->stderr_text, e.panic)) << what << "\n" << r->stderr_text;
          EXPECT_FALSE(absl::StrContains(r->stderr_text, "gclab:")) << what << "\n"
                                                                    << r->stderr_text;
        }
        if (first) {
          want_stdout = r->stdout_text;
          first = false;
        } else {
          EXPECT_EQ(r->stdout_text, want_stdout) << what;
        }
      }
    }
    ++ran;
  }
  EXPECT_GT(ran, 0);
}

}  // namespace
}  // namespace gclab::gocompile
