#include "escape/generator.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gclab::escape {
namespace {

void RenderStmts(const std::vector<GenStmt>& body, int indent, std::string* out) {
  for (const GenStmt& s : body) {
    if (s.removed) {
      if (!s.fallback.empty()) absl::StrAppend(out, std::string(indent, '\t'), s.fallback, "\n");
      continue;
    }
    std::string pad(indent, '\t');
    std::string head = s.head;
    // Multi-line heads are indented line by line.
    size_t pos = 0;
    while (true) {
      size_t nl = head.find('\n', pos);
      absl::StrAppend(
          out, pad, head.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos), "\n");
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    if (s.block) {
      RenderStmts(s.body, indent + 1, out);
      absl::StrAppend(out, pad, "}\n");
    }
  }
}

int CountLive(const std::vector<GenStmt>& body) {
  int n = 0;
  for (const GenStmt& s : body) {
    if (s.removed) continue;
    ++n;
    n += CountLive(s.body);
  }
  return n;
}

}  // namespace

std::string GenProgram::Render(const std::string& pkg) const {
  const std::string& p = prefix;
  std::string out = absl::StrCat("package ", pkg, "\n\nimport (\n\t\"fmt\"\n\t\"unsafe\"\n)\n\n");
  absl::StrAppend(&out, "type ", p, "_T struct {\n\ta int\n\tp *int\n\tq *", p,
                  "_T\n\ts []*int\n\ti any\n}\n\n");
  absl::StrAppend(&out, "type ", p, "_V struct {\n\tx int\n\tp *int\n}\n\n");
  absl::StrAppend(&out, "type ", p, "_I interface {\n\tM() int\n}\n\n");
  absl::StrAppend(&out, "func (t *", p, "_T) M() int { return t.a }\n\n");
  absl::StrAppend(&out, "func (v ", p, "_V) M() int { return v.x }\n\n");
  absl::StrAppend(&out, "var ", p, "_gp *int\nvar ", p, "_gt *", p, "_T\nvar ", p,
                  "_gs []*int\nvar ", p, "_gi any\nvar ", p, "_gm map[int]*int\n\n");
  for (const GenFunc& f : funcs) {
    if (f.removed) continue;
    absl::StrAppend(&out, "func ", f.name, f.signature, " {\n");
    RenderStmts(f.body, 1, &out);
    absl::StrAppend(&out, "}\n\n");
  }
  absl::StrAppend(&out, "func ", p, "_fmt(x int) { fmt.Println(x) }\n\n");
  // Generic helpers, multi-value helpers.
  absl::StrAppend(&out, "func ", p, "_gid[T any](x T) T { return x }\n\n");
  absl::StrAppend(&out, "func ", p, "_gfirst[T comparable](x, y T) bool { return x == y }\n\n");
  absl::StrAppend(&out, "type ", p, "_Box[T any] struct {\n\tv T\n}\n\n");
  absl::StrAppend(&out, "func (b *", p, "_Box[T]) Get() T { return b.v }\n\n");
  absl::StrAppend(&out, "func (b *", p, "_Box[T]) Set(v T) { b.v = v }\n\n");
  absl::StrAppend(&out, "func ", p, "_two(a, b *int) (*int, *int) { return b, a }\n\n");
  absl::StrAppend(&out, "func ", p, "_second(a, b *int) *int { return b }\n\n");
  absl::StrAppend(&out, "var ", p, "_usize = unsafe.Sizeof(", p, "_gp)\n\n");
  absl::StrAppend(
      &out, "func ", p,
      "_vf(xs ...*int) *int {\n\tif len(xs) > 1 {\n\t\treturn xs[1]\n\t}\n\treturn nil\n}\n\n");
  absl::StrAppend(&out, "func ", p, "_named(a *int, b *", p, "_T) (r *int, t *", p,
                  "_T) {\n\tr = a\n\tif b != nil {\n\t\tt = b.q\n\t}\n\treturn\n}\n");
  return out;
}

int GenProgram::LiveStatements() const {
  int n = 0;
  for (const GenFunc& f : funcs)
    if (!f.removed) n += CountLive(f.body);
  return n;
}

const ProgramGenerator::Var* ProgramGenerator::Pick(Ctx& c, VKind k) {
  std::vector<const Var*> cands;
  for (const auto& sc : c.scopes)
    for (const Var& v : sc)
      if (v.kind == k) cands.push_back(&v);
  if (cands.empty()) return nullptr;
  return cands[R(static_cast<int>(cands.size()))];
}

static std::string Operand(const std::string& s) {
  if (!s.empty() && (s[0] == '&' || s[0] == '*')) return "(" + s + ")";
  return s;
}

