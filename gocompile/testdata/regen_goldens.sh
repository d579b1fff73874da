#!/usr/bin/env bash
# Regenerates the goldens of gocompile's output-equality tests by running
# each case's Go program with Go's own toolchain (go build, then the binary,
# so that exit statuses are the program's, not `go run`'s):
#   gocompile/testdata/golden/CASE.{out,exit}  from gocompile/testdata/cases.txt
#   workloads/go/golden/CASE.{out,exit}        from workloads/go/cases.txt
# CASE.out is the program's stdout; CASE.exit holds "status N", then
# "stderr LINE" (the first line of stderr) and "fatal LINE" (Go's
# "fatal error:" line when it is not the first) when stderr is not empty.
# Cases marked `nogo` keep their hand-written goldens.
# Usage: gocompile/testdata/regen_goldens.sh   (from anywhere in the repo)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export GO111MODULE=off GOCACHE="$scratch/gocache" GOFLAGS= GOPROXY=off GOTOOLCHAIN=local
for manifest in gocompile/testdata/cases.txt workloads/go/cases.txt; do
  dir="$(dirname "$manifest")"
  mkdir -p "$dir/golden"
  while read -r name program rest; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    args=()
    skip=0
    for tok in $rest; do
      case "$tok" in
        nogo) skip=1 ;;
        stderr_digits | gclab:*) ;;
        *) args+=("$tok") ;;
      esac
    done
    if [[ $skip == 1 ]]; then
      echo "keep  $dir/golden/$name (hand-written)"
      continue
    fi
    bin="$scratch/$program"
    [[ -x "$bin" ]] || go build -o "$bin" "$dir/$program.go"
    status=0
    "$bin" ${args[@]+"${args[@]}"} >"$dir/golden/$name.out" 2>"$scratch/stderr" || status=$?
    {
      echo "status $status"
      if [[ -s "$scratch/stderr" ]]; then
        echo "stderr $(head -n 1 "$scratch/stderr")"
        fatal="$(grep -m 1 '^fatal error:' "$scratch/stderr" || true)"
        if [[ -n "$fatal" && "$fatal" != "$(head -n 1 "$scratch/stderr")" ]]; then
          echo "fatal $fatal"
        fi
      fi
    } >"$dir/golden/$name.exit"
    echo "wrote $dir/golden/$name.{out,exit} (status $status)"
  done <"$manifest"
done
