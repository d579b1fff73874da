// fmt: Print/Println/Printf/Sprint*/Errorf with Go 1.19's formatting rules
// (fmt/print.go and fmt/format.go: flags, width, precision, the verbs of
// every kind, %v of composite values with sorted map keys, String() and
// Error() methods, bad-verb and missing/extra-argument reports) and
// strconv's float formatting (shortest representation via std::to_chars,
// Go's exponent rules).
#include "goruntime/fmt.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "goruntime/internal.h"
#include "goruntime/std.h"
#include "goruntime/utf8.h"

namespace gort {

// ---------------------------------------------------------------- strconv floats

namespace {

// Decimal digits of a float: value = 0.d1d2d3... * 10^dp, no trailing zeros.
struct Digits {
  std::string d;
  int dp = 0;
  bool neg = false;
};

// The shortest digits that read back as v (bits 32 or 64).
Digits Shortest(double v, int bits) {
  Digits r;
  r.neg = std::signbit(v);
  char buf[64];
  std::to_chars_result res =
      bits == 32
          ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(std::fabs(v)),
                          std::chars_format::scientific)
          : std::to_chars(buf, buf + sizeof(buf), std::fabs(v), std::chars_format::scientific);
  std::string s(buf, res.ptr);
  const size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::stoi(s.substr(e + 1));
  for (char c : mant)
    if (c != '.') r.d += c;
  while (r.d.size() > 1 && r.d.back() == '0') r.d.pop_back();
  if (r.d == "0") {
    r.d.clear();
    r.dp = 0;
    return r;
  }
  r.dp = exp + 1;
  return r;
}

// v rounded to n significant digits (n >= 1), trailing zeros trimmed.
Digits Significant(double v, int n, int bits) {
  Digits r;
  r.neg = std::signbit(v);
  char buf[512];
  std::to_chars_result res =
      bits == 32 ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(std::fabs(v)),
                                 std::chars_format::scientific, n - 1)
                 : std::to_chars(buf, buf + sizeof(buf), std::fabs(v),
                                 std::chars_format::scientific, n - 1);
  std::string s(buf, res.ptr);
  const size_t e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  for (char c : s.substr(0, e))
    if (c != '.') r.d += c;
  while (!r.d.empty() && r.d.back() == '0') r.d.pop_back();
  if (r.d.empty()) {
    r.dp = 0;
    return r;
  }
  r.dp = exp + 1;
  return r;
}

void FmtE(std::string* out, const Digits& d, int prec, char fmt) {
  if (d.neg) *out += '-';
  char ch = d.d.empty() ? '0' : d.d[0];
  *out += ch;
  if (prec > 0) {
    *out += '.';
    int i = 1;
    const int m = std::min(static_cast<int>(d.d.size()), prec + 1);
    if (i < m) {
      out->append(d.d, i, m - i);
      i = m;
    }
    for (; i <= prec; ++i) *out += '0';
  }
  *out += fmt;
  int exp = d.dp - 1;
  if (d.d.empty()) exp = 0;
  if (exp < 0) {
    *out += '-';
    exp = -exp;
  } else {
    *out += '+';
  }
  if (exp < 10) {
    *out += '0';
    *out += static_cast<char>('0' + exp);
  } else if (exp < 100) {
    *out += static_cast<char>('0' + exp / 10);
    *out += static_cast<char>('0' + exp % 10);
  } else {
    *out += static_cast<char>('0' + exp / 100);
    *out += static_cast<char>('0' + exp / 10 % 10);
    *out += static_cast<char>('0' + exp % 10);
  }
}

void FmtF(std::string* out, const Digits& d, int prec) {
  if (d.neg) *out += '-';
  if (d.dp > 0) {
    int m = std::min(static_cast<int>(d.d.size()), d.dp);
    out->append(d.d, 0, m);
    for (; m < d.dp; ++m) *out += '0';
  } else {
    *out += '0';
  }
  if (prec > 0) {
    *out += '.';
    for (int i = 1; i <= prec; ++i) {
      char ch = '0';
      const int j = d.dp + i - 1;
      if (0 <= j && j < static_cast<int>(d.d.size())) ch = d.d[j];
      *out += ch;
    }
  }
}

}  // namespace

std::string FormatFloat(double v, char fmt, int prec, int bits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  const bool shortest = prec < 0;
  std::string out;
  if (fmt == 'f' || fmt == 'F') {
    if (shortest) {
      Digits d = Shortest(v, bits);
      FmtF(&out, d, std::max(static_cast<int>(d.d.size()) - d.dp, 0));
      return out;
    }
    char buf[1100];
    std::to_chars_result res =
        bits == 32 ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v),
                                   std::chars_format::fixed, prec)
                   : std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed, prec);
    out.assign(buf, res.ptr);
    if (std::signbit(v) && out[0] != '-') out.insert(out.begin(), '-');
    return out;
  }
  if (fmt == 'e' || fmt == 'E') {
    Digits d = shortest ? Shortest(v, bits) : Significant(v, prec + 1, bits);
    if (shortest) prec = std::max(static_cast<int>(d.d.size()) - 1, 0);
    FmtE(&out, d, prec, fmt);
    return out;
  }
  // 'g', 'G'
  Digits d;
  if (shortest) {
    d = Shortest(v, bits);
    prec = static_cast<int>(d.d.size());
  } else {
    if (prec == 0) prec = 1;
    d = Significant(v, prec, bits);
  }
  int eprec = prec;
  const int nd = static_cast<int>(d.d.size());
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const int exp = d.dp - 1;
  if (nd == 0 || !(exp < -4 || exp >= eprec)) {
    if (nd == 0) {
      FmtF(&out, d, 0);
      return out;
    }
    if (prec > d.dp) prec = nd;
    FmtF(&out, d, std::max(prec - d.dp, 0));
    return out;
  }
  if (prec > nd) prec = nd;
  FmtE(&out, d, prec - 1, fmt == 'g' ? 'e' : 'E');
  return out;
}

