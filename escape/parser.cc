#include "escape/parser.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escape/lexer.h"
#include "escape/stack_guard.h"

namespace gclab::escape {
namespace {

constexpr size_t kNoMatch = static_cast<size_t>(-1);

class Parser {
 public:
  Parser(absl::string_view filename, LexResult lex, Program* prog, double stack_fraction)
      : filename_(filename),
        toks_(std::move(lex.tokens)),
        pragmas_(std::move(lex.pragmas)),
        prog_(prog),
        budget_(stack_fraction) {}

  absl::Status File(ParsedFile* out) {
    out_ = out;
    if (!Is("package")) {
      Unexpected("package");
      return err_;
    }
    Next();
    Node* name = Ident();
    if (!ok()) return err_;
    out->package = name->str;
    Semi();
    while (ok() && Is("import")) {
      Next();
      if (Is("(")) {
        Next();
        while (ok() && !Is(")")) {
          ImportLine();
          if (ok() && !Is(")")) Semi();
        }
        Want(")");
      } else {
        ImportLine();
      }
      if (ok()) Semi();
    }
    while (ok() && tok().kind != TokKind::kEOF) {
      if (Is("func")) {
        Node* f = FuncDecl();
        if (f != nullptr) out->decls.push_back(f);
      } else if (Is("var") || Is("const") || Is("type")) {
        Decl(&out->decls);
      } else if (Is("import")) {
        Error(tok().pos, "syntax error: imports must appear before other declarations");
      } else {
        Error(tok().pos, "syntax error: non-declaration statement outside function body");
      }
      last_decl_line_ = toks_[p_ > 0 ? p_ - 1 : 0].pos.line;
      if (ok() && tok().kind != TokKind::kEOF) Semi();
    }
    return err_;
  }

 private:
  // ---------------------------------------------------------- tokens
  const Token& tok() const { return toks_[p_]; }
  const Token& peek(size_t k = 1) const { return toks_[std::min(p_ + k, toks_.size() - 1)]; }
  static bool TokIs(const Token& t, absl::string_view s) {
    return (t.kind == TokKind::kOp || t.kind == TokKind::kKeyword) && t.text == s;
  }
  bool Is(absl::string_view s) const { return TokIs(tok(), s); }
  bool IsIdent() const { return tok().kind == TokKind::kIdent; }
  void Next() {
    if (p_ + 1 < toks_.size()) ++p_;
  }
  bool ok() const { return err_.ok(); }

  std::nullptr_t Error(Pos pos, absl::string_view msg) {
    if (err_.ok()) err_ = absl::InvalidArgumentError(PosMessage(filename_, pos, msg));
    return nullptr;
  }
  std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokKind::kEOF:
        return "EOF";
      case TokKind::kIdent:
        return "name " + t.text;
      case TokKind::kKeyword:
        return "keyword " + t.text;
      case TokKind::kOp:
        if (t.auto_semi) return "newline";
        return t.text;
      default:
        return "literal " + t.text;
    }
  }
  std::nullptr_t Unexpected(absl::string_view expecting) {
    return Error(tok().pos, absl::StrCat("syntax error: unexpected ", Describe(tok()),
                                         expecting.empty() ? "" : ", expecting ", expecting));
  }
  bool Want(absl::string_view s) {
    if (!ok()) return false;
    if (!Is(s)) {
      Unexpected(s);
      return false;
    }
    Next();
    return true;
  }
  void Semi() {
    if (!ok()) return;
    if (Is(";")) {
      Next();
      return;
    }
    if (Is(")") || Is("}")) return;
    Unexpected("semicolon or newline");
  }
  Node* New(Op op, Pos pos) { return prog_->NewNode(op, pos); }

  // Guards every recursive descent step: an input nested deeper than the
  // stack allows is a positioned error.
  bool TooDeep() {
    if (!budget_.Exhausted()) return false;
    Error(tok().pos, "syntax error: nesting too deep (stack exhausted)");
    return true;
  }

