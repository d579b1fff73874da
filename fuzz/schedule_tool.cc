// Command-line companion of the schedule fuzzer (docs/RELIABILITY.md):
//
//   schedule_tool run FILE... [--trace]
//       runs programs (a corpus entry, a crash file libFuzzer wrote) and
//       prints the outcome; --trace prints every executed operation.
//   schedule_tool random --count=N [--seed=S] [--len=L] [--out=FILE]
//       runs N uniformly random programs of L bytes; prints operations per
//       second; the first failing program is written to FILE.
//   schedule_tool asm IN.txt OUT      a program from its text form
//   schedule_tool dis FILE            the text form of a program
//
// GCLAB_FUZZ_BARRIER / GCLAB_FUZZ_ALLOCATOR / GCLAB_FUZZ_PLANTED_BUG as for
// the fuzzer. Exit status 1 if a program failed.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fuzz/schedule_program.h"

namespace {

using gclab::fuzz::RunSchedule;
using gclab::fuzz::ScheduleOptions;
using gclab::fuzz::ScheduleResult;

const char* Flag(int argc, char** argv, const char* name) {
  const size_t n = std::strlen(name);
  for (int i = 2; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
  }
  return nullptr;
}

int Run(int argc, char** argv, ScheduleOptions options) {
  options.trace = false;
  for (int i = 2; i < argc; ++i) options.trace |= std::strcmp(argv[i], "--trace") == 0;
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    std::ifstream in(argv[i], std::ios::binary);
    const std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    const ScheduleResult r = RunSchedule(data.data(), data.size(), options);
    std::printf("%s: %s/%s, %llu operations, %llu cycles: %s\n", argv[i],
                gclab::BarrierKindName(r.barrier), r.allocator.c_str(),
                static_cast<unsigned long long>(r.operations),
                static_cast<unsigned long long>(r.cycles), r.ok() ? "ok" : r.failure.c_str());
    if (options.trace) std::fputs(r.trace.c_str(), stdout);
    if (!r.ok()) status = 1;
  }
  return status;
}

int Random(int argc, char** argv, const ScheduleOptions& options) {
  const char* count = Flag(argc, argv, "--count");
  const char* seed = Flag(argc, argv, "--seed");
  const char* len = Flag(argc, argv, "--len");
  const char* out = Flag(argc, argv, "--out");
  const long n = count != nullptr ? std::atol(count) : 1000;
  const size_t bytes = len != nullptr ? std::atol(len) : 1024;
  std::mt19937_64 rng(seed != nullptr ? std::strtoull(seed, nullptr, 10) : 1);
  uint64_t operations = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) {
    std::vector<uint8_t> data(bytes);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    const ScheduleResult r = RunSchedule(data.data(), data.size(), options);
    operations += r.operations;
    if (!r.ok()) {
      std::printf("program %ld failed after %llu operations in all: %s\n", i,
                  static_cast<unsigned long long>(operations), r.failure.c_str());
      if (out != nullptr) {
        std::ofstream(out, std::ios::binary)
            .write(reinterpret_cast<const char*>(data.data()), data.size());
      }
      return 1;
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld programs, %llu operations in %.1f s: %.0f operations/s\n", n,
              static_cast<unsigned long long>(operations), s, operations / s);
  return 0;
}

std::vector<uint8_t> ReadAll(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

int Asm(const char* in, const char* out) {
  const std::vector<uint8_t> text = ReadAll(in);
  absl::StatusOr<std::vector<uint8_t>> program =
      gclab::fuzz::AssembleSchedule(std::string(text.begin(), text.end()));
  if (!program.ok()) {
    std::fprintf(stderr, "%s: %s\n", in, std::string(program.status().message()).c_str());
    return 1;
  }
  std::ofstream(out, std::ios::binary)
      .write(reinterpret_cast<const char*>(program->data()), program->size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const ScheduleOptions options = gclab::fuzz::ScheduleOptionsFromEnvironment();
  if (argc >= 2 && std::strcmp(argv[1], "run") == 0) return Run(argc, argv, options);
  if (argc >= 2 && std::strcmp(argv[1], "random") == 0) return Random(argc, argv, options);
  if (argc == 4 && std::strcmp(argv[1], "asm") == 0) return Asm(argv[2], argv[3]);
  if (argc == 3 && std::strcmp(argv[1], "dis") == 0) {
    const std::vector<uint8_t> data = ReadAll(argv[2]);
    std::fputs(gclab::fuzz::DisassembleSchedule(data.data(), data.size()).c_str(), stdout);
    return 0;
  }
  std::fprintf(stderr,
               "usage: schedule_tool run FILE... [--trace] | random --count=N [--seed=S] "
               "[--len=L] [--out=FILE] | asm IN.txt OUT | dis FILE\n");
  return 2;
}
