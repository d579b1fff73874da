#!/bin/bash
# Native peers at small sizes: validation passes, PEER_RESULT is complete,
# the Boehm peer sees collections, and --corrupt_for_testing fails (exit 3).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
SIZES=(--gcbench_stretch_depth=12 --gcbench_long_lived_depth=10
       --gcbench_array_size=20000 --gcbench_min_depth=4 --gcbench_max_depth=10
       --binary_trees_max_depth=10)
for peer in malloc boehm; do
  bin="peers/${peer}/${peer}_peer"
  [[ -x "$bin" ]] || fail "$bin missing"
  for w in gcbench binary_trees; do
    out=$("$bin" --workload=$w "${SIZES[@]}") || fail "$peer $w exited $?"
    line=$(grep '^PEER_RESULT ' <<<"$out") || fail "$peer $w: no PEER_RESULT"
    for k in "peer=$peer" "workload=$w" "ok=1" wall_s= cpu_s= collections= \
             pause_total_ms= pause_max_ms= pause_p50_ms= pause_p99_ms= \
             peak_rss_bytes= bytes_allocated= objects_allocated= pause_list_ms=; do
      grep -q " $k" <<<"$line" || fail "$peer $w: '$k' missing in: $line"
    done
    if [[ $peer == boehm ]]; then
      n=$(sed -E 's/.* collections=([0-9]+) .*/\1/' <<<"$line")
      (( n > 0 )) || fail "boehm $w: no collections recorded: $line"
      p=$(sed -E 's/.* pauses=([0-9]+) .*/\1/' <<<"$line")
      (( p == n )) || fail "boehm $w: $p pauses timed for $n collections"
    fi
    if [[ $w == binary_trees ]]; then
      grep -q $'^1024\t trees of depth 4\t check: 31744$' <<<"$out" ||
        fail "$peer binary_trees: reference line for n=10 missing"
    fi
    "$bin" --workload=$w "${SIZES[@]}" --corrupt_for_testing >/dev/null 2>err.txt
    rc=$?
    [[ $rc == 3 ]] || fail "$peer $w corrupted: exit $rc, want 3"
    grep -q 'VALIDATION FAILED' err.txt || fail "$peer $w: no validation message"
  done
done
echo PASS
