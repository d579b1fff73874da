#include "workloads/graph_mutator.h"

#include <map>
#include <mutex>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"

namespace gclab {
namespace {

// Node layout: edge pointers at 0, 8, ..., 8*(k-1); payload pointer at 8*k;
// int64 id at 8*(k+1).
struct Layout {
  int k;
  const TypeDescriptor* type;
  uint32_t payload() const { return 8 * k; }
  uint32_t id() const { return 8 * (k + 1); }
  uint32_t edge(int s) const { return 8 * s; }
};

const TypeDescriptor* NodeType(int k) {
  static std::mutex mu;
  static auto* types = new std::map<int, const TypeDescriptor*>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = types->find(k);
  if (it != types->end()) return it->second;
  const TypeDescriptor* t = MakeRecordType(absl::StrCat("graph.node", k), k + 1, 8);
  types->emplace(k, t);
  return t;
}

const TypeDescriptor* NodeArrayType() {
  static const TypeDescriptor* type = MakePointerArrayType("graph.nodes");
  return type;
}
const TypeDescriptor* PayloadType() {
  static const TypeDescriptor* type = MakeDataArrayType("graph.payload", 1);
  return type;
}

constexpr int64_t kNull = -1;

uint8_t PayloadByte(uint64_t stamp, size_t i) {
  return static_cast<uint8_t>((stamp * 0x9E3779B97F4A7C15ull >> 56) + i * 131);
}

// What the model says about one node: its edge targets (ids) and its payload
// stamp. Fresh nodes have exactly one edge (slot 0).
struct ShadowNode {
  std::vector<int64_t> edges;
  uint64_t payload_stamp = 0;
};

struct ThreadModel {
  std::unordered_map<int64_t, ShadowNode> fresh;  // fresh nodes still linked
};

class Graph {
 public:
  Graph(const GraphMutatorParams& p, Object** nodes_root)
      : p_(p), layout_{p.edges_per_node(), NodeType(p.edges_per_node())}, nodes_root_(nodes_root) {
    shared_.resize(p.nodes());
    for (ShadowNode& s : shared_) s.edges.assign(p.edges_per_node(), kNull);
    models_.resize(p.threads());
  }

  absl::StatusOr<Object*> NewNode(Mutator* m, int64_t id, uint64_t stamp) {
    HandleScope scope(m);
    GCLAB_ASSIGN_OR_RETURN(Object * raw_payload, NewPayload(m, stamp));
    Local payload(m, raw_payload);
    GCLAB_ASSIGN_OR_RETURN(Object * node, m->Allocate(layout_.type));
    // Ids are read by other threads' walks: relaxed atomics, like pointers.
    __atomic_store_n(&node->data_at<int64_t>(layout_.id()), id, __ATOMIC_RELAXED);
    m->Store(node, layout_.payload(), payload.get());
    return node;
  }

  int64_t IdOf(Object* node) const {
    return __atomic_load_n(&node->data_at<int64_t>(layout_.id()), __ATOMIC_RELAXED);
  }

  absl::StatusOr<Object*> NewPayload(Mutator* m, uint64_t stamp) {
    GCLAB_ASSIGN_OR_RETURN(Object * payload, m->Allocate(PayloadType(), p_.payload_bytes()));
    for (int i = 0; i < p_.payload_bytes(); ++i)
      payload->data_at<uint8_t>(i) = PayloadByte(stamp, i);
    return payload;
  }

  absl::Status Build(Mutator* m) {
    HandleScope scope(m);
    GCLAB_ASSIGN_OR_RETURN(Object * raw, m->Allocate(NodeArrayType(), p_.nodes()));
    Local nodes(m, raw);
    m->WriteGlobal(nodes_root_, nodes.get());
    for (int i = 0; i < p_.nodes(); ++i) {
      GCLAB_ASSIGN_OR_RETURN(Object * node, NewNode(m, i, i));
      shared_[i].payload_stamp = i;
      m->StoreElement(nodes.get(), i, node);
    }
    if (!m->heap()->constraints().moves_objects) {
      for (int i = 0; i < p_.nodes(); ++i) shared_addresses_.insert(m->LoadElement(nodes.get(), i));
    }
    // A ring so that everything starts connected.
    for (int i = 0; i < p_.nodes(); ++i) {
      const int j = (i + 1) % p_.nodes();
      m->Store(m->LoadElement(nodes.get(), i), layout_.edge(0), m->LoadElement(nodes.get(), j));
      shared_[i].edges[0] = j;
    }
    return absl::OkStatus();
  }

