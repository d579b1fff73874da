// Statements: assignments, control flow, loops (with per-iteration stack
// scopes), switches, select, return, go and defer.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

using escape::Under;

namespace {

bool IsBlank(const Node* n) { return n == nullptr || (n->op == Op::kName && n->obj == nullptr); }

template <typename F>
void Walk(const Node* n, F& f) {
  if (n == nullptr) return;
  if (!f(n)) return;
  for (const Node* c : n->init) Walk(c, f);
  Walk(n->x, f);
  if (n->op != Op::kMethValue) Walk(n->y, f);
  Walk(n->z, f);
  Walk(n->w, f);
  for (const Node* c : n->list) Walk(c, f);
  for (const Node* c : n->list2) Walk(c, f);
}

}  // namespace

bool Codegen::ContainsDefer(const Node* body) {
  bool found = false;
  auto f = [&](const Node* n) {
    if (n->op == Op::kClosure) return false;  // other functions
    if (n->op == Op::kDeferStmt) found = true;
    return !found;
  };
  Walk(body, f);
  return found;
}

bool Codegen::ContainsRecover(const Node* body) {
  bool found = false;
  auto f = [&](const Node* n) {
    if (n->op == Op::kClosure) return false;
    if (n->op == Op::kRecover) found = true;
    return !found;
  };
  Walk(body, f);
  return found;
}

// Whether a loop body (not counting closures) can allocate on the stack
// under some analysis: then each iteration gets a LoopScope. Loops with a
// defer keep their records until the function returns (no scope).
bool Codegen::LoopNeedsScope(const Node* body) {
  bool stack = false, defer = false;
  auto f = [&](const Node* n) {
    if (n->op == Op::kClosure) {
      stack |= SiteBits(n, nullptr) != 0;
      return false;
    }
    if (n->op == Op::kDeferStmt) defer = true;
    if (n->op == Op::kDcl && n->obj != nullptr) stack |= SiteBits(nullptr, n->obj) != 0;
    stack |= SiteBits(n, nullptr) != 0;
    return true;
  };
  Walk(body, f);
  return stack && !defer;
}

void Codegen::Emit(const std::string& line) {
  f_->body.append(static_cast<size_t>(f_->indent) * 2, ' ');
  f_->body += line;
  f_->body += '\n';
}

std::string Codegen::NewTempName() { return absl::StrCat("t", f_->temps++); }

std::string Codegen::NewLabel(const char* what) { return absl::StrCat("L", what, f_->labels++); }

void Codegen::Stmts(const std::vector<Node*>& l) {
  for (const Node* s : l) Stmt(s);
}

// A block: its variables' frame words are free again at its end.
void Codegen::Block(const std::vector<Node*>& l) {
  const int mark = f_->next_slot;
  Emit("{");
  ++f_->indent;
  Stmts(l);
  --f_->indent;
  Emit("}");
  f_->next_slot = mark;
}

