#include "escape/typecheck/scope.h"

namespace gclab::escape {

Scope::~Scope() {
  if (bindings_ == nullptr) return;
  for (Obj* o : order_) {
    auto it = bindings_->names.find(o->name);
    if (it == bindings_->names.end()) continue;
    it->second.pop_back();
    if (it->second.empty()) bindings_->names.erase(it);
  }
}

Obj* Scope::LookupLocal(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : it->second;
}

Obj* Scope::Lookup(const std::string& name) const {
  const Scope* s = this;
  if (bindings_ != nullptr) {
    auto it = bindings_->names.find(name);
    if (it != bindings_->names.end() && !it->second.empty()) return it->second.back();
    while (s != nullptr && s->bindings_ != nullptr) s = s->parent_;  // all in the table
  }
  for (; s != nullptr; s = s->parent_) {
    if (Obj* o = s->LookupLocal(name)) return o;
  }
  return nullptr;
}

Obj* Scope::Insert(Obj* o) {
  if (o->name == "_") return nullptr;
  auto [it, inserted] = names_.emplace(o->name, o);
  if (!inserted) return it->second;
  order_.push_back(o);
  if (bindings_ != nullptr) bindings_->names[o->name].push_back(o);
  return nullptr;
}

}  // namespace gclab::escape
