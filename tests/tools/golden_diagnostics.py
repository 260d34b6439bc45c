#!/usr/bin/env python3
"""Golden tests of the compiler's diagnostics.

usage: golden_diagnostics.py [--update] REGEL DIR

For every NAME.regel in DIR, runs `REGEL check NAME.regel` with DIR as the working
directory (so the paths in the diagnostics are just NAME.regel) and requires exit
status 1 and a standard error byte-identical to NAME.expected. On a mismatch it
prints a unified diff. With --update it rewrites the .expected files instead (the
exit status must still be 1: a snippet that compiles is not a diagnostic test).

REGEL_WRAPPER, when set, is prepended to the command (e.g. a valgrind line).
"""
import difflib
import os
import subprocess
import sys


def run(regel, directory, name):
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    proc = subprocess.run(wrapper + [regel, "check", name], cwd=directory,
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
        if rc != 1:
            problems.append("exit status %d, expected 1" % rc)
        if out:
            problems.append("unexpected standard output:\n" + out.decode("utf-8", "replace"))
        if update:
            if rc == 1:
                with open(expected_path, "wb") as f:
                    f.write(err)
        else:
            try:
                with open(expected_path, "rb") as f:
                    want = f.read()
            except FileNotFoundError:
                want = None
                problems.append("%s is missing (run with --update)" % (base + ".expected"))
            if want is not None and want != err:
                diff = difflib.unified_diff(show(want), show(err),
                                            fromfile=base + ".expected",
                                            tofile=name + " (actual stderr)")
                problems.append("stderr differs:\n" + "".join(diff))
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
    print("%d of %d golden diagnostic tests passed" % (len(names) - failed, len(names)))
    failed += len(orphans)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
