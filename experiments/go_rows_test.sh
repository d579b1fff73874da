#!/bin/bash
# End to end: Go-program workloads and Go-runtime rows through the runner.
# Every column the schema has is filled where the run has it: stack objects
# only under an escape analysis, fewer heap bytes with it, Go's collections
# and pauses from its gctrace, and a program out of heap is an oom row after
# which the experiment goes on. Needs /usr/bin/go (tools/setup installs it).
set -euo pipefail
runner="$1"
config="$2"
out="${TEST_TMPDIR:-$(mktemp -d)}/out"
export GCLAB_GORUN_CACHE="${TEST_TMPDIR:-/tmp}/gorun-cache"

fail() { echo "FAIL: $*" >&2; exit 1; }

set +e
"$runner" "$config" --out_dir="$out" > "$out.stdout" 2> "$out.stderr"
status=$?
set -e
# 3: some run failed (the tiny heap), which is what we asked for.
[[ "$status" -eq 3 ]] || { cat "$out.stderr" >&2; fail "runner exited with $status, want 3"; }

# column(config, workload, name): one field of a row, by the header's names.
column() {
  awk -F, -v c="$1" -v w="$2" -v n="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
    $2 == c && $6 == w { print $(idx[n]); found = 1 }
    END { if (!found) exit 1 }' "$out/results.csv" || fail "no row $1/$2"
}
for w in binarytrees structsim; do
  for c in all_heap go go1.19; do
    [[ "$(column "$c" "$w" status)" == ok ]] || fail "$c/$w: $(column "$c" "$w" status) $(column "$c" "$w" message)"
  done
done
[[ "$(column tiny binarytrees status)" == oom ]] || fail "tiny: want oom, got $(column tiny binarytrees status)"
[[ "$(column tiny binarytrees message)" == *"out of memory"* ]] || fail "tiny: $(column tiny binarytrees message)"
# The experiment went on after it.
[[ "$(column go1.19 structsim status)" == ok ]] || fail "the run after the oom did not happen"

# The escape analysis moved objects to the stack and heap bytes went down.
[[ "$(column all_heap structsim stack_allocated_objects)" -eq 0 ]] || fail "all_heap has stack objects"
[[ "$(column go structsim stack_allocated_objects)" -gt 1000 ]] || fail "go: no stack objects"
[[ "$(column go structsim bytes_allocated)" -lt "$(( $(column all_heap structsim bytes_allocated) / 2 ))" ]] \
  || fail "go did not halve structsim's heap bytes"
[[ "$(column go structsim escape_mode)" == go ]] || fail "escape_mode column"
[[ "$(column all_heap binarytrees collections)" -gt 0 ]] || fail "gclab binarytrees 15 never collected"
[[ "$(column all_heap binarytrees peak_rss_bytes)" -gt 0 ]] || fail "no peak RSS"

# Go's runtime: its collections and two pauses per cycle, from gctrace.
gc=$(column go1.19 binarytrees collections)
[[ "$gc" -gt 0 ]] || fail "go1.19 binarytrees: no collections parsed"
[[ "$(column go1.19 binarytrees pauses)" -eq $((2 * gc)) ]] || fail "go1.19: pauses != 2 x cycles"
[[ "$(column go1.19 binarytrees collector)" == go ]] || fail "go1.19 collector column"
[[ "$(column go1.19 binarytrees peak_heap_bytes)" -gt 0 ]] || fail "go1.19: no peak heap"
awk "BEGIN { exit !($(column go1.19 binarytrees cpu_s) > 0) }" || fail "go1.19: no CPU time"

# Bad input: an unknown program is a row error naming the known ones, and an
# escape analysis asked of a C++ workload is a config error with its position.
bad="$TEST_TMPDIR/bad.textproto"
printf 'name: "b"\nconfigs { name: "g" go_runtime {} }\nworkloads { go_program { program: "nosuch" } }\nrepetitions: 1\nwarmups: 0\n' > "$bad"
set +e
"$runner" "$bad" --out_dir="$out/bad" > /dev/null 2>&1
status=$?
set -e
[[ "$status" -eq 3 ]] || fail "unknown program: exit $status, want 3"
grep -q 'known programs: binarytrees, gcbench' "$out/bad/results.csv" || fail "unknown program message: $(cat "$out/bad/results.csv")"
printf 'name: "c"\nconfigs {\n  name: "g"\n  allocator { bump {} }\n  collector { nogc {} }\n  escape_mode: "go"\n}\nworkloads { gcbench {} }\n' > "$bad"
set +e
"$runner" "$bad" --out_dir="$out/c" 2> "$out.c.stderr"
status=$?
set -e
[[ "$status" -eq 1 ]] || fail "C++ workload under escape_mode go: exit $status"
grep -q 'bad.textproto:2:1: .*escape_mode "go" needs Go-program workloads' "$out.c.stderr" \
  || fail "message: $(cat "$out.c.stderr")"
# A Go file by path: compiled at run time (and cached); one with a type error
# is a row error carrying the front end's file:line:col.
small="$(dirname "$config")/small.go"
typo="$(dirname "$config")/type_error.go"
printf 'name: "f"\nconfigs { name: "go" allocator { size_class {} } collector { marksweep {} } escape_mode: "go" }\nworkloads { label: "small" go_program { file: "%s" } }\nworkloads { label: "typo" go_program { file: "%s" } }\nrepetitions: 1\nwarmups: 0\n' \
  "$(realpath "$small")" "$(realpath "$typo")" > "$bad"
set +e
"$runner" "$bad" --out_dir="$out/f" > /dev/null 2> "$out.f.stderr"
status=$?
set -e
[[ "$status" -eq 3 ]] || { cat "$out.f.stderr" >&2; fail "file workloads: exit $status, want 3"; }
out_csv="$out/f/results.csv"
grep -q '^f,go,size_class,marksweep,go,small,0,ok,' "$out_csv" || fail "small.go: $(cat "$out_csv")"
awk -F, 'NR > 1 && $6 == "small" { exit !($24 > 0) }' "$out_csv" || fail "small.go: no stack objects"
grep -q 'typo,0,error,.*type_error.go:4:' "$out_csv" || fail "type error: $(grep typo "$out_csv")"
echo PASS