std::string ProgramGenerator::Expr(Ctx& c, VKind k, std::vector<int>* uses, int depth) {
  if (depth > 3) depth = 3;
  auto var = [&](VKind kk) -> std::string {
    const Var* v = Pick(c, kk);
    if (v == nullptr) return "";
    uses->push_back(v->id);
    return v->name;
  };
  bool deep = depth >= 2;
  switch (k) {
    case kInt: {
      int r = R(6);
      if (r == 0 || deep) return "n";
      if (r == 1) {
        std::string v = var(kInt);
        if (!v.empty()) return v;
      }
      if (r == 2) return absl::StrCat(R(10));
      if (r == 3) return "*" + Expr(c, kPInt, uses, depth + 1);
      if (r == 4) return Operand(Expr(c, kPT, uses, depth + 1)) + ".a";
      return "len(" + Expr(c, kSPInt, uses, depth + 1) + ")";
    }
    case kPInt: {
      int r = R(8);
      if (deep) r = R(2) ? 0 : 2;
      if (r <= 1) {
        std::string v = var(kPInt);
        if (!v.empty()) return v;
        return "a";
      }
      if (r == 2) return "new(int)";
      if (r == 3) {
        std::string v = var(kInt);
        if (!v.empty()) return "&" + v;
        return "&n";
      }
      if (r == 4) return Operand(Expr(c, kPT, uses, depth + 1)) + ".p";
      if (r == 5) return Operand(Expr(c, kSPInt, uses, depth + 1)) + "[0]";
      if (r == 6) return "a";
      return p_ + "_gp";
    }
    case kPT: {
      int r = R(7);
      if (deep) r = R(2) ? 0 : 2;
      if (r <= 1) {
        std::string v = var(kPT);
        if (!v.empty()) return v;
        return "b";
      }
      if (r == 2) return absl::StrCat("&", p_, "_T{a: ", Expr(c, kInt, uses, depth + 1), "}");
      if (r == 3) return absl::StrCat("&", p_, "_T{p: ", Expr(c, kPInt, uses, depth + 1), "}");
      if (r == 4) {
        std::string v = var(kT);
        if (!v.empty()) return "&" + v;
        return "b";
      }
      if (r == 5) return Operand(Expr(c, kPT, uses, depth + 1)) + ".q";
      return "b";
    }
    case kT: {
      int r = R(3);
      if (r == 0) {
        std::string v = var(kT);
        if (!v.empty()) return v;
      }
      if (r == 1 && !deep) return "*" + Expr(c, kPT, uses, depth + 1);
      return absl::StrCat(p_, "_T{p: ", Expr(c, kPInt, uses, depth + 1), "}");
    }
    case kSPInt: {
      int r = R(7);
      if (deep) r = 0;
      if (r <= 1) {
        std::string v = var(kSPInt);
        if (!v.empty()) return v;
        return "s";
      }
      if (r == 2) return absl::StrCat("[]*int{", Expr(c, kPInt, uses, depth + 1), "}");
      if (r == 3) return "make([]*int, 0, 4)";
      if (r == 4)
        return absl::StrCat("append(", Expr(c, kSPInt, uses, depth + 1), ", ",
                            Expr(c, kPInt, uses, depth + 1), ")");
      if (r == 5) return "s[1:]";
      return absl::StrCat("make([]*int, ", Expr(c, kInt, uses, depth + 1), ")");
    }
    case kIface: {
      int r = R(5);
      if (r == 0) return Expr(c, kInt, uses, depth + 1);
      if (r == 1) return Expr(c, kPT, uses, depth + 1);
      if (r == 2) return Expr(c, kT, uses, depth + 1);
      if (r == 3) return absl::StrCat(p_, "_V{x: ", Expr(c, kInt, uses, depth + 1), "}");
      return p_ + "_gi";
    }
    default:
      return "n";
  }
}

std::string ProgramGenerator::Place(Ctx& c, VKind k, std::vector<int>* uses) {
  const Var* v = Pick(c, k);
  if (v == nullptr) return "";
  uses->push_back(v->id);
  return v->name;
}

void ProgramGenerator::Declare(Ctx& c, GenStmt* s, VKind k, const std::string& init) {
  int id = c.next_var++;
  std::string name = absl::StrCat("v", id);
  s->head = absl::StrCat(name, " := ", init, "\n_ = ", name);
  s->defines.push_back(id);
  c.scopes.back().push_back(Var{id, name, k});
}