void Codegen::Stmt(const Node* n) {
  if (n == nullptr) return;
  // A label names the loop, switch or select that follows it.
  if (n->op == Op::kForStmt || n->op == Op::kRangeStmt || n->op == Op::kSwitchStmt ||
      n->op == Op::kTypeSwitchStmt || n->op == Op::kSelectStmt) {
    f_->stmt_label = std::exchange(f_->pending_label, "");
  }
  // Declarations of the statement's init persist to the end of the
  // enclosing block; its temporaries are free again after it.
  if (n->op != Op::kIfStmt && n->op != Op::kForStmt && n->op != Op::kSwitchStmt &&
      n->op != Op::kTypeSwitchStmt) {
    for (const Node* i : n->init) Stmt(i);
  }
  const int mark = f_->next_slot;
  const bool temps_scope = n->op != Op::kDcl && n->op != Op::kLabel;
  if (temps_scope) {
    Emit("{");
    ++f_->indent;
  }
  switch (n->op) {
    case Op::kDcl:
      DeclareVar(n->obj, "");
      break;
    case Op::kAs:
      if (IsBlank(n->x)) {
        if (n->y != nullptr) Emit(absl::StrCat("(void)(", Expr(n->y), ");"));
      } else if (n->y == nullptr) {
        StoreTo(n->x, ZeroValue(n->x->type), n->x->type);
      } else if (n->x->op == Op::kIndexMap) {
        // m[k] = v: key, then value, then the assignment.
        MapAssign(n->x, n->y);
      } else {
        Place target = PrepareLhs(n->x);
        std::string v = ExprAs(n->y, n->x->type);
        StoreToPrepared(n->x, target, v, n->x->type);
      }
      break;
    case Op::kAsOp:
      OpAssign(n);
      break;
    case Op::kAs2: {
      std::vector<Place> lhs;
      for (const Node* l : n->list)
        lhs.push_back(IsBlank(l)               ? Place{}
                      : l->op == Op::kIndexMap ? PrepareMapLhs(l)
                                               : PrepareLhs(l));
      std::vector<std::string> vals;
      for (size_t i = 0; i < n->list2.size(); ++i) {
        const Type* t = IsBlank(n->list[i]) ? n->list2[i]->type : n->list[i]->type;
        vals.push_back(Temp(t, ExprAs(n->list2[i], t)));
      }
      for (size_t i = 0; i < n->list.size(); ++i)
        if (!IsBlank(n->list[i])) StoreToPrepared(n->list[i], lhs[i], vals[i], n->list[i]->type);
      break;
    }
    case Op::kAs2Func: {
      std::string t = Expr(n->x);  // a tuple temporary
      for (size_t i = 0; i < n->list.size(); ++i) {
        const Node* l = n->list[i];
        if (IsBlank(l)) continue;
        const Type* vt = Under(n->x->type)->fields[i].type;
        StoreTo(l, ConvertValue(absl::StrCat(t, ".r", i), vt, l->type, n->pos), l->type);
      }
      break;
    }
    case Op::kAs2DotType:
    case Op::kAs2MapR:
    case Op::kAs2Recv: {
      std::string ok;
      std::string v;
      const Type* vt;
      if (n->op == Op::kAs2DotType) {
        v = TypeAssert(n->x, &ok);
        vt = n->x->w->type;
      } else if (n->op == Op::kAs2MapR) {
        v = MapIndex(n->x, true, &ok);
        vt = Under(n->x->x->type)->elem;
      } else {
        v = Recv(n->x, &ok);
        vt = Under(n->x->x->type)->elem;
      }
      if (!IsBlank(n->list[0]))
        StoreTo(n->list[0], ConvertValue(v, vt, n->list[0]->type, n->pos), n->list[0]->type);
      if (n->list.size() > 1 && !IsBlank(n->list[1])) StoreTo(n->list[1], ok, n->list[1]->type);
      break;
    }
    case Op::kIfStmt: {
      for (const Node* i : n->init) Stmt(i);
      std::string c = Expr(n->x);
      Emit(absl::StrCat("if (", c, ") {"));
      ++f_->indent;
      Block(n->y->list);
      --f_->indent;
      if (n->z != nullptr) {
        Emit("} else {");
        ++f_->indent;
        Block(n->z->list);
        --f_->indent;
      }
      Emit("}");
      break;
    }
    case Op::kForStmt:
      For(n);
      break;
    case Op::kRangeStmt:
      Range(n);
      break;
    case Op::kSwitchStmt:
      Switch(n);
      break;
    case Op::kTypeSwitchStmt:
      TypeSwitch(n);
      break;
    case Op::kSelectStmt:
      Select(n);
      break;
    case Op::kReturnStmt:
      Return(n);
      break;
    case Op::kGoStmt:
    case Op::kDeferStmt:
      GoDefer(n);
      break;
    case Op::kLabel: {
      f_->pending_label = n->str;
      Emit(absl::StrCat("L_", n->str, ":;"));
      break;
    }
    case Op::kGoto:
      Emit(absl::StrCat("goto L_", n->str, ";"));
      break;
    case Op::kBreak:
    case Op::kContinue: {
      const bool brk = n->op == Op::kBreak;
      const FuncState::Target* target = nullptr;
      for (auto it = f_->targets.rbegin(); it != f_->targets.rend(); ++it) {
        if (!n->str.empty() ? it->go_label == n->str : (brk || it->is_loop)) {
          if (!brk && !it->is_loop) continue;
          target = &*it;
          break;
        }
      }
      if (target == nullptr) {
        Unsupported(n->pos, "break/continue target");
        break;
      }
      Emit(absl::StrCat("goto ", brk ? target->brk : target->cont, ";"));
      break;
    }
    case Op::kFallthrough:  // the switch emits [[fallthrough]] after the case's block
      break;
    case Op::kBlockStmt:
      Block(n->list);
      break;
    case Op::kCallStmt: {
      std::string v = n->x->op == Op::kRecv ? Recv(n->x, nullptr) : Expr(n->x);
      if (!v.empty() && v != "void") Emit(absl::StrCat("(void)(", v, ");"));
      break;
    }
    case Op::kSendStmt:
      Send(n);
      break;
    case Op::kUnsupported:
      Error(n->pos, n->str);
      break;
    default:
      Unsupported(n->pos, absl::StrCat("statement (op ", static_cast<int>(n->op), ")"));
      break;
  }
  if (temps_scope) {
    --f_->indent;
    Emit("}");
  }
  f_->next_slot = std::max(mark, n->op == Op::kDcl ? f_->next_slot : mark);
  if (n->op != Op::kLabel) f_->pending_label.clear();
}

