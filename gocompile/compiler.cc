// The driver: front end, the three analyses' decisions per site, the
// functions to generate, and the sections of the output file.
#include "gocompile/compiler.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "escape/stack_guard.h"
#include "escape/typecheck.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

std::string QuoteC(const std::string& s);

Codegen::Codegen(escape::Program* prog, const CompileOptions& opts)
    : prog_(prog),
      opts_(opts),
      file_(opts.display_name.empty() ? prog->filename : opts.display_name) {}

void Codegen::Error(escape::Pos pos, const std::string& msg) {
  errors_.push_back(absl::StrCat(file_, ":", pos.line, ":", pos.col, ": ", msg));
}

void Codegen::Unsupported(escape::Pos pos, const std::string& what) {
  Error(pos, absl::StrCat("unsupported by gocompile: ", what));
}

// ---------------------------------------------------------------- decisions

void Codegen::ComputeDecisions() {
  decisions_ = escape::AnalyzeAll(*prog_);
  // Test only: sites forced onto the stack under --escape=go ("L:C,L:C").
  std::vector<std::pair<escape::Pos, bool>> plants;  // position, found
  for (absl::string_view lc_text : absl::StrSplit(opts_.plant_stack_site, ',', absl::SkipEmpty())) {
    std::vector<std::string> lc = absl::StrSplit(lc_text, ':');
    escape::Pos pos{0, 0};
    if (lc.size() != 2 || !absl::SimpleAtoi(lc[0], &pos.line) || !absl::SimpleAtoi(lc[1], &pos.col))
      Error(escape::Pos{1, 1}, "--plant_stack_site needs LINE:COL[,LINE:COL...]");
    plants.emplace_back(pos, false);
  }
  const auto& sites = decisions_.sites();
  site_bits_.resize(sites.size());
  site_types_.resize(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    const escape::SiteDecision& s = sites[i];
    uint8_t bits = 0;
    for (int m = 0; m < escape::kNumAnalyses; ++m)
      if (s.decision[m] == escape::Decision::kStack) bits |= 1 << m;
    for (auto& [pos, found] : plants) {
      if (s.pos.line == pos.line && s.pos.col == pos.col) {
        bits |= 1 << static_cast<int>(escape::AnalysisId::kGo);
        found = true;
      }
    }
    site_bits_[i] = bits;
  }
  for (const auto& [pos, found] : plants)
    if (!found && pos.line != 0) Error(pos, "--plant_stack_site: no allocation site here");
}

int Codegen::SiteIndex(const Node* n, const Obj* var) const {
  const escape::SiteDecision* d = n != nullptr ? decisions_.ForNode(n) : decisions_.ForVar(var);
  if (d == nullptr) return -1;
  return static_cast<int>(d - decisions_.sites().data());
}

uint8_t Codegen::SiteBits(const Node* n, const Obj* var) const {
  int i = SiteIndex(n, var);
  return i < 0 ? 0 : site_bits_[i];
}

std::string Codegen::SiteRef(const Node* n, const Obj* var, const std::string& type_info) {
  int i = SiteIndex(n, var);
  if (i < 0) {
    // Not a site of the analyses (e.g. an allocation the analyses do not
    // model): always the heap, with a site of its own.
    i = static_cast<int>(site_types_.size());
    site_types_.push_back("");
    site_bits_.push_back(0);
    extra_sites_.push_back(
        {n != nullptr ? n->pos : var->pos, n != nullptr ? escape::ExprString(n) : var->name});
  }
  if (site_types_[i].empty()) site_types_[i] = type_info;
  return absl::StrCat("&SI", i);
}

// ---------------------------------------------------------------- functions

void Codegen::CollectFuncs() {
  std::vector<const Func*> work;
  for (const Func* f : prog_->funcs) {
    if (f->external) continue;
    if (f->generic || f->dupok) {
      // Instantiations of generic functions (go 1.19's shape stenciling
      // with dictionaries) are not compiled.
      Unsupported(f->decl != nullptr ? f->decl->pos : f->pos,
                  absl::StrCat("generic function ", escape::FuncName(f)));
      continue;
    }
    if (f->unsupported) {
      Error(f->pos, f->failure.empty() ? "unsupported function" : f->failure);
      continue;
    }
    work.push_back(f);
  }
  while (!work.empty()) {
    const Func* f = work.front();
    work.erase(work.begin());
    funcs_.push_back(f);
    if (f->body != nullptr && ContainsRecover(f->body)) program_uses_recover_ = true;
    for (const Func* c : f->closures) work.push_back(c);
  }
}

std::string Codegen::FuncCName(const Func* f) {
  auto it = func_names_.find(f);
  if (it != func_names_.end()) return it->second;
  std::string clean;
  for (char c : escape::FuncName(f)) clean += (isalnum(static_cast<unsigned char>(c)) ? c : '_');
  std::string name = absl::StrCat("F", func_names_.size(), "_", clean);
  func_names_[f] = name;
  return name;
}

// Go's name in tracebacks: "main.f", "main.(*T).M", "main.f.func1".
std::string Codegen::FuncGoName(const Func* f) const {
  return absl::StrCat("main.", escape::FuncName(f));
}

std::string Codegen::PosRef(escape::Pos pos) {
  const std::string fn = f_ != nullptr && f_->fn != nullptr ? FuncGoName(f_->fn) : "main.init";
  auto key = std::make_tuple(fn, pos.line, pos.col);
  auto it = pos_index_.find(key);
  int i;
  if (it != pos_index_.end()) {
    i = it->second;
  } else {
    i = static_cast<int>(pos_defs_.size());
    pos_index_[key] = i;
    pos_defs_.push_back(
        absl::StrCat("{", QuoteC(fn), ", ", QuoteC(file_), ", ", pos.line, ", ", pos.col, "}"));
  }
  return absl::StrCat("&P[", i, "]");
}

