// The tree the front end produces and the analyses consume.
//
// The parser builds Nodes with syntactic ops (kCall, kSelector, ...). The
// type checker then rewrites every reachable node in place into the typed IR
// ops modelled on cmd/compile's IR (kCallFunc, kDotPtr, kConvIface,
// kPtrLit, ...), makes implicit operations explicit (implicit conversions to
// interfaces, automatic & and * of method receivers, &arr in arr[i:j], the
// slice literal of a variadic call, ...), resolves identifiers to Objs and
// records per-function declarations, which is everything the escape analyses
// need.
#ifndef GCLAB_ESCAPE_IR_H_
#define GCLAB_ESCAPE_IR_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "escape/lexer.h"
#include "escape/types.h"

namespace gclab::escape {

struct Func;
struct Node;

enum class Op {
  kBad,
  // ---- Syntax-only ops (replaced by the type checker). ----
  kIdent,
  kBasicLit,
  kCompositeLit,
  kFuncLit,
  kParen,
  kSelector,
  kIndex,
  kSliceExpr,
  kTypeAssert,
  kCall,
  kUnary,
  kBinary,
  kKeyValue,
  kStar,
  kArrayType,
  kSliceType,
  kMapType,
  kFuncType,
  kStructType,
  kInterfaceType,
  kEllipsis,
  kChanType,
  kExprStmt,
  kAssign,
  kIncDec,
  kVarDecl,
  kConstDecl,
  kTypeDecl,
  kBlock,
  kIf,
  kFor,
  kRange,
  kSwitch,
  kTypeSwitch,
  kCase,
  kReturn,
  kGo,
  kDefer,
  kLabeled,
  kBranch,
  kEmpty,
  kSend,
  kSelect,
  // ---- Typed IR ops. ----
  kName,     // obj
  kLiteral,  // constant (str = Go spelling)
  kNil,
  kType,      // a type used as an operand (conversions, make, new)
  kFuncName,  // reference to a top-level function or method expression
  kAddr,
  kDeref,
  kDot,
  kDotPtr,
  kDotInter,
  kIndexArr,
  kIndexSlice,
  kIndexString,
  kIndexMap,
  kSliceArr,
  kSliceSlice,
  kSliceStr,
  kConv,       // value conversion without pointer effects
  kConvIface,  // conversion to an interface (implicit if `implicit`)
  kStr2Bytes,
  kBytes2Str,
  kStr2Runes,
  kRunes2Str,
  kRuneStr,
  kAddStr,     // string concatenation chain (list)
  kArith,      // binary arithmetic/comparison (str = operator)
  kLogic,      // && ||
  kUnaryOp,    // + - ^ !
  kCallFunc,   // x = function value/expression, list = args
  kCallInter,  // x = kDotInter selector, list = args
  kCallMeth,   // static method call: fn set, list[0] = receiver
  kAppend,
  kCopy,
  kLen,
  kCap,
  kDelete,
  kPanic,
  kPrint,
  kPrintln,
  kRecover,
  kNew,
  kMakeSlice,
  kMakeMap,
  kMethValue,  // x.M as a value (fn set)
  kPtrLit,
  kStructLit,
  kArrayLit,
  kSliceLit,
  kMapLit,
  kClosure,  // fn set
  kDotType,
  kDotType2,
  kStructKey,  // field: str = name, x = value
  kKey,        // x = key, y = value
  // Statements.
  kDcl,         // obj declared
  kAs,          // x = y (y may be null: zeroing)
  kAsOp,        // x op= y
  kAs2,         // list = list2
  kAs2Func,     // list = single call in x
  kAs2DotType,  // list = x.(T)
  kAs2MapR,     // list = m[k]
  kIfStmt,
  kForStmt,
  kRangeStmt,
  kSwitchStmt,
  kTypeSwitchStmt,
  kCaseClause,
  kReturnStmt,
  kGoStmt,
  kDeferStmt,
  kLabel,
  kGoto,
  kBreak,
  kContinue,
  kFallthrough,
  kBlockStmt,
  kCallStmt,
  kUnsupported,
};

enum class ObjKind { kVar, kConst, kTypeName, kFunc, kPkg, kBuiltin, kNil };
enum class VarClass { kExtern, kAuto, kParam, kParamOut };

struct Obj {
  ObjKind kind = ObjKind::kVar;
  std::string name;
  Pos pos;
  const Type* type = nullptr;
  VarClass cls = VarClass::kAuto;
  Func* curfn = nullptr;  // Declaring function (locals, params).
  Node* defn = nullptr;   // Defining statement (x := ..., range, ...).
  int result_index = 0;   // 1-based for results.
  std::string const_val;  // Constant value text (consts).
  int64_t int_val = 0;    // Integer constant value when known.
  bool int_known = false;
  Func* fn = nullptr;  // kFunc.
  std::string pkg;     // kPkg: package path; kFunc: package of import.
  bool used = false;
  // Analysis scratch: index into a per-run location table.
  int loc = -1;
};

struct Node {
  Op op = Op::kBad;
  Pos pos;
  std::string str;  // identifier, literal text, operator, label.
  Node* x = nullptr;
  Node* y = nullptr;
  Node* z = nullptr;
  Node* w = nullptr;
  std::vector<Node*> list;
  std::vector<Node*> list2;
  std::vector<Node*> init;  // statements run first (declarations).
  const Type* type = nullptr;
  Obj* obj = nullptr;
  Func* fn = nullptr;       // closure, static callee, method value.
  bool implicit = false;    // implicit conversion / & / *.
  bool ddd = false;         // f(xs...) call.
  bool def = false;         // := assignment.
  bool is_default = false;  // default case.
  bool is_const = false;    // constant expression.
  bool packed = false;      // call whose variadic args were packed (prints "...").
  int64_t int_val = 0;      // constant integer value when is_const.
  bool int_known = false;
  std::string unsupported;  // kUnsupported statements: what was rejected.
};

// A function body to analyse: a top-level function, method or closure.
struct Func {
  std::string name;  // "f", "T.M", "(*T).M", "f.func1".
  Pos pos;
  Obj* nname = nullptr;       // Function object (top-level only).
  const Type* sig = nullptr;  // Signature (params exclude receiver).
  Obj* recv = nullptr;        // Receiver parameter, if a method.
  bool ptr_recv = false;
  std::vector<Obj*> params;        // Parameter objects (nullptr-free).
  std::vector<Obj*> results;       // Result objects, named "~rN" if unnamed.
  std::vector<Obj*> dcl;           // All locals incl. params, in decl order.
  std::vector<Obj*> closure_vars;  // Captured outer variables (canonical).
  Func* outer = nullptr;           // Enclosing function for closures.
  Node* clo = nullptr;             // The kClosure node.
  std::vector<Func*> closures;     // Directly nested closures.
  Node* body = nullptr;            // kBlockStmt; nullptr if external.
  bool closure_called = false;     // func(){...}() called directly.
  bool unsupported = false;        // Contains an unsupported construct.
  int closure_count = 0;           // For naming nested closures.
  // Imported functions: per-parameter leak tags (see leaks.h), recv first.
  bool external = false;
  std::vector<std::string> ext_tags;
};

// Owns all nodes, objects, funcs and types of one checked file.
struct Program {
  std::string filename;
  std::deque<Node> nodes;
  std::deque<Obj> objs;
  std::deque<Func> funcs_storage;
  TypeArena types;
  std::vector<Func*> funcs;  // Top-level funcs and methods, in order.
  std::vector<Node*> decls;  // Top-level declarations (syntax).
  std::vector<Obj*> globals;
  std::vector<std::string> unsupported;  // "file:line:col: unsupported: ..."

  Node* NewNode(Op op, Pos pos) {
    nodes.emplace_back();
    Node* n = &nodes.back();
    n->op = op;
    n->pos = pos;
    return n;
  }
  Obj* NewObj(ObjKind k, std::string name, Pos pos) {
    objs.emplace_back();
    Obj* o = &objs.back();
    o->kind = k;
    o->name = std::move(name);
    o->pos = pos;
    return o;
  }
  Func* NewFunc() {
    funcs_storage.emplace_back();
    return &funcs_storage.back();
  }
};

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_IR_H_