// x op= y: the location of x is computed once.
void Codegen::OpAssign(const Node* n) {
  const Node* x = n->x;
  const Type* t = x->type;
  Place prep = x->op == Op::kIndexMap ? PrepareMapLhs(x) : PrepareLhs(x);
  std::string cur = LhsValue(x, prep);
  std::string y = Expr(n->y);
  std::string v;
  if (escape::IsString(t)) {
    const std::string parts = NewTempName();
    Emit(absl::StrCat("gort::String ", parts, "[2] = {", cur, ", ", y, "};"));
    v = absl::StrCat("gort::Concat(g, ", SiteRef(n, nullptr, "&gort::kTypeUint8"), ", ", parts,
                     ", 2)");
    f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
  } else {
    v = ArithOp(n->str, cur, y, t, n->y->type, n->pos);
  }
  StoreToPrepared(x, prep, v, t);
}

// ---------------------------------------------------------------- loops

void Codegen::LoopBegin(const std::string& label, const std::string& brk, const std::string& cont,
                        const Node* body, std::string* scope_placeholder) {
  f_->loop_marks.push_back({f_->next_slot, f_->high_water});
  f_->high_water = f_->next_slot;
  FuncState::Target t;
  t.go_label = label;
  t.brk = brk;
  t.cont = cont;
  t.is_loop = true;
  f_->targets.push_back(t);
  if (LoopNeedsScope(body)) {
    *scope_placeholder = absl::StrCat("@LOOPSCOPE", f_->labels++, "@");
    Emit(*scope_placeholder);
  }
}

void Codegen::LoopEnd(const std::string& placeholder) {
  f_->targets.pop_back();
  const auto [first_slot, saved_high_water] = f_->loop_marks.back();
  f_->loop_marks.pop_back();
  const int high_water = std::max(f_->high_water, f_->next_slot);
  f_->high_water = std::max(saved_high_water, high_water);
  if (placeholder.empty()) return;
  const int n = std::max(0, high_water - first_slot);
  std::string scope = n > 0
                          ? absl::StrCat("gort::LoopScope ls(g, &fr.w[", first_slot, "], ", n, ");")
                          : "gort::LoopScope ls(g, nullptr, 0);";
  absl::StrReplaceAll({{placeholder, scope}}, &f_->body);
  f_->may_stack_allocate = true;
}

void Codegen::For(const Node* n) {
  const std::string label = std::exchange(f_->stmt_label, "");
  for (const Node* i : n->init) Stmt(i);
  const std::string brk = NewLabel("brk"), cont = NewLabel("cont");
  Emit("for (;;) {");
  ++f_->indent;
  const int first = f_->next_slot;
  std::string ph;
  LoopBegin(label, brk, cont, n, &ph);
  if (n->x != nullptr) {
    Emit("{");
    ++f_->indent;
    std::string c = Expr(n->x);
    Emit(absl::StrCat("if (!(", c, ")) break;"));
    --f_->indent;
    Emit("}");
    f_->next_slot = first;
  }
  Block(n->w->list);
  Emit(absl::StrCat(cont, ":;"));
  Emit("gort::Poll(g);");
  if (n->y != nullptr) Stmt(n->y);
  LoopEnd(ph);
  --f_->indent;
  Emit("}");
  Emit(absl::StrCat(brk, ":;"));
  f_->next_slot = first;
}