  absl::Status Mutate(int t, Mutator* m, uint64_t seed) {
    std::mt19937_64 rng(seed * 7919 + t);
    const int n = p_.nodes();
    const int owned = (n - t + p_.threads() - 1) / p_.threads();  // indices t, t+T, ...
    if (owned <= 0) return absl::OkStatus();
    ThreadModel& model = models_[t];
    int64_t next_fresh_id = n + static_cast<int64_t>(t) * (int64_t{1} << 40);
    uint64_t next_stamp = (static_cast<uint64_t>(t) + 1) << 48;
    uint64_t walk_sum = 0;
    for (int64_t op = 0; op < p_.operations_per_thread(); ++op) {
      const int a = t + static_cast<int>(rng() % owned) * p_.threads();
      const int s = static_cast<int>(rng() % p_.edges_per_node());
      const int b = static_cast<int>(rng() % n);
      const bool fresh = static_cast<int>(rng() % 100) < p_.allocate_percent();
      const bool new_payload = op % 8 == 0;
      HandleScope scope(m);
      Local target(m);
      int64_t target_id = b;
      if (fresh) {
        target_id = next_fresh_id++;
        const uint64_t stamp = next_stamp++;
        GCLAB_ASSIGN_OR_RETURN(Object * f, NewNode(m, target_id, stamp));
        target.set(f);
        m->Store(target.get(), layout_.edge(0), m->LoadElement(LoadPointer(nodes_root_), b));
        ShadowNode shadow;
        shadow.edges.assign(1, b);
        shadow.payload_stamp = stamp;
        model.fresh.emplace(target_id, std::move(shadow));
      } else {
        target.set(m->LoadElement(LoadPointer(nodes_root_), b));
      }
      Local payload(m);
      uint64_t stamp = 0;
      if (new_payload) {
        stamp = next_stamp++;
        GCLAB_ASSIGN_OR_RETURN(Object * raw, NewPayload(m, stamp));
        payload.set(raw);
      }
      // No safepoint from here to the end of the iteration.
      Object* node = m->LoadElement(LoadPointer(nodes_root_), a);
      const int64_t old_target = shared_[a].edges[s];
      m->Store(node, layout_.edge(s), target.get());
      shared_[a].edges[s] = target_id;
      if (old_target >= n) model.fresh.erase(old_target);
      if (new_payload) {
        m->Store(node, layout_.payload(), payload.get());
        shared_[a].payload_stamp = stamp;
      }
      GCLAB_RETURN_IF_ERROR(CheckNode(m, node, a, shared_[a], "after re-linking"));
      // Read a few random edges anywhere, racing with other threads' stores.
      // Only shared nodes are dereferenced: they were published before the
      // threads started, whereas another thread's fresh node was published
      // by a relaxed store (and its initialization is not ordered before our
      // reads). Recognizing shared nodes by address needs a non-moving
      // collector; with a moving one the walk only reads first hops.
      Object* cur = m->LoadElement(LoadPointer(nodes_root_), static_cast<int>(rng() % n));
      for (int hop = 0; hop < 4 && cur != nullptr; ++hop) {
        walk_sum += static_cast<uint64_t>(IdOf(cur));
        Object* next = m->Load(cur, layout_.edge(static_cast<int>(rng() % p_.edges_per_node())));
        walk_sum += reinterpret_cast<uintptr_t>(next) & 0xff;
        cur = shared_addresses_.count(next) != 0 ? next : nullptr;
      }
    }
    walk_sums_.fetch_add(walk_sum, std::memory_order_relaxed);
    return absl::OkStatus();
  }

  // Checks one node against its shadow (no allocation).
  absl::Status CheckNode(Mutator* m, Object* node, int64_t id, const ShadowNode& shadow,
                         const char* when) {
    if (node == nullptr || node->header().magic != kObjectMagic || node->type() != layout_.type ||
        IdOf(node) != id) {
      return ValidationError(absl::StrCat("graph: node ", id, " is corrupt ", when));
    }
    for (size_t s = 0; s < shadow.edges.size(); ++s) {
      Object* target = m->Load(node, layout_.edge(s));
      const int64_t got = target == nullptr ? kNull : IdOf(target);
      if (got != shadow.edges[s]) {
        return ValidationError(absl::StrCat("graph: node ", id, " edge ", s, " points to ", got,
                                            ", model says ", shadow.edges[s], " ", when));
      }
    }
    Object* payload = m->Load(node, layout_.payload());
    if (payload == nullptr || payload->type() != PayloadType() ||
        payload->array_length() != static_cast<size_t>(p_.payload_bytes())) {
      return ValidationError(absl::StrCat("graph: node ", id, " payload is corrupt ", when));
    }
    for (int i = 0; i < p_.payload_bytes(); ++i) {
      if (payload->data_at<uint8_t>(i) != PayloadByte(shadow.payload_stamp, i)) {
        return ValidationError(
            absl::StrCat("graph: node ", id, " payload byte ", i, " changed ", when));
      }
    }
    return absl::OkStatus();
  }

