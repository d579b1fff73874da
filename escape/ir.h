// The tree the front end produces and the analyses consume.
//
// The parser builds syntax Nodes (ops kIdent ... kCommClause). The type
// checker reads them and builds a separate tree of typed IR Nodes with ops
// modelled on cmd/compile's IR (kCallFunc, kDotPtr, kConvIface, kPtrLit, ...):
// implicit operations are explicit (conversions to interfaces, automatic &
// and * of method receivers, &arr in arr[i:j], the slice literal of a
// variadic call, temporaries of f(g()) with a multi-value g, ...),
// identifiers are resolved to Objs and each function records its
// declarations. Syntax nodes are kept unchanged (constant expressions are
// printed from them).
//
// Field use per op is documented next to each op. Every Node has a program-
// unique `id` (creation order; stable for a given input), which the
// per-site decision API (site_decisions.h) uses as a key.
#ifndef GCLAB_ESCAPE_IR_H_
#define GCLAB_ESCAPE_IR_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "escape/constant.h"
#include "escape/source.h"
#include "escape/types.h"

namespace gclab::escape {

struct Func;
struct Node;
struct Package;

enum class Op {
  kBad,
  // ---- Syntax (parser output). ----
  kIdent,          // str = name
  kBasicLit,       // str = literal text; int_val: 0 int, 1 float, 2 imaginary, 3 rune, 4 string
  kCompositeLit,   // x = type (null if elided), list = elements, w = closing brace (kEmpty)
  kFuncLit,        // y = kFuncType, z = body (kBlock)
  kFuncDecl,       // str = name, x = receiver (kField) or null, y = kFuncType, z = body or null,
                   // list = type parameters (kField), pragma flags in int_val,
                   // list2 = "//gclab:" directives (kBasicLit)
  kParen,          // x
  kSelector,       // x . str
  kIndex,          // x [ list ]  (one index, or type arguments)
  kSliceExpr,      // x [ y : z : w ], ddd = 3-index form
  kTypeAssert,     // x .( y ); y null for .(type)
  kCall,           // x ( list ), ddd = f(xs...)
  kUnary,          // str op x  (+ - ! ^ & <- ~)
  kBinary,         // x str y
  kKeyValue,       // x : y
  kStar,           // * x (pointer type or indirection)
  kArrayType,      // [ x ] y; x null for [...]T
  kSliceType,      // [] y
  kMapType,        // map[ x ] y
  kChanType,       // chan y; int_val = ChanDir
  kFuncType,       // list = params (kField), list2 = results (kField)
  kStructType,     // list = fields (kField; implicit = embedded)
  kInterfaceType,  // list = methods (kField with x = kFuncType) and embedded elements (kField)
  kEllipsis,       // ... y (variadic parameter type)
  kField,          // str = name ("" if none), x = type, ddd = variadic, implicit = embedded
  kExprStmt,       // x
  kAssign,         // list str= list2 (str: "=", ":=", "+=", ...)
  kIncDec,         // x str (++ / --)
  kVarDecl,        // list = names (kIdent), x = type or null, list2 = values
  kConstDecl,      // list = names, x = type, list2 = values, int_val = iota, implicit = repeated
  kTypeDecl,       // str = name, x = type, def = alias, list = type parameters (kField)
  kBlock,          // list = statements, w = closing brace (kEmpty); implicit = decl group
  kIf,             // init, x = cond, y = then (kBlock), z = else or null
  kFor,            // x = init, y = cond, z = post, w = body
  kRange,          // list = lhs, str = "=" / ":=" / "", x = range expression, w = body,
                   // y = position of "for" (kEmpty)
  kSwitch,         // init, y = tag or null, list = kCase, x = closing brace (kEmpty)
  kTypeSwitch,     // init, str = bound name, z = name ident, y = operand, w = guard,
                   // list = kCase
  kCase,           // list = expressions/types, list2 = body, is_default, w = colon (kEmpty)
  kReturn,         // list
  kGo,             // x = call
  kDefer,          // x = call
  kLabeled,        // str = label, x = statement
  kBranch,         // str = break/continue/goto/fallthrough, x = label ident or null
  kEmpty,
  kSend,        // x <- y
  kSelect,      // list = kCommClause
  kCommClause,  // x = send/receive statement or null (default), list2 = body, w = colon
  // ---- Typed IR. ----
  kName,     // obj (a variable); str = name
  kLiteral,  // a constant: cval, str = source text (printed), syntax = original
  kNil,
  kType,        // a type used as an operand (conversions, make, new)
  kFuncName,    // fn = top-level function (str = name as printed)
  kMethodExpr,  // T.M / (*T).M: x = kType, fn = method, str = M
  kAddr,        // & x (implicit for auto-& receivers, arr[i:j])
  kDeref,       // * x (implicit for auto-* receivers)
  kDot,         // x . str (field of a struct value)
  kDotPtr,      // x . str (field through a pointer)
  kDotInter,    // x . str (interface method selector; callee of kCallInter)
  kIndexArr,
  kIndexSlice,
  kIndexString,
  kIndexMap,  // x [ y ]
  kSliceArr,  // x [ y : z : w ] (x is &arr or *array pointer)
  kSliceSlice,
  kSliceStr,
  kConv,       // value conversion without allocation (also unsafe.Pointer/uintptr)
  kConvIface,  // conversion to an interface (implicit if `implicit`)
  kStr2Bytes,
  kBytes2Str,
  kStr2Runes,
  kRunes2Str,
  kRuneStr,
  kSlice2ArrPtr,
  kAddStr,     // string concatenation chain (list)
  kArith,      // x str y (arithmetic/comparison)
  kLogic,      // x && y, x || y
  kUnaryOp,    // str x  (+ - ^ !)
  kRecv,       // <- x
  kCallFunc,   // x = function value, list = args, init = temporaries of f(g())
  kCallInter,  // x = kDotInter, list = args
  kCallMeth,   // fn = method, list[0] = receiver, w = receiver as written
  kAppend,     // list, ddd
  kCopy,       // x, y
  kLen,
  kCap,
  kDelete,  // list = map, key
  kPanic,   // x
  kPrint,   // list
  kPrintln,
  kRecover,
  kClose,        // x
  kComplex,      // x, y
  kReal,         // x
  kImag,         // x
  kUnsafeAdd,    // x, y
  kUnsafeSlice,  // x, y
  kNew,          // w = kType of the allocated type
  kMakeSlice,    // x = len, y = cap, w = type syntax
  kMakeMap,      // x = size hint
  kMakeChan,     // x = buffer size
  kMethValue,    // x = receiver, fn = method (null for interface methods), str = M,
                 // y = receiver as written
  kPtrLit,       // & x (x a composite literal)
  kStructLit,    // list = kStructKey
  kArrayLit,     // list = elements or kKey
  kSliceLit,     // list; implicit = the "... argument" of a variadic call
  kMapLit,       // list = kKey
  kClosure,      // fn
  kDotType,      // x .( type )
  kDotType2,     // x .( w->type ), comma-ok form
  kStructKey,    // str = field, x = value
  kKey,          // x = key, y = value
  // Statements.
  kDcl,             // obj declared
  kAs,              // x = y (y null: zeroing)
  kAsOp,            // x str= y
  kAs2,             // list = list2
  kAs2Func,         // list = single call x
  kAs2DotType,      // list = x.(T)
  kAs2MapR,         // list = m[k]
  kAs2Recv,         // list = <-c (also select receive cases)
  kIfStmt,          // init, x = cond, y = then, z = else
  kForStmt,         // init, x = cond, y = post, w = body
  kRangeStmt,       // list = key, value (null if absent), x = range expr, w = body
  kSwitchStmt,      // init, x = tag, list = kCaseClause
  kTypeSwitchStmt,  // init, x = operand, list = kCaseClause (obj = clause variable)
  kCaseClause,      // list = cases, list2 = body, obj = type switch variable
  kSelectStmt,      // list = kCommClauseIR
  kCommClauseIR,    // x = communication (kSendStmt, kAs2Recv, kCallStmt of kRecv) or null
  kSendStmt,        // x <- y
  kReturnStmt,      // list
  kGoStmt,          // x = call
  kDeferStmt,
  kLabel,  // str
  kGoto,
  kBreak,
  kContinue,
  kFallthrough,
  kBlockStmt,    // list
  kCallStmt,     // x = call (or receive)
  kUnsupported,  // str = what was rejected
};

enum class ObjKind { kVar, kConst, kTypeName, kFunc, kPkg, kBuiltin, kNil };
enum class VarClass { kExtern, kAuto, kParam, kParamOut };

enum class Builtin {
  kNone,
  kAppend,
  kCap,
  kClose,
  kComplex,
  kCopy,
  kDelete,
  kImag,
  kLen,
  kMake,
  kNew,
  kPanic,
  kPrint,
  kPrintln,
  kReal,
  kRecover,
  kUnsafeAdd,
  kUnsafeAlignof,
  kUnsafeOffsetof,
  kUnsafeSizeof,
  kUnsafeSlice,
};

struct Obj {
  ObjKind kind = ObjKind::kVar;
  int id = 0;
  std::string name;
  Pos pos;
  const Type* type = nullptr;
  VarClass cls = VarClass::kAuto;
  Func* curfn = nullptr;   // declaring function (locals, params)
  Node* defn = nullptr;    // defining statement (x := ..., range, type switch)
  int result_index = 0;    // 1-based for results
  Constant val;            // constants
  Func* fn = nullptr;      // kFunc
  Package* pkg = nullptr;  // kPkg: the package; others: declaring package (null = local)
  Builtin builtin = Builtin::kNone;
  Node* decl = nullptr;  // generic functions/types: the declaration syntax
  bool used = false;
  bool temp = false;  // compiler temporary (f(g()) results)
};

struct Node {
  Op op = Op::kBad;
  int id = 0;
  Pos pos;
  std::string str;
  Node* x = nullptr;
  Node* y = nullptr;
  Node* z = nullptr;
  Node* w = nullptr;
  std::vector<Node*> list;
  std::vector<Node*> list2;
  std::vector<Node*> init;  // statements run first (declarations, temporaries)
  const Type* type = nullptr;
  Obj* obj = nullptr;
  Func* fn = nullptr;
  const Node* syntax = nullptr;  // kLiteral: the constant's source expression
  Constant cval;                 // kLiteral
  Op orig_op = Op::kBad;         // kLiteral: the operation Go prints it as (precedence)
  bool implicit = false;
  bool ddd = false;
  bool def = false;
  bool is_default = false;
  bool packed = false;  // call whose variadic args were packed into a slice
  int64_t int_val = 0;  // syntax: literal kind, iota, chan dir, pragmas
};

// A function body to analyse: a top-level function, method, closure or
// generic instantiation.
struct Func {
  // "f", "T.M", "(*T).M", "F[go.shape.int_0]", "glob..func1"; empty for
  // closures inside functions, whose names ("f.func1", "f.func1.2") are
  // built on demand by FuncName (they grow with the nesting depth).
  std::string name;
  int closure_index = 0;  // closures: N of "outer.funcN" / "outer.N"
  Pos pos;
  Obj* nname = nullptr;       // function object (top-level only)
  const Type* sig = nullptr;  // signature (params exclude the receiver)
  Obj* recv = nullptr;        // receiver parameter, if a method
  bool ptr_recv = false;
  std::vector<Obj*> params;        // parameter objects
  std::vector<Obj*> results;       // result objects, named "~rN" if unnamed
  std::vector<Obj*> dcl;           // all locals incl. params, in declaration order
  std::vector<Obj*> closure_vars;  // captured outer variables
  Func* outer = nullptr;           // enclosing function of a closure
  Node* clo = nullptr;             // the kClosure node
  std::vector<Func*> closures;     // directly nested closures
  Node* body = nullptr;            // kBlockStmt; null if external or bodyless
  const Node* decl = nullptr;      // kFuncDecl / kFuncLit syntax
  bool closure_called = false;     // func(){...}() called directly
  bool has_body = true;            // false: declared without a body (assembly)
  bool noescape = false;           // //go:noescape
  bool uintptr_escapes = false;    // //go:uintptrescapes
  bool dupok = false;              // generic instantiation: no parameter diagnostics
  bool generic = false;            // has type parameters (not analysed itself)
  // The body could not be checked (unsupported construct or front-end
  // error): analysed conservatively. `failure` is the positioned message.
  bool unsupported = false;
  std::string failure;
  int closure_count = 0;  // for naming nested closures
  // Imported functions: escape tags per parameter, receiver first.
  bool external = false;
  std::vector<std::string> ext_tags;
};

// ir.Any: whether `pred` holds for n or a node below it (x, y, z, w, list,
// list2, init). pred returns 1 (found), 0 (look below) or -1 (skip what is
// below). Iterative: trees may be deep.
template <typename Pred>
bool AnyNode(const Node* n, Pred pred) {
  std::vector<const Node*> todo{n};
  while (!todo.empty()) {
    const Node* c = todo.back();
    todo.pop_back();
    if (c == nullptr) continue;
    int r = pred(c);
    if (r > 0) return true;
    if (r < 0) continue;
    for (const Node* k : {c->x, c->y, c->z, c->w}) todo.push_back(k);
    todo.insert(todo.end(), c->list.begin(), c->list.end());
    todo.insert(todo.end(), c->list2.begin(), c->list2.end());
    todo.insert(todo.end(), c->init.begin(), c->init.end());
  }
  return false;
}

// Go's name of a function ("f.func1.2" for closures).
inline std::string FuncName(const Func* f) {
  if (f->outer == nullptr) return f->name;
  std::string outer = FuncName(f->outer);
  return f->outer->outer != nullptr ? outer + "." + std::to_string(f->closure_index)
                                    : outer + ".func" + std::to_string(f->closure_index);
}

// An imported package: its exported objects.
struct Package {
  std::string path;    // "strings", "hash/maphash"
  std::string name;    // "strings", "maphash"
  bool known = false;  // false: not modelled (members are opaque)
  std::vector<Obj*> members;
  Obj* Lookup(const std::string& n) const {
    for (Obj* o : members)
      if (o->name == n) return o;
    return nullptr;
  }
};

// Owns all nodes, objects, funcs and types of one checked file.
struct Program {
  std::string filename;
  std::deque<Node> nodes;
  std::deque<Obj> objs;
  std::deque<Func> funcs_storage;
  std::deque<Package> packages;
  TypeArena types;
  std::vector<Func*> funcs;  // top-level funcs, methods and instantiations, in order
  std::vector<Obj*> globals;
  // Every package-level variable initialization (kAs / kAs2*), static ones
  // included, in Go's initialization order. A code generator runs these
  // instead of init's body, where static initializers are absent (Go lays
  // them out in data) and composite literals are decomposed for the
  // analyses.
  std::vector<Node*> var_inits;
  // Positioned messages ("file:line:col: ..."): constructs outside the subset
  // and front-end errors that were confined to one function or declaration.
  std::vector<std::string> unsupported;
  std::vector<std::string> errors;

  Node* NewNode(Op op, Pos pos) {
    nodes.emplace_back();
    Node* n = &nodes.back();
    n->op = op;
    n->pos = pos;
    n->id = static_cast<int>(nodes.size());
    return n;
  }
  Obj* NewObj(ObjKind k, std::string name, Pos pos) {
    objs.emplace_back();
    Obj* o = &objs.back();
    o->kind = k;
    o->name = std::move(name);
    o->pos = pos;
    o->id = static_cast<int>(objs.size());
    return o;
  }
  Func* NewFunc() {
    funcs_storage.emplace_back();
    return &funcs_storage.back();
  }
  Package* NewPackage() {
    packages.emplace_back();
    return &packages.back();
  }
};

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_IR_H_
