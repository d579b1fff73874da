#!/bin/bash
# Runs a microbenchmark binary briefly (each benchmark for about 1 ms) and
# fails unless it exits 0, reports no error row (a module that cannot run, a
# collector the barrier benchmark cannot hold in marking, a mark that missed
# live objects), and prints at least one row matching each expected pattern.
# Timings are printed, never checked.
#   benchmark_smoke_test.sh <binary> <row regex>...
set -u
# Smaller data sets where a benchmark has them (collector_benchmark's BM_Mark).
export GCLAB_BENCHMARK_SMOKE=1
bin=$1
shift
out=$("$bin" --benchmark_min_time=0.001 2>&1)
rc=$?
echo "$out"
if [[ $rc -ne 0 ]]; then
  echo "FAIL: $bin exited with status $rc"
  exit 1
fi
if grep -q "ERROR OCCURRED" <<<"$out"; then
  echo "FAIL: $bin reported error rows:"
  grep "ERROR OCCURRED" <<<"$out"
  exit 1
fi
for pattern in "$@"; do
  if ! grep -qE "^${pattern}" <<<"$out"; then
    echo "FAIL: $bin printed no row matching ^${pattern}"
    exit 1
  fi
done
echo "PASS: $bin ($# row patterns)"
