#include "escape/typecheck.h"

#include <functional>
#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "escape/stdlib.h"

namespace gclab::escape {
namespace {

struct TypeError {
  Pos pos;
  std::string msg;
};
struct Unsupported {
  Pos pos;
  std::string what;
};

struct Scope {
  Scope* parent = nullptr;
  std::map<std::string, Obj*> names;
};

// Members of an imported package.
struct Package {
  std::string path;
  Scope scope;
};

class Checker {
 public:
  Checker(Program* prog) : prog_(prog) {}

  void CheckFile(const ParsedFile& file) {
    InitUniverse();
    pkg_scope_.parent = &universe_;
    for (const ImportSpec& imp : file.imports) {
      std::string name = imp.name.empty() ? imp.path.substr(imp.path.rfind('/') + 1) : imp.name;
      Obj* o = prog_->NewObj(ObjKind::kPkg, name, imp.pos);
      o->pkg = imp.path;
      if (!IsSupportedImport(imp.path)) {
        prog_->unsupported.push_back(absl::StrCat(prog_->filename, ":", imp.pos.line, ":",
                                                  imp.pos.col, ": unsupported: import \"", imp.path,
                                                  "\""));
        o->used = true;
      } else {
        LoadStdPackage(imp.path);
      }
      imports_.push_back(o);
      Declare(&pkg_scope_, o, false);
    }
    CollectDecls(file.decls, &pkg_scope_, "");
    for (Obj* imp : imports_) {
      if (!imp->used)
        throw TypeError{imp->pos, absl::StrCat("\"", imp->pkg, "\" imported and not used")};
    }
  }

 private:
  // ---------------------------------------------------------------- setup
  void InitUniverse() {
    const Universe& u = U();
    auto type = [&](const char* n, const Type* t) {
      Obj* o = prog_->NewObj(ObjKind::kTypeName, n, {});
      o->type = t;
      universe_.names[n] = o;
    };
    type("bool", u.bool_t);
    type("int", u.int_t);
    type("int8", u.int8_t_);
    type("int16", u.int16_t_);
    type("int32", u.int32_t_);
    type("int64", u.int64_t_);
    type("uint", u.uint_t);
    type("uint8", u.uint8_t_);
    type("uint16", u.uint16_t_);
    type("uint32", u.uint32_t_);
    type("uint64", u.uint64_t_);
    type("uintptr", u.uintptr_t_);
    type("float32", u.float32_t);
    type("float64", u.float64_t);
    type("string", u.string_t);
    type("byte", u.byte_t);
    type("rune", u.rune_t);
    type("any", u.any_t);
    type("error", u.error_t);
    for (const char* b : {"append", "cap", "copy", "delete", "len", "make", "new", "panic", "print",
                          "println", "recover", "complex", "real", "imag", "close"}) {
      universe_.names[b] = prog_->NewObj(ObjKind::kBuiltin, b, {});
    }
    for (const char* b : {"true", "false"}) {
      Obj* o = prog_->NewObj(ObjKind::kConst, b, {});
      o->type = u.untyped_bool;
      o->const_val = b;
      universe_.names[b] = o;
    }
    Obj* nil = prog_->NewObj(ObjKind::kNil, "nil", {});
    nil->type = u.untyped_nil;
    universe_.names["nil"] = nil;
  }

  void LoadStdPackage(const std::string& path) {
    if (std_pkgs_.count(path)) return;
    auto pkg = std::make_unique<Package>();
    pkg->path = path;
    pkg->scope.parent = &universe_;
    std::string src = absl::StrCat("package ", path, "\n");
    for (const StdType& t : StdTypes())
      if (path == t.pkg) absl::StrAppend(&src, "type ", t.name, " ", t.def, "\n");
    std::vector<const StdFunc*> fns;
    for (const StdFunc& f : StdFuncs()) {
      if (path != f.pkg) continue;
      std::string name = f.name;
      std::string sig = std::string(f.sig).substr(4);  // drop "func"
      size_t dot = name.find(").");
      if (dot != std::string::npos) {
        std::string recv = name.substr(1, dot - 1);
        absl::StrAppend(&src, "func (recv ", recv, ") ", name.substr(dot + 2), sig, "\n");
      } else {
        absl::StrAppend(&src, "func ", name, sig, "\n");
      }
      fns.push_back(&f);
    }
    ParsedFile pf;
    std::string saved = prog_->filename;
    absl::Status st = Parse(path + ".builtin", src, prog_, &pf);
    if (!st.ok())
      throw TypeError{{1, 1}, "internal: bad stdlib description: " + std::string(st.message())};
    size_t before = prog_->funcs.size();
    CollectDecls(pf.decls, &pkg->scope, path);
    // Attach tags in declaration order.
    std::vector<Func*> declared(prog_->funcs.begin() + before, prog_->funcs.end());
    prog_->funcs.resize(before);
    for (size_t i = 0; i < declared.size() && i < fns.size(); ++i) {
      declared[i]->external = true;
      for (const char* t : fns[i]->tags) declared[i]->ext_tags.push_back(t);
    }
    std_pkgs_[path] = std::move(pkg);
  }

  void Declare(Scope* s, Obj* o, bool is_local) {
    if (o->name == "_") return;
    auto it = s->names.find(o->name);
    if (it != s->names.end()) {
      throw TypeError{o->pos, absl::StrCat(o->name, " redeclared in this block")};
    }
    s->names[o->name] = o;
  }

  Obj* LookupIn(Scope* s, const std::string& name) {
    for (; s != nullptr; s = s->parent) {
      auto it = s->names.find(name);
      if (it != s->names.end()) return it->second;
    }
    return nullptr;
  }

  // ------------------------------------------------------- declarations
  void CollectDecls(const std::vector<Node*>& decls, Scope* scope, const std::string& pkg) {
    std::string saved_pkg = cur_pkg_;
    cur_pkg_ = pkg;
    // Types first (so that they can refer to each other), then funcs, then
    // consts/vars in order, then bodies.
    std::vector<std::pair<Node*, Type*>> named;
    for (Node* d : decls) {
      if (d->op != Op::kTypeDecl) continue;
      Obj* o = prog_->NewObj(ObjKind::kTypeName, d->str, d->pos);
      if (d->def) {
        named.push_back({d, nullptr});
      } else {
        Type* t = prog_->types.New(Kind::kNamed);
        t->name = d->str;
        t->pkg = pkg;
        o->type = t;
        named.push_back({d, t});
      }
      d->obj = o;
      Declare(scope, o, false);
    }
    for (auto& [d, t] : named) {
      if (t == nullptr) {
        d->obj->type = ResolveType(d->x, scope);
        continue;
      }
      const Type* u = ResolveType(d->x, scope);
      t->underlying = Under(u);
      if (t->underlying == nullptr || t->underlying == t)
        throw TypeError{d->pos, absl::StrCat("invalid recursive type ", d->str)};
      if (Under(u)->kind == Kind::kInterface) t->methods = Under(u)->methods;
    }
    std::vector<std::pair<Node*, Func*>> bodies;
    for (Node* d : decls) {
      if (d->op != Op::kFuncLit) continue;
      Func* f = DeclareFunc(d, scope);
      bodies.push_back({d, f});
    }
    Scope* saved_scope = scope_;
    scope_ = scope;
    // Package initialization: dynamic global initializers run in a
    // synthesized "init" function, analysed after all others (as in Go).
    Func* init = prog_->NewFunc();
    init->name = "init";
    init->sig = prog_->types.New(Kind::kFunc);
    init->body = NewNode(Op::kBlockStmt, Pos{1, 1});
    fn_ = init;
    labels_stack_.push_back({});
    for (Node* d : decls) {
      if (d->op == Op::kConstDecl) ConstDecl(d, scope);
      if (d->op == Op::kVarDecl) GlobalVarDecl(d, scope, init);
    }
    labels_stack_.pop_back();
    fn_ = nullptr;
    for (auto& [d, f] : bodies) {
      if (d->z != nullptr) FuncBody(f, d->z);
    }
    if (!init->body->list.empty() && pkg.empty()) prog_->funcs.push_back(init);
    scope_ = saved_scope;
    cur_pkg_ = saved_pkg;
  }

  Func* DeclareFunc(Node* d, Scope* scope) {
    Func* f = prog_->NewFunc();
    f->pos = d->pos;
    f->body = nullptr;
    Type* recv_named = nullptr;
    bool ptr = false;
    if (d->x != nullptr) {
      Node* rt = d->x->x;
      if (rt->op == Op::kStar) {
        ptr = true;
        rt = rt->x;
      }
      if (rt->op != Op::kIdent) throw TypeError{rt->pos, "invalid receiver type"};
      Obj* to = LookupIn(scope, rt->str);
      if (to == nullptr || to->kind != ObjKind::kTypeName || to->type->kind != Kind::kNamed)
        throw TypeError{rt->pos, absl::StrCat("undefined: ", rt->str)};
      recv_named = const_cast<Type*>(to->type);
      if (Under(recv_named)->kind == Kind::kPointer || Under(recv_named)->kind == Kind::kInterface)
        throw TypeError{rt->pos, absl::StrCat("invalid receiver type ", rt->str)};
      f->name =
          ptr ? absl::StrCat("(*", rt->str, ").", d->str) : absl::StrCat(rt->str, ".", d->str);
      f->ptr_recv = ptr;
    } else {
      f->name = d->str;
    }
    f->sig = Signature(d->y, scope, f, d->x);
    if (recv_named != nullptr) {
      for (const Method& m : recv_named->methods)
        if (m.name == d->str)
          throw TypeError{
              d->pos, absl::StrCat("method ", recv_named->name, ".", d->str, " already declared")};
      if (IsStruct(recv_named)) {
        for (const Field& fl : Under(recv_named)->fields)
          if (fl.name == d->str)
            throw TypeError{d->pos, absl::StrCat("field and method with the same name ", d->str)};
      }
      recv_named->methods.push_back(Method{d->str, f->sig, ptr, f});
    } else {
      if (d->str == "init" || d->str == "main") {
        if (!f->sig->fields.empty() || !f->sig->results.empty())
          throw TypeError{d->pos, absl::StrCat("func ", d->str,
                                               " must have no arguments and no return values")};
      }
      Obj* o = prog_->NewObj(ObjKind::kFunc, d->str, d->pos);
      o->type = f->sig;
      o->fn = f;
      o->pkg = cur_pkg_;
      f->nname = o;
      if (d->str != "init") Declare(scope, o, false);
    }
    if (d->z == nullptr && cur_pkg_.empty()) throw TypeError{d->pos, "missing function body"};
    prog_->funcs.push_back(f);
    return f;
  }

  // Builds the signature type and the parameter objects of `f` (if given).
  const Type* Signature(Node* ft, Scope* scope, Func* f, Node* recv) {
    Type* t = prog_->types.New(Kind::kFunc);
    auto mkparam = [&](Node* p, const Type* pt, VarClass cls) -> Obj* {
      if (f == nullptr) return nullptr;
      Obj* o = prog_->NewObj(ObjKind::kVar, p->str, p->pos);
      o->type = pt;
      o->cls = cls;
      o->curfn = f;
      f->dcl.push_back(o);
      return o;
    };
    if (recv != nullptr && f != nullptr) {
      const Type* rt = ResolveType(recv->x, scope);
      f->recv = mkparam(recv, rt, VarClass::kParam);
    }
    for (size_t i = 0; i < ft->list.size(); ++i) {
      Node* p = ft->list[i];
      const Type* pt = ResolveType(p->x, scope);
      if (p->ddd) {
        pt = prog_->types.Slice(pt);
        t->variadic = true;
      }
      Field fl{p->str, pt};
      fl.obj = mkparam(p, pt, VarClass::kParam);
      if (f != nullptr) f->params.push_back(fl.obj);
      t->fields.push_back(fl);
    }
    for (size_t i = 0; i < ft->list2.size(); ++i) {
      Node* p = ft->list2[i];
      const Type* pt = ResolveType(p->x, scope);
      Field fl{p->str, pt};
      if (f != nullptr) {
        Obj* o = mkparam(p, pt, VarClass::kParamOut);
        if (o->name.empty() || o->name == "_") {
          o->name = absl::StrCat(o->name.empty() ? "~r" : "~b", i);
          o->pos = p->pos;
        }
        o->result_index = static_cast<int>(i) + 1;
        f->results.push_back(o);
        fl.obj = o;
      }
      t->results.push_back(fl);
    }
    return t;
  }

  const Type* ResolveType(Node* n, Scope* scope) {
    switch (n->op) {
      case Op::kIdent: {
        Obj* o = LookupIn(scope, n->str);
        if (o == nullptr) throw TypeError{n->pos, absl::StrCat("undefined: ", n->str)};
        if (o->kind != ObjKind::kTypeName)
          throw TypeError{n->pos, absl::StrCat(n->str, " is not a type")};
        if (o->type == nullptr)
          throw TypeError{n->pos, absl::StrCat("invalid recursive type ", n->str)};
        return o->type;
      }
      case Op::kSelector: {
        if (n->x->op == Op::kIdent) {
          Obj* p = LookupIn(scope, n->x->str);
          if (p != nullptr && p->kind == ObjKind::kPkg) {
            p->used = true;
            auto it = std_pkgs_.find(p->pkg);
            if (it == std_pkgs_.end())
              throw Unsupported{n->pos, absl::StrCat("type from unsupported package ", p->pkg)};
            auto m = it->second->scope.names.find(n->str);
            if (m == it->second->scope.names.end() || m->second->kind != ObjKind::kTypeName)
              throw TypeError{n->pos, absl::StrCat("undefined: ", n->x->str, ".", n->str)};
            return m->second->type;
          }
        }
        throw TypeError{n->pos, "invalid type expression"};
      }
      case Op::kParen:
        return ResolveType(n->x, scope);
      case Op::kStar:
        return prog_->types.Pointer(ResolveType(n->x, scope));
      case Op::kSliceType:
        return prog_->types.Slice(ResolveType(n->y, scope));
      case Op::kArrayType: {
        if (n->x == nullptr)
          throw TypeError{n->pos, "invalid use of [...] array (outside a composite literal)"};
        Scope* saved = scope_;
        scope_ = scope;
        Node* len = Expr(n->x);
        scope_ = saved;
        if (!len->int_known || len->int_val < 0)
          throw TypeError{n->x->pos, "array length must be a non-negative integer constant"};
        Type* t = prog_->types.New(Kind::kArray);
        t->len = len->int_val;
        t->elem = ResolveType(n->y, scope);
        return t;
      }
      case Op::kMapType: {
        Type* t = prog_->types.New(Kind::kMap);
        t->key = ResolveType(n->x, scope);
        t->elem = ResolveType(n->y, scope);
        const Type* k = Under(t->key);
        if (k->kind == Kind::kSlice || k->kind == Kind::kMap || k->kind == Kind::kFunc)
          throw TypeError{n->x->pos, absl::StrCat("invalid map key type ", TypeString(t->key))};
        return t;
      }
      case Op::kFuncType:
        return Signature(n, scope, nullptr, nullptr);
      case Op::kStructType: {
        Type* t = prog_->types.New(Kind::kStruct);
        std::set<std::string> seen;
        for (Node* f : n->list) {
          const Type* ft = ResolveType(f->x, scope);
          Field fl;
          fl.type = ft;
          if (f->implicit) {
            fl.embedded = true;
            const Type* base = ft->kind == Kind::kPointer ? ft->elem : ft;
            if (base->kind == Kind::kNamed)
              fl.name = base->name;
            else
              throw Unsupported{f->pos, "embedded field of unnamed type"};
          } else {
            fl.name = f->str;
          }
          if (fl.name != "_" && !seen.insert(fl.name).second)
            throw TypeError{f->pos, absl::StrCat(fl.name, " redeclared")};
          t->fields.push_back(fl);
        }
        return t;
      }
      case Op::kInterfaceType: {
        if (n->list.empty()) return U().empty_iface;
        Type* t = prog_->types.New(Kind::kInterface);
        for (Node* m : n->list) {
          if (m->str.empty()) {
            const Type* e = ResolveType(m->x, scope);
            if (!IsInterface(e))
              throw TypeError{m->pos, absl::StrCat("interface contains type constraints")};
            for (const Method& em : Under(e)->methods) t->methods.push_back(em);
            continue;
          }
          t->methods.push_back(
              Method{m->str, Signature(m->x, scope, nullptr, nullptr), false, nullptr});
        }
        std::sort(t->methods.begin(), t->methods.end(),
                  [](const Method& a, const Method& b) { return a.name < b.name; });
        return t;
      }
      case Op::kChanType:
        throw Unsupported{n->pos, "channel type"};
      case Op::kEllipsis:
        throw TypeError{n->pos, "invalid use of ..."};
      default:
        throw TypeError{n->pos, "invalid type expression"};
    }
  }

