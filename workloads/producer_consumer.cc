#include "workloads/producer_consumer.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"

namespace gclab {
namespace {

// Message: pointer payload(0); int64 producer at 8, sequence at 16, checksum at 24.
constexpr uint32_t kPayload = 0, kProducer = 8, kSequence = 16, kChecksum = 24;

const TypeDescriptor* MessageType() {
  static const TypeDescriptor* type = MakeRecordType("pc.message", 1, 24);
  return type;
}
const TypeDescriptor* RingType() {
  static const TypeDescriptor* type = MakePointerArrayType("pc.ring");
  return type;
}
const TypeDescriptor* PayloadType() {
  static const TypeDescriptor* type = MakeDataArrayType("pc.payload", 1);
  return type;
}

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
uint8_t PayloadByte(int64_t producer, int64_t seq, size_t i) {
  return static_cast<uint8_t>(Mix(static_cast<uint64_t>(producer) << 40 ^ seq) >> (8 * (i % 8))) ^
         static_cast<uint8_t>(i);
}
uint64_t PayloadChecksum(const Object* payload) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (size_t i = 0; i < payload->array_length(); ++i) {
    h = (h ^ payload->data_at<uint8_t>(i)) * 1099511628211ull;
  }
  return h;
}

class Channel {
 public:
  Channel(const ProducerConsumerParams& p, Object** ring_root) : p_(p), ring_root_(ring_root) {
    seen_.resize(p.producers());
    for (auto& v : seen_) v = std::vector<std::atomic<uint8_t>>(p.messages_per_producer());
  }

  absl::Status Init(Mutator* m) {
    GCLAB_ASSIGN_OR_RETURN(Object * ring, m->Allocate(RingType(), p_.queue_capacity()));
    m->WriteGlobal(ring_root_, ring);
    return absl::OkStatus();
  }

  absl::StatusOr<Object*> NewMessage(Mutator* m, int64_t producer, int64_t seq) {
    HandleScope scope(m);
    GCLAB_ASSIGN_OR_RETURN(Object * raw, m->Allocate(PayloadType(), p_.payload_bytes()));
    Local payload(m, raw);
    for (int i = 0; i < p_.payload_bytes(); ++i) {
      raw->data_at<uint8_t>(i) = PayloadByte(producer, seq, i);
    }
    GCLAB_ASSIGN_OR_RETURN(Object * msg, m->Allocate(MessageType()));
    m->Store(msg, kPayload, payload.get());
    msg->data_at<int64_t>(kProducer) = producer;
    msg->data_at<int64_t>(kSequence) = seq;
    msg->data_at<uint64_t>(kChecksum) = PayloadChecksum(payload.get());
    return msg;
  }

  // Runs a producer; whatever happens, counts it as done so consumers end.
  absl::Status Produce(int producer, Mutator* m) {
    absl::Status status = ProduceAll(producer, m);
    ParkedScope parked(m);
    std::lock_guard<std::mutex> lock(mu_);
    ++producers_done_;
    if (!status.ok()) aborted_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
    return status;
  }

  // Runs a consumer; on failure wakes everybody up so the run ends.
  absl::Status Consume(Mutator* m, const std::function<void(Mutator*, Object*)>& hook) {
    absl::Status status = ConsumeAll(m, hook);
    if (!status.ok()) {
      ParkedScope parked(m);
      std::lock_guard<std::mutex> lock(mu_);
      aborted_ = true;
      not_empty_.notify_all();
      not_full_.notify_all();
    }
    return status;
  }

  absl::Status ProduceAll(int producer, Mutator* m) {
    for (int64_t seq = 0; seq < p_.messages_per_producer(); ++seq) {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, NewMessage(m, producer, seq));
      Local msg(m, raw);
      std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
      {
        // Lock and wait parked; Unpark (end of scope) may wait for a
        // collection while we hold mu_, which is fine: every other thread
        // that wants mu_ is parked too.
        ParkedScope parked(m);
        lock.lock();
        not_full_.wait(lock, [&] { return count_ < p_.queue_capacity() || aborted_; });
      }
      if (aborted_) return absl::OkStatus();  // a consumer failed; it reports
      m->StoreElement(LoadPointer(ring_root_), tail_, msg.get());
      tail_ = (tail_ + 1) % p_.queue_capacity();
      ++count_;
      not_empty_.notify_one();
    }
    return absl::OkStatus();
  }

