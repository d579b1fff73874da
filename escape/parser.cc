#include "escape/parser.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "escape/lexer.h"

namespace gclab::escape {
namespace {

// Thrown internally to unwind on the first syntax error.
struct SyntaxError {
  Pos pos;
  std::string msg;
};

class Parser {
 public:
  Parser(std::vector<Token> toks, Program* prog) : toks_(std::move(toks)), prog_(prog) {}

  void File(ParsedFile* out) {
    Want("package");
    out->package = Ident()->str;
    Semi();
    while (Is("import")) {
      Next();
      if (Is("(")) {
        Next();
        while (!Is(")")) {
          out->imports.push_back(ImportLine());
          if (!Is(")")) Semi();
        }
        Next();
      } else {
        out->imports.push_back(ImportLine());
      }
      Semi();
    }
    while (tok().kind != TokKind::kEOF) {
      if (Is("func")) {
        out->decls.push_back(FuncDecl());
      } else if (Is("var") || Is("const") || Is("type")) {
        Decl(&out->decls);
      } else if (Is("import")) {
        Error(tok().pos, "syntax error: imports must appear before other declarations");
      } else {
        Error(tok().pos,
              absl::StrCat("syntax error: non-declaration statement outside function body"));
      }
      if (tok().kind != TokKind::kEOF) Semi();
    }
  }

 private:
  const Token& tok() const { return toks_[p_]; }
  const Token& peek(int k = 1) const { return toks_[std::min(p_ + k, toks_.size() - 1)]; }
  bool Is(absl::string_view s) const {
    return (tok().kind == TokKind::kOp || tok().kind == TokKind::kKeyword) && tok().text == s;
  }
  void Next() {
    if (p_ + 1 < toks_.size()) ++p_;
  }
  [[noreturn]] void Error(Pos pos, std::string msg) { throw SyntaxError{pos, std::move(msg)}; }
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
  [[noreturn]] void Unexpected(absl::string_view expecting) {
    Error(tok().pos, absl::StrCat("syntax error: unexpected ", Describe(tok()),
                                  expecting.empty() ? "" : ", expecting ", expecting));
  }
  void Want(absl::string_view s) {
    if (!Is(s)) Unexpected(s);
    Next();
  }
  void Semi() {
    if (Is(";")) {
      Next();
      return;
    }
    if (Is(")") || Is("}")) return;
    Unexpected("semicolon or newline");
  }
  Node* New(Op op, Pos pos) { return prog_->NewNode(op, pos); }

  // Bounds recursion so that pathological nesting is an error, not a
  // stack overflow.
  struct DepthGuard {
    Parser* p;
    explicit DepthGuard(Parser* parser) : p(parser) {
      if (++p->nesting_ > kMaxNesting) p->Error(p->tok().pos, "syntax error: nesting too deep");
    }
    ~DepthGuard() { --p->nesting_; }
  };
  static constexpr int kMaxNesting = 200;

  Node* Ident() {
    if (tok().kind != TokKind::kIdent) Unexpected("name");
    Node* n = New(Op::kIdent, tok().pos);
    n->str = tok().text;
    Next();
    return n;
  }

  ImportSpec ImportLine() {
    ImportSpec s;
    s.pos = tok().pos;
    if (tok().kind == TokKind::kIdent || Is(".")) {
      s.name = tok().text;
      Next();
    }
    if (tok().kind != TokKind::kString) Unexpected("import path");
    s.path = tok().text.substr(1, tok().text.size() - 2);
    s.pos = tok().pos;
    Next();
    return s;
  }

  void Decl(std::vector<Node*>* out) {
    std::string kw = tok().text;
    Pos kwpos = tok().pos;
    Next();
    if (Is("(")) {
      Next();
      Node* prev = nullptr;
      int iota = 0;
      while (!Is(")")) {
        Node* d = Spec(kw, kwpos, prev, iota++);
        out->push_back(d);
        prev = d;
        if (!Is(")")) Semi();
      }
      Next();
    } else {
      out->push_back(Spec(kw, kwpos, nullptr, 0));
    }
  }