// ---------------------------------------------------------------- the printer

namespace {

constexpr char kLower[] = "0123456789abcdefx";
constexpr char kUpper[] = "0123456789ABCDEFX";

bool IsPrintRune(int32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0 || r == 0xAD) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r == 0x2028 || r == 0x2029 || r == 0xFEFF || r > 0x10FFFF) return false;
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  return true;
}

}  // namespace

// Go's strconv.Quote / QuoteToASCII / QuoteRune.
std::string QuoteWith(absl::string_view s, char quote, bool ascii) {
  std::string out(1, quote);
  for (size_t i = 0; i < s.size();) {
    int width;
    int32_t r = utf8::Decode(reinterpret_cast<const unsigned char*>(s.data()) + i,
                             static_cast<int64_t>(s.size() - i), &width);
    if (width == 1 && r == utf8::kRuneError) {
      absl::StrAppend(&out, "\\x", std::string(1, kLower[static_cast<unsigned char>(s[i]) >> 4]),
                      std::string(1, kLower[static_cast<unsigned char>(s[i]) & 15]));
      ++i;
      continue;
    }
    i += width;
    if (r == quote || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
      continue;
    }
    if (ascii ? (r < 0x7F && IsPrintRune(r)) : IsPrintRune(r)) {
      char buf[4];
      out.append(buf, EncodeRune(buf, r));
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default: {
        char buf[16];
        if (r < ' ' || r == 0x7F) {
          std::snprintf(buf, sizeof(buf), "\\x%02x", r);
        } else if (r < 0x10000) {
          std::snprintf(buf, sizeof(buf), "\\u%04x", r);
        } else {
          std::snprintf(buf, sizeof(buf), "\\U%08x", r);
        }
        out += buf;
      }
    }
  }
  out += quote;
  return out;
}

namespace {

// One fmt call's state (Go's pp + fmt).
class Printer {
 public:
  explicit Printer(G* g) : g_(g) {}

  std::string buf;
  // Errorf: the operand of %w.
  EFace wrapped;
  bool wrap_errs = false;
  bool found_wrap = false;

  void DoPrint(const EFace* args, int64_t n);
  void DoPrintln(const EFace* args, int64_t n);
  void DoPrintf(absl::string_view format, const EFace* args, int64_t n);

 private:
  struct Flags {
    bool plus = false, minus = false, sharp = false, space = false, zero = false;
    bool plus_v = false, sharp_v = false;
    bool wid_present = false, prec_present = false;
    int wid = 0, prec = 0;
  };

  void ClearFlags() { f_ = Flags{}; }
  void WritePadding(int n) {
    if (n <= 0) return;
    buf.append(static_cast<size_t>(n), f_.zero ? '0' : ' ');
  }
  static int RuneCount(absl::string_view s) {
    int n = 0;
    for (size_t i = 0; i < s.size();) {
      int w;
      utf8::Decode(reinterpret_cast<const unsigned char*>(s.data()) + i,
                   static_cast<int64_t>(s.size() - i), &w);
      i += w;
      ++n;
    }
    return n;
  }
  void Pad(absl::string_view s) {
    if (!f_.wid_present || f_.wid == 0) {
      buf.append(s.data(), s.size());
      return;
    }
    const int width = f_.wid - RuneCount(s);
    if (!f_.minus) {
      WritePadding(width);
      buf.append(s.data(), s.size());
    } else {
      buf.append(s.data(), s.size());
      WritePadding(width);
    }
  }
  void PadString(absl::string_view s) { Pad(s); }

  void FmtBoolean(bool v) { PadString(v ? "true" : "false"); }
  void FmtUnicode(uint64_t u);
  void FmtInteger(uint64_t u, int base, bool is_signed, int32_t verb, const char* digits);
  void FmtC(uint64_t c);
  void FmtQc(uint64_t c);
  void FmtFloatF(double v, int size, char verb, int prec);
  absl::string_view Truncate(absl::string_view s) {
    if (f_.prec_present) {
      int n = f_.prec;
      for (size_t i = 0; i < s.size();) {
        --n;
        if (n < 0) return s.substr(0, i);
        int w;
        utf8::Decode(reinterpret_cast<const unsigned char*>(s.data()) + i,
                     static_cast<int64_t>(s.size() - i), &w);
        i += w;
      }
    }
    return s;
  }
  void FmtS(absl::string_view s) { Pad(Truncate(s)); }
  void FmtSbx(absl::string_view s, const char* digits);
  void FmtQ(absl::string_view s) {
    s = Truncate(s);
    if (f_.sharp && s.find('`') == absl::string_view::npos) {
      // strconv.CanBackquote: valid UTF-8, no control characters but tab,
      // no BOM.
      bool ok = true;
      for (size_t i = 0; i < s.size() && ok;) {
        int w;
        int32_t r = utf8::Decode(reinterpret_cast<const unsigned char*>(s.data()) + i,
                                 static_cast<int64_t>(s.size() - i), &w);
        if ((w == 1 && r == utf8::kRuneError && static_cast<unsigned char>(s[i]) >= 0x80) ||
            (r < ' ' && r != '\t') || r == 0x7F || r == 0xFEFF)
          ok = false;
        i += w;
      }
      if (ok) {
        Pad(absl::StrCat("`", s, "`"));
        return;
      }
    }
    Pad(QuoteWith(s, '"', f_.plus));
  }
  void Fmt0x64(uint64_t v, bool leading0x) {
    const bool sharp = f_.sharp;
    f_.sharp = leading0x;
    FmtInteger(v, 16, false, 'v', kLower);
    f_.sharp = sharp;
  }

