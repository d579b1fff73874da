// Functions: signatures, frames, parameters and results, variables,
// closures, func values, method values, globals and the program's init.
//
// A function's frame record (gort::Frame<N>) holds N pointer words: a
// mirror of every pointer word of its pointer-typed locals and
// temporaries, and the object pointer of every variable that is an
// allocation site (address taken or captured). Slots are assigned in a
// stack discipline following the block structure, so the words of a loop
// body's variables form one range (cleared per iteration when checking).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

using escape::Under;

std::string QuoteC(const std::string& s);

namespace {

bool IsBlankObj(const Obj* o) { return o == nullptr || o->name == "_" || o->name.empty(); }

}  // namespace

std::string Codegen::ResultType(const Type* sig) {
  if (sig->results.empty()) return "void";
  if (sig->results.size() == 1) return CType(sig->results[0].type);
  std::vector<const Type*> ts;
  for (const escape::Field& f : sig->results) ts.push_back(f.type);
  return TupleType(ts);
}

int Codegen::AllocSlots(int n) {
  const int first = f_->next_slot;
  f_->next_slot += n;
  f_->max_slot = std::max(f_->max_slot, f_->next_slot);
  f_->high_water = std::max(f_->high_water, f_->next_slot);
  return first;
}

std::string Codegen::Slot(int k) { return absl::StrCat("fr.w[", k, "]"); }

// Emits the statements that copy the pointer words of the C++ value
// `value` (of Go type t) into frame words first, first+1, ...
std::string Codegen::MirrorStmts(const std::string& value, const Type* t, int first) {
  std::string out;
  std::vector<uint32_t> ptrs = PtrOffsets(t);
  const std::string ct = CType(t);
  for (size_t i = 0; i < ptrs.size(); ++i) {
    std::string word = ptrs.size() == 1 && ptrs[0] == 0 && (ct == "gort::Word")
                           ? value
                           : absl::StrCat("gort::WordAt(&", value, ", ", ptrs[i], ")");
    absl::StrAppend(&out, Slot(first + static_cast<int>(i)), " = ", word, "; ");
  }
  return out;
}

void Codegen::MirrorVar(const Obj* o) {
  auto it = vars_.find(o);
  if (it == vars_.end() || it->second.storage != Storage::kLocal || it->second.slots.empty())
    return;
  Emit(MirrorStmts(it->second.name, o->type, it->second.slots[0]));
}

// Declares variable o in the current function (kDcl, parameters, results).
// `init`: the C++ expression of its initial value ("" = zero).
void Codegen::DeclareVar(const Obj* o, const std::string& init) {
  VarInfo v;
  const int site = SiteIndex(nullptr, o);
  if (site >= 0) {
    v.storage = Storage::kObject;
    v.name = absl::StrCat("o", o->id);
    const std::string ti = TypeInfo(o->type);
    const int slot = AllocSlots(1);
    v.slots.push_back(slot);
    Emit(absl::StrCat("gort::Word ", v.name, " = gort::New(g, ", SiteRef(nullptr, o, ti), "); ",
                      Slot(slot), " = ", v.name, ";"));
    vars_[o] = v;
    if (!init.empty()) Emit(StoreStmt(VarRef(o), init, o->type, true, o->pos) + ";");
    return;
  }
  v.storage = Storage::kLocal;
  v.name = absl::StrCat("v", o->id);
  const int nptrs = static_cast<int>(PtrOffsets(o->type).size());
  if (nptrs > 0) {
    const int first = AllocSlots(nptrs);
    for (int i = 0; i < nptrs; ++i) v.slots.push_back(first + i);
  }
  vars_[o] = v;
  Emit(absl::StrCat(CType(o->type), " ", v.name, " = ", init.empty() ? ZeroValue(o->type) : init,
                    ";"));
  MirrorVar(o);
}

std::string Codegen::VarRef(const Obj* o) {
  if (o->cls == escape::VarClass::kExtern) {
    if (o->pkg != nullptr) return StdGlobal(o);
    auto g = global_index_.find(o);
    if (g == global_index_.end()) {
      Unsupported(o->pos, absl::StrCat("global ", o->name));
      return "/*?*/";
    }
    if (SizeOf(o->type) == 0) return "gort::Empty{}";
    return absl::StrCat("GL->f", g->second);
  }
  auto it = vars_.find(o);
  if (it == vars_.end()) {
    // A variable of an enclosing function (captured).
    Unsupported(o->pos, absl::StrCat("reference to variable ", o->name, " outside its function"));
    return "/*?*/";
  }
  const VarInfo& v = it->second;
  switch (v.storage) {
    case Storage::kLocal:
      return v.name;
    case Storage::kObject:
    case Storage::kCapturedRef:
      return absl::StrCat("(*reinterpret_cast<", CType(o->type), "*>(gort::Addr(", v.name, ")))");
    case Storage::kCaptured:
      return v.name;
    default:
      return v.name;
  }
}

