// The code generator's internal interface (gocompile/compiler.h is the
// public one). One Codegen translates one checked program; its member
// functions are split by concern the way Go's compiler splits its passes:
//
//   compiler.cc   driver: the analyses' decisions per site, the functions
//                 to generate, the sections of the output file
//   gen_types.cc  C++ types of Go types, runtime type information, method
//                 sets, interface wrappers and itabs, equality functions
//   gen_func.cc   functions: frames, parameters, results, variables,
//                 closures, func and method values, globals, init
//   gen_stmt.cc   statements
//   gen_expr.cc   expressions, evaluation order, allocation sites, stores
//   gen_std.cc    calls of the standard packages the runtime implements
//
// Evaluation order follows gc's order pass: calls, receives and
// allocations are materialized into temporaries in left-to-right order as
// the expression tree is walked; everything else (loads, arithmetic) is
// emitted inline and evaluated where the value is finally used. Every
// temporary that holds pointers is mirrored into a frame word, so it is a
// root at every later safepoint; a callee (compiled or runtime) roots its
// own pointer arguments before it can reach a safepoint.
#ifndef GCLAB_GOCOMPILE_CODEGEN_H_
#define GCLAB_GOCOMPILE_CODEGEN_H_

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/analysis.h"
#include "escape/ir.h"
#include "escape/site_decisions.h"
#include "escape/types.h"
#include "gocompile/compiler.h"

namespace gclab::gocompile {

using escape::Func;
using escape::Kind;
using escape::Node;
using escape::Obj;
using escape::Op;
using escape::Type;

// Where a Go variable lives in the generated code.
enum class Storage {
  kLocal,        // a C++ variable (its pointer words mirrored into frame words)
  kObject,       // an object (heap or stack per its site); a C++ Word points to it
  kCaptured,     // a closure's copy (captured by value)
  kCapturedRef,  // a pointer to the variable's object, held by a closure
};

struct VarInfo {
  Storage storage = Storage::kLocal;
  std::string name;        // C++ expression: the variable, or its object pointer word
  std::vector<int> slots;  // frame words mirroring it
  std::string addr;        // kCaptured: a Go pointer to the copy
};

// The state of the function being generated.
struct FuncState {
  const Func* fn = nullptr;  // null: the package initializer
  std::string cname;
  std::string body;           // statements, appended as they are generated
  std::string prologue_body;  // parameter set-up (before the entry poll)
  int indent = 1;
  int next_slot = 0;   // frame words in use
  int max_slot = 0;    // frame size
  int high_water = 0;  // next_slot's maximum inside the current loop
  int temps = 0;
  int labels = 0;
  bool has_defer = false;
  bool uses_recover = false;
  bool is_closure = false;
  bool may_stack_allocate = false;
  std::string result_type;
  std::vector<std::string> results;  // C++ lvalues of the result variables
  struct Target {
    std::string go_label;
    std::string brk;
    std::string cont;
    bool is_loop = false;
  };
  std::vector<Target> targets;  // enclosing loops, switches and selects
  std::string pending_label;    // a Go label for the next loop or switch
  std::string stmt_label;       // the label of the loop or switch being generated
  // Per enclosing loop: its first frame word and the saved high water.
  std::vector<std::pair<int, int>> loop_marks;
};

class Codegen {
 public:
  Codegen(escape::Program* prog, const CompileOptions& opts);
  // Translates the program; false if anything was unsupported (errors()).
  bool Run(std::string* cpp);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // An assignment target whose operands have been evaluated.
  struct Place {
    std::string lvalue;
    bool barrier = false;        // may be heap memory: stores take the write barrier
    const Obj* local = nullptr;  // a C++ local (re-mirror after the store)
    bool zero_size = false;
    std::string map, key;  // m[k]
  };
  // A call's callee and arguments, evaluated.
  struct CallParts {
    enum Kind { kStatic, kValue, kInterface, kStd, kStdMethod } kind = kStatic;
    const Func* fn = nullptr;
    const Type* sig = nullptr;
    const Type* iface_type = nullptr;
    std::string method;
    std::vector<std::string> values;  // callee value / receiver first, then arguments
    std::vector<const Type*> types;
    int first_value_arg = 0;
  };
  struct LitStore {
    std::string path;  // ".f2.v[3]"
    std::string value;
    const Type* type;
  };
  struct MethodEntry {
    std::string name;
    const escape::Method* method;
    const Type* recv_named;  // the type declaring it (an interface: promoted from one)
    std::vector<int> path;   // embedded fields walked to reach the receiver
    bool indirect;
    bool ptr_recv;
  };