  Node* Spec(const std::string& kw, Pos kwpos, Node* prev, int iota) {
    if (kw == "type") {
      Node* name = Ident();
      Node* d = New(Op::kTypeDecl, name->pos);
      d->str = name->str;
      if (Is("[")) {
        // Distinguish generics "type T[P any] ..." from array types.
        if (peek().kind == TokKind::kIdent && peek(2).kind == TokKind::kIdent)
          Error(tok().pos, "unsupported: generic type declaration");
      }
      if (Is("=")) {
        d->def = true;  // alias
        Next();
      }
      d->x = Type();
      return d;
    }
    Node* d = New(kw == "var" ? Op::kVarDecl : Op::kConstDecl, kwpos);
    d->int_val = iota;
    d->list.push_back(Ident());
    while (Is(",")) {
      Next();
      d->list.push_back(Ident());
    }
    if (!Is("=") && !Is(";") && !Is(")")) d->x = Type();
    if (Is("=")) {
      Next();
      d->list2 = ExprList();
    } else if (kw == "const") {
      if (prev == nullptr) Error(d->list[0]->pos, "missing init expr for const declaration");
      d->x = prev->x;
      d->list2 = prev->list2;
      d->implicit = true;
    }
    return d;
  }

  Node* FuncDecl() {
    Pos fpos = tok().pos;
    Next();
    Node* f = New(Op::kFuncLit, fpos);
    f->def = true;
    if (Is("(")) {
      Next();
      Node* r = New(Op::kKeyValue, tok().pos);
      if (tok().kind == TokKind::kIdent &&
          !(peek().kind == TokKind::kOp && (peek().text == ")" || peek().text == "."))) {
        Node* nm = Ident();
        r->str = nm->str;
        r->pos = nm->pos;
      }
      r->x = Type();
      Want(")");
      f->x = r;
    }
    Node* name = Ident();
    f->str = name->str;
    f->pos = name->pos;
    if (Is("[")) Error(tok().pos, "unsupported: generic function");
    f->y = Signature(fpos);
    if (Is("{")) f->z = Block();
    return f;
  }

  // Parses "(params) results".
  Node* Signature(Pos pos) {
    Node* ft = New(Op::kFuncType, pos);
    ft->list = Params(true);
    if (Is("(")) {
      ft->list2 = Params(false);
    } else if (StartsType()) {
      Node* r = New(Op::kKeyValue, tok().pos);
      r->x = Type();
      ft->list2.push_back(r);
    }
    return ft;
  }

  bool StartsType() {
    if (tok().kind == TokKind::kIdent) return true;
    return Is("*") || Is("[") || Is("map") || Is("func") || Is("struct") || Is("interface") ||
           Is("chan") || Is("(") || Is("<-");
  }

  // Parameter list with Go's grouping rules: either all entries are named
  // ("a, b int, c string") or none are ("int, string").
  std::vector<Node*> Params(bool allow_ddd) {
    Want("(");
    struct Entry {
      Node* name = nullptr;  // ident, when the entry could be a name
      Node* type = nullptr;
      bool ddd = false;
      Pos pos;
    };
    std::vector<Entry> es;
    while (!Is(")")) {
      Entry e;
      e.pos = tok().pos;
      if (tok().kind == TokKind::kIdent && !(peek().kind == TokKind::kOp && peek().text == ".")) {
        Node* id = Ident();
        if (Is(",") || Is(")")) {
          e.name = id;  // name or type, decided below
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
      es.push_back(e);
      if (!Is(")")) Want(",");
    }
    Next();
    bool named = false;
    for (auto& e : es)
      if (e.name != nullptr && e.type != nullptr) named = true;
    std::vector<Node*> out;
    if (named) {
      // Group: names without type take the next type.
      Node* t = nullptr;
      bool ddd = false;
      for (int i = static_cast<int>(es.size()) - 1; i >= 0; --i) {
        if (es[i].type != nullptr) {
          t = es[i].type;
          ddd = es[i].ddd;
        } else if (es[i].name == nullptr || t == nullptr) {
          Error(es[i].pos, "syntax error: mixed named and unnamed parameters");
        }
        Node* f = New(Op::kKeyValue, es[i].name->pos);
        f->str = es[i].name->str;
        f->x = t;
        f->ddd = es[i].type != nullptr ? es[i].ddd : ddd;
        out.insert(out.begin(), f);
      }
    } else {
      for (auto& e : es) {
        Node* f = New(Op::kKeyValue, e.pos);
        f->x = e.type != nullptr ? e.type : e.name;
        f->ddd = e.ddd;
        out.push_back(f);
      }
    }
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i]->ddd && (!allow_ddd || i + 1 != out.size()))
        Error(out[i]->pos, "syntax error: can only use ... with final parameter in list");
    }
    return out;
  }