// A Go pointer to variable o's storage (&o), or "" if it has none.
std::string Codegen::VarAddr(const Obj* o) {
  if (o->cls == escape::VarClass::kExtern) {
    auto g = global_index_.find(o);
    if (g == global_index_.end()) return "";
    if (SizeOf(o->type) == 0) return "gort::ZeroBase()";
    return absl::StrCat("gort::Advance(GLW, ", global_offsets_[g->second], ")");
  }
  auto it = vars_.find(o);
  if (it == vars_.end()) return "";
  const VarInfo& v = it->second;
  if (v.storage == Storage::kObject || v.storage == Storage::kCapturedRef) return v.name;
  if (v.storage == Storage::kCaptured && !v.addr.empty()) return v.addr;
  return "";
}

// ---------------------------------------------------------------- signatures

std::string Codegen::Signature(const Func* f, const std::string& name) {
  std::vector<std::string> ps = {"gort::G* g"};
  if (f->outer != nullptr) ps.push_back("gort::Word ctx");
  int i = 0;
  auto param = [&](const Obj* o, const Type* t) {
    ps.push_back(
        absl::StrCat(CType(t), " a", IsBlankObj(o) ? absl::StrCat("_", i) : absl::StrCat(o->id)));
    ++i;
  };
  if (f->recv != nullptr) param(f->recv, f->recv->type);
  for (size_t k = 0; k < f->sig->fields.size(); ++k)
    param(k < f->params.size() ? f->params[k] : nullptr, f->sig->fields[k].type);
  return absl::StrCat(ResultType(f->sig), " ", name, "(", absl::StrJoin(ps, ", "), ")");
}

std::string Codegen::ResultsValue() {
  if (f_->results.empty()) return "";
  if (f_->results.size() == 1) return f_->results[0];
  return absl::StrCat(f_->result_type, "{", absl::StrJoin(f_->results, ", "), "}");
}

// ---------------------------------------------------------------- bodies

void Codegen::GenFunc(const Func* f) {
  FuncState fs;
  temp_slots_.clear();
  plain_temps_.clear();
  fs.fn = f;
  fs.cname = FuncCName(f);
  fs.result_type = ResultType(f->sig);
  fs.is_closure = f->outer != nullptr;
  f_ = &fs;
  const std::string sig = Signature(f, fs.cname);
  absl::StrAppend(&protos_, sig, ";\n");
  // Parameters.
  std::vector<const Obj*> params;
  if (f->recv != nullptr) params.push_back(f->recv);
  for (size_t k = 0; k < f->sig->fields.size(); ++k)
    params.push_back(k < f->params.size() ? f->params[k] : nullptr);
  if (fs.is_closure) {
    // The context keeps the closure object alive.
    const int slot = AllocSlots(1);
    Emit(absl::StrCat(Slot(slot), " = ctx;"));
    BindCaptures(f);
  }
  for (const Obj* o : params) {
    if (IsBlankObj(o)) continue;
    const std::string arg = absl::StrCat("a", o->id);
    DeclareVar(o, arg);
  }
  // Results: variables when they are named (the body may assign them) or
  // when deferred calls run between the return and the caller.
  fs.has_defer = ContainsDefer(f->body);
  fs.uses_recover = ContainsRecover(f->body);
  for (const Obj* r : f->results) {
    if (!fs.has_defer && (r->name.empty() || r->name[0] == '~')) continue;
    DeclareVar(r, "");
    fs.results.push_back(VarRef(r));
  }
  EndPrologue();
  if (f->body != nullptr) {
    if (fs.has_defer) {
      Emit("gort::DeferList dl;");
      Emit("try {");
      ++fs.indent;
      Stmts(f->body->list);
      --fs.indent;
      Emit("} catch (const gort::PanicUnwind&) {");
      Emit("  if (!gort::RunDefers(g, &dl, true)) throw;");
      Emit(absl::StrCat("  return ", ResultsValue(), ";"));
      Emit("}");
      Emit("Lret:");
      Emit("if (!gort::RunDefers(g, &dl, false)) throw gort::PanicUnwind{};");
      Emit(absl::StrCat("return ", ResultsValue(), ";"));
    } else {
      Stmts(f->body->list);
      if (!f->sig->results.empty()) Emit("__builtin_unreachable();");
    }
  }
  // Prologue, now that the frame size is known.
  std::string pro = "  gort::CheckStack(g);\n";
  const bool needs_scope = fs.max_slot > 0 || fs.has_defer || fs.may_stack_allocate;
  if (needs_scope) {
    const std::string fd = absl::StrCat("FD_", fs.cname);
    absl::StrAppend(&protos_, "const gclab::TypeDescriptor* ", fd, ";\n");
    absl::StrAppend(&init_, "  ", fd, " = gclab::MakeRecordType(",
                    QuoteC(absl::StrCat("frame of ", FuncGoName(f))), ", ", fs.max_slot, ", 0);\n");
    absl::StrAppend(&pro, "  gort::Frame<", fs.max_slot, "> fr(g, ", fd, ");\n");
  }
  if (fs.uses_recover) {
    absl::StrAppend(&pro, "  const bool can_recover = gort::TakeDeferDirect(g);\n");
  } else if (program_uses_recover_) {
    absl::StrAppend(&pro, "  g->defer_direct = false;\n");
  }
  std::string body = fs.body;
  // The poll comes after the parameters are rooted.
  absl::StrAppend(&funcs_out_, sig, " {\n", pro, fs.prologue_body, "  gort::Poll(g);\n", body,
                  "}\n\n");
  f_ = nullptr;
}

