// Values of Go constant expressions.
//
// Go constants are exact and of arbitrary precision. gclab keeps integers
// exactly up to 127 bits (absl::int128); beyond that an integer is "big": its
// magnitude is kept approximately (long double) and it still counts as an
// integer, which is all the escape analysis needs (array lengths, make sizes
// and indexes that large are errors or heap allocations anyway). Floats and
// complex numbers are long double. Strings are kept decoded (bytes).
//
// Constant expressions are printed in diagnostics from their source text
// (see syntax_printer.h), never from these values.
#ifndef GCLAB_ESCAPE_CONSTANT_H_
#define GCLAB_ESCAPE_CONSTANT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace gclab::escape {

class Constant {
 public:
  enum class Kind { kUnknown, kBool, kString, kInt, kFloat, kComplex };

  Constant() = default;
  static Constant Bool(bool b);
  static Constant String(std::string s);
  static Constant Int(absl::int128 v);
  static Constant BigInt(long double approx);  // an integer beyond int128
  static Constant Float(long double v);
  static Constant Complex(long double re, long double im);

  Kind kind() const { return kind_; }
  bool known() const { return kind_ != Kind::kUnknown; }
  bool bool_val() const { return bool_; }
  const std::string& string_val() const { return str_; }
  // Integers: the exact value if it fits in 127 bits.
  bool exact_int() const { return kind_ == Kind::kInt && !big_; }
  absl::int128 int_val() const { return int_; }
  std::optional<int64_t> Int64() const;
  std::optional<uint64_t> Uint64() const;
  // Numeric value as a real number (integers, floats; real part of complex).
  long double Real() const;
  long double Imag() const { return kind_ == Kind::kComplex ? im_ : 0; }
  bool IsZero() const;
  // Sign of a real value: -1, 0, 1.
  int Sign() const;

  // Kind conversions for untyped constant arithmetic. ToInt gives kUnknown if
  // the value is not an integer (1.5, 2+1i).
  Constant ToInt() const;
  Constant ToFloat() const;
  Constant ToComplex() const;

  // Arithmetic on two constants of the same kind (after ToInt/ToFloat/...).
  // `op` is the Go operator; integer division truncates ("/" on kInt).
  // nullopt when the operation is invalid (division by zero, operator not
  // defined on the kind).
  static std::optional<Constant> Binary(absl::string_view op, const Constant& x, const Constant& y);
  static std::optional<bool> Compare(absl::string_view op, const Constant& x, const Constant& y);
  // op in "+", "-", "^", "!". `unsigned_bits` > 0 makes ^ a bitwise
  // complement within that many bits (for typed unsigned operands).
  static std::optional<Constant> Unary(absl::string_view op, const Constant& x,
                                       int unsigned_bits = 0);
  // x << s, x >> s for an integer x.
  static std::optional<Constant> Shift(absl::string_view op, const Constant& x, uint64_t s);

  // Whether the value fits a typed constant of the given basic type, where
  // `int_bits` is 8..64 for integer types (negative for unsigned), 32/64 for
  // floats. Rounds floats (to float32) in place.
  bool FitsInt(int bits, bool is_unsigned) const;
  bool FitsFloat(int bits) const;

  // Debug/error-message text ("3", "1.5", "(1 + 2i)", "\"s\"", "true").
  std::string ToString() const;

 private:
  Kind kind_ = Kind::kUnknown;
  bool bool_ = false;
  bool big_ = false;
  absl::int128 int_ = 0;
  long double re_ = 0;
  long double im_ = 0;
  std::string str_;
};

// Parses a Go integer/float/imaginary literal's text (with 0x/0o/0b
// prefixes, '_' separators, hex floats, trailing 'i'). nullopt if malformed.
std::optional<Constant> ParseNumberLiteral(absl::string_view text);
// string(c) of an integer constant: its UTF-8 encoding, or "\uFFFD" if c
// is not a valid code point.
Constant RuneString(const Constant& c);
// Decodes a rune literal ('a', '\n', '\u00e9', ...) to its code point.
std::optional<Constant> ParseRuneLiteral(absl::string_view text);
// Decodes an interpreted ("...") or raw (`...`) string literal.
std::optional<Constant> ParseStringLiteral(absl::string_view text);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_CONSTANT_H_
