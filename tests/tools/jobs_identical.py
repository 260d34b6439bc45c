#!/usr/bin/env python3
"""`regel eval --jobs N` writes the same bytes and exit status for every N.

usage: jobs_identical.py REGEL RULES [COUNT]
Generates COUNT (default 3000) portfolios with gen_portfolios.py, decides them
with --jobs 1, 2 and 4, from a file (mapped) and from standard input, and traced
(--coverage: the functions explanations name, not the bodies untraced runs use),
and compares the outputs byte for byte. Also checks that a host writing one line to
the pipe and waiting gets its decision, with one job and with two.
"""
import os
import select
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_portfolios  # noqa: E402


def answers_each_line(args, lines, timeout=60):
    """Writes the lines one at a time to the command's standard input, each time waiting
    (up to @timeout seconds) for one line of output."""
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    ok = True
    for line in lines:
        proc.stdin.write(line + b"\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            ok = False
            break
        proc.stdout.readline()
    proc.stdin.close()
    proc.kill() if not ok else proc.wait()
    return ok


def main(argv):
    regel, rules = argv[1], argv[2]
    count = int(argv[3]) if len(argv) > 3 else 3000
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "portfolios.jsonl")
        gen_portfolios.main(["", str(count), "7", path])
        with open(path, "rb") as f:
            data = f.read()
        runs = {}
        for jobs in (1, 2, 4):
            for source in ("file", "stdin"):
                args = [regel, "eval", "--rules", rules, "--jobs", str(jobs)]
                if source == "file":
                    proc = subprocess.run(args + [path], stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE)
                else:
                    proc = subprocess.run(args, input=data, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE)
                runs[(jobs, source)] = (proc.returncode, proc.stdout, proc.stderr)
        # Traced runs (here: --coverage) use the functions explanations name; untraced runs
        # their bodies with those rules inlined (plain_of): the same decisions either way.
        cov = os.path.join(tmp, "coverage.txt")
        proc = subprocess.run([regel, "eval", "--rules", rules, "--coverage", cov, path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        runs[(1, "file, traced")] = (proc.returncode, proc.stdout, proc.stderr)
        # A host writing one line and waiting for its decision gets it, whatever the jobs.
        first = data.split(b"\n")[:3]
        bad_pipe = []
        for jobs in (1, 2):
            if not answers_each_line([regel, "eval", "--rules", rules, "--jobs", str(jobs)], first):
                print("--jobs %d: a line written to a pipe got no decision while the pipe stayed open"
                      % jobs)
                bad_pipe.append(jobs)
        rc, ref, _ = runs[(1, "file")]
        lines = ref.count(b"\n")
        errors = ref.count(b'"error":')
        bad = 0
        if lines != count:
            print("--jobs 1: %d output lines for %d portfolios" % (lines, count))
            bad += 1
        if rc != 1 or errors == 0 or errors > count // 10:
            print("--jobs 1: exit %d with %d error lines (expected 1, a few)" % (rc, errors))
            bad += 1
        for key, (r, out, err) in sorted(runs.items()):
            if r != rc or out != ref:
                at = next((i for i, (a, b) in enumerate(zip(out, ref)) if a != b),
                          min(len(out), len(ref)))
                print("--jobs %d (%s): exit %d, %d bytes, differs from --jobs 1 at byte %d; %s"
                      % (key[0], key[1], r, len(out), at, err.decode("utf-8", "replace")))
                bad += 1
        bad += len(bad_pipe)
        print("%d portfolios, %d error lines, %d runs: %s"
              % (count, errors, len(runs), "identical" if not bad else "DIFFERENT"))
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
