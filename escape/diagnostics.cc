#include "escape/diagnostics.h"

#include "absl/strings/str_cat.h"
#include "escape/syntax_printer.h"

namespace gclab::escape {
namespace {

class Printer {
 public:
  explicit Printer(const PrintSubstitutions* subs) : subs_(subs) {}

  void Fmt(const Node* n, int prec, std::string* out);

  std::string S(const Node* n, int prec = 0) {
    std::string s;
    Fmt(n, prec, &s);
    return s;
  }

 private:
  // cmd/compile's OpPrec (0 for the ops missing from its table).
  static int Prec(const Node* n) {
    switch (n->op) {
      case Op::kLiteral:
        return n->int_val > 0 ? static_cast<int>(n->int_val) : 8;
      case Op::kUnaryOp:
      case Op::kAddr:
      case Op::kDeref:
      case Op::kRecv:
        return 7;
      case Op::kArith: {
        const std::string& o = n->str;
        if (o == "*" || o == "/" || o == "%" || o == "<<" || o == ">>" || o == "&" || o == "&^")
          return 6;
        if (o == "+" || o == "-" || o == "|" || o == "^") return 5;
        return 4;
      }
      case Op::kLogic:
        return n->str == "&&" ? 2 : 1;
      case Op::kAddStr:
      case Op::kPtrLit:
      case Op::kClosure:
      case Op::kMakeMap:
      case Op::kMakeChan:
      case Op::kRecover:
      case Op::kComplex:
      case Op::kReal:
      case Op::kImag:
        return 0;
      case Op::kType:
        return n->type != nullptr && n->type->kind == Kind::kPointer ? 7 : 8;
      default:
        return 8;
    }
  }

  // Skips what exprFmt does not show.
  const Node* Visible(const Node* n) const {
    while (n != nullptr) {
      if (subs_ != nullptr) {
        auto it = subs_->find(n);
        if (it != subs_->end()) {
          n = it->second;
          continue;
        }
      }
      // (A conversion of a shape-typed value is a dictionary conversion,
      // printed as its data word: unsafe.Pointer(x).)
      if (n->implicit && (n->op == Op::kAddr || n->op == Op::kDeref || n->op == Op::kConv ||
                          (n->op == Op::kConvIface && !ShapeConv(n)))) {
        n = n->x;
        continue;
      }
      break;
    }
    return n;
  }

  static bool ShapeConv(const Node* n) {
    return n->op == Op::kConvIface && n->x != nullptr && n->x->type != nullptr && n->x->type->shape;
  }

  static std::string ConvType(const Type* t) {
    bool named = t->kind == Kind::kNamed || t == U().any_t || t->kind < Kind::kPointer;
    if (named) return TypeString(t);
    return absl::StrCat("(", TypeString(t), ")");
  }

  void Args(const std::vector<Node*>& l, size_t from, std::string* out) {
    for (size_t i = from; i < l.size(); ++i) {
      if (i > from) out->append(", ");
      Fmt(l[i], 0, out);
    }
  }