// Moves the statements emitted so far (parameter set-up) before the poll.
void Codegen::EndPrologue() {
  f_->prologue_body = f_->body;
  f_->body.clear();
}

void Codegen::BindCaptures(const Func* f) {
  const std::string cs = ClosureStruct(f);
  Emit(absl::StrCat("auto* CTX = reinterpret_cast<", cs, "*>(gort::Addr(ctx));"));
  for (size_t i = 0; i < f->closure_vars.size(); ++i) {
    const Obj* cv = f->closure_vars[i];
    VarInfo v;
    if (CaptureByRef(f, cv)) {
      v.storage = Storage::kCapturedRef;
      v.name = absl::StrCat("CTX->c", i);
    } else {
      v.storage = Storage::kCaptured;
      v.name = absl::StrCat("CTX->c", i);
      v.addr = absl::StrCat("gort::Advance(ctx, offsetof(", cs, ", c", i, "))");
    }
    vars_[cv] = v;
  }
}

// Whether closure f captures cv by reference (a pointer to cv's object)
// rather than by value (a copy). Go captures by value variables of at most
// 128 bytes that are never reassigned after the capture; its escape
// analysis then keeps such a variable on the stack even when the closure
// escapes. Derived from the go analysis' decisions (see docs/GOCOMPILE.md):
// by reference when the variable is on the heap or the closure is not.
bool Codegen::CaptureByRef(const Func* closure, const Obj* cv) {
  const int go = 1 << static_cast<int>(escape::AnalysisId::kGo);
  const bool var_on_stack = (SiteBits(nullptr, cv) & go) != 0;
  const bool closure_on_stack = closure->clo != nullptr && (SiteBits(closure->clo, nullptr) & go);
  return !var_on_stack || closure_on_stack;
}

