// Go 1.19's sort algorithms (sort/zsortfunc.go), so that sort.Slice, Sort,
// Ints, Strings and Stable leave equal elements in the same order Go does:
// pattern-defeating quicksort with Go's pivot choice and pattern breaking,
// and insertion sort + SymMerge for the stable variants. D provides
// bool Less(int64_t, int64_t) and void Swap(int64_t, int64_t).
#ifndef GCLAB_GORUNTIME_SORT_H_
#define GCLAB_GORUNTIME_SORT_H_

#include <cstdint>

namespace gort::sorting {

enum Hint { kUnknown, kIncreasing, kDecreasing };

inline int BitsLen(uint64_t x) { return x == 0 ? 0 : 64 - __builtin_clzll(x); }

template <class D>
void InsertionSort(D& d, int64_t a, int64_t b) {
  for (int64_t i = a + 1; i < b; ++i)
    for (int64_t j = i; j > a && d.Less(j, j - 1); --j) d.Swap(j, j - 1);
}

template <class D>
void SiftDown(D& d, int64_t lo, int64_t hi, int64_t first) {
  int64_t root = lo;
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= hi) break;
    if (child + 1 < hi && d.Less(first + child, first + child + 1)) ++child;
    if (!d.Less(first + root, first + child)) return;
    d.Swap(first + root, first + child);
    root = child;
  }
}

template <class D>
void HeapSort(D& d, int64_t a, int64_t b) {
  const int64_t first = a, lo = 0, hi = b - a;
  for (int64_t i = (hi - 1) / 2; i >= 0; --i) SiftDown(d, i, hi, first);
  for (int64_t i = hi - 1; i >= 0; --i) {
    d.Swap(first, first + i);
    SiftDown(d, lo, i, first);
  }
}

template <class D>
int64_t PartitionEqual(D& d, int64_t a, int64_t b, int64_t pivot) {
  d.Swap(a, pivot);
  int64_t i = a + 1, j = b - 1;
  for (;;) {
    while (i <= j && !d.Less(a, i)) ++i;
    while (i <= j && d.Less(a, j)) --j;
    if (i > j) break;
    d.Swap(i, j);
    ++i;
    --j;
  }
  return i;
}

template <class D>
int64_t Partition(D& d, int64_t a, int64_t b, int64_t pivot, bool* already) {
  d.Swap(a, pivot);
  int64_t i = a + 1, j = b - 1;
  while (i <= j && d.Less(i, a)) ++i;
  while (i <= j && !d.Less(j, a)) --j;
  if (i > j) {
    d.Swap(j, a);
    *already = true;
    return j;
  }
  d.Swap(i, j);
  ++i;
  --j;
  for (;;) {
    while (i <= j && d.Less(i, a)) ++i;
    while (i <= j && !d.Less(j, a)) --j;
    if (i > j) break;
    d.Swap(i, j);
    ++i;
    --j;
  }
  d.Swap(j, a);
  *already = false;
  return j;
}

