#include "escape/lexer.h"

#include <locale.h>
#include <wctype.h>

#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "escape/constant.h"
#include "escape/utf8.h"

namespace gclab::escape {
namespace {

bool IsKeyword(absl::string_view s) {
  static constexpr std::array<absl::string_view, 25> kKeywords = {
      "break",  "case",        "chan", "const",   "continue", "default", "defer",
      "else",   "fallthrough", "for",  "func",    "go",       "goto",    "if",
      "import", "interface",   "map",  "package", "range",    "return",  "select",
      "struct", "switch",      "type", "var"};
  for (absl::string_view k : kKeywords)
    if (k == s) return true;
  return false;
}

// Operators, longest first so that greedy matching works.
constexpr absl::string_view kOps[] = {
    "<<=", ">>=", "&^=", "...", "&&", "||", "<-", "++", "--", "==", "!=", "<=",
    ">=",  ":=",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
    "&^",  "+",   "-",   "*",   "/",  "%",  "&",  "|",  "^",  "<",  ">",  "=",
    "!",   "(",   ")",   "[",   "]",  "{",  "}",  ",",  ";",  ".",  ":",  "~"};

bool NeedsSemi(const Token& t) {
  switch (t.kind) {
    case TokKind::kIdent:
    case TokKind::kInt:
    case TokKind::kFloat:
    case TokKind::kImag:
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

locale_t Utf8Locale() {
  static const locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (l == static_cast<locale_t>(0))
      l = newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(0));
    return l;
  }();
  return loc;
}

bool IsDecimal(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDecimal(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool IsIdentStart(uint32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  locale_t loc = Utf8Locale();
  return loc != static_cast<locale_t>(0) && iswalpha_l(static_cast<wint_t>(c), loc);
}

bool IsIdentPart(uint32_t c) {
  if (c < 0x80) return IsIdentStart(c) || (c >= '0' && c <= '9');
  locale_t loc = Utf8Locale();
  return loc != static_cast<locale_t>(0) && iswalnum_l(static_cast<wint_t>(c), loc);
}

absl::StatusOr<LexResult> Lex(absl::string_view filename, absl::string_view src) {
  LexResult res;
  std::vector<Token>& out = res.tokens;
  int line = 1, col = 1;
  size_t i = 0;
  auto err = [&](Pos p, absl::string_view msg) {
    return absl::InvalidArgumentError(PosMessage(filename, p, msg));
  };
  // Advances over n bytes on the current line (no newlines among them).
  auto skip = [&](size_t n) {
    i += n;
    col += static_cast<int>(n);
  };
  auto newline = [&]() {
    ++i;
    ++line;
    col = 1;
  };
  auto semi_at = [&](Pos p) {
    if (!out.empty() && NeedsSemi(out.back())) {
      Token t;
      t.kind = TokKind::kOp;
      t.text = ";";
      t.pos = p;
      t.auto_semi = true;
      out.push_back(std::move(t));
    }
  };
  // Checks the byte at i: NUL and invalid UTF-8 are errors anywhere.
  auto check_char = [&](size_t at, Pos p, int* len) -> absl::Status {
    uint32_t r;
    if (src[at] == '\0') return err(p, "invalid NUL character");
    *len = DecodeUtf8(src, at, &r);
    if (*len == 0) return err(p, "invalid UTF-8 encoding");
    if (r == 0xFEFF && at != 0) return err(p, "invalid BOM in the middle of the file");
    return absl::OkStatus();
  };
  if (src.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // leading BOM
  while (i < src.size()) {
    char c = src[i];
    if (c == '\n') {
      semi_at({line, col});
      newline();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      skip(1);
      continue;
    }
    Pos start{line, col};
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
      size_t b = i;
      while (i < src.size() && src[i] != '\n') {
        int len = 1;
        if (absl::Status st = check_char(i, {line, col}, &len); !st.ok()) return st;
        skip(len);
      }
      absl::string_view text = src.substr(b + 2, i - b - 2);
      if (text.substr(0, 3) == "go:" || text.substr(0, 6) == "gclab:") {
        while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
        res.pragmas.push_back(Pragma{start, std::string(text)});
      }
      continue;
    }
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      bool had_newline = false;
      skip(2);
      while (true) {
        if (i >= src.size()) return err(start, "comment not terminated");
        if (src[i] == '*' && i + 1 < src.size() && src[i + 1] == '/') break;
        if (src[i] == '\n') {
          had_newline = true;
          newline();
          continue;
        }
        int len = 1;
        if (absl::Status st = check_char(i, {line, col}, &len); !st.ok()) return st;
        skip(len);
      }
      if (had_newline) semi_at(start);
      skip(2);
      continue;
    }
    Token t;
    t.pos = start;
    size_t b = i;
    uint32_t r = static_cast<unsigned char>(c);
    int rlen = 1;
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') {
      if (absl::Status st = check_char(i, start, &rlen); !st.ok()) return st;
      DecodeUtf8(src, i, &r);
    }
    if (IsIdentStart(r)) {
      while (i < src.size()) {
        uint32_t q = static_cast<unsigned char>(src[i]);
        int n = 1;
        if (q >= 0x80) {
          n = DecodeUtf8(src, i, &q);
          if (n == 0) return err({line, col}, "invalid UTF-8 encoding");
        }
        if (!IsIdentPart(q)) break;
        skip(n);
      }
      t.text = std::string(src.substr(b, i - b));
      t.kind = IsKeyword(t.text) ? TokKind::kKeyword : TokKind::kIdent;
    } else if (IsDecimal(c) || (c == '.' && i + 1 < src.size() && IsDecimal(src[i + 1]))) {
      // Number literal: scan the maximal run Go's scanner would, then let
      // ParseNumberLiteral validate it.
      bool is_float = false;
      char base = 'd';
      if (c == '0' && i + 1 < src.size()) {
        char p = static_cast<char>(src[i + 1] | 0x20);
        if (p == 'x' || p == 'b' || p == 'o') {
          base = p;
          skip(2);
        }
      }
      auto digit_ok = [&](char d) { return base == 'x' ? IsHex(d) : IsDecimal(d); };
      while (i < src.size()) {
        char d = src[i];
        if (digit_ok(d) || d == '_') {
          skip(1);
        } else if (d == '.' && base != 'b' && base != 'o' && !is_float) {
          is_float = true;
          skip(1);
        } else if (((d | 0x20) == 'e' && base == 'd') || ((d | 0x20) == 'p' && base == 'x')) {
          is_float = true;
          skip(1);
          if (i < src.size() && (src[i] == '+' || src[i] == '-')) skip(1);
          while (i < src.size() && (IsDecimal(src[i]) || src[i] == '_')) skip(1);
          break;
        } else {
          break;
        }
      }
      bool imag = i < src.size() && src[i] == 'i';
      if (imag) skip(1);
      t.text = std::string(src.substr(b, i - b));
      t.kind = imag ? TokKind::kImag : is_float ? TokKind::kFloat : TokKind::kInt;
      std::string digits;
      for (char d : t.text)
        if (d != '_') digits += d;
      if (t.text.find("__") != std::string::npos || t.text.back() == '_' ||
          (imag && t.text[t.text.size() - 2] == '_'))
        return err(start, "'_' must separate successive digits");
      if (!ParseNumberLiteral(t.text).has_value()) {
        if (base == 'x' && !is_float && digits.size() <= 2 + (imag ? 1 : 0))
          return err(start, "hexadecimal literal has no digits");
        if (base == 'b' || base == 'o' || (base == 'd' && !is_float && !imag && digits[0] == '0')) {
          const char* name = base == 'b' ? "binary" : "octal";
          for (size_t k = base == 'd' ? 1 : 2; k < digits.size(); ++k) {
            char d = digits[k];
            if ((base == 'b' && d > '1') || d > '7')
              return err(start, absl::StrFormat("invalid digit '%c' in %s literal", d, name));
          }
          return err(start, absl::StrCat(name, " literal has no digits"));
        }
        if (base == 'x' && is_float && digits.find_first_of("pP") == std::string::npos)
          return err(start, "hexadecimal mantissa requires a 'p' exponent");
        return err(start, "exponent has no digits");
      }
    } else if (c == '"') {
      skip(1);
      while (true) {
        if (i >= src.size() || src[i] == '\n') return err(start, "string literal not terminated");
        if (src[i] == '\\' && i + 1 < src.size() && src[i + 1] != '\n') {
          skip(1);
        } else if (src[i] == '"') {
          break;
        }
        int len = 1;
        if (absl::Status st = check_char(i, {line, col}, &len); !st.ok()) return st;
        skip(len);
      }
      skip(1);
      t.text = std::string(src.substr(b, i - b));
      t.kind = TokKind::kString;
      if (!ParseStringLiteral(t.text).has_value()) return err(start, "unknown escape sequence");
    } else if (c == '`') {
      skip(1);
      while (true) {
        if (i >= src.size()) return err(start, "raw string literal not terminated");
        if (src[i] == '`') break;
        if (src[i] == '\n') {
          newline();
          continue;
        }
        int len = 1;
        if (absl::Status st = check_char(i, {line, col}, &len); !st.ok()) return st;
        skip(len);
      }
      skip(1);
      t.text = std::string(src.substr(b, i - b));
      t.kind = TokKind::kString;
    } else if (c == '\'') {
      skip(1);
      int n = 0;
      while (true) {
        if (i >= src.size() || src[i] == '\n') return err(start, "rune literal not terminated");
        if (src[i] == '\'') {
          if (n == 0) return err(start, "empty rune literal or unescaped ' in rune literal");
          break;
        }
        if (src[i] == '\\' && i + 1 < src.size() && src[i + 1] != '\n') skip(1);
        int len = 1;
        if (absl::Status st = check_char(i, {line, col}, &len); !st.ok()) return st;
        skip(len);
        ++n;
      }
      skip(1);
      t.text = std::string(src.substr(b, i - b));
      t.kind = TokKind::kChar;
      if (!ParseRuneLiteral(t.text).has_value())
        return err(start, "more than one character in rune literal or invalid escape");
    } else {
      bool found = false;
      for (absl::string_view op : kOps) {
        if (src.substr(i, op.size()) == op) {
          t.text = std::string(op);
          t.kind = TokKind::kOp;
          skip(op.size());
          found = true;
          break;
        }
      }
      if (!found) {
        return err(start, absl::StrFormat("invalid character U+%04X%s", r,
                                          r >= 0x20 && r < 0x7F
                                              ? absl::StrCat(" '", std::string(1, c), "'")
                                              : std::string()));
      }
    }
    out.push_back(std::move(t));
  }
  semi_at({line, col});
  Token eof;
  eof.kind = TokKind::kEOF;
  eof.pos = {line, col};
  out.push_back(std::move(eof));
  return res;
}

}  // namespace gclab::escape