std::string Codegen::ClosureStruct(const Func* f) {
  auto it = closure_structs_.find(f);
  if (it != closure_structs_.end()) return it->second;
  const std::string name = absl::StrCat("CS_", FuncCName(f));
  closure_structs_[f] = name;
  std::string def = absl::StrCat("struct ", name, " {\n  void* code;\n");
  std::vector<std::string> ptrs;
  int64_t size = 8;
  for (size_t i = 0; i < f->closure_vars.size(); ++i) {
    const Obj* cv = f->closure_vars[i];
    if (CaptureByRef(f, cv)) {
      absl::StrAppend(&def, "  gort::Word c", i, ";\n");
      ptrs.push_back(absl::StrCat("offsetof(", name, ", c", i, ")"));
    } else {
      absl::StrAppend(&def, "  ", CType(cv->type), " c", i, ";\n");
      for (uint32_t o : PtrOffsets(cv->type))
        ptrs.push_back(absl::StrCat("offsetof(", name, ", c", i, ") + ", o));
    }
    size += 8;
  }
  absl::StrAppend(&def, "};\n");
  types_ += def;
  // Its runtime type (the closure object's descriptor).
  const std::string ti = absl::StrCat("TI_", name);
  std::string ptr_list = ptrs.empty() ? "" : absl::StrJoin(ptrs, ", ");
  if (!ptrs.empty())
    absl::StrAppend(&typeinfo_, "const uint32_t ", ti, "_ptrs[] = {", ptr_list, "};\n");
  absl::StrAppend(&typeinfo_, "gort::Type ", ti,
                  " = {.kind = gort::Kind::kStruct, .direct_iface = false, .comparable = false, "
                  ".named = false, .size = sizeof(",
                  name, "), .align = 8, .name = ", QuoteC(absl::StrCat("closure ", FuncGoName(f))),
                  ", .pkgpath = \"\", .ptrs = ", ptrs.empty() ? "nullptr" : ti + "_ptrs",
                  ", .nptrs = ", ptrs.size(), "};\n");
  absl::StrAppend(&protos_, "extern gort::Type ", ti, ";\n");
  absl::StrAppend(&init_, "  gort::InitType(&", ti, ");\n");
  return name;
}

// A func literal's value: a closure object (heap or stack per its site)
// holding the code pointer and the captured variables.
std::string Codegen::ClosureValue(const Node* n) {
  const Func* f = n->fn;
  const std::string cs = ClosureStruct(f);
  const std::string w = NewTempName();
  Emit(absl::StrCat("gort::Word ", w, " = gort::New(g, ",
                    SiteRef(n, nullptr, absl::StrCat("&TI_", cs)), ");"));
  const int slot = AllocSlots(1);
  Emit(absl::StrCat(Slot(slot), " = ", w, ";"));
  Emit(absl::StrCat("{ auto* c = reinterpret_cast<", cs, "*>(gort::Addr(", w,
                    ")); c->code = reinterpret_cast<void*>(&", FuncCName(f), ");"));
  for (size_t i = 0; i < f->closure_vars.size(); ++i) {
    const Obj* cv = f->closure_vars[i];
    if (CaptureByRef(f, cv)) {
      std::string addr = VarAddr(cv);
      if (addr.empty()) {
        Unsupported(n->pos, absl::StrCat("capture of ", cv->name, " by reference"));
        addr = "0";
      }
      Emit(absl::StrCat("  gort::StorePtr(g, &c->c", i, ", ", addr, ", ", Pos(n), ");"));
    } else {
      Emit(absl::StrCat(
          "  ", StoreStmt(absl::StrCat("c->c", i), VarRef(cv), cv->type, true, n->pos), ";"));
    }
  }
  Emit("}");
  f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
  return w;
}

// A top-level function as a func value: an immortal closure object
// without captures whose code is a trampoline taking the context.
std::string Codegen::FuncValue(const Func* f) {
  auto it = func_values_.find(f);
  if (it != func_values_.end()) return it->second;
  const std::string name = absl::StrCat("FV_", FuncCName(f));
  const std::string tramp = absl::StrCat("FT_", FuncCName(f));
  func_values_[f] = name;
  std::string params, args;
  int i = 0;
  for (const escape::Field& p : f->sig->fields) {
    absl::StrAppend(&params, ", ", CType(p.type), " a", i);
    absl::StrAppend(&args, ", a", i);
    ++i;
  }
  absl::StrAppend(&protos_, "gort::Word ", name, ";\n");
  absl::StrAppend(&wrappers_, ResultType(f->sig), " ", tramp, "(gort::G* g, gort::Word ctx", params,
                  ") { return ", FuncCName(f), "(g", args, "); }\n");
  absl::StrAppend(&init_, "  ", name, " = gort::StaticFunc(g, reinterpret_cast<void*>(&", tramp,
                  "));\n");
  return name;
}

