#include "escape/typecheck/scope.h"

namespace gclab::escape {

Obj* Scope::LookupLocal(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : it->second;
}

Obj* Scope::Lookup(const std::string& name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    if (Obj* o = s->LookupLocal(name)) return o;
  }
  return nullptr;
}

Obj* Scope::Insert(Obj* o) {
  if (o->name == "_") return nullptr;
  auto [it, inserted] = names_.emplace(o->name, o);
  if (!inserted) return it->second;
  order_.push_back(o);
  return nullptr;
}

}  // namespace gclab::escape