std::string ProgramGenerator::CallExpr(Ctx& c, int fi, std::vector<int>* uses,
                                       std::vector<int>* calls) {
  calls->push_back(fi);
  return absl::StrCat(p_, "_f", fi, "(", Expr(c, kPInt, uses, 1), ", ", Expr(c, kPT, uses, 1), ", ",
                      Expr(c, kSPInt, uses, 1), ", ", Expr(c, kInt, uses, 1), ")");
}

std::string ProgramGenerator::NewName(Ctx& c, const char* prefix, int* id) {
  *id = c.next_var++;
  return absl::StrCat(prefix, *id);
}

// Less common constructs: maps, method values, type switches and
// assertions, closures capturing by reference, goto loops, arrays,
// strings, variadic calls, named results.
GenStmt ProgramGenerator::ExtraStmt(Ctx& c) {
  GenStmt s;
  std::vector<int> u;
  int id = 0;
  switch (R(32)) {
    case 20: {  // channels: make, send, receive, comma-ok receive, len/cap, close, range
      std::string ch = NewName(c, "ch", &id);
      s.head = absl::StrCat(ch, " := make(chan *int, ", 1 + R(3), ")\n", ch, " <- ",
                            Expr(c, kPInt, &u, 1), "\n");
      switch (R(4)) {
        case 0:
          absl::StrAppend(&s.head, p_, "_gp = <-", ch);
          break;
        case 1:
          absl::StrAppend(&s.head, "if r", id, ", ok := <-", ch, "; ok {\n\t", p_, "_gp = r", id,
                          "\n}");
          break;
        case 2:
          absl::StrAppend(&s.head, "_ = len(", ch, ") + cap(", ch, ")\nclose(", ch, ")\nfor r", id,
                          " := range ", ch, " {\n\t_ = *r", id, "\n}");
          break;
        default:
          absl::StrAppend(&s.head, "select {\ncase r", id, " := <-", ch, ":\n\t", p_, "_gp = r", id,
                          "\ncase ", ch, " <- ", Expr(c, kPInt, &u, 1), ":\ndefault:\n}");
      }
      s.defines.push_back(id);
      break;
    }
    case 21: {  // a channel of channels passed around; sends leak to the heap
      std::string ch = NewName(c, "cc", &id);
      s.head = absl::StrCat(ch, " := make(chan chan *int)\ngo func() {\n\t", ch,
                            " <- make(chan *int, 1)\n}()\n", p_, "_gi = ", ch);
      s.defines.push_back(id);
      break;
    }
    case 22: {  // generic functions, explicit and inferred instantiation
      std::string v = NewName(c, "g", &id);
      s.head = P(50)
                   ? absl::StrCat(v, " := ", p_, "_gid(", Expr(c, kPInt, &u, 1), ")")
                   : absl::StrCat(v, " := ", p_, "_gid[*", p_, "_T](", Expr(c, kPT, &u, 1), ").p");
      absl::StrAppend(&s.head, "\n",
                      P(50) ? absl::StrCat(p_, "_gp = ", v)
                            : absl::StrCat("_ = ", p_, "_gfirst(", v, ", ", v, ")"));
      s.defines.push_back(id);
      break;
    }
    case 23: {  // generic types and their methods
      std::string v = NewName(c, "bx", &id);
      s.head = absl::StrCat(v, " := ", P(50) ? "&" : "", p_,
                            "_Box[*int]{v: ", Expr(c, kPInt, &u, 1), "}\n",
                            P(50) ? absl::StrCat(p_, "_gp = ", v, ".Get()")
                                  : absl::StrCat(v, ".Set(", Expr(c, kPInt, &u, 1), ")"));
      s.defines.push_back(id);
      break;
    }
    case 24: {  // unsafe.Pointer and uintptr conversions
      std::string v = NewName(c, "up", &id);
      s.head = absl::StrCat(v, " := unsafe.Pointer(", Expr(c, kPInt, &u, 1), ")\n");
      if (P(50))
        absl::StrAppend(&s.head, p_, "_gp = (*int)(", v, ")");
      else
        absl::StrAppend(&s.head, "_ = uintptr(", v, ") + uintptr(unsafe.Sizeof(n))");
      s.defines.push_back(id);
      break;
    }
    case 25: {  // method expressions
      if (P(50)) {
        s.head = absl::StrCat("_ = (*", p_, "_T).M(", Expr(c, kPT, &u, 1), ")");
      } else {
        std::string f = NewName(c, "me", &id);
        s.head = absl::StrCat(f, " := ", p_, "_V.M\n_ = ", f, "(", p_,
                              "_V{x: ", Expr(c, kInt, &u, 1), ", p: ", Expr(c, kPInt, &u, 1), "})");
        s.defines.push_back(id);
      }
      break;
    }
    case 26: {  // a local type declaration
      std::string t = NewName(c, "L", &id);
      s.head = absl::StrCat(
          "type ", t, " struct{ p *int }\nl", id, " := ", P(50) ? "&" : "", t,
          "{p: ", Expr(c, kPInt, &u, 1), "}\n",
          P(50) ? absl::StrCat(p_, "_gp = l", id, ".p") : absl::StrCat(p_, "_gi = l", id));
      s.defines.push_back(id);
      break;
    }
    case 27: {  // complex numbers
      std::string v = NewName(c, "cx", &id);
      s.head = absl::StrCat(v, " := complex(float64(", Expr(c, kInt, &u, 1), "), 2)\n",
                            P(50) ? absl::StrCat(p_, "_gi = ", v, " * 1i")
                                  : absl::StrCat("_ = real(", v, ") + imag(", v, ")"));
      s.defines.push_back(id);
      break;
    }
    case 28: {  // f(g()) with a multi-value g
      s.head = P(50) ? absl::StrCat(p_, "_gp = ", p_, "_second(", p_, "_two(",
                                    Expr(c, kPInt, &u, 1), ", ", Expr(c, kPInt, &u, 1), "))")
                     : absl::StrCat("fmt.Println(", p_, "_two(", Expr(c, kPInt, &u, 1), ", ",
                                    Expr(c, kPInt, &u, 1), "))");
      break;
    }
    case 29: {  // anonymous structs
      std::string v = NewName(c, "an", &id);
      s.head = absl::StrCat(
          v, " := ", P(50) ? "&" : "", "struct {\n\tp *int\n\tn int\n}{p: ", Expr(c, kPInt, &u, 1),
          "}\n", P(50) ? absl::StrCat(p_, "_gp = ", v, ".p") : absl::StrCat(p_, "_gi = ", v));
      s.defines.push_back(id);
      break;
    }
    case 30: {  // labeled break and continue
      std::string l = NewName(c, "Outer", &id);
      s.head = absl::StrCat(l, ":\nfor i", id, " := 0; i", id, " < n; i", id, "++ {\n\tfor j", id,
                            " := 0; j", id, " < i", id, "; j", id, "++ {\n\t\tif j", id,
                            " == 1 {\n\t\t\tcontinue ", l, "\n\t\t}\n\t\t", p_,
                            "_gp = ", Expr(c, kPInt, &u, 1), "\n\t\tbreak ", l, "\n\t}\n}");
      break;
    }
    case 31: {  // a map compared with nil, a nil func
      std::string m = NewName(c, "nm", &id);
      s.head = absl::StrCat("var ", m, " map[int]*int\nvar fn", id, " func() *int\nif ", m,
                            " == nil && fn", id, " == nil {\n\t", m,
                            " = map[int]*int{n: ", Expr(c, kPInt, &u, 1), "}\n}\n", p_, "_gp = ", m,
                            "[n]");
      s.defines.push_back(id);
      break;
    }
    case 13: {
      std::string v = NewName(c, "st", &id);
      s.head = absl::StrCat(
          v, " := fmt.Sprint(", Expr(c, kInt, &u, 1), ")\n", v, " = ", v, " + \"-\" + ", v, "\n",
          P(50) ? absl::StrCat(p_, "_gi = ", v) : absl::StrCat("_ = len(", v, ")"));
      s.defines.push_back(id);
      break;
    }
    case 14: {
      std::string v = NewName(c, "iv", &id);
      s.head = absl::StrCat(v, " := &", p_, "_T{i: ", Expr(c, kIface, &u, 1),
                            ", s: ", Expr(c, kSPInt, &u, 1), "}\n",
                            P(50) ? absl::StrCat(p_, "_gt = ", v) : absl::StrCat("_ = ", v, ".i"));
      s.defines.push_back(id);
      break;
    }
    case 15: {
      std::string v = NewName(c, "fs", &id);
      s.head = absl::StrCat(
          "var ", v, " []func() int\nfor j", id, " := 0; j", id, " < n; j", id, "++ {\n\tw", id,
          " := j", id, "\n\t", v, " = append(", v, ", func() int {\n\t\treturn w", id,
          "\n\t})\n}\n", P(50) ? absl::StrCat(p_, "_gi = ", v) : absl::StrCat("_ = len(", v, ")"));
      s.defines.push_back(id);
      break;
    }
    case 16: {
      std::string t = Place(c, kPT, &u);
      if (t.empty()) t = "b";
      s.head = absl::StrCat(p_, "_gi = ", t, ".M");
      break;
    }
    case 17: {
      s.head = absl::StrCat("for k", c.next_var, " := 0; k", c.next_var, " < n; k", c.next_var,
                            "++ {\n\tdefer func() {\n\t\t", p_, "_gp = ", Expr(c, kPInt, &u, 1),
                            "\n\t}()\n}");
      c.next_var++;
      break;
    }
    case 18: {
      std::string v = NewName(c, "cp", &id);
      s.head =
          absl::StrCat(v, " := make([]*int, len(", Expr(c, kSPInt, &u, 1), "))\ncopy(", v, ", ",
                       Expr(c, kSPInt, &u, 1), ")\n", p_, "_gs = append(", v, ", ", p_, "_gs...)");
      s.defines.push_back(id);
      break;
    }
    case 19: {
      std::string v = NewName(c, "pa", &id);
      s.head = absl::StrCat(v, ", q", id, " := ", p_, "_named(", Expr(c, kPInt, &u, 1), ", ",
                            Expr(c, kPT, &u, 1), ")\n", p_, "_gp = ", v, "\n_ = q", id);
      s.defines.push_back(id);
      break;
    }
    case 0: {
      std::string m = NewName(c, "m", &id);
      s.head = absl::StrCat(m, " := ", P(50) ? "make(map[int]*int)" : "map[int]*int{}", "\n", m,
                            "[n] = ", Expr(c, kPInt, &u, 1), "\n", p_, "_gp = ", m, "[",
                            Expr(c, kInt, &u, 1), "]");
      s.defines.push_back(id);
      break;
    }
    case 1: {
      std::string t = Place(c, kPT, &u);
      if (t.empty()) t = "b";
      std::string f = NewName(c, "mv", &id);
      s.head = absl::StrCat(f, " := ", t, ".M\n_ = ", f, "()");
      s.defines.push_back(id);
      break;
    }
    case 2: {
      std::string x = NewName(c, "x", &id);
      s.block = true;
      s.head = absl::StrCat("switch ", x, " := ", p_, "_gi.(type) {\ncase *", p_, "_T:\n\t", p_,
                            "_gt = ", x, "\ncase ", p_, "_V:\n\t", p_, "_gp = ", x,
                            ".p\ndefault:\n\t_ = ", x, "\n}");
      s.block = false;
      break;
    }
    case 3: {
      std::string t = NewName(c, "t", &id);
      s.head = absl::StrCat("if ", t, ", ok := ", p_, "_gi.(*", p_, "_T); ok {\n\t", p_,
                            "_gp = ", t, ".p\n}");
      break;
    }
    case 4: {
      std::string v = NewName(c, "c", &id);
      s.head = absl::StrCat(v, " := ", Expr(c, kPInt, &u, 1), "\nfunc() {\n\t", v, " = ",
                            Expr(c, kPInt, &u, 1), "\n}()\n", p_, "_gp = ", v);
      s.defines.push_back(id);
      break;
    }
    case 5: {
      std::string v = NewName(c, "c", &id);
      s.head = absl::StrCat(
          v, " := ", Expr(c, kInt, &u, 1), "\nf", id, " := func() *int {\n\treturn &", v, "\n}\n",
          P(50) ? absl::StrCat(p_, "_gp = f", id, "()") : absl::StrCat("_ = f", id, "()"));
      s.defines.push_back(id);
      break;
    }
    case 6: {
      std::string k = NewName(c, "k", &id);
      std::string l = absl::StrCat("L", id);
      s.head = absl::StrCat(k, " := 0\n", l, ":\n", p_,
                            "_gp = ", P(50) ? "new(int)" : Expr(c, kPInt, &u, 1), "\n", k,
                            "++\nif ", k, " < n {\n\tgoto ", l, "\n}");
      s.defines.push_back(id);
      break;
    }
    case 7: {
      std::string a = NewName(c, "arr", &id);
      s.head = absl::StrCat(
          "var ", a, " [4]*int\n", a, "[0] = ", Expr(c, kPInt, &u, 1), "\n",
          P(50) ? absl::StrCat(p_, "_gs = ", a, "[1:]") : absl::StrCat("_ = ", a, "[1:]"));
      s.defines.push_back(id);
      break;
    }
    case 8: {
      std::string v = NewName(c, "str", &id);
      s.head = absl::StrCat(v, " := fmt.Sprint(", Expr(c, kInt, &u, 1), ") + \"x\"\nbs", id,
                            " := []byte(", v, ")\n", p_, "_gi = string(bs", id, ")");
      s.defines.push_back(id);
      break;
    }
    case 9: {
      s.head = absl::StrCat(p_, "_gp = ", p_, "_vf(", Expr(c, kPInt, &u, 1), ", ",
                            Expr(c, kPInt, &u, 1), ")");
      break;
    }
    case 10: {
      std::string v = NewName(c, "tv", &id);
      s.head = absl::StrCat(v, " := *", Operand(Expr(c, kPT, &u, 1)), "\n", v,
                            ".p = ", Expr(c, kPInt, &u, 1), "\n",
                            P(50) ? absl::StrCat(p_, "_gt = &", v) : absl::StrCat(p_, "_gi = ", v));
      s.defines.push_back(id);
      break;
    }
    case 11: {
      s.head = absl::StrCat("_, _ = ", p_, "_named(", Expr(c, kPInt, &u, 1), ", ",
                            Expr(c, kPT, &u, 1), ")");
      break;
    }
    default: {
      std::string v = NewName(c, "sl", &id);
      s.head = absl::StrCat(v, " := []", p_, "_T{{p: ", Expr(c, kPInt, &u, 1), "}}\nfor i", id,
                            " := range ", v, " {\n\t", p_, "_gp = ", v, "[i", id, "].p\n}");
      s.defines.push_back(id);
    }
  }
  s.uses = u;
  return s;
}

