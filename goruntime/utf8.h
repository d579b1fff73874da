// UTF-8 with Go's rules (unicode/utf8): invalid encodings decode to
// U+FFFD with width 1; invalid runes encode as U+FFFD.
#ifndef GCLAB_GORUNTIME_UTF8_H_
#define GCLAB_GORUNTIME_UTF8_H_

#include <cstdint>

namespace gort::utf8 {

inline constexpr int32_t kRuneError = 0xFFFD;
inline constexpr int32_t kMaxRune = 0x10FFFF;

// Decodes the rune at p (n > 0 bytes available); *width = bytes consumed.
inline int32_t Decode(const unsigned char* p, int64_t n, int* width) {
  const unsigned char c = p[0];
  if (c < 0x80) {
    *width = 1;
    return c;
  }
  *width = 1;
  auto cont = [&](int i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    if (!cont(1)) return kRuneError;
    *width = 2;
    return ((c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return kRuneError;
    if (c == 0xE0 && p[1] < 0xA0) return kRuneError;  // overlong
    if (c == 0xED && p[1] > 0x9F) return kRuneError;  // surrogates
    *width = 3;
    return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return kRuneError;
    if (c == 0xF0 && p[1] < 0x90) return kRuneError;
    if (c == 0xF4 && p[1] > 0x8F) return kRuneError;
    *width = 4;
    return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
  return kRuneError;
}

// Writes the UTF-8 encoding of r (at most 4 bytes); returns its length.
inline int EncodeRune(char* out, int64_t r) {
  if (r < 0 || r > kMaxRune || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out[0] = static_cast<char>(r);
    return 1;
  }
  if (r < 0x800) {
    out[0] = static_cast<char>(0xC0 | (r >> 6));
    out[1] = static_cast<char>(0x80 | (r & 0x3F));
    return 2;
  }
  if (r < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (r >> 12));
    out[1] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (r & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (r >> 18));
  out[1] = static_cast<char>(0x80 | ((r >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (r & 0x3F));
  return 4;
}

inline int RuneLen(int64_t r) {
  char buf[4];
  return EncodeRune(buf, r);
}

}  // namespace gort::utf8

namespace gort {
using utf8::EncodeRune;
}  // namespace gort

#endif  // GCLAB_GORUNTIME_UTF8_H_