void Codegen::Range(const Node* n) {
  const std::string label = std::exchange(f_->stmt_label, "");
  const Node* x = n->x;
  const Type* xt = Under(x->type);
  const Node* key = n->list.size() > 0 ? n->list[0] : nullptr;
  const Node* val = n->list.size() > 1 ? n->list[1] : nullptr;
  // Variables declared by the range statement (one per loop, Go 1.19).
  for (const Node* l : {key, val})
    if (l != nullptr && l->op == Op::kName && l->obj != nullptr && l->obj->defn == n &&
        !vars_.count(l->obj))
      DeclareVar(l->obj, "");
  const std::string brk = NewLabel("brk"), cont = NewLabel("cont");
  auto assign = [&](const Node* l, const std::string& v, const Type* vt) {
    if (IsBlank(l)) return;
    StoreTo(l, ConvertValue(v, vt, l->type, n->pos), l->type);
  };
  std::string r = Expr(x);
  if (xt->kind == Kind::kPointer && Under(xt->elem)->kind == Kind::kArray) {
    // Range over *[N]T: the pointer is evaluated once.
    const Type* at = Under(xt->elem);
    r = Temp(x->type, r);
    const std::string i = NewTempName();
    Emit(absl::StrCat("for (int64_t ", i, " = 0; ", i, " < ", at->len, "; ++", i, ") {"));
    ++f_->indent;
    std::string ph;
    LoopBegin(label, brk, cont, n->w, &ph);
    assign(key, i, escape::U().int_t);
    if (!IsBlank(val))
      assign(val,
             absl::StrCat("reinterpret_cast<", CType(at), "*>(gort::Deref(g, ", r, ", ", Pos(n),
                          "))->v[", i, "]"),
             at->elem);
    Block(n->w->list);
    Emit(absl::StrCat(cont, ":;"));
    Emit("gort::Poll(g);");
    LoopEnd(ph);
    --f_->indent;
    Emit("}");
  } else if (xt->kind == Kind::kSlice || xt->kind == Kind::kArray) {
    // The slice header (or the array, if its values are used) is copied.
    r = Temp(x->type, r);
    const std::string i = NewTempName(), len = NewTempName();
    Emit(absl::StrCat("const int64_t ", len, " = ",
                      xt->kind == Kind::kSlice ? absl::StrCat(r, ".len") : absl::StrCat(xt->len),
                      ";"));
    Emit(absl::StrCat("for (int64_t ", i, " = 0; ", i, " < ", len, "; ++", i, ") {"));
    ++f_->indent;
    std::string ph;
    LoopBegin(label, brk, cont, n->w, &ph);
    assign(key, i, escape::U().int_t);
    if (!IsBlank(val)) {
      std::string e = xt->kind == Kind::kSlice
                          ? absl::StrCat("gort::SliceData<", CType(xt->elem), ">(", r, ")[", i, "]")
                          : absl::StrCat(r, ".v[", i, "]");
      assign(val, e, xt->elem);
    }
    Block(n->w->list);
    Emit(absl::StrCat(cont, ":;"));
    Emit("gort::Poll(g);");
    LoopEnd(ph);
    --f_->indent;
    Emit("}");
  } else if (xt->kind == Kind::kString) {
    r = Temp(x->type, r);
    const std::string i = NewTempName(), next = NewTempName(), rn = NewTempName();
    Emit(absl::StrCat("for (int64_t ", i, " = 0, ", next, " = 0; ", i, " < ", r, ".len; ", i, " = ",
                      next, ") {"));
    ++f_->indent;
    std::string ph;
    LoopBegin(label, brk, cont, n->w, &ph);
    Emit(absl::StrCat("int32_t ", rn, "; ", next, " = gort::DecodeRune(", r, ", ", i, ", &", rn,
                      ");"));
    assign(key, i, escape::U().int_t);
    assign(val, rn, escape::U().rune_t);
    Block(n->w->list);
    Emit(absl::StrCat(cont, ":;"));
    Emit("gort::Poll(g);");
    LoopEnd(ph);
    --f_->indent;
    Emit("}");
  } else if (xt->kind == Kind::kMap) {
    r = Temp(x->type, r);
    const std::string it = NewTempName();
    const int slots = AllocSlots(3);
    Emit(absl::StrCat("gort::MapIter ", it, "; gort::MapIterInit(g, &", it, ", ", r, "); ",
                      Slot(slots), " = ", it, ".map; ", Slot(slots + 1), " = ", it, ".entries; ",
                      Slot(slots + 2), " = ", it, ".ctrl;"));
    Emit(absl::StrCat("while (gort::MapIterNext(g, &", it, ")) {"));
    ++f_->indent;
    std::string ph;
    LoopBegin(label, brk, cont, n->w, &ph);
    assign(key, absl::StrCat("*reinterpret_cast<const ", CType(xt->key), "*>(", it, ".key)"),
           xt->key);
    if (!IsBlank(val))
      assign(val, absl::StrCat("*reinterpret_cast<const ", CType(xt->elem), "*>(", it, ".value)"),
             xt->elem);
    Block(n->w->list);
    Emit(absl::StrCat(cont, ":;"));
    Emit("gort::Poll(g);");
    LoopEnd(ph);
    --f_->indent;
    Emit("}");
  } else if (xt->kind == Kind::kChan) {
    r = Temp(x->type, r);
    const std::string v = NewTempName();
    const int nptr = static_cast<int>(PtrOffsets(xt->elem).size());
    Emit(absl::StrCat(CType(xt->elem), " ", v, "{};"));
    const int vs = nptr > 0 ? AllocSlots(1) : -1;
    Emit(absl::StrCat("for (;;) {"));
    ++f_->indent;
    std::string ph;
    LoopBegin(label, brk, cont, n->w, &ph);
    Emit(absl::StrCat("if (!gort::ChanRecv(g, ", r, ", &", v, ", ",
                      vs >= 0 ? absl::StrCat("&", Slot(vs)) : "nullptr", ", ", Pos(n),
                      ")) break;"));
    assign(key, v, xt->elem);
    Block(n->w->list);
    Emit(absl::StrCat(cont, ":;"));
    Emit("gort::Poll(g);");
    LoopEnd(ph);
    --f_->indent;
    Emit("}");
  } else {
    Unsupported(n->pos, absl::StrCat("range over ", escape::TypeString(x->type)));
  }
  Emit(absl::StrCat(brk, ":;"));
}