  // pp level.
  void BadVerb(int32_t verb);
  void PrintArg(EFace arg, int32_t verb);
  bool HandleMethods(const Type* t, const void* v, int32_t verb);
  void PrintValue(const Type* t, const void* v, int32_t verb, int depth, bool can_iface);
  void FmtBool(bool v, int32_t verb);
  void FmtIntegerVerb(uint64_t v, bool is_signed, int32_t verb);
  void FmtFloat(double v, int size, int32_t verb);
  void FmtString(absl::string_view s, int32_t verb);
  void FmtBytes(absl::string_view b, int32_t verb, const char* type_name);
  void FmtPointer(const Type* t, uint64_t u, int32_t verb);
  bool IntFromArg(const EFace* a, int64_t n, int64_t* argnum, int* out);

  G* g_;
  Flags f_;
  bool erroring_ = false;
  // The value being printed (for badVerb).
  const Type* cur_type_ = nullptr;
  const void* cur_value_ = nullptr;
};

void Printer::FmtUnicode(uint64_t u) {
  std::string s = "U+";
  char hex[32];
  std::snprintf(hex, sizeof(hex), "%llX", static_cast<unsigned long long>(u));
  std::string h = hex;
  int prec = 4;
  if (f_.prec_present && f_.prec > 4) prec = f_.prec;
  while (static_cast<int>(h.size()) < prec) h = "0" + h;
  s += h;
  if (f_.sharp && u <= utf8::kMaxRune && IsPrintRune(static_cast<int32_t>(u))) {
    char b[4];
    absl::StrAppend(&s, " '", absl::string_view(b, EncodeRune(b, static_cast<int64_t>(u))), "'");
  }
  const bool zero = f_.zero;
  f_.zero = false;
  Pad(s);
  f_.zero = zero;
}

void Printer::FmtInteger(uint64_t u, int base, bool is_signed, int32_t verb, const char* digits) {
  const bool negative = is_signed && static_cast<int64_t>(u) < 0;
  if (negative) u = 0 - u;
  std::string b(
      static_cast<size_t>(68 + (f_.wid_present ? f_.wid : 0) + (f_.prec_present ? f_.prec : 0)),
      '\0');
  int prec = 0;
  if (f_.prec_present) {
    prec = f_.prec;
    if (prec == 0 && u == 0) {
      const bool zero = f_.zero;
      f_.zero = false;
      WritePadding(f_.wid);
      f_.zero = zero;
      return;
    }
  } else if (f_.zero && f_.wid_present) {
    prec = f_.wid;
    if (negative || f_.plus || f_.space) --prec;
  }
  int i = static_cast<int>(b.size());
  switch (base) {
    case 10:
      while (u >= 10) {
        b[--i] = static_cast<char>('0' + u % 10);
        u /= 10;
      }
      break;
    case 16:
      while (u >= 16) {
        b[--i] = digits[u & 0xF];
        u >>= 4;
      }
      break;
    case 8:
      while (u >= 8) {
        b[--i] = static_cast<char>('0' + (u & 7));
        u >>= 3;
      }
      break;
    case 2:
      while (u >= 2) {
        b[--i] = static_cast<char>('0' + (u & 1));
        u >>= 1;
      }
      break;
  }
  b[--i] = digits[u];
  while (i > 0 && prec > static_cast<int>(b.size()) - i) b[--i] = '0';
  if (f_.sharp) {
    switch (base) {
      case 2:
        b[--i] = 'b';
        b[--i] = '0';
        break;
      case 8:
        if (b[i] != '0') b[--i] = '0';
        break;
      case 16:
        b[--i] = digits[16];
        b[--i] = '0';
        break;
    }
  }
  if (verb == 'O') {
    b[--i] = 'o';
    b[--i] = '0';
  }
  if (negative) {
    b[--i] = '-';
  } else if (f_.plus) {
    b[--i] = '+';
  } else if (f_.space) {
    b[--i] = ' ';
  }
  const bool zero = f_.zero;
  f_.zero = false;
  Pad(absl::string_view(b).substr(static_cast<size_t>(i)));
  f_.zero = zero;
}

void Printer::FmtC(uint64_t c) {
  int64_t r = c > utf8::kMaxRune ? utf8::kRuneError : static_cast<int64_t>(c);
  char b[4];
  Pad(absl::string_view(b, EncodeRune(b, r)));
}

void Printer::FmtQc(uint64_t c) {
  int64_t r = c > utf8::kMaxRune ? utf8::kRuneError : static_cast<int64_t>(c);
  char b[4];
  const int n = EncodeRune(b, r);
  if (f_.sharp && r < 0x7F && IsPrintRune(static_cast<int32_t>(r)) && r != '\'') {
    Pad(absl::StrCat("'", absl::string_view(b, n), "'"));
    return;
  }
  Pad(QuoteWith(absl::string_view(b, n), '\'', f_.plus));
}

void Printer::FmtFloatF(double v, int size, char verb, int prec) {
  if (f_.prec_present) prec = f_.prec;
  std::string num = "+" + FormatFloat(v, verb, prec, size);
  if (num[1] == '-' || num[1] == '+') num.erase(0, 1);
  if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
  if (num[1] == 'I' || num[1] == 'N') {
    const bool zero = f_.zero;
    f_.zero = false;
    if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
    Pad(num);
    f_.zero = zero;
    return;
  }
  if (f_.sharp && verb != 'b') {
    int digits = 0;
    if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
      digits = prec;
      if (digits == -1) digits = 6;
    }
    std::string tail;
    bool has_point = false, saw_nonzero = false;
    for (size_t i = 1; i < num.size(); ++i) {
      const char c = num[i];
      if (c == '.') {
        has_point = true;
      } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
        tail = num.substr(i);
        num.resize(i);
        break;
      } else {
        if (c != '0') saw_nonzero = true;
        if (saw_nonzero) --digits;
      }
    }
    if (!has_point) {
      if (num.size() == 2 && num[1] == '0') --digits;
      num += '.';
    }
    while (digits-- > 0) num += '0';
    num += tail;
  }
  if (f_.plus || num[0] != '+') {
    if (f_.zero && f_.wid_present && f_.wid > static_cast<int>(num.size())) {
      buf += num[0];
      WritePadding(f_.wid - static_cast<int>(num.size()));
      buf.append(num, 1, std::string::npos);
      return;
    }
    Pad(num);
    return;
  }
  Pad(absl::string_view(num).substr(1));
}