  void ConstDecl(Node* d, Scope* scope) {
    if (d->list2.size() != d->list.size()) {
      throw TypeError{d->list[0]->pos, d->list2.size() < d->list.size()
                                           ? "missing init expr for const declaration"
                                           : "extra init expr"};
    }
    iota_ = d->int_val;
    const Type* t = d->x != nullptr ? ResolveType(d->x, scope) : nullptr;
    for (size_t i = 0; i < d->list.size(); ++i) {
      Node* v = Expr(d->list2[i]);
      if (!v->is_const)
        throw TypeError{v->pos, absl::StrCat(ExprText(d->list2[i]), " (value of type ",
                                             TypeString(v->type), ") is not constant")};
      if (t != nullptr) v = Assign(v, t, "constant declaration");
      Obj* o = prog_->NewObj(ObjKind::kConst, d->list[i]->str, d->list[i]->pos);
      o->type = v->type;
      o->const_val = v->str;
      o->int_val = v->int_val;
      o->int_known = v->int_known;
      Declare(scope, o, false);
    }
    iota_ = -1;
  }

  void GlobalVarDecl(Node* d, Scope* scope, Func* init) {
    const Type* t = d->x != nullptr ? ResolveType(d->x, scope) : nullptr;
    std::vector<Node*> values;
    std::vector<const Type*> types = VarDeclTypes(d, t, &values);
    std::vector<Obj*> objs;
    for (size_t i = 0; i < d->list.size(); ++i) {
      Obj* o = prog_->NewObj(ObjKind::kVar, d->list[i]->str, d->list[i]->pos);
      o->cls = VarClass::kExtern;
      o->type = types[i];
      prog_->globals.push_back(o);
      objs.push_back(o);
    }
    if (values.size() == 1 && objs.size() > 1) {
      Node* as = NewNode(values[0]->op == Op::kDotType2   ? Op::kAs2DotType
                         : values[0]->op == Op::kIndexMap ? Op::kAs2MapR
                                                          : Op::kAs2Func,
                         d->pos);
      for (Obj* o : objs)
        as->list.push_back(o->name == "_" ? BlankNode(o->pos) : NameNode(o, o->pos));
      as->x = values[0];
      init->body->list.push_back(as);
    } else {
      for (size_t i = 0; i < values.size(); ++i) {
        if (IsStaticInit(values[i])) continue;
        Node* as = NewNode(Op::kAs, d->pos);
        as->x = objs[i]->name == "_" ? BlankNode(objs[i]->pos) : NameNode(objs[i], objs[i]->pos);
        as->y = values[i];
        init->body->list.push_back(as);
      }
    }
    for (Obj* o : objs) Declare(scope, o, false);
  }

  Node* BlankNode(Pos pos) {
    Node* b = NewNode(Op::kName, pos);
    b->str = "_";
    return b;
  }

  // Values the compiler's static initializer lays out in data (no code, no
  // escape analysis).
  static bool IsStaticInit(const Node* v) {
    switch (v->op) {
      case Op::kLiteral:
      case Op::kNil:
      case Op::kFuncName:
        return true;
      case Op::kConv:
        return IsStaticInit(v->x);
      case Op::kConvIface:
        return v->x->is_const || v->x->op == Op::kLiteral;
      case Op::kAddr:
        return v->x->op == Op::kName && v->x->obj != nullptr && v->x->obj->cls == VarClass::kExtern;
      case Op::kPtrLit:
        return IsStaticInit(v->x);
      case Op::kStructLit:
        for (const Node* e : v->list)
          if (!IsStaticInit(e->x)) return false;
        return true;
      case Op::kArrayLit:
      case Op::kSliceLit:
        for (const Node* e : v->list)
          if (!IsStaticInit(e->op == Op::kKey ? e->y : e)) return false;
        return true;
      default:
        return false;
    }
  }

  // Checks the values of a var declaration; returns the variable types.
  std::vector<const Type*> VarDeclTypes(Node* d, const Type* t, std::vector<Node*>* values) {
    std::vector<const Type*> out(d->list.size(), t);
    if (d->list2.empty()) {
      if (t == nullptr) throw TypeError{d->pos, "missing type or init expr"};
      return out;
    }
    if (d->list2.size() == 1 && d->list.size() > 1) {
      Node* v = Expr(d->list2[0], nullptr, false, d->list.size() == 2);
      const Type* tt = v->type;
      if (tt == nullptr || tt->kind != Kind::kTuple || tt->fields.size() != d->list.size())
        throw TypeError{d->list[0]->pos, absl::StrCat("assignment mismatch: ", d->list.size(),
                                                      " variables but 1 value")};
      for (size_t i = 0; i < out.size(); ++i) out[i] = t != nullptr ? t : tt->fields[i].type;
      if (values) values->push_back(v);
      return out;
    }
    if (d->list2.size() != d->list.size())
      throw TypeError{d->list[0]->pos,
                      absl::StrCat("assignment mismatch: ", d->list.size(), " variable",
                                   d->list.size() > 1 ? "s" : "", " but ", d->list2.size(),
                                   " value", d->list2.size() > 1 ? "s" : "")};
    for (size_t i = 0; i < d->list.size(); ++i) {
      Node* v = Expr(d->list2[i]);
      SingleValue(v);
      if (t != nullptr) {
        Pos lp = v->op == Op::kLiteral && v->implicit ? Pos{} : LastPos(d->list2[i]);
        v = Assign(v, t, "variable declaration", lp.Known() ? lp : d->list[i]->pos);
      } else {
        if (v->type->kind == Kind::kUntypedNil)
          throw TypeError{v->pos, "use of untyped nil in variable declaration"};
        v = Assign(v, DefaultType(v->type), "variable declaration");
        out[i] = v->type;
      }
      if (values) values->push_back(v);
    }
    return out;
  }

  // ---------------------------------------------------------- functions
  void FuncBody(Func* f, Node* body) {
    Func* saved_fn = fn_;
    fn_ = f;
    Scope fs;
    fs.parent = scope_;
    Scope* saved = scope_;
    scope_ = &fs;
    for (Obj* o : f->dcl) {
      if (!o->name.empty() && o->name[0] != '~') Declare(&fs, o, true);
    }
    labels_stack_.push_back({});
    try {
      f->body = Block(body, false);
      CheckLabels(body);
      if (!f->sig->results.empty() && !Terminates(body))
        throw TypeError{body->w->pos, "missing return"};
    } catch (const Unsupported& u) {
      f->unsupported = true;
      f->body = prog_->NewNode(Op::kBlockStmt, body->pos);
      Node* un = prog_->NewNode(Op::kUnsupported, u.pos);
      un->unsupported = u.what;
      f->body->list.push_back(un);
      prog_->unsupported.push_back(absl::StrCat(prog_->filename, ":", u.pos.line, ":", u.pos.col,
                                                ": unsupported: ", u.what));
    }
    labels_stack_.pop_back();
    scope_ = saved;
    fn_ = saved_fn;
  }

  void CheckLabels(Node*) {
    auto& ls = labels_stack_.back();
    for (auto& [name, info] : ls.used) {
      if (!ls.defined.count(name))
        throw TypeError{info, absl::StrCat("label ", name, " not defined")};
    }
    for (auto& [name, pos] : ls.defined) {
      if (!ls.used.count(name))
        throw TypeError{pos, absl::StrCat("label ", name, " defined and not used")};
    }
  }

  bool Terminates(Node* s) {
    if (s == nullptr) return false;
    switch (s->op) {
      case Op::kReturn:
        return true;
      case Op::kBranch:
        return s->str == "goto";
      case Op::kExprStmt:
        return s->x->op == Op::kCall && s->x->x->op == Op::kIdent && s->x->x->str == "panic" &&
               LookupIn(scope_, "panic") != nullptr &&
               LookupIn(scope_, "panic")->kind == ObjKind::kBuiltin;
      case Op::kBlock:
        return !s->list.empty() && Terminates(s->list.back());
      case Op::kIf:
        return s->z != nullptr && Terminates(s->y) && Terminates(s->z);
      case Op::kLabeled:
        return Terminates(s->x);
      case Op::kFor:
        return s->y == nullptr && !HasBreak(s->w, true);
      case Op::kSwitch:
      case Op::kTypeSwitch: {
        bool has_default = false;
        for (Node* c : s->list) {
          if (c->is_default) has_default = true;
          if (c->list2.empty()) return false;
          Node* last = c->list2.back();
          if (!(Terminates(last) || (last->op == Op::kBranch && last->str == "fallthrough")))
            return false;
          for (Node* st : c->list2)
            if (HasBreak(st, true)) return false;
        }
        return has_default;
      }
      default:
        return false;
    }
  }

  bool HasBreak(Node* s, bool top) {
    if (s == nullptr) return false;
    switch (s->op) {
      case Op::kBranch:
        return s->str == "break" && s->x == nullptr;
      case Op::kBlock:
        for (Node* c : s->list)
          if (HasBreak(c, top)) return true;
        return false;
      case Op::kIf:
        return HasBreak(s->y, top) || HasBreak(s->z, top);
      case Op::kLabeled:
        return HasBreak(s->x, top);
      case Op::kCase:
        for (Node* c : s->list2)
          if (HasBreak(c, top)) return true;
        return false;
      default:
        return false;  // nested loops/switches own their breaks
    }
  }

  // ------------------------------------------------------------ statements
  Node* NewNode(Op op, Pos pos) { return prog_->NewNode(op, pos); }

  Node* Block(Node* b, bool new_scope) {
    Scope s;
    Scope* saved = scope_;
    if (new_scope) {
      s.parent = scope_;
      scope_ = &s;
    }
    Node* out = NewNode(Op::kBlockStmt, b->pos);
    for (Node* st : b->list) StmtInto(st, &out->list);
    CheckUnused(scope_);
    scope_ = saved;
    return out;
  }

  void CheckUnused(Scope* s) {
    for (auto& [name, o] : s->names) {
      if (o->kind == ObjKind::kVar && o->cls == VarClass::kAuto && !o->used)
        throw TypeError{o->pos, absl::StrCat(name, " declared but not used")};
    }
  }

  Obj* NewLocal(Node* id, const Type* t) {
    if (t->kind == Kind::kUntypedNil) throw TypeError{id->pos, "use of untyped nil in assignment"};
    Obj* o = prog_->NewObj(ObjKind::kVar, id->str, id->pos);
    o->type = DefaultType(t);
    o->cls = VarClass::kAuto;
    o->curfn = fn_;
    if (id->str != "_") fn_->dcl.push_back(o);
    return o;
  }

  Node* NameNode(Obj* o, Pos pos) {
    Node* n = NewNode(Op::kName, pos);
    n->obj = o;
    n->type = o->type;
    n->str = o->name;
    return n;
  }