  Node* Type() {
    DepthGuard guard(this);
    Pos pos = tok().pos;
    if (tok().kind == TokKind::kIdent) {
      Node* id = Ident();
      if (Is(".")) {
        Node* s = New(Op::kSelector, tok().pos);
        Next();
        s->x = id;
        s->str = Ident()->str;
        return s;
      }
      if (Is("[") && no_generic_check_ == 0) {
        // Instantiation T[int] is unsupported; only reachable in type context.
      }
      return id;
    }
    if (Is("*")) {
      Next();
      Node* n = New(Op::kStar, pos);
      n->x = Type();
      return n;
    }
    if (Is("(")) {
      Next();
      Node* t = Type();
      Want(")");
      return t;
    }
    if (Is("[")) {
      Next();
      if (Is("]")) {
        Next();
        Node* n = New(Op::kSliceType, pos);
        n->y = Type();
        return n;
      }
      Node* n = New(Op::kArrayType, pos);
      if (Is("...")) {
        Next();
      } else {
        ++lev_;
        n->x = Expr();
        --lev_;
      }
      Want("]");
      n->y = Type();
      return n;
    }
    if (Is("map")) {
      Next();
      Node* n = New(Op::kMapType, pos);
      Want("[");
      n->x = Type();
      Want("]");
      n->y = Type();
      return n;
    }
    if (Is("chan") || Is("<-")) {
      if (Is("<-")) Next();
      Want("chan");
      if (Is("<-")) Next();
      Node* n = New(Op::kChanType, pos);
      n->y = Type();
      return n;
    }
    if (Is("func")) {
      Next();
      return Signature(pos);
    }
    if (Is("struct")) {
      Next();
      Node* n = New(Op::kStructType, pos);
      Want("{");
      while (!Is("}")) {
        if (Is("*")) {
          Node* f = New(Op::kKeyValue, tok().pos);
          f->implicit = true;
          f->x = Type();
          n->list.push_back(f);
        } else {
          Node* first = Ident();
          if (Is(";") || Is("}") || Is(".") || tok().kind == TokKind::kString) {
            Node* f = New(Op::kKeyValue, first->pos);
            f->implicit = true;
            if (Is(".")) {
              Node* s = New(Op::kSelector, tok().pos);
              Next();
              s->x = first;
              s->str = Ident()->str;
              f->x = s;
            } else {
              f->x = first;
            }
            n->list.push_back(f);
          } else {
            std::vector<Node*> names = {first};
            while (Is(",")) {
              Next();
              names.push_back(Ident());
            }
            Node* t = Type();
            for (Node* nm : names) {
              Node* f = New(Op::kKeyValue, nm->pos);
              f->str = nm->str;
              f->x = t;
              n->list.push_back(f);
            }
          }
        }
        if (tok().kind == TokKind::kString) Next();  // tag
        if (!Is("}")) Semi();
      }
      Next();
      return n;
    }
    if (Is("interface")) {
      Next();
      Node* n = New(Op::kInterfaceType, pos);
      Want("{");
      while (!Is("}")) {
        Node* id = Ident();
        Node* m = New(Op::kKeyValue, id->pos);
        if (Is("(")) {
          m->str = id->str;
          m->x = Signature(id->pos);
        } else {
          m->x = id;  // embedded interface
          if (Is(".")) {
            Node* s = New(Op::kSelector, tok().pos);
            Next();
            s->x = id;
            s->str = Ident()->str;
            m->x = s;
          }
        }
        n->list.push_back(m);
        if (!Is("}")) Semi();
      }
      Next();
      return n;
    }
    Unexpected("type");
  }

  Node* Block() {
    DepthGuard guard(this);
    Node* b = New(Op::kBlock, tok().pos);
    Want("{");
    int saved = lev_;
    lev_ = 0;
    b->list = StmtList();
    lev_ = saved;
    b->str = "";
    b->w = New(Op::kEmpty, tok().pos);  // closing brace position
    Want("}");
    return b;
  }

  std::vector<Node*> StmtList() {
    std::vector<Node*> out;
    while (!Is("}") && !Is("case") && !Is("default") && tok().kind != TokKind::kEOF) {
      if (Is(";")) {
        Next();
        continue;
      }
      out.push_back(Stmt());
      if (!Is("}") && !Is("case") && !Is("default")) Semi();
    }
    return out;
  }