  // ------------------------------------------------ compiler.cc
  void Error(escape::Pos pos, const std::string& msg);
  void Unsupported(escape::Pos pos, const std::string& what);
  void ComputeDecisions();
  int SiteIndex(const Node* n, const Obj* var) const;
  uint8_t SiteBits(const Node* n, const Obj* var) const;
  std::string SiteRef(const Node* n, const Obj* var, const std::string& type_info);
  void CollectFuncs();
  std::string FuncCName(const Func* f);
  std::string FuncGoName(const Func* f) const;
  std::string PosRef(escape::Pos pos);
  std::string Pos(const Node* n) { return PosRef(n->pos); }
  int64_t LiteralOffset(const std::string& s);
  std::string Assemble();

  // ------------------------------------------------ gen_types.cc
  int64_t SizeOf(const Type* t) const;
  bool HasPtrs(const Type* t) const;
  std::vector<uint32_t> PtrOffsets(const Type* t);
  std::string CType(const Type* t);
  std::string StructName(const Type* u);
  std::string TupleType(const std::vector<const Type*>& ts);
  std::string ZeroValue(const Type* t);
  std::string FuncPtrType(const Type* sig, bool with_ctx);
  std::string TypeName(const Type* t);
  std::vector<MethodEntry> MethodSet(const Type* t);
  int IfaceMethodIndex(const Type* iface, const std::string& name);
  std::string IfaceWrapper(const Type* t, const MethodEntry& m);
  int64_t FieldOffset(const Type* st, int idx);
  std::string TypeInfo(const Type* t);
  std::string ItabFor(const Type* concrete, const Type* iface);
  std::string EqualExpr(const Type* t, const std::string& a, const std::string& b);

  // ------------------------------------------------ gen_func.cc
  std::string ResultType(const Type* sig);
  int AllocSlots(int n);
  std::string Slot(int k);
  std::string MirrorStmts(const std::string& value, const Type* t, int first);
  void MirrorVar(const Obj* o);
  void DeclareVar(const Obj* o, const std::string& init);
  std::string VarRef(const Obj* o);
  std::string VarAddr(const Obj* o);
  std::string Signature(const Func* f, const std::string& name);
  std::string ResultsValue();
  void GenFunc(const Func* f);
  void EndPrologue();
  void BindCaptures(const Func* f);
  bool CaptureByRef(const Func* closure, const Obj* cv);
  std::string ClosureStruct(const Func* f);
  std::string ClosureValue(const Node* n);
  std::string FuncValue(const Func* f);
  std::string MethodValue(const Node* n);
  std::string MethodExprValue(const Node* n);
  void GenGlobals();
  void GenProgramInit();

  // ------------------------------------------------ gen_stmt.cc
  bool ContainsDefer(const Node* body);
  bool ContainsRecover(const Node* body);
  bool LoopNeedsScope(const Node* body);
  void Emit(const std::string& line);
  std::string NewTempName();
  std::string NewLabel(const char* what);
  void Stmts(const std::vector<Node*>& l);
  void Block(const std::vector<Node*>& l);
  void Stmt(const Node* n);
  void OpAssign(const Node* n);
  void LoopBegin(const std::string& label, const std::string& brk, const std::string& cont,
                 const Node* body, std::string* scope_placeholder);
  void LoopEnd(const std::string& placeholder);
  void For(const Node* n);
  void Range(const Node* n);
  void Switch(const Node* n);
  void TypeSwitch(const Node* n);
  std::string EFaceTo(const std::string& e, const Type* t);
  void Select(const Node* n);
  void Return(const Node* n);
  void GoDefer(const Node* n);