GenStmt ProgramGenerator::Stmt(Ctx& c) {
  if (P(25)) return ExtraStmt(c);
  GenStmt s;
  int r = R(100);
  if (c.depth < 2 && r < 12) {
    // Blocks.
    s.block = true;
    int b = R(3);
    c.scopes.emplace_back();
    c.depth++;
    if (b == 0) {
      s.head = absl::StrCat("if n > ", R(5), " {");
    } else if (b == 1) {
      int id = c.next_var++;
      std::string i = absl::StrCat("i", id);
      s.head = absl::StrCat("for ", i, " := 0; ", i, " < n; ", i, "++ {");
      c.scopes.back().push_back(Var{id, i, kInt});
    } else {
      int id = c.next_var++;
      std::string e = absl::StrCat("e", id);
      std::vector<int> u;
      std::string x = Expr(c, kSPInt, &u, 1);
      s.uses = u;
      s.head = absl::StrCat("for _, ", e, " := range ", x, " {");
      c.scopes.back().push_back(Var{id, e, kPInt});
      GenStmt use;
      use.head = "_ = " + e;
      use.fallback = use.head;  // keeps e used: never removed
      s.body.push_back(use);
    }
    for (GenStmt& b2 : Block(c, 1 + R(3))) s.body.push_back(std::move(b2));
    c.depth--;
    c.scopes.pop_back();
    for (const GenStmt& b2 : s.body) {
      s.uses.insert(s.uses.end(), b2.uses.begin(), b2.uses.end());
      s.calls.insert(s.calls.end(), b2.calls.begin(), b2.calls.end());
    }
    return s;
  }
  std::vector<int> u;
  r = R(100);
  if (r < 30) {
    VKind k = static_cast<VKind>(R(kNumKinds - 1));  // no iface vars
    std::string init = Expr(c, k, &u, 0);
    s.uses = u;
    Declare(c, &s, k, init);
    return s;
  }
  if (r < 38) {
    s.head = absl::StrCat(p_, "_gp = ", Expr(c, kPInt, &u, 0));
  } else if (r < 43) {
    s.head = absl::StrCat(p_, "_gt = ", Expr(c, kPT, &u, 0));
  } else if (r < 48) {
    s.head = absl::StrCat(p_, "_gi = ", Expr(c, kIface, &u, 0));
  } else if (r < 51) {
    s.head = absl::StrCat(p_, "_gs = append(", p_, "_gs, ", Expr(c, kPInt, &u, 0), ")");
  } else if (r < 53) {
    s.head = absl::StrCat(p_, "_gm[n] = ", Expr(c, kPInt, &u, 0));
  } else if (r < 58) {
    std::string t = Place(c, kPT, &u);
    if (t.empty()) t = "b";
    if (P(60))
      s.head = absl::StrCat(t, ".p = ", Expr(c, kPInt, &u, 1));
    else
      s.head = absl::StrCat(t, ".q = ", Expr(c, kPT, &u, 1));
  } else if (r < 62) {
    std::string v = Place(c, kSPInt, &u);
    if (v.empty()) v = "s";
    if (P(50))
      s.head = absl::StrCat(v, "[0] = ", Expr(c, kPInt, &u, 1));
    else
      s.head = absl::StrCat(v, " = append(", v, ", ", Expr(c, kPInt, &u, 1), ")");
  } else if (r < 65) {
    std::string v = Place(c, kPInt, &u);
    if (v.empty()) v = "a";
    if (P(50))
      s.head = absl::StrCat("*", v, " = ", Expr(c, kInt, &u, 1));
    else
      s.head = absl::StrCat(v, " = ", Expr(c, kPInt, &u, 1));
  } else if (r < 67) {
    std::string v = Place(c, kT, &u);
    if (v.empty()) return Stmt(c);
    s.head = absl::StrCat(v, ".p = ", Expr(c, kPInt, &u, 1));
  } else if (r < 75) {
    int fi = R(c.num_funcs);
    std::vector<int> calls;
    std::string call = CallExpr(c, fi, &u, &calls);
    s.calls = calls;
    int rk = result_kind_[fi];
    if (rk == 3 || P(40)) {
      s.head = rk == 3 ? absl::StrCat("_, _ = ", call) : absl::StrCat("_ = ", call);
    } else {
      s.uses = u;
      Declare(c, &s, rk == 0 ? kPInt : rk == 1 ? kPT : kInt, call);
      return s;
    }
  } else if (r < 79) {
    std::string t = Place(c, kPT, &u);
    if (t.empty()) t = "b";
    s.head = absl::StrCat("_ = ", t, ".M()");
  } else if (r < 83) {
    int id = c.next_var++;
    std::string name = absl::StrCat("v", id);
    std::string init = P(50) ? Expr(c, kPT, &u, 1)
                             : absl::StrCat(p_, "_V{x: ", Expr(c, kInt, &u, 1),
                                            ", p: ", Expr(c, kPInt, &u, 1), "}");
    s.head = absl::StrCat("var ", name, " ", p_, "_I = ", init, "\n_ = ", name, ".M()");
    s.defines.push_back(id);
  } else if (r < 88) {
    int k = R(4);
    if (k == 0) {
      int id = c.next_var++;
      std::string name = absl::StrCat("v", id);
      s.head = absl::StrCat(name, " := func() int {\n\treturn *", Expr(c, kPInt, &u, 1),
                            "\n}\n_ = ", name, "()");
      s.defines.push_back(id);
    } else if (k == 1) {
      s.head = absl::StrCat("func() {\n\t", p_, "_gp = ", Expr(c, kPInt, &u, 1), "\n}()");
    } else if (k == 2) {
      int id = c.next_var++;
      std::string name = absl::StrCat("v", id);
      s.head = absl::StrCat(name, " := func(x *int) *int {\n\treturn x\n}\n_ = ", name, "(",
                            Expr(c, kPInt, &u, 1), ")");
      s.defines.push_back(id);
    } else {
      std::string v = Place(c, kPInt, &u);
      if (v.empty()) v = "a";
      s.head = absl::StrCat("func() {\n\t", v, " = ", Expr(c, kPInt, &u, 1), "\n}()");
    }
  } else if (r < 93) {
    int k = R(4);
    if (k == 0)
      s.head = absl::StrCat("defer func() {\n\t_ = ", Expr(c, kPInt, &u, 1), "\n}()");
    else if (k == 1)
      s.head = absl::StrCat("go func() {\n\t", p_, "_gp = ", Expr(c, kPInt, &u, 1), "\n}()");
    else if (k == 2)
      s.head = absl::StrCat("defer ", p_, "_fmt(", Expr(c, kInt, &u, 1), ")");
    else {
      int fi = R(c.num_funcs);
      std::vector<int> calls;
      s.head = absl::StrCat(P(50) ? "defer " : "go ", CallExpr(c, fi, &u, &calls));
      s.calls = calls;
    }
  } else {
    int k = R(3);
    if (k == 0)
      s.head = absl::StrCat("fmt.Println(", Expr(c, kIface, &u, 1), ")");
    else if (k == 1)
      s.head = absl::StrCat(p_, "_fmt(", Expr(c, kInt, &u, 1), ")");
    else
      s.head =
          absl::StrCat("_ = fmt.Sprint(", Expr(c, kInt, &u, 1), ", ", Expr(c, kPT, &u, 1), ")");
  }
  s.uses.insert(s.uses.end(), u.begin(), u.end());
  return s;
}