  Node* Stmt() {
    Pos pos = tok().pos;
    if (tok().kind == TokKind::kKeyword) {
      const std::string& k = tok().text;
      if (k == "var" || k == "const" || k == "type") {
        std::vector<Node*> ds;
        Decl(&ds);
        Node* b = New(Op::kBlock, pos);
        b->list = ds;
        b->implicit = true;  // declaration group, not a scope
        return b;
      }
      if (k == "return") {
        Next();
        Node* n = New(Op::kReturn, pos);
        if (!Is(";") && !Is("}")) n->list = ExprList();
        return n;
      }
      if (k == "if") return If();
      if (k == "for") return For();
      if (k == "switch") return Switch();
      if (k == "select") return Select();
      if (k == "go" || k == "defer") {
        Next();
        Node* n = New(k == "go" ? Op::kGo : Op::kDefer, pos);
        n->x = Expr();
        return n;
      }
      if (k == "break" || k == "continue" || k == "goto" || k == "fallthrough") {
        Node* n = New(Op::kBranch, pos);
        n->str = k;
        Next();
        if (tok().kind == TokKind::kIdent) n->x = Ident();
        return n;
      }
      if (k == "func" && peek().kind == TokKind::kIdent) {
        Error(pos, "syntax error: unexpected name, expecting (");
      }
    }
    if (Is("{")) return Block();
    if (tok().kind == TokKind::kIdent && peek().kind == TokKind::kOp && peek().text == ":") {
      Node* n = New(Op::kLabeled, pos);
      n->str = tok().text;
      Next();
      Next();
      if (Is("}")) {
        n->x = New(Op::kEmpty, tok().pos);
      } else {
        n->x = Stmt();
      }
      return n;
    }
    return SimpleStmt();
  }

  Node* SimpleStmt() {
    Pos pos = tok().pos;
    std::vector<Node*> lhs;
    if (Is("range")) {
      Node* r = New(Op::kRange, pos);
      Next();
      r->x = Expr();
      return r;
    }
    lhs = ExprList();
    if (Is(":=") || Is("=")) {
      Node* a = New(Op::kAssign, tok().pos);
      a->str = tok().text;
      Next();
      if (Is("range")) {
        Node* r = New(Op::kRange, pos);
        r->def = a->str == ":=";
        r->str = a->str;
        r->pos = a->pos;
        Next();
        r->x = Expr();
        if (lhs.size() > 2)
          Error(lhs[0]->pos, "syntax error: range clause permits at most two iteration variables");
        r->list = lhs;
        return r;
      }
      a->list = lhs;
      a->list2 = ExprList();
      if (a->list2.size() == 1 && a->list2[0]->op == Op::kTypeAssert && a->list2[0]->y == nullptr) {
        // v := x.(type) is handled by Switch().
        if (lhs.size() != 1 || a->str != ":=")
          Error(a->pos, "syntax error: use of .(type) outside type switch");
      }
      return a;
    }
    if (lhs.size() != 1) Unexpected(":= or = or comma");
    Node* x = lhs[0];
    if (tok().kind == TokKind::kOp && tok().text.size() >= 2 && tok().text.back() == '=' &&
        tok().text != "==" && tok().text != "!=" && tok().text != "<=" && tok().text != ">=") {
      Node* a = New(Op::kAssign, tok().pos);
      a->str = tok().text;
      Next();
      a->list = {x};
      a->list2 = {Expr()};
      return a;
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
      return n;
    }
    Node* n = New(Op::kExprStmt, x->pos);
    n->x = x;
    return n;
  }

