// Predeclared identifiers (go's typecheck/universe.go) and package unsafe.
#include "escape/typecheck/checker.h"

namespace gclab::escape {

void Checker::InitUniverse() {
  const Universe& u = U();
  auto type = [&](const char* n, const Type* t) {
    Obj* o = prog_->NewObj(ObjKind::kTypeName, n, {});
    o->type = t;
    universe_.Insert(o);
  };
  type("bool", u.bool_t);
  type("int", u.int_t);
  type("int8", u.int8_t_);
  type("int16", u.int16_t_);
  type("int32", u.int32_t_);
  type("int64", u.int64_t_);
  type("uint", u.uint_t);
  type("uint8", u.uint8_t_);
  type("uint16", u.uint16_t_);
  type("uint32", u.uint32_t_);
  type("uint64", u.uint64_t_);
  type("uintptr", u.uintptr_t_);
  type("float32", u.float32_t);
  type("float64", u.float64_t);
  type("complex64", u.complex64_t);
  type("complex128", u.complex128_t);
  type("string", u.string_t);
  type("byte", u.byte_t);
  type("rune", u.rune_t);
  type("any", u.any_t);
  type("error", u.error_t);
  type("comparable", u.comparable_t);
  struct B {
    const char* name;
    Builtin b;
  };
  for (const B& b :
       {B{"append", Builtin::kAppend}, B{"cap", Builtin::kCap}, B{"close", Builtin::kClose},
        B{"complex", Builtin::kComplex}, B{"copy", Builtin::kCopy}, B{"delete", Builtin::kDelete},
        B{"imag", Builtin::kImag}, B{"len", Builtin::kLen}, B{"make", Builtin::kMake},
        B{"new", Builtin::kNew}, B{"panic", Builtin::kPanic}, B{"print", Builtin::kPrint},
        B{"println", Builtin::kPrintln}, B{"real", Builtin::kReal},
        B{"recover", Builtin::kRecover}}) {
    Obj* o = prog_->NewObj(ObjKind::kBuiltin, b.name, {});
    o->builtin = b.b;
    universe_.Insert(o);
  }
  for (bool v : {true, false}) {
    Obj* o = prog_->NewObj(ObjKind::kConst, v ? "true" : "false", {});
    o->type = u.untyped_bool;
    o->val = Constant::Bool(v);
    universe_.Insert(o);
  }
  Obj* iota = prog_->NewObj(ObjKind::kConst, "iota", {});
  iota->type = u.untyped_int;
  universe_.Insert(iota);
  Obj* nil = prog_->NewObj(ObjKind::kNil, "nil", {});
  nil->type = u.untyped_nil;
  universe_.Insert(nil);
}

Package* Checker::UnsafePackage() {
  if (unsafe_ != nullptr) return unsafe_;
  unsafe_ = prog_->NewPackage();
  unsafe_->path = "unsafe";
  unsafe_->name = "unsafe";
  unsafe_->known = true;
  Obj* ptr = prog_->NewObj(ObjKind::kTypeName, "Pointer", {});
  ptr->type = U().unsafe_pointer;
  ptr->pkg = unsafe_;
  unsafe_->members.push_back(ptr);
  struct B {
    const char* name;
    Builtin b;
  };
  for (const B& b : {B{"Sizeof", Builtin::kUnsafeSizeof}, B{"Alignof", Builtin::kUnsafeAlignof},
                     B{"Offsetof", Builtin::kUnsafeOffsetof}, B{"Add", Builtin::kUnsafeAdd},
                     B{"Slice", Builtin::kUnsafeSlice}}) {
    Obj* o = prog_->NewObj(ObjKind::kBuiltin, b.name, {});
    o->builtin = b.b;
    o->pkg = unsafe_;
    unsafe_->members.push_back(o);
  }
  return unsafe_;
}

}  // namespace gclab::escape
