#!/bin/bash
# Long fuzzing campaign of the Go front end and analyses (gcflags_m pipeline).
#
#   escape/tools/fuzz.sh SECONDS [JOBS]
#
# Builds escape/gcflags_m_fuzzer.cc and the sources of //escape:fuzz_entry
# with clang 14 (-fsanitize=fuzzer,address,undefined) outside Bazel, then runs
# libFuzzer for SECONDS on a working copy of the seed corpus
# (escape/fuzz/corpus) with the Go token dictionary escape/fuzz/go.dict.
# Needs: clang-14, libclang-rt-14-dev, libabsl-dev (pkg-config files) and
# bazel (to list the sources). Work files go to $FUZZ_DIR
# (default /tmp/gclab_escape_fuzz): obj/, corpus/ (grows), crashes/ (inputs
# that broke an invariant; replay one with `$FUZZ_DIR/gcflags_m_fuzzer FILE`,
# and add it to escape/fuzz/corpus once fixed). Exit status: libFuzzer's
# (0 when no crash was found).
set -euo pipefail

secs=${1:?usage: escape/tools/fuzz.sh SECONDS [JOBS]}
jobs=${2:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=${FUZZ_DIR:-/tmp/gclab_escape_fuzz}
mkdir -p "$dir/obj" "$dir/corpus" "$dir/crashes"

CXX=${CXX:-clang++-14}
absl_libs="absl_status absl_statusor absl_strings absl_str_format absl_raw_hash_set absl_hash
  absl_int128 absl_time absl_synchronization"
cxxflags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
  -I"$root" $(pkg-config --cflags $absl_libs))

# Sources: what //escape:fuzz_entry depends on, in escape/ and util/.
mapfile -t srcs < <(bazel query 'kind("source file", deps(//escape:fuzz_entry))' \
  --output=label 2>/dev/null | grep -E '^//(escape|util):.*\.cc$' | sed 's|^//||; s|:|/|')
srcs+=(escape/gcflags_m_fuzzer.cc)

# Rebuild an object when its source or any header of escape/ or util/ is newer.
newest_header=$(find escape util -name '*.h' -printf '%T@\n' | sort -n | tail -1)
compile() {
  local src=$1 obj=$dir/obj/$(echo "$1" | tr / _).o
  if [[ -f $obj ]]; then
    local t_obj t_src
    t_obj=$(stat -c %Y "$obj")
    t_src=$(stat -c %Y "$src")
    if ((t_obj >= t_src && t_obj >= ${newest_header%.*})); then return 0; fi
  fi
  echo "compile $src" >&2
  "$CXX" "${cxxflags[@]}" -c "$src" -o "$obj"
}
export -f compile
export dir CXX newest_header
export cxxflags_str="${cxxflags[*]}"
# Two at a time at most: the machine is shared.
for src in "${srcs[@]}"; do echo "$src"; done |
  xargs -P 2 -I{} bash -c 'cxxflags=($cxxflags_str); compile "$1"' _ {}
objs=()
for src in "${srcs[@]}"; do objs+=("$dir/obj/$(echo "$src" | tr / _).o"); done
"$CXX" -fsanitize=fuzzer,address,undefined "${objs[@]}" -o "$dir/gcflags_m_fuzzer" \
  $(pkg-config --libs $absl_libs) -lpthread

echo "fuzzing for $secs s (corpus $dir/corpus, crashes in $dir/crashes)" >&2
# UBSan reports abort (-fno-sanitize-recover is not the default).
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
parallel=()
# JOBS > 1: that many worker processes, each logging to fuzz-N.log.
if ((jobs > 1)); then parallel=(-jobs="$jobs" -workers="$jobs"); fi
"$dir/gcflags_m_fuzzer" -max_total_time="$secs" -timeout=60 -rss_limit_mb=4096 \
  -max_len=65536 -dict=escape/fuzz/go.dict -print_final_stats=1 "${parallel[@]}" \
  -artifact_prefix="$dir/crashes/" "$dir/corpus" escape/fuzz/corpus
