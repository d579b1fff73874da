// Parameter leak summaries ("leaks"), go 1.19's escape/leaks.go encoding:
// one slot for the heap and one per result (up to 7); each holds the
// minimal dereference count of a flow from the parameter to that sink,
// plus one (0 = no flow), saturating at 255.
#ifndef GCLAB_ESCAPE_GOESCAPE_LEAKS_H_
#define GCLAB_ESCAPE_GOESCAPE_LEAKS_H_

#include <algorithm>
#include <array>
#include <cstdint>

namespace gclab::escape::goesc {

inline constexpr int kNumEscResults = 7;

class Leaks {
 public:
  // Minimal derefs of a flow to the heap / to result i; -1 if none.
  int Heap() const { return Get(0); }
  int Result(int i) const { return Get(1 + i); }
  void AddHeap(int derefs) { Add(0, derefs); }
  void AddResult(int i, int derefs) { Add(1 + i, derefs); }
  void SetHeap(int derefs) { Set(0, derefs); }
  void SetResult(int i, int derefs) { Set(1 + i, derefs); }
  bool Empty() const {
    for (uint8_t x : v_)
      if (x != 0) return false;
    return true;
  }
  // Drops result flows at least as long as the shortest heap flow.
  void Optimize() {
    int x = Heap();
    if (x < 0) return;
    for (int i = 0; i < kNumEscResults; ++i)
      if (Result(i) >= x) v_[1 + i] = 0;
  }
  bool operator==(const Leaks& o) const { return v_ == o.v_; }

 private:
  int Get(int i) const { return static_cast<int>(v_[i]) - 1; }
  void Set(int i, int derefs) {
    v_[i] = derefs < 0 ? 0 : static_cast<uint8_t>(std::min(derefs + 1, 255));
  }
  void Add(int i, int derefs) {
    int old = Get(i);
    if (old < 0 || derefs < old) Set(i, derefs);
  }
  std::array<uint8_t, 1 + kNumEscResults> v_{};
};

}  // namespace gclab::escape::goesc

#endif  // GCLAB_ESCAPE_GOESCAPE_LEAKS_H_