void Printer::FmtSbx(absl::string_view s, const char* digits) {
  int length = static_cast<int>(s.size());
  if (f_.prec_present && f_.prec < length) length = f_.prec;
  int width = 2 * length;
  if (width > 0) {
    if (f_.space) {
      if (f_.sharp) width *= 2;
      width += length - 1;
    } else if (f_.sharp) {
      width += 2;
    }
  } else {
    if (f_.wid_present) WritePadding(f_.wid);
    return;
  }
  if (f_.wid_present && f_.wid > width && !f_.minus) WritePadding(f_.wid - width);
  if (f_.sharp) {
    buf += '0';
    buf += digits[16];
  }
  for (int i = 0; i < length; ++i) {
    if (f_.space && i > 0) {
      buf += ' ';
      if (f_.sharp) {
        buf += '0';
        buf += digits[16];
      }
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    buf += digits[c >> 4];
    buf += digits[c & 0xF];
  }
  if (f_.wid_present && f_.wid > width && f_.minus) WritePadding(f_.wid - width);
}

// ---------------------------------------------------------------- pp

void Printer::BadVerb(int32_t verb) {
  erroring_ = true;
  buf += "%!";
  char b[4];
  buf.append(b, EncodeRune(b, verb));
  buf += '(';
  if (cur_type_ != nullptr) {
    buf += cur_type_->name;
    buf += '=';
    const Flags saved = f_;
    PrintValue(cur_type_, cur_value_, 'v', 0, true);
    f_ = saved;
  } else {
    buf += "<nil>";
  }
  buf += ')';
  erroring_ = false;
}

void Printer::FmtBool(bool v, int32_t verb) {
  if (verb == 't' || verb == 'v') {
    FmtBoolean(v);
  } else {
    BadVerb(verb);
  }
}

void Printer::FmtIntegerVerb(uint64_t v, bool is_signed, int32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v && !is_signed) {
        Fmt0x64(v, true);
      } else {
        FmtInteger(v, 10, is_signed, verb, kLower);
      }
      break;
    case 'd':
      FmtInteger(v, 10, is_signed, verb, kLower);
      break;
    case 'b':
      FmtInteger(v, 2, is_signed, verb, kLower);
      break;
    case 'o':
    case 'O':
      FmtInteger(v, 8, is_signed, verb, kLower);
      break;
    case 'x':
      FmtInteger(v, 16, is_signed, verb, kLower);
      break;
    case 'X':
      FmtInteger(v, 16, is_signed, verb, kUpper);
      break;
    case 'c':
      FmtC(v);
      break;
    case 'q':
      FmtQc(v);
      break;
    case 'U':
      FmtUnicode(v);
      break;
    default:
      BadVerb(verb);
  }
}

void Printer::FmtFloat(double v, int size, int32_t verb) {
  switch (verb) {
    case 'v':
      FmtFloatF(v, size, 'g', -1);
      break;
    case 'b':
    case 'g':
    case 'G':
      FmtFloatF(v, size, static_cast<char>(verb), -1);
      break;
    case 'f':
    case 'e':
    case 'E':
    case 'F':
      FmtFloatF(v, size, static_cast<char>(verb), 6);
      break;
    default:
      BadVerb(verb);
  }
}

void Printer::FmtString(absl::string_view s, int32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v) {
        FmtQ(s);
      } else {
        FmtS(s);
      }
      break;
    case 's':
      FmtS(s);
      break;
    case 'x':
      FmtSbx(s, kLower);
      break;
    case 'X':
      FmtSbx(s, kUpper);
      break;
    case 'q':
      FmtQ(s);
      break;
    default:
      BadVerb(verb);
  }
}

void Printer::FmtPointer(const Type* t, uint64_t u, int32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v) {
        buf += '(';
        buf += t->name;
        buf += ")(";
        if (u == 0) {
          buf += "nil";
        } else {
          Fmt0x64(u, true);
        }
        buf += ')';
      } else if (u == 0) {
        PadString("<nil>");
      } else {
        Fmt0x64(u, !f_.sharp);
      }
      break;
    case 'p':
      Fmt0x64(u, !f_.sharp);
      break;
    case 'b':
    case 'o':
    case 'd':
    case 'x':
    case 'X':
      FmtIntegerVerb(u, false, verb);
      break;
    default:
      BadVerb(verb);
  }
}