  void StmtInto(Node* s, std::vector<Node*>* out) {
    switch (s->op) {
      case Op::kEmpty:
        return;
      case Op::kBlock:
        if (s->implicit) {
          for (Node* d : s->list) StmtInto(d, out);
        } else {
          out->push_back(Block(s, true));
        }
        return;
      case Op::kVarDecl: {
        const Type* t = s->x != nullptr ? ResolveType(s->x, scope_) : nullptr;
        std::vector<Node*> values;
        std::vector<const Type*> types = VarDeclTypes(s, t, &values);
        std::vector<Obj*> objs;
        for (size_t i = 0; i < s->list.size(); ++i) objs.push_back(NewLocal(s->list[i], types[i]));
        std::vector<Node*> dcls;
        for (Obj* o : objs) {
          Node* d = NewNode(Op::kDcl, o->pos);
          d->obj = o;
          if (o->name != "_") dcls.push_back(d);
        }
        if (values.empty()) {
          for (size_t i = 0; i < objs.size(); ++i) {
            if (objs[i]->name != "_") out->push_back(dcls[i]);
            Node* as = NewNode(Op::kAs, s->list[i]->pos);
            as->x = NameNode(objs[i], objs[i]->pos);
            out->push_back(as);
          }
        } else if (values.size() == 1 && objs.size() > 1) {
          Node* as = MultiAssign(s->pos, objs, values[0]);
          for (Node* d : dcls) out->push_back(d);
          out->push_back(as);
        } else if (objs.size() == 1) {
          for (Node* d : dcls) out->push_back(d);
          Node* as = NewNode(Op::kAs, s->pos);
          as->x = NameNode(objs[0], objs[0]->pos);
          as->y = values[0];
          objs[0]->defn = as;
          out->push_back(as);
        } else {
          for (Node* d : dcls) out->push_back(d);
          Node* as = NewNode(Op::kAs2, s->pos);
          for (size_t i = 0; i < objs.size(); ++i) {
            as->list.push_back(NameNode(objs[i], objs[i]->pos));
            as->list2.push_back(values[i]);
            objs[i]->defn = as;
          }
          out->push_back(as);
        }
        for (Obj* o : objs) Declare(scope_, o, true);
        return;
      }
      case Op::kConstDecl:
        ConstDecl(s, scope_);
        return;
      case Op::kTypeDecl:
        throw Unsupported{s->pos, "local type declaration"};
      case Op::kExprStmt: {
        Node* x = Expr(s->x, nullptr, /*stmt=*/true);
        switch (x->op) {
          case Op::kCallFunc:
          case Op::kCallInter:
          case Op::kCallMeth:
          case Op::kCopy:
          case Op::kDelete:
          case Op::kPanic:
          case Op::kPrint:
          case Op::kPrintln:
          case Op::kRecover:
            break;
          default:
            throw TypeError{s->x->pos,
                            absl::StrCat(ExprText(s->x), " (", DescribeValue(x), ") is not used")};
        }
        Node* st = NewNode(Op::kCallStmt, x->pos);
        st->x = x;
        out->push_back(st);
        return;
      }
      case Op::kIncDec: {
        Node* x = Expr(s->x);
        CheckAssignable(x, s->x);
        if (!IsNumeric(x->type))
          throw TypeError{s->pos, absl::StrCat("invalid operation: ", ExprText(s->x), s->str,
                                               " (non-numeric type ", TypeString(x->type), ")")};
        Node* as = NewNode(Op::kAsOp, s->pos);
        as->str = s->str == "++" ? "+" : "-";
        as->x = x;
        Node* one = NewNode(Op::kLiteral, s->pos);
        one->str = "1";
        one->type = x->type;
        one->is_const = true;
        as->y = one;
        out->push_back(as);
        return;
      }
      case Op::kAssign:
        AssignStmt(s, out);
        return;
      case Op::kIf: {
        Scope sc;
        sc.parent = scope_;
        Scope* saved = scope_;
        scope_ = &sc;
        Node* n = NewNode(Op::kIfStmt, s->pos);
        for (Node* i : s->init) StmtInto(i, &n->init);
        n->x = Expr(s->x);
        SingleValue(n->x);
        if (!IsBoolean(n->x->type))
          throw TypeError{s->x->pos, absl::StrCat("non-boolean condition in if statement")};
        n->y = Block(s->y, true);
        if (s->z != nullptr) {
          std::vector<Node*> els;
          StmtInto(s->z, &els);
          Node* eb = NewNode(Op::kBlockStmt, s->z->pos);
          eb->list = els;
          n->z = eb;
        }
        CheckUnused(&sc);
        scope_ = saved;
        out->push_back(n);
        return;
      }
      case Op::kFor: {
        Scope sc;
        sc.parent = scope_;
        Scope* saved = scope_;
        scope_ = &sc;
        Node* n = NewNode(Op::kForStmt, s->pos);
        if (s->x != nullptr) StmtInto(s->x, &n->init);
        if (s->y != nullptr) {
          n->x = Expr(s->y);
          if (!IsBoolean(n->x->type))
            throw TypeError{s->y->pos, "non-boolean condition in for statement"};
        }
        if (s->z != nullptr) {
          if (s->z->op == Op::kAssign && s->z->str == ":=")
            throw TypeError{s->z->pos, "cannot declare in post statement of for loop"};
          std::vector<Node*> post;
          StmtInto(s->z, &post);
          n->y = post.empty() ? nullptr : post[0];
        }
        ++loop_;
        n->w = Block(s->w, true);
        --loop_;
        CheckUnused(&sc);
        scope_ = saved;
        out->push_back(n);
        return;
      }
      case Op::kRange:
        RangeStmt(s, out);
        return;
      case Op::kSwitch:
        SwitchStmt(s, out);
        return;
      case Op::kTypeSwitch:
        TypeSwitchStmt(s, out);
        return;
      case Op::kReturn: {
        Node* n = NewNode(Op::kReturnStmt, s->pos);
        const Type* sig = fn_->sig;
        if (s->list.empty()) {
          if (!sig->results.empty() && sig->results[0].name.empty())
            throw TypeError{s->pos, "not enough return values\n\thave ()"};
          out->push_back(n);
          return;
        }
        std::vector<Node*> vals;
        for (Node* e : s->list) vals.push_back(Expr(e));
        if (vals.size() == 1 && vals[0]->type != nullptr && vals[0]->type->kind == Kind::kTuple) {
          if (vals[0]->type->fields.size() != sig->results.size())
            throw TypeError{s->list[0]->pos, "wrong number of return values"};
          // return f(): Go desugars through temporaries; model as OAS2FUNC into results.
          Node* as = NewNode(Op::kAs2Func, s->pos);
          for (Obj* r : fn_->results) as->list.push_back(NameNode(r, s->pos));
          as->x = vals[0];
          out->push_back(as);
          out->push_back(n);
          return;
        }
        if (vals.size() != sig->results.size())
          throw TypeError{s->list.empty() ? s->pos : s->list[0]->pos,
                          vals.size() < sig->results.size() ? "not enough return values"
                                                            : "too many return values"};
        for (size_t i = 0; i < vals.size(); ++i) {
          SingleValue(vals[i]);
          n->list.push_back(
              Assign(vals[i], sig->results[i].type, "return statement", s->list[i]->pos));
        }
        out->push_back(n);
        return;
      }
      case Op::kGo:
      case Op::kDefer: {
        Node* n = NewNode(s->op == Op::kGo ? Op::kGoStmt : Op::kDeferStmt, s->pos);
        if (s->x->op != Op::kCall)
          throw TypeError{s->x->pos,
                          absl::StrCat("expression in ", s->op == Op::kGo ? "go" : "defer",
                                       " must be function call")};
        Node* c = Expr(s->x, nullptr, true);
        if (c->op == Op::kConv || c->op == Op::kConvIface || c->op == Op::kLen ||
            c->op == Op::kCap || c->op == Op::kAppend || c->op == Op::kNew ||
            c->op == Op::kMakeSlice || c->op == Op::kMakeMap)
          throw TypeError{s->x->pos, absl::StrCat(s->op == Op::kGo ? "go" : "defer",
                                                  " discards result of ", ExprText(s->x))};
        n->x = c;
        out->push_back(n);
        return;
      }
      case Op::kLabeled: {
        auto& ls = labels_stack_.back();
        if (ls.defined.count(s->str))
          throw TypeError{s->pos, absl::StrCat("label ", s->str, " already defined")};
        ls.defined[s->str] = s->pos;
        Node* l = NewNode(Op::kLabel, s->pos);
        l->str = s->str;
        out->push_back(l);
        bool is_loop = s->x->op == Op::kFor || s->x->op == Op::kRange;
        if (is_loop) loop_labels_.insert(s->str);
        if (s->x->op == Op::kSwitch || s->x->op == Op::kTypeSwitch) switch_labels_.insert(s->str);
        StmtInto(s->x, out);
        loop_labels_.erase(s->str);
        switch_labels_.erase(s->str);
        return;
      }
      case Op::kBranch: {
        Node* n = nullptr;
        auto& ls = labels_stack_.back();
        if (s->str == "goto") {
          n = NewNode(Op::kGoto, s->pos);
          if (s->x == nullptr) throw TypeError{s->pos, "syntax error: missing label"};
          n->str = s->x->str;
          ls.used.emplace(n->str, s->x->pos);
        } else if (s->str == "break" || s->str == "continue") {
          n = NewNode(s->str == "break" ? Op::kBreak : Op::kContinue, s->pos);
          if (s->x != nullptr) {
            n->str = s->x->str;
            ls.used.emplace(n->str, s->x->pos);
            if (!loop_labels_.count(n->str) && !(s->str == "break" && switch_labels_.count(n->str)))
              throw TypeError{s->x->pos, absl::StrCat("invalid ", s->str, " label ", n->str)};
          } else if (s->str == "continue" && loop_ == 0) {
            throw TypeError{s->pos, "continue is not in a loop"};
          } else if (s->str == "break" && loop_ == 0 && switch_ == 0) {
            throw TypeError{s->pos, "break is not in a loop, switch, or select"};
          }
        } else {
          n = NewNode(Op::kFallthrough, s->pos);
        }
        out->push_back(n);
        return;
      }
      case Op::kSend:
        throw Unsupported{s->pos, "channel send"};
      case Op::kSelect:
        throw Unsupported{s->pos, "select statement"};
      default:
        throw TypeError{s->pos, "unexpected statement"};
    }
  }

  Node* MultiAssign(Pos pos, const std::vector<Obj*>& objs, Node* v) {
    Op op = v->op == Op::kDotType2   ? Op::kAs2DotType
            : v->op == Op::kIndexMap ? Op::kAs2MapR
                                     : Op::kAs2Func;
    Node* as = NewNode(op, pos);
    for (Obj* o : objs) {
      as->list.push_back(NameNode(o, o->pos));
      o->defn = as;
    }
    as->x = v;
    return as;
  }

  void CheckAssignable(Node* x, Node* src) {
    switch (x->op) {
      case Op::kName:
        if (x->obj->kind != ObjKind::kVar)
          throw TypeError{src->pos,
                          absl::StrCat("cannot assign to ", ExprText(src),
                                       " (neither addressable nor a map index expression)")};
        return;
      case Op::kDeref:
      case Op::kDotPtr:
      case Op::kIndexSlice:
      case Op::kIndexMap:
        return;
      case Op::kDot:
      case Op::kIndexArr:
        if (x->x->op == Op::kIndexMap)
          throw TypeError{src->pos,
                          absl::StrCat("cannot assign to struct field ", ExprText(src), " in map")};
        CheckAssignable(x->x, src);
        return;
      default:
        throw TypeError{src->pos,
                        absl::StrCat("cannot assign to ", ExprText(src),
                                     " (neither addressable nor a map index expression)")};
    }
  }

  void AssignStmt(Node* s, std::vector<Node*>* out) {
    if (s->str == ":=") {
      // Evaluate RHS first (new names are not in scope yet).
      std::vector<Node*> vals;
      for (Node* e : s->list2)
        vals.push_back(Expr(e, nullptr, false,
                            /*allow_comma_ok=*/s->list.size() == 2 && s->list2.size() == 1));
      bool multi = vals.size() == 1 && s->list.size() > 1;
      std::vector<const Type*> types;
      if (multi) {
        const Type* tt = vals[0]->type;
        if (tt == nullptr || tt->kind != Kind::kTuple || tt->fields.size() != s->list.size())
          throw TypeError{s->list[0]->pos, absl::StrCat("assignment mismatch: ", s->list.size(),
                                                        " variables but ", DescribeCount(vals[0]))};
        for (auto& f : tt->fields) types.push_back(f.type);
      } else {
        if (vals.size() != s->list.size())
          throw TypeError{s->list[0]->pos,
                          absl::StrCat("assignment mismatch: ", s->list.size(), " variable",
                                       s->list.size() > 1 ? "s" : "", " but ", vals.size(),
                                       " value", vals.size() > 1 ? "s" : "")};
        for (Node* v : vals) {
          SingleValue(v);
          if (v->type->kind == Kind::kUntypedNil)
            throw TypeError{v->pos, "use of untyped nil in assignment"};
          types.push_back(DefaultType(v->type));
        }
      }
      std::vector<Node*> lhs;
      std::vector<Obj*> fresh;
      std::vector<Node*> init;
      bool any_new = false;
      for (size_t i = 0; i < s->list.size(); ++i) {
        Node* id = s->list[i];
        if (id->op != Op::kIdent)
          throw TypeError{id->pos, absl::StrCat("non-name ", ExprText(id), " on left side of :=")};
        auto it = scope_->names.find(id->str);
        if (id->str != "_" && it != scope_->names.end() && it->second->kind == ObjKind::kVar) {
          Node* x = NameNode(it->second, id->pos);
          lhs.push_back(x);
          continue;
        }
        if (id->str == "_") {
          Node* b = NewNode(Op::kName, id->pos);
          b->str = "_";
          b->type = types[i];
          lhs.push_back(b);
          continue;
        }
        any_new = true;
        Obj* o = NewLocal(id, types[i]);
        fresh.push_back(o);
        Node* d = NewNode(Op::kDcl, o->pos);
        d->obj = o;
        init.push_back(d);
        lhs.push_back(NameNode(o, id->pos));
      }
      if (!any_new) throw TypeError{s->pos, "no new variables on left side of :="};
      Node* as;
      if (multi) {
        std::vector<Obj*> dummy;
        as = NewNode(vals[0]->op == Op::kDotType2   ? Op::kAs2DotType
                     : vals[0]->op == Op::kIndexMap ? Op::kAs2MapR
                                                    : Op::kAs2Func,
                     s->pos);
        as->list = lhs;
        as->x = vals[0];
        for (size_t i = 0; i < lhs.size(); ++i)
          if (lhs[i]->obj != nullptr && lhs[i]->type != nullptr &&
              !Identical(lhs[i]->type, types[i]) && !IsInterface(lhs[i]->type))
            throw TypeError{s->pos, "cannot assign"};
      } else if (lhs.size() == 1) {
        as = NewNode(Op::kAs, s->pos);
        as->x = lhs[0];
        as->y = Assign(vals[0], lhs[0]->type, "assignment", ConvPosFor(vals[0], s->pos));
      } else {
        as = NewNode(Op::kAs2, s->pos);
        as->list = lhs;
        for (size_t i = 0; i < vals.size(); ++i)
          as->list2.push_back(
              Assign(vals[i], lhs[i]->type, "assignment", ConvPosFor(vals[i], s->pos)));
      }
      as->def = true;
      as->init = init;
      for (Obj* o : fresh) {
        o->defn = as;
        Declare(scope_, o, true);
      }
      out->push_back(as);
      return;
    }
    if (s->str != "=") {
      // op-assignment
      Node* x = Expr(s->list[0]);
      CheckAssignable(x, s->list[0]);
      Node* y = Expr(s->list2[0]);
      std::string op = s->str.substr(0, s->str.size() - 1);
      Node* b = Binary(op, x, y, s->pos, s->list[0], s->list2[0]);
      (void)b;
      Node* as = NewNode(Op::kAsOp, s->pos);
      as->str = op;
      as->x = x;
      as->y = (op == "<<" || op == ">>") ? y : Assign(y, x->type, "assignment");
      if (IsString(x->type) && op == "+") as->implicit = true;  // string concat
      out->push_back(as);
      return;
    }
    std::vector<Node*> lhs;
    for (Node* l : s->list) {
      if (l->op == Op::kIdent && l->str == "_") {
        Node* b = NewNode(Op::kName, l->pos);
        b->str = "_";
        lhs.push_back(b);
        continue;
      }
      Node* x = Expr(l, nullptr, false, false, /*lhs=*/true);
      CheckAssignable(x, l);
      lhs.push_back(x);
    }
    std::vector<Node*> vals;
    for (Node* e : s->list2)
      vals.push_back(Expr(e, nullptr, false, s->list.size() == 2 && s->list2.size() == 1));
    if (vals.size() == 1 && lhs.size() > 1) {
      const Type* tt = vals[0]->type;
      if (tt == nullptr || tt->kind != Kind::kTuple || tt->fields.size() != lhs.size())
        throw TypeError{s->list[0]->pos, absl::StrCat("assignment mismatch: ", lhs.size(),
                                                      " variables but ", DescribeCount(vals[0]))};
      Node* as = NewNode(vals[0]->op == Op::kDotType2   ? Op::kAs2DotType
                         : vals[0]->op == Op::kIndexMap ? Op::kAs2MapR
                                                        : Op::kAs2Func,
                         s->pos);
      as->list = lhs;
      as->x = vals[0];
      for (size_t i = 0; i < lhs.size(); ++i) {
        if (lhs[i]->type == nullptr) continue;
        const Type* vt = tt->fields[i].type;
        if (!Identical(lhs[i]->type, vt) &&
            !(IsInterface(lhs[i]->type) && Implements(vt, lhs[i]->type)) &&
            !(IsUntyped(vt) && IsBoolean(lhs[i]->type)))
          throw TypeError{s->pos,
                          absl::StrCat("cannot use ", TypeString(vt), " value in assignment")};
      }
      out->push_back(as);
      return;
    }
    if (vals.size() != lhs.size())
      throw TypeError{
          s->list[0]->pos,
          absl::StrCat("assignment mismatch: ", lhs.size(), " variable", lhs.size() > 1 ? "s" : "",
                       " but ", vals.size(), " value", vals.size() > 1 ? "s" : "")};
    for (size_t i = 0; i < vals.size(); ++i) {
      SingleValue(vals[i]);
      if (lhs[i]->type == nullptr) {
        if (vals[i]->type->kind == Kind::kUntypedNil)
          throw TypeError{vals[i]->pos, "use of untyped nil in assignment"};
        vals[i] = Assign(vals[i], DefaultType(vals[i]->type), "assignment");
        lhs[i]->type = vals[i]->type;
      } else {
        vals[i] = Assign(vals[i], lhs[i]->type, "assignment", ExprStart(s->list.back()));
      }
    }
    if (lhs.size() == 1) {
      Node* as = NewNode(Op::kAs, s->pos);
      as->x = lhs[0];
      as->y = vals[0];
      out->push_back(as);
    } else {
      Node* as = NewNode(Op::kAs2, s->pos);
      as->list = lhs;
      as->list2 = vals;
      out->push_back(as);
    }
  }

