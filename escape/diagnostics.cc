#include "escape/diagnostics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gclab::escape {
namespace {

int Prec(const Node* n) {
  switch (n->op) {
    case Op::kUnaryOp:
    case Op::kAddr:
    case Op::kDeref:
      return 7;
    case Op::kArith: {
      const std::string& o = n->str;
      if (o == "*" || o == "/" || o == "%" || o == "<<" || o == ">>" || o == "&" || o == "&^")
        return 6;
      if (o == "+" || o == "-" || o == "|" || o == "^") return 5;
      return 4;
    }
    case Op::kAddStr:
      return 0;
    case Op::kLogic:
      return n->str == "&&" ? 2 : 1;
    case Op::kPtrLit:
    case Op::kClosure:
    case Op::kMakeMap:
    case Op::kRecover:
      return 0;  // missing from cmd/compile's OpPrec table
    default:
      return 8;
  }
}

const std::unordered_map<const Node*, const Node*>* g_subs = nullptr;

// Strips implicit nodes the way exprFmt does.
const Node* Visible(const Node* n) {
  while (n != nullptr) {
    if (g_subs != nullptr) {
      auto it = g_subs->find(n);
      if (it != g_subs->end()) {
        n = it->second;
        continue;
      }
    }
    if (n->implicit && (n->op == Op::kAddr || n->op == Op::kDeref || n->op == Op::kConv ||
                        n->op == Op::kConvIface)) {
      n = n->x;
      continue;
    }
    break;
  }
  return n;
}

void Fmt(const Node* n, int prec, std::string* out);

std::string S(const Node* n, int prec = 0) {
  std::string s;
  Fmt(n, prec, &s);
  return s;
}

std::string ConvType(const Type* t) {
  bool named = t->kind == Kind::kNamed || t == U().any_t || (t->kind < Kind::kPointer);
  if (named) return TypeString(t);
  return absl::StrCat("(", TypeString(t), ")");
}

void Fmt(const Node* n, int prec, std::string* out) {
  n = Visible(n);
  if (n == nullptr) {
    out->append("<nil>");
    return;
  }
  int np = Prec(n);
  if (prec > np) {
    absl::StrAppend(out, "(", S(n, 0), ")");
    return;
  }
  switch (n->op) {
    case Op::kName:
    case Op::kLiteral:
    case Op::kFuncName:
      out->append(n->str);
      return;
    case Op::kNil:
      out->append("nil");
      return;
    case Op::kType:
      out->append(TypeString(n->type));
      return;
    case Op::kClosure:
      out->append("func literal");
      return;
    case Op::kSliceLit:
      if (n->implicit) {
        out->append("... argument");
        return;
      }
      [[fallthrough]];
    case Op::kStructLit:
    case Op::kArrayLit:
    case Op::kMapLit:
      absl::StrAppend(out, TypeString(n->type), n->list.empty() ? "{}" : "{...}");
      return;
    case Op::kPtrLit:
      absl::StrAppend(out, "&", S(n->x, 0));
      return;
    case Op::kDot:
    case Op::kDotPtr:
    case Op::kDotInter:
      Fmt(n->x, np, out);
      absl::StrAppend(out, ".", n->str);
      return;
    case Op::kMethValue:
      Fmt(n->y != nullptr ? n->y : n->x, np, out);
      absl::StrAppend(out, ".", n->str);
      return;
    case Op::kDotType:
    case Op::kDotType2:
      Fmt(n->x, np, out);
      absl::StrAppend(out, ".(", TypeString(n->op == Op::kDotType2 ? n->w->type : n->type), ")");
      return;
    case Op::kIndexArr:
    case Op::kIndexSlice:
    case Op::kIndexString:
    case Op::kIndexMap:
      Fmt(n->x, np, out);
      absl::StrAppend(out, "[", S(n->y), "]");
      return;
    case Op::kSliceArr:
    case Op::kSliceSlice:
    case Op::kSliceStr:
      Fmt(n->x, np, out);
      out->append("[");
      if (n->y) out->append(S(n->y));
      out->append(":");
      if (n->z) out->append(S(n->z));
      if (n->ddd) {
        out->append(":");
        if (n->w) out->append(S(n->w));
      }
      out->append("]");
      return;
    case Op::kConv:
    case Op::kConvIface:
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr:
      absl::StrAppend(out, ConvType(n->type), "(", S(n->x), ")");
      return;
    case Op::kLen:
    case Op::kCap:
      absl::StrAppend(out, n->op == Op::kLen ? "len(" : "cap(", S(n->x), ")");
      return;
    case Op::kNew:
      absl::StrAppend(out, "new(", TypeString(n->w->type), ")");
      return;
    case Op::kMakeSlice:
    case Op::kMakeMap:
      absl::StrAppend(out, "make(", TypeString(n->type));
      if (n->x) absl::StrAppend(out, ", ", S(n->x));
      if (n->y) absl::StrAppend(out, ", ", S(n->y));
      out->append(")");
      return;
    case Op::kAppend:
    case Op::kDelete:
    case Op::kPrint:
    case Op::kPrintln:
    case Op::kRecover:
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth: {
      std::vector<std::string> args;
      for (const Node* a : n->list) args.push_back(S(a));
      std::string head;
      switch (n->op) {
        case Op::kAppend:
          head = "append";
          break;
        case Op::kDelete:
          head = "delete";
          break;
        case Op::kPrint:
          head = "print";
          break;
        case Op::kPrintln:
          head = "println";
          break;
        case Op::kRecover:
          head = "recover";
          break;
        case Op::kCallMeth: {
          // After FixMethodCall: a call of the method expression with the
          // receiver as first argument, "(*T).M(x, ...)" / "T.M(x, ...)".
          const Type* rt = n->fn != nullptr && n->fn->recv != nullptr ? n->fn->recv->type : nullptr;
          if (rt == nullptr) {
            head = S(n->w, 8) + "." + n->str;
            args.erase(args.begin());
          } else if (rt->kind == Kind::kPointer) {
            head = absl::StrCat("(*", TypeString(rt->elem), ").", n->str);
          } else {
            head = absl::StrCat(TypeString(rt), ".", n->str);
          }
          break;
        }
        default:
          head = S(n->x, 8);
      }
      absl::StrAppend(out, head, "(", absl::StrJoin(args, ", "),
                      n->ddd || n->packed ? "...)" : ")");
      return;
    }
    case Op::kCopy:
      absl::StrAppend(out, "copy(", S(n->x), ", ", S(n->y), ")");
      return;
    case Op::kPanic:
      absl::StrAppend(out, "panic(", S(n->x), ")");
      return;
    case Op::kUnaryOp:
      out->append(n->str);
      if (Visible(n->x)->op == Op::kUnaryOp && Visible(n->x)->str == n->str) out->append(" ");
      Fmt(n->x, np + 1, out);
      return;
    case Op::kAddr:
      out->append("&");
      if (Visible(n->x)->op == Op::kAddr) out->append(" ");
      Fmt(n->x, np + 1, out);
      return;
    case Op::kDeref:
      out->append("*");
      Fmt(n->x, np + 1, out);
      return;
    case Op::kArith:
    case Op::kLogic:
      Fmt(n->x, np, out);
      absl::StrAppend(out, " ", n->str, " ");
      Fmt(n->y, np + 1, out);
      return;
    case Op::kAddStr: {
      for (size_t i = 0; i < n->list.size(); ++i) {
        if (i) out->append(" + ");
        Fmt(n->list[i], np, out);
      }
      return;
    }
    // Statements (only used in -m=2 style explanations).
    case Op::kReturnStmt: {
      std::vector<std::string> xs;
      for (const Node* e : n->list) xs.push_back(S(e));
      absl::StrAppend(out, "return ", absl::StrJoin(xs, ", "));
      return;
    }
    case Op::kAs:
      absl::StrAppend(out, S(n->x), " = ", n->y ? S(n->y) : "<nil>");
      return;
    case Op::kAsOp:
      absl::StrAppend(out, S(n->x), " ", n->str, "= ", S(n->y));
      return;
    case Op::kAs2:
    case Op::kAs2Func:
    case Op::kAs2DotType:
    case Op::kAs2MapR: {
      std::vector<std::string> l, r;
      for (const Node* e : n->list) l.push_back(e ? S(e) : "_");
      if (n->x) r.push_back(S(n->x));
      for (const Node* e : n->list2) r.push_back(S(e));
      absl::StrAppend(out, absl::StrJoin(l, ", "), " = ", absl::StrJoin(r, ", "));
      return;
    }
    case Op::kRangeStmt:
      absl::StrAppend(out, "for range ", S(n->x));
      return;
    case Op::kCaseClause:
      out->append("case");
      return;
    case Op::kGoStmt:
    case Op::kDeferStmt:
      absl::StrAppend(out, n->op == Op::kGoStmt ? "go " : "defer ", S(n->x));
      return;
    default:
      out->append("?");
  }
}

}  // namespace

std::string ExprString(const Node* n) { return S(n); }

void SetExprSubstitutions(const std::unordered_map<const Node*, const Node*>* subs) {
  g_subs = subs;
}

std::string FormatDiagnostics(const std::string& file, const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const Diagnostic& d : diags)
    absl::StrAppend(&out, file, ":", d.pos.line, ":", d.pos.col, ": ", d.msg, "\n");
  return out;
}

}  // namespace gclab::escape
