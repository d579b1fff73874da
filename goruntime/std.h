// The runtime's part of generated code beyond gort.h: maps, channels,
// select, print/println, interface helpers, defer descriptors, and the
// standard library functions gocompile supports (gort::std_<pkg>_<Name>,
// methods gort::std_<pkg>_<Type>_<Name> with the receiver first), each with
// the C++ types of its Go signature.
#ifndef GCLAB_GORUNTIME_STD_H_
#define GCLAB_GORUNTIME_STD_H_

#include <cstdint>

#include "goruntime/gort.h"
#include "goruntime/sched.h"
#include "goruntime/types.h"

namespace gort {

// ---------------------------------------------------------------- maps

// The map header's type (heap descriptor of a map object).
extern Type kTypeHMap;
// make(map[K]V, hint): `site` decides heap or stack for the header.
Word MakeMap(G* g, Site* site, const Type* map_type, int64_t hint);
// A pointer to the value of key *k, or to a zero value; *ok says which.
const void* MapAccess(G* g, Word m, const void* k, bool* ok);
void MapAssign(G* g, Word m, const void* k, const void* v);
void MapDelete(G* g, Word m, const void* k);
int64_t MapLen(Word m);
// Iteration: the iterator's three words are roots while it runs.
struct MapIter {
  Word map = 0;
  Word entries = 0;
  Word ctrl = 0;
  int64_t index = -1;
  int64_t cap = 0;
  const void* key = nullptr;
  const void* value = nullptr;
};
void MapIterInit(G* g, MapIter* it, Word m);
bool MapIterNext(G* g, MapIter* it);

// ---------------------------------------------------------------- channels

Word MakeChan(G* g, const Type* chan_type, int64_t size, const Pos* pos);
// Sends the value at `v` (a rooted temporary of the sender).
void ChanSend(G* g, Word c, const void* v, const Pos* pos);
// Receives into `v`; the value's pointer words are also written to
// roots[0..] (frame words of the receiver). false: closed and drained.
bool ChanRecv(G* g, Word c, void* v, Word* roots, const Pos* pos);
void ChanClose(G* g, Word c, const Pos* pos);
int64_t ChanLen(Word c);
int64_t ChanCap(Word c);

struct SelectCase {
  Word chan = 0;
  bool send = false;
  void* elem = nullptr;  // the value to send / the receive buffer
  Word* root = nullptr;  // receive: frame words for the value's pointers
};
// Go's select: the index of the case that proceeded (-1: default); *ok for
// a receive: false if the channel was closed.
int Select(G* g, SelectCase* cases, int n, bool has_default, bool* ok, const Pos* pos);

// ---------------------------------------------------------------- misc

// The itab of a non-nil interface value (a nil one panics: method call on
// a nil interface).
inline const Itab* ITab(G* g, const IFace& i, const Pos* pos) {
  if (GORT_UNLIKELY(i.tab == nullptr)) PanicNil(g, pos);
  return i.tab;
}
// An interface value converted to another interface type it implements
// statically (nil stays nil).
IFace ConvI2I(G* g, IFace x, const Type* iface);
IFace ConvI2I(G* g, EFace x, const Type* iface);

// The descriptor of a defer record holding arguments of type `args`.
const gclab::TypeDescriptor* DeferDescriptor(const Type* args);

// print / println (to stderr, the runtime's formats).
struct PrintArg {
  const Type* type;
  const void* value;
};
void BuiltinPrint(G* g, const PrintArg* args, int n, bool ln);

// ---------------------------------------------------------------- std

extern Word g_os_stdout;
extern Word g_os_stderr;

// fmt
T2<int64_t, IFace> std_fmt_Println(G* g, Slice a);
T2<int64_t, IFace> std_fmt_Print(G* g, Slice a);
T2<int64_t, IFace> std_fmt_Printf(G* g, String format, Slice a);
String std_fmt_Sprintf(G* g, String format, Slice a);
String std_fmt_Sprint(G* g, Slice a);
String std_fmt_Sprintln(G* g, Slice a);
IFace std_fmt_Errorf(G* g, String format, Slice a);
T2<int64_t, IFace> std_fmt_Fprintf(G* g, IFace w, String format, Slice a);
T2<int64_t, IFace> std_fmt_Fprintln(G* g, IFace w, Slice a);
T2<int64_t, IFace> std_fmt_Fprint(G* g, IFace w, Slice a);

// strings (Builder's methods take *Builder)
T2<int64_t, IFace> std_strings_Builder_WriteString(G* g, Word b, String s);
T2<int64_t, IFace> std_strings_Builder_Write(G* g, Word b, Slice p);
IFace std_strings_Builder_WriteByte(G* g, Word b, uint8_t c);
T2<int64_t, IFace> std_strings_Builder_WriteRune(G* g, Word b, int32_t r);
String std_strings_Builder_String(G* g, Word b);
int64_t std_strings_Builder_Len(G* g, Word b);
void std_strings_Builder_Reset(G* g, Word b);
void std_strings_Builder_Grow(G* g, Word b, int64_t n);
Slice std_strings_Split(G* g, String s, String sep);
Slice std_strings_SplitN(G* g, String s, String sep, int64_t n);
Slice std_strings_Fields(G* g, String s);
String std_strings_Join(G* g, Slice elems, String sep);
String std_strings_TrimSpace(G* g, String s);
String std_strings_Trim(G* g, String s, String cutset);
String std_strings_TrimLeft(G* g, String s, String cutset);
String std_strings_TrimRight(G* g, String s, String cutset);
String std_strings_TrimPrefix(G* g, String s, String prefix);
String std_strings_TrimSuffix(G* g, String s, String suffix);
String std_strings_ToUpper(G* g, String s);
String std_strings_ToLower(G* g, String s);
String std_strings_Title(G* g, String s);
bool std_strings_Contains(G* g, String s, String sub);
bool std_strings_ContainsRune(G* g, String s, int32_t r);
bool std_strings_ContainsAny(G* g, String s, String chars);
bool std_strings_HasPrefix(G* g, String s, String prefix);
bool std_strings_HasSuffix(G* g, String s, String suffix);
int64_t std_strings_Index(G* g, String s, String sub);
int64_t std_strings_IndexByte(G* g, String s, uint8_t c);
int64_t std_strings_IndexRune(G* g, String s, int32_t r);
int64_t std_strings_LastIndex(G* g, String s, String sub);
String std_strings_Repeat(G* g, String s, int64_t count);
String std_strings_Replace(G* g, String s, String old_s, String new_s, int64_t n);
String std_strings_ReplaceAll(G* g, String s, String old_s, String new_s);
int64_t std_strings_Count(G* g, String s, String sub);
bool std_strings_EqualFold(G* g, String a, String b);
int64_t std_strings_Compare(G* g, String a, String b);

// strconv
String std_strconv_Itoa(G* g, int64_t i);
T2<int64_t, IFace> std_strconv_Atoi(G* g, String s);
String std_strconv_FormatInt(G* g, int64_t i, int64_t base);
T2<int64_t, IFace> std_strconv_ParseInt(G* g, String s, int64_t base, int64_t bits);
String std_strconv_Quote(G* g, String s);
T2<double, IFace> std_strconv_ParseFloat(G* g, String s, int64_t bits);
String std_strconv_FormatFloat(G* g, double f, uint8_t fmt, int64_t prec, int64_t bits);
String std_strconv_FormatBool(G* g, bool b);
T2<bool, IFace> std_strconv_ParseBool(G* g, String s);

// errors
IFace std_errors_New(G* g, String text);
bool std_errors_Is(G* g, IFace err, IFace target);
bool std_errors_As(G* g, IFace err, EFace target, const Pos* pos);
IFace std_errors_Unwrap(G* g, IFace err);

// os
void std_os_Exit(G* g, int64_t code);
String std_os_Getenv(G* g, String key);

// runtime
void std_runtime_GC(G* g);
void std_runtime_ReadMemStats(G* g, Word m);
int64_t std_runtime_NumGoroutine(G* g);
void std_runtime_Gosched(G* g);
int64_t std_runtime_NumCPU(G* g);
int64_t std_runtime_GOMAXPROCS(G* g, int64_t n);

// sync (pointer receivers)
void std_sync_Mutex_Lock(G* g, Word m);
void std_sync_Mutex_Unlock(G* g, Word m);
bool std_sync_Mutex_TryLock(G* g, Word m);
void std_sync_RWMutex_Lock(G* g, Word m);
void std_sync_RWMutex_Unlock(G* g, Word m);
void std_sync_RWMutex_RLock(G* g, Word m);
void std_sync_RWMutex_RUnlock(G* g, Word m);
void std_sync_WaitGroup_Add(G* g, Word wg, int64_t delta);
void std_sync_WaitGroup_Done(G* g, Word wg);
void std_sync_WaitGroup_Wait(G* g, Word wg);
void std_sync_Once_Do(G* g, Word once, Word f);

// sort
void std_sort_Slice(G* g, EFace x, Word less, const Pos* pos);
void std_sort_SliceStable(G* g, EFace x, Word less, const Pos* pos);
void std_sort_Ints(G* g, Slice x);
void std_sort_Strings(G* g, Slice x);
void std_sort_Float64s(G* g, Slice x);
void std_sort_Sort(G* g, IFace data);
void std_sort_Stable(G* g, IFace data);
int64_t std_sort_Search(G* g, int64_t n, Word f);
int64_t std_sort_SearchInts(G* g, Slice a, int64_t x);

// math
double std_math_Sqrt(G* g, double x);
double std_math_Abs(G* g, double x);
double std_math_Floor(G* g, double x);
double std_math_Ceil(G* g, double x);
double std_math_Max(G* g, double x, double y);
double std_math_Min(G* g, double x, double y);
double std_math_Pow(G* g, double x, double y);
double std_math_Inf(G* g, int64_t sign);
double std_math_NaN(G* g);
bool std_math_IsNaN(G* g, double x);
bool std_math_IsInf(G* g, double x, int64_t sign);
double std_math_Log(G* g, double x);
double std_math_Log2(G* g, double x);
double std_math_Log10(G* g, double x);
double std_math_Exp(G* g, double x);
double std_math_Sin(G* g, double x);
double std_math_Cos(G* g, double x);
double std_math_Tan(G* g, double x);
double std_math_Atan(G* g, double x);
double std_math_Atan2(G* g, double y, double x);
double std_math_Mod(G* g, double x, double y);
double std_math_Trunc(G* g, double x);
double std_math_Round(G* g, double x);
double std_math_Hypot(G* g, double p, double q);
uint64_t std_math_Float64bits(G* g, double f);
double std_math_Float64frombits(G* g, uint64_t b);

// unicode, unicode/utf8
bool std_unicode_IsLetter(G* g, int32_t r);
bool std_unicode_IsDigit(G* g, int32_t r);
bool std_unicode_IsSpace(G* g, int32_t r);
bool std_unicode_IsUpper(G* g, int32_t r);
bool std_unicode_IsLower(G* g, int32_t r);
bool std_unicode_IsPunct(G* g, int32_t r);
int32_t std_unicode_ToUpper(G* g, int32_t r);
int32_t std_unicode_ToLower(G* g, int32_t r);
int64_t std_utf8_RuneLen(G* g, int32_t r);
int64_t std_utf8_RuneCountInString(G* g, String s);
T2<int32_t, int64_t> std_utf8_DecodeRuneInString(G* g, String s);
bool std_utf8_ValidString(G* g, String s);
int64_t std_utf8_EncodeRune(G* g, Slice p, int32_t r);

}  // namespace gort

#endif  // GCLAB_GORUNTIME_STD_H_