  // The position Go gives an implicit conversion in `var x T = e`: the last
  // positioned node of e in pre-order, skipping constants, struct keys and
  // call arguments.
  static Pos LastPos(Node* e) {
    if (e == nullptr) return Pos{};
    switch (e->op) {
      case Op::kBasicLit:
        return Pos{};
      case Op::kCall:
      case Op::kFuncLit:
        return e->pos;
      case Op::kCompositeLit: {
        Pos last = e->pos;
        for (Node* c : e->list) {
          Pos p = LastPos(c);
          if (p.Known()) last = p;
        }
        return last;
      }
      case Op::kKeyValue: {
        Pos last;
        if (e->x->op != Op::kIdent) last = LastPos(e->x);
        Pos p = LastPos(e->y);
        return p.Known() ? p : last;
      }
      case Op::kTypeAssert:
        return LastOf(e->pos, {e->x});
      default:
        return LastOf(e->pos, {e->x, e->y, e->z, e->w});
    }
  }
  static Pos LastOf(Pos self, std::initializer_list<Node*> kids) {
    Pos last = self;
    for (Node* k : kids) {
      Pos p = LastPos(k);
      if (p.Known()) last = p;
    }
    return last;
  }

  // Leftmost position of a syntax expression.
  static Pos ExprStart(Node* n) {
    switch (n->op) {
      case Op::kSelector:
      case Op::kIndex:
      case Op::kSliceExpr:
      case Op::kCall:
      case Op::kTypeAssert:
      case Op::kBinary:
        return ExprStart(n->x);
      case Op::kCompositeLit:
        return n->x != nullptr ? ExprStart(n->x) : n->pos;
      case Op::kKeyValue:
        return ExprStart(n->x);
      default:
        return n->pos;
    }
  }

  // Go positions an implicit conversion at the current "base position": the
  // last node with its own position visited by the type checker. Names and
  // named constants do not update it.
  Pos ConvPosFor(Node* v, Pos fallback) {
    if (HasUniquePos(v)) return v->pos;
    return fallback;
  }
  static bool HasUniquePos(Node* v) {
    if (v->op == Op::kName || v->op == Op::kFuncName) return false;
    if (v->op == Op::kLiteral || v->op == Op::kNil) return v->obj == nullptr && !v->implicit;
    return true;
  }

  void RangeStmt(Node* s, std::vector<Node*>* out) {
    Scope sc;
    sc.parent = scope_;
    Scope* saved = scope_;
    Node* x = Expr(s->x);
    SingleValue(x);
    const Type* t = Under(x->type);
    const Type *kt = nullptr, *vt = nullptr;
    Node* xx = x;
    if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
      t = Under(t->elem);
      kt = U().int_t;
      vt = t->elem;
    } else if (t->kind == Kind::kSlice || t->kind == Kind::kArray) {
      kt = U().int_t;
      vt = t->elem;
    } else if (t->kind == Kind::kString || t->kind == Kind::kUntypedString) {
      kt = U().int_t;
      vt = U().rune_t;
      if (IsUntyped(x->type)) xx = Assign(x, U().string_t, "range");
    } else if (t->kind == Kind::kMap) {
      kt = t->key;
      vt = t->elem;
    } else if (IsInteger(x->type)) {
      throw TypeError{s->x->pos, absl::StrCat("cannot range over ", ExprText(s->x), " (",
                                              DescribeValue(x), ")")};
    } else {
      throw TypeError{s->x->pos, absl::StrCat("cannot range over ", ExprText(s->x), " (",
                                              DescribeValue(x), ")")};
    }
    scope_ = &sc;
    Node* n = NewNode(Op::kRangeStmt, s->y != nullptr ? s->y->pos : s->pos);
    n->x = xx;
    std::vector<Obj*> fresh;
    for (size_t i = 0; i < 2; ++i) {
      Node* l = i < s->list.size() ? s->list[i] : nullptr;
      if (l == nullptr || (l->op == Op::kIdent && l->str == "_")) {
        n->list.push_back(nullptr);
        continue;
      }
      const Type* et = i == 0 ? kt : vt;
      if (s->def) {
        if (l->op != Op::kIdent)
          throw TypeError{l->pos, absl::StrCat("non-name ", ExprText(l), " on left side of :=")};
        Obj* o = NewLocal(l, et);
        o->defn = n;
        fresh.push_back(o);
        n->list.push_back(NameNode(o, l->pos));
      } else {
        scope_ = saved;
        Node* lx = Expr(l);
        CheckAssignable(lx, l);
        scope_ = &sc;
        n->list.push_back(lx);
      }
    }
    for (Obj* o : fresh) Declare(&sc, o, true);
    ++loop_;
    n->w = Block(s->w, true);
    --loop_;
    CheckUnused(&sc);
    scope_ = saved;
    out->push_back(n);
  }

  void SwitchStmt(Node* s, std::vector<Node*>* out) {
    Scope sc;
    sc.parent = scope_;
    Scope* saved = scope_;
    scope_ = &sc;
    Node* n = NewNode(Op::kSwitchStmt, s->pos);
    for (Node* i : s->init) StmtInto(i, &n->init);
    const Type* tagt = U().bool_t;
    if (s->y != nullptr) {
      n->x = Expr(s->y);
      SingleValue(n->x);
      if (IsUntyped(n->x->type)) n->x = Assign(n->x, DefaultType(n->x->type), "switch");
      tagt = n->x->type;
    }
    ++switch_;
    for (size_t ci = 0; ci < s->list.size(); ++ci) {
      Node* c = s->list[ci];
      Node* cc = NewNode(Op::kCaseClause, c->pos);
      cc->is_default = c->is_default;
      for (Node* e : c->list) {
        Node* v = Expr(e);
        SingleValue(v);
        if (s->y == nullptr) {
          if (!IsBoolean(v->type))
            throw TypeError{
                e->pos, absl::StrCat("invalid case ", ExprText(e), " in switch (mismatched types ",
                                     TypeString(v->type), " and bool)")};
        } else {
          Comparable(n->x, v, e->pos, e);
        }
        cc->list.push_back(v);
      }
      Scope cs;
      cs.parent = scope_;
      Scope* s2 = scope_;
      scope_ = &cs;
      for (size_t k = 0; k < c->list2.size(); ++k) {
        Node* st = c->list2[k];
        if (st->op == Op::kBranch && st->str == "fallthrough" &&
            (k + 1 != c->list2.size() || ci + 1 == s->list.size()))
          throw TypeError{st->pos, k + 1 != c->list2.size()
                                       ? "fallthrough statement out of place"
                                       : "cannot fallthrough final case in switch"};
        StmtInto(st, &cc->list2);
      }
      CheckUnused(&cs);
      scope_ = s2;
      n->list.push_back(cc);
    }
    --switch_;
    (void)tagt;
    CheckUnused(&sc);
    scope_ = saved;
    out->push_back(n);
  }

  void TypeSwitchStmt(Node* s, std::vector<Node*>* out) {
    Scope sc;
    sc.parent = scope_;
    Scope* saved = scope_;
    scope_ = &sc;
    Node* n = NewNode(Op::kTypeSwitchStmt, s->pos);
    for (Node* i : s->init) StmtInto(i, &n->init);
    Node* x = Expr(s->y);
    SingleValue(x);
    if (!IsInterface(x->type))
      throw TypeError{
          s->y->pos, absl::StrCat(ExprText(s->y), " (", DescribeValue(x), ") is not an interface")};
    n->x = x;
    n->str = s->str;
    n->w = s->w;
    bool bound = !s->str.empty() && s->str != "_";
    bool used_any = false;
    std::vector<Obj*> vars;
    ++switch_;
    for (Node* c : s->list) {
      Node* cc = NewNode(Op::kCaseClause, c->pos);
      cc->is_default = c->is_default;
      const Type* single = nullptr;
      for (Node* e : c->list) {
        Node* tn = NewNode(Op::kType, e->pos);
        if (e->op == Op::kIdent && e->str == "nil" &&
            LookupIn(scope_, "nil")->kind == ObjKind::kNil) {
          tn->op = Op::kNil;
          tn->type = U().untyped_nil;
        } else {
          tn->type = ResolveType(e, scope_);
          if (!IsInterface(tn->type) && !Implements(tn->type, x->type))
            throw TypeError{e->pos,
                            absl::StrCat("impossible type switch case: ", ExprText(s->y), " (",
                                         DescribeValue(x), ") cannot have dynamic type ",
                                         TypeString(tn->type), MissingMethod(tn->type, x->type))};
        }
        cc->list.push_back(tn);
      }
      if (c->list.size() == 1 && cc->list[0]->op == Op::kType) single = cc->list[0]->type;
      Scope cs;
      cs.parent = scope_;
      Scope* s2 = scope_;
      scope_ = &cs;
      if (bound) {
        Obj* o = prog_->NewObj(ObjKind::kVar, s->str, s->z->pos);
        o->type = single != nullptr ? single : x->type;
        o->cls = VarClass::kAuto;
        o->curfn = fn_;
        o->used = false;  // checked collectively below
        o->defn = n;
        fn_->dcl.push_back(o);
        cs.names[o->name] = o;
        cc->obj = o;
        vars.push_back(o);
      }
      for (Node* st : c->list2) StmtInto(st, &cc->list2);
      if (bound) {
        if (cc->obj->used) used_any = true;
        cc->obj->used = true;
      }
      CheckUnused(&cs);
      scope_ = s2;
      n->list.push_back(cc);
    }
    --switch_;
    if (bound && !used_any && !s->list.empty())
      throw TypeError{s->z->pos, absl::StrCat(s->str, " declared but not used")};
    if (bound && s->list.empty())
      throw TypeError{s->z->pos, absl::StrCat(s->str, " declared but not used")};
    CheckUnused(&sc);
    scope_ = saved;
    out->push_back(n);
  }

  // ------------------------------------------------------------ expressions
  std::string ExprText(Node* n) {
    if (n == nullptr) return "";
    switch (n->op) {
      case Op::kIdent:
        return n->str;
      case Op::kBasicLit:
        return n->str;
      case Op::kParen:
        return "(" + ExprText(n->x) + ")";
      case Op::kSelector:
        return ExprText(n->x) + "." + n->str;
      case Op::kIndex:
        return ExprText(n->x) + "[" + ExprText(n->y) + "]";
      case Op::kStar:
        return "*" + ExprText(n->x);
      case Op::kUnary:
        return n->str + ExprText(n->x);
      case Op::kBinary:
        return ExprText(n->x) + " " + n->str + " " + ExprText(n->y);
      case Op::kCall: {
        std::string s = ExprText(n->x) + "(";
        for (size_t i = 0; i < n->list.size(); ++i) s += (i ? ", " : "") + ExprText(n->list[i]);
        return s + (n->ddd ? "...)" : ")");
      }
      case Op::kCompositeLit:
        return ExprText(n->x) + "{…}";
      case Op::kFuncLit:
        return "func literal";
      case Op::kSliceType:
        return "[]" + ExprText(n->y);
      case Op::kArrayType:
        return "[" + ExprText(n->x) + "]" + ExprText(n->y);
      case Op::kMapType:
        return "map[" + ExprText(n->x) + "]" + ExprText(n->y);
      case Op::kTypeAssert:
        return ExprText(n->x) + ".(" + (n->y ? ExprText(n->y) : "type") + ")";
      case Op::kSliceExpr:
        return ExprText(n->x) + "[" + ExprText(n->y) + ":" + ExprText(n->z) + "]";
      case Op::kInterfaceType:
        return n->list.empty() ? "interface{}" : "interface{...}";
      case Op::kStructType:
        return "struct{...}";
      default:
        return "expr";
    }
  }

  std::string DescribeValue(Node* v) {
    if (v->is_const && v->type != nullptr && IsUntyped(v->type))
      return absl::StrCat(TypeString(v->type), " constant");
    if (v->is_const) return absl::StrCat("constant of type ", TypeString(v->type));
    if (v->type == nullptr) return "no value";
    return absl::StrCat("value of type ", TypeString(v->type));
  }
  std::string DescribeCount(Node* v) {
    if (v->type != nullptr && v->type->kind == Kind::kTuple)
      return absl::StrCat(ExprTextIR(v), " returns ", v->type->fields.size(), " value",
                          v->type->fields.size() == 1 ? "" : "s");
    return "1 value";
  }
  std::string ExprTextIR(Node* v) { return v->str.empty() ? "call" : v->str; }

  void SingleValue(Node* v) {
    if (v->type == nullptr) throw TypeError{v->pos, "expression used as value has no value"};
    if (v->type->kind == Kind::kTuple)
      throw TypeError{v->pos, absl::StrCat("multiple-value in single-value context")};
  }

  // Converts `v` for assignment to type `t` (implicit conversion rules).
  Node* Assign(Node* v, const Type* t, const char* context, Pos conv_pos = Pos{}) {
    SingleValue(v);
    if (IsUntyped(v->type)) {
      if (v->type->kind == Kind::kUntypedNil) {
        Kind k = Under(t)->kind;
        if (k == Kind::kPointer || k == Kind::kSlice || k == Kind::kMap || k == Kind::kFunc ||
            k == Kind::kInterface) {
          v->type = t;
          return v;
        }
        throw TypeError{v->pos,
                        absl::StrCat("cannot use nil as ", TypeString(t), " value in ", context)};
      }
      if (IsInterface(t)) {
        if (!Under(t)->methods.empty())
          throw TypeError{v->pos, absl::StrCat("cannot use ", v->str, " (", DescribeValue(v),
                                               ") as ", TypeString(t), " value in ", context,
                                               MissingMethod(DefaultType(v->type), t))};
        Node* d = ConvertConst(v, DefaultType(v->type));
        return ConvIface(d, t, conv_pos.Known() ? conv_pos : v->pos, true);
      }
      return ConvertConst(v, t, context);
    }
    if (Identical(v->type, t)) return v;
    if (IsInterface(t)) {
      if (!Implements(v->type, t))
        throw TypeError{
            v->pos, absl::StrCat("cannot use ", IRText(v), " (", DescribeValue(v), ") as ",
                                 TypeString(t), " value in ", context, MissingMethod(v->type, t))};
      if (IsInterface(v->type)) {
        Node* c = NewNode(Op::kConv, v->pos);  // iface -> iface: pointer copy
        c->x = v;
        c->type = t;
        c->implicit = true;
        return c;
      }
      return ConvIface(v, t, conv_pos.Known() ? conv_pos : v->pos, true);
    }
    // Assignability of identical underlying types when one is unnamed.
    if ((v->type->kind != Kind::kNamed || t->kind != Kind::kNamed) &&
        Identical(Under(v->type), Under(t)) && Under(t)->kind >= Kind::kPointer) {
      Node* c = NewNode(Op::kConv, v->pos);
      c->x = v;
      c->type = t;
      c->implicit = true;
      return c;
    }
    throw TypeError{v->pos, absl::StrCat("cannot use ", IRText(v), " (", DescribeValue(v), ") as ",
                                         TypeString(t), " value in ", context)};
  }

  std::string IRText(Node* v) { return v->str.empty() ? "value" : v->str; }

  Node* ConvIface(Node* v, const Type* t, Pos pos, bool implicit) {
    Node* c = NewNode(Op::kConvIface, pos);
    c->x = v;
    c->type = t;
    c->implicit = implicit;
    return c;
  }