template <class D>
bool PartialInsertionSort(D& d, int64_t a, int64_t b) {
  constexpr int kMaxSteps = 5, kShortestShifting = 50;
  int64_t i = a + 1;
  for (int step = 0; step < kMaxSteps; ++step) {
    while (i < b && !d.Less(i, i - 1)) ++i;
    if (i == b) return true;
    if (b - a < kShortestShifting) return false;
    d.Swap(i, i - 1);
    if (i - a >= 2) {
      for (int64_t j = i - 1; j >= 1; --j) {
        if (!d.Less(j, j - 1)) break;
        d.Swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (int64_t j = i + 1; j < b; ++j) {
        if (!d.Less(j, j - 1)) break;
        d.Swap(j, j - 1);
      }
    }
  }
  return false;
}

template <class D>
void BreakPatterns(D& d, int64_t a, int64_t b) {
  const int64_t length = b - a;
  if (length < 8) return;
  uint64_t random = static_cast<uint64_t>(length);
  const uint64_t modulus = uint64_t{1} << BitsLen(static_cast<uint64_t>(length));
  for (int64_t idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
    random ^= random << 13;
    random ^= random >> 17;
    random ^= random << 5;
    int64_t other = static_cast<int64_t>(random & (modulus - 1));
    if (other >= length) other -= length;
    d.Swap(idx, a + other);
  }
}

template <class D>
void Order2(D& d, int64_t* a, int64_t* b, int* swaps) {
  if (d.Less(*b, *a)) {
    ++*swaps;
    int64_t t = *a;
    *a = *b;
    *b = t;
  }
}

template <class D>
int64_t Median(D& d, int64_t a, int64_t b, int64_t c, int* swaps) {
  Order2(d, &a, &b, swaps);
  Order2(d, &b, &c, swaps);
  Order2(d, &a, &b, swaps);
  return b;
}

template <class D>
int64_t ChoosePivot(D& d, int64_t a, int64_t b, Hint* hint) {
  constexpr int64_t kShortestNinther = 50;
  constexpr int kMaxSwaps = 4 * 3;
  const int64_t l = b - a;
  int swaps = 0;
  int64_t i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
  if (l >= 8) {
    if (l >= kShortestNinther) {
      i = Median(d, i - 1, i, i + 1, &swaps);
      j = Median(d, j - 1, j, j + 1, &swaps);
      k = Median(d, k - 1, k, k + 1, &swaps);
    }
    j = Median(d, i, j, k, &swaps);
  }
  *hint = swaps == 0 ? kIncreasing : swaps == kMaxSwaps ? kDecreasing : kUnknown;
  return j;
}

template <class D>
void ReverseRange(D& d, int64_t a, int64_t b) {
  for (int64_t i = a, j = b - 1; i < j; ++i, --j) d.Swap(i, j);
}

template <class D>
void Pdqsort(D& d, int64_t a, int64_t b, int limit) {
  constexpr int64_t kMaxInsertion = 12;
  bool was_balanced = true, was_partitioned = true;
  for (;;) {
    const int64_t length = b - a;
    if (length <= kMaxInsertion) {
      InsertionSort(d, a, b);
      return;
    }
    if (limit == 0) {
      HeapSort(d, a, b);
      return;
    }
    if (!was_balanced) {
      BreakPatterns(d, a, b);
      --limit;
    }
    Hint hint;
    int64_t pivot = ChoosePivot(d, a, b, &hint);
    if (hint == kDecreasing) {
      ReverseRange(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = kIncreasing;
    }
    if (was_balanced && was_partitioned && hint == kIncreasing) {
      if (PartialInsertionSort(d, a, b)) return;
    }
    if (a > 0 && !d.Less(a - 1, pivot)) {
      a = PartitionEqual(d, a, b, pivot);
      continue;
    }
    bool already = false;
    const int64_t mid = Partition(d, a, b, pivot, &already);
    was_partitioned = already;
    const int64_t left = mid - a, right = b - mid;
    const int64_t balance = length / 8;
    if (left < right) {
      was_balanced = left >= balance;
      Pdqsort(d, a, mid, limit);
      a = mid + 1;
    } else {
      was_balanced = right >= balance;
      Pdqsort(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

template <class D>
void Sort(D& d, int64_t n) {
  if (n <= 1) return;
  Pdqsort(d, 0, n, BitsLen(static_cast<uint64_t>(n)));
}

template <class D>
void SwapRange(D& d, int64_t a, int64_t b, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d.Swap(a + i, b + i);
}

template <class D>
void Rotate(D& d, int64_t a, int64_t m, int64_t b) {
  int64_t i = m - a, j = b - m;
  while (i != j) {
    if (i > j) {
      SwapRange(d, m - i, m, j);
      i -= j;
    } else {
      SwapRange(d, m - i, m + j - i, i);
      j -= i;
    }
  }
  SwapRange(d, m - i, m, i);
}

template <class D>
void SymMerge(D& d, int64_t a, int64_t m, int64_t b) {
  if (m - a == 1) {
    int64_t i = m, j = b;
    while (i < j) {
      int64_t h = static_cast<int64_t>(static_cast<uint64_t>(i + j) >> 1);
      if (d.Less(h, a)) {
        i = h + 1;
      } else {
        j = h;
      }
    }
    for (int64_t k = a; k < i - 1; ++k) d.Swap(k, k + 1);
    return;
  }
  if (b - m == 1) {
    int64_t i = a, j = m;
    while (i < j) {
      int64_t h = static_cast<int64_t>(static_cast<uint64_t>(i + j) >> 1);
      if (!d.Less(m, h)) {
        i = h + 1;
      } else {
        j = h;
      }
    }
    for (int64_t k = m; k > i; --k) d.Swap(k, k - 1);
    return;
  }
  const int64_t mid = static_cast<int64_t>(static_cast<uint64_t>(a + b) >> 1);
  const int64_t n = mid + m;
  int64_t start, r;
  if (m > mid) {
    start = n - b;
    r = mid;
  } else {
    start = a;
    r = m;
  }
  const int64_t p = n - 1;
  while (start < r) {
    int64_t c = static_cast<int64_t>(static_cast<uint64_t>(start + r) >> 1);
    if (!d.Less(p - c, c)) {
      start = c + 1;
    } else {
      r = c;
    }
  }
  const int64_t end = n - start;
  if (start < m && m < end) Rotate(d, start, m, end);
  if (a < start && start < mid) SymMerge(d, a, start, mid);
  if (mid < end && end < b) SymMerge(d, mid, end, b);
}

template <class D>
void Stable(D& d, int64_t n) {
  int64_t block = 20;
  int64_t a = 0, b = block;
  while (b <= n) {
    InsertionSort(d, a, b);
    a = b;
    b += block;
  }
  InsertionSort(d, a, n);
  while (block < n) {
    a = 0;
    b = 2 * block;
    while (b <= n) {
      SymMerge(d, a, a + block, b);
      a = b;
      b += 2 * block;
    }
    if (int64_t m = a + block; m < n) SymMerge(d, a, m, n);
    block *= 2;
  }
}

}  // namespace gort::sorting

#endif  // GCLAB_GORUNTIME_SORT_H_
