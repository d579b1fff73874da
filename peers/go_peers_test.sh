#!/bin/bash
# Go peers: build with /usr/bin/go (offline, GO111MODULE=off), run small
# sizes, validation passes and --corrupt_for_testing fails. A missing Go
# toolchain is a failure: CI installs golang-go (tools/setup).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
GO=/usr/bin/go
[[ -x $GO ]] || fail "$GO not found: install golang-go (tools/setup)"
T="${TEST_TMPDIR:-$(mktemp -d)}"
for prog in gcbench binarytrees; do
  env -i PATH=/usr/bin:/bin HOME="$T" GOPATH="$T/go" GOCACHE="$T/gocache" \
    GO111MODULE=off CGO_ENABLED=0 \
    $GO build -o "$T/$prog" "peers/go/$prog.go" peers/go/peerstats.go ||
    fail "go build $prog"
done
# Large enough to pass Go's 4 MiB minimum heap target several times.
SIZES=(--gcbench_stretch_depth=15 --gcbench_long_lived_depth=12
       --gcbench_array_size=50000 --gcbench_min_depth=4 --gcbench_max_depth=12
       --binary_trees_max_depth=14)
for prog in gcbench binarytrees; do
  out=$("$T/$prog" "${SIZES[@]}") || fail "$prog exited $?"
  line=$(grep '^PEER_RESULT peer=go ' <<<"$out") || fail "$prog: no PEER_RESULT"
  grep -q ' ok=1$' <<<"$line" || fail "$prog: $line"
  n=$(sed -E 's/.* collections=([0-9]+) .*/\1/' <<<"$line")
  (( n > 0 )) || fail "$prog: no GC cycles at this size: $line"
  grep -q ' pause_list_ms=[0-9]' <<<"$line" || fail "$prog: no pauses: $line"
  "$T/$prog" "${SIZES[@]}" --corrupt_for_testing >/dev/null 2>"$T/err"
  rc=$?
  [[ $rc == 3 ]] || fail "$prog corrupted: exit $rc, want 3"
  grep -q 'VALIDATION FAILED' "$T/err" || fail "$prog: no validation message"
done
grep -q $'^1024\t trees of depth 4\t check: 31744$' <<<"$("$T/binarytrees" --binary_trees_max_depth=10)" ||
  fail "binarytrees: reference line for n=10 missing"
echo PASS
