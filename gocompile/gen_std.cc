// Calls of the standard packages: each supported function or method maps
// to a runtime function gort::std_<pkg>_<Name> (methods:
// gort::std_<pkg>_<Type>_<Name>, receiver first) declared in
// goruntime/std.h with the C++ types of its Go signature. Anything else is
// a positioned "unsupported" error.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

using escape::Under;

namespace {

// Every standard function and method the runtime implements.
const std::set<std::string>& Supported() {
  static const auto* s = new std::set<std::string>{
      // fmt
      "fmt.Println",
      "fmt.Printf",
      "fmt.Print",
      "fmt.Sprintf",
      "fmt.Sprint",
      "fmt.Sprintln",
      "fmt.Errorf",
      "fmt.Fprintf",
      "fmt.Fprintln",
      "fmt.Fprint",
      // strings
      "strings.Builder.WriteString",
      "strings.Builder.WriteByte",
      "strings.Builder.WriteRune",
      "strings.Builder.String",
      "strings.Builder.Len",
      "strings.Builder.Reset",
      "strings.Builder.Grow",
      "strings.Builder.Write",
      "strings.Split",
      "strings.SplitN",
      "strings.Fields",
      "strings.Join",
      "strings.TrimSpace",
      "strings.Trim",
      "strings.TrimLeft",
      "strings.TrimRight",
      "strings.TrimPrefix",
      "strings.TrimSuffix",
      "strings.ToUpper",
      "strings.ToLower",
      "strings.Contains",
      "strings.ContainsRune",
      "strings.ContainsAny",
      "strings.HasPrefix",
      "strings.HasSuffix",
      "strings.Index",
      "strings.IndexByte",
      "strings.IndexRune",
      "strings.LastIndex",
      "strings.Repeat",
      "strings.Replace",
      "strings.ReplaceAll",
      "strings.Count",
      "strings.EqualFold",
      "strings.Compare",
      "strings.Title",
      // strconv
      "strconv.Itoa",
      "strconv.Atoi",
      "strconv.FormatInt",
      "strconv.ParseInt",
      "strconv.Quote",
      "strconv.ParseFloat",
      "strconv.FormatFloat",
      "strconv.FormatBool",
      "strconv.ParseBool",
      // errors
      "errors.New",
      "errors.Is",
      "errors.As",
      "errors.Unwrap",
      // os
      "os.Exit",
      "os.Getenv",
      // runtime
      "runtime.GC",
      "runtime.ReadMemStats",
      "runtime.NumGoroutine",
      "runtime.Gosched",
      "runtime.NumCPU",
      "runtime.GOMAXPROCS",
      // sync
      "sync.Mutex.Lock",
      "sync.Mutex.Unlock",
      "sync.Mutex.TryLock",
      "sync.RWMutex.Lock",
      "sync.RWMutex.Unlock",
      "sync.RWMutex.RLock",
      "sync.RWMutex.RUnlock",
      "sync.WaitGroup.Add",
      "sync.WaitGroup.Done",
      "sync.WaitGroup.Wait",
      "sync.Once.Do",
      // sort
      "sort.Slice",
      "sort.SliceStable",
      "sort.Ints",
      "sort.Strings",
      "sort.Float64s",
      "sort.Sort",
      "sort.Stable",
      "sort.Search",
      "sort.SearchInts",
      // math
      "math.Sqrt",
      "math.Abs",
      "math.Floor",
      "math.Ceil",
      "math.Max",
      "math.Min",
      "math.Pow",
      "math.Inf",
      "math.NaN",
      "math.IsNaN",
      "math.IsInf",
      "math.Log",
      "math.Log2",
      "math.Log10",
      "math.Exp",
      "math.Sin",
      "math.Cos",
      "math.Tan",
      "math.Atan",
      "math.Atan2",
      "math.Mod",
      "math.Trunc",
      "math.Round",
      "math.Hypot",
      "math.Float64bits",
      "math.Float64frombits",
      // unicode, unicode/utf8
      "unicode.IsLetter",
      "unicode.IsDigit",
      "unicode.IsSpace",
      "unicode.IsUpper",
      "unicode.IsLower",
      "unicode.IsPunct",
      "unicode.ToUpper",
      "unicode.ToLower",
      "utf8.RuneLen",
      "utf8.RuneCountInString",
      "utf8.DecodeRuneInString",
      "utf8.ValidString",
      "utf8.EncodeRune",
  };
  return *s;
}

}  // namespace

// "strings.Builder.WriteString" / "fmt.Println" for an external function.
std::string Codegen::StdName(const Func* f) {
  if (std_packages_.empty()) {
    for (const escape::Package& p : prog_->packages)
      for (const Obj* o : p.members)
        if (o->kind == escape::ObjKind::kFunc && o->fn != nullptr) std_packages_[o->fn] = p.name;
  }
  if (f->recv != nullptr) {
    const Type* rt = f->recv->type;
    if (rt->kind != Kind::kNamed && Under(rt)->kind == Kind::kPointer) rt = Under(rt)->elem;
    std::string pkg = rt->pkg;
    pkg = pkg.substr(pkg.rfind('/') + 1);
    const std::string m = f->name.substr(f->name.rfind('.') + 1);
    return absl::StrCat(pkg, ".", rt->name, ".", m);
  }
  auto it = std_packages_.find(f);
  return absl::StrCat(it != std_packages_.end() ? it->second : "?", ".", f->name);
}

// The runtime function implementing external function f, or "".
std::string Codegen::StdFuncName(const Func* f) {
  const std::string name = StdName(f);
  if (!Supported().count(name)) return "";
  return absl::StrCat("gort::std_", absl::StrReplaceAll(name, {{".", "_"}}));
}

std::string Codegen::StdCall(const Node* call, const CallParts& p,
                             const std::vector<std::string>& vals) {
  const std::string name = StdName(p.fn);
  if (!Supported().count(name)) {
    Unsupported(call->pos, absl::StrCat(name, " (not in gocompile's runtime)"));
    return "";
  }
  std::vector<std::string> args = {"g"};
  args.insert(args.end(), vals.begin(), vals.end());
  // Runtime helpers that report positions take the call's.
  if (name == "sort.Slice" || name == "sort.SliceStable" || name == "errors.As")
    args.push_back(Pos(call));
  return absl::StrCat("gort::std_", absl::StrReplaceAll(name, {{".", "_"}}), "(",
                      absl::StrJoin(args, ", "), ")");
}

std::string Codegen::StdGlobal(const Obj* o) {
  std::string pkg = o->pkg != nullptr ? o->pkg->name : "?";
  const std::string name = absl::StrCat(pkg, ".", o->name);
  if (name == "os.Args") return "gort::g_args";
  if (name == "os.Stdout") return "gort::g_os_stdout";
  if (name == "os.Stderr") return "gort::g_os_stderr";
  Unsupported(o->pos, absl::StrCat(name, " (not in gocompile's runtime)"));
  return "0";
}

}  // namespace gclab::gocompile
