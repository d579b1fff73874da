#!/bin/sh
# Differential campaign: N random programs (default 10000), gclab's "go"
# analysis vs go 1.19 (`go tool compile -m -l`); prints the per-site
# agreement in %, and minimized disagreements (at most 3).
# Usage: escape/tools/campaign.sh [N] [SEED]
# Env: GO (default /usr/bin/go), BAZEL_STARTUP (e.g. --output_base=/tmp/ob).
set -eu
N=${1:-10000}
SEED=${2:-1}
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} run -c opt --experimental_convenience_symlinks=ignore //escape:diff_campaign -- \
  --programs="$N" --seed="$SEED" --batch=200 --funcs=4 --minimize=3 \
  --go="${GO:-/usr/bin/go}" --workdir="$WORK"
