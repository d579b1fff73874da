#!/bin/sh
# Regenerates escape/stdlib_generated.cc (gclab's summaries of standard
# packages) from the installed go (go 1.19): the exported API from the
# package sources, the parameter escape tags from the compiler's -m=2
# diagnostics when it builds each package. Runs offline; takes ~1 minute.
# Usage: escape/tools/stdsummaries/regen.sh
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/cache" GOPATH="$work/gopath" GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local
go version
go run main.go -o ../../stdlib_generated.cc \
  bytes errors fmt hash/maphash io io/fs math math/bits math/rand os reflect runtime \
  sort strconv strings sync sync/atomic time unicode unicode/utf8