// ---------------------------------------------------------------- switches

void Codegen::Switch(const Node* n) {
  const std::string label = std::exchange(f_->stmt_label, "");
  for (const Node* i : n->init) Stmt(i);
  std::string tag;
  const Type* tagt = nullptr;
  if (n->x != nullptr) {
    tagt = n->x->type;
    tag = Temp(tagt, Expr(n->x));
  }
  const std::string sw = NewTempName(), brk = NewLabel("brk");
  Emit(absl::StrCat("int ", sw, " = -1;"));
  Emit("do {");
  ++f_->indent;
  int default_index = -1;
  for (size_t ci = 0; ci < n->list.size(); ++ci) {
    const Node* c = n->list[ci];
    if (c->is_default) default_index = static_cast<int>(ci);
    for (const Node* e : c->list) {
      Emit("{");
      ++f_->indent;
      std::string cond;
      if (n->x == nullptr && escape::IsInterface(e->type)) {
        // A tagless switch compares each case with true; an interface case
        // holds true only if it holds a bool that is true.
        cond = CompareValues("==", Expr(e), e->type, "true", escape::U().bool_t, e->pos);
      } else if (n->x == nullptr) {
        cond = Expr(e);
      } else {
        cond = CompareValues("==", tag, tagt, Expr(e), e->type, e->pos);
      }
      Emit(absl::StrCat("if (", cond, ") { ", sw, " = ", ci, "; break; }"));
      --f_->indent;
      Emit("}");
    }
  }
  if (default_index >= 0) Emit(absl::StrCat(sw, " = ", default_index, ";"));
  --f_->indent;
  Emit("} while (false);");
  FuncState::Target t;
  t.go_label = label;
  t.brk = brk;
  t.is_loop = false;
  f_->targets.push_back(t);
  Emit(absl::StrCat("switch (", sw, ") {"));
  for (size_t ci = 0; ci < n->list.size(); ++ci) {
    const Node* c = n->list[ci];
    Emit(absl::StrCat("case ", ci, ": {"));
    ++f_->indent;
    const bool falls =
        !c->list2.empty() && c->list2.back() != nullptr && c->list2.back()->op == Op::kFallthrough;
    Block(c->list2);
    if (!falls) Emit(absl::StrCat("goto ", brk, ";"));
    --f_->indent;
    Emit("}");
    if (falls) Emit("[[fallthrough]];");
  }
  Emit("default: break;");
  Emit("}");
  f_->targets.pop_back();
  Emit(absl::StrCat(brk, ":;"));
}