  Node* If() {
    DepthGuard guard(this);
    Node* n = New(Op::kIf, tok().pos);
    Next();
    int saved = lev_;
    lev_ = -1;
    Node* s = nullptr;
    if (!Is(";")) s = SimpleStmt();
    if (Is(";")) {
      Next();
      n->init.push_back(s);
      if (Is("{")) Error(tok().pos, "syntax error: missing condition in if statement");
      Node* c = SimpleStmt();
      if (c->op != Op::kExprStmt) Error(c->pos, "syntax error: cannot use assignment as value");
      n->x = c->x;
    } else {
      if (s == nullptr || s->op != Op::kExprStmt)
        Error(n->pos, "syntax error: missing condition in if statement");
      n->x = s->x;
    }
    lev_ = saved;
    n->y = Block();
    if (Is("else")) {
      Next();
      if (Is("if")) {
        n->z = If();
      } else if (Is("{")) {
        n->z = Block();
      } else {
        Unexpected("if statement or block");
      }
    }
    return n;
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
      if (s1 != nullptr && s1->op == Op::kRange) {
        lev_ = saved;
        s1->w = Block();
        s1->y = New(Op::kEmpty, pos);  // "for" position
        return s1;
      }
      if (Is(";")) {
        Next();
        n->x = s1;
        if (!Is(";")) {
          Node* c = SimpleStmt();
          if (c->op != Op::kExprStmt) Error(c->pos, "syntax error: expected for loop condition");
          n->y = c->x;
        }
        Want(";");
        if (!Is("{")) n->z = SimpleStmt();
      } else {
        if (s1 == nullptr || s1->op != Op::kExprStmt)
          Error(pos, "syntax error: expected for loop condition");
        n->y = s1->x;
      }
    }
    lev_ = saved;
    n->w = Block();
    return n;
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
      if (Is(";")) {
        Next();
        init = tag;
        tag = nullptr;
        if (!Is("{")) tag = SimpleStmt();
      }
    }
    lev_ = saved;
    Node* n;
    auto is_guard = [](Node* e) {
      return e != nullptr && e->op == Op::kTypeAssert && e->y == nullptr;
    };
    if (tag != nullptr && tag->op == Op::kAssign && tag->str == ":=" && tag->list2.size() == 1 &&
        is_guard(tag->list2[0])) {
      n = New(Op::kTypeSwitch, pos);
      n->str = tag->list[0]->str;
      n->z = tag->list[0];
      n->y = tag->list2[0]->x;
      n->w = tag->list2[0];
    } else if (tag != nullptr && tag->op == Op::kExprStmt && is_guard(tag->x)) {
      n = New(Op::kTypeSwitch, pos);
      n->y = tag->x->x;
      n->w = tag->x;
    } else {
      n = New(Op::kSwitch, pos);
      if (tag != nullptr) {
        if (tag->op != Op::kExprStmt)
          Error(tag->pos, "syntax error: switch expression must be an expression");
        n->y = tag->x;
      }
    }
    if (init != nullptr) n->init.push_back(init);
    Want("{");
    while (!Is("}")) {
      Node* c = New(Op::kCase, tok().pos);
      if (Is("default")) {
        Next();
        c->is_default = true;
      } else if (Is("case")) {
        Next();
        if (n->op == Op::kTypeSwitch) {
          c->list.push_back(TypeOrNil());
          while (Is(",")) {
            Next();
            c->list.push_back(TypeOrNil());
          }
        } else {
          c->list = ExprList();
        }
      } else {
        Unexpected("case or default or }");
      }
      Want(":");
      c->list2 = StmtList();
      n->list.push_back(c);
    }
    n->x = New(Op::kEmpty, tok().pos);
    Next();
    return n;
  }

  Node* TypeOrNil() {
    if (tok().kind == TokKind::kIdent && tok().text == "nil") return Ident();
    return Type();
  }

  Node* Select() {
    Node* n = New(Op::kSelect, tok().pos);
    Next();
    Want("{");
    while (!Is("}")) {
      Node* c = New(Op::kCase, tok().pos);
      if (Is("default")) {
        Next();
      } else {
        Want("case");
        c->x = SimpleStmt();
      }
      Want(":");
      c->list2 = StmtList();
      n->list.push_back(c);
    }
    Next();
    return n;
  }

  std::vector<Node*> ExprList() {
    std::vector<Node*> out{Expr()};
    while (Is(",")) {
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
    Node* x = Unary();
    while (true) {
      int p = Prec(tok());
      if (p < prec) return x;
      Node* b = New(Op::kBinary, tok().pos);
      b->str = tok().text;
      Next();
      b->x = x;
      b->y = Binary(p + 1);
      x = b;
    }
  }

  Node* Unary() {
    DepthGuard guard(this);
    Pos pos = tok().pos;
    if (Is("+") || Is("-") || Is("!") || Is("^") || Is("&") || Is("<-")) {
      Node* n = New(Op::kUnary, pos);
      n->str = tok().text;
      Next();
      n->x = Unary();
      return n;
    }
    if (Is("*")) {
      Next();
      Node* n = New(Op::kStar, pos);
      n->x = Unary();
      return n;
    }
    return Primary();
  }

  bool IsTypeExprForLit(Node* x) {
    switch (x->op) {
      case Op::kArrayType:
      case Op::kSliceType:
      case Op::kMapType:
      case Op::kStructType:
        return true;
      case Op::kIdent:
      case Op::kSelector:
        return lev_ >= 0;
      default:
        return false;
    }
  }

  Node* Operand() {
    Pos pos = tok().pos;
    switch (tok().kind) {
      case TokKind::kInt:
      case TokKind::kFloat:
      case TokKind::kChar:
      case TokKind::kString: {
        Node* n = New(Op::kBasicLit, pos);
        n->str = tok().text;
        n->int_val = tok().kind == TokKind::kInt     ? 0
                     : tok().kind == TokKind::kFloat ? 1
                     : tok().kind == TokKind::kChar  ? 2
                                                     : 3;
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
      Want(")");
      return n;
    }
    if (Is("func")) {
      Next();
      Node* ft = Signature(pos);
      if (Is("{")) {
        Node* n = New(Op::kFuncLit, pos);
        n->y = ft;
        n->z = Block();
        return n;
      }
      return ft;
    }
    if (Is("[") || Is("map") || Is("struct") || Is("interface") || Is("chan") || Is("*")) {
      return Type();
    }
    Unexpected("expression");
  }

  Node* ExprOrType() {
    if (Is("[") || Is("map") || Is("struct") || Is("interface") || Is("chan")) {
      Node* t = Type();
      return Postfix(t);
    }
    return Expr();
  }

  Node* Primary() { return Postfix(Operand()); }

  Node* Postfix(Node* x) {
    while (true) {
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
          Want(")");
          x = n;
        } else {
          Node* n = New(Op::kSelector, pos);
          n->x = x;
          n->str = Ident()->str;
          x = n;
        }
      } else if (Is("[")) {
        Next();
        int saved = lev_;
        lev_ = 1;
        Node* i = nullptr;
        if (!Is(":")) i = Expr();
        if (Is("]") && i != nullptr) {
          Next();
          Node* n = New(Op::kIndex, pos);
          n->x = x;
          n->y = i;
          x = n;
        } else {
          Want(":");
          Node* n = New(Op::kSliceExpr, pos);
          n->x = x;
          n->y = i;
          if (!Is("]") && !Is(":")) n->z = Expr();
          if (Is(":")) {
            Next();
            if (n->z == nullptr)
              Error(tok().pos, "syntax error: middle index required in 3-index slice");
            if (Is("]")) Error(tok().pos, "syntax error: final index required in 3-index slice");
            n->w = Expr();
            n->ddd = true;
          }
          Want("]");
          x = n;
        }
        lev_ = saved;
      } else if (Is("(")) {
        Next();
        int saved = lev_;
        lev_ = 1;
        Node* n = New(Op::kCall, pos);
        n->x = x;
        while (!Is(")")) {
          n->list.push_back(ExprOrType());
          if (Is("...")) {
            n->ddd = true;
            Next();
          }
          if (!Is(")")) Want(",");
        }
        lev_ = saved;
        Next();
        x = n;
      } else if (Is("{") && IsTypeExprForLit(x)) {
        x = LitValue(x);
      } else {
        return x;
      }
    }
  }

  Node* LitValue(Node* type) {
    DepthGuard guard(this);
    Node* n = New(Op::kCompositeLit, tok().pos);
    n->x = type;
    Want("{");
    int saved = lev_;
    lev_ = 1;
    while (!Is("}")) {
      Node* e = Elem();
      if (Is(":")) {
        Node* kv = New(Op::kKeyValue, tok().pos);
        Next();
        kv->x = e;
        kv->y = Elem();
        e = kv;
      }
      n->list.push_back(e);
      if (!Is("}")) {
        if (!Is(",")) Unexpected("comma or }");
        Next();
      }
    }
    lev_ = saved;
    n->w = New(Op::kEmpty, tok().pos);
    Next();
    return n;
  }

  Node* Elem() {
    if (Is("{")) return LitValue(nullptr);
    return Expr();
  }

  std::vector<Token> toks_;
  size_t p_ = 0;
  Program* prog_;
  int lev_ = 0;  // <0 inside control clauses (no bare T{} literals)
  int no_generic_check_ = 0;
  int nesting_ = 0;
};

}  // namespace

absl::Status Parse(absl::string_view filename, absl::string_view src, Program* prog,
                   ParsedFile* out) {
  auto toks = Lex(filename, src);
  if (!toks.ok()) return toks.status();
  Parser p(*std::move(toks), prog);
  try {
    p.File(out);
  } catch (const SyntaxError& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename, ":", e.pos.line, ":", e.pos.col, ": ", e.msg));
  }
  return absl::OkStatus();
}

}  // namespace gclab::escape
