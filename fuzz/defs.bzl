"""gclab_fuzz_target: one fuzz target, two ways to run it.

  <name>         cc_binary for libFuzzer, built with clang by tools/fuzz
                 (`bazel build --config=fuzz`); tagged manual, since without
                 the fuzz config it has no main().
  <name>_replay  cc_test for every `bazel test` (gcc, no fuzzing engine):
                 fuzz/replay_main.cc runs the corpus and `generate` inputs
                 derived from it by a seeded mutator (deterministic).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def gclab_fuzz_target(name, srcs, deps, corpus, generate = 1000, max_len = 4096, size = "medium"):
    """Declares the libFuzzer binary and the replay test of one target.

    Args:
      name: the target's name (the libFuzzer binary).
      srcs: sources defining LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize).
      deps: their dependencies.
      corpus: directories of seed inputs, relative to this package.
      generate: inputs the replay test derives from the corpus.
      max_len: the longest input the replay test makes.
      size: the replay test's size.
    """
    cc_binary(
        name = name,
        testonly = True,
        srcs = srcs,
        deps = deps,
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        tags = ["manual", "fuzzer"],
    )
    cc_test(
        name = name + "_replay",
        size = size,
        srcs = srcs,
        deps = deps + ["//fuzz:replay_main"],
        data = native.glob([d + "/**" for d in corpus]),
        args = ["--generate=%d" % generate, "--max_len=%d" % max_len] +
               [native.package_name() + "/" + d for d in corpus],
        tags = ["fuzz"],
    )
