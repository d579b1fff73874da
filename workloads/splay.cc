#include "workloads/splay.h"

#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"

namespace gclab {
namespace {

// Payload node: pointers left(0), right(8), array(16); int64 tag at 24.
constexpr uint32_t kPayloadLeft = 0, kPayloadRight = 8, kPayloadArray = 16, kPayloadTag = 24;
constexpr int kPayloadArrayLength = 10;

const TypeDescriptor* PayloadType() {
  static const TypeDescriptor* type = MakeRecordType("splay.payload", 3, 8);
  return type;
}
const TypeDescriptor* PayloadArrayType() {
  static const TypeDescriptor* type = MakeDataArrayType("splay.payload_array", 8);
  return type;
}

}  // namespace

const TypeDescriptor* ManagedSplayTree::NodeType() {
  static const TypeDescriptor* type = MakeRecordType("splay.node", 3, 8);
  return type;
}

absl::Status ManagedSplayTree::Init() {
  GCLAB_ASSIGN_OR_RETURN(Object * scratch, m_->Allocate(NodeType()));
  scratch_.set(scratch);
  return absl::OkStatus();
}

// Top-down splay (Sleator & Tarjan), as in Octane's SplayTree.splay_. Does not
// allocate, so raw pointers are safe throughout.
void ManagedSplayTree::Splay(int64_t key) {
  if (empty()) return;
  Mutator* m = m_;
  Object* dummy = scratch_.get();
  m->Store(dummy, kLeft, nullptr);
  m->Store(dummy, kRight, nullptr);
  Object* left = dummy;
  Object* right = dummy;
  Object* current = root_.get();
  for (;;) {
    if (key < KeyOf(current)) {
      Object* cl = m->Load(current, kLeft);
      if (cl == nullptr) break;
      if (key < KeyOf(cl)) {
        // Rotate right.
        m->Store(current, kLeft, m->Load(cl, kRight));
        m->Store(cl, kRight, current);
        current = cl;
        if (m->Load(current, kLeft) == nullptr) break;
      }
      // Link right.
      m->Store(right, kLeft, current);
      right = current;
      current = m->Load(current, kLeft);
    } else if (key > KeyOf(current)) {
      Object* cr = m->Load(current, kRight);
      if (cr == nullptr) break;
      if (key > KeyOf(cr)) {
        // Rotate left.
        m->Store(current, kRight, m->Load(cr, kLeft));
        m->Store(cr, kLeft, current);
        current = cr;
        if (m->Load(current, kRight) == nullptr) break;
      }
      // Link left.
      m->Store(left, kRight, current);
      left = current;
      current = m->Load(current, kRight);
    } else {
      break;
    }
  }
  // Assemble.
  m->Store(left, kRight, m->Load(current, kLeft));
  m->Store(right, kLeft, m->Load(current, kRight));
  m->Store(current, kLeft, m->Load(dummy, kRight));
  m->Store(current, kRight, m->Load(dummy, kLeft));
  m->Store(dummy, kLeft, nullptr);
  m->Store(dummy, kRight, nullptr);
  root_.set(current);
}

absl::StatusOr<bool> ManagedSplayTree::Insert(int64_t key, const Local& value) {
  // Allocate first: afterwards nothing below reaches a safepoint.
  GCLAB_ASSIGN_OR_RETURN(Object * node, m_->Allocate(NodeType()));
  node->data_at<int64_t>(kKey) = key;
  m_->Store(node, kValue, value.get());
  if (empty()) {
    root_.set(node);
    return true;
  }
  Splay(key);
  Object* root = root_.get();
  if (KeyOf(root) == key) return false;  // `node` becomes garbage
  if (key > KeyOf(root)) {
    m_->Store(node, kLeft, root);
    m_->Store(node, kRight, m_->Load(root, kRight));
    m_->Store(root, kRight, nullptr);
  } else {
    m_->Store(node, kRight, root);
    m_->Store(node, kLeft, m_->Load(root, kLeft));
    m_->Store(root, kLeft, nullptr);
  }
  root_.set(node);
  return true;
}

bool ManagedSplayTree::Contains(int64_t key) {
  if (empty()) return false;
  Splay(key);
  return KeyOf(root_.get()) == key;
}

bool ManagedSplayTree::Remove(int64_t key) {
  if (!Contains(key)) return false;
  Object* removed = root_.get();
  Object* left = m_->Load(removed, kLeft);
  if (left == nullptr) {
    root_.set(m_->Load(removed, kRight));
  } else {
    Object* right = m_->Load(removed, kRight);
    root_.set(left);
    Splay(key);  // the maximum of the left subtree becomes the root
    m_->Store(root_.get(), kRight, right);
  }
  return true;
}

Object* ManagedSplayTree::FindGreatestLessThan(int64_t key) {
  if (empty()) return nullptr;
  Splay(key);
  Object* root = root_.get();
  if (KeyOf(root) < key) return root;
  Object* current = m_->Load(root, kLeft);
  if (current == nullptr) return nullptr;
  for (Object* r = m_->Load(current, kRight); r != nullptr; r = m_->Load(current, kRight)) {
    current = r;
  }
  return current;
}

absl::Status ManagedSplayTree::Validate(
    const std::set<int64_t>& expected,
    const std::function<absl::Status(int64_t, Object*)>& check_value) {
  std::vector<Object*> stack;
  Object* current = root_.get();
  auto next_expected = expected.begin();
  size_t count = 0;
  while (current != nullptr || !stack.empty()) {
    while (current != nullptr) {
      if (current->header().magic != kObjectMagic || current->type() != NodeType()) {
        return ValidationError(absl::StrCat("splay: node #", count, " is not a live node"));
      }
      stack.push_back(current);
      current = m_->Load(current, kLeft);
      if (stack.size() > expected.size() + 1) {
        return ValidationError("splay: tree deeper than its size (cycle?)");
      }
    }
    current = stack.back();
    stack.pop_back();
    const int64_t key = KeyOf(current);
    if (next_expected == expected.end() || *next_expected != key) {
      return ValidationError(absl::StrCat(
          "splay: in-order key #", count, " is ", key, ", expected ",
          next_expected == expected.end() ? std::string("none") : absl::StrCat(*next_expected)));
    }
    GCLAB_RETURN_IF_ERROR(check_value(key, m_->Load(current, kValue)));
    ++next_expected;
    ++count;
    current = m_->Load(current, kRight);
  }
  if (count != expected.size()) {
    return ValidationError(
        absl::StrCat("splay: tree has ", count, " nodes, expected ", expected.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Object*> Splay::MakePayload(Mutator* m, int depth, int64_t key) {
  HandleScope scope(m);
  if (depth == 0) {
    GCLAB_ASSIGN_OR_RETURN(Object * raw_array,
                           m->Allocate(PayloadArrayType(), kPayloadArrayLength));
    Local array(m, raw_array);
    for (int i = 0; i < kPayloadArrayLength; ++i) raw_array->data_at<int64_t>(i * 8) = i;
    GCLAB_ASSIGN_OR_RETURN(Object * leaf, m->Allocate(PayloadType()));
    leaf->data_at<int64_t>(kPayloadTag) = key;
    m->Store(leaf, kPayloadArray, array.get());
    return leaf;
  }
  GCLAB_ASSIGN_OR_RETURN(Object * raw_left, MakePayload(m, depth - 1, key));
  Local left(m, raw_left);
  GCLAB_ASSIGN_OR_RETURN(Object * raw_right, MakePayload(m, depth - 1, key));
  Local right(m, raw_right);
  GCLAB_ASSIGN_OR_RETURN(Object * node, m->Allocate(PayloadType()));
  node->data_at<int64_t>(kPayloadTag) = key;
  m->Store(node, kPayloadLeft, left.get());
  m->Store(node, kPayloadRight, right.get());
  return node;
}

absl::Status Splay::CheckPayload(Mutator* m, Object* p, int depth, int64_t key) {
  if (p == nullptr || p->header().magic != kObjectMagic || p->type() != PayloadType() ||
      p->data_at<int64_t>(kPayloadTag) != key) {
    return ValidationError(absl::StrCat("splay: payload of key ", key, " is corrupt"));
  }
  if (depth == 0) {
    Object* array = m->Load(p, kPayloadArray);
    if (array == nullptr || array->type() != PayloadArrayType() ||
        array->array_length() != kPayloadArrayLength) {
      return ValidationError(absl::StrCat("splay: payload array of key ", key, " is corrupt"));
    }
    for (int i = 0; i < kPayloadArrayLength; ++i) {
      if (array->data_at<int64_t>(i * 8) != i) {
        return ValidationError(
            absl::StrCat("splay: payload array of key ", key, " element ", i, " changed"));
      }
    }
    return absl::OkStatus();
  }
  GCLAB_RETURN_IF_ERROR(CheckPayload(m, m->Load(p, kPayloadLeft), depth - 1, key));
  return CheckPayload(m, m->Load(p, kPayloadRight), depth - 1, key);
}

absl::Status Splay::Run(Heap* heap, uint64_t seed) {
  const SplayParams& p = params_;
  return RunAttached(heap, [&](Mutator* m) -> absl::Status {
    HandleScope scope(m);
    ManagedSplayTree tree(m);
    GCLAB_RETURN_IF_ERROR(tree.Init());
    std::set<int64_t> model;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> key_dist(0, int64_t{1} << 40);

    // Octane's InsertNewNode: a key not yet present, with a fresh payload.
    auto insert_new = [&]() -> absl::StatusOr<int64_t> {
      int64_t key;
      do {
        key = key_dist(rng);
      } while (tree.Contains(key));
      if (model.count(key) != 0) {
        return ValidationError(absl::StrCat("splay: key ", key, " in model but not found"));
      }
      HandleScope inner(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, MakePayload(m, p.payload_depth(), key));
      Local payload(m, raw);
      GCLAB_ASSIGN_OR_RETURN(bool inserted, tree.Insert(key, payload));
      if (!inserted) return ValidationError("splay: insert found an existing key");
      model.insert(key);
      return key;
    };

    for (int i = 0; i < p.tree_size(); ++i) {
      GCLAB_RETURN_IF_ERROR(insert_new().status());
    }
    for (int step = 0; step < p.steps(); ++step) {
      for (int i = 0; i < p.modifications(); ++i) {
        GCLAB_ASSIGN_OR_RETURN(int64_t key, insert_new());
        Object* greatest = tree.FindGreatestLessThan(key);
        auto it = model.lower_bound(key);
        const bool model_has_less = it != model.begin();
        if ((greatest != nullptr) != model_has_less ||
            (greatest != nullptr &&
             greatest->data_at<int64_t>(ManagedSplayTree::kKey) != *std::prev(it))) {
          return ValidationError(
              absl::StrCat("splay: greatest key below ", key, " differs from the model"));
        }
        const int64_t victim =
            greatest == nullptr ? key : greatest->data_at<int64_t>(ManagedSplayTree::kKey);
        if (!tree.Remove(victim)) {
          return ValidationError(absl::StrCat("splay: key ", victim, " vanished"));
        }
        model.erase(victim);
      }
      m->Poll();
    }
    return tree.Validate(model, [&](int64_t key, Object* value) {
      return CheckPayload(m, value, p.payload_depth(), key);
    });
  });
}

}  // namespace gclab
