#!/usr/bin/env python3
"""Condition coverage of `regel eval --coverage` and `regel test --coverage`.

usage: coverage_test.py REGEL DATADIR

DATADIR holds t.regel (two rules with conditions, one rule never used) and
tests/t.regeltest. The expected outcomes below are derived by hand from those files
and the portfolios written here; the report must name each condition's line:col
with T when some portfolio made it true and F when some made it false.
"""
import os
import subprocess
import sys
import tempfile

failures = 0


def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "\n" + detail))
    if not cond:
        failures += 1


def main():
    regel, data = sys.argv[1], sys.argv[2]
    rules = os.path.join(data, "t.regel")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.jsonl")
        # n > 0 is true for every good line; no line has n = 12345; ns has small and big
        with open(corpus, "w") as f:
            for i in range(3000):  # > 64 KiB: --jobs 2 splits the batch
                f.write('{"id": "p%d", "as_of": "2024-01-01", "n": %d, "ns": [1, 20, %d]}\n'
                        % (i, i + 1, i))
            f.write('{"id": "bad", "as_of": "2024-01-01", "n": "x"}\n')
        reports = []
        for jobs in ("1", "2"):
            out = os.path.join(tmp, "cov%s.txt" % jobs)
            r = subprocess.run([regel, "eval", "--rules", rules, "--jobs", jobs, "--coverage", out,
                                corpus], capture_output=True, text=True)
            check("eval --jobs %s exits 1 (one data error)" % jobs, r.returncode == 1, r.stderr)
            check("eval --jobs %s prints one line per input" % jobs,
                  len(r.stdout.splitlines()) == 3001)
            reports.append(open(out).read())
        rep = reports[0]
        check("jobs 1 and 2 give the same report", reports[0] == reports[1],
              reports[0] + "\n---\n" + reports[1])
        check("portfolios counted", rep.startswith("portfolios: 3001 (1 with a data error)\n"), rep)
        check("groot: both outcomes", "[TF] 11:36 v > 10" in rep, rep)
        check("nooit: never true", "[-F] 14:25 n = 12345" in rep, rep)
        check("n > 0: never false", "[T-] 22:17 n > 0" in rep, rep)
        check("nooit as a condition of the output: never true", "[-F] 22:26 nooit" in rep, rep)
        check("a rule never used has no outcomes", "t.regel:17 regel ongebruikt: no conditions" in rep, rep)
        check("total", rep.rstrip().endswith("condition coverage: 70.0% (7 of 10 outcomes)"), rep)

        r = subprocess.run([regel, "eval", "--rules", rules, "--coverage", "-", "--explain", corpus],
                           capture_output=True, text=True)
        check("--coverage with --explain is a usage error", r.returncode == 2, r.stderr)

        r = subprocess.run([regel, "test", "--coverage", data], capture_output=True, text=True)
        check("regel test passes", r.returncode == 0 and "1 passed, 0 failed" in r.stdout, r.stdout)
        # the one test case: n = 1 (> 0 true, = 12345 false), ns [1, 20] (groot true and false)
        check("test coverage", "condition coverage: 70.0% (7 of 10 outcomes)" in r.stdout, r.stdout)
        r = subprocess.run([regel, "test", "--min-coverage", "80", data], capture_output=True,
                           text=True)
        check("--min-coverage 80 fails", r.returncode == 1 and "below the required 80.0%" in r.stdout,
              r.stdout)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
