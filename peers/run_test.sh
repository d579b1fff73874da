#!/bin/bash
# The runner at tiny sizes: exact header, one row per peer x workload x
# repetition, all ok; with --corrupt_for_testing every row is
# validation_failed and the runner exits non-zero.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
T="${TEST_TMPDIR:-$(mktemp -d)}"
SIZES=(--gcbench_stretch_depth=10 --gcbench_long_lived_depth=8
       --gcbench_array_size=10000 --gcbench_min_depth=4 --gcbench_max_depth=8
       --binary_trees_max_depth=8)
HEADER='experiment,config,allocator,collector,escape_mode,workload,repetition,status,wall_s,cpu_s,collections,pauses,pause_total_ms,pause_p50_ms,pause_p99_ms,pause_max_ms,mmu_1ms,mmu_10ms,mmu_100ms,peak_heap_bytes,peak_rss_bytes,bytes_allocated,objects_allocated,stack_allocated_objects,barrier_slow_hits'

peers/run --out="$T/ok" --repetitions=2 "${SIZES[@]}" > "$T/ok.md" ||
  fail "runner exited $?: $(cat "$T/ok.md")"
csv="$T/ok/peers.csv"
[[ "$(head -1 "$csv")" == "$HEADER" ]] || fail "header: $(head -1 "$csv")"
rows=$(tail -n +2 "$csv" | wc -l)
(( rows == 12 )) || fail "want 12 rows (3 peers x 2 workloads x 2), got $rows"
tail -n +2 "$csv" | awk -F, -v n=25 '
  NF != n { print "bad field count " NF ": " $0; bad = 1 }
  $1 != "peers" || $8 != "ok" || $9 == "" || $21 == "" { print "bad row: " $0; bad = 1 }
  END { exit bad }' || fail "rows"
for cfg in malloc,glibc,none,none boehm,boehm,boehm,none go1.19,go,go,go; do
  for w in gcbench binary_trees; do
    for rep in 0 1; do
      grep -q "^peers,$cfg,$w,$rep,ok," "$csv" || fail "no row $cfg $w $rep"
    done
  done
done
grep -q '^| gcbench | boehm | 2/2 |' "$T/ok.md" || fail "table: $(cat "$T/ok.md")"

peers/run --out="$T/bad" --repetitions=1 --peers=malloc,boehm,go \
  --workloads=binary_trees "${SIZES[@]}" --corrupt_for_testing > /dev/null &&
  fail "runner exited 0 with corrupted peers"
bad="$T/bad/peers.csv"
(( $(tail -n +2 "$bad" | wc -l) == 3 )) || fail "want 3 rows: $(cat "$bad")"
(( $(grep -c ',validation_failed,' "$bad") == 3 )) || fail "statuses: $(cat "$bad")"
echo PASS
