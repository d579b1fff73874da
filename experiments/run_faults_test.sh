#!/bin/bash
# The runner's fault handling, end to end (docs/EXPERIMENTS.md, "When runs
# fail or the experiment is interrupted"):
#   1. a run that exhausts the heap limit is recorded (oom) and the next run
#      starts -- in-process and with --fresh_process;
#   2. with --fresh_process, a run whose process crashes is recorded
#      (crashed, with the child's last words) and the next run starts;
#   3. SIGKILL at any moment leaves results.json and results.csv valid, with
#      the runs that finished (complete: false);
#   4. SIGINT: no further run starts, every output is written for what ran,
#      exit status 130.
# The verdicts of 3 and 4 do not depend on when the signal lands: whatever
# ran must be in both files, consistently.
set -euo pipefail
runner="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$tmp/faults.textproto" <<'CONFIG'
name: "faults"
configs {
  name: "ok"
  allocator { size_class {} }
  collector { marksweep {} }
}
configs {
  name: "tiny"
  allocator { size_class {} }
  collector { nogc {} }
  heap { heap_limit_bytes: 1048576 }
}
workloads { binary_trees { max_depth: 12 } }
repetitions: 2
warmups: 0
CONFIG

# Checks results.json against results.csv: both parse and hold the same runs
# in the same order (results.json is written first: a SIGKILL between the two
# writes leaves the CSV one run behind); prints "<complete> <runs> <statuses>".
summary() {
  python3 - "$1" <<'PY'
import csv, json, sys
d = sys.argv[1]
results = json.load(open(d + "/results.json"))
rows = list(csv.DictReader(open(d + "/results.csv")))
runs = results.get("runs", [])
assert len(rows) in (len(runs), len(runs) - 1), (len(runs), len(rows))
for r, row in zip(runs, rows):
    assert (r["config"], r["status"]) == (row["config"], row["status"]), (r, row)
assert results["runs_planned"] >= len(runs)
assert results["complete"] == (len(runs) == results["runs_planned"])
print(str(results["complete"]).lower(), len(runs), " ".join(r["status"] for r in runs))
PY
}

# 1 and 2: fresh processes, run 1 crashes, the tiny heap's runs exhaust it.
set +e
"$runner" "$tmp/faults.textproto" --out_dir="$tmp/fresh" --fresh_process \
  --crash_run_for_testing=1 > /dev/null 2> "$tmp/fresh.err"
status=$?
set -e
[[ $status -eq 3 ]] || { cat "$tmp/fresh.err" >&2; fail "fresh: exit status $status, want 3"; }
[[ "$(summary "$tmp/fresh")" == "true 4 ok crashed oom oom" ]] \
  || fail "fresh: $(summary "$tmp/fresh")"
grep -q '"message": "child process failed (signal 6 (Aborted)): gclab run: run 1 crashes on purpose' \
  "$tmp/fresh/results.json" || fail "the crashed run's message"
[[ -s "$tmp/fresh/report.md" ]] || fail "fresh: no report.md"

# 1 in-process.
set +e
"$runner" "$tmp/faults.textproto" --out_dir="$tmp/inproc" > /dev/null 2> "$tmp/inproc.err"
status=$?
set -e
[[ $status -eq 3 ]] || { cat "$tmp/inproc.err" >&2; fail "in-process: exit status $status, want 3"; }
[[ "$(summary "$tmp/inproc")" == "true 4 ok ok oom oom" ]] || fail "in-process: $(summary "$tmp/inproc")"

# 3 and 4: a long experiment, interrupted once its first runs are written.
sed -e 's/repetitions: 2/repetitions: 2000/' -e 's/max_depth: 12/max_depth: 6/' \
  "$tmp/faults.textproto" > "$tmp/long.textproto"
interrupt() {  # signal out_dir
  local signal=$1 out=$2
  "$runner" "$tmp/long.textproto" --out_dir="$out" > /dev/null 2> "$out.err" &
  local pid=$!
  # Until two runs are in the CSV (header + 2 lines), or the runner is done.
  while kill -0 "$pid" 2> /dev/null && [[ $(cat "$out/results.csv" 2> /dev/null | wc -l) -lt 3 ]]; do
    sleep 0.05
  done
  kill "-$signal" "$pid" 2> /dev/null || true
  set +e
  wait "$pid"
  last_status=$?
  set -e
}

interrupt KILL "$tmp/killed"
read -r complete runs _ <<< "$(summary "$tmp/killed")"
[[ $runs -ge 2 ]] || fail "SIGKILL: $runs runs in the files"
[[ $complete == false || $last_status -eq 3 ]] || fail "SIGKILL: complete=$complete, status $last_status"

interrupt INT "$tmp/interrupted"
read -r complete runs _ <<< "$(summary "$tmp/interrupted")"
if [[ $last_status -eq 130 ]]; then
  [[ $complete == false ]] || fail "SIGINT: exit 130 but complete"
  grep -q "interrupted: $runs of 4000 runs ran" "$tmp/interrupted.err" \
    || fail "SIGINT: $(tail -3 "$tmp/interrupted.err")"
  [[ -s "$tmp/interrupted/report.md" ]] || fail "SIGINT: no report.md"
else
  # The signal came after the last run started: it ran to the end.
  [[ $last_status -eq 3 && $complete == true ]] || fail "SIGINT: status $last_status"
fi
echo PASS