int64_t Codegen::LiteralOffset(const std::string& s) {
  auto it = literal_offsets_.find(s);
  if (it != literal_offsets_.end()) return it->second;
  int64_t off = static_cast<int64_t>(literals_.size());
  literals_ += s;
  literal_offsets_[s] = off;
  return off;
}

// ---------------------------------------------------------------- output

std::string Codegen::Assemble() {
  std::string out;
  absl::StrAppend(&out, "// Generated by gocompile from ", file_, ". DO NOT EDIT.\n",
                  "#include <cstddef>\n#include <cstdint>\n#include \"goruntime/gort.h\"\n",
                  "#include \"goruntime/sched.h\"\n#include \"goruntime/std.h\"\n",
                  "#include \"goruntime/types.h\"\n\n",
                  "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n",
                  "#pragma GCC diagnostic ignored \"-Wunused-label\"\n",
                  "#pragma GCC diagnostic ignored \"-Wunused-but-set-variable\"\n",
                  "#pragma GCC diagnostic ignored \"-Wunused-function\"\n",
                  "#pragma GCC diagnostic ignored \"-Wparentheses\"\n",
                  "#pragma GCC diagnostic ignored \"-Wmaybe-uninitialized\"\n\n",
                  "namespace goprog {\n\n// ---- types\n", types_, "\n// ---- declarations\n",
                  protos_, "\n// ---- positions, sites\n");
  absl::StrAppend(&out, "const gort::Pos P[] = {", pos_defs_.empty() ? "{}" : "", "\n");
  for (const std::string& p : pos_defs_) absl::StrAppend(&out, "  ", p, ",\n");
  absl::StrAppend(&out, "};\n");
  const auto& sites = decisions_.sites();
  for (size_t i = 0; i < site_bits_.size(); ++i) {
    std::string pos, what;
    if (i < sites.size()) {
      pos = absl::StrCat(file_, ":", sites[i].pos.line, ":", sites[i].pos.col);
      what = sites[i].what;
    } else {
      const auto& e = extra_sites_[i - sites.size()];
      pos = absl::StrCat(file_, ":", e.first.line, ":", e.first.col);
      what = e.second;
    }
    absl::StrAppend(&out, "gort::Site SI", i, " = {", static_cast<int>(site_bits_[i]), ", ",
                    QuoteC(pos), ", ", QuoteC(what), ", ",
                    site_types_[i].empty() ? "nullptr" : site_types_[i],
                    ", nullptr, nullptr, 0};\n");
  }
  absl::StrAppend(&out, "gort::Site* const kSites[] = {");
  for (size_t i = 0; i < site_bits_.size(); ++i) absl::StrAppend(&out, "&SI", i, ", ");
  absl::StrAppend(&out, "nullptr};\n\n// ---- type information\n", typeinfo_,
                  "\n// ---- wrappers\n", wrappers_, "\n// ---- functions\n", funcs_out_);
  // The literal blob.
  absl::StrAppend(&out, "\nconst char kLiterals[] = ", QuoteC(literals_), ";\n");
  absl::StrAppend(&out, "\nvoid ProgramInit(gort::G* g) {\n", init_, "}\n\n");
  absl::StrAppend(&out, "}  // namespace goprog\n\n");
  absl::StrAppend(&out, "int main(int argc, char** argv) {\n",
                  "  static const gort::ProgramInfo kProgram = {", QuoteC(file_),
                  ", &goprog::ProgramInit, &goprog::", main_name_, ", goprog::kSites, ",
                  site_bits_.size(), ", goprog::kLiterals, ", literals_.size(), "};\n",
                  "  return gort::Main(argc, argv, kProgram);\n}\n");
  return out;
}

bool Codegen::Run(std::string* cpp) {
  ComputeDecisions();
  CollectFuncs();
  if (!errors_.empty()) return false;
  const Func* main_fn = nullptr;
  for (const Func* f : funcs_)
    if (f->name == "main" && f->recv == nullptr && f->outer == nullptr && f->decl != nullptr)
      main_fn = f;
  if (main_fn == nullptr) {
    Error(escape::Pos{1, 1}, "function main is undeclared in the main package");
    return false;
  }
  escape::RunWithLargeStack([&] {
    GenGlobals();
    for (const Func* f : funcs_) GenFunc(f);
    GenProgramInit();
  });
  main_name_ = FuncCName(main_fn);
  if (!errors_.empty()) return false;
  *cpp = Assemble();
  return true;
}

absl::StatusOr<std::string> CompileGo(absl::string_view filename, absl::string_view source,
                                      const CompileOptions& options) {
  escape::Program prog;
  absl::Status st;
  escape::RunWithLargeStack([&] { st = escape::LoadProgram(filename, source, &prog); });
  if (!st.ok()) return st;
  if (!prog.errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(prog.errors, "\n"));
  if (!prog.unsupported.empty())
    return absl::UnimplementedError(absl::StrJoin(prog.unsupported, "\n"));
  Codegen gen(&prog, options);
  std::string cpp;
  if (!gen.Run(&cpp)) return absl::UnimplementedError(absl::StrJoin(gen.errors(), "\n"));
  return cpp;
}

}  // namespace gclab::gocompile
