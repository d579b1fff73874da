// Channels, select, and the blocking primitives of package sync.
//
// A channel is a heap object (Go's hchan): counters, a heap array of
// elements for buffered channels, and queues of waiting goroutines. Its
// lock is one of a fixed table of mutexes chosen by the channel's address
// (the object's memory can be freed and reused without destroying
// anything). A waiting goroutine's record (Waiter, Go's sudog) lives on its
// own C++ stack while it is parked; whoever completes the operation copies
// the value directly (into the waiter's buffer and the frame words that
// root it, through the write barrier), marks the waiter runnable for the
// deadlock detector (Readied), then wakes it.
//
// sync.Mutex, RWMutex, WaitGroup and Once keep Go's layouts; their waiters
// queue in a table keyed by the primitive's address (Go's semtable).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <semaphore>
#include <vector>

#include "goruntime/internal.h"
#include "goruntime/std.h"
#include "heap/mutator.h"

namespace gort {

namespace {

struct Waiter;

struct SelectState {
  std::atomic<int> done{-1};  // the case that completed
  std::binary_semaphore sem{0};
  bool ok = false;
};

struct Waiter {
  G* g = nullptr;
  void* elem = nullptr;   // send: the value; receive: the buffer
  Word* roots = nullptr;  // receive: frame words for the value's pointer words
  bool success = false;   // receive: got a value; send: delivered
  SelectState* sel = nullptr;
  int case_index = 0;
  std::binary_semaphore* sem = nullptr;
  Waiter* next = nullptr;
  Waiter* prev = nullptr;
};

struct Queue {
  Waiter* head;
  Waiter* tail;
};

struct HChan {
  Word buf;  // elements (heap array) for a buffered channel
  int64_t cap;
  int64_t count;
  int64_t recvx;
  int64_t sendx;
  const Type* elem;
  int64_t closed;
  Queue sendq;
  Queue recvq;
};

constexpr uint32_t kHChanPtrs[] = {offsetof(HChan, buf)};
Type kTypeHChan = [] {
  Type t{};
  t.kind = Kind::kStruct;
  t.size = sizeof(HChan);
  t.align = 8;
  t.name = "runtime.hchan";
  t.pkgpath = "runtime";
  t.ptrs = kHChanPtrs;
  t.nptrs = 1;
  return t;
}();

constexpr int kLocks = 251;
std::mutex g_locks[kLocks];
inline size_t LockIndex(const void* p) { return (reinterpret_cast<uintptr_t>(p) >> 4) % kLocks; }
inline std::mutex& LockOf(const void* p) { return g_locks[LockIndex(p)]; }

inline HChan* C(Word c) { return reinterpret_cast<HChan*>(Addr(c)); }

void Enqueue(Queue* q, Waiter* w) {
  w->next = nullptr;
  w->prev = q->tail;
  if (q->tail != nullptr) {
    q->tail->next = w;
  } else {
    q->head = w;
  }
  q->tail = w;
}

void Remove(Queue* q, Waiter* w) {
  if (w->prev != nullptr) {
    w->prev->next = w->next;
  } else if (q->head == w) {
    q->head = w->next;
  } else {
    return;  // not queued
  }
  if (w->next != nullptr) {
    w->next->prev = w->prev;
  } else {
    q->tail = w->prev;
  }
  w->next = w->prev = nullptr;
}

// The first waiter that can be woken (a select's waiter only if it wins
// its select's race).
Waiter* Dequeue(Queue* q) {
  for (Waiter* w = q->head; w != nullptr;) {
    Waiter* next = w->next;
    Remove(q, w);
    if (w->sel == nullptr) return w;
    int expected = -1;
    if (w->sel->done.compare_exchange_strong(expected, w->case_index)) return w;
    w = next;
  }
  return nullptr;
}

// Stores the pointer word v into `slot`, a frame word of another (parked)
// goroutine: through the write barrier while it is on, so a collector that
// already scanned that stack does not lose v.
void CrossStore(G* g, Word* slot, Word v) {
  if (g->heap->write_barrier_enabled()) {
    g->heap->collector()->WriteBarrierSlow(g->m, nullptr, reinterpret_cast<Object**>(slot),
                                           reinterpret_cast<Object*>(v));
  } else {
    __atomic_store_n(slot, v, __ATOMIC_RELEASE);
  }
}

// Delivers the value at src to a receiver's buffer and roots.
void Deliver(G* g, const Type* et, Waiter* r, const void* src) {
  if (r->elem != nullptr && et->size > 0) std::memcpy(r->elem, src, et->size);
  if (r->roots != nullptr)
    for (int i = 0; i < et->nptrs; ++i) CrossStore(g, &r->roots[i], WordAt(src, et->ptrs[i]));
}

void CheckSendValue(G* g, const Type* et, const void* v, const Pos* pos) {
  if (!g_checks) return;
  for (int i = 0; i < et->nptrs; ++i) {
    Word w = WordAt(v, et->ptrs[i]);
    if (w != 0 && g->region->Contains(Addr(w)))
      CheckStore(g, nullptr, w, pos);  // a stack pointer leaving its goroutine
  }
}

void Wake(Waiter* w) {
  Readied();
  if (w->sel != nullptr) {
    w->sel->ok = w->success;
    w->sel->sem.release();
  } else {
    w->sem->release();
  }
}

void Park(G* g, std::binary_semaphore* sem) {
  gclab::ParkedScope parked(g->m);
  sem->acquire();
}

char* BufSlot(HChan* c, int64_t i) { return Addr(c->buf) + static_cast<size_t>(i) * c->elem->size; }

}  // namespace

Word MakeChan(G* g, const Type* chan_type, int64_t size, const Pos* pos) {
  if (size < 0) PanicString(g, "makechan: size out of range", pos);
  InitType(&kTypeHChan);
  Word c = NewHeap(g, &kTypeHChan);
  {
    gclab::HandleScope scope(g->m);
    gclab::Local root(g->m, reinterpret_cast<Object*>(c));
    Word buf = size > 0 ? NewHeapArray(g, chan_type->elem, size) : 0;
    HChan* h = C(c);
    StorePtr(g, &h->buf, buf, nullptr);
    h->cap = size;
    h->elem = chan_type->elem;
  }
  return c;
}

int64_t ChanLen(Word c) {
  if (c == 0) return 0;
  std::lock_guard<std::mutex> lock(LockOf(Addr(c)));
  return C(c)->count;
}

int64_t ChanCap(Word c) { return c == 0 ? 0 : C(c)->cap; }

void ChanSend(G* g, Word cw, const void* v, const Pos* pos) {
  if (cw == 0) {
    BlockBegin(g);
    std::binary_semaphore never{0};
    Park(g, &never);
  }
  HChan* c = C(cw);
  const Type* et = c->elem;
  CheckSendValue(g, et, v, pos);
  std::unique_lock<std::mutex> lock(LockOf(c));
  if (c->closed) {
    lock.unlock();
    PanicPlain(g, "send on closed channel", pos);
  }
  if (Waiter* r = Dequeue(&c->recvq)) {
    Deliver(g, et, r, v);
    r->success = true;
    lock.unlock();
    Wake(r);
    return;
  }
  if (c->count < c->cap) {
    TypedMove(g, et, BufSlot(c, c->sendx), static_cast<const char*>(v), 1, pos);
    c->sendx = (c->sendx + 1) % c->cap;
    ++c->count;
    return;
  }
  std::binary_semaphore sem{0};
  Waiter me;
  me.g = g;
  me.elem = const_cast<void*>(v);
  me.sem = &sem;
  Enqueue(&c->sendq, &me);
  BlockBegin(g);
  lock.unlock();
  Park(g, &sem);
  if (!me.success) PanicPlain(g, "send on closed channel", pos);
}

bool ChanRecv(G* g, Word cw, void* v, Word* roots, const Pos* pos) {
  if (cw == 0) {
    BlockBegin(g);
    std::binary_semaphore never{0};
    Park(g, &never);
  }
  HChan* c = C(cw);
  const Type* et = c->elem;
  std::unique_lock<std::mutex> lock(LockOf(c));
  auto take = [&](const void* src) {
    if (et->size > 0) std::memcpy(v, src, et->size);
    if (roots != nullptr)
      for (int i = 0; i < et->nptrs; ++i) roots[i] = WordAt(src, et->ptrs[i]);
  };
  if (c->count > 0) {
    char* slot = BufSlot(c, c->recvx);
    take(slot);
    // Clear the slot through the barrier (a deletion).
    for (int i = 0; i < et->nptrs; ++i)
      StorePtr(g, reinterpret_cast<Word*>(slot + et->ptrs[i]), 0, pos);
    c->recvx = (c->recvx + 1) % c->cap;
    --c->count;
    if (Waiter* s = Dequeue(&c->sendq)) {
      TypedMove(g, et, BufSlot(c, c->sendx), static_cast<const char*>(s->elem), 1, pos);
      c->sendx = (c->sendx + 1) % c->cap;
      ++c->count;
      s->success = true;
      lock.unlock();
      Wake(s);
    }
    return true;
  }
  if (Waiter* s = Dequeue(&c->sendq)) {
    take(s->elem);
    s->success = true;
    lock.unlock();
    Wake(s);
    return true;
  }
  if (c->closed) {
    if (et->size > 0) std::memset(v, 0, et->size);
    return false;
  }
  std::binary_semaphore sem{0};
  Waiter me;
  me.g = g;
  me.elem = v;
  me.roots = roots;
  me.sem = &sem;
  Enqueue(&c->recvq, &me);
  BlockBegin(g);
  lock.unlock();
  Park(g, &sem);
  return me.success;
}

void ChanClose(G* g, Word cw, const Pos* pos) {
  if (cw == 0) PanicPlain(g, "close of nil channel", pos);
  HChan* c = C(cw);
  std::vector<Waiter*> wake;
  {
    std::lock_guard<std::mutex> lock(LockOf(c));
    if (c->closed) {
      // (unlocked by the guard before the panic unwinds)
    } else {
      c->closed = 1;
      while (Waiter* r = Dequeue(&c->recvq)) {
        if (r->elem != nullptr && c->elem->size > 0) std::memset(r->elem, 0, c->elem->size);
        r->success = false;
        wake.push_back(r);
      }
      while (Waiter* s = Dequeue(&c->sendq)) {
        s->success = false;
        wake.push_back(s);
      }
      for (Waiter* w : wake) Wake(w);
      return;
    }
  }
  PanicPlain(g, "close of closed channel", pos);
}

// ---------------------------------------------------------------- select

int Select(G* g, SelectCase* cases, int n, bool has_default, bool* ok, const Pos* pos) {
  // Lock every channel involved, in lock order.
  std::vector<size_t> locks;
  for (int i = 0; i < n; ++i)
    if (cases[i].chan != 0) locks.push_back(LockIndex(Addr(cases[i].chan)));
  std::sort(locks.begin(), locks.end());
  locks.erase(std::unique(locks.begin(), locks.end()), locks.end());
  auto lock_all = [&] {
    for (size_t l : locks) g_locks[l].lock();
  };
  auto unlock_all = [&] {
    for (auto it = locks.rbegin(); it != locks.rend(); ++it) g_locks[*it].unlock();
  };
  if (n == 0 && !has_default) {
    BlockBegin(g);
    std::binary_semaphore never{0};
    Park(g, &never);
  }
  // Poll order: a pseudo-random rotation (Go picks a random permutation).
  static thread_local uint64_t rng = 0x9E3779B97F4A7C15ULL ^ reinterpret_cast<uintptr_t>(&rng);
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  const int start = n > 0 ? static_cast<int>(rng % static_cast<uint64_t>(n)) : 0;
  for (int i = 0; i < n; ++i)
    if (cases[i].send && cases[i].chan != 0)
      CheckSendValue(g, C(cases[i].chan)->elem, cases[i].elem, pos);
  lock_all();
  for (int k = 0; k < n; ++k) {
    const int i = (start + k) % n;
    SelectCase& sc = cases[i];
    if (sc.chan == 0) continue;
    HChan* c = C(sc.chan);
    const Type* et = c->elem;
    if (sc.send) {
      if (c->closed) {
        unlock_all();
        PanicPlain(g, "send on closed channel", pos);
      }
      if (Waiter* r = Dequeue(&c->recvq)) {
        Deliver(g, et, r, sc.elem);
        r->success = true;
        unlock_all();
        Wake(r);
        return i;
      }
      if (c->count < c->cap) {
        TypedMove(g, et, BufSlot(c, c->sendx), static_cast<const char*>(sc.elem), 1, pos);
        c->sendx = (c->sendx + 1) % c->cap;
        ++c->count;
        unlock_all();
        return i;
      }
    } else {
      auto take = [&](const void* src) {
        if (et->size > 0) std::memcpy(sc.elem, src, et->size);
        if (sc.root != nullptr)
          for (int p = 0; p < et->nptrs; ++p) sc.root[p] = WordAt(src, et->ptrs[p]);
      };
      if (c->count > 0) {
        char* slot = BufSlot(c, c->recvx);
        take(slot);
        for (int p = 0; p < et->nptrs; ++p)
          StorePtr(g, reinterpret_cast<Word*>(slot + et->ptrs[p]), 0, pos);
        c->recvx = (c->recvx + 1) % c->cap;
        --c->count;
        Waiter* s = Dequeue(&c->sendq);
        if (s != nullptr) {
          TypedMove(g, et, BufSlot(c, c->sendx), static_cast<const char*>(s->elem), 1, pos);
          c->sendx = (c->sendx + 1) % c->cap;
          ++c->count;
          s->success = true;
        }
        unlock_all();
        if (s != nullptr) Wake(s);
        *ok = true;
        return i;
      }
      if (Waiter* s = Dequeue(&c->sendq)) {
        take(s->elem);
        s->success = true;
        unlock_all();
        Wake(s);
        *ok = true;
        return i;
      }
      if (c->closed) {
        if (et->size > 0) std::memset(sc.elem, 0, et->size);
        unlock_all();
        *ok = false;
        return i;
      }
    }
  }
  if (has_default) {
    unlock_all();
    return -1;
  }
  // Wait on every channel.
  SelectState state;
  std::vector<Waiter> waiters(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (cases[i].chan == 0) continue;
    Waiter& w = waiters[i];
    w.g = g;
    w.elem = cases[i].elem;
    w.roots = cases[i].send ? nullptr : cases[i].root;
    w.sel = &state;
    w.case_index = i;
    HChan* c = C(cases[i].chan);
    Enqueue(cases[i].send ? &c->sendq : &c->recvq, &w);
  }
  BlockBegin(g);
  unlock_all();
  {
    gclab::ParkedScope parked(g->m);
    state.sem.acquire();
  }
  lock_all();
  for (int i = 0; i < n; ++i) {
    if (cases[i].chan == 0) continue;
    HChan* c = C(cases[i].chan);
    Remove(cases[i].send ? &c->sendq : &c->recvq, &waiters[i]);
  }
  unlock_all();
  const int won = state.done.load();
  if (cases[won].send && !waiters[won].success) PanicPlain(g, "send on closed channel", pos);
  *ok = waiters[won].success;
  return won;
}

// ---------------------------------------------------------------- sync

namespace {

// Go's semtable: goroutines waiting on a sync primitive, keyed by address.
struct SemWaiter {
  const void* addr;
  int kind;  // primitive-specific
  std::binary_semaphore sem{0};
  SemWaiter* next = nullptr;
};

struct SemBucket {
  std::mutex mu;
  SemWaiter* head = nullptr;
};
SemBucket g_sem[kLocks];
SemBucket& Bucket(const void* p) { return g_sem[LockIndex(p)]; }

void SemPush(SemBucket& b, SemWaiter* w) {
  SemWaiter** p = &b.head;
  while (*p != nullptr) p = &(*p)->next;
  *p = w;
}

SemWaiter* SemPop(SemBucket& b, const void* addr) {
  for (SemWaiter** p = &b.head; *p != nullptr; p = &(*p)->next) {
    if ((*p)->addr == addr) {
      SemWaiter* w = *p;
      *p = w->next;
      return w;
    }
  }
  return nullptr;
}

void SemWait(G* g, SemBucket& b, std::unique_lock<std::mutex>& lock, SemWaiter* w) {
  SemPush(b, w);
  BlockBegin(g);
  lock.unlock();
  gclab::ParkedScope parked(g->m);
  w->sem.acquire();
}

struct GoMutex {
  std::atomic<int32_t> state;  // 0 unlocked, 1 locked
  uint32_t sema;
};

struct GoWaitGroup {
  uint32_t noCopy;
  std::atomic<int64_t> counter;
  uint32_t sema;
};

struct GoRWMutex {
  std::atomic<int32_t> state;  // -1: a writer; > 0: readers
  int32_t pad[5];
};

struct GoOnce {
  std::atomic<uint32_t> done;
  GoMutex m;
};

}  // namespace

void std_sync_Mutex_Lock(G* g, Word mw) {
  auto* m = reinterpret_cast<GoMutex*>(Deref(g, mw, nullptr));
  int32_t expected = 0;
  if (m->state.compare_exchange_strong(expected, 1)) return;
  SemBucket& b = Bucket(m);
  std::unique_lock<std::mutex> lock(b.mu);
  expected = 0;
  if (m->state.compare_exchange_strong(expected, 1)) return;
  SemWaiter w{m, 0};
  SemWait(g, b, lock, &w);  // Unlock hands the lock over
}

bool std_sync_Mutex_TryLock(G* g, Word mw) {
  auto* m = reinterpret_cast<GoMutex*>(Deref(g, mw, nullptr));
  int32_t expected = 0;
  return m->state.compare_exchange_strong(expected, 1);
}

void std_sync_Mutex_Unlock(G* g, Word mw) {
  auto* m = reinterpret_cast<GoMutex*>(Deref(g, mw, nullptr));
  SemBucket& b = Bucket(m);
  std::unique_lock<std::mutex> lock(b.mu);
  if (m->state.load() == 0) {
    lock.unlock();
    Throw(g, "sync: unlock of unlocked mutex");
  }
  if (SemWaiter* w = SemPop(b, m)) {
    Readied();
    w->sem.release();  // ownership passes to the waiter
    return;
  }
  m->state.store(0);
}

void std_sync_RWMutex_Lock(G* g, Word mw) {
  auto* m = reinterpret_cast<GoRWMutex*>(Deref(g, mw, nullptr));
  for (;;) {
    int32_t expected = 0;
    if (m->state.compare_exchange_strong(expected, -1)) return;
    SemBucket& b = Bucket(m);
    std::unique_lock<std::mutex> lock(b.mu);
    expected = 0;
    if (m->state.compare_exchange_strong(expected, -1)) return;
    SemWaiter w{m, 1};
    SemWait(g, b, lock, &w);
  }
}

void std_sync_RWMutex_RLock(G* g, Word mw) {
  auto* m = reinterpret_cast<GoRWMutex*>(Deref(g, mw, nullptr));
  for (;;) {
    int32_t cur = m->state.load();
    while (cur >= 0) {
      if (m->state.compare_exchange_weak(cur, cur + 1)) return;
    }
    SemBucket& b = Bucket(m);
    std::unique_lock<std::mutex> lock(b.mu);
    if (m->state.load() >= 0) continue;
    SemWaiter w{m, 2};
    SemWait(g, b, lock, &w);
  }
}

namespace {
void RWRelease(G* g, GoRWMutex* m, int32_t delta_to_free) {
  SemBucket& b = Bucket(m);
  std::unique_lock<std::mutex> lock(b.mu);
  int32_t s = m->state.load();
  if ((delta_to_free < 0 && s != -1) || (delta_to_free > 0 && s <= 0)) {
    lock.unlock();
    Throw(g, delta_to_free < 0 ? "sync: Unlock of unlocked RWMutex"
                               : "sync: RUnlock of unlocked RWMutex");
  }
  s = delta_to_free < 0 ? 0 : m->state.fetch_sub(1) - 1;
  if (delta_to_free < 0) m->state.store(0);
  if (s != 0) return;
  // Free: everybody waiting retries.
  while (SemWaiter* w = SemPop(b, m)) {
    Readied();
    w->sem.release();
  }
}
}  // namespace

void std_sync_RWMutex_Unlock(G* g, Word mw) {
  RWRelease(g, reinterpret_cast<GoRWMutex*>(Deref(g, mw, nullptr)), -1);
}

void std_sync_RWMutex_RUnlock(G* g, Word mw) {
  RWRelease(g, reinterpret_cast<GoRWMutex*>(Deref(g, mw, nullptr)), 1);
}

void std_sync_WaitGroup_Add(G* g, Word w, int64_t delta) {
  auto* wg = reinterpret_cast<GoWaitGroup*>(Deref(g, w, nullptr));
  SemBucket& b = Bucket(wg);
  std::unique_lock<std::mutex> lock(b.mu);
  const int64_t v = wg->counter.fetch_add(delta) + delta;
  if (v < 0) {
    lock.unlock();
    PanicGoString(g, "sync: negative WaitGroup counter", nullptr);
  }
  if (v != 0) return;
  while (SemWaiter* sw = SemPop(b, wg)) {
    Readied();
    sw->sem.release();
  }
}

void std_sync_WaitGroup_Done(G* g, Word w) { std_sync_WaitGroup_Add(g, w, -1); }

void std_sync_WaitGroup_Wait(G* g, Word w) {
  auto* wg = reinterpret_cast<GoWaitGroup*>(Deref(g, w, nullptr));
  if (wg->counter.load() == 0) return;
  SemBucket& b = Bucket(wg);
  std::unique_lock<std::mutex> lock(b.mu);
  if (wg->counter.load() == 0) return;
  SemWaiter sw{wg, 0};
  SemWait(g, b, lock, &sw);
}

void std_sync_Once_Do(G* g, Word ow, Word f) {
  auto* o = reinterpret_cast<GoOnce*>(Deref(g, ow, nullptr));
  if (o->done.load() != 0) return;
  const Word mu = Advance(ow, offsetof(GoOnce, m));
  std_sync_Mutex_Lock(g, mu);
  if (o->done.load() == 0) {
    try {
      auto code = *reinterpret_cast<void (**)(G*, Word)>(Deref(g, f, nullptr));
      code(g, f);
    } catch (const PanicUnwind&) {
      o->done.store(1);
      std_sync_Mutex_Unlock(g, mu);
      throw;
    }
    o->done.store(1);
  }
  std_sync_Mutex_Unlock(g, mu);
}

}  // namespace gort
