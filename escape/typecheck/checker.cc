// Driver of the type checker: the order of the passes, errors, IR node
// helpers and function bodies.
#include "escape/typecheck/checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "escape/syntax_printer.h"

namespace gclab::escape {

Checker::Checker(Program* prog, const ParsedFile& file, const CheckOptions& opts)
    : prog_(prog), file_(file), filename_(prog->filename), budget_(opts.stack_fraction) {}

absl::Status Checker::Err(Pos pos, absl::string_view msg) const {
  return absl::InvalidArgumentError(PosMessage(filename_, pos, msg));
}

absl::Status Checker::Unsupported(Pos pos, absl::string_view what) const {
  return absl::UnimplementedError(PosMessage(filename_, pos, absl::StrCat("unsupported: ", what)));
}

absl::Status Checker::TooDeep(Pos pos) const {
  return Err(pos, "nesting too deep (stack exhausted)");
}

void Checker::RecordError(const absl::Status& st) {
  if (st.ok()) return;
  std::string msg(st.message());
  if (st.code() == absl::StatusCode::kUnimplemented) {
    prog_->unsupported.push_back(msg);
  } else {
    prog_->errors.push_back(msg);
  }
}

absl::Status Checker::Run() {
  InitUniverse();
  Imports();
  init_ = prog_->NewFunc();
  init_->name = "init";
  init_->sig = prog_->types.New(Kind::kFunc);
  init_->body = NewNode(Op::kBlockStmt, Pos{1, 1});
  absl::Status st = CollectPackage(file_.decls, &pkg_scope_, nullptr);
  if (!st.ok()) return st;
  // Go's order of functions (Target.Decls): source order, a function
  // literal of a package-level initializer where its declaration is.
  std::stable_sort(prog_->funcs.begin(), prog_->funcs.end(),
                   [](const Func* a, const Func* b) { return a->pos < b->pos; });
  // Bodies, in source order.
  for (Node* d : file_.decls) {
    if (d->op != Op::kFuncDecl || d->obj == nullptr || d->obj->fn == nullptr) continue;
    Func* f = d->obj->fn;
    if (f->generic) continue;  // checked per instantiation
    if (d->w != nullptr) {     // syntax error confined to the body
      MarkFailed(f, absl::InvalidArgumentError(d->w->str));
      continue;
    }
    if (d->z != nullptr && !f->unsupported) CheckFuncBody(f, d->z);
  }
  CheckInstances();
  if (!init_->body->list.empty()) prog_->funcs.push_back(init_);
  // Unused imports (only meaningful if every body was checked).
  bool all_checked = true;
  for (Func* f : prog_->funcs) all_checked &= !f->unsupported;
  if (all_checked) {
    for (Obj* imp : imports_) {
      if (!imp->used)
        prog_->errors.push_back(PosMessage(
            filename_, imp->pos, absl::StrCat("\"", imp->pkg->path, "\" imported and not used")));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- nodes

Node* Checker::NameNode(Obj* o, Pos pos) {
  Node* n = NewNode(Op::kName, pos);
  n->obj = o;
  n->type = o->type;
  n->str = o->name;
  return n;
}

Node* Checker::BlankNode(Pos pos) {
  Node* b = NewNode(Op::kName, pos);
  b->str = "_";
  return b;
}

Node* Checker::TypeNode(const Type* t, Pos pos) {
  Node* n = NewNode(Op::kType, pos);
  n->type = t;
  return n;
}

namespace {

// Precedence cmd/compile prints a constant with (its outermost operation).
int ConstPrec(const Node* syntax) {
  if (syntax == nullptr) return 8;
  switch (syntax->op) {
    case Op::kUnary:
    case Op::kStar:
      return 7;
    case Op::kBinary: {
      const std::string& o = syntax->str;
      if (o == "*" || o == "/" || o == "%" || o == "<<" || o == ">>" || o == "&" || o == "&^")
        return 6;
      if (o == "+" || o == "-" || o == "|" || o == "^") return 5;
      if (o == "&&") return 2;
      if (o == "||") return 1;
      return 4;
    }
    default:
      return 8;
  }
}

}  // namespace

Node* Checker::ConstNode(const Constant& v, const Type* t, const Node* syntax) {
  while (syntax != nullptr && syntax->op == Op::kParen) syntax = syntax->x;
  Node* n = NewNode(Op::kLiteral, syntax != nullptr ? syntax->pos : Pos{});
  n->cval = v;
  n->type = t;
  n->syntax = syntax;
  // The text is printed from the syntax when needed (not built here: that
  // would be quadratic in the nesting of constant expressions).
  if (syntax == nullptr) n->str = v.ToString();
  n->int_val = ConstPrec(syntax);
  return n;
}

Node* Checker::CopyNode(const Node* n) {
  Node* c = NewNode(n->op, n->pos);
  int id = c->id;
  *c = *n;
  c->id = id;
  return c;
}

Obj* Checker::NewLocal(const std::string& name, Pos pos, const Type* t) {
  Obj* o = prog_->NewObj(ObjKind::kVar, name, pos);
  o->type = t;
  o->cls = VarClass::kAuto;
  o->curfn = fn_;
  if (name != "_") fn_->dcl.push_back(o);
  return o;
}

Obj* Checker::NewTemp(const Type* t, Pos pos) {
  Obj* o = NewLocal(absl::StrCat(".autotmp_", fn_->dcl.size()), pos, t);
  o->temp = true;
  o->used = true;
  return o;
}

void Checker::Capture(Obj* o) {
  for (Func* f = fn_; f != nullptr && f != o->curfn; f = f->outer) {
    bool have = false;
    for (Obj* c : f->closure_vars) have |= c == o;
    if (!have) f->closure_vars.push_back(o);
  }
}

void Checker::NameClosure(Func* f) {
  if (fn_ == init_) {
    f->name = absl::StrCat("glob..func", ++init_->closure_count);
    return;
  }
  f->closure_index = ++fn_->closure_count;  // FuncName builds the name
}

// ---------------------------------------------------------------- bodies

void Checker::CheckFuncBody(Func* f, const Node* body) {
  Func* saved_fn = fn_;
  FuncState* saved_fs = fs_;
  int saved_iota = iota_;
  fn_ = f;
  iota_ = -1;
  FuncState fs;
  fs_ = &fs;
  absl::Status st;
  {
    ScopeGuard guard(&scope_, &bindings_);
    for (Obj* o : f->dcl) {
      if (o->name.empty() || o->name[0] == '~') continue;
      if (scope_->Insert(o) != nullptr)
        st = Err(o->pos, absl::StrCat("duplicate argument ", o->name));
    }
    std::vector<Node*> stmts;
    if (st.ok()) st = Stmts(body->list, &stmts);
    if (st.ok()) st = CheckUnused(scope_);
    if (st.ok()) st = CheckLabels(body);
    if (st.ok() && !f->sig->results.empty() && !Terminates(body))
      st = Err(body->w->pos, "missing return");
    if (st.ok()) {
      f->body = NewNode(Op::kBlockStmt, body->pos);
      f->body->list = std::move(stmts);
      Deadcode(f);
      std::vector<Func*> closures = f->closures;
      while (!closures.empty()) {
        Func* c = closures.back();
        closures.pop_back();
        Deadcode(c);
        closures.insert(closures.end(), c->closures.begin(), c->closures.end());
      }
    }
  }
  if (!st.ok()) MarkFailed(f, st);
  fn_ = saved_fn;
  fs_ = saved_fs;
  iota_ = saved_iota;
}

void Checker::MarkFailed(Func* f, const absl::Status& st) {
  f->unsupported = true;
  f->failure = std::string(st.message());
  Pos pos = f->decl != nullptr ? f->decl->pos : f->pos;
  f->body = NewNode(Op::kBlockStmt, pos);
  Node* un = NewNode(Op::kUnsupported, pos);
  un->str = f->failure;
  f->body->list.push_back(un);
  f->closures.clear();
  std::vector<Obj*> keep;
  for (Obj* o : f->dcl)
    if (o->cls == VarClass::kParam || o->cls == VarClass::kParamOut) keep.push_back(o);
  f->dcl = keep;
  RecordError(st);
}

// ---------------------------------------------------------------- API

absl::Status Check(const ParsedFile& file, Program* prog, const CheckOptions& opts) {
  Checker c(prog, file, opts);
  return c.Run();
}

absl::Status LoadProgram(absl::string_view filename, absl::string_view src, Program* prog,
                         const CheckOptions& opts) {
  prog->filename = std::string(filename);
  ParsedFile pf;
  absl::Status st = Parse(filename, src, prog, &pf, opts.stack_fraction);
  if (!st.ok()) return st;
  return Check(pf, prog, opts);
}

}  // namespace gclab::escape
