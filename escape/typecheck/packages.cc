// Imports: the standard packages gclab models (stdlib.h) are loaded from
// their Go summaries; other packages are opaque.
#include "absl/strings/str_cat.h"
#include "escape/stdlib.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {
namespace {

bool IsExported(const std::string& name) {
  return !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
}

// Go's default package name for an import path: its last element, without
// a major-version suffix ("gopkg.in/yaml.v2" -> "yaml", "x/v2" -> "x").
std::string DefaultName(const std::string& path) {
  std::string last = path.substr(path.rfind('/') + 1);
  if (last.size() > 1 && last[0] == 'v' &&
      last.find_first_not_of("0123456789", 1) == std::string::npos) {
    std::string rest = path.substr(0, path.rfind('/'));
    if (!rest.empty()) last = rest.substr(rest.rfind('/') + 1);
  }
  size_t dot = last.find(".v");
  if (dot != std::string::npos) last = last.substr(0, dot);
  return last;
}

}  // namespace

void Checker::Imports() {
  for (const ImportSpec& imp : file_.imports) {
    Package* p = LoadPackage(imp.path);
    std::string name = imp.name.empty() ? p->name : imp.name;
    if (name == "_") continue;
    if (name == ".") {
      // The package's exported members join the file's scope. (An unused
      // dot import is not reported, unlike go.)
      if (!p->known || p->path == "unsafe") {
        prog_->unsupported.push_back(PosMessage(
            filename_, imp.pos, absl::StrCat("unsupported: dot import of \"", imp.path, "\"")));
        continue;
      }
      for (Obj* m : p->members)
        if (pkg_scope_.Insert(m) != nullptr)
          prog_->errors.push_back(
              PosMessage(filename_, imp.pos, absl::StrCat(m->name, " redeclared in this block")));
      continue;
    }
    Obj* o = prog_->NewObj(ObjKind::kPkg, name, imp.pos);
    o->pkg = p;
    if (!p->known) {
      prog_->unsupported.push_back(
          PosMessage(filename_, imp.pos, absl::StrCat("unsupported: import \"", imp.path, "\"")));
      o->used = true;
    }
    imports_.push_back(o);
    if (pkg_scope_.Insert(o) != nullptr)
      prog_->errors.push_back(
          PosMessage(filename_, imp.pos, absl::StrCat(name, " redeclared in this block")));
  }
}

Package* Checker::LoadPackage(const std::string& path) {
  if (path == "unsafe") return UnsafePackage();
  auto it = packages_.find(path);
  if (it != packages_.end()) return it->second;
  Package* p = prog_->NewPackage();
  p->path = path;
  packages_[path] = p;
  const StdPackage* sp = FindStdPackage(path);
  if (sp == nullptr) {
    p->name = DefaultName(path);
    return p;
  }
  p->name = sp->name;
  p->known = true;
  absl::Status st = LoadStdPackage(p, sp->source);
  if (!st.ok()) {
    p->known = false;
    prog_->errors.push_back(
        absl::StrCat("internal error in the summary of \"", path, "\": ", st.message()));
  }
  return p;
}

absl::Status Checker::LoadStdPackage(Package* p, const char* source) {
  ParsedFile pf;
  std::string fname = absl::StrCat("<", p->path, ">");
  absl::Status st = Parse(fname, source, prog_, &pf);
  if (!st.ok()) return st;
  auto scope = std::make_unique<Scope>(&universe_);
  for (const ImportSpec& imp : pf.imports) {
    Package* q = LoadPackage(imp.path);
    Obj* o = prog_->NewObj(ObjKind::kPkg, imp.name.empty() ? q->name : imp.name, imp.pos);
    o->pkg = q;
    o->used = true;
    scope->Insert(o);
  }
  // Declarations of another package: no enclosing function, own scope.
  Func* saved_fn = fn_;
  Scope* saved_scope = scope_;
  Pos saved_pos = base_pos_;
  fn_ = nullptr;
  scope_ = scope.get();
  st = CollectPackage(pf.decls, scope.get(), p);
  fn_ = saved_fn;
  scope_ = saved_scope;
  base_pos_ = saved_pos;
  if (!st.ok()) return st;
  for (Obj* o : scope->objects())
    if (o->kind != ObjKind::kPkg && IsExported(o->name)) p->members.push_back(o);
  package_scopes_.push_back(std::move(scope));
  return absl::OkStatus();
}

absl::StatusOr<Obj*> Checker::PackageMember(Obj* pkg_obj, const Node* sel) {
  pkg_obj->used = true;
  Package* p = pkg_obj->pkg;
  if (!p->known)
    return Unsupported(sel->pos, absl::StrCat(p->path, ".", sel->str, " (package \"", p->path,
                                              "\" is not modelled)"));
  Obj* o = p->Lookup(sel->str);
  if (o == nullptr) {
    if (!IsExported(sel->str))
      return Err(sel->pos, absl::StrCat("name ", sel->str, " not exported by package ", p->name));
    return Unsupported(sel->pos, absl::StrCat(p->path, ".", sel->str,
                                              " (not in gclab's summary of \"", p->path, "\")"));
  }
  return o;
}

absl::StatusOr<const Type*> Checker::PackageType(Obj* pkg_obj, const Node* sel) {
  pkg_obj->used = true;
  Package* p = pkg_obj->pkg;
  if (!p->known) {
    // An opaque named type: values can be stored and passed, nothing more.
    std::string key = absl::StrCat(p->path, ".", sel->str);
    auto it = opaque_types_.find(key);
    if (it != opaque_types_.end()) return it->second;
    Type* t = prog_->types.New(Kind::kNamed);
    t->name = sel->str;
    t->pkg = p->name;
    t->underlying = U().invalid;
    opaque_types_[key] = t;
    return t;
  }
  absl::StatusOr<Obj*> o = PackageMember(pkg_obj, sel);
  if (!o.ok()) return o.status();
  if ((*o)->kind != ObjKind::kTypeName)
    return Err(sel->pos, absl::StrCat(p->name, ".", sel->str, " is not a type"));
  return (*o)->type;
}

}  // namespace gclab::escape