// x.M as a func value: a closure holding the receiver (a copy of x, or x's
// pointer), whose code calls the method.
std::string Codegen::MethodValue(const Node* n) {
  const Node* recv = n->x;
  const Type* rt = recv->type;
  const Type* sig = n->type;
  const std::string key = absl::StrCat(TypeInfo(rt), ".", n->str);
  std::string tramp;
  std::string cs;
  auto it = method_value_tramps_.find(key);
  if (it != method_value_tramps_.end()) {
    tramp = it->second.first;
    cs = it->second.second;
  } else {
    const int k = static_cast<int>(method_value_tramps_.size());
    tramp = absl::StrCat("MV", k);
    cs = absl::StrCat("MVS", k);
    method_value_tramps_[key] = {tramp, cs};
    absl::StrAppend(&types_, "struct ", cs, " {\n  void* code;\n  ", CType(rt), " recv;\n};\n");
    std::vector<uint32_t> ptrs = PtrOffsets(rt);
    std::vector<std::string> pl;
    for (uint32_t o : ptrs) pl.push_back(absl::StrCat("offsetof(", cs, ", recv) + ", o));
    const std::string ti = absl::StrCat("TI_", cs);
    if (!pl.empty())
      absl::StrAppend(&typeinfo_, "const uint32_t ", ti, "_ptrs[] = {", absl::StrJoin(pl, ", "),
                      "};\n");
    absl::StrAppend(&typeinfo_, "gort::Type ", ti,
                    " = {.kind = gort::Kind::kStruct, .size = sizeof(", cs,
                    "), .align = 8, .name = \"method value\", .pkgpath = \"\", .ptrs = ",
                    pl.empty() ? "nullptr" : ti + "_ptrs", ", .nptrs = ", pl.size(), "};\n");
    absl::StrAppend(&protos_, "extern gort::Type ", ti, ";\n");
    absl::StrAppend(&init_, "  gort::InitType(&", ti, ");\n");
    std::string params, args;
    for (size_t i = 0; i < sig->fields.size(); ++i) {
      absl::StrAppend(&params, ", ", CType(sig->fields[i].type), " a", i);
      absl::StrAppend(&args, ", a", i);
    }
    std::string call;
    if (escape::IsInterface(rt)) {
      const int mi = IfaceMethodIndex(rt, n->str);
      call = absl::StrCat("gort::IFace iv = c->recv; if (!iv.tab) gort::PanicNil(g, nullptr); ",
                          "return reinterpret_cast<", FuncPtrType(sig, true), ">(iv.tab->fun[", mi,
                          "])(g, iv.data", args, ");");
    } else if (n->fn != nullptr && n->fn->external) {
      call = absl::StrCat("return gort::std_unsupported_method_value(g);");
    } else {
      call = absl::StrCat("return ", FuncCName(n->fn), "(g, c->recv", args, ");");
    }
    absl::StrAppend(&wrappers_, ResultType(sig), " ", tramp, "(gort::G* g, gort::Word ctx", params,
                    ") { auto* c = reinterpret_cast<", cs, "*>(gort::Addr(ctx)); ", call, " }\n");
    absl::StrAppend(&protos_, ResultType(sig), " ", tramp, "(gort::G* g, gort::Word ctx", params,
                    ");\n");
  }
  // Evaluate the receiver now (Go: x is evaluated and copied when the
  // method value is made; a nil pointer with a value method panics here).
  std::string rv = Expr(recv);
  if (escape::IsInterface(rt))
    Emit(absl::StrCat("if (!(", rv, ").tab) gort::PanicNil(g, ", Pos(n), ");"));
  rv = Temp(rt, rv);
  const std::string w = NewTempName();
  Emit(absl::StrCat("gort::Word ", w, " = gort::New(g, ",
                    SiteRef(n, nullptr, absl::StrCat("&TI_", cs)), ");"));
  const int slot = AllocSlots(1);
  Emit(absl::StrCat(Slot(slot), " = ", w, ";"));
  Emit(absl::StrCat("{ auto* c = reinterpret_cast<", cs, "*>(gort::Addr(", w,
                    ")); c->code = reinterpret_cast<void*>(&", tramp, "); ",
                    StoreStmt("c->recv", rv, rt, true, n->pos), "; }"));
  f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
  return w;
}

