#include "tests/heap_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "registry/registry.h"

namespace gclab {
namespace testing {

std::unique_ptr<Heap> MakeTestHeap(const std::string& allocator, const std::string& collector,
                                   size_t heap_limit_bytes, bool verify) {
  HeapConfig config;
  ApplyHeapEnvironment(&config);
  config.verify = verify;
  config.heap_limit_bytes = heap_limit_bytes;
  absl::StatusOr<AllocatorConfig> a = AllocatorConfigForName(allocator);
  absl::StatusOr<CollectorConfig> c = CollectorConfigForName(collector);
  if (!a.ok() || !c.ok()) {
    std::fprintf(stderr, "MakeTestHeap: %s %s\n", a.status().ToString().c_str(),
                 c.status().ToString().c_str());
    std::abort();
  }
  absl::StatusOr<std::unique_ptr<Heap>> heap = MakeHeap(config, *a, *c);
  if (!heap.ok()) {
    std::fprintf(stderr, "MakeTestHeap: %s\n", heap.status().ToString().c_str());
    std::abort();
  }
  return *std::move(heap);
}

const TypeDescriptor* NodeType() {
  static const TypeDescriptor* type = MakeRecordType("TestNode", 2, 8);
  return type;
}

Object* NewNode(Mutator* m, uint64_t id) {
  absl::StatusOr<Object*> node = m->Allocate(NodeType());
  if (!node.ok()) {
    std::fprintf(stderr, "NewNode: %s\n", node.status().ToString().c_str());
    std::abort();
  }
  (*node)->data_at<uint64_t>(kId) = id;
  return *node;
}

Object* BuildTree(Mutator* m, int depth, uint64_t first_id) {
  // Bottom-up: level by level from the leaves, each level held in an array
  // of Locals so allocation never sees an unrooted node.
  HandleScope scope(m);
  std::vector<Local> level;
  const uint64_t leaves = depth > 0 ? (uint64_t{1} << (depth - 1)) : 0;
  uint64_t next_level_first = first_id + leaves - 1;  // ids of the bottom level
  for (uint64_t i = 0; i < leaves; ++i) level.emplace_back(m, NewNode(m, next_level_first + i));
  for (int d = depth - 1; d >= 1; --d) {
    std::vector<Local> up;
    const uint64_t count = uint64_t{1} << (d - 1);
    const uint64_t first = first_id + count - 1;
    for (uint64_t i = 0; i < count; ++i) {
      up.emplace_back(m, NewNode(m, first + i));
      m->Store(up.back().get(), kLeft, level[2 * i].get());
      m->Store(up.back().get(), kRight, level[2 * i + 1].get());
    }
    level = std::move(up);
  }
  return level.empty() ? nullptr : level[0].get();
}

TreeSummary Summarize(Mutator* m, Object* root) {
  TreeSummary s;
  absl::flat_hash_set<Object*> seen;
  std::vector<Object*> stack;
  if (root != nullptr) stack.push_back(root);
  while (!stack.empty()) {
    Object* o = stack.back();
    stack.pop_back();
    if (!seen.insert(o).second) continue;
    ++s.nodes;
    s.id_sum += NodeId(o);
    for (uint32_t off : {kLeft, kRight}) {
      if (Object* c = m->Load(o, off)) stack.push_back(c);
    }
  }
  return s;
}

}  // namespace testing
}  // namespace gclab
