#!/usr/bin/env python3
"""Golden tests of the code generator: the disassembly of small criteria files.

usage: golden_disasm.py [--update] REGEL DIR

For every NAME.regel in DIR, runs `REGEL disasm NAME.regel` with DIR as the working
directory (so the source lines in the listing are just NAME.regel:LINE) and requires exit
status 0, no standard error and a standard output byte-identical to NAME.expected. On a
mismatch it prints a unified diff. With --update it rewrites the .expected files instead
(only for files that compile): review every changed listing before committing it, it is
the code generator's output that the test pins down.

REGEL_WRAPPER, when set, is prepended to the command (e.g. a valgrind line).
"""
import difflib
import os
import subprocess
import sys


def run(regel, directory, name):
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    proc = subprocess.run(wrapper + [regel, "disasm", name], cwd=directory,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    return proc.returncode, proc.stdout, proc.stderr


def show(data):
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True)


def main(argv):
    args = argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    regel = os.path.abspath(args[0])
    directory = os.path.abspath(args[1])
    names = sorted(n for n in os.listdir(directory) if n.endswith(".regel"))
    if not names:
        print("%s: no .regel files" % directory)
        return 1
    failed = 0
    for name in names:
        base = name[: -len(".regel")]
        expected_path = os.path.join(directory, base + ".expected")
        rc, out, err = run(regel, directory, name)
        problems = []
        if rc != 0:
            problems.append("exit status %d, expected 0" % rc)
        if err:
            problems.append("unexpected standard error:\n" + err.decode("utf-8", "replace"))
        if update:
            if rc == 0 and not err:
                with open(expected_path, "wb") as f:
                    f.write(out)
        else:
            try:
                with open(expected_path, "rb") as f:
                    want = f.read()
            except FileNotFoundError:
                want = None
                problems.append("%s is missing (run with --update)" % (base + ".expected"))
            if want is not None and want != out:
                diff = difflib.unified_diff(show(want), show(out),
                                            fromfile=base + ".expected",
                                            tofile=name + " (actual disassembly)")
                problems.append("disassembly differs:\n" + "".join(diff))
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
    print("%d of %d golden disassembly tests passed" % (len(names) - failed, len(names)))
    failed += len(orphans)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
