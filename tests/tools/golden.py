#!/usr/bin/env python3
"""Golden tests of the compiler: its diagnostics, and the disassembly of what it generates.

usage: golden.py check|disasm [--update] REGEL DIR

For every NAME.regel in DIR, runs `REGEL check NAME.regel` (diagnostics) or
`REGEL disasm NAME.regel` (code generation) with DIR as the working directory, so that
the paths in the output are just NAME.regel. `check` must exit 1 with nothing on
standard output and a standard error byte-identical to NAME.expected (a snippet that
compiles is not a diagnostic test); `disasm` must exit 0 with nothing on standard error
and a standard output byte-identical to NAME.expected. On a mismatch it prints a unified
diff. With --update it rewrites the .expected files instead: review every change before
committing it, it is the compiler's output that the test pins down.

REGEL_WRAPPER, when set, is prepended to the command (e.g. a valgrind line).
"""
import difflib
import os
import subprocess
import sys

# command -> (exit status, the stream compared, the stream that must stay empty)
MODES = {"check": (1, "stderr", "stdout"), "disasm": (0, "stdout", "stderr")}


def run(regel, command, directory, name):
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    proc = subprocess.run(wrapper + [regel, command, name], cwd=directory,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    return proc.returncode, {"stdout": proc.stdout, "stderr": proc.stderr}


def show(data):
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True)


def main(argv):
    args = argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    if len(args) != 3 or args[0] not in MODES:
        sys.stderr.write(__doc__)
        return 2
    command = args[0]
    want_rc, compared, empty = MODES[command]
    regel = os.path.abspath(args[1])
    directory = os.path.abspath(args[2])
    names = sorted(n for n in os.listdir(directory) if n.endswith(".regel"))
    if not names:
        print("%s: no .regel files" % directory)
        return 1
    failed = 0
    for name in names:
        base = name[: -len(".regel")]
        expected_path = os.path.join(directory, base + ".expected")
        rc, streams = run(regel, command, directory, name)
        got = streams[compared]
        problems = []
        if rc != want_rc:
            problems.append("exit status %d, expected %d" % (rc, want_rc))
        if streams[empty]:
            problems.append("unexpected %s:\n%s" % (empty, streams[empty].decode("utf-8", "replace")))
        if update:
            if rc == want_rc and not streams[empty]:
                with open(expected_path, "wb") as f:
                    f.write(got)
        else:
            try:
                with open(expected_path, "rb") as f:
                    want = f.read()
            except FileNotFoundError:
                want = None
                problems.append("%s is missing (run with --update)" % (base + ".expected"))
            if want is not None and want != got:
                diff = difflib.unified_diff(show(want), show(got), fromfile=base + ".expected",
                                            tofile="%s (actual %s)" % (name, compared))
                problems.append("%s differs:\n%s" % (compared, "".join(diff)))
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("  " + p.rstrip("\n").replace("\n", "\n  "))
        else:
            print("ok   %s%s" % (name, " (updated)" if update else ""))
    orphans = sorted(n for n in os.listdir(directory)
                     if n.endswith(".expected") and n[: -len(".expected")] + ".regel" not in names)
    for o in orphans:
        print("FAIL %s has no .regel file" % o)
    print("%d of %d golden %s tests passed" % (len(names) - failed, len(names), command))
    failed += len(orphans)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
