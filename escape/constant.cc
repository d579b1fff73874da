#include "escape/constant.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "escape/utf8.h"

namespace gclab::escape {
namespace {

using i128 = __int128;

constexpr long double kInt128Max = 1.7014118346046923173e38L;  // 2^127

i128 ToNative(absl::int128 v) {
  return static_cast<i128>(
      static_cast<unsigned __int128>(absl::Uint128High64(static_cast<absl::uint128>(v))) << 64 |
      absl::Uint128Low64(static_cast<absl::uint128>(v)));
}

absl::int128 FromNative(i128 v) {
  auto u = static_cast<unsigned __int128>(v);
  return static_cast<absl::int128>(
      absl::MakeUint128(static_cast<uint64_t>(u >> 64), static_cast<uint64_t>(u)));
}

Constant IntOrBig(i128 v, bool overflow, long double approx) {
  if (overflow) return Constant::BigInt(approx);
  return Constant::Int(FromNative(v));
}

std::string Int128String(i128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u =
      neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return neg ? "-" + s : s;
}

std::string FloatString(long double v) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.17Lg", v);
  return buf;
}

}  // namespace

Constant Constant::Bool(bool b) {
  Constant c;
  c.kind_ = Kind::kBool;
  c.bool_ = b;
  return c;
}
Constant Constant::String(std::string s) {
  Constant c;
  c.kind_ = Kind::kString;
  c.str_ = std::move(s);
  return c;
}
Constant Constant::Int(absl::int128 v) {
  Constant c;
  c.kind_ = Kind::kInt;
  c.int_ = v;
  c.re_ = static_cast<long double>(ToNative(v));
  return c;
}
Constant Constant::BigInt(long double approx) {
  Constant c;
  c.kind_ = Kind::kInt;
  c.big_ = true;
  c.re_ = approx;
  return c;
}
Constant Constant::Float(long double v) {
  Constant c;
  c.kind_ = Kind::kFloat;
  c.re_ = v;
  return c;
}
Constant Constant::Complex(long double re, long double im) {
  Constant c;
  c.kind_ = Kind::kComplex;
  c.re_ = re;
  c.im_ = im;
  return c;
}