  absl::Status ConsumeAll(Mutator* m, const std::function<void(Mutator*, Object*)>& hook) {
    HandleScope scope(m);
    GCLAB_ASSIGN_OR_RETURN(Object * raw_retained, m->Allocate(RingType(), p_.retained_ring()));
    Local retained(m, raw_retained);
    int64_t consumed = 0;
    size_t retained_next = 0;
    for (;;) {
      HandleScope inner(m);
      Local msg(m);
      {
        std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
        {
          ParkedScope parked(m);
          lock.lock();
          not_empty_.wait(
              lock, [&] { return count_ > 0 || producers_done_ == p_.producers() || aborted_; });
        }
        if (count_ == 0 || aborted_) break;  // all producers done and drained, or failure
        Object* ring = LoadPointer(ring_root_);
        msg.set(m->LoadElement(ring, head_));
        m->StoreElement(ring, head_, nullptr);
        head_ = (head_ + 1) % p_.queue_capacity();
        --count_;
        not_full_.notify_one();
      }

      if (hook) hook(m, msg.get());
      GCLAB_RETURN_IF_ERROR(CheckMessage(m, msg.get(), /*first_time=*/true));
      ++consumed;
      if (p_.retain_every() > 0 && consumed % p_.retain_every() == 0) {
        m->StoreElement(retained.get(), retained_next, msg.get());
        retained_next = (retained_next + 1) % p_.retained_ring();
      }
      m->Poll();
    }
    for (int i = 0; i < p_.retained_ring(); ++i) {
      Object* msg = m->LoadElement(retained.get(), i);
      if (msg != nullptr) GCLAB_RETURN_IF_ERROR(CheckMessage(m, msg, /*first_time=*/false));
    }
    return absl::OkStatus();
  }

  absl::Status CheckMessage(Mutator* m, Object* msg, bool first_time) {
    if (msg == nullptr || msg->header().magic != kObjectMagic || msg->type() != MessageType()) {
      return ValidationError("producer_consumer: dequeued a corrupt message");
    }
    const int64_t producer = msg->data_at<int64_t>(kProducer);
    const int64_t seq = msg->data_at<int64_t>(kSequence);
    if (producer < 0 || producer >= p_.producers() || seq < 0 ||
        seq >= p_.messages_per_producer()) {
      return ValidationError(
          absl::StrCat("producer_consumer: message names producer ", producer, " sequence ", seq));
    }
    Object* payload = m->Load(msg, kPayload);
    if (payload == nullptr || payload->type() != PayloadType() ||
        payload->array_length() != static_cast<size_t>(p_.payload_bytes())) {
      return ValidationError(absl::StrCat("producer_consumer: payload of message ", producer, "/",
                                          seq, " is corrupt"));
    }
    const uint64_t checksum = PayloadChecksum(payload);
    if (checksum != msg->data_at<uint64_t>(kChecksum)) {
      return ValidationError(absl::StrCat("producer_consumer: checksum of message ", producer, "/",
                                          seq, " does not match its payload"));
    }
    for (int i = 0; i < p_.payload_bytes(); ++i) {
      if (payload->data_at<uint8_t>(i) != PayloadByte(producer, seq, i)) {
        return ValidationError(absl::StrCat("producer_consumer: payload of message ", producer, "/",
                                            seq, " is not what was sent"));
      }
    }
    if (first_time && seen_[producer][seq].exchange(1) != 0) {
      return ValidationError(
          absl::StrCat("producer_consumer: message ", producer, "/", seq, " consumed twice"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckAllConsumed() const {
    for (int p = 0; p < p_.producers(); ++p) {
      for (int64_t s = 0; s < p_.messages_per_producer(); ++s) {
        if (seen_[p][s].load() == 0) {
          return ValidationError(
              absl::StrCat("producer_consumer: message ", p, "/", s, " was never consumed"));
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  const ProducerConsumerParams& p_;
  Object** const ring_root_;
  // std::mutex rather than absl::Mutex: ThreadSanitizer understands pthread
  // locks, not those of the uninstrumented system Abseil.
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  int head_ = 0;            // guarded by mu_
  int tail_ = 0;            // guarded by mu_
  int count_ = 0;           // guarded by mu_
  int producers_done_ = 0;  // guarded by mu_
  bool aborted_ = false;    // guarded by mu_
  std::vector<std::vector<std::atomic<uint8_t>>> seen_;
};

}  // namespace

absl::Status ProducerConsumer::Run(Heap* heap, uint64_t /*seed*/) {
  const ProducerConsumerParams& p = params_;
  Object** ring_root = heap->NewGlobalRoot();
  Channel channel(p, ring_root);
  absl::Status status = RunAttached(heap, [&](Mutator* m) -> absl::Status {
    GCLAB_RETURN_IF_ERROR(channel.Init(m));
    GCLAB_RETURN_IF_ERROR(RunOnMutatorThreads(m, p.producers() + p.consumers(),
                                              [&](int index, Mutator* w) -> absl::Status {
                                                if (index < p.producers())
                                                  return channel.Produce(index, w);
                                                return channel.Consume(w, on_dequeue_hook_);
                                              }));
    return channel.CheckAllConsumed();
  });
  heap->DeleteGlobalRoot(ring_root);
  return status;
}

}  // namespace gclab
