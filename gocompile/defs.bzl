"""go_program: a Go file compiled onto gclab's heap (docs/GOCOMPILE.md).

    load("//gocompile:defs.bzl", "go_program")
    go_program(name = "binarytrees", src = "binarytrees.go")

builds :binarytrees, a binary taking gclab's flags (--allocator, --collector,
--escape, --gctrace, --stats_json, ...) followed by the program's own
arguments. gocompile translates the file to C++ (:<name>_cpp, a genrule);
the C++ is compiled against //goruntime like any other target.
"""

# Go's integer arithmetic wraps and its memory is reinterpreted freely.
GO_COPTS = [
    "-fwrapv",
    "-fno-strict-aliasing",
    "-Wno-unused-variable",
    "-Wno-unused-label",
    "-Wno-unused-but-set-variable",
    "-Wno-maybe-uninitialized",
    "-Wno-infinite-recursion",
]

def go_program(name, src, plant_stack_site = None, copts = [], **kwargs):
    """A Go program compiled by gocompile.

    Args:
      name: the binary's name.
      src: the Go source file (package main).
      plant_stack_site: test only; "LINE:COL[,LINE:COL...]": allocation sites forced
        onto the stack under --escape=go (planted unsound decisions).
      copts: extra C++ options.
      **kwargs: passed to cc_binary (visibility, tags, testonly).
    """
    flags = ""
    if plant_stack_site:
        flags = "--plant_stack_site=" + plant_stack_site
    native.genrule(
        name = name + "_cpp",
        srcs = [src],
        outs = [name + ".gen.cc"],
        cmd = "$(location //gocompile:gocompile) %s -o $@ $<" % flags,
        tools = ["//gocompile:gocompile"],
        testonly = kwargs.get("testonly", False),
    )
    native.cc_binary(
        name = name,
        srcs = [name + ".gen.cc"],
        copts = GO_COPTS + copts,
        deps = ["//goruntime"],
        **kwargs
    )