  // ------------------------------------------------ gen_expr.cc
  std::string Temp(const Type* t, const std::string& value);
  int MirrorSlotOf(const std::string& temp);
  bool HasEffects(const Node* n) const;
  std::string Literal(const Node* n, const Type* t);
  std::string ConvertValue(const std::string& v, const Type* from, const Type* to, escape::Pos pos);
  std::string ExprAs(const Node* n, const Type* t);
  std::string Convert(const Node* n);
  std::string ConstBox(const Node* x, const Type* t);
  std::string ConvIface(const Node* n);
  std::string ArithOp(const std::string& op, const std::string& a, const std::string& b,
                      const Type* t, const Type* bt, escape::Pos pos);
  std::string CompareValues(const std::string& op, const std::string& a, const Type* at,
                            const std::string& b, const Type* bt, escape::Pos pos);
  std::string Arith(const Node* n);
  Place PrepareLhs(const Node* n);
  std::string LhsValue(const Node* n, const Place& p);
  void StoreToPrepared(const Node* n, const Place& p, const std::string& value, const Type* t);
  void StoreTo(const Node* lhs, const std::string& value, const Type* t);
  std::string StoreStmt(const std::string& lvalue, const std::string& value, const Type* t,
                        bool barrier, escape::Pos pos);
  std::string StoreStmtPos(const std::string& lvalue, const std::string& value, const Type* t);
  std::string AddrOf(const Node* n);
  std::string Expr(const Node* n);
  std::string CompositeLit(const Node* n, const Type* t);
  std::vector<LitStore> LitStores(const Node* n, const Type* t);
  std::string Append(const Node* n);
  Place PrepareMapLhs(const Node* n);
  std::string MapIndexPrepared(const Node* n, const Place& p);
  void MapAssignPrepared(const Node* n, const Place& p, const std::string& value);
  void MapAssign(const Node* lhs, const Node* rhs);
  std::string MapIndex(const Node* n, bool comma_ok, std::string* ok);
  std::string Recv(const Node* n, std::string* ok);
  void Send(const Node* n);
  std::string TypeAssert(const Node* n, std::string* ok);
  CallParts EvalCallParts(const Node* call, bool all_temps);
  std::string CallFromParts(const Node* call, const CallParts& p,
                            const std::vector<std::string>& vals);
  std::string Call(const Node* n);

  // ------------------------------------------------ gen_std.cc
  std::string StdName(const Func* f);
  std::string StdFuncName(const Func* f);
  std::string StdCall(const Node* call, const CallParts& p, const std::vector<std::string>& vals);
  std::string StdGlobal(const Obj* o);

  // ------------------------------------------------ state
  escape::Program* prog_;
  CompileOptions opts_;
  std::string file_;  // as positions name it
  std::vector<std::string> errors_;
  escape::SiteDecisions decisions_;
  std::vector<uint8_t> site_bits_;       // per site: stack under mode m
  std::vector<std::string> site_types_;  // per site: its type info ("" until used)
  std::vector<std::pair<escape::Pos, std::string>> extra_sites_;  // heap-only sites
  std::vector<const Func*> funcs_;
  absl::flat_hash_map<const Obj*, VarInfo> vars_;
  absl::flat_hash_map<const Obj*, int> global_index_;
  std::vector<int64_t> global_offsets_;
  absl::flat_hash_map<const Func*, std::string> func_names_;
  std::map<std::tuple<std::string, int, int>, int> pos_index_;
  std::vector<std::string> pos_defs_;
  std::string literals_;
  absl::flat_hash_map<std::string, int64_t> literal_offsets_;
  // Sections of the output.
  std::string types_;      // struct definitions, in dependency order
  std::string protos_;     // declarations
  std::string typeinfo_;   // gort::Type objects, itabs
  std::string wrappers_;   // interface wrappers, trampolines, equality and store functions
  std::string funcs_out_;  // function definitions
  std::string init_;       // runtime-data set-up (types, frames, func values)
  std::string const_box_init_;
  std::string globals_init_;
  std::string main_name_;
  // Caches.
  struct TypeEntry {
    const Type* t;
    std::string cname;
    std::string ti;
  };
  std::vector<TypeEntry> structs_;
  std::vector<TypeEntry> tinfos_;
  absl::flat_hash_map<std::string, std::string> itab_names_;
  absl::flat_hash_map<std::string, std::string> wrapper_names_;
  absl::flat_hash_map<std::string, std::string> eq_names_;
  absl::flat_hash_map<std::string, std::string> fptr_names_;
  absl::flat_hash_map<std::string, std::string> store_fns_;
  absl::flat_hash_map<const Func*, std::string> closure_structs_;
  absl::flat_hash_map<const Func*, std::string> func_values_;
  absl::flat_hash_map<std::string, std::pair<std::string, std::string>> method_value_tramps_;
  absl::flat_hash_map<std::string, std::string> const_boxes_;
  absl::flat_hash_map<std::string, std::string> method_expr_values_;
  absl::flat_hash_map<const Func*, std::string> std_packages_;
  absl::flat_hash_map<std::string, int> temp_slots_;  // per function: temp -> mirror slot
  std::set<std::string> plain_temps_;                 // per function: temps without pointers
  int thunk_count_ = 0;
  FuncState* f_ = nullptr;
  bool program_uses_recover_ = false;
};

}  // namespace gclab::gocompile

#endif  // GCLAB_GOCOMPILE_CODEGEN_H_