  std::string MissingMethod(const Type* t, const Type* iface) {
    for (const Method& m : Under(iface)->methods) {
      bool ptr_only = false;
      if (!HasMethod(t, m, &ptr_only)) {
        if (ptr_only)
          return absl::StrCat(":\n\t", TypeString(t), " does not implement ", TypeString(iface),
                              " (method ", m.name, " has pointer receiver)");
        return absl::StrCat(":\n\t", TypeString(t), " does not implement ", TypeString(iface),
                            " (missing method ", m.name, ")");
      }
    }
    return "";
  }

  bool HasMethod(const Type* t, const Method& m, bool* ptr_only) {
    if (IsInterface(t)) {
      for (const Method& mm : Under(t)->methods)
        if (mm.name == m.name) return Identical(mm.sig, m.sig);
      return false;
    }
    bool is_ptr = false;
    const Type* base = t;
    if (t->kind == Kind::kPointer) {
      is_ptr = true;
      base = t->elem;
    }
    Selection sel;
    if (!LookupMember(base, m.name, &sel) || sel.method == nullptr) return false;
    if (!Identical(sel.method->sig, m.sig)) return false;
    if (sel.method->ptr_recv && !is_ptr && !sel.through_ptr) {
      *ptr_only = true;
      return false;
    }
    return true;
  }

  bool Implements(const Type* t, const Type* iface) {
    bool dummy = false;
    for (const Method& m : Under(iface)->methods)
      if (!HasMethod(t, m, &dummy)) return false;
    return true;
  }

  // Field or method lookup through embedded fields.
  struct Selection {
    std::vector<std::pair<int, bool>> path;  // embedded field index, deref-before
    const Field* field = nullptr;
    int field_index = -1;
    const Method* method = nullptr;
    bool through_ptr = false;         // some embedded step was a pointer
    const Type* recv_base = nullptr;  // the type holding field/method
  };

  bool LookupMember(const Type* t, const std::string& name, Selection* out) {
    struct Cand {
      const Type* t;  // named or struct type (not pointer)
      std::vector<std::pair<int, bool>> path;
      bool through_ptr;
    };
    std::vector<Cand> level{{t, {}, false}};
    std::set<const Type*> seen;
    for (int depth = 0; depth < 8 && !level.empty(); ++depth) {
      std::vector<Cand> next;
      int found = 0;
      Selection best;
      for (const Cand& c : level) {
        if (!seen.insert(c.t).second) continue;
        if (c.t->kind == Kind::kNamed) {
          for (const Method& m : c.t->methods) {
            if (m.name == name && !IsInterface(c.t)) {
              ++found;
              best = Selection{};
              best.path = c.path;
              best.method = &m;
              best.through_ptr = c.through_ptr;
              best.recv_base = c.t;
            }
          }
        }
        const Type* u = Under(c.t);
        if (u->kind == Kind::kInterface && depth > 0) {
          for (const Method& m : u->methods)
            if (m.name == name) {
              ++found;
              best = Selection{};
              best.path = c.path;
              best.method = &m;
              best.recv_base = c.t;
            }
        }
        if (u->kind != Kind::kStruct) continue;
        for (size_t i = 0; i < u->fields.size(); ++i) {
          const Field& f = u->fields[i];
          if (f.name == name) {
            ++found;
            best = Selection{};
            best.path = c.path;
            best.field = &f;
            best.field_index = static_cast<int>(i);
            best.through_ptr = c.through_ptr;
            best.recv_base = c.t;
          }
          if (f.embedded) {
            Cand n{f.type, c.path, c.through_ptr};
            bool ptr = f.type->kind == Kind::kPointer;
            if (ptr) n.t = f.type->elem;
            n.path.push_back({static_cast<int>(i), false});
            n.through_ptr = c.through_ptr || ptr;
            next.push_back(n);
          }
        }
      }
      if (found > 1) return false;
      if (found == 1) {
        *out = best;
        return true;
      }
      level = std::move(next);
    }
    return false;
  }

  Node* ConvertConst(Node* v, const Type* t, const char* context = "assignment") {
    const Type* u = Under(t);
    Kind vk = v->type->kind;
    bool ok = false;
    if (vk == Kind::kUntypedBool)
      ok = u->kind == Kind::kBool;
    else if (vk == Kind::kUntypedString)
      ok = u->kind == Kind::kString;
    else if (vk == Kind::kUntypedInt || vk == Kind::kUntypedRune)
      ok = IsNumeric(u) && !IsUntyped(u);
    else if (vk == Kind::kUntypedFloat) {
      ok = IsFloat(u) && !IsUntyped(u);
      if (!ok && IsInteger(u) && !IsUntyped(u)) {
        if (v->int_known)
          ok = true;
        else
          throw TypeError{v->pos,
                          absl::StrCat("cannot use ", v->str, " (untyped float constant) as ",
                                       TypeString(t), " value in ", context, " (truncated)")};
      }
    }
    if (!ok)
      throw TypeError{v->pos, absl::StrCat("cannot use ", v->str, " (", DescribeValue(v), ") as ",
                                           TypeString(t), " value in ", context)};
    if (IsInteger(u) && v->int_known) {
      int64_t x = v->int_val;
      bool overflow = false;
      switch (u->kind) {
        case Kind::kInt8:
          overflow = x < -128 || x > 127;
          break;
        case Kind::kInt16:
          overflow = x < -32768 || x > 32767;
          break;
        case Kind::kInt32:
          overflow = x < INT32_MIN || x > INT32_MAX;
          break;
        case Kind::kUint8:
          overflow = x < 0 || x > 255;
          break;
        case Kind::kUint16:
          overflow = x < 0 || x > 65535;
          break;
        case Kind::kUint32:
          overflow = x < 0 || x > UINT32_MAX;
          break;
        case Kind::kUint:
        case Kind::kUint64:
        case Kind::kUintptr:
          overflow = x < 0;
          break;
        default:
          break;
      }
      if (overflow)
        throw TypeError{v->pos, absl::StrCat("cannot use ", v->str, " (untyped int constant",
                                             v->int_known ? absl::StrCat(" ", x) : "", ") as ",
                                             TypeString(t), " value in ", context, " (overflows)")};
    }
    Node* c = NewNode(v->op, v->pos);
    *c = *v;
    c->type = t;
    return c;
  }

  Node* Lit(Pos pos, const std::string& text, const Type* t) {
    Node* n = NewNode(Op::kLiteral, pos);
    n->str = text;
    n->type = t;
    n->is_const = true;
    return n;
  }

  Node* Expr(Node* n, const Type* hint = nullptr, bool stmt = false, bool allow_comma_ok = false,
             bool lhs = false) {
    if (++depth_ > 400) throw TypeError{n->pos, "expression nesting too deep"};
    Node* r = ExprImpl(n, hint, stmt, allow_comma_ok, lhs);
    --depth_;
    return r;
  }