  const PrintSubstitutions* subs_;
};

void Printer::Fmt(const Node* n, int prec, std::string* out) {
  n = Visible(n);
  if (n == nullptr) {
    out->append("<nil>");
    return;
  }
  int np = Prec(n);
  if (prec > np) {
    out->append("(");
    Fmt(n, 0, out);
    out->append(")");
    return;
  }
  switch (n->op) {
    case Op::kName:
      if (n->str.size() > 2 && n->str[0] == '~' && n->str[1] == 'b') {
        out->append("_");
        return;
      }
      out->append(n->str);
      return;
    case Op::kLiteral:
      out->append(n->syntax != nullptr ? SyntaxString(n->syntax) : n->str);
      return;
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
      out->append("&");
      Fmt(n->x, 0, out);
      return;
    case Op::kDot:
    case Op::kDotPtr:
    case Op::kDotInter:
    case Op::kMethValue:
      Fmt(n->x, np, out);
      absl::StrAppend(out, ".", n->str);
      return;
    case Op::kMethodExpr:
      Fmt(n->x, np, out);
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
      out->append("[");
      Fmt(n->y, 0, out);
      out->append("]");
      return;
    case Op::kSliceArr:
    case Op::kSliceSlice:
    case Op::kSliceStr:
      Fmt(n->x, np, out);
      out->append("[");
      if (n->y) Fmt(n->y, 0, out);
      out->append(":");
      if (n->z) Fmt(n->z, 0, out);
      if (n->ddd) {
        out->append(":");
        if (n->w) Fmt(n->w, 0, out);
      }
      out->append("]");
      return;
    case Op::kConvIface:
      if (ShapeConv(n)) {
        out->append("unsafe.Pointer(");
        Fmt(n->x, 0, out);
        out->append(")");
        return;
      }
      [[fallthrough]];
    case Op::kConv:
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr:
    case Op::kSlice2ArrPtr:
      absl::StrAppend(out, ConvType(n->type), "(");
      Fmt(n->x, 0, out);
      out->append(")");
      return;
    case Op::kLen:
    case Op::kCap:
    case Op::kClose:
    case Op::kReal:
    case Op::kImag:
    case Op::kPanic: {
      const char* name = n->op == Op::kLen     ? "len"
                         : n->op == Op::kCap   ? "cap"
                         : n->op == Op::kClose ? "close"
                         : n->op == Op::kReal  ? "real"
                         : n->op == Op::kImag  ? "imag"
                                               : "panic";
      absl::StrAppend(out, name, "(");
      Fmt(n->x, 0, out);
      out->append(")");
      return;
    }
    case Op::kNew:
      absl::StrAppend(out, "new(", TypeString(n->w->type), ")");
      return;
    case Op::kMakeSlice:
    case Op::kMakeMap:
    case Op::kMakeChan:
      absl::StrAppend(out, "make(", TypeString(n->type));
      if (n->x) {
        out->append(", ");
        Fmt(n->x, 0, out);
      }
      if (n->y) {
        out->append(", ");
        Fmt(n->y, 0, out);
      }
      out->append(")");
      return;
    case Op::kCopy:
    case Op::kComplex:
    case Op::kUnsafeAdd:
    case Op::kUnsafeSlice: {
      const char* name = n->op == Op::kCopy        ? "copy"
                         : n->op == Op::kComplex   ? "complex"
                         : n->op == Op::kUnsafeAdd ? "unsafe.Add"
                                                   : "unsafe.Slice";
      absl::StrAppend(out, name, "(");
      Fmt(n->x, 0, out);
      out->append(", ");
      Fmt(n->y, 0, out);
      out->append(")");
      return;
    }
    case Op::kAppend:
    case Op::kDelete:
    case Op::kPrint:
    case Op::kPrintln:
    case Op::kRecover: {
      const char* name = n->op == Op::kAppend    ? "append"
                         : n->op == Op::kDelete  ? "delete"
                         : n->op == Op::kPrint   ? "print"
                         : n->op == Op::kPrintln ? "println"
                                                 : "recover";
      absl::StrAppend(out, name, "(");
      Args(n->list, 0, out);
      out->append(n->ddd ? "...)" : ")");
      return;
    }
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth: {
      size_t from = 0;
      if (n->op == Op::kCallMeth) {
        // After FixMethodCall: the method expression called with the
        // receiver as first argument, "(*T).M(x, ...)".
        const Type* rt = n->fn != nullptr && n->fn->recv != nullptr ? n->fn->recv->type : nullptr;
        if (rt == nullptr) {
          Fmt(n->w, 8, out);
          absl::StrAppend(out, ".", n->str);
          from = 1;
        } else if (rt->kind == Kind::kPointer) {
          absl::StrAppend(out, "(*", TypeString(rt->elem), ").", n->str);
        } else {
          absl::StrAppend(out, TypeString(rt), ".", n->str);
        }
      } else {
        Fmt(n->x, 8, out);
      }
      out->append("(");
      Args(n->list, from, out);
      out->append(n->ddd || n->packed ? "...)" : ")");
      return;
    }
    case Op::kUnaryOp:
    case Op::kRecv: {
      const std::string op = n->op == Op::kRecv ? "<-" : n->str;
      out->append(op);
      const Node* x = Visible(n->x);
      if (x != nullptr && x->op == n->op && (n->op == Op::kRecv || x->str == n->str))
        out->append(" ");
      Fmt(n->x, np + 1, out);
      return;
    }
    case Op::kAddr: {
      out->append("&");
      const Node* x = Visible(n->x);
      if (x != nullptr && x->op == Op::kAddr) out->append(" ");
      Fmt(n->x, np + 1, out);
      return;
    }
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
    case Op::kAddStr:
      for (size_t i = 0; i < n->list.size(); ++i) {
        if (i) out->append(" + ");
        Fmt(n->list[i], np, out);
      }
      return;
    // Statements (only in -m=2 style explanations).
    case Op::kReturnStmt: {
      out->append("return ");
      Args(n->list, 0, out);
      return;
    }
    case Op::kAs:
      Fmt(n->x, 0, out);
      out->append(" = ");
      if (n->y) {
        Fmt(n->y, 0, out);
      } else {
        out->append("<nil>");
      }
      return;
    case Op::kAsOp:
      Fmt(n->x, 0, out);
      absl::StrAppend(out, " ", n->str, "= ");
      Fmt(n->y, 0, out);
      return;
    case Op::kAs2:
    case Op::kAs2Func:
    case Op::kAs2DotType:
    case Op::kAs2MapR:
    case Op::kAs2Recv: {
      for (size_t i = 0; i < n->list.size(); ++i) {
        if (i) out->append(", ");
        if (n->list[i] != nullptr) {
          Fmt(n->list[i], 0, out);
        } else {
          out->append("_");
        }
      }
      out->append(" = ");
      if (n->x) {
        Fmt(n->x, 0, out);
      } else {
        Args(n->list2, 0, out);
      }
      return;
    }
    case Op::kSendStmt:
      Fmt(n->x, 3, out);
      out->append(" <- ");
      Fmt(n->y, 4, out);
      return;
    case Op::kRangeStmt:
      out->append("for range ");
      Fmt(n->x, 0, out);
      return;
    case Op::kCaseClause:
      out->append("case");
      return;
    case Op::kGoStmt:
    case Op::kDeferStmt:
      out->append(n->op == Op::kGoStmt ? "go " : "defer ");
      Fmt(n->x, 0, out);
      return;
    default:
      out->append("?");
  }
}

}  // namespace

std::string ExprString(const Node* n, const PrintSubstitutions* subs) {
  Printer p(subs);
  return p.S(n);
}

std::string FormatDiagnostics(const std::string& file, const std::vector<Diagnostic>& diags) {
  // cmd/internal/src packs a position in 32 bits: lines saturate at
  // 2^20-2 (dropping the column), and columns from 255 on are not printed.
  constexpr int kLineMax = (1 << 20) - 2;
  constexpr int kColMax = (1 << 8) - 1;
  std::string out;
  for (const Diagnostic& d : diags) {
    Pos p = d.pos;
    if (p.line >= kLineMax) p = Pos{kLineMax, 0};
    if (p.col >= kColMax) p.col = 0;
    if (p.col == 0) {
      absl::StrAppend(&out, file, ":", p.line, ": ", d.msg, "\n");
    } else {
      absl::StrAppend(&out, PosMessage(file, p, d.msg), "\n");
    }
  }
  return out;
}

}  // namespace gclab::escape
