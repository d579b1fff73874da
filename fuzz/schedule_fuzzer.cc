// libFuzzer entry point of the schedule fuzzer (fuzz/schedule_program.h): a
// failing oracle aborts with its message and the traced program.
//
// Environment: GCLAB_FUZZ_BARRIER, GCLAB_FUZZ_ALLOCATOR (pin the pair),
// GCLAB_FUZZ_PLANTED_BUG (the mutation check). At exit it prints, per
// barrier x allocator, the inputs and operations it ran (the campaign
// script adds them up; docs/RELIABILITY.md).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "fuzz/schedule_program.h"

namespace {

using gclab::fuzz::ScheduleOptions;
using gclab::fuzz::ScheduleResult;

ScheduleOptions* options = nullptr;
// (barrier, allocator) -> (inputs, operations). libFuzzer runs one input at a
// time on one thread.
std::map<std::pair<std::string, std::string>, std::pair<uint64_t, uint64_t>>* counts = nullptr;

void Report() {
  for (const auto& [pair, n] : *counts) {
    std::fprintf(stderr, "schedule_fuzzer: %s/%s: %llu inputs, %llu operations\n",
                 pair.first.c_str(), pair.second.c_str(), static_cast<unsigned long long>(n.first),
                 static_cast<unsigned long long>(n.second));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  options = new ScheduleOptions(gclab::fuzz::ScheduleOptionsFromEnvironment());
  counts = new std::map<std::pair<std::string, std::string>, std::pair<uint64_t, uint64_t>>;
  std::atexit(Report);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (options == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  const ScheduleResult r = gclab::fuzz::RunSchedule(data, size, *options);
  auto& n = (*counts)[{gclab::BarrierKindName(r.barrier), r.allocator}];
  ++n.first;
  n.second += r.operations;
  if (!r.ok()) {
    ScheduleOptions traced = *options;
    traced.trace = true;
    const ScheduleResult replay = gclab::fuzz::RunSchedule(data, size, traced);
    std::fprintf(stderr, "schedule fuzzer: FAILURE: %s\nthe program, as executed:\n%s",
                 r.failure.c_str(), replay.trace.c_str());
    std::abort();
  }
  return 0;
}