void Codegen::TypeSwitch(const Node* n) {
  const std::string label = std::exchange(f_->stmt_label, "");
  for (const Node* i : n->init) Stmt(i);
  const Type* xt = n->x->type;
  const bool empty = Under(xt)->methods.empty();
  std::string x = Temp(xt, Expr(n->x));
  const std::string e = NewTempName();
  Emit(absl::StrCat("const gort::EFace ", e, " = ",
                    empty ? x : absl::StrCat("gort::ToEFace(", x, ")"), ";"));
  const std::string sw = NewTempName(), brk = NewLabel("brk");
  Emit(absl::StrCat("int ", sw, " = -1;"));
  int default_index = -1;
  std::vector<std::string> conds;
  for (size_t ci = 0; ci < n->list.size(); ++ci) {
    const Node* c = n->list[ci];
    if (c->is_default) default_index = static_cast<int>(ci);
    std::vector<std::string> alts;
    for (const Node* tn : c->list) {
      if (tn->op == Op::kNil) {
        alts.push_back(absl::StrCat(e, ".type == nullptr"));
      } else if (escape::IsInterface(tn->type)) {
        alts.push_back(absl::StrCat("(", e, ".type != nullptr && gort::FindItab(",
                                    TypeInfo(tn->type), ", ", e, ".type) != nullptr)"));
        if (Under(tn->type)->methods.empty()) alts.back() = absl::StrCat(e, ".type != nullptr");
      } else {
        alts.push_back(absl::StrCat(e, ".type == ", TypeInfo(tn->type)));
      }
    }
    if (!alts.empty())
      Emit(absl::StrCat(ci == 0 || conds.empty() ? "" : "else ", "if (",
                        absl::StrJoin(alts, " || "), ") ", sw, " = ", ci, ";"));
    if (!alts.empty()) conds.push_back("x");
  }
  if (default_index >= 0)
    Emit(absl::StrCat(conds.empty() ? "" : "else ", sw, " = ", default_index, ";"));
  FuncState::Target t;
  t.go_label = label;
  t.brk = brk;
  t.is_loop = false;
  f_->targets.push_back(t);
  Emit(absl::StrCat("switch (", sw, ") {"));
  for (size_t ci = 0; ci < n->list.size(); ++ci) {
    const Node* c = n->list[ci];
    Emit(absl::StrCat("case ", ci, ": {"));
    ++f_->indent;
    const int mark = f_->next_slot;
    if (c->obj != nullptr) {
      const Type* vt = c->obj->type;
      std::string v;
      if (c->list.size() == 1 && c->list[0]->op == Op::kType) {
        v = EFaceTo(e, vt);
      } else {
        v = x;
      }
      DeclareVar(c->obj, v);
    }
    Block(c->list2);
    f_->next_slot = mark;
    Emit(absl::StrCat("goto ", brk, ";"));
    --f_->indent;
    Emit("}");
  }
  Emit("default: break;");
  Emit("}");
  f_->targets.pop_back();
  Emit(absl::StrCat(brk, ":;"));
}

// The value of type t held by the interface e (an EFace whose dynamic type
// is known to be t, or that t is an interface e implements).
std::string Codegen::EFaceTo(const std::string& e, const Type* t) {
  if (escape::IsInterface(t)) {
    if (Under(t)->methods.empty()) return e;
    return absl::StrCat("gort::IFace{", e, ".type ? gort::FindItab(", TypeInfo(t), ", ", e,
                        ".type) : nullptr, ", e, ".data}");
  }
  if (SizeOf(t) == 0) return "gort::Empty{}";
  if (escape::IsDirectIface(t)) return absl::StrCat("gort::BitCast<", CType(t), ">(", e, ".data)");
  return absl::StrCat("(*reinterpret_cast<", CType(t), "*>(gort::Addr(", e, ".data)))");
}

// ---------------------------------------------------------------- select