// Calls Error() / String() of a value whose type has them (verbs v s x X q).
bool Printer::HandleMethods(const Type* t, const void* v, int32_t verb) {
  if (erroring_ || t == nullptr) return false;
  if (f_.sharp_v) return false;  // GoStringer is not supported: plain %#v
  if (verb != 'v' && verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') return false;
  StringMethod m = FindStringMethod(t, "Error");
  if (m == nullptr) m = FindStringMethod(t, "String");
  if (m == nullptr) return false;
  Word data;
  if (t->direct_iface) {
    std::memcpy(&data, v, 8);
  } else {
    // A copy of the value, boxed, so the method sees its own receiver.
    data = BoxHeap(g_, t, v);
  }
  String s;
  try {
    s = m(g_, data);
  } catch (const PanicUnwind&) {
    // Go's catchPanic: a nil pointer receiver prints <nil>.
    EFace pv = g_->panic->value;
    AbortPanic(g_);
    if (t->kind == Kind::kPointer && data == 0) {
      PadString("<nil>");
      return true;
    }
    buf += "%!";
    char b[4];
    buf.append(b, EncodeRune(b, verb));
    absl::StrAppend(&buf, "(PANIC=", FindStringMethod(t, "Error") ? "Error" : "String",
                    " method: ", PanicValueString(g_, pv), ")");
    return true;
  }
  FmtString(View(s), verb);
  return true;
}

void Printer::PrintArg(EFace arg, int32_t verb) {
  cur_type_ = arg.type;
  cur_value_ = arg.type != nullptr ? EFaceValue(arg) : nullptr;
  if (arg.type == nullptr) {
    if (verb == 'T' || verb == 'v') {
      PadString("<nil>");
    } else {
      BadVerb(verb);
    }
    return;
  }
  if (verb == 'T') {
    FmtS(arg.type->name);
    return;
  }
  if (verb == 'p') {
    const Kind k = arg.type->kind;
    if (k == Kind::kPointer || k == Kind::kMap || k == Kind::kChan || k == Kind::kFunc ||
        k == Kind::kSlice) {
      uint64_t u = k == Kind::kSlice ? static_cast<const Slice*>(cur_value_)->ptr : arg.data;
      FmtPointer(arg.type, u & gclab::kInteriorAddressMask, 'p');
    } else {
      BadVerb(verb);
    }
    return;
  }
  // Basic kinds of unnamed types print directly; everything else may have
  // methods.
  if (arg.type->nmethods == 0) {
    PrintValue(arg.type, cur_value_, verb, 0, true);
    return;
  }
  if (!HandleMethods(arg.type, cur_value_, verb)) PrintValue(arg.type, cur_value_, verb, 0, true);
}

void Printer::FmtBytes(absl::string_view b, int32_t verb, const char* type_name) {
  switch (verb) {
    case 'v':
    case 'd': {
      if (f_.sharp_v) {
        buf += type_name;
        buf += '{';
        for (size_t i = 0; i < b.size(); ++i) {
          if (i > 0) buf += ", ";
          Fmt0x64(static_cast<unsigned char>(b[i]), true);
        }
        buf += '}';
      } else {
        buf += '[';
        for (size_t i = 0; i < b.size(); ++i) {
          if (i > 0) buf += ' ';
          FmtInteger(static_cast<unsigned char>(b[i]), 10, false, verb, kLower);
        }
        buf += ']';
      }
      break;
    }
    case 's':
      FmtS(b);
      break;
    case 'x':
      FmtSbx(b, kLower);
      break;
    case 'X':
      FmtSbx(b, kUpper);
      break;
    case 'q':
      FmtQ(b);
      break;
    default:
      BadVerb(verb);
  }
}

// Map keys in fmtsort's order.
int CompareKeys(const Type* t, const void* a, const void* b) {
  switch (t->kind) {
    case Kind::kInt:
    case Kind::kInt64: {
      auto x = *static_cast<const int64_t*>(a), y = *static_cast<const int64_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kInt32: {
      auto x = *static_cast<const int32_t*>(a), y = *static_cast<const int32_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kInt16: {
      auto x = *static_cast<const int16_t*>(a), y = *static_cast<const int16_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kInt8: {
      auto x = *static_cast<const int8_t*>(a), y = *static_cast<const int8_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
    case Kind::kPointer:
    case Kind::kChan: {
      auto x = *static_cast<const uint64_t*>(a), y = *static_cast<const uint64_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kUint32: {
      auto x = *static_cast<const uint32_t*>(a), y = *static_cast<const uint32_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kUint16: {
      auto x = *static_cast<const uint16_t*>(a), y = *static_cast<const uint16_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kUint8:
    case Kind::kBool: {
      auto x = *static_cast<const uint8_t*>(a), y = *static_cast<const uint8_t*>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kFloat32:
    case Kind::kFloat64: {
      double x = t->kind == Kind::kFloat32 ? *static_cast<const float*>(a)
                                           : *static_cast<const double*>(a);
      double y = t->kind == Kind::kFloat32 ? *static_cast<const float*>(b)
                                           : *static_cast<const double*>(b);
      if (x < y) return -1;
      if (x > y) return 1;
      if (std::isnan(x) && !std::isnan(y)) return -1;
      if (!std::isnan(x) && std::isnan(y)) return 1;
      return 0;
    }
    case Kind::kString:
      return StringCompare(*static_cast<const String*>(a), *static_cast<const String*>(b));
    case Kind::kStruct:
      for (int i = 0; i < t->nfields; ++i) {
        const FieldInfo& f = t->fields[i];
        int c = CompareKeys(f.type, static_cast<const char*>(a) + f.offset,
                            static_cast<const char*>(b) + f.offset);
        if (c != 0) return c;
      }
      return 0;
    case Kind::kArray:
      for (int64_t i = 0; i < t->len; ++i) {
        int c = CompareKeys(t->elem, static_cast<const char*>(a) + i * t->elem->size,
                            static_cast<const char*>(b) + i * t->elem->size);
        if (c != 0) return c;
      }
      return 0;
    case Kind::kInterface: {
      EFace x =
          t->nmethods == 0 ? *static_cast<const EFace*>(a) : ToEFace(*static_cast<const IFace*>(a));
      EFace y =
          t->nmethods == 0 ? *static_cast<const EFace*>(b) : ToEFace(*static_cast<const IFace*>(b));
      if (x.type == nullptr || y.type == nullptr)
        return x.type == nullptr ? (y.type == nullptr ? 0 : -1) : 1;
      if (x.type != y.type) return x.type < y.type ? -1 : 1;
      return CompareKeys(x.type, EFaceValue(x), EFaceValue(y));
    }
    default:
      return 0;
  }
}

void Printer::PrintValue(const Type* t, const void* v, int32_t verb, int depth, bool can_iface) {
  if (depth > 0 && can_iface && t->nmethods > 0) {
    const Type* saved_t = cur_type_;
    const void* saved_v = cur_value_;
    cur_type_ = t;
    cur_value_ = v;
    if (HandleMethods(t, v, verb)) return;
    cur_type_ = saved_t;
    cur_value_ = saved_v;
  }
  switch (t->kind) {
    case Kind::kBool:
      FmtBool(*static_cast<const bool*>(v), verb);
      return;
    case Kind::kInt:
    case Kind::kInt64:
      FmtIntegerVerb(static_cast<uint64_t>(*static_cast<const int64_t*>(v)), true, verb);
      return;
    case Kind::kInt32:
      FmtIntegerVerb(static_cast<uint64_t>(static_cast<int64_t>(*static_cast<const int32_t*>(v))),
                     true, verb);
      return;
    case Kind::kInt16:
      FmtIntegerVerb(static_cast<uint64_t>(static_cast<int64_t>(*static_cast<const int16_t*>(v))),
                     true, verb);
      return;
    case Kind::kInt8:
      FmtIntegerVerb(static_cast<uint64_t>(static_cast<int64_t>(*static_cast<const int8_t*>(v))),
                     true, verb);
      return;
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
      FmtIntegerVerb(*static_cast<const uint64_t*>(v), false, verb);
      return;
    case Kind::kUint32:
      FmtIntegerVerb(*static_cast<const uint32_t*>(v), false, verb);
      return;
    case Kind::kUint16:
      FmtIntegerVerb(*static_cast<const uint16_t*>(v), false, verb);
      return;
    case Kind::kUint8:
      FmtIntegerVerb(*static_cast<const uint8_t*>(v), false, verb);
      return;
    case Kind::kFloat32:
      FmtFloat(*static_cast<const float*>(v), 32, verb);
      return;
    case Kind::kFloat64:
      FmtFloat(*static_cast<const double*>(v), 64, verb);
      return;
    case Kind::kString:
      FmtString(View(*static_cast<const String*>(v)), verb);
      return;
    case Kind::kMap: {
      Word m = *static_cast<const Word*>(v);
      if (f_.sharp_v) {
        buf += t->name;
        if (m == 0) {
          buf += "(nil)";
          return;
        }
        buf += '{';
      } else {
        buf += "map[";
      }
      std::vector<std::pair<const void*, const void*>> entries;
      if (m != 0) {
        MapIter it;
        MapIterInit(g_, &it, m);
        while (MapIterNext(g_, &it)) entries.emplace_back(it.key, it.value);
      }
      std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
        return CompareKeys(t->key, a.first, b.first) < 0;
      });
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) buf += f_.sharp_v ? ", " : " ";
        PrintValue(t->key, entries[i].first, verb, depth + 1, can_iface);
        buf += ':';
        PrintValue(t->elem, entries[i].second, verb, depth + 1, can_iface);
      }
      buf += f_.sharp_v ? '}' : ']';
      return;
    }
    case Kind::kStruct: {
      if (f_.sharp_v) buf += t->name;
      buf += '{';
      int printed = 0;
      for (int i = 0; i < t->nfields; ++i) {
        const FieldInfo& f = t->fields[i];
        if (printed++ > 0) buf += f_.sharp_v ? ", " : " ";
        if (f_.plus_v || f_.sharp_v) {
          buf += f.name;
          buf += ':';
        }
        const bool exported = f.name[0] >= 'A' && f.name[0] <= 'Z';
        PrintValue(f.type, static_cast<const char*>(v) + f.offset, verb, depth + 1,
                   can_iface && exported);
      }
      buf += '}';
      return;
    }
    case Kind::kInterface: {
      EFace e =
          t->nmethods == 0 ? *static_cast<const EFace*>(v) : ToEFace(*static_cast<const IFace*>(v));
      if (e.type == nullptr) {
        if (f_.sharp_v) {
          buf += t->name;
          buf += "(nil)";
        } else {
          PadString("<nil>");
        }
        return;
      }
      PrintValue(e.type, EFaceValue(e), verb, depth + 1, can_iface);
      return;
    }
    case Kind::kArray:
    case Kind::kSlice: {
      const char* data;
      int64_t len;
      if (t->kind == Kind::kArray) {
        data = static_cast<const char*>(v);
        len = t->len;
      } else {
        const Slice& s = *static_cast<const Slice*>(v);
        data = Addr(s.ptr);
        len = s.len;
      }
      if (t->elem->kind == Kind::kUint8 &&
          (verb == 's' || verb == 'q' || verb == 'x' || verb == 'X')) {
        FmtBytes(absl::string_view(data, static_cast<size_t>(len)), verb, t->name);
        return;
      }
      if (f_.sharp_v) {
        buf += t->name;
        if (t->kind == Kind::kSlice && static_cast<const Slice*>(v)->ptr == 0) {
          buf += "(nil)";
          return;
        }
        buf += '{';
        for (int64_t i = 0; i < len; ++i) {
          if (i > 0) buf += ", ";
          PrintValue(t->elem, data + i * t->elem->size, verb, depth + 1, can_iface);
        }
        buf += '}';
        return;
      }
      buf += '[';
      for (int64_t i = 0; i < len; ++i) {
        if (i > 0) buf += ' ';
        PrintValue(t->elem, data + i * t->elem->size, verb, depth + 1, can_iface);
      }
      buf += ']';
      return;
    }
    case Kind::kPointer: {
      Word p = *static_cast<const Word*>(v);
      if (depth == 0 && p != 0) {
        const Kind ek = t->elem->kind;
        if (ek == Kind::kArray || ek == Kind::kSlice || ek == Kind::kStruct || ek == Kind::kMap) {
          buf += '&';
          PrintValue(t->elem, Addr(p), verb, depth + 1, can_iface);
          return;
        }
      }
      FmtPointer(t, p & gclab::kInteriorAddressMask, verb);
      return;
    }
    case Kind::kChan:
    case Kind::kFunc:
      FmtPointer(t, *static_cast<const Word*>(v) & gclab::kInteriorAddressMask, verb);
      return;
  }
}

bool Printer::IntFromArg(const EFace* a, int64_t n, int64_t* argnum, int* out) {
  if (*argnum >= n) return false;
  EFace e = a[*argnum];
  ++*argnum;
  if (e.type == nullptr) return false;
  const void* v = EFaceValue(e);
  int64_t x;
  switch (e.type->kind) {
    case Kind::kInt:
    case Kind::kInt64:
      x = *static_cast<const int64_t*>(v);
      break;
    case Kind::kInt32:
      x = *static_cast<const int32_t*>(v);
      break;
    case Kind::kInt16:
      x = *static_cast<const int16_t*>(v);
      break;
    case Kind::kInt8:
      x = *static_cast<const int8_t*>(v);
      break;
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
      x = static_cast<int64_t>(*static_cast<const uint64_t*>(v));
      break;
    case Kind::kUint32:
      x = *static_cast<const uint32_t*>(v);
      break;
    case Kind::kUint16:
      x = *static_cast<const uint16_t*>(v);
      break;
    case Kind::kUint8:
      x = *static_cast<const uint8_t*>(v);
      break;
    default:
      return false;
  }
  if (x < -1000000 || x > 1000000) return false;
  *out = static_cast<int>(x);
  return true;
}

void Printer::DoPrint(const EFace* a, int64_t n) {
  bool prev_string = false;
  for (int64_t i = 0; i < n; ++i) {
    const bool is_string = a[i].type != nullptr && a[i].type->kind == Kind::kString;
    if (i > 0 && !is_string && !prev_string) buf += ' ';
    ClearFlags();
    PrintArg(a[i], 'v');
    prev_string = is_string;
  }
}

void Printer::DoPrintln(const EFace* a, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (i > 0) buf += ' ';
    ClearFlags();
    PrintArg(a[i], 'v');
  }
  buf += '\n';
}

void Printer::DoPrintf(absl::string_view format, const EFace* a, int64_t n) {
  const size_t end = format.size();
  int64_t argnum = 0;
  for (size_t i = 0; i < end;) {
    const size_t lasti = i;
    while (i < end && format[i] != '%') ++i;
    if (i > lasti) buf.append(format.data() + lasti, i - lasti);
    if (i >= end) break;
    ++i;  // the %
    ClearFlags();
    for (; i < end; ++i) {
      const char c = format[i];
      if (c == '#') {
        f_.sharp = true;
      } else if (c == '0') {
        f_.zero = !f_.minus;
      } else if (c == '+') {
        f_.plus = true;
      } else if (c == '-') {
        f_.minus = true;
        f_.zero = false;
      } else if (c == ' ') {
        f_.space = true;
      } else {
        break;
      }
    }
    // Width.
    if (i < end && format[i] == '*') {
      ++i;
      f_.wid_present = IntFromArg(a, n, &argnum, &f_.wid);
      if (!f_.wid_present) buf += "%!(BADWIDTH)";
      if (f_.wid < 0) {
        f_.wid = -f_.wid;
        f_.minus = true;
        f_.zero = false;
      }
    } else {
      size_t start = i;
      int num = 0;
      while (i < end && format[i] >= '0' && format[i] <= '9') {
        num = num * 10 + (format[i] - '0');
        if (num > 1000000) num = 1000000;
        ++i;
      }
      f_.wid = num;
      f_.wid_present = i > start;
    }
    // Precision.
    if (i + 1 <= end && i < end && format[i] == '.') {
      ++i;
      if (i < end && format[i] == '*') {
        ++i;
        f_.prec_present = IntFromArg(a, n, &argnum, &f_.prec);
        if (f_.prec < 0) {
          f_.prec = 0;
          f_.prec_present = false;
        }
        if (!f_.prec_present) buf += "%!(BADPREC)";
      } else {
        int num = 0;
        while (i < end && format[i] >= '0' && format[i] <= '9') {
          num = num * 10 + (format[i] - '0');
          if (num > 1000000) num = 1000000;
          ++i;
        }
        f_.prec = num;
        f_.prec_present = true;
      }
    }
    if (!f_.minus && f_.zero) {
      // (Go keeps zero)
    }
    if (i >= end) {
      buf += "%!(NOVERB)";
      break;
    }
    int width;
    int32_t verb = utf8::Decode(reinterpret_cast<const unsigned char*>(format.data()) + i,
                                static_cast<int64_t>(end - i), &width);
    i += width;
    if (verb == '%') {
      buf += '%';
      continue;
    }
    if (argnum >= n) {
      buf += "%!";
      char b[4];
      buf.append(b, EncodeRune(b, verb));
      buf += "(MISSING)";
      continue;
    }
    if (verb == 'w') {
      if (!wrap_errs || found_wrap) {
        cur_type_ = a[argnum].type;
        cur_value_ = a[argnum].type ? EFaceValue(a[argnum]) : nullptr;
        BadVerb(verb);
        ++argnum;
        continue;
      }
      // Must be an error.
      if (a[argnum].type == nullptr || FindStringMethod(a[argnum].type, "Error") == nullptr) {
        cur_type_ = a[argnum].type;
        cur_value_ = a[argnum].type ? EFaceValue(a[argnum]) : nullptr;
        BadVerb(verb);
        ++argnum;
        continue;
      }
      found_wrap = true;
      wrapped = a[argnum];
      verb = 'v';
    }
    if (verb == 'v') {
      if (f_.sharp) {
        f_.sharp = false;
        f_.sharp_v = true;
      }
      if (f_.plus) {
        f_.plus = false;
        f_.plus_v = true;
      }
    }
    PrintArg(a[argnum], verb);
    ++argnum;
  }
  if (argnum < n) {
    ClearFlags();
    buf += "%!(EXTRA ";
    for (int64_t k = argnum; k < n; ++k) {
      if (k > argnum) buf += ", ";
      if (a[k].type == nullptr) {
        buf += "<nil>";
      } else {
        buf += a[k].type->name;
        buf += '=';
        PrintArg(a[k], 'v');
      }
    }
    buf += ')';
  }
}

const EFace* Args(Slice a) { return reinterpret_cast<const EFace*>(Addr(a.ptr)); }

}  // namespace

std::string Sprintf(G* g, absl::string_view format, Slice args) {
  Printer p(g);
  p.DoPrintf(format, Args(args), args.len);
  return std::move(p.buf);
}

std::string Sprint(G* g, Slice args) {
  Printer p(g);
  p.DoPrint(Args(args), args.len);
  return std::move(p.buf);
}

std::string Sprintln(G* g, Slice args) {
  Printer p(g);
  p.DoPrintln(Args(args), args.len);
  return std::move(p.buf);
}

std::string SprintfWrap(G* g, absl::string_view format, Slice args, EFace* wrapped, bool* found) {
  Printer p(g);
  p.wrap_errs = true;
  p.DoPrintf(format, Args(args), args.len);
  *found = p.found_wrap;
  *wrapped = p.wrapped;
  return std::move(p.buf);
}

// ---------------------------------------------------------------- fmt API

T2<int64_t, IFace> std_fmt_Println(G* g, Slice a) {
  std::string s = Sprintln(g, a);
  WriteStdout(s.data(), s.size());
  return {static_cast<int64_t>(s.size()), IFace{}};
}

T2<int64_t, IFace> std_fmt_Print(G* g, Slice a) {
  std::string s = Sprint(g, a);
  WriteStdout(s.data(), s.size());
  return {static_cast<int64_t>(s.size()), IFace{}};
}

T2<int64_t, IFace> std_fmt_Printf(G* g, String format, Slice a) {
  std::string s = Sprintf(g, View(format), a);
  WriteStdout(s.data(), s.size());
  return {static_cast<int64_t>(s.size()), IFace{}};
}

String std_fmt_Sprintf(G* g, String format, Slice a) {
  return NewString(g, Sprintf(g, View(format), a));
}

String std_fmt_Sprint(G* g, Slice a) { return NewString(g, Sprint(g, a)); }

String std_fmt_Sprintln(G* g, Slice a) { return NewString(g, Sprintln(g, a)); }

namespace {

void WriteTo(G* g, IFace w, const std::string& s) {
  Word d = w.data;
  if (d == g_os_stderr) {
    FlushStdout();
    WriteStderr(s.data(), s.size());
  } else if (d == g_os_stdout) {
    WriteStdout(s.data(), s.size());
  } else {
    // Any io.Writer: its Write method (the interface's only one).
    if (w.tab == nullptr) PanicNil(g, nullptr);
    String str = NewString(g, s);
    using WriteFn = T2<int64_t, IFace> (*)(G*, Word, Slice);
    reinterpret_cast<WriteFn>(w.tab->fun[0])(g, d, Slice{str.ptr, str.len, str.len});
  }
}

}  // namespace

T2<int64_t, IFace> std_fmt_Fprintf(G* g, IFace w, String format, Slice a) {
  std::string s = Sprintf(g, View(format), a);
  WriteTo(g, w, s);
  return {static_cast<int64_t>(s.size()), IFace{}};
}

T2<int64_t, IFace> std_fmt_Fprintln(G* g, IFace w, Slice a) {
  std::string s = Sprintln(g, a);
  WriteTo(g, w, s);
  return {static_cast<int64_t>(s.size()), IFace{}};
}

T2<int64_t, IFace> std_fmt_Fprint(G* g, IFace w, Slice a) {
  std::string s = Sprint(g, a);
  WriteTo(g, w, s);
  return {static_cast<int64_t>(s.size()), IFace{}};
}

}  // namespace gort