  Node* ExprImpl(Node* n, const Type* hint, bool stmt, bool allow_comma_ok, bool lhs) {
    switch (n->op) {
      case Op::kBasicLit: {
        static const Universe& u = U();
        Node* l = Lit(n->pos, n->str, nullptr);
        switch (n->int_val) {
          case 0: {
            l->type = u.untyped_int;
            std::string digits;
            for (char c : n->str)
              if (c != '_') digits += c;
            int64_t v = 0;
            bool ok = false;
            if (digits.size() > 2 && (digits[1] == 'x' || digits[1] == 'X'))
              ok = absl::SimpleHexAtoi(digits.substr(2), &v);
            else if (digits.size() > 1 && digits[0] == '0' &&
                     (digits[1] == 'o' || digits[1] == 'O')) {
              ok = false;
            } else if (digits.size() > 1 && digits[0] == '0') {
              v = 0;
              ok = true;
              for (char c : digits.substr(1)) {
                if (c < '0' || c > '7') throw TypeError{n->pos, "invalid digit in octal literal"};
                v = v * 8 + (c - '0');
              }
            } else
              ok = absl::SimpleAtoi(digits, &v);
            l->int_known = ok;
            l->int_val = v;
            if (!ok) throw Unsupported{n->pos, "integer constant too large"};
            break;
          }
          case 1: {
            l->type = u.untyped_float;
            double d = 0;
            if (absl::SimpleAtod(n->str, &d) && d == static_cast<double>(static_cast<int64_t>(d)) &&
                std::abs(d) < 1e15) {
              l->int_known = true;
              l->int_val = static_cast<int64_t>(d);
            }
            break;
          }
          case 2: {
            l->type = u.untyped_rune;
            l->int_known = true;
            const std::string& s = n->str;
            if (s.size() >= 3 && s[1] != '\\')
              l->int_val = static_cast<unsigned char>(s[1]);
            else if (s.size() >= 4) {
              char e = s[2];
              l->int_val = e == 'n'    ? 10
                           : e == 't'  ? 9
                           : e == 'r'  ? 13
                           : e == '0'  ? 0
                           : e == '\\' ? 92
                           : e == '\'' ? 39
                                       : e;
            }
            break;
          }
          default:
            l->type = u.untyped_string;
            break;
        }
        return l;
      }
      case Op::kIdent:
        return Ident(n, lhs);
      case Op::kParen: {
        Node* x = Expr(n->x, hint, false, false, lhs);
        return x;
      }
      case Op::kFuncLit:
        return FuncLit(n);
      case Op::kCompositeLit:
        return CompositeLit(n, nullptr);
      case Op::kSelector:
        return Selector(n, false);
      case Op::kIndex: {
        Node* x = Expr(n->x);
        SingleValue(x);
        Node* idx = Expr(n->y);
        SingleValue(idx);
        const Type* t = Under(x->type);
        Node* r = NewNode(Op::kIndexSlice, n->pos);
        if (t->kind == Kind::kMap) {
          r->op = Op::kIndexMap;
          r->x = x;
          r->y = Assign(idx, t->key, "map index", n->pos);
          r->type = t->elem;
          if (allow_comma_ok) {
            Type* tt = prog_->types.New(Kind::kTuple);
            tt->fields.push_back(Field{"", t->elem});
            tt->fields.push_back(Field{"", U().bool_t});
            r->type = tt;
          }
          return r;
        }
        if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
          Node* d = NewNode(Op::kDeref, n->pos);
          d->x = x;
          d->implicit = true;
          d->type = t->elem;
          x = d;
          t = Under(t->elem);
        }
        if (!IsInteger(idx->type))
          throw TypeError{n->y->pos, absl::StrCat("invalid argument: index ", ExprText(n->y), " (",
                                                  DescribeValue(idx), ") must be integer")};
        if (IsUntyped(idx->type)) idx = ConvertConst(idx, U().int_t, "index");
        if (idx->int_known && idx->int_val < 0)
          throw TypeError{n->y->pos, absl::StrCat("invalid argument: index ", ExprText(n->y),
                                                  " (constant of type int) must not be negative")};
        r->x = x;
        r->y = idx;
        if (t->kind == Kind::kSlice) {
          r->type = t->elem;
        } else if (t->kind == Kind::kArray) {
          r->op = Op::kIndexArr;
          r->type = t->elem;
          if (idx->int_known && idx->int_val >= t->len)
            throw TypeError{n->y->pos, absl::StrCat("invalid argument: index ", idx->int_val,
                                                    " out of bounds [0:", t->len, "]")};
        } else if (t->kind == Kind::kString || t->kind == Kind::kUntypedString) {
          r->op = Op::kIndexString;
          r->type = U().byte_t;
          if (IsUntyped(x->type)) r->x = ConvertConst(x, U().string_t);
        } else {
          throw TypeError{n->pos, absl::StrCat("invalid operation: cannot index ", ExprText(n->x),
                                               " (", DescribeValue(x), ")")};
        }
        return r;
      }
      case Op::kSliceExpr: {
        Node* x = Expr(n->x);
        SingleValue(x);
        const Type* t = Under(x->type);
        Node* r = NewNode(Op::kSliceSlice, n->pos);
        if (t->kind == Kind::kString) {
          r->op = Op::kSliceStr;
          r->type = x->type;
          if (n->ddd) throw TypeError{n->pos, "invalid operation: 3-index slice of string"};
        } else if (t->kind == Kind::kSlice) {
          r->type = x->type;
        } else if (t->kind == Kind::kArray) {
          if (!Addressable(x))
            throw TypeError{n->pos, absl::StrCat("invalid operation: ", ExprText(n->x),
                                                 " (slice of unaddressable value)")};
          r->op = Op::kSliceArr;
          Node* a = NewNode(Op::kAddr, n->x->pos);
          a->x = x;
          a->implicit = true;
          a->type = prog_->types.Pointer(x->type);
          x = a;
          r->type = prog_->types.Slice(t->elem);
        } else if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
          r->op = Op::kSliceArr;
          r->type = prog_->types.Slice(Under(t->elem)->elem);
        } else {
          throw TypeError{
              n->pos, absl::StrCat("cannot slice ", ExprText(n->x), " (", DescribeValue(x), ")")};
        }
        r->x = x;
        auto idx = [&](Node* e) -> Node* {
          if (e == nullptr) return nullptr;
          Node* v = Expr(e);
          SingleValue(v);
          if (!IsInteger(v->type))
            throw TypeError{e->pos, absl::StrCat("invalid argument: index ", ExprText(e), " (",
                                                 DescribeValue(v), ") must be integer")};
          if (IsUntyped(v->type)) v = ConvertConst(v, U().int_t);
          if (v->int_known && v->int_val < 0)
            throw TypeError{e->pos, absl::StrCat("invalid argument: index ", ExprText(e),
                                                 " (constant of type int) must not be negative")};
          return v;
        };
        r->y = idx(n->y);
        r->z = idx(n->z);
        r->w = idx(n->w);
        r->ddd = n->ddd;
        return r;
      }
      case Op::kTypeAssert: {
        if (n->y == nullptr) throw TypeError{n->pos, "use of .(type) outside type switch"};
        Node* x = Expr(n->x);
        SingleValue(x);
        if (!IsInterface(x->type))
          throw TypeError{n->x->pos, absl::StrCat("invalid operation: ", ExprText(n->x), " (",
                                                  DescribeValue(x), ") is not an interface")};
        const Type* t = ResolveType(n->y, scope_);
        if (!IsInterface(t) && !Implements(t, x->type))
          throw TypeError{n->y->pos,
                          absl::StrCat("impossible type assertion: ", ExprText(n->x), ".(",
                                       ExprText(n->y), ")", MissingMethod(t, x->type))};
        Node* r = NewNode(allow_comma_ok ? Op::kDotType2 : Op::kDotType, n->pos);
        r->x = x;
        r->type = t;
        if (allow_comma_ok) {
          Type* tt = prog_->types.New(Kind::kTuple);
          tt->fields.push_back(Field{"", t});
          tt->fields.push_back(Field{"", U().bool_t});
          r->w = NewNode(Op::kType, n->pos);
          r->w->type = t;
          r->type = tt;
        }
        return r;
      }
      case Op::kCall:
        return Call(n, stmt, allow_comma_ok);
      case Op::kStar: {
        Node* x = Expr(n->x);
        if (x->op == Op::kType) {
          Node* t = NewNode(Op::kType, n->pos);
          t->type = prog_->types.Pointer(x->type);
          return t;
        }
        SingleValue(x);
        if (x->type->kind == Kind::kUntypedNil)
          throw TypeError{n->pos, "invalid operation: cannot indirect nil"};
        if (!IsPointer(x->type))
          throw TypeError{n->pos, absl::StrCat("invalid operation: cannot indirect ",
                                               ExprText(n->x), " (", DescribeValue(x), ")")};
        Node* r = NewNode(Op::kDeref, n->pos);
        r->x = x;
        r->type = Under(x->type)->elem;
        return r;
      }
      case Op::kUnary: {
        if (n->str == "&") {
          Node* inner = n->x;
          while (inner->op == Op::kParen) inner = inner->x;
          if (inner->op == Op::kCompositeLit) {
            Node* lit = CompositeLit(inner, nullptr);
            Node* r = NewNode(Op::kPtrLit, n->pos);
            r->x = lit;
            r->type = prog_->types.Pointer(lit->type);
            return r;
          }
          Node* x = Expr(n->x);
          SingleValue(x);
          if (!Addressable(x))
            throw TypeError{n->pos, absl::StrCat("invalid operation: cannot take address of ",
                                                 ExprText(n->x), " (", DescribeValue(x), ")")};
          Node* r = NewNode(Op::kAddr, n->pos);
          r->x = x;
          r->type = prog_->types.Pointer(x->type);
          return r;
        }
        if (n->str == "<-") throw Unsupported{n->pos, "channel receive"};
        Node* x = Expr(n->x);
        SingleValue(x);
        if (n->str == "!") {
          if (!IsBoolean(x->type))
            throw TypeError{n->pos, absl::StrCat("invalid operation: operator ! not defined on ",
                                                 ExprText(n->x), " (", DescribeValue(x), ")")};
        } else if (n->str == "^") {
          if (!IsInteger(x->type))
            throw TypeError{n->pos, absl::StrCat("invalid operation: operator ^ not defined on ",
                                                 ExprText(n->x), " (", DescribeValue(x), ")")};
        } else if (!IsNumeric(x->type)) {
          throw TypeError{n->pos,
                          absl::StrCat("invalid operation: operator ", n->str, " not defined on ",
                                       ExprText(n->x), " (", DescribeValue(x), ")")};
        }
        if (x->is_const) {
          Node* r = Lit(n->pos, n->str + x->str, x->type);
          r->obj = nullptr;
          if (x->int_known) {
            r->int_known = true;
            r->int_val = n->str == "-" ? -x->int_val : n->str == "^" ? ~x->int_val : x->int_val;
          }
          return r;
        }
        Node* r = NewNode(Op::kUnaryOp, n->pos);
        r->str = n->str;
        r->x = x;
        r->type = x->type;
        return r;
      }
      case Op::kBinary: {
        Node* x = Expr(n->x);
        Node* y = Expr(n->y);
        return Binary(n->str, x, y, n->pos, n->x, n->y);
      }
      case Op::kKeyValue:
        throw TypeError{n->pos, "unexpected key:value expression"};
      case Op::kArrayType:
      case Op::kSliceType:
      case Op::kMapType:
      case Op::kFuncType:
      case Op::kStructType:
      case Op::kInterfaceType:
      case Op::kChanType: {
        Node* t = NewNode(Op::kType, n->pos);
        t->type = ResolveType(n, scope_);
        return t;
      }
      default:
        throw TypeError{n->pos, "unexpected expression"};
    }
  }

  bool Addressable(Node* x) {
    switch (x->op) {
      case Op::kName:
        return x->obj != nullptr && x->obj->kind == ObjKind::kVar;
      case Op::kDeref:
      case Op::kDotPtr:
      case Op::kIndexSlice:
        return true;
      case Op::kDot:
      case Op::kIndexArr:
        return Addressable(x->x);
      default:
        return false;
    }
  }

  Node* Ident(Node* n, bool lhs) {
    if (n->str == "_") throw TypeError{n->pos, "cannot use _ as value"};
    Obj* o = LookupIn(scope_, n->str);
    if (o == nullptr && n->str == "iota") {
      if (iota_ < 0) throw TypeError{n->pos, "cannot use iota outside constant declaration"};
      Node* l = Lit(n->pos, absl::StrCat(iota_), U().untyped_int);
      l->int_known = true;
      l->int_val = iota_;
      l->implicit = true;
      return l;
    }
    if (o == nullptr) throw TypeError{n->pos, absl::StrCat("undefined: ", n->str)};
    switch (o->kind) {
      case ObjKind::kVar: {
        if (!lhs) o->used = true;
        if (o->cls != VarClass::kExtern && o->curfn != fn_) Capture(o);
        Node* r = NameNode(o, n->pos);
        return r;
      }
      case ObjKind::kConst: {
        if (n->str == "iota" && iota_ < 0)
          throw TypeError{n->pos, "cannot use iota outside constant declaration"};
        Node* r = Lit(n->pos, o->const_val, o->type);
        r->str = n->str;  // Go prints the constant's name
        r->obj = o;
        r->int_val = o->int_val;
        r->int_known = o->int_known;
        if (o->type == U().untyped_bool) r->str = o->name;
        return r;
      }
      case ObjKind::kTypeName: {
        Node* t = NewNode(Op::kType, n->pos);
        t->type = o->type;
        t->str = n->str;
        return t;
      }
      case ObjKind::kFunc: {
        Node* f = NewNode(Op::kFuncName, n->pos);
        f->fn = o->fn;
        f->type = o->type;
        f->str = n->str;
        return f;
      }
      case ObjKind::kNil: {
        Node* r = NewNode(Op::kNil, n->pos);
        r->type = U().untyped_nil;
        r->str = "nil";
        return r;
      }
      case ObjKind::kBuiltin:
        throw TypeError{n->pos,
                        absl::StrCat(n->str, " (built-in function ", n->str, ") must be called")};
      case ObjKind::kPkg:
        throw TypeError{n->pos, absl::StrCat("use of package ", n->str, " without selector")};
    }
    return nullptr;
  }

  void Capture(Obj* o) {
    for (Func* f = fn_; f != nullptr && f != o->curfn; f = f->outer) {
      bool have = false;
      for (Obj* c : f->closure_vars)
        if (c == o) have = true;
      if (!have) f->closure_vars.push_back(o);
    }
  }

  Node* FuncLit(Node* n) {
    Func* f = prog_->NewFunc();
    Func* top = fn_;
    while (top->outer != nullptr) top = top->outer;
    f->outer = fn_;
    f->pos = n->pos;
    f->name = absl::StrCat(fn_->name, ".func", ++top->closure_count);
    f->sig = Signature(n->y, scope_, f, nullptr);
    fn_->closures.push_back(f);
    Node* c = NewNode(Op::kClosure, n->pos);
    c->fn = f;
    c->type = f->sig;
    f->clo = c;
    Func* saved_fn = fn_;
    fn_ = f;
    Scope fs;
    fs.parent = scope_;
    Scope* saved = scope_;
    scope_ = &fs;
    for (Obj* o : f->dcl)
      if (!o->name.empty() && o->name[0] != '~') Declare(&fs, o, true);
    int saved_loop = loop_, saved_switch = switch_;
    loop_ = switch_ = 0;
    auto saved_ll = loop_labels_;
    auto saved_sl = switch_labels_;
    loop_labels_.clear();
    switch_labels_.clear();
    labels_stack_.push_back({});
    f->body = Block(n->z, false);
    CheckLabels(n->z);
    labels_stack_.pop_back();
    if (!f->sig->results.empty() && !Terminates(n->z))
      throw TypeError{n->z->w->pos, "missing return"};
    loop_labels_ = saved_ll;
    switch_labels_ = saved_sl;
    loop_ = saved_loop;
    switch_ = saved_switch;
    scope_ = saved;
    fn_ = saved_fn;
    return c;
  }

  Node* CompositeLit(Node* n, const Type* elided) {
    const Type* t = elided;
    if (n->x != nullptr) {
      if (n->x->op == Op::kArrayType && n->x->x == nullptr) {
        // [...]T{...}
        Type* at = prog_->types.New(Kind::kArray);
        at->elem = ResolveType(n->x->y, scope_);
        int64_t maxi = 0, next = 0;
        for (Node* e : n->list) {
          if (e->op == Op::kKeyValue) {
            Node* k = Expr(e->x);
            if (!k->int_known)
              throw TypeError{e->x->pos, "index must be non-negative integer constant"};
            next = k->int_val;
          }
          ++next;
          maxi = std::max(maxi, next);
        }
        at->len = maxi;
        t = at;
      } else {
        t = ResolveType(n->x, scope_);
      }
    }
    if (t == nullptr) throw TypeError{n->pos, "invalid composite literal type: missing type"};
    const Type* u = Under(t);
    Node* r = NewNode(Op::kStructLit, n->pos);
    r->type = t;
    r->w = n->w;
    auto elem = [&](Node* e, const Type* et, const char* ctx, Pos conv_pos = Pos{}) -> Node* {
      if (e->op == Op::kCompositeLit && e->x == nullptr) {
        if (IsPointer(et)) {
          Node* lit = CompositeLit(e, Under(et)->elem);
          Node* p = NewNode(Op::kPtrLit, e->pos);
          p->x = lit;
          p->type = et;
          p->implicit = true;
          return p;
        }
        return CompositeLit(e, et);
      }
      Node* v = Expr(e);
      return Assign(v, et, ctx, conv_pos.Known() ? conv_pos : e->pos);
    };
    switch (u->kind) {
      case Kind::kStruct: {
        bool keyed = !n->list.empty() && n->list[0]->op == Op::kKeyValue;
        if (!keyed && !n->list.empty() && n->list.size() != u->fields.size())
          throw TypeError{
              n->list.size() < u->fields.size() ? n->w->pos : n->list[u->fields.size()]->pos,
              n->list.size() < u->fields.size()
                  ? absl::StrCat("too few values in struct literal of type ", TypeString(t))
                  : absl::StrCat("too many values in struct literal of type ", TypeString(t))};
        std::set<std::string> seen;
        for (size_t i = 0; i < n->list.size(); ++i) {
          Node* e = n->list[i];
          Node* sk = NewNode(Op::kStructKey, e->pos);
          if (keyed) {
            if (e->op != Op::kKeyValue || e->x->op != Op::kIdent)
              throw TypeError{e->pos,
                              "mixture of field:value and value elements in struct literal"};
            int idx = -1;
            for (size_t k = 0; k < u->fields.size(); ++k)
              if (u->fields[k].name == e->x->str) idx = static_cast<int>(k);
            if (idx < 0)
              throw TypeError{e->x->pos,
                              absl::StrCat("unknown field ", e->x->str,
                                           " in struct literal of type ", TypeString(t))};
            if (!seen.insert(e->x->str).second)
              throw TypeError{e->x->pos, absl::StrCat("duplicate field name ", e->x->str,
                                                      " in struct literal")};
            sk->str = e->x->str;
            sk->x = elem(e->y, u->fields[idx].type, "struct literal", e->pos);
          } else {
            if (e->op == Op::kKeyValue)
              throw TypeError{e->pos,
                              "mixture of field:value and value elements in struct literal"};
            sk->str = u->fields[i].name;
            sk->x = elem(e, u->fields[i].type, "struct literal");
          }
          r->list.push_back(sk);
        }
        return r;
      }
      case Kind::kArray:
      case Kind::kSlice: {
        r->op = u->kind == Kind::kArray ? Op::kArrayLit : Op::kSliceLit;
        int64_t next = 0, maxn = 0;
        std::set<int64_t> seen;
        for (Node* e : n->list) {
          Node* val = e;
          Node* kv = nullptr;
          if (e->op == Op::kKeyValue) {
            Node* k = Expr(e->x);
            if (!k->int_known || k->int_val < 0)
              throw TypeError{e->x->pos, "index must be non-negative integer constant"};
            next = k->int_val;
            val = e->y;
            kv = NewNode(Op::kKey, e->pos);
            kv->x = k;
          }
          if (!seen.insert(next).second)
            throw TypeError{e->pos,
                            absl::StrCat("duplicate index ", next, " in array or slice literal")};
          if (u->kind == Kind::kArray && next >= u->len)
            throw TypeError{val->pos,
                            absl::StrCat("index ", next, " out of bounds [0:", u->len, "]")};
          Node* v = elem(val, u->elem, "array or slice literal", kv != nullptr ? e->pos : Pos{});
          if (kv != nullptr) {
            kv->y = v;
            v = kv;
          }
          r->list.push_back(v);
          ++next;
          maxn = std::max(maxn, next);
        }
        r->int_val = maxn;
        return r;
      }
      case Kind::kMap: {
        r->op = Op::kMapLit;
        for (Node* e : n->list) {
          if (e->op != Op::kKeyValue) throw TypeError{e->pos, "missing key in map literal"};
          Node* kv = NewNode(Op::kKey, e->pos);
          kv->x = elem(e->x, u->key, "map literal", e->pos);
          kv->y = elem(e->y, u->elem, "map literal", e->pos);
          r->list.push_back(kv);
        }
        return r;
      }
      default:
        throw TypeError{n->pos, absl::StrCat("invalid composite literal type ", TypeString(t))};
    }
  }

  Node* Selector(Node* n, bool for_call) {
    if (n->x->op == Op::kIdent) {
      Obj* p = LookupIn(scope_, n->x->str);
      if (p != nullptr && p->kind == ObjKind::kPkg) {
        p->used = true;
        auto it = std_pkgs_.find(p->pkg);
        if (it == std_pkgs_.end())
          throw Unsupported{n->pos, absl::StrCat("use of unsupported package ", p->pkg)};
        auto m = it->second->scope.names.find(n->str);
        if (m == it->second->scope.names.end())
          throw Unsupported{n->pos, absl::StrCat(p->pkg, ".", n->str, " (not modelled)")};
        Obj* o = m->second;
        if (o->kind == ObjKind::kFunc) {
          Node* f = NewNode(Op::kFuncName, n->pos);
          f->fn = o->fn;
          f->type = o->type;
          f->str = absl::StrCat(n->x->str, ".", n->str);
          return f;
        }
        if (o->kind == ObjKind::kTypeName) {
          Node* t = NewNode(Op::kType, n->pos);
          t->type = o->type;
          return t;
        }
        throw Unsupported{n->pos, absl::StrCat(p->pkg, ".", n->str)};
      }
    }
    Node* x = Expr(n->x);
    if (x->op == Op::kType) throw Unsupported{n->pos, "method expression"};
    SingleValue(x);
    const Type* t = x->type;
    bool is_ptr = false;
    const Type* base = t;
    if (Under(t)->kind == Kind::kPointer) {
      is_ptr = true;
      base = Under(t)->elem;
    }
    if (IsInterface(t)) {
      for (const Method& m : Under(t)->methods) {
        if (m.name == n->str) {
          Node* d = NewNode(Op::kDotInter, n->pos);
          d->x = x;
          d->str = n->str;
          d->type = m.sig;
          if (!for_call) {
            Node* mv = NewNode(Op::kMethValue, n->pos);
            mv->x = x;
            mv->str = n->str;
            mv->type = m.sig;
            mv->implicit = true;  // interface method value
            return mv;
          }
          return d;
        }
      }
      throw TypeError{n->pos, absl::StrCat(ExprText(n), " undefined (type ", TypeString(t),
                                           " has no field or method ", n->str, ")")};
    }
    Selection sel;
    if (!LookupMember(base, n->str, &sel) || (is_ptr && base->kind == Kind::kPointer))
      throw TypeError{n->pos, absl::StrCat(ExprText(n), " undefined (type ", TypeString(t),
                                           " has no field or method ", n->str, ")")};
    // Walk the embedded path.
    Node* cur = x;
    bool cur_ptr = is_ptr;
    const Type* cur_t = base;
    for (auto& [idx, unused] : sel.path) {
      const Field& f = Under(cur_t)->fields[idx];
      Node* d = NewNode(cur_ptr ? Op::kDotPtr : Op::kDot, n->pos);
      d->x = cur;
      d->str = f.name;
      d->type = f.type;
      d->implicit = true;
      cur = d;
      cur_ptr = f.type->kind == Kind::kPointer;
      cur_t = cur_ptr ? f.type->elem : f.type;
    }
    if (sel.field != nullptr) {
      Node* d = NewNode(cur_ptr ? Op::kDotPtr : Op::kDot, n->pos);
      d->x = cur;
      d->str = n->str;
      d->type = sel.field->type;
      return d;
    }
    const Method* m = sel.method;
    if (IsInterface(sel.recv_base)) {
      // Method promoted from an embedded interface.
      Node* d = NewNode(Op::kDotInter, n->pos);
      d->x = cur;
      d->str = n->str;
      d->type = m->sig;
      if (!for_call) throw Unsupported{n->pos, "method value of embedded interface"};
      return d;
    }
    // Adjust the receiver.
    Node* recv = cur;
    if (m->ptr_recv && !cur_ptr) {
      if (!Addressable(recv))
        throw TypeError{
            n->pos, absl::StrCat("cannot call pointer method ", n->str, " on ", TypeString(cur_t))};
      Node* a = NewNode(Op::kAddr, n->pos);
      a->x = recv;
      a->implicit = true;
      a->type = prog_->types.Pointer(cur_t);
      recv = a;
    } else if (!m->ptr_recv && cur_ptr) {
      Node* d = NewNode(Op::kDeref, n->pos);
      d->x = recv;
      d->implicit = true;
      d->type = cur_t;
      recv = d;
    }
    Node* r = NewNode(for_call ? Op::kCallMeth : Op::kMethValue, n->pos);
    r->x = recv;
    r->fn = m->fn;
    r->str = n->str;
    r->type = m->sig;
    r->y = x;  // original operand, for printing
    return r;
  }

  Node* Binary(const std::string& op, Node* x, Node* y, Pos pos, Node* sx, Node* sy) {
    SingleValue(x);
    SingleValue(y);
    if (op == "&&" || op == "||") {
      if (!IsBoolean(x->type) || !IsBoolean(y->type))
        throw TypeError{pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                          ExprText(sx), " (", DescribeValue(x), ")")};
      Node* r = NewNode(Op::kLogic, pos);
      r->str = op;
      r->x = x;
      r->y = y;
      r->type = IsUntyped(x->type) && IsUntyped(y->type) ? U().untyped_bool
                                                         : (IsUntyped(x->type) ? y->type : x->type);
      r->is_const = x->is_const && y->is_const;
      return r;
    }
    if (op == "<<" || op == ">>") {
      if (!IsInteger(y->type))
        throw TypeError{sy->pos, absl::StrCat("invalid operation: shift count ", ExprText(sy), " (",
                                              DescribeValue(y), ") must be integer")};
      if (!IsInteger(x->type) && !(x->int_known))
        throw TypeError{pos, absl::StrCat("invalid operation: shifted operand ", ExprText(sx), " (",
                                          DescribeValue(x), ") must be integer")};
      if (y->int_known && y->int_val < 0)
        throw TypeError{sy->pos,
                        absl::StrCat("invalid operation: negative shift count ", ExprText(sy))};
      if (IsUntyped(y->type)) y = ConvertConst(y, U().uint_t);
      if (x->is_const && y->is_const && x->int_known && y->int_known) {
        Node* r = Lit(pos, ExprText(sx) + " " + op + " " + ExprText(sy),
                      x->type->kind == Kind::kUntypedFloat ? U().untyped_int : x->type);
        r->int_known = y->int_val < 62;
        r->int_val = op == "<<" ? (y->int_val < 62 ? x->int_val << y->int_val : 0)
                                : x->int_val >> std::min<int64_t>(y->int_val, 63);
        r->str = ConstText(r);
        return r;
      }
      if (IsUntyped(x->type)) x = ConvertConst(x, U().int_t);
      Node* r = NewNode(Op::kArith, pos);
      r->str = op;
      r->x = x;
      r->y = y;
      r->type = x->type;
      return r;
    }
    bool cmp = op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
    // Unify operand types.
    if (IsUntyped(x->type) && !IsUntyped(y->type))
      x = Assign(x, y->type, "operation", Pos{});
    else if (IsUntyped(y->type) && !IsUntyped(x->type))
      y = Assign(y, x->type, "operation", Pos{});
    else if (IsUntyped(x->type) && IsUntyped(y->type) && x->type != y->type) {
      auto rank = [](const Type* t) {
        switch (t->kind) {
          case Kind::kUntypedInt:
            return 1;
          case Kind::kUntypedRune:
            return 2;
          case Kind::kUntypedFloat:
            return 3;
          default:
            return 0;
        }
      };
      int rx = rank(x->type), ry = rank(y->type);
      if (rx == 0 || ry == 0) {
        if (!(x->type->kind == Kind::kUntypedNil || y->type->kind == Kind::kUntypedNil))
          throw TypeError{
              pos, absl::StrCat("invalid operation: ", ExprText(sx), " ", op, " ", ExprText(sy),
                                " (mismatched types ", TypeString(x->type), " and ",
                                TypeString(y->type), ")")};
        throw TypeError{pos, absl::StrCat("invalid operation: ", ExprText(sx), " ", op, " ",
                                          ExprText(sy), " (operator ", op, " not defined on nil)")};
      }
      const Type* t = rx > ry ? x->type : y->type;
      x = CopyWithType(x, t);
      y = CopyWithType(y, t);
    }
    if (cmp) {
      Comparable(x, y, pos, nullptr, sx, sy, op);
      Node* r = NewNode(Op::kArith, pos);
      r->str = op;
      r->x = x;
      r->y = y;
      r->type = U().untyped_bool;
      r->is_const = x->is_const && y->is_const;
      if (r->is_const) {
        r->op = Op::kLiteral;
        r->str = ExprText(sx) + " " + op + " " + ExprText(sy);
      }
      return r;
    }
    if (!Identical(x->type, y->type))
      throw TypeError{pos, absl::StrCat("invalid operation: ", ExprText(sx), " ", op, " ",
                                        ExprText(sy), " (mismatched types ", TypeString(x->type),
                                        " and ", TypeString(y->type), ")")};
    const Type* t = x->type;
    bool ok = false;
    if (op == "+")
      ok = IsNumeric(t) || IsString(t);
    else if (op == "-" || op == "*" || op == "/")
      ok = IsNumeric(t);
    else
      ok = IsInteger(t);  // % & | ^ &^
    if (!ok)
      throw TypeError{pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                        ExprText(sx), " (", DescribeValue(x), ")")};
    if (x->is_const && y->is_const) {
      Node* r = Lit(pos, "", t);
      if (x->int_known && y->int_known && IsInteger(t)) {
        int64_t a = x->int_val, b = y->int_val, v = 0;
        if ((op == "/" || op == "%") && b == 0)
          throw TypeError{sy->pos, "invalid operation: division by zero"};
        if (op == "+")
          v = a + b;
        else if (op == "-")
          v = a - b;
        else if (op == "*")
          v = a * b;
        else if (op == "/")
          v = a / b;
        else if (op == "%")
          v = a % b;
        else if (op == "&")
          v = a & b;
        else if (op == "|")
          v = a | b;
        else if (op == "^")
          v = a ^ b;
        else if (op == "&^")
          v = a & ~b;
        r->int_known = true;
        r->int_val = v;
        r->str = ConstText(r);
      } else if (IsString(t)) {
        // Constant string concatenation: keep Go-like text.
        std::string a = x->str, b = y->str;
        if (a.size() >= 2 && b.size() >= 2 && a[0] == '"' && b[0] == '"')
          r->str = a.substr(0, a.size() - 1) + b.substr(1);
        else
          r->str = a + " + " + b;
      } else {
        if ((op == "/") && y->int_known && y->int_val == 0)
          throw TypeError{sy->pos, "invalid operation: division by zero"};
        r->str = ExprText(sx) + " " + op + " " + ExprText(sy);
      }
      return r;
    }
    if ((op == "/" || op == "%") && y->int_known && y->int_val == 0 && IsInteger(t))
      throw TypeError{sy->pos, "invalid operation: division by zero"};
    if (op == "+" && IsString(t)) {
      Node* r = NewNode(Op::kAddStr, pos);
      r->type = t;
      auto add = [&](Node* e) {
        if (e->op == Op::kAddStr && !e->implicit) {
          for (Node* c : e->list) r->list.push_back(c);
        } else {
          r->list.push_back(e);
        }
      };
      add(x);
      add(y);
      return r;
    }
    Node* r = NewNode(Op::kArith, pos);
    r->str = op;
    r->x = x;
    r->y = y;
    r->type = t;
    return r;
  }

  static std::string ConstText(Node* r) { return absl::StrCat(r->int_val); }

  Node* CopyWithType(Node* v, const Type* t) {
    Node* c = NewNode(v->op, v->pos);
    *c = *v;
    c->type = t;
    return c;
  }

  void Comparable(Node*& x, Node*& y, Pos pos, Node* case_src, Node* sx = nullptr,
                  Node* sy = nullptr, const std::string& op = "==") {
    if (case_src != nullptr) {
      if (IsUntyped(y->type))
        y = Assign(y, x->type, "switch case");
      else if (IsInterface(x->type) && !IsInterface(y->type))
        y = Assign(y, x->type, "switch case", y->pos);
    }
    bool nil_x = x->type->kind == Kind::kUntypedNil, nil_y = y->type->kind == Kind::kUntypedNil;
    auto nilable = [](const Type* t) {
      Kind k = Under(t)->kind;
      return k == Kind::kPointer || k == Kind::kSlice || k == Kind::kMap || k == Kind::kFunc ||
             k == Kind::kInterface || k == Kind::kUntypedNil;
    };
    if (nil_x || nil_y) {
      if (!nilable(x->type) || !nilable(y->type))
        throw TypeError{pos, absl::StrCat("invalid operation: mismatched types")};
      if (nil_x) x = Assign(x, y->type, "comparison");
      if (nil_y) y = Assign(y, x->type, "comparison");
      return;
    }
    // Mixed interface/concrete comparisons convert the concrete side.
    // Mixed interface/concrete comparisons: no conversion node (Go compares
    // the dynamic type and value in place).
    if (IsInterface(x->type) && !IsInterface(y->type) && Implements(y->type, x->type)) return;
    if (IsInterface(y->type) && !IsInterface(x->type) && Implements(x->type, y->type)) return;
    if (!Identical(x->type, y->type))
      throw TypeError{pos, absl::StrCat("invalid operation: ", sx ? ExprText(sx) : "x", " ", op,
                                        " ", sy ? ExprText(sy) : "y", " (mismatched types ",
                                        TypeString(x->type), " and ", TypeString(y->type), ")")};
    Kind k = Under(x->type)->kind;
    if (k == Kind::kSlice || k == Kind::kMap || k == Kind::kFunc)
      throw TypeError{pos, absl::StrCat("invalid operation: ", sx ? ExprText(sx) : "x", " ", op,
                                        " ", sy ? ExprText(sy) : "y", " (",
                                        k == Kind::kSlice ? "slice"
                                        : k == Kind::kMap ? "map"
                                                          : "func",
                                        " can only be compared to nil)")};
    if (op != "==" && op != "!=" && !(IsNumeric(x->type) || IsString(x->type)))
      throw TypeError{pos,
                      absl::StrCat("invalid operation: ", sx ? ExprText(sx) : "x", " ", op, " ",
                                   sy ? ExprText(sy) : "y", " (operator ", op, " not defined on ",
                                   sx ? ExprText(sx) : "x", " (", DescribeValue(x), "))")};
  }

  Node* Call(Node* n, bool stmt, bool allow_comma_ok) {
    Node* fx = n->x;
    while (fx->op == Op::kParen) fx = fx->x;
    if (fx->op == Op::kIdent) {
      Obj* o = LookupIn(scope_, fx->str);
      if (o != nullptr && o->kind == ObjKind::kBuiltin) return Builtin(n, fx->str, stmt);
    }
    Node* f;
    if (fx->op == Op::kSelector) {
      f = Selector(fx, true);
    } else {
      f = Expr(fx);
    }
    if (f->op == Op::kType) return Conversion(n, f->type);
    if (f->op != Op::kCallMeth) SingleValue(f);
    const Type* sig = Under(f->type);
    if (sig == nullptr || sig->kind != Kind::kFunc)
      throw TypeError{n->pos, absl::StrCat("invalid operation: cannot call non-function ",
                                           ExprText(n->x), " (", DescribeValue(f), ")")};
    Node* call;
    if (f->op == Op::kCallMeth) {
      call = f;
      call->pos = n->pos;
      call->list.push_back(f->x);  // receiver is args[0]
      call->x = nullptr;
      call->w = f->y;
      call->y = nullptr;
    } else if (f->op == Op::kDotInter) {
      call = NewNode(Op::kCallInter, n->pos);
      call->x = f;
    } else {
      call = NewNode(Op::kCallFunc, n->pos);
      call->x = f;
      if (f->op == Op::kFuncName) call->fn = f->fn;
      if (f->op == Op::kClosure) {
        call->fn = f->fn;
        f->fn->closure_called = true;
      }
    }
    Args(n, call, sig);
    if (sig->results.size() == 1) {
      call->type = sig->results[0].type;
    } else if (sig->results.empty()) {
      call->type = nullptr;
    } else {
      Type* tt = prog_->types.New(Kind::kTuple);
      for (const Field& r : sig->results) tt->fields.push_back(Field{"", r.type});
      call->type = tt;
      call->str = ExprText(n);
    }
    return call;
  }

  // Checks the arguments of a call and appends them to call->list, packing
  // variadic arguments into an implicit "... argument" slice literal.
  void Args(Node* n, Node* call, const Type* sig) {
    std::vector<Node*> args;
    for (Node* a : n->list) args.push_back(Expr(a));
    size_t np = sig->fields.size();
    // f(g()) with multi-value g.
    if (args.size() == 1 && args[0]->type != nullptr && args[0]->type->kind == Kind::kTuple) {
      throw Unsupported{n->list[0]->pos, "multi-value call as arguments f(g())"};
    }
    for (Node* a : args) SingleValue(a);
    Pos base = n->pos;  // Go's base.Pos when converting args
    auto conv = [&](Node* a, const Type* t) {
      if (HasUniquePos(a)) base = a->pos;
      return Assign(a, t, "argument", base);
    };
    if (n->ddd) {
      if (!sig->variadic)
        throw TypeError{n->pos,
                        absl::StrCat("have (...) but function is not variadic: ", ExprText(n->x))};
      if (args.size() != np)
        throw TypeError{n->pos, absl::StrCat(args.size() < np ? "not enough" : "too many",
                                             " arguments in call to ", ExprText(n->x))};
      for (size_t i = 0; i < np; ++i) call->list.push_back(conv(args[i], sig->fields[i].type));
      call->ddd = true;
      return;
    }
    size_t fixed = sig->variadic ? np - 1 : np;
    if (args.size() < fixed || (!sig->variadic && args.size() > np))
      throw TypeError{
          args.size() < fixed ? (n->list.empty() ? n->pos : n->list.back()->pos) : n->list[np]->pos,
          absl::StrCat(args.size() < fixed ? "not enough" : "too many", " arguments in call to ",
                       ExprText(n->x))};
    for (size_t i = 0; i < fixed; ++i) call->list.push_back(conv(args[i], sig->fields[i].type));
    if (sig->variadic) {
      const Type* st = sig->fields[np - 1].type;
      call->packed = true;
      if (args.size() == fixed) {
        Node* nil = NewNode(Op::kNil, n->pos);
        nil->type = st;
        nil->str = "nil";
        call->list.push_back(nil);
      } else {
        Node* lit = NewNode(Op::kSliceLit, n->pos);
        lit->type = st;
        lit->implicit = true;  // "... argument"
        for (size_t i = fixed; i < args.size(); ++i) lit->list.push_back(conv(args[i], st->elem));
        // Go positions the "... argument" at the call unless it was
        // repositioned; the implicit slice takes the call position.
        call->list.push_back(lit);
      }
    }
  }

  Node* Conversion(Node* n, const Type* t) {
    if (n->list.size() != 1)
      throw TypeError{n->pos,
                      absl::StrCat(n->list.empty() ? "missing argument" : "too many arguments",
                                   " in conversion to ", TypeString(t))};
    if (n->ddd) throw TypeError{n->pos, "invalid use of ... in conversion"};
    Node* x = Expr(n->list[0]);
    SingleValue(x);
    const Type* tu = Under(t);
    const Type* xu = Under(x->type);
    Node* r = NewNode(Op::kConv, n->pos);
    r->x = x;
    r->type = t;
    r->w = n->x;  // type syntax, for printing
    auto fail = [&]() {
      throw TypeError{n->list[0]->pos, absl::StrCat("cannot convert ", ExprText(n->list[0]), " (",
                                                    DescribeValue(x), ") to type ", TypeString(t))};
    };
    if (tu->kind == Kind::kInterface) {
      if (IsUntyped(x->type)) {
        if (x->type->kind == Kind::kUntypedNil) {
          x->type = t;
          r->op = Op::kConv;
          return r;
        }
        if (!tu->methods.empty()) fail();
        r->x = ConvertConst(x, DefaultType(x->type));
      } else if (!Implements(x->type, t)) {
        throw TypeError{n->list[0]->pos, absl::StrCat("cannot convert ", ExprText(n->list[0]), " (",
                                                      DescribeValue(x), ") to type ", TypeString(t),
                                                      MissingMethod(x->type, t))};
      }
      if (IsInterface(x->type)) return r;  // iface->iface
      r->op = Op::kConvIface;
      return r;
    }
    if (x->is_const && (IsNumeric(t) || IsString(t) || IsBoolean(t)) &&
        !(IsString(t) && IsInteger(x->type))) {
      if (IsNumeric(t) && IsNumeric(x->type)) {
        Node* c = CopyWithType(x, t);
        if (IsInteger(t) && IsFloat(x->type) && !x->int_known) fail();
        c->pos = n->pos;
        c->str = ConvText(t, c);
        c->implicit = true;  // typed constant: no position of its own
        if (IsInteger(t) && c->int_known) {
          Node* chk = CopyWithType(x, x->type);
          chk->type = IsUntyped(x->type) ? x->type : U().untyped_int;
          (void)ConvertConst(chk, t, "conversion");
        }
        return c;
      }
      if (IsString(t) && IsString(x->type)) {
        Node* c = CopyWithType(x, t);
        c->pos = n->pos;
        c->str = ConvText(t, c);
        c->implicit = true;
        return c;
      }
      if (IsBoolean(t) && IsBoolean(x->type)) return CopyWithType(x, t);
      fail();
    }
    if (IsString(t) && IsInteger(x->type)) {
      r->op = Op::kRuneStr;
      if (IsUntyped(x->type)) r->x = ConvertConst(x, U().rune_t);
      return r;
    }
    if (IsString(t) && xu->kind == Kind::kSlice &&
        (Under(xu->elem)->kind == Kind::kUint8 || Under(xu->elem)->kind == Kind::kInt32)) {
      r->op = Under(xu->elem)->kind == Kind::kUint8 ? Op::kBytes2Str : Op::kRunes2Str;
      return r;
    }
    if (tu->kind == Kind::kSlice && IsString(x->type) &&
        (Under(tu->elem)->kind == Kind::kUint8 || Under(tu->elem)->kind == Kind::kInt32)) {
      r->op = Under(tu->elem)->kind == Kind::kUint8 ? Op::kStr2Bytes : Op::kStr2Runes;
      if (IsUntyped(x->type)) r->x = ConvertConst(x, U().string_t);
      return r;
    }
    if (IsNumeric(t) && IsNumeric(x->type)) {
      if (IsUntyped(x->type)) r->x = ConvertConst(x, DefaultType(x->type));
      return r;
    }
    if (IsString(t) && IsString(x->type)) return r;
    if (x->type->kind == Kind::kUntypedNil) {
      Kind k = tu->kind;
      if (k == Kind::kPointer || k == Kind::kSlice || k == Kind::kMap || k == Kind::kFunc) {
        x->type = t;
        return r;
      }
      fail();
    }
    if (Identical(tu, xu)) return r;
    if (tu->kind == Kind::kPointer && xu->kind == Kind::kPointer &&
        Identical(Under(tu->elem), Under(xu->elem)))
      return r;
    fail();
    return r;
  }

  // Go prints a typed constant as T(value).
  std::string ConvText(const Type* t, Node* c) {
    std::string v = c->int_known && IsInteger(t) ? absl::StrCat(c->int_val) : c->str;
    if (c->str.size() >= 2 && c->str[0] == '`')
      v = "\"" + c->str.substr(1, c->str.size() - 2) + "\"";
    return absl::StrCat(TypeString(t), "(", v, ")");
  }

  Node* Builtin(Node* n, const std::string& name, bool stmt) {
    auto nargs = [&](size_t lo, size_t hi) {
      if (n->list.size() < lo)
        throw TypeError{n->pos, absl::StrCat("not enough arguments for ", ExprText(n),
                                             " (expected ", lo, ", found ", n->list.size(), ")")};
      if (n->list.size() > hi)
        throw TypeError{n->list[hi]->pos,
                        absl::StrCat("too many arguments for ", ExprText(n), " (expected ", hi,
                                     ", found ", n->list.size(), ")")};
    };
    if (n->ddd && name != "append")
      throw TypeError{n->pos,
                      absl::StrCat("invalid operation: invalid use of ... with built-in ", name)};
    if (name == "len" || name == "cap") {
      nargs(1, 1);
      Node* x = Expr(n->list[0]);
      SingleValue(x);
      const Type* u = Under(x->type);
      if (u->kind == Kind::kPointer && Under(u->elem)->kind == Kind::kArray) u = Under(u->elem);
      bool ok = u->kind == Kind::kSlice || u->kind == Kind::kArray ||
                (name == "len" && (u->kind == Kind::kString || u->kind == Kind::kMap ||
                                   u->kind == Kind::kUntypedString));
      if (!ok)
        throw TypeError{n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]),
                                                      " (", DescribeValue(x), ") for ", name)};
      if (u->kind == Kind::kArray && !HasCallOrRecv(x)) {
        Node* l = Lit(n->pos, absl::StrCat(u->len), U().int_t);
        l->int_known = true;
        l->int_val = u->len;
        l->str = ExprText(n);
        return l;
      }
      if (x->is_const && x->op == Op::kLiteral && x->str.size() >= 2 && x->str[0] == '"') {
        Node* l = Lit(n->pos, "", U().int_t);
        l->str = ExprText(n);
        return l;
      }
      Node* r = NewNode(name == "len" ? Op::kLen : Op::kCap, n->pos);
      r->x = IsUntyped(x->type) ? ConvertConst(x, U().string_t) : x;
      r->type = U().int_t;
      return r;
    }
    if (name == "new") {
      nargs(1, 1);
      const Type* t = ResolveType(n->list[0], scope_);
      Node* r = NewNode(Op::kNew, n->pos);
      r->type = prog_->types.Pointer(t);
      r->w = NewNode(Op::kType, n->list[0]->pos);
      r->w->type = t;
      return r;
    }
    if (name == "make") {
      if (n->list.empty())
        throw TypeError{n->pos, "not enough arguments for make() (expected 1, found 0)"};
      const Type* t = ResolveType(n->list[0], scope_);
      const Type* u = Under(t);
      Node* r = NewNode(Op::kMakeSlice, n->pos);
      r->type = t;
      auto size = [&](Node* e) {
        Node* v = Expr(e);
        SingleValue(v);
        if (!IsInteger(v->type) && !(v->int_known))
          throw TypeError{e->pos, absl::StrCat("cannot convert ", ExprText(e), " (",
                                               DescribeValue(v), ") to type int")};
        if (v->int_known && v->int_val < 0)
          throw TypeError{e->pos, absl::StrCat("invalid argument: index ", ExprText(e),
                                               " (constant of type int) must not be negative")};
        if (IsUntyped(v->type)) v = ConvertConst(v, U().int_t);
        return v;
      };
      if (u->kind == Kind::kSlice) {
        nargs(2, 3);
        r->x = size(n->list[1]);
        if (n->list.size() == 3) {
          r->y = size(n->list[2]);
          if (r->x->int_known && r->y->int_known && r->x->int_val > r->y->int_val)
            throw TypeError{n->list[1]->pos,
                            absl::StrCat("invalid argument: length and capacity swapped")};
        }
      } else if (u->kind == Kind::kMap) {
        nargs(1, 2);
        r->op = Op::kMakeMap;
        if (n->list.size() == 2) r->x = size(n->list[1]);
      } else if (n->list[0]->op == Op::kChanType) {
        throw Unsupported{n->pos, "channel"};
      } else {
        throw TypeError{n->list[0]->pos,
                        absl::StrCat("invalid argument: cannot make ", ExprText(n->list[0]),
                                     "; type must be slice, map, or channel")};
      }
      r->w = n->list[0];  // for printing
      return r;
    }
    if (name == "append") {
      if (n->list.empty())
        throw TypeError{n->pos, "not enough arguments for append() (expected 1, found 0)"};
      Node* s = Expr(n->list[0]);
      SingleValue(s);
      if (s->type->kind == Kind::kUntypedNil)
        throw TypeError{n->list[0]->pos,
                        "first argument to append must be a typed slice; have untyped nil"};
      if (!IsSlice(s->type))
        throw TypeError{n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]),
                                                      " (", DescribeValue(s), ") is not a slice")};
      Node* r = NewNode(Op::kAppend, n->pos);
      r->type = s->type;
      r->list.push_back(s);
      const Type* et = Under(s->type)->elem;
      if (n->ddd) {
        nargs(2, 2);
        Node* v = Expr(n->list[1]);
        SingleValue(v);
        if (IsString(v->type) && Under(et)->kind == Kind::kUint8) {
          if (IsUntyped(v->type)) v = ConvertConst(v, U().string_t);
        } else {
          v = Assign(v, s->type, "append");
        }
        r->list.push_back(v);
        r->ddd = true;
      } else {
        for (size_t i = 1; i < n->list.size(); ++i) {
          Node* v = Expr(n->list[i]);
          r->list.push_back(Assign(v, et, "argument to append", n->list.back()->pos));
        }
      }
      if (stmt)
        throw TypeError{n->pos, absl::StrCat(ExprText(n), " (value of type ", TypeString(s->type),
                                             ") is not used")};
      return r;
    }
    if (name == "copy") {
      nargs(2, 2);
      Node* d = Expr(n->list[0]);
      Node* s = Expr(n->list[1]);
      SingleValue(d);
      SingleValue(s);
      if (!IsSlice(d->type))
        throw TypeError{n->pos,
                        absl::StrCat("invalid argument: copy expects slice arguments; found ",
                                     ExprText(n->list[0]), " (", DescribeValue(d), ") and ",
                                     ExprText(n->list[1]), " (", DescribeValue(s), ")")};
      if (IsString(s->type) && Under(Under(d->type)->elem)->kind == Kind::kUint8) {
        if (IsUntyped(s->type)) s = ConvertConst(s, U().string_t);
      } else if (!IsSlice(s->type) ||
                 !Identical(Under(Under(d->type)->elem), Under(Under(s->type)->elem))) {
        throw TypeError{
            n->pos, absl::StrCat("invalid argument: arguments to copy ", ExprText(n->list[0]), " (",
                                 DescribeValue(d), ") and ", ExprText(n->list[1]), " (",
                                 DescribeValue(s), ") have different element types")};
      }
      Node* r = NewNode(Op::kCopy, n->pos);
      r->x = d;
      r->y = s;
      r->type = U().int_t;
      return r;
    }
    if (name == "delete") {
      nargs(2, 2);
      Node* m = Expr(n->list[0]);
      SingleValue(m);
      if (!IsMap(m->type))
        throw TypeError{n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]),
                                                      " (", DescribeValue(m), ") is not a map")};
      Node* k = Assign(Expr(n->list[1]), Under(m->type)->key, "argument to delete");
      Node* r = NewNode(Op::kDelete, n->pos);
      r->list = {m, k};
      return r;
    }
    if (name == "panic") {
      nargs(1, 1);
      Node* v = Expr(n->list[0]);
      Node* r = NewNode(Op::kPanic, n->pos);
      r->x = Assign(v, U().empty_iface, "argument to panic",
                    HasUniquePos(v) && !v->is_const ? v->pos : n->pos);
      return r;
    }
    if (name == "print" || name == "println") {
      Node* r = NewNode(name == "print" ? Op::kPrint : Op::kPrintln, n->pos);
      for (Node* a : n->list) {
        Node* v = Expr(a);
        SingleValue(v);
        if (IsUntyped(v->type)) {
          if (v->type->kind == Kind::kUntypedNil)
            throw TypeError{a->pos, "use of untyped nil in argument to built-in print"};
          v = ConvertConst(v, DefaultType(v->type));
        }
        r->list.push_back(v);
      }
      return r;
    }
    if (name == "recover") {
      nargs(0, 0);
      Node* r = NewNode(Op::kRecover, n->pos);
      r->type = U().empty_iface;
      return r;
    }
    throw Unsupported{n->pos, absl::StrCat("builtin ", name)};
  }

  static bool HasCallOrRecv(Node* x) {
    if (x == nullptr) return false;
    switch (x->op) {
      case Op::kCallFunc:
      case Op::kCallInter:
      case Op::kCallMeth:
      case Op::kAppend:
        return true;
      default:
        return HasCallOrRecv(x->x) || HasCallOrRecv(x->y);
    }
  }

  struct Labels {
    std::map<std::string, Pos> defined;
    std::multimap<std::string, Pos> used;
  };

  Program* prog_;
  Scope universe_;
  Scope pkg_scope_;
  Scope* scope_ = nullptr;
  Func* fn_ = nullptr;
  std::string cur_pkg_;
  std::vector<Obj*> imports_;
  std::map<std::string, std::unique_ptr<Package>> std_pkgs_;
  int iota_ = -1;
  int loop_ = 0;
  int switch_ = 0;
  int depth_ = 0;
  std::set<std::string> loop_labels_;
  std::set<std::string> switch_labels_;
  std::vector<Labels> labels_stack_;
};

}  // namespace

absl::Status Check(const ParsedFile& file, Program* prog) {
  Checker c(prog);
  try {
    c.CheckFile(file);
  } catch (const TypeError& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(prog->filename, ":", e.pos.line, ":", e.pos.col, ": ", e.msg));
  } catch (const Unsupported& u) {
    return absl::InvalidArgumentError(
        absl::StrCat(prog->filename, ":", u.pos.line, ":", u.pos.col, ": unsupported: ", u.what));
  }
  return absl::OkStatus();
}

absl::Status LoadProgram(absl::string_view filename, absl::string_view src, Program* prog) {
  prog->filename = std::string(filename);
  ParsedFile pf;
  absl::Status st = Parse(filename, src, prog, &pf);
  if (!st.ok()) return st;
  return Check(pf, prog);
}

}  // namespace gclab::escape
