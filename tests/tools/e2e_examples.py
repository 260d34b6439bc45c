#!/usr/bin/env python3
"""Decides a portfolio file with `regel eval` and compares with expected decisions.

usage: e2e_examples.py REGEL RULES PORTFOLIOS EXPECTED [EXTRA_ARGS...]
Passes when every line matches (see compare_decisions.py) and the exit status
is 1 exactly when some expected line is an error line (else 0).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_decisions  # noqa: E402


def main(argv):
    regel, rules, portfolios, expected = argv[1:5]
    extra = argv[5:]
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    proc = subprocess.run(wrapper + [regel, "eval", "--rules", rules] + extra + [portfolios],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    actual_path = os.path.join(os.environ.get("MESON_BUILD_ROOT", "/tmp"),
                               "e2e-%d.jsonl" % os.getpid())
    with open(actual_path, "wb") as f:
        f.write(proc.stdout)
    with open(expected, encoding="utf-8") as f:
        want_error = any("error" in json.loads(l) for l in f if l.strip())
    rc = compare_decisions.main(["", expected, actual_path])
    os.unlink(actual_path)
    want_status = 1 if want_error else 0
    if proc.returncode != want_status:
        print("exit status %d, expected %d" % (proc.returncode, want_status))
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
