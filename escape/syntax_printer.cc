#include "escape/syntax_printer.h"

#include "absl/strings/str_cat.h"

namespace gclab::escape {
namespace {

void Print(const Node* n, std::string* out);

void PrintList(const std::vector<Node*>& l, std::string* out) {
  for (size_t i = 0; i < l.size(); ++i) {
    if (i) out->append(", ");
    Print(l[i], out);
  }
}

void PrintFields(const std::vector<Node*>& l, std::string* out) {
  // Consecutive fields sharing one type node print as "a, b T".
  for (size_t i = 0; i < l.size(); ++i) {
    const Node* f = l[i];
    bool grouped = i + 1 < l.size() && l[i + 1]->x == f->x && !f->str.empty();
    if (i) out->append(", ");
    if (!f->str.empty()) {
      out->append(f->str);
      if (grouped) continue;
      out->append(" ");
    }
    if (f->ddd) out->append("...");
    Print(f->x, out);
  }
}

void PrintSignature(const Node* ft, std::string* out) {
  out->append("(");
  PrintFields(ft->list, out);
  out->append(")");
  if (ft->list2.empty()) return;
  out->append(" ");
  if (ft->list2.size() == 1 && ft->list2[0]->str.empty()) {
    Print(ft->list2[0]->x, out);
    return;
  }
  out->append("(");
  PrintFields(ft->list2, out);
  out->append(")");
}

void Print(const Node* n, std::string* out) {
  if (n == nullptr) return;
  switch (n->op) {
    case Op::kIdent:
    case Op::kBasicLit:
      out->append(n->str);
      return;
    case Op::kCompositeLit:
      Print(n->x, out);
      out->append(n->list.empty() ? "{}" : "{…}");
      return;
    case Op::kFuncLit:
      Print(n->y, out);
      out->append(n->z != nullptr && !n->z->list.empty() ? " {…}" : " {}");
      return;
    case Op::kParen:
      out->append("(");
      Print(n->x, out);
      out->append(")");
      return;
    case Op::kSelector:
      Print(n->x, out);
      absl::StrAppend(out, ".", n->str);
      return;
    case Op::kIndex:
      Print(n->x, out);
      out->append("[");
      PrintList(n->list, out);
      out->append("]");
      return;
    case Op::kSliceExpr:
      Print(n->x, out);
      out->append("[");
      Print(n->y, out);
      out->append(":");
      Print(n->z, out);
      if (n->w != nullptr) {
        out->append(":");
        Print(n->w, out);
      }
      out->append("]");
      return;
    case Op::kTypeAssert:
      Print(n->x, out);
      out->append(".(");
      if (n->y != nullptr) {
        Print(n->y, out);
      } else {
        out->append("type");
      }
      out->append(")");
      return;
    case Op::kCall:
      Print(n->x, out);
      out->append("(");
      PrintList(n->list, out);
      if (n->ddd) out->append("...");
      out->append(")");
      return;
    case Op::kUnary:
      out->append(n->str);
      Print(n->x, out);
      return;
    case Op::kStar:
      out->append("*");
      Print(n->x, out);
      return;
    case Op::kBinary:
      Print(n->x, out);
      absl::StrAppend(out, " ", n->str, " ");
      Print(n->y, out);
      return;
    case Op::kKeyValue:
      Print(n->x, out);
      out->append(": ");
      Print(n->y, out);
      return;
    case Op::kArrayType:
      out->append("[");
      if (n->x != nullptr) {
        Print(n->x, out);
      } else {
        out->append("...");
      }
      out->append("]");
      Print(n->y, out);
      return;
    case Op::kSliceType:
      out->append("[]");
      Print(n->y, out);
      return;
    case Op::kMapType:
      out->append("map[");
      Print(n->x, out);
      out->append("]");
      Print(n->y, out);
      return;
    case Op::kChanType: {
      auto dir = static_cast<ChanDir>(n->int_val);
      if (dir == ChanDir::kRecv) out->append("<-");
      out->append("chan");
      if (dir == ChanDir::kSend) out->append("<-");
      out->append(" ");
      bool paren = dir == ChanDir::kBoth && n->y != nullptr && n->y->op == Op::kChanType &&
                   static_cast<ChanDir>(n->y->int_val) == ChanDir::kRecv;
      if (paren) out->append("(");
      Print(n->y, out);
      if (paren) out->append(")");
      return;
    }
    case Op::kFuncType:
      out->append("func");
      PrintSignature(n, out);
      return;
    case Op::kStructType:
      out->append("struct{");
      for (size_t i = 0; i < n->list.size(); ++i) {
        const Node* f = n->list[i];
        if (i) out->append("; ");
        if (!f->implicit) absl::StrAppend(out, f->str, " ");
        Print(f->x, out);
      }
      out->append("}");
      return;
    case Op::kInterfaceType:
      out->append("interface{");
      for (size_t i = 0; i < n->list.size(); ++i) {
        const Node* m = n->list[i];
        if (i) out->append("; ");
        if (!m->str.empty()) {
          out->append(m->str);
          PrintSignature(m->x, out);
        } else {
          Print(m->x, out);
        }
      }
      out->append("}");
      return;
    case Op::kEllipsis:
      out->append("...");
      Print(n->y, out);
      return;
    default:
      out->append("<expr>");
  }
}

}  // namespace

std::string SyntaxString(const Node* n) {
  std::string s;
  Print(n, &s);
  return s;
}

}  // namespace gclab::escape
