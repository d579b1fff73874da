#!/bin/sh
# Agreement with go 1.19 on Go code written by others: every file of go's
# own test directory (Debian golang-1.19-src) that go compiles on its own
# with `go tool compile -p p -m -l` is run through gcflags_m, and the two
# outputs are compared line by line (as multisets of "file:line:col: msg").
# Go's "index bounds check elided" lines (bounds-check elimination, also
# printed by -m) are left out. Files go rejects (errorcheck tests of invalid
# code, files that need other packages or compiler flags) are skipped.
# Prints, per disagreeing file, the lines only go / only gclab printed, then
#   files=N skipped=S identical=I unsupported=U gclab_errors=E
#   go_lines=G matched=M gclab_extra=X
#   supported: files=F identical=FI go_lines=FG matched=FM gclab_extra=FX
# identical: the same lines as go; unsupported: gcflags_m exit 3 (some
# function uses a package or construct gclab does not model, and is
# analysed conservatively); gclab_errors: gcflags_m rejected a file go
# accepts (exit 2) or failed. "supported" counts only the files gcflags_m
# analysed fully (exit 0).
# Usage: escape/tools/go_tests_agreement.sh [DIR]
#   (default /usr/share/go-1.19/test; e.g. also .../test/fixedbugs)
# Env: GO (default /usr/bin/go), GCFLAGS_M (default: built with bazel).
set -eu
DIR=${1:-/usr/share/go-1.19/test}
GO=${GO:-/usr/bin/go}
cd "$(dirname "$0")/../.."
if [ -z "${GCFLAGS_M:-}" ]; then
  bazel build -c opt --experimental_convenience_symlinks=ignore //escape:gcflags_m >&2
  GCFLAGS_M="$(bazel info -c opt bazel-bin)/escape/gcflags_m"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GOCACHE="$WORK/cache" GO111MODULE=off GOTOOLCHAIN=local
files=0 skipped=0 identical=0 unsupported=0 errors=0 go_lines=0 matched=0 extra=0
sfiles=0 sidentical=0 sgo_lines=0 smatched=0 sextra=0
cd "$DIR"
for f in *.go; do
  if ! timeout 60 "$GO" tool compile -p p -m -l -o "$WORK/a.o" "$f" >"$WORK/go.out" 2>&1; then
    skipped=$((skipped + 1))
    continue
  fi
  files=$((files + 1))
  rc=0
  timeout 60 "$GCFLAGS_M" "$f" >"$WORK/gclab.out" 2>"$WORK/gclab.err" || rc=$?
  # Exit 3 (an unsupported construct) still prints the analysed functions.
  if [ "$rc" -eq 3 ]; then
    unsupported=$((unsupported + 1))
  elif [ "$rc" -ne 0 ]; then
    errors=$((errors + 1))
    echo "== $f: gcflags_m exit $rc"
    head -3 "$WORK/gclab.err"
  fi
  # -m also reports bounds-check elimination, which is not escape analysis.
  grep -v 'bounds check elided$' "$WORK/go.out" | sort >"$WORK/go.sorted" || true
  sort "$WORK/gclab.out" >"$WORK/gclab.sorted"
  g=$(wc -l <"$WORK/go.sorted")
  m=$(comm -12 "$WORK/go.sorted" "$WORK/gclab.sorted" | wc -l)
  x=$(comm -13 "$WORK/go.sorted" "$WORK/gclab.sorted" | wc -l)
  go_lines=$((go_lines + g))
  matched=$((matched + m))
  extra=$((extra + x))
  same=0
  if [ "$m" -eq "$g" ] && [ "$x" -eq 0 ]; then same=1; fi
  identical=$((identical + same))
  if [ "$rc" -eq 0 ]; then
    sfiles=$((sfiles + 1))
    sidentical=$((sidentical + same))
    sgo_lines=$((sgo_lines + g))
    smatched=$((smatched + m))
    sextra=$((sextra + x))
  fi
  if [ "$same" -eq 0 ]; then
    echo "== $f: $m/$g of go's lines, $x extra"
    comm -23 "$WORK/go.sorted" "$WORK/gclab.sorted" | head -5 | sed 's/^/  go only:    /'
    comm -13 "$WORK/go.sorted" "$WORK/gclab.sorted" | head -5 | sed 's/^/  gclab only: /'
  fi
done
echo "files=$files skipped=$skipped identical=$identical unsupported=$unsupported" \
  "gclab_errors=$errors" \
  "go_lines=$go_lines matched=$matched gclab_extra=$extra"
echo "supported: files=$sfiles identical=$sidentical go_lines=$sgo_lines matched=$smatched" \
  "gclab_extra=$sextra"