std::optional<int64_t> Constant::Int64() const {
  if (!exact_int()) return std::nullopt;
  i128 v = ToNative(int_);
  if (v < std::numeric_limits<int64_t>::min() || v > std::numeric_limits<int64_t>::max())
    return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> Constant::Uint64() const {
  if (!exact_int()) return std::nullopt;
  i128 v = ToNative(int_);
  if (v < 0 || v > static_cast<i128>(std::numeric_limits<uint64_t>::max())) return std::nullopt;
  return static_cast<uint64_t>(v);
}

long double Constant::Real() const { return re_; }

bool Constant::IsZero() const {
  switch (kind_) {
    case Kind::kInt:
      return !big_ && int_ == 0;
    case Kind::kFloat:
      return re_ == 0;
    case Kind::kComplex:
      return re_ == 0 && im_ == 0;
    default:
      return false;
  }
}

int Constant::Sign() const {
  if (kind_ == Kind::kInt && !big_) return int_ < 0 ? -1 : int_ > 0 ? 1 : 0;
  return re_ < 0 ? -1 : re_ > 0 ? 1 : 0;
}

Constant Constant::ToInt() const {
  switch (kind_) {
    case Kind::kInt:
      return *this;
    case Kind::kFloat:
    case Kind::kComplex: {
      if (kind_ == Kind::kComplex && im_ != 0) return Constant();
      if (!std::isfinite(re_) || std::trunc(re_) != re_) return Constant();
      if (std::fabs(re_) >= kInt128Max) return BigInt(re_);
      return Int(FromNative(static_cast<i128>(re_)));
    }
    default:
      return Constant();
  }
}

Constant Constant::ToFloat() const {
  switch (kind_) {
    case Kind::kInt:
    case Kind::kFloat:
      return Float(re_);
    case Kind::kComplex:
      if (im_ != 0) return Constant();
      return Float(re_);
    default:
      return Constant();
  }
}

Constant Constant::ToComplex() const {
  switch (kind_) {
    case Kind::kInt:
    case Kind::kFloat:
      return Complex(re_, 0);
    case Kind::kComplex:
      return *this;
    default:
      return Constant();
  }
}

std::optional<Constant> Constant::Binary(absl::string_view op, const Constant& x,
                                         const Constant& y) {
  if (x.kind_ != y.kind_) return std::nullopt;
  switch (x.kind_) {
    case Kind::kBool:
      if (op == "&&") return Bool(x.bool_ && y.bool_);
      if (op == "||") return Bool(x.bool_ || y.bool_);
      return std::nullopt;
    case Kind::kString:
      if (op == "+") return String(x.str_ + y.str_);
      return std::nullopt;
    case Kind::kInt: {
      if (x.big_ || y.big_) {
        long double a = x.re_, b = y.re_, r;
        if (op == "+") {
          r = a + b;
        } else if (op == "-") {
          r = a - b;
        } else if (op == "*") {
          r = a * b;
        } else if (op == "/" || op == "%") {
          if (b == 0) return std::nullopt;
          r = op == "/" ? std::trunc(a / b) : std::fmod(a, b);
        } else {
          r = a;  // bit operations on huge values: approximate
        }
        if (std::fabs(r) < kInt128Max && std::trunc(r) == r)
          return Int(FromNative(static_cast<i128>(r)));
        return BigInt(r);
      }
      i128 a = ToNative(x.int_), b = ToNative(y.int_), r = 0;
      bool ov = false;
      if (op == "+") {
        ov = __builtin_add_overflow(a, b, &r);
        return IntOrBig(r, ov, x.re_ + y.re_);
      }
      if (op == "-") {
        ov = __builtin_sub_overflow(a, b, &r);
        return IntOrBig(r, ov, x.re_ - y.re_);
      }
      if (op == "*") {
        ov = __builtin_mul_overflow(a, b, &r);
        return IntOrBig(r, ov, x.re_ * y.re_);
      }
      if (op == "/" || op == "%") {
        if (b == 0) return std::nullopt;
        if (b == -1) {
          if (op == "%") return Int(0);
          ov = __builtin_sub_overflow(i128{0}, a, &r);
          return IntOrBig(r, ov, -x.re_);
        }
        return Int(FromNative(op == "/" ? a / b : a % b));
      }
      if (op == "&") return Int(FromNative(a & b));
      if (op == "|") return Int(FromNative(a | b));
      if (op == "^") return Int(FromNative(a ^ b));
      if (op == "&^") return Int(FromNative(a & ~b));
      return std::nullopt;
    }
    case Kind::kFloat: {
      long double a = x.re_, b = y.re_;
      if (op == "+") return Float(a + b);
      if (op == "-") return Float(a - b);
      if (op == "*") return Float(a * b);
      if (op == "/") {
        if (b == 0) return std::nullopt;
        return Float(a / b);
      }
      return std::nullopt;
    }
    case Kind::kComplex: {
      long double a = x.re_, b = x.im_, c = y.re_, d = y.im_;
      if (op == "+") return Complex(a + c, b + d);
      if (op == "-") return Complex(a - c, b - d);
      if (op == "*") return Complex(a * c - b * d, a * d + b * c);
      if (op == "/") {
        long double den = c * c + d * d;
        if (den == 0) return std::nullopt;
        return Complex((a * c + b * d) / den, (b * c - a * d) / den);
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<bool> Constant::Compare(absl::string_view op, const Constant& x, const Constant& y) {
  if (x.kind_ != y.kind_) return std::nullopt;
  int c = 0;
  switch (x.kind_) {
    case Kind::kBool:
      if (op == "==") return x.bool_ == y.bool_;
      if (op == "!=") return x.bool_ != y.bool_;
      return std::nullopt;
    case Kind::kString:
      c = x.str_.compare(y.str_);
      break;
    case Kind::kInt:
      if (!x.big_ && !y.big_) {
        c = x.int_ < y.int_ ? -1 : x.int_ > y.int_ ? 1 : 0;
      } else {
        c = x.re_ < y.re_ ? -1 : x.re_ > y.re_ ? 1 : 0;
      }
      break;
    case Kind::kFloat:
      c = x.re_ < y.re_ ? -1 : x.re_ > y.re_ ? 1 : 0;
      break;
    case Kind::kComplex:
      if (op == "==") return x.re_ == y.re_ && x.im_ == y.im_;
      if (op == "!=") return !(x.re_ == y.re_ && x.im_ == y.im_);
      return std::nullopt;
    default:
      return std::nullopt;
  }
  if (op == "==") return c == 0;
  if (op == "!=") return c != 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  if (op == ">=") return c >= 0;
  return std::nullopt;
}

std::optional<Constant> Constant::Unary(absl::string_view op, const Constant& x,
                                        int unsigned_bits) {
  switch (x.kind_) {
    case Kind::kBool:
      if (op == "!") return Bool(!x.bool_);
      return std::nullopt;
    case Kind::kInt: {
      if (op == "+") return x;
      if (x.big_) {
        if (op == "-") return BigInt(-x.re_);
        if (op == "^") return BigInt(-x.re_ - 1);
        return std::nullopt;
      }
      i128 a = ToNative(x.int_);
      if (op == "-") {
        i128 r;
        bool ov = __builtin_sub_overflow(i128{0}, a, &r);
        return IntOrBig(r, ov, -x.re_);
      }
      if (op == "^") {
        if (unsigned_bits > 0 && unsigned_bits < 128) {
          i128 mask = (i128{1} << unsigned_bits) - 1;
          return Int(FromNative(~a & mask));
        }
        return Int(FromNative(~a));
      }
      return std::nullopt;
    }
    case Kind::kFloat:
      if (op == "+") return x;
      if (op == "-") return Float(-x.re_);
      return std::nullopt;
    case Kind::kComplex:
      if (op == "+") return x;
      if (op == "-") return Complex(-x.re_, -x.im_);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<Constant> Constant::Shift(absl::string_view op, const Constant& x, uint64_t s) {
  if (x.kind_ != Kind::kInt) return std::nullopt;
  if (x.big_) {
    if (op == "<<")
      return BigInt(std::ldexp(x.re_, static_cast<int>(std::min<uint64_t>(s, 100000))));
    long double r = std::trunc(std::ldexp(x.re_, -static_cast<int>(std::min<uint64_t>(s, 100000))));
    if (std::fabs(r) < kInt128Max) return Int(FromNative(static_cast<i128>(r)));
    return BigInt(r);
  }
  i128 a = ToNative(x.int_);
  if (op == ">>") {
    if (s >= 127) return Int(a < 0 ? -1 : 0);
    return Int(FromNative(a >> s));
  }
  if (op != "<<") return std::nullopt;
  if (a == 0) return Int(0);
  if (s < 126) {
    i128 r = a << s;
    if ((r >> s) == a) return Int(FromNative(r));
  }
  return BigInt(
      std::ldexp(static_cast<long double>(a), static_cast<int>(std::min<uint64_t>(s, 100000))));
}

bool Constant::FitsInt(int bits, bool is_unsigned) const {
  if (kind_ != Kind::kInt || big_) return false;
  i128 v = ToNative(int_);
  if (is_unsigned) {
    if (v < 0) return false;
    return bits >= 127 || v < (i128{1} << bits);
  }
  i128 lim = i128{1} << (bits - 1);
  return v >= -lim && v < lim;
}

bool Constant::FitsFloat(int bits) const {
  long double v = re_;
  if (!std::isfinite(v)) return false;
  if (bits == 32) return std::fabs(v) <= std::numeric_limits<float>::max();
  return std::fabs(v) <= std::numeric_limits<double>::max();
}

std::string Constant::ToString() const {
  switch (kind_) {
    case Kind::kBool:
      return bool_ ? "true" : "false";
    case Kind::kString:
      return absl::StrCat("\"", str_, "\"");
    case Kind::kInt:
      return big_ ? FloatString(re_) : Int128String(ToNative(int_));
    case Kind::kFloat:
      return FloatString(re_);
    case Kind::kComplex:
      return absl::StrCat("(", FloatString(re_), " + ", FloatString(im_), "i)");
    default:
      return "unknown";
  }
}

// ---------------------------------------------------------------- literals

namespace {

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Parses digits of `base` into an integer (with overflow into a big value).
bool ParseInt(absl::string_view digits, int base, Constant* out) {
  if (digits.empty()) return false;
  i128 v = 0;
  bool ov = false;
  long double approx = 0;
  for (char c : digits) {
    int d = DigitValue(c);
    if (d >= base) return false;
    approx = approx * base + d;
    if (!ov) {
      i128 t;
      if (__builtin_mul_overflow(v, static_cast<i128>(base), &t) ||
          __builtin_add_overflow(t, static_cast<i128>(d), &v))
        ov = true;
    }
  }
  *out = ov ? Constant::BigInt(approx) : Constant::Int(FromNative(v));
  return true;
}

}  // namespace

std::optional<Constant> ParseNumberLiteral(absl::string_view text) {
  std::string s;
  for (char c : text)
    if (c != '_') s += c;
  bool imag = !s.empty() && s.back() == 'i';
  if (imag) s.pop_back();
  if (s.empty()) return std::nullopt;
  Constant v;
  auto lower = [](char c) { return static_cast<char>(c | 0x20); };
  bool is_float = false;
  if (s.size() > 1 && s[0] == '0' &&
      (lower(s[1]) == 'x' || lower(s[1]) == 'b' || lower(s[1]) == 'o')) {
    char p = lower(s[1]);
    std::string body = s.substr(2);
    if (p == 'x' && (body.find('.') != std::string::npos || body.find('p') != std::string::npos ||
                     body.find('P') != std::string::npos)) {
      // Hexadecimal float: mantissa "h.h", binary exponent.
      size_t pp = body.find_first_of("pP");
      if (pp == std::string::npos) return std::nullopt;
      std::string mant = body.substr(0, pp);
      std::string exp = body.substr(pp + 1);
      long double m = 0;
      int frac_digits = 0;
      bool seen_dot = false, any = false;
      for (char c : mant) {
        if (c == '.') {
          if (seen_dot) return std::nullopt;
          seen_dot = true;
          continue;
        }
        int d = DigitValue(c);
        if (d >= 16) return std::nullopt;
        m = m * 16 + d;
        any = true;
        if (seen_dot) ++frac_digits;
      }
      if (!any || exp.empty()) return std::nullopt;
      char* end = nullptr;
      long e = strtol(exp.c_str(), &end, 10);
      if (*end != '\0') return std::nullopt;
      v = Constant::Float(
          std::ldexp(m, static_cast<int>(std::clamp<long>(e, -100000, 100000)) - 4 * frac_digits));
      is_float = true;
    } else {
      int base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
      if (!ParseInt(body, base, &v)) return std::nullopt;
    }
  } else if (s.find_first_of(".eE") != std::string::npos) {
    char* end = nullptr;
    long double d = strtold(s.c_str(), &end);
    if (end == nullptr || *end != '\0') return std::nullopt;
    v = Constant::Float(d);
    is_float = true;
  } else if (s.size() > 1 && s[0] == '0' && !imag) {
    if (!ParseInt(s.substr(1), 8, &v)) return std::nullopt;  // legacy octal
  } else {
    if (!ParseInt(s, 10, &v)) return std::nullopt;
  }
  if (imag) return Constant::Complex(0, v.Real());
  (void)is_float;
  return v;
}

namespace {

// Decodes one escape sequence starting at body[*i] == '\\'. Appends bytes
// to `out` (strings) or sets *rune (runes). Returns false if malformed.
bool Escape(absl::string_view body, size_t* i, char quote, std::string* out, uint32_t* rune) {
  if (*i + 1 >= body.size()) return false;
  char c = body[*i + 1];
  *i += 2;
  uint32_t v = 0;
  auto hex = [&](int n) {
    if (*i + n > body.size()) return false;
    for (int k = 0; k < n; ++k) {
      int d = DigitValue(body[*i + k]);
      if (d >= 16) return false;
      v = v * 16 + d;
    }
    *i += n;
    return true;
  };
  bool byte_value = false;
  switch (c) {
    case 'a':
      v = 7;
      break;
    case 'b':
      v = 8;
      break;
    case 'f':
      v = 12;
      break;
    case 'n':
      v = 10;
      break;
    case 'r':
      v = 13;
      break;
    case 't':
      v = 9;
      break;
    case 'v':
      v = 11;
      break;
    case '\\':
      v = '\\';
      break;
    case '\'':
    case '"':
      if (c != quote) return false;
      v = static_cast<uint32_t>(c);
      break;
    case 'x':
      if (!hex(2)) return false;
      byte_value = true;
      break;
    case 'u':
      if (!hex(4)) return false;
      break;
    case 'U':
      if (!hex(8)) return false;
      break;
    default:
      if (c >= '0' && c <= '7') {
        if (*i + 2 > body.size()) return false;
        v = static_cast<uint32_t>(c - '0');
        for (int k = 0; k < 2; ++k) {
          char d = body[*i + k];
          if (d < '0' || d > '7') return false;
          v = v * 8 + static_cast<uint32_t>(d - '0');
        }
        *i += 2;
        if (v > 255) return false;
        byte_value = true;
        break;
      }
      return false;
  }
  if (!byte_value && (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))) return false;
  if (rune != nullptr) *rune = v;
  if (out != nullptr) {
    if (byte_value)
      out->push_back(static_cast<char>(v));
    else
      AppendUtf8(v, out);
  }
  return true;
}

}  // namespace

Constant RuneString(const Constant& c) {
  std::optional<int64_t> v = c.ToInt().Int64();
  bool valid = v.has_value() && *v >= 0 && *v <= 0x10FFFF && !(*v >= 0xD800 && *v < 0xE000);
  std::string s;
  AppendUtf8(valid ? static_cast<uint32_t>(*v) : 0xFFFD, &s);
  return Constant::String(std::move(s));
}

std::optional<Constant> ParseRuneLiteral(absl::string_view text) {
  if (text.size() < 3 || text.front() != '\'' || text.back() != '\'') return std::nullopt;
  absl::string_view body = text.substr(1, text.size() - 2);
  size_t i = 0;
  uint32_t r = 0;
  if (body[0] == '\\') {
    if (!Escape(body, &i, '\'', nullptr, &r)) return std::nullopt;
  } else {
    int n = DecodeUtf8(body, 0, &r);
    if (n == 0) return std::nullopt;
    i = static_cast<size_t>(n);
  }
  if (i != body.size()) return std::nullopt;
  return Constant::Int(r);
}

std::optional<Constant> ParseStringLiteral(absl::string_view text) {
  if (text.size() < 2) return std::nullopt;
  if (text.front() == '`') {
    std::string s;
    for (char c : text.substr(1, text.size() - 2))
      if (c != '\r') s.push_back(c);
    return Constant::String(std::move(s));
  }
  if (text.front() != '"' || text.back() != '"') return std::nullopt;
  absl::string_view body = text.substr(1, text.size() - 2);
  std::string s;
  size_t i = 0;
  while (i < body.size()) {
    if (body[i] == '\\') {
      if (!Escape(body, &i, '"', &s, nullptr)) return std::nullopt;
    } else {
      s.push_back(body[i++]);
    }
  }
  return Constant::String(std::move(s));
}

}  // namespace gclab::escape
