// Replays the fuzzer's seed corpus (escape/fuzz/corpus) and hand-written
// hostile inputs through the fuzz entry point (fuzz_entry.h): deep nesting
// of expressions, types, blocks, literals and selector chains, huge
// identifiers, invalid UTF-8, NUL bytes, unterminated constructs. Each
// must end with a result or positioned errors, within a deadline that only
// a hang can miss (inputs take well under a second).
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "escape/fuzz_entry.h"
#include "escape/gcflags_m.h"
#include "escape/test_support.h"
#include "gtest/gtest.h"

namespace gclab::escape {
namespace {

constexpr auto kDeadline = std::chrono::seconds(120);

// Runs FuzzOneInput on its own thread; a hang fails the test (and, since a
// thread cannot be stopped, ends the test binary).
void Replay(const std::string& name, const std::string& src) {
  auto start = std::chrono::steady_clock::now();
  auto done = std::async(std::launch::async, [src] { return FuzzOneInput(src); });
  if (done.wait_for(kDeadline) != std::future_status::ready) {
    ADD_FAILURE() << name << ": no result within " << kDeadline.count() << " s (hang?)";
    fprintf(stderr, "%s: hang; aborting\n", name.c_str());
    std::_Exit(1);
  }
  std::string violation = done.get();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  fprintf(stderr, "replay %s (%zu bytes): %.2f s\n", name.c_str(), src.size(), took.count());
  EXPECT_EQ(violation, "") << name;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct Hostile {
  std::string name;
  std::string src;
};

std::vector<Hostile> HostileInputs() {
  constexpr int kDeep = 100000;
  const std::string p = "package p\n";
  std::vector<Hostile> v;
  v.push_back({"parens", p + "var x = " + Repeat("(", kDeep) + "1" + Repeat(")", kDeep) + "\n"});
  v.push_back({"unary", p + "func f(x int) int { return " + Repeat("-", kDeep) + "x }\n"});
  v.push_back({"not", p + "var b = " + Repeat("!", kDeep) + "true\n"});
  v.push_back({"binary", p + "func f(x int) int { return x" + Repeat(" + x", kDeep) + " }\n"});
  v.push_back(
      {"strings", p + "func f(s string) string { return s" + Repeat(" + s", kDeep) + " }\n"});
  v.push_back({"calls", p + "func f(x int) int { return " + Repeat("f(", kDeep) + "x" +
                            Repeat(")", kDeep) + " }\n"});
  v.push_back({"index", p + "func f(x []int) int { return x" + Repeat("[0]", kDeep) + " }\n"});
  v.push_back({"selectors", p + "type T struct{ p *T }\nfunc f(t *T) *T { return t" +
                                Repeat(".p", kDeep) + " }\n"});
  v.push_back({"selectors2000", p + "type T struct{ p *T }\nfunc f(t *T) *T { return t" +
                                    Repeat(".p", 2000) + " }\n"});
  v.push_back({"pointer_type", p + "var x " + Repeat("*", kDeep) + "int\n"});
  v.push_back({"slice_type", p + "var x " + Repeat("[]", kDeep) + "int\n"});
  v.push_back({"map_type", p + "var x " + Repeat("map[int]", kDeep) + "int\n"});
  v.push_back({"func_type", p + "var x " + Repeat("func(", kDeep) + Repeat(")", kDeep) + "\n"});
  v.push_back({"struct_type",
               p + "var x " + Repeat("struct{ a ", kDeep) + "int" + Repeat(" }", kDeep) + "\n"});
  v.push_back({"chan_type", p + "var x " + Repeat("chan ", kDeep) + "int\n"});
  v.push_back({"blocks", p + "func f() {\n" + Repeat("{", kDeep) + Repeat("}", kDeep) + "\n}\n"});
  v.push_back({"ifs", p + "func f(x int) {\n" + Repeat("if x > 0 {", kDeep) + Repeat("}", kDeep) +
                          "\n}\n"});
  v.push_back({"else_ifs",
               p + "func f(x int) {\nif x > 0 {}" + Repeat(" else if x > 1 {}", kDeep) + "\n}\n"});
  v.push_back(
      {"for_loops", p + "func f() {\n" + Repeat("for {", kDeep) + Repeat("}", kDeep) + "\n}\n"});
  v.push_back({"closures",
               p + "func f() {\n" + Repeat("func() {", kDeep) + Repeat("}()", kDeep) + "\n}\n"});
  v.push_back({"composite", p + "type T struct{ a []T }\nvar x = " + Repeat("T{a: []T{", kDeep) +
                                Repeat("}}", kDeep) + "\n"});
  v.push_back({"elided_literals",
               p + "var x = [][][]int" + Repeat("{", kDeep) + Repeat("}", kDeep) + "\n"});
  v.push_back({"huge_identifier", p + "var " + std::string(1 << 20, 'a') + " = 1\n"});
  v.push_back({"huge_unicode_identifier", p + "var " + Repeat("é", 1 << 19) + " = 1\n"});
  v.push_back({"huge_string", p + "var s = \"" + std::string(1 << 20, 'x') + "\"\n"});
  v.push_back({"many_functions", p + Repeat("func f() {}\n", 20000)});
  v.push_back({"invalid_utf8", p + "var s = \"\xff\xfe\"\nvar \xc3\x28 = 1\n"});
  v.push_back({"overlong_utf8", p + "var x\xc0\xaf = 1\n"});
  v.push_back({"nul_bytes", std::string("package p\nvar x = 1\0\0\0 + 2\n", 27)});
  v.push_back({"nul_in_string", std::string("package p\nvar s = \"a\0b\"\n", 24)});
  v.push_back({"bom_inside", p + "var x\xef\xbb\xbf = 1\n"});
  for (const char* u : {"var s = \"abc",
                        "var s = `abc",
                        "var r = 'a",
                        "/* comment",
                        "func f() {",
                        "func f(",
                        "var x = (1 +",
                        "var x = []int{1, 2",
                        "type T struct {",
                        "type I interface {",
                        "func f() { switch {",
                        "func f() { select {",
                        "import (",
                        "var x = 0x",
                        "var x = 1e",
                        "var x = 0b",
                        "var x = 1_",
                        "var r = '\\",
                        "func f[",
                        "type T["})
    v.push_back({absl::StrCat("unterminated: ", u), p + u});
  v.push_back({"empty", ""});
  v.push_back({"no_package", "func f() {}\n"});
  v.push_back({"only_package", "package"});
  return v;
}

class HostileTest : public ::testing::TestWithParam<Hostile> {};

TEST_P(HostileTest, EndsWithAResultOrAPositionedError) { Replay(GetParam().name, GetParam().src); }

// A test per input, so that shards share the work.
INSTANTIATE_TEST_SUITE_P(FuzzReplay, HostileTest, ::testing::ValuesIn(HostileInputs()),
                         [](const ::testing::TestParamInfo<Hostile>& info) {
                           std::string name;
                           for (char c : info.param.name)
                             name += absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return absl::StrCat(name, "_", info.index);
                         });

TEST(FuzzReplayTest, DeepButReasonableInputsAreAnalysed) {
  // Go accepts these; so must gclab (no fixed small nesting limit).
  std::string src =
      "package p\ntype T struct{ p *T }\nfunc f(t *T) *T { return t" + Repeat(".p", 2000) + " }\n";
  GcflagsResult r = RunGcflagsM("deep.go", src, GcflagsOptions{});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "deep.go:3:8: leaking param: t to result ~r0 level=254\n");
  src = "package p\nfunc f(x int) int { return " + Repeat("(", 5000) + "x" + Repeat(")", 5000) +
        " }\n";
  r = RunGcflagsM("deep.go", src, GcflagsOptions{});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
}

TEST(FuzzReplayTest, SeedCorpus) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator("escape/fuzz/corpus"))
    files.push_back(e.path().string());
  ASSERT_GE(files.size(), 20u) << "seed corpus missing";
  for (const std::string& f : files) Replay(f, test_support::ReadFileOrDie(f));
}

}  // namespace
}  // namespace gclab::escape
