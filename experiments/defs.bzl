"""gc_experiment: a config in experiments/configs/ as Bazel targets.

    gc_experiment(name = "compare_barriers", config = "configs/compare_barriers.textproto")

creates
  :compare_barriers         sh_binary. `bazel run --config=opt //experiments:compare_barriers
                            [-- --out_dir=DIR --fresh_process ...]` runs the full experiment
                            (results default to gclab-results/<experiment name>/ under the
                            directory `bazel run` was called from).
  :compare_barriers_smoke   sh_test. The same config with --smoke (workload sizes shrunk,
                            1 repetition, no warm-up); fails unless every run is ok. Part of
                            `bazel test //...`.
  :compare_barriers_remote  sh_test, tagged manual: the full experiment as a test action, so
                            it can run on a remote executor (`bazel test --config=remote
                            //experiments:compare_barriers_remote`); results land in
                            bazel-testlogs/experiments/compare_barriers_remote/test.outputs/.
                            Tagged external: never served from the cache.
"""

def gc_experiment(name, config, smoke_size = "medium", tags = []):
    runner = "//experiments:run"
    script = "//experiments:run_experiment.sh"
    args = ["$(location %s)" % runner, "$(location %s)" % config]
    data = [runner, config]
    native.sh_binary(
        name = name,
        srcs = [script],
        data = data,
        args = args,
        tags = tags,
    )
    native.sh_test(
        name = name + "_smoke",
        srcs = [script],
        data = data,
        args = args + ["--smoke"],
        size = smoke_size,
        tags = tags + ["experiment_smoke"],
    )
    native.sh_test(
        name = name + "_remote",
        srcs = [script],
        data = data,
        args = args,
        size = "enormous",
        tags = tags + ["manual", "external", "experiment_full"],
    )