// T.M, (*T).M or I.M as a func value: an immortal closure whose code takes
// the receiver as its first argument.
std::string Codegen::MethodExprValue(const Node* n) {
  const Type* rt = n->x->type;
  const Type* ft = n->type;  // func(recv, params...) results
  const std::string key = absl::StrCat(TypeInfo(rt), ".", n->str);
  auto it = method_expr_values_.find(key);
  if (it != method_expr_values_.end()) return it->second;
  const int k = static_cast<int>(method_expr_values_.size());
  const std::string name = absl::StrCat("MEV", k), tramp = absl::StrCat("ME", k);
  method_expr_values_[key] = name;
  std::string params, args;
  for (size_t i = 1; i < ft->fields.size(); ++i) {
    absl::StrAppend(&params, ", ", CType(ft->fields[i].type), " a", i);
    absl::StrAppend(&args, ", a", i);
  }
  std::string call;
  if (escape::IsInterface(rt)) {
    call = absl::StrCat("return reinterpret_cast<",
                        FuncPtrType(Under(rt)->methods[IfaceMethodIndex(rt, n->str)].sig, true),
                        ">(gort::ITab(g, r, nullptr)->fun[", IfaceMethodIndex(rt, n->str),
                        "])(g, r.data", args, ");");
  } else {
    escape::Selection sel = escape::LookupFieldOrMethod(rt, n->str);
    const bool rt_ptr = rt->kind != Kind::kNamed && Under(rt)->kind == Kind::kPointer;
    if (sel.kind != escape::Selection::Kind::kMethod || !sel.path.empty() || n->fn == nullptr ||
        n->fn->external) {
      Unsupported(n->pos, absl::StrCat("method expression ", escape::ExprString(n)));
      return "0";
    }
    std::string recv = "r";
    if (rt_ptr && !sel.method->ptr_recv)
      recv = absl::StrCat("*reinterpret_cast<", CType(Under(rt)->elem),
                          "*>(gort::Deref(g, r, nullptr))");
    call = absl::StrCat("return ", FuncCName(n->fn), "(g, ", recv, args, ");");
  }
  absl::StrAppend(&protos_, "gort::Word ", name, ";\n");
  absl::StrAppend(&wrappers_, ResultType(ft), " ", tramp, "(gort::G* g, gort::Word ctx, ",
                  CType(rt), " r", params, ") { ", call, " }\n");
  absl::StrAppend(&init_, "  ", name, " = gort::StaticFunc(g, reinterpret_cast<void*>(&", tramp,
                  "));\n");
  return name;
}

// ---------------------------------------------------------------- globals, init

void Codegen::GenGlobals() {
  Type* st = prog_->types.New(Kind::kStruct);
  int64_t off = 0;
  for (const Obj* o : prog_->globals) {
    if (o->type == nullptr) continue;
    global_index_[o] = static_cast<int>(st->fields.size());
    escape::Field f;
    f.name = absl::StrCat("g", st->fields.size());
    f.type = o->type;
    st->fields.push_back(f);
    const int64_t a = escape::Align(o->type);
    off = (off + a - 1) / a * a;
    global_offsets_.push_back(off);
    off += SizeOf(o->type);
  }
  if (SizeOf(st) == 0) {
    absl::StrAppend(&protos_, "struct GSEmpty {};\nGSEmpty* GL = nullptr;\ngort::Word GLW = 0;\n");
    return;
  }
  const std::string cs = CType(st);
  const std::string ti = TypeInfo(st);
  absl::StrAppend(&protos_, cs, "* GL = nullptr;  // the globals object's payload\n",
                  "gort::Word GLW = 0;\n");
  absl::StrAppend(&globals_init_, "  GLW = gort::NewGlobals(g, ", ti,
                  ");\n  GL = reinterpret_cast<", cs, "*>(gort::Addr(GLW));\n");
}

void Codegen::GenProgramInit() {
  // Package initialization: the variables in Go's order, then init()s.
  FuncState fs;
  fs.fn = nullptr;
  fs.cname = "PkgInit";
  fs.result_type = "void";
  f_ = &fs;
  for (const Node* s : prog_->var_inits) Stmt(s);
  for (const Func* f : funcs_)
    if (f->name == "init" && f->decl != nullptr && f->outer == nullptr)
      Emit(absl::StrCat(FuncCName(f), "(g);"));
  std::string pro = "  gort::CheckStack(g);\n";
  if (fs.max_slot > 0 || fs.may_stack_allocate) {
    absl::StrAppend(&protos_, "const gclab::TypeDescriptor* FD_PkgInit;\n");
    absl::StrAppend(&init_, "  FD_PkgInit = gclab::MakeRecordType(\"frame of main.init\", ",
                    fs.max_slot, ", 0);\n");
    absl::StrAppend(&pro, "  gort::Frame<", fs.max_slot, "> fr(g, FD_PkgInit);\n");
  }
  absl::StrAppend(&funcs_out_, "void PkgInit(gort::G* g) {\n", pro, fs.body, "}\n\n");
  f_ = nullptr;
  init_ = absl::StrCat(init_, globals_init_, const_box_init_, "  PkgInit(g);\n");
}

}  // namespace gclab::gocompile
