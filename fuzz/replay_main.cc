// A main() for fuzz targets without libFuzzer, so that every `bazel test`
// (gcc, no fuzzing engine) runs them as a bounded, deterministic check:
//   1. every file of the given corpus directories, in sorted order;
//   2. --generate=N inputs made from them by a seeded mutator (bit flips,
//      byte changes, inserts, erases, duplicated ranges, splices of two
//      entries), at most --max_len bytes each.
// The same flags give the same inputs on every machine. A target reports a
// finding by crashing or aborting, as under libFuzzer, which fails the test.
//
//   schedule_fuzzer_replay [--generate=N] [--seed=S] [--max_len=L] DIR_OR_FILE...
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

using Input = std::vector<uint8_t>;

bool ReadFile(const std::string& path, Input* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

Input Mutate(const std::vector<Input>& corpus, std::mt19937_64& rng, size_t max_len) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  Input x = corpus.empty() ? Input() : corpus[pick(corpus.size())];
  const int mutations = 1 + static_cast<int>(pick(8));
  for (int i = 0; i < mutations; ++i) {
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!x.empty()) x[pick(x.size())] ^= static_cast<uint8_t>(1u << pick(8));
        break;
      case 1:  // a random byte
        if (!x.empty()) x[pick(x.size())] = static_cast<uint8_t>(rng());
        break;
      case 2: {  // insert random bytes
        const size_t at = pick(x.size() + 1), n = 1 + pick(16);
        Input bytes(n);
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
        x.insert(x.begin() + at, bytes.begin(), bytes.end());
        break;
      }
      case 3: {  // erase a range
        if (x.empty()) break;
        const size_t at = pick(x.size()), n = 1 + pick(std::min<size_t>(x.size() - at, 32));
        x.erase(x.begin() + at, x.begin() + at + n);
        break;
      }
      case 4: {  // duplicate a range
        if (x.empty()) break;
        const size_t at = pick(x.size()), n = 1 + pick(std::min<size_t>(x.size() - at, 64));
        const Input range(x.begin() + at, x.begin() + at + n);
        x.insert(x.begin() + pick(x.size() + 1), range.begin(), range.end());
        break;
      }
      case 5: {  // splice: a prefix of this, a suffix of another entry
        if (corpus.empty()) break;
        const Input& other = corpus[pick(corpus.size())];
        const size_t keep = pick(x.size() + 1), from = pick(other.size() + 1);
        x.resize(keep);
        x.insert(x.end(), other.begin() + from, other.end());
        break;
      }
      case 6:  // fresh random bytes appended
        for (size_t n = 1 + pick(64); n > 0; --n) x.push_back(static_cast<uint8_t>(rng()));
        break;
    }
  }
  if (x.size() > max_len) x.resize(max_len);
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  long generate = 0, max_len = 4096;
  unsigned long long seed = 1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (std::strncmp(a, "--generate=", 11) == 0) {
      generate = std::atol(a + 11);
    } else if (std::strncmp(a, "--seed=", 7) == 0) {
      seed = std::strtoull(a + 7, nullptr, 10);
    } else if (std::strncmp(a, "--max_len=", 10) == 0) {
      max_len = std::atol(a + 10);
    } else if (a[0] == '-') {
      std::fprintf(stderr, "replay: unknown flag %s\n", a);
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::directory_iterator(p, ec)) {
        if (e.is_regular_file()) files.push_back(e.path().string());
      }
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      // An empty corpus directory has no files Bazel could put in runfiles.
      std::fprintf(stderr, "replay: no corpus at %s\n", p.c_str());
    }
  }
  std::sort(files.begin(), files.end());
  const auto start = std::chrono::steady_clock::now();
  std::vector<Input> corpus;
  for (const std::string& f : files) {
    Input x;
    if (!ReadFile(f, &x)) {
      std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
      return 2;
    }
    LLVMFuzzerTestOneInput(x.data(), x.size());
    corpus.push_back(std::move(x));
  }
  std::mt19937_64 rng(seed);
  for (long i = 0; i < generate; ++i) {
    const Input x = Mutate(corpus, rng, static_cast<size_t>(max_len));
    LLVMFuzzerTestOneInput(x.data(), x.size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "replay: %zu corpus inputs and %ld generated ones passed in %.1f s\n",
               corpus.size(), generate, seconds);
  return 0;
}
