#include "escape/lexer.h"

#include <cctype>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gclab::escape {
namespace {

const std::set<std::string>& Keywords() {
  static const auto* k = new std::set<std::string>{
      "break",  "case",        "chan", "const",   "continue", "default", "defer",
      "else",   "fallthrough", "for",  "func",    "go",       "goto",    "if",
      "import", "interface",   "map",  "package", "range",    "return",  "select",
      "struct", "switch",      "type", "var"};
  return *k;
}

// Operators, longest first so that greedy matching works.
const char* const kOps[] = {
    "<<=", ">>=", "&^=", "...", "&&", "||", "<-", "++", "--", "==", "!=", "<=",
    ">=",  ":=",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
    "&^",  "+",   "-",   "*",   "/",  "%",  "&",  "|",  "^",  "<",  ">",  "=",
    "!",   "(",   ")",   "[",   "]",  "{",  "}",  ",",  ";",  ".",  ":",  "~"};

bool NeedsSemi(const Token& t) {
  switch (t.kind) {
    case TokKind::kIdent:
    case TokKind::kInt:
    case TokKind::kFloat:
    case TokKind::kChar:
    case TokKind::kString:
      return true;
    case TokKind::kKeyword:
      return t.text == "break" || t.text == "continue" || t.text == "fallthrough" ||
             t.text == "return";
    case TokKind::kOp:
      return t.text == "++" || t.text == "--" || t.text == ")" || t.text == "]" || t.text == "}";
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::vector<Token>> Lex(absl::string_view filename, absl::string_view src) {
  std::vector<Token> out;
  int line = 1, col = 1;
  size_t i = 0;
  auto err = [&](int l, int c, absl::string_view msg) {
    return absl::InvalidArgumentError(absl::StrCat(filename, ":", l, ":", c, ": ", msg));
  };
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < src.size(); ++k, ++i) {
      if (src[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
  };
  auto semi_at = [&](int l, int c) {
    if (!out.empty() && NeedsSemi(out.back())) {
      Token t;
      t.kind = TokKind::kOp;
      t.text = ";";
      t.pos = {l, c};
      t.auto_semi = true;
      out.push_back(t);
    }
  };
  while (i < src.size()) {
    char c = src[i];
    if (c == '\n') {
      semi_at(line, col);
      advance(1);
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      advance(1);
      continue;
    }
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
      while (i < src.size() && src[i] != '\n') advance(1);
      continue;
    }
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      int sl = line, sc = col;
      bool had_newline = false;
      advance(2);
      while (i + 1 < src.size() && !(src[i] == '*' && src[i + 1] == '/')) {
        if (src[i] == '\n') had_newline = true;
        advance(1);
      }
      if (i + 1 >= src.size()) return err(sl, sc, "comment not terminated");
      if (had_newline) semi_at(sl, sc);
      advance(2);
      continue;
    }
    Token t;
    t.pos = {line, col};
    size_t start = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < src.size() && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '_'))
        advance(1);
      t.text = std::string(src.substr(start, i - start));
      t.kind = Keywords().count(t.text) ? TokKind::kKeyword : TokKind::kIdent;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return err(line, col, "invalid character in identifier (non-ASCII unsupported)");
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < src.size() &&
                std::isdigit(static_cast<unsigned char>(src[i + 1])))) {
      bool is_float = false;
      if (c == '0' && i + 1 < src.size() && (src[i + 1] == 'x' || src[i + 1] == 'X')) {
        advance(2);
        while (i < src.size() &&
               (std::isxdigit(static_cast<unsigned char>(src[i])) || src[i] == '_'))
          advance(1);
      } else {
        while (i < src.size()) {
          char d = src[i];
          if (std::isdigit(static_cast<unsigned char>(d)) || d == '_') {
            advance(1);
          } else if (d == '.') {
            is_float = true;
            advance(1);
          } else if ((d == 'e' || d == 'E')) {
            is_float = true;
            advance(1);
            if (i < src.size() && (src[i] == '+' || src[i] == '-')) advance(1);
          } else {
            break;
          }
        }
      }
      if (i < src.size() && src[i] == 'i') {
        return err(t.pos.line, t.pos.col, "unsupported: imaginary literal");
      }
      t.text = std::string(src.substr(start, i - start));
      t.kind = is_float ? TokKind::kFloat : TokKind::kInt;
    } else if (c == '"') {
      advance(1);
      while (true) {
        if (i >= src.size() || src[i] == '\n')
          return err(t.pos.line, t.pos.col, "string literal not terminated");
        if (src[i] == '\\') {
          advance(2);
          continue;
        }
        if (src[i] == '"') break;
        advance(1);
      }
      advance(1);
      t.text = std::string(src.substr(start, i - start));
      t.kind = TokKind::kString;
    } else if (c == '`') {
      advance(1);
      while (i < src.size() && src[i] != '`') advance(1);
      if (i >= src.size()) return err(t.pos.line, t.pos.col, "raw string literal not terminated");
      advance(1);
      t.text = std::string(src.substr(start, i - start));
      t.kind = TokKind::kString;
    } else if (c == '\'') {
      advance(1);
      int n = 0;
      while (true) {
        if (i >= src.size() || src[i] == '\n')
          return err(t.pos.line, t.pos.col, "rune literal not terminated");
        if (src[i] == '\\') {
          advance(2);
          ++n;
          continue;
        }
        if (src[i] == '\'') break;
        advance(1);
        ++n;
      }
      advance(1);
      if (n == 0)
        return err(t.pos.line, t.pos.col, "empty rune literal or unescaped ' in rune literal");
      t.text = std::string(src.substr(start, i - start));
      t.kind = TokKind::kChar;
    } else {
      bool found = false;
      for (const char* op : kOps) {
        absl::string_view o(op);
        if (src.substr(i, o.size()) == o) {
          t.text = std::string(o);
          t.kind = TokKind::kOp;
          advance(o.size());
          found = true;
          break;
        }
      }
      if (!found) {
        return err(line, col,
                   absl::StrCat("invalid character U+",
                                absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad4), " '",
                                std::string(1, c), "'"));
      }
    }
    out.push_back(std::move(t));
  }
  semi_at(line, col);
  Token eof;
  eof.kind = TokKind::kEOF;
  eof.pos = {line, col};
  out.push_back(eof);
  return out;
}

}  // namespace gclab::escape