  // Final check: every edge and payload, and the reachable set.
  absl::Status Validate(Mutator* m) {
    const int n = p_.nodes();
    Object* nodes = LoadPointer(nodes_root_);
    std::unordered_map<int64_t, const ShadowNode*> fresh;
    for (const ThreadModel& model : models_) {
      for (const auto& [id, shadow] : model.fresh) fresh.emplace(id, &shadow);
    }
    if (nodes == nullptr || nodes->array_length() != static_cast<size_t>(n)) {
      return ValidationError("graph: node array is corrupt");
    }
    for (int i = 0; i < n; ++i) {
      Object* node = m->LoadElement(nodes, i);
      GCLAB_RETURN_IF_ERROR(CheckNode(m, node, i, shared_[i], "at the end"));
      for (int s = 0; s < p_.edges_per_node(); ++s) {
        Object* target = m->Load(node, layout_.edge(s));
        if (target == nullptr) continue;
        const int64_t id = IdOf(target);
        if (id < n && target != m->LoadElement(nodes, id)) {
          return ValidationError(
              absl::StrCat("graph: node ", i, " edge ", s, " points to a stale copy of node ", id));
        }
        if (id >= n) {
          auto it = fresh.find(id);
          if (it == fresh.end()) {
            return ValidationError(absl::StrCat("graph: fresh node ", id, " not in the model"));
          }
          GCLAB_RETURN_IF_ERROR(CheckNode(m, target, id, *it->second, "at the end"));
        }
      }
    }
    // Reachability from the root array: count and id checksum.
    std::unordered_set<Object*> seen;
    std::vector<Object*> stack;
    uint64_t id_sum = 0;
    for (int i = 0; i < n; ++i) stack.push_back(m->LoadElement(nodes, i));
    while (!stack.empty()) {
      Object* o = stack.back();
      stack.pop_back();
      if (o == nullptr || !seen.insert(o).second) continue;
      const int64_t id = IdOf(o);
      id_sum += static_cast<uint64_t>(id);
      const int slots = id < n ? p_.edges_per_node() : 1;
      for (int s = 0; s < slots; ++s) stack.push_back(m->Load(o, layout_.edge(s)));
    }
    uint64_t expected_sum = 0;
    for (int i = 0; i < n; ++i) expected_sum += i;
    for (const auto& [id, shadow] : fresh) expected_sum += static_cast<uint64_t>(id);
    if (seen.size() != n + fresh.size() || id_sum != expected_sum) {
      return ValidationError(absl::StrCat("graph: ", seen.size(), " reachable nodes (id sum ",
                                          id_sum, "), model says ", n + fresh.size(), " (id sum ",
                                          expected_sum, ")"));
    }
    return absl::OkStatus();
  }

 private:
  const GraphMutatorParams& p_;
  const Layout layout_;
  Object** const nodes_root_;
  // shared_[i] is written only by node i's owner thread, and read by the main
  // thread after all threads joined.
  std::vector<ShadowNode> shared_;
  std::vector<ThreadModel> models_;
  // Addresses of the shared nodes (non-moving collectors only); read-only
  // while the threads run.
  std::unordered_set<Object*> shared_addresses_;
  std::atomic<uint64_t> walk_sums_{0};
};

}  // namespace

absl::Status GraphMutator::Run(Heap* heap, uint64_t seed) {
  Object** nodes_root = heap->NewGlobalRoot();
  Graph graph(params_, nodes_root);
  absl::Status status = RunAttached(heap, [&](Mutator* m) -> absl::Status {
    GCLAB_RETURN_IF_ERROR(graph.Build(m));
    GCLAB_RETURN_IF_ERROR(RunOnMutatorThreads(
        m, params_.threads(), [&](int t, Mutator* w) { return graph.Mutate(t, w, seed); }));
    if (before_validation_hook_) before_validation_hook_(m, LoadPointer(nodes_root));
    return graph.Validate(m);
  });
  heap->DeleteGlobalRoot(nodes_root);
  return status;
}

}  // namespace gclab
