#!/bin/sh
# Regenerates escape/testdata/*.go.expected from the oracle, go 1.19:
#   go tool compile -m -l FILE.go   (same diagnostics as go build -gcflags='-m -l')
# Usage: escape/tools/regen_expected.sh [file.go ...]   (default: all)
set -eu
GO=${GO:-/usr/bin/go}
cd "$(dirname "$0")/../testdata"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GOCACHE="$tmp/cache" GO111MODULE=off GOTOOLCHAIN=local
"$GO" version
if [ $# -eq 0 ]; then set -- *.go; fi
for f in "$@"; do
  f=$(basename "$f")
  if ! "$GO" tool compile -m -l -o "$tmp/out.o" "$f" > "$f.expected" 2>&1; then
    echo "go rejected $f:" >&2
    cat "$f.expected" >&2
    rm -f "$f.expected"
    exit 1
  fi
  echo "wrote testdata/$f.expected ($(wc -l < "$f.expected") lines)"
done