void Codegen::Select(const Node* n) {
  const std::string label = std::exchange(f_->stmt_label, "");
  const std::string cases = NewTempName(), sw = NewTempName(), brk = NewLabel("brk");
  const size_t nc = n->list.size();
  int default_index = -1;
  std::vector<std::string> bufs(nc), okv(nc);
  Emit(absl::StrCat("gort::SelectCase ", cases, "[", std::max<size_t>(nc, 1), "] = {};"));
  int ncases = 0;
  std::vector<int> case_of(nc, -1);
  for (size_t ci = 0; ci < nc; ++ci) {
    const Node* c = n->list[ci];
    if (c->x == nullptr) {
      default_index = static_cast<int>(ci);
      continue;
    }
    const Node* comm = c->x;
    const int k = ncases++;
    case_of[ci] = k;
    if (comm->op == Op::kSendStmt) {
      const Type* et = Under(comm->x->type)->elem;
      std::string ch = Temp(comm->x->type, Expr(comm->x));
      std::string v = Temp(et, ExprAs(comm->y, et));
      bufs[ci] = v;
      Emit(absl::StrCat(cases, "[", k, "] = {", ch, ", true, &", v, "};"));
    } else {
      // kAs2Recv: list = (v, ok), x = kRecv.
      const Node* recv = comm->x;
      const Type* et = Under(recv->x->type)->elem;
      std::string ch = Temp(recv->x->type, Expr(recv->x));
      const std::string b = NewTempName();
      Emit(absl::StrCat(CType(et), " ", b, "{};"));
      if (!PtrOffsets(et).empty()) {
        const int s = AllocSlots(1);
        Emit(absl::StrCat(cases, "[", k, "].root = &", Slot(s), ";"));
      }
      bufs[ci] = b;
      Emit(absl::StrCat(cases, "[", k, "].chan = ", ch, "; ", cases, "[", k, "].send = false; ",
                        cases, "[", k, "].elem = &", b, ";"));
    }
  }
  Emit(absl::StrCat("bool ", sw, "_ok = false;"));
  Emit(absl::StrCat("const int ", sw, " = gort::Select(g, ", cases, ", ", ncases, ", ",
                    default_index >= 0 ? "true" : "false", ", &", sw, "_ok, ", Pos(n), ");"));
  FuncState::Target t;
  t.go_label = label;
  t.brk = brk;
  t.is_loop = false;
  f_->targets.push_back(t);
  Emit(absl::StrCat("switch (", sw, ") {"));
  for (size_t ci = 0; ci < nc; ++ci) {
    const Node* c = n->list[ci];
    Emit(absl::StrCat("case ", c->x == nullptr ? -1 : case_of[ci], ": {"));
    ++f_->indent;
    if (c->x != nullptr && c->x->op == Op::kAs2Recv) {
      const Node* comm = c->x;
      for (const Node* i : comm->init) Stmt(i);
      const Type* et = Under(comm->x->x->type)->elem;
      if (!IsBlank(comm->list[0]))
        StoreTo(comm->list[0], ConvertValue(bufs[ci], et, comm->list[0]->type, comm->pos),
                comm->list[0]->type);
      if (comm->list.size() > 1 && !IsBlank(comm->list[1]))
        StoreTo(comm->list[1], absl::StrCat(sw, "_ok"), comm->list[1]->type);
    }
    Block(c->list2);
    Emit(absl::StrCat("goto ", brk, ";"));
    --f_->indent;
    Emit("}");
  }
  Emit("default: break;");
  Emit("}");
  f_->targets.pop_back();
  Emit(absl::StrCat(brk, ":;"));
}

// ---------------------------------------------------------------- return

void Codegen::Return(const Node* n) {
  const Func* fn = f_->fn;
  if (fn == nullptr) {
    Emit("return;");
    return;
  }
  const Type* sig = fn->sig;
  if (n->list.empty()) {
    Emit(f_->has_defer ? "goto Lret;" : absl::StrCat("return ", ResultsValue(), ";"));
    return;
  }
  std::vector<std::string> vals;
  for (size_t i = 0; i < n->list.size(); ++i) {
    const Type* rt = sig->results[i].type;
    std::string v = ExprAs(n->list[i], rt);
    if (n->list.size() > 1 || f_->has_defer) v = Temp(rt, v);
    vals.push_back(v);
  }
  if (f_->has_defer) {
    for (size_t i = 0; i < vals.size(); ++i) {
      const Obj* r = fn->results[i];
      Emit(StoreStmt(VarRef(r), vals[i], r->type, vars_[r].storage != Storage::kLocal, n->pos) +
           ";");
      MirrorVar(r);
    }
    Emit("goto Lret;");
    return;
  }
  if (vals.size() == 1) {
    Emit(absl::StrCat("return ", vals[0], ";"));
  } else {
    Emit(absl::StrCat("return ", f_->result_type, "{", absl::StrJoin(vals, ", "), "};"));
  }
}

// ---------------------------------------------------------------- go, defer