std::vector<GenStmt> ProgramGenerator::Block(Ctx& c, int n) {
  std::vector<GenStmt> out;
  for (int i = 0; i < n; ++i) out.push_back(Stmt(c));
  return out;
}

GenProgram ProgramGenerator::Generate(const std::string& prefix, int num_funcs) {
  p_ = prefix;
  GenProgram prog;
  prog.prefix = prefix;
  result_kind_.clear();
  for (int i = 0; i < num_funcs; ++i) result_kind_.push_back(R(4));
  for (int i = 0; i < num_funcs; ++i) {
    GenFunc f;
    f.name = absl::StrCat(p_, "_f", i);
    static const char* kRes[] = {"*int", "", "int", ""};
    std::string res = result_kind_[i] == 1   ? absl::StrCat("*", p_, "_T")
                      : result_kind_[i] == 3 ? absl::StrCat("(*int, *", p_, "_T)")
                                             : kRes[result_kind_[i]];
    f.signature = absl::StrCat("(a *int, b *", p_, "_T, s []*int, n int) ", res);
    Ctx c;
    c.scopes.emplace_back();
    c.func_index = i;
    c.num_funcs = num_funcs;
    f.body = Block(c, 3 + R(8));
    GenStmt ret;
    std::vector<int> u;
    switch (result_kind_[i]) {
      case 0:
        ret.head = "return " + Expr(c, kPInt, &u, 0);
        ret.fallback = "return nil";
        break;
      case 1:
        ret.head = "return " + Expr(c, kPT, &u, 0);
        ret.fallback = "return nil";
        break;
      case 2:
        ret.head = "return " + Expr(c, kInt, &u, 0);
        ret.fallback = "return 0";
        break;
      default:
        ret.head = absl::StrCat("return ", Expr(c, kPInt, &u, 0), ", ", Expr(c, kPT, &u, 0));
        ret.fallback = "return nil, nil";
    }
    ret.uses = u;
    f.body.push_back(ret);
    prog.funcs.push_back(std::move(f));
  }
  return prog;
}