  // Index of the "}" matching the "{" at token index `open`.
  size_t MatchingBrace(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < toks_.size(); ++i) {
      if (TokIs(toks_[i], "{")) {
        ++depth;
      } else if (TokIs(toks_[i], "}")) {
        if (--depth == 0) return i;
      }
    }
    return kNoMatch;
  }

  // ---------------------------------------------------------- declarations
  Node* Ident() {
    if (!ok()) return nullptr;
    if (!IsIdent()) return Unexpected("name");
    Node* n = New(Op::kIdent, tok().pos);
    n->str = tok().text;
    Next();
    return n;
  }

  void ImportLine() {
    ImportSpec s;
    if (IsIdent() || Is(".")) {
      s.name = tok().text;
      Next();
    }
    if (tok().kind != TokKind::kString) {
      Unexpected("import path");
      return;
    }
    const std::string& t = tok().text;
    s.path = t.substr(1, t.size() - 2);
    s.pos = tok().pos;
    Next();
    out_->imports.push_back(s);
  }

  void Decl(std::vector<Node*>* out) {
    std::string kw = tok().text;
    Pos kwpos = tok().pos;
    Next();
    if (Is("(")) {
      Next();
      Node* prev = nullptr;
      int iota = 0;
      while (ok() && !Is(")")) {
        Node* d = Spec(kw, kwpos, prev, iota++);
        if (d == nullptr) return;
        out->push_back(d);
        prev = d;
        if (!Is(")")) Semi();
      }
      Want(")");
    } else {
      Node* d = Spec(kw, kwpos, nullptr, 0);
      if (d != nullptr) out->push_back(d);
    }
  }

  // After "type Name [": a type parameter list (not an array length)?
  bool StartsTypeParams() const {
    if (peek(1).kind != TokKind::kIdent) return false;
    const Token& t = peek(2);
    if (t.kind == TokKind::kIdent) return true;
    for (absl::string_view s : {"[", "(", "func", "map", "chan", "struct", "interface", "~", ","})
      if (TokIs(t, s)) return true;
    return TokIs(t, "*") && peek(3).kind == TokKind::kIdent &&
           (TokIs(peek(4), ",") || TokIs(peek(4), "]"));
  }

  Node* Spec(const std::string& kw, Pos kwpos, Node* prev, int iota) {
    if (kw == "type") {
      Node* name = Ident();
      if (name == nullptr) return nullptr;
      Node* d = New(Op::kTypeDecl, name->pos);
      d->str = name->str;
      if (Is("[") && StartsTypeParams()) {
        Next();
        d->list = TypeParams();
        if (!ok()) return nullptr;
      }
      if (Is("=")) {
        d->def = true;  // alias
        Next();
      }
      d->x = Type();
      return ok() ? d : nullptr;
    }
    Node* d = New(kw == "var" ? Op::kVarDecl : Op::kConstDecl, tok().pos);
    d->int_val = iota;
    Node* first = Ident();
    if (first == nullptr) return nullptr;
    d->list.push_back(first);
    while (ok() && Is(",")) {
      Next();
      d->list.push_back(Ident());
    }
    if (!ok()) return nullptr;
    if (!Is("=") && !Is(";") && !Is(")")) d->x = Type();
    if (!ok()) return nullptr;
    if (Is("=")) {
      Next();
      d->list2 = ExprList();
    } else if (kw == "const") {
      if (d->x != nullptr && prev == nullptr)
        return Error(d->list[0]->pos, "missing init expr for const declaration");
      if (prev == nullptr) return Error(d->list[0]->pos, "missing init expr for const declaration");
      if (d->x == nullptr) {
        d->x = prev->x;
        d->list2 = prev->list2;
        d->implicit = true;
      }
    }
    (void)kwpos;
    return ok() ? d : nullptr;
  }

  int64_t TakePragmas(int before_line, Node* decl) {
    int64_t flags = 0;
    for (const Pragma& p : pragmas_) {
      if (p.pos.line <= last_decl_line_ || p.pos.line >= before_line) continue;
      if (absl::StartsWith(p.text, "gclab:")) {
        Node* lit = New(Op::kBasicLit, p.pos);
        lit->str = p.text;
        decl->list2.push_back(lit);
      }
      if (absl::StartsWith(p.text, "go:noescape")) flags |= kPragmaNoescape;
      if (absl::StartsWith(p.text, "go:uintptrescapes")) flags |= kPragmaUintptrEscapes;
      if (absl::StartsWith(p.text, "go:noinline")) flags |= kPragmaNoinline;
    }
    return flags;
  }

  Node* FuncDecl() {
    Pos fpos = tok().pos;
    Next();
    Node* f = New(Op::kFuncDecl, fpos);
    f->int_val = TakePragmas(fpos.line, f);
    if (Is("(")) {
      std::vector<Node*> recv = Params(false);
      if (!ok()) return nullptr;
      if (recv.size() != 1)
        return Error(fpos,
                     recv.empty() ? "method has no receiver" : "method has multiple receivers");
      f->x = recv[0];
    }
    Node* name = Ident();
    if (name == nullptr) return nullptr;
    f->str = name->str;
    f->pos = name->pos;
    if (Is("[")) {
      if (f->x != nullptr)
        return Error(tok().pos, "syntax error: method must have no type parameters");
      Next();
      f->list = TypeParams();
      if (!ok()) return nullptr;
    }
    f->y = Signature(fpos);
    if (!ok()) return nullptr;
    if (Is("{")) {
      size_t close = MatchingBrace(p_);
      f->z = Block();
      if (!ok()) {
        if (close == kNoMatch) return nullptr;
        // Confine the error to this function: drop its body and resume
        // after the closing brace.
        Node* bad = New(Op::kBad, f->pos);
        bad->str = std::string(err_.message());
        out_->body_errors.push_back(bad->str);
        err_ = absl::OkStatus();
        p_ = close;
        Next();
        f->z = nullptr;
        f->w = bad;
      }
    }
    return f;
  }

  // "[" consumed: "T any, U, V interface{...}]".
  std::vector<Node*> TypeParams() {
    std::vector<Node*> out;
    std::vector<Node*> pending;
    while (ok() && !Is("]")) {
      Node* name = Ident();
      if (name == nullptr) return out;
      pending.push_back(name);
      if (Is(",")) {
        Next();
        continue;
      }
      Node* c = Constraint();
      if (!ok()) return out;
      for (Node* nm : pending) {
        Node* f = New(Op::kField, nm->pos);
        f->str = nm->str;
        f->x = c;
        out.push_back(f);
      }
      pending.clear();
      if (!Is("]")) Want(",");
    }
    if (!pending.empty()) {
      Error(tok().pos, "syntax error: missing type constraint");
      return out;
    }
    Want("]");
    return out;
  }

  // A constraint or interface element: ["~"] T { "|" ["~"] T }.
  Node* Constraint() {
    Node* x = Term();
    while (ok() && Is("|")) {
      Node* b = New(Op::kBinary, tok().pos);
      b->str = "|";
      Next();
      b->x = x;
      b->y = Term();
      x = b;
    }
    return ok() ? x : nullptr;
  }
  Node* Term() {
    if (Is("~")) {
      Node* u = New(Op::kUnary, tok().pos);
      u->str = "~";
      Next();
      u->x = Type();
      return u;
    }
    return Type();
  }

  // Parses "(params) results".
  Node* Signature(Pos pos) {
    Node* ft = New(Op::kFuncType, pos);
    ft->list = Params(true);
    if (!ok()) return nullptr;
    if (Is("(")) {
      ft->list2 = Params(false);
    } else if (StartsType()) {
      Node* r = New(Op::kField, tok().pos);
      r->x = Type();
      ft->list2.push_back(r);
    }
    return ok() ? ft : nullptr;
  }

  bool StartsType() const {
    if (IsIdent()) return true;
    return Is("*") || Is("[") || Is("map") || Is("func") || Is("struct") || Is("interface") ||
           Is("chan") || Is("(") || Is("<-");
  }

  // Parameter list with Go's grouping rules: either all entries are named
  // ("a, b int, c string") or none are ("int, string").
  std::vector<Node*> Params(bool allow_ddd) {
    std::vector<Node*> out;
    if (!Want("(")) return out;
    struct Entry {
      Node* name = nullptr;  // ident, when the entry could be a name
      Node* type = nullptr;
      bool ddd = false;
      Pos pos;
    };
    std::vector<Entry> es;
    while (ok() && !Is(")")) {
      Entry e;
      e.pos = tok().pos;
      if (IsIdent() && !TokIs(peek(), ".")) {
        Node* id = Ident();
        if (Is(",") || Is(")")) {
          e.name = id;  // a name or a type, decided below
        } else {
          e.name = id;
          if (Is("...")) {
            Next();
            e.ddd = true;
          }
          e.type = Type();
          e.pos = id->pos;
        }
      } else {
        if (Is("...")) {
          Next();
          e.ddd = true;
        }
        e.type = Type();
      }
      if (!ok()) return out;
      es.push_back(e);
      if (!Is(")") && !Want(",")) return out;
    }
    Next();
    bool named = false;
    for (auto& e : es)
      if (e.name != nullptr && e.type != nullptr) named = true;
    if (named) {
      // Group: names without a type take the next type.
      Node* t = nullptr;
      bool ddd = false;
      std::vector<Node*> rev;
      for (int i = static_cast<int>(es.size()) - 1; i >= 0; --i) {
        if (es[i].type != nullptr) {
          t = es[i].type;
          ddd = es[i].ddd;
        } else if (es[i].name == nullptr || t == nullptr) {
          Error(es[i].pos, "syntax error: mixed named and unnamed parameters");
          return out;
        }
        if (es[i].name == nullptr) {
          Error(es[i].pos, "syntax error: mixed named and unnamed parameters");
          return out;
        }
        Node* f = New(Op::kField, es[i].name->pos);
        f->str = es[i].name->str;
        f->x = t;
        f->ddd = es[i].type != nullptr ? es[i].ddd : ddd;
        rev.push_back(f);
      }
      out.assign(rev.rbegin(), rev.rend());
    } else {
      for (auto& e : es) {
        Node* f = New(Op::kField, e.pos);
        f->x = e.type != nullptr ? e.type : e.name;
        f->ddd = e.ddd;
        out.push_back(f);
      }
    }
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i]->ddd && (!allow_ddd || i + 1 != out.size())) {
        Error(out[i]->pos, "syntax error: can only use ... with final parameter in list");
        return out;
      }
    }
    return out;
  }

  // ---------------------------------------------------------- types
  Node* Type() {
    if (!ok() || TooDeep()) return nullptr;
    Pos pos = tok().pos;
    if (IsIdent()) {
      Node* id = Ident();
      Node* t = id;
      if (Is(".")) {
        Node* s = New(Op::kSelector, tok().pos);
        Next();
        s->x = id;
        Node* sel = Ident();
        if (sel == nullptr) return nullptr;
        s->str = sel->str;
        t = s;
      }
      if (Is("[")) {
        // Instantiation T[A, B].
        Node* ix = New(Op::kIndex, tok().pos);
        Next();
        ix->x = t;
        while (ok() && !Is("]")) {
          ix->list.push_back(Type());
          if (!Is("]") && !Want(",")) return nullptr;
        }
        if (!Want("]")) return nullptr;
        if (ix->list.empty()) return Error(ix->pos, "syntax error: expecting type");
        t = ix;
      }
      return t;
    }
    if (Is("*")) {
      Next();
      Node* n = New(Op::kStar, pos);
      n->x = Type();
      return ok() ? n : nullptr;
    }
    if (Is("(")) {
      Next();
      Node* p = New(Op::kParen, pos);
      p->x = Type();
      if (!Want(")")) return nullptr;
      return p;
    }
    if (Is("[")) {
      Next();
      if (Is("]")) {
        Next();
        Node* n = New(Op::kSliceType, pos);
        n->y = Type();
        return ok() ? n : nullptr;
      }
      Node* n = New(Op::kArrayType, pos);
      if (Is("...")) {
        Next();
      } else {
        int saved = lev_;
        lev_ = 1;
        n->x = Expr();
        lev_ = saved;
      }
      if (!Want("]")) return nullptr;
      n->y = Type();
      return ok() ? n : nullptr;
    }
    if (Is("map")) {
      Next();
      Node* n = New(Op::kMapType, pos);
      if (!Want("[")) return nullptr;
      n->x = Type();
      if (!Want("]")) return nullptr;
      n->y = Type();
      return ok() ? n : nullptr;
    }
    if (Is("chan") || Is("<-")) {
      ChanDir dir = ChanDir::kBoth;
      if (Is("<-")) {
        Next();
        dir = ChanDir::kRecv;
      }
      if (!Want("chan")) return nullptr;
      if (Is("<-") && dir == ChanDir::kBoth) {
        Next();
        dir = ChanDir::kSend;
      }
      Node* n = New(Op::kChanType, pos);
      n->int_val = static_cast<int64_t>(dir);
      n->y = Type();
      return ok() ? n : nullptr;
    }
    if (Is("func")) {
      Next();
      return Signature(pos);
    }
    if (Is("struct")) return StructType();
    if (Is("interface")) return InterfaceType();
    return Unexpected("type");
  }

  Node* StructType() {
    Pos pos = tok().pos;
    Next();
    Node* n = New(Op::kStructType, pos);
    if (!Want("{")) return nullptr;
    while (ok() && !Is("}")) {
      if (Is("*")) {
        Node* f = New(Op::kField, tok().pos);
        f->implicit = true;
        f->x = Type();
        n->list.push_back(f);
      } else {
        Node* first = Ident();
        if (first == nullptr) return nullptr;
        if (Is(";") || Is("}") || Is(".") || tok().kind == TokKind::kString) {
          Node* f = New(Op::kField, first->pos);
          f->implicit = true;
          f->x = first;
          if (Is(".")) {
            Node* s = New(Op::kSelector, tok().pos);
            Next();
            s->x = first;
            Node* sel = Ident();
            if (sel == nullptr) return nullptr;
            s->str = sel->str;
            f->x = s;
          }
          n->list.push_back(f);
        } else {
          std::vector<Node*> names = {first};
          while (ok() && Is(",")) {
            Next();
            names.push_back(Ident());
          }
          Node* t = Type();
          if (!ok()) return nullptr;
          for (Node* nm : names) {
            Node* f = New(Op::kField, nm->pos);
            f->str = nm->str;
            f->x = t;
            n->list.push_back(f);
          }
        }
      }
      if (!ok()) return nullptr;
      if (tok().kind == TokKind::kString) Next();  // tag
      if (!Is("}")) Semi();
    }
    if (!ok()) return nullptr;
    n->w = New(Op::kEmpty, tok().pos);
    Next();
    return n;
  }

  Node* InterfaceType() {
    Pos pos = tok().pos;
    Next();
    Node* n = New(Op::kInterfaceType, pos);
    if (!Want("{")) return nullptr;
    while (ok() && !Is("}")) {
      if (IsIdent() && TokIs(peek(), "(")) {
        Node* id = Ident();
        Node* m = New(Op::kField, id->pos);
        m->str = id->str;
        m->x = Signature(id->pos);
        n->list.push_back(m);
      } else {
        Node* m = New(Op::kField, tok().pos);
        m->x = Constraint();  // embedded interface or type set element
        n->list.push_back(m);
      }
      if (!ok()) return nullptr;
      if (!Is("}")) Semi();
    }
    if (!ok()) return nullptr;
    Next();
    return n;
  }

  // ---------------------------------------------------------- statements
  Node* Block() {
    if (!ok() || TooDeep()) return nullptr;
    Node* b = New(Op::kBlock, tok().pos);
    if (!Want("{")) return nullptr;
    int saved = lev_;
    lev_ = 0;
    b->list = StmtList();
    lev_ = saved;
    if (!ok()) return nullptr;
    b->w = New(Op::kEmpty, tok().pos);  // closing brace
    if (!Want("}")) return nullptr;
    return b;
  }

  std::vector<Node*> StmtList() {
    std::vector<Node*> out;
    while (ok() && !Is("}") && !Is("case") && !Is("default") && tok().kind != TokKind::kEOF) {
      if (Is(";")) {
        Next();
        continue;
      }
      Node* s = Stmt();
      if (!ok()) return out;
      out.push_back(s);
      if (!Is("}") && !Is("case") && !Is("default")) Semi();
    }
    return out;
  }

  Node* Stmt() {
    if (!ok() || TooDeep()) return nullptr;
    Pos pos = tok().pos;
    if (tok().kind == TokKind::kKeyword) {
      const std::string k = tok().text;
      if (k == "var" || k == "const" || k == "type") {
        std::vector<Node*> ds;
        Decl(&ds);
        Node* b = New(Op::kBlock, pos);
        b->list = ds;
        b->implicit = true;  // declaration group, not a scope
        return ok() ? b : nullptr;
      }
      if (k == "return") {
        Next();
        Node* n = New(Op::kReturn, pos);
        if (!Is(";") && !Is("}")) n->list = ExprList();
        return ok() ? n : nullptr;
      }
      if (k == "if") return If();
      if (k == "for") return For();
      if (k == "switch") return Switch();
      if (k == "select") return Select();
      if (k == "go" || k == "defer") {
        Next();
        Node* n = New(k == "go" ? Op::kGo : Op::kDefer, pos);
        n->x = Expr();
        return ok() ? n : nullptr;
      }
      if (k == "break" || k == "continue" || k == "goto" || k == "fallthrough") {
        Node* n = New(Op::kBranch, pos);
        n->str = k;
        Next();
        if (IsIdent()) n->x = Ident();
        return n;
      }
      if (k == "func" && peek().kind == TokKind::kIdent)
        return Error(peek().pos, "syntax error: unexpected name, expecting (");
    }
    if (Is("{")) return Block();
    if (IsIdent() && TokIs(peek(), ":")) {
      Node* n = New(Op::kLabeled, pos);
      n->str = tok().text;
      Next();
      Next();
      if (Is("}")) {
        n->x = New(Op::kEmpty, tok().pos);
      } else {
        n->x = Stmt();
      }
      return ok() ? n : nullptr;
    }
    return SimpleStmt();
  }

  Node* SimpleStmt() {
    if (!ok()) return nullptr;
    Pos pos = tok().pos;
    if (Is("range")) {
      Node* r = New(Op::kRange, pos);
      Next();
      r->x = Expr();
      return ok() ? r : nullptr;
    }
    std::vector<Node*> lhs = ExprList();
    if (!ok()) return nullptr;
    if (Is(":=") || Is("=")) {
      Node* a = New(Op::kAssign, tok().pos);
      a->str = tok().text;
      Next();
      if (Is("range")) {
        Node* r = New(Op::kRange, tok().pos);
        r->def = a->str == ":=";
        r->str = a->str;
        Next();
        r->x = Expr();
        if (lhs.size() > 2)
          return Error(lhs[0]->pos,
                       "syntax error: range clause permits at most two iteration variables");
        r->list = lhs;
        return ok() ? r : nullptr;
      }
      a->list = lhs;
      a->list2 = ExprList();
      return ok() ? a : nullptr;
    }
    if (lhs.size() != 1) return Unexpected(":= or = or comma");
    Node* x = lhs[0];
    const Token& t = tok();
    if (t.kind == TokKind::kOp && t.text.size() >= 2 && t.text.back() == '=' && t.text != "==" &&
        t.text != "!=" && t.text != "<=" && t.text != ">=") {
      Node* a = New(Op::kAssign, t.pos);
      a->str = t.text;
      Next();
      a->list = {x};
      a->list2 = {Expr()};
      return ok() ? a : nullptr;
    }
    if (Is("++") || Is("--")) {
      Node* n = New(Op::kIncDec, tok().pos);
      n->str = tok().text;
      n->x = x;
      Next();
      return n;
    }
    if (Is("<-")) {
      Node* n = New(Op::kSend, tok().pos);
      Next();
      n->x = x;
      n->y = Expr();
      return ok() ? n : nullptr;
    }
    Node* n = New(Op::kExprStmt, ExprStart(x));
    n->x = x;
    return n;
  }

  // Position Go gives an expression statement: its leftmost token.
  static Pos ExprStart(const Node* n) {
    while (n != nullptr) {
      switch (n->op) {
        case Op::kSelector:
        case Op::kIndex:
        case Op::kSliceExpr:
        case Op::kCall:
        case Op::kTypeAssert:
        case Op::kBinary:
          n = n->x;
          continue;
        case Op::kCompositeLit:
          if (n->x == nullptr) return n->pos;
          n = n->x;
          continue;
        default:
          return n->pos;
      }
    }
    return Pos{};
  }

  Node* If() {
    if (TooDeep()) return nullptr;
    Node* n = New(Op::kIf, tok().pos);
    Next();
    int saved = lev_;
    lev_ = -1;
    Node* s = nullptr;
    if (Is("{")) return Error(tok().pos, "syntax error: missing condition in if statement");
    if (!Is(";")) s = SimpleStmt();
    if (!ok()) return nullptr;
    if (Is(";")) {
      Next();
      if (s != nullptr) n->init.push_back(s);
      if (Is("{")) return Error(tok().pos, "syntax error: missing condition in if statement");
      Node* c = SimpleStmt();
      if (!ok()) return nullptr;
      if (c->op != Op::kExprStmt)
        return Error(c->pos, "syntax error: cannot use assignment as value");
      n->x = c->x;
    } else {
      if (s == nullptr || s->op != Op::kExprStmt)
        return Error(s != nullptr ? s->pos : n->pos,
                     "syntax error: cannot use assignment as value");
      n->x = s->x;
    }
    lev_ = saved;
    n->y = Block();
    if (!ok()) return nullptr;
    if (Is("else")) {
      Next();
      if (Is("if")) {
        n->z = If();
      } else if (Is("{")) {
        n->z = Block();
      } else {
        return Unexpected("if statement or block");
      }
    }
    return ok() ? n : nullptr;
  }

  Node* For() {
    Pos pos = tok().pos;
    Next();
    int saved = lev_;
    lev_ = -1;
    Node* n = New(Op::kFor, pos);
    if (!Is("{")) {
      Node* s1 = nullptr;
      if (!Is(";")) s1 = SimpleStmt();
      if (!ok()) return nullptr;
      if (s1 != nullptr && s1->op == Op::kRange) {
        lev_ = saved;
        s1->w = Block();
        s1->y = New(Op::kEmpty, pos);  // "for" position
        return ok() ? s1 : nullptr;
      }
      if (Is(";")) {
        Next();
        n->x = s1;
        if (!Is(";")) {
          Node* c = SimpleStmt();
          if (!ok()) return nullptr;
          if (c->op != Op::kExprStmt)
            return Error(c->pos, "syntax error: expected for loop condition");
          n->y = c->x;
        }
        if (!Want(";")) return nullptr;
        if (!Is("{")) n->z = SimpleStmt();
      } else {
        if (s1 == nullptr || s1->op != Op::kExprStmt)
          return Error(pos, "syntax error: expected for loop condition");
        n->y = s1->x;
      }
    }
    if (!ok()) return nullptr;
    lev_ = saved;
    n->w = Block();
    return ok() ? n : nullptr;
  }

  static bool IsGuard(const Node* e) {
    return e != nullptr && e->op == Op::kTypeAssert && e->y == nullptr;
  }

  Node* Switch() {
    Pos pos = tok().pos;
    Next();
    int saved = lev_;
    lev_ = -1;
    Node* init = nullptr;
    Node* tag = nullptr;
    if (!Is("{")) {
      if (!Is(";")) tag = SimpleStmt();
      if (!ok()) return nullptr;
      if (Is(";")) {
        Next();
        init = tag;
        tag = nullptr;
        if (!Is("{")) tag = SimpleStmt();
      }
    }
    if (!ok()) return nullptr;
    lev_ = saved;
    Node* n;
    if (tag != nullptr && tag->op == Op::kAssign && tag->str == ":=" && tag->list.size() == 1 &&
        tag->list2.size() == 1 && IsGuard(tag->list2[0]) && tag->list[0]->op == Op::kIdent) {
      n = New(Op::kTypeSwitch, pos);
      n->str = tag->list[0]->str;
      n->z = tag->list[0];
      n->y = tag->list2[0]->x;
      n->w = tag->list2[0];
    } else if (tag != nullptr && tag->op == Op::kExprStmt && IsGuard(tag->x)) {
      n = New(Op::kTypeSwitch, pos);
      n->y = tag->x->x;
      n->w = tag->x;
    } else {
      n = New(Op::kSwitch, pos);
      if (tag != nullptr) {
        if (tag->op != Op::kExprStmt)
          return Error(tag->pos, "syntax error: switch expression must be an expression");
        n->y = tag->x;
      }
    }
    if (init != nullptr) n->init.push_back(init);
    if (!Want("{")) return nullptr;
    while (ok() && !Is("}")) {
      Node* c = New(Op::kCase, tok().pos);
      if (Is("default")) {
        Next();
        c->is_default = true;
      } else if (Is("case")) {
        Next();
        if (n->op == Op::kTypeSwitch) {
          c->list.push_back(Type());
          while (ok() && Is(",")) {
            Next();
            c->list.push_back(Type());
          }
        } else {
          c->list = ExprList();
        }
      } else {
        return Unexpected("case or default or }");
      }
      if (!ok()) return nullptr;
      c->w = New(Op::kEmpty, tok().pos);  // colon
      if (!Want(":")) return nullptr;
      c->list2 = StmtList();
      n->list.push_back(c);
    }
    if (!ok()) return nullptr;
    n->x = New(Op::kEmpty, tok().pos);
    Next();
    return n;
  }

  Node* Select() {
    Node* n = New(Op::kSelect, tok().pos);
    Next();
    if (!Want("{")) return nullptr;
    while (ok() && !Is("}")) {
      Node* c = New(Op::kCommClause, tok().pos);
      if (Is("default")) {
        Next();
      } else {
        if (!Want("case")) return nullptr;
        c->x = SimpleStmt();
      }
      if (!ok()) return nullptr;
      c->w = New(Op::kEmpty, tok().pos);
      if (!Want(":")) return nullptr;
      c->list2 = StmtList();
      n->list.push_back(c);
    }
    if (!ok()) return nullptr;
    Next();
    return n;
  }

  // ---------------------------------------------------------- expressions
  std::vector<Node*> ExprList() {
    std::vector<Node*> out{Expr()};
    while (ok() && Is(",")) {
      Next();
      out.push_back(Expr());
    }
    return out;
  }

  static int Prec(const Token& t) {
    if (t.kind != TokKind::kOp) return 0;
    const std::string& s = t.text;
    if (s == "||") return 1;
    if (s == "&&") return 2;
    if (s == "==" || s == "!=" || s == "<" || s == "<=" || s == ">" || s == ">=") return 3;
    if (s == "+" || s == "-" || s == "|" || s == "^") return 4;
    if (s == "*" || s == "/" || s == "%" || s == "<<" || s == ">>" || s == "&" || s == "&^")
      return 5;
    return 0;
  }

  Node* Expr() { return Binary(1); }

  Node* Binary(int prec) {
    if (!ok() || TooDeep()) return nullptr;
    Node* x = Unary();
    while (ok()) {
      int p = Prec(tok());
      if (p < prec) return x;
      Node* b = New(Op::kBinary, tok().pos);
      b->str = tok().text;
      Next();
      b->x = x;
      b->y = Binary(p + 1);
      x = b;
    }
    return nullptr;
  }

  Node* Unary() {
    if (!ok() || TooDeep()) return nullptr;
    Pos pos = tok().pos;
    if (Is("+") || Is("-") || Is("!") || Is("^") || Is("&")) {
      Node* n = New(Op::kUnary, pos);
      n->str = tok().text;
      Next();
      n->x = Unary();
      return ok() ? n : nullptr;
    }
    if (Is("<-")) {
      Next();
      if (Is("chan")) {
        // <-chan T (a type)
        Next();
        Node* n = New(Op::kChanType, pos);
        n->int_val = static_cast<int64_t>(ChanDir::kRecv);
        n->y = Type();
        return ok() ? Postfix(n) : nullptr;
      }
      Node* n = New(Op::kUnary, pos);
      n->str = "<-";
      n->x = Unary();
      return ok() ? n : nullptr;
    }
    if (Is("*")) {
      Next();
      Node* n = New(Op::kStar, pos);
      n->x = Unary();
      return ok() ? n : nullptr;
    }
    return Postfix(Operand());
  }

  bool IsTypeExprForLit(const Node* x) const {
    switch (x->op) {
      case Op::kArrayType:
      case Op::kSliceType:
      case Op::kMapType:
      case Op::kStructType:
        return true;
      case Op::kIdent:
      case Op::kSelector:
      case Op::kIndex:
        return lev_ >= 0;
      default:
        return false;
    }
  }

  Node* Operand() {
    if (!ok() || TooDeep()) return nullptr;
    Pos pos = tok().pos;
    switch (tok().kind) {
      case TokKind::kInt:
      case TokKind::kFloat:
      case TokKind::kImag:
      case TokKind::kChar:
      case TokKind::kString: {
        Node* n = New(Op::kBasicLit, pos);
        n->str = tok().text;
        n->int_val = tok().kind == TokKind::kInt     ? 0
                     : tok().kind == TokKind::kFloat ? 1
                     : tok().kind == TokKind::kImag  ? 2
                     : tok().kind == TokKind::kChar  ? 3
                                                     : 4;
        Next();
        return n;
      }
      case TokKind::kIdent:
        return Ident();
      default:
        break;
    }
    if (Is("(")) {
      Next();
      int saved = lev_;
      lev_ = 1;
      Node* n = New(Op::kParen, pos);
      n->x = ExprOrType();
      lev_ = saved;
      if (!Want(")")) return nullptr;
      return n;
    }
    if (Is("func")) {
      Next();
      Node* ft = Signature(pos);
      if (!ok()) return nullptr;
      if (Is("{")) {
        Node* n = New(Op::kFuncLit, pos);
        n->y = ft;
        int saved = lev_;
        lev_ = 0;
        n->z = Block();
        lev_ = saved;
        return ok() ? n : nullptr;
      }
      return ft;
    }
    if (Is("[") || Is("map") || Is("struct") || Is("interface") || Is("chan")) return Type();
    return Unexpected("expression");
  }

  // Operand() parses type literals too, so a type may start an expression
  // (`(interface{}(nil) == x)`, `([2]int{} == a)`).
  Node* ExprOrType() { return Expr(); }

  Node* Postfix(Node* x) {
    while (ok()) {
      Pos pos = tok().pos;
      if (Is(".")) {
        Next();
        if (Is("(")) {
          Next();
          Node* n = New(Op::kTypeAssert, pos);
          n->x = x;
          if (Is("type")) {
            Next();
          } else {
            n->y = Type();
          }
          if (!Want(")")) return nullptr;
          x = n;
        } else {
          Node* n = New(Op::kSelector, pos);
          n->x = x;
          Node* sel = Ident();
          if (sel == nullptr) return nullptr;
          n->str = sel->str;
          x = n;
        }
      } else if (Is("[")) {
        Next();
        int saved = lev_;
        lev_ = 1;
        Node* i = nullptr;
        if (Is("]")) return Unexpected("operand");
        if (!Is(":")) i = ExprOrType();
        if (!ok()) return nullptr;
        if (Is(",") && i != nullptr) {
          // x[T1, T2]: type arguments.
          Node* n = New(Op::kIndex, pos);
          n->x = x;
          n->list.push_back(i);
          while (ok() && Is(",")) {
            Next();
            if (Is("]")) break;
            n->list.push_back(ExprOrType());
          }
          if (!Want("]")) return nullptr;
          x = n;
        } else if (Is("]") && i != nullptr) {
          Next();
          Node* n = New(Op::kIndex, pos);
          n->x = x;
          n->list.push_back(i);
          x = n;
        } else {
          if (!Want(":")) return nullptr;
          Node* n = New(Op::kSliceExpr, pos);
          n->x = x;
          n->y = i;
          if (!Is("]") && !Is(":")) n->z = Expr();
          if (Is(":")) {
            Next();
            if (n->z == nullptr)
              return Error(tok().pos, "syntax error: middle index required in 3-index slice");
            if (Is("]"))
              return Error(tok().pos, "syntax error: final index required in 3-index slice");
            n->w = Expr();
            n->ddd = true;
          }
          if (!Want("]")) return nullptr;
          x = n;
        }
        lev_ = saved;
      } else if (Is("(")) {
        Next();
        int saved = lev_;
        lev_ = 1;
        Node* n = New(Op::kCall, pos);
        n->x = x;
        while (ok() && !Is(")")) {
          n->list.push_back(ExprOrType());
          if (Is("...")) {
            n->ddd = true;
            Next();
          }
          if (!Is(")") && !Want(",")) return nullptr;
        }
        lev_ = saved;
        if (!Want(")")) return nullptr;
        x = n;
      } else if (Is("{") && IsTypeExprForLit(x)) {
        x = LitValue(x);
      } else {
        return x;
      }
    }
    return nullptr;
  }

  Node* LitValue(Node* type) {
    if (!ok() || TooDeep()) return nullptr;
    Node* n = New(Op::kCompositeLit, tok().pos);
    n->x = type;
    if (!Want("{")) return nullptr;
    int saved = lev_;
    lev_ = 1;
    while (ok() && !Is("}")) {
      Node* e = Elem();
      if (!ok()) return nullptr;
      if (Is(":")) {
        Node* kv = New(Op::kKeyValue, tok().pos);
        Next();
        kv->x = e;
        kv->y = Elem();
        e = kv;
      }
      if (!ok()) return nullptr;
      n->list.push_back(e);
      if (!Is("}")) {
        if (!Is(",")) return Unexpected("comma or }");
        Next();
      }
    }
    lev_ = saved;
    if (!ok()) return nullptr;
    n->w = New(Op::kEmpty, tok().pos);
    Next();
    return n;
  }

  Node* Elem() {
    if (Is("{")) return LitValue(nullptr);
    return Expr();
  }

  std::string filename_;
  std::vector<Token> toks_;
  std::vector<Pragma> pragmas_;
  size_t p_ = 0;
  Program* prog_;
  ParsedFile* out_ = nullptr;
  StackBudget budget_;
  absl::Status err_;
  int lev_ = 0;  // < 0 inside control clauses (no bare T{} literals)
  int last_decl_line_ = 0;
};

}  // namespace

absl::Status Parse(absl::string_view filename, absl::string_view src, Program* prog,
                   ParsedFile* out, double stack_fraction) {
  absl::StatusOr<LexResult> lex = Lex(filename, src);
  if (!lex.ok()) return lex.status();
  Parser p(filename, *std::move(lex), prog, stack_fraction);
  return p.File(out);
}

}  // namespace gclab::escape
