#!/bin/sh
# Wrapper behind gc_experiment targets: run_experiment.sh RUNNER CONFIG [FLAGS...]
# Under `bazel test` the results go to the test's undeclared outputs
# directory (kept by Bazel in bazel-testlogs/.../test.outputs/).
set -eu
runner="$1"
config="$2"
shift 2
if [ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]; then
  exec "$runner" "$config" --out_dir="$TEST_UNDECLARED_OUTPUTS_DIR" "$@"
fi
exec "$runner" "$config" "$@"
