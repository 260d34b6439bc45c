#!/usr/bin/env python3
"""The limits of `regel eval`, each on both sides of its boundary (docs/hardening.md).

usage: limits_cli.py REGEL RULES SPEC_PORTFOLIOS

  --max-line BYTES   a line of exactly BYTES is decided, one byte more is the error
                     "line longer than BYTES bytes", from a file and from standard
                     input, below and above the reader's 4 MiB buffer; below 1024 is
                     a usage error
  --budget N         the smallest budget that decides a portfolio, found by
                     bisection: with one instruction less, "file:line: instruction
                     budget exhausted in RULE"
  --memory-limit N   likewise the smallest memory limit: one byte less is
                     "PATH: portfolio too large for the memory limit" (reading) or
                     "file:line: memory limit of one decision reached in RULE"
"""
import json
import os
import re
import subprocess
import sys
import tempfile

failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def eval_lines(regel, rules, data, opts, stdin=False):
    """Decides @data (bytes) with `regel eval`; returns (exit status, output lines)."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as f:
        f.write(data)
        f.flush()
        args = [regel, "eval", "--rules", rules] + opts
        if stdin:
            with open(f.name, "rb") as inp:
                proc = subprocess.run(args, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        else:
            proc = subprocess.run(args + [f.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.decode("utf-8").split("\n")
    if out and out[-1] == "":
        out.pop()
    return proc.returncode, [json.loads(l) for l in out], proc.stderr.decode("utf-8", "replace")


def check_max_line(regel, rules, p):
    for limit in (1024, 5000000):  # below and above the 4 MiB read buffer
        lines = [p + b" " * (limit - len(p)), p + b" " * (limit + 1 - len(p)), p]
        data = b"\n".join(lines)  # the last line without its newline
        for stdin, jobs in ((False, 1), (True, 1), (False, 2), (True, 2)):
            how = "%d, from %s, %d job(s)" % (limit, "standard input" if stdin else "a file", jobs)
            rc, out, err = eval_lines(regel, rules, data,
                                      ["--max-line", str(limit), "--jobs", str(jobs)], stdin)
            if len(out) != 3:
                fail("--max-line %s: %d output lines for 3" % (how, len(out)))
                continue
            if "error" in out[0] or "error" in out[2]:
                fail("--max-line %s: a line within the limit was refused: %s" % (how, out))
            if out[1] != {"line": 2, "error": "line longer than %d bytes" % limit}:
                fail("--max-line %s: line 2 got %s" % (how, out[1]))
            if rc != 1:
                fail("--max-line %s: exit status %d" % (how, rc))
    rc, _, _ = eval_lines(regel, rules, p, ["--max-line", "1023"])
    if rc != 2:
        fail("--max-line 1023: exit status %d, expected 2 (usage)" % rc)


def smallest(ok, lo, hi):
    """The smallest n in (lo, hi] with ok(n), given ok(hi) and not ok(lo)."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def check_bound(regel, rules, p, option, default, error_re):
    """Bisects @option for line @p; the run just below must fail with @error_re."""
    seen = {}

    class Broken(Exception):
        pass

    def run(n):
        rc, out, err = eval_lines(regel, rules, p, [option, str(n)])
        if len(out) != 1:
            fail("%s %d: %d output lines for 1: %s" % (option, n, len(out), err.split("\n")[0]))
            raise Broken()
        seen[n] = out[0]
        return "error" not in out[0]

    try:
        if not run(default):
            fail("%s %d (the default) does not decide: %s" % (option, default, seen[default]))
            return
        need = smallest(run, 0, default)
        if need not in seen:
            run(need)
        if need - 1 not in seen:
            run(need - 1)
    except Broken:
        return
    below = seen[need - 1]
    if "error" not in below or not re.search(error_re, below["error"]):
        fail("%s %d (one below the least that decides): %s" % (option, need - 1, below))
    if "error" in seen[need]:
        fail("%s %d: %s" % (option, need, seen[need]))
    print("%s: %d decides the portfolio, %d gives %r" % (option, need, need - 1, below.get("error")))


def main(argv):
    regel, rules, portfolios = argv[1:4]
    with open(portfolios, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l]
    check_max_line(regel, rules, lines[0])
    # several bevoegdheden and a voorportaal: the largest of the examples
    p = lines[10]
    check_bound(regel, rules, p, "--budget", 50000000,
                r"^.+\.regel:\d+: instruction budget exhausted in .+$")
    check_bound(regel, rules, p, "--memory-limit", 256 << 20,
                r"(^[\w\[\]\.]+: portfolio too large for the memory limit$)|"
                r"(^.+\.regel:\d+: memory limit of one decision reached in .+$)")
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
