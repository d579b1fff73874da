#!/bin/bash
# End-to-end test of //experiments:run: a smoke run in fresh-process mode
# writes every output with the exact CSV header; a bad config fails with
# file:line:col and exit status 1.
set -euo pipefail
runner="$1"
config="$2"
out="${TEST_TMPDIR:-$(mktemp -d)}/out"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$runner" "$config" --smoke --fresh_process --out_dir="$out" > "$out.stdout" 2> "$out.stderr" \
  || { cat "$out.stderr" >&2; fail "runner exited with $?"; }

header="experiment,config,allocator,collector,escape_mode,workload,repetition,status,wall_s,cpu_s,collections,pauses,pause_total_ms,pause_p50_ms,pause_p99_ms,pause_max_ms,mmu_1ms,mmu_10ms,mmu_100ms,peak_heap_bytes,peak_rss_bytes,bytes_allocated,objects_allocated,stack_allocated_objects,barrier_slow_hits"
[[ "$(head -1 "$out/results.csv")" == "$header"* ]] || fail "CSV header: $(head -1 "$out/results.csv")"
rows=$(($(wc -l < "$out/results.csv") - 1))
[[ "$rows" -eq 9 ]] || fail "expected 9 runs (3 configs x 3 workloads), got $rows"
[[ "$(cut -d, -f8 "$out/results.csv" | tail -n +2 | sort -u)" == "ok" ]] || fail "some run not ok"
grep -q '"fresh_process": true' "$out/results.json" || fail "runs were not in fresh processes"
grep -q '"hostname"' "$out/results.json" || fail "no machine description"
grep -q '^| nogc | gcbench | ok |' "$out.stdout" || fail "no markdown table on stdout"
for f in report.md mmu_gcbench.svg pauses_gcbench.svg mmu_splay.svg pauses_splay.svg; do
  [[ -s "$out/$f" ]] || fail "missing $f"
done
grep -q 'mmu_gcbench.svg' "$out/report.md" || fail "report.md does not link the plots"
[[ ! -e "$out/mmu_marksweep.svg" ]] || fail "per-configuration plots are still written"
grep -q '\[9/9' "$out.stderr" || fail "no progress on stderr"

bad="$TEST_TMPDIR/bad.textproto"
printf 'name: "bad"\nconfigs {\n  name: "a"\n  collector { marksweeep {} }\n}\n' > "$bad"
set +e
"$runner" "$bad" --out_dir="$out/bad" 2> "$out.bad.stderr"
status=$?
set -e
[[ "$status" -eq 1 ]] || fail "bad config: exit status $status, want 1"
grep -q "bad.textproto:4:15: .*marksweeep.*Known collectors: nogc, marksweep" "$out.bad.stderr" \
  || fail "bad config message: $(cat "$out.bad.stderr")"
echo PASS
