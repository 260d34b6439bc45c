#!/usr/bin/env python3
"""Times whole processes round-robin, so that the host's noise hits every command alike.

usage: interleave.py WHOLEPROC_DIR SPEC.json OUT.jsonl [-n ROUNDS] [--warmup W]

SPEC.json is a list of {"label": ..., "cmd": [...]} (a command given as a string runs through
sh -c). Each round runs every command once, in the spec's order, after W warm-up rounds that
are not counted. Every run is taken by the shared harness's wholeproc.run_once (its C helper
spawnrss: wall clock around fork and wait4, user and sys time and peak RSS from the child's
rusage). Appends to OUT.jsonl one object per command in wholeproc.py's format (label, cmd,
runs, user/sys/cpu/wall/peak_mib as min/median/max) plus "wall_runs", the wall time of each
round, so that report.py can take ratios within a round: a burst of noise then moves both
sides of a ratio instead of one.
"""
import argparse
import json
import os
import statistics
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wholeproc_dir")
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    a = ap.parse_args()
    sys.path.insert(0, a.wholeproc_dir)
    import wholeproc  # the shared harness's timer, so that both measure alike

    with open(a.spec) as f:
        spec = json.load(f)
    cmds = [s["cmd"] if isinstance(s["cmd"], list) else ["sh", "-c", s["cmd"]] for s in spec]
    runs = [[] for _ in spec]
    env = dict(os.environ)
    for rnd in range(a.warmup + a.n):
        for i, cmd in enumerate(cmds):
            r = wholeproc.run_once(cmd, env, os.devnull)
            if r["rc"] != 0:
                sys.stderr.write("interleave: %s exited %d\n" % (cmd, r["rc"]))
                return 1
            if rnd >= a.warmup:
                runs[i].append(r)
        if rnd >= a.warmup:
            print("round %d: %s" % (rnd - a.warmup + 1,
                                    "  ".join("%.2f" % rs[-1]["wall"] for rs in runs)), flush=True)
    with open(a.out, "a") as f:
        for s, cmd, rs in zip(spec, cmds, runs):
            res = {"label": s["label"], "cmd": cmd, "env": [], "runs": len(rs),
                   "wall_runs": [r["wall"] for r in rs]}
            for k in ("user", "sys", "cpu", "wall", "peak_mib"):
                xs = [r[k] for r in rs]
                res[k] = {"min": min(xs), "median": statistics.median(xs), "max": max(xs)}
            f.write(json.dumps(res) + "\n")
            print("%-48s wall %6.2f / %6.2f / %6.2f s  cpu %6.2f s  peak %5.1f MiB" %
                  (s["label"], res["wall"]["min"], res["wall"]["median"], res["wall"]["max"],
                   res["cpu"]["median"], res["peak_mib"]["max"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