void Codegen::GoDefer(const Node* n) {
  const bool is_go = n->op == Op::kGoStmt;
  const Node* call = n->x;
  for (const Node* i : call->init) Stmt(i);
  // Evaluate the callee and the arguments now (Go's rule for go and defer),
  // into a record the deferred call or the new goroutine reads.
  CallParts parts = EvalCallParts(call, /*all_temps=*/true);
  const int k = thunk_count_++;
  const std::string ts = absl::StrCat("TS", k);
  std::string def = absl::StrCat("struct ", ts, " {\n");
  if (is_go) absl::StrAppend(&def, "  void* code;\n");
  std::vector<std::string> ptrs;
  for (size_t i = 0; i < parts.values.size(); ++i) {
    absl::StrAppend(&def, "  ", CType(parts.types[i]), " v", i, ";\n");
    for (uint32_t o : PtrOffsets(parts.types[i]))
      ptrs.push_back(absl::StrCat("offsetof(", ts, ", v", i, ") + ", o));
  }
  if (parts.values.empty() && !is_go) absl::StrAppend(&def, "  char unused;\n");
  absl::StrAppend(&def, "};\n");
  types_ += def;
  // The call made from the record's fields.
  std::vector<std::string> fields;
  for (size_t i = 0; i < parts.values.size(); ++i) fields.push_back(absl::StrCat("c->v", i));
  FuncState thunk;
  thunk.fn = f_->fn;
  FuncState* saved = f_;
  f_ = &thunk;
  std::string call_expr = CallFromParts(call, parts, fields);
  std::string thunk_body = thunk.body;
  f_ = saved;
  const std::string code = absl::StrCat("TC", k);
  if (is_go) {
    absl::StrAppend(&wrappers_, "void ", code,
                    "(gort::G* g, gort::Word ctx) {\n  gort::CheckStack(g);\n",
                    "  auto* c = reinterpret_cast<", ts, "*>(gort::Addr(ctx));\n", thunk_body, "  ",
                    call_expr, ";\n}\n");
  } else {
    absl::StrAppend(
        &wrappers_, "void ", code, "(gort::G* g, char* args) {\n  gort::CheckStack(g);\n",
        "  auto* c = reinterpret_cast<", ts, "*>(args);\n", thunk_body, "  ", call_expr, ";\n}\n");
  }
  absl::StrAppend(&protos_, "extern gort::Type TI_", ts, ";\n");
  if (!ptrs.empty())
    absl::StrAppend(&typeinfo_, "const uint32_t TI_", ts, "_ptrs[] = {", absl::StrJoin(ptrs, ", "),
                    "};\n");
  absl::StrAppend(
      &typeinfo_, "gort::Type TI_", ts, " = {.kind = gort::Kind::kStruct, .size = sizeof(", ts,
      "), .align = 8, .name = \"", is_go ? "go" : "defer", " record\", .pkgpath = \"\", .ptrs = ",
      ptrs.empty() ? "nullptr" : absl::StrCat("TI_", ts, "_ptrs"), ", .nptrs = ", ptrs.size(),
      "};\n");
  if (is_go) {
    absl::StrAppend(&init_, "  gort::InitType(&TI_", ts, ");\n");
    const std::string w = NewTempName();
    Emit(absl::StrCat("gort::Word ", w, " = gort::NewHeap(g, &TI_", ts, ");"));
    Emit(absl::StrCat("{ auto* c = reinterpret_cast<", ts, "*>(gort::Addr(", w,
                      ")); c->code = reinterpret_cast<void*>(&", code, ");"));
    for (size_t i = 0; i < parts.values.size(); ++i)
      Emit(absl::StrCat(
          "  ", StoreStmt(absl::StrCat("c->v", i), parts.values[i], parts.types[i], true, n->pos),
          ";"));
    Emit("}");
    Emit(absl::StrCat("gort::Go(g, ", w, ");"));
  } else {
    const std::string desc = absl::StrCat("DD", k);
    absl::StrAppend(&protos_, "const gclab::TypeDescriptor* ", desc, ";\n");
    absl::StrAppend(&init_, "  ", desc, " = gort::DeferDescriptor(&TI_", ts, ");\n");
    Emit(absl::StrCat("{ auto* c = reinterpret_cast<", ts, "*>(dl.Push(g, &", code, ", ", desc,
                      ", sizeof(", ts, ")));"));
    for (size_t i = 0; i < parts.values.size(); ++i)
      Emit(absl::StrCat(
          "  ", StoreStmt(absl::StrCat("c->v", i), parts.values[i], parts.types[i], false, n->pos),
          ";"));
    Emit("}");
    f_->may_stack_allocate = true;
  }
}

}  // namespace gclab::gocompile