// ---------------------------------------------------------------- removal

namespace {

void Kill(GenStmt* s, std::set<int>* dead_vars) {
  s->removed = true;
  for (int d : s->defines) dead_vars->insert(d);
  for (GenStmt& b : s->body) Kill(&b, dead_vars);
}

// Removes statements using dead vars / calling dead funcs; returns true if
// anything changed.
bool Cascade(std::vector<GenStmt>* body, std::set<int>* dead_vars,
             const std::set<int>& dead_funcs) {
  bool changed = false;
  for (GenStmt& s : *body) {
    if (s.removed) continue;
    bool dead = false;
    for (int u : s.uses)
      if (dead_vars->count(u)) dead = true;
    for (int f : s.calls)
      if (dead_funcs.count(f)) dead = true;
    if (dead) {
      Kill(&s, dead_vars);
      changed = true;
      continue;
    }
    if (Cascade(&s.body, dead_vars, dead_funcs)) changed = true;
  }
  return changed;
}

void CascadeAll(GenProgram* p, int only_fi, std::set<int> dead_vars,
                const std::set<int>& dead_funcs) {
  for (int fi = 0; fi < static_cast<int>(p->funcs.size()); ++fi) {
    if (p->funcs[fi].removed) continue;
    if (only_fi >= 0 && fi != only_fi) {
      std::set<int> none;
      while (Cascade(&p->funcs[fi].body, &none, dead_funcs)) {
      }
      continue;
    }
    while (Cascade(&p->funcs[fi].body, &dead_vars, dead_funcs)) {
    }
  }
}

void Paths(const std::vector<GenStmt>& body, std::vector<int>* cur,
           std::vector<std::vector<int>>* out) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i].removed) continue;
    cur->push_back(static_cast<int>(i));
    out->push_back(*cur);
    Paths(body[i].body, cur, out);
    cur->pop_back();
  }
}

}  // namespace

void RemoveFunction(GenProgram* p, int fi) {
  p->funcs[fi].removed = true;
  std::set<int> dead_funcs;
  for (size_t i = 0; i < p->funcs.size(); ++i)
    if (p->funcs[i].removed) dead_funcs.insert(static_cast<int>(i));
  CascadeAll(p, -1, {}, dead_funcs);
}

bool RemoveStatement(GenProgram* p, int fi, std::vector<int> path) {
  std::vector<GenStmt>* body = &p->funcs[fi].body;
  GenStmt* s = nullptr;
  for (size_t k = 0; k < path.size(); ++k) {
    if (path[k] >= static_cast<int>(body->size())) return false;
    s = &(*body)[path[k]];
    body = &s->body;
  }
  if (s == nullptr || s->removed) return false;
  if (!s->fallback.empty() && s->head == s->fallback) return false;
  std::set<int> dead_vars;
  Kill(s, &dead_vars);
  std::set<int> dead_funcs;
  for (size_t i = 0; i < p->funcs.size(); ++i)
    if (p->funcs[i].removed) dead_funcs.insert(static_cast<int>(i));
  CascadeAll(p, fi, dead_vars, dead_funcs);
  return true;
}

std::vector<std::vector<int>> StatementPaths(const GenProgram& p, int fi) {
  std::vector<std::vector<int>> out;
  std::vector<int> cur;
  Paths(p.funcs[fi].body, &cur, &out);
  return out;
}

}  // namespace gclab::escape
