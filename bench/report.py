#!/usr/bin/env python3
"""Prints the figures of bench/run.sh with the ratios of issue 4.

usage: report.py RESULTS_DIR P100K S100K

RESULTS_DIR holds e2e.jsonl (wholeproc.py --json lines), eval.jsonl (r1 eval and the
plain-JS peer's eval line) and load.jsonl (load-bench). P100K and S100K are the input
files, for portfolios and bytes per second.
"""
import json
import os
import sys


def lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip().startswith("{")]


def count(path):
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            n += block.count(b"\n")
    return n


def main():
    res, p100k, s100k = sys.argv[1:4]
    files = {p100k: (count(p100k), os.path.getsize(p100k)),
             s100k: (count(s100k), os.path.getsize(s100k))}
    e2e = {r["label"]: r for r in lines(os.path.join(res, "e2e.jsonl"))}

    def rate(label, path, times=1):
        r = e2e[label]
        n, size = files[path]
        wall = r["wall"]["median"]
        return n * times / wall, size * times / wall / 1e6, r

    print()
    print("| run | input | portfolios/s | MB/s | wall s (min/median/max) | CPU µs/portfolio | peak RSS MiB |")
    print("|---|---|---:|---:|---|---:|---:|")
    rows = [("plain JS (node), R1", p100k, 1), ("regel eval, R1", p100k, 1),
            ("regel eval --jobs 2, R1", p100k, 1), ("r1 e2e (TSV), R1", p100k, 1),
            ("regel eval, shipped criteria", s100k, 1),
            ("regel eval --jobs 2, shipped criteria", s100k, 1),
            ("regel eval, R1, 1M portfolios through a pipe", p100k, 10)]
    for label, path, times in rows:
        if label not in e2e:
            continue
        ps, mbs, r = rate(label, path, times)
        n = files[path][0] * times
        w = r["wall"]
        print(f"| {label} | {os.path.basename(path)}{' ×10' if times > 1 else ''} | {ps:,.0f} | "
              f"{mbs:,.0f} | {w['min']:.2f} / {w['median']:.2f} / {w['max']:.2f} | "
              f"{r['cpu']['median'] / n * 1e6:.1f} | {r['peak_mib']['max']:.1f} |")

    print()

    def ratio(num, den, num_path, den_path):
        """den's portfolios/s over num's: the median over rounds of the ratio within each
        round (interleave.py), with its range; else the ratio of the medians."""
        a, b = e2e.get(num), e2e.get(den)
        if not a or not b:
            return None
        na, nb = files[num_path][0], files[den_path][0]
        if "wall_runs" in a and "wall_runs" in b and len(a["wall_runs"]) == len(b["wall_runs"]):
            rs = sorted((wa / na) / (wb / nb) for wa, wb in zip(a["wall_runs"], b["wall_runs"]))
            mid = rs[len(rs) // 2] if len(rs) % 2 else (rs[len(rs) // 2 - 1] + rs[len(rs) // 2]) / 2
            return f"{mid:.2f}× (per round {rs[0]:.2f}–{rs[-1]:.2f})"
        return f"{(a['wall']['median'] / na) / (b['wall']['median'] / nb):.2f}×"

    for title, num, den, num_path, den_path, target in (
            ("end to end, R1, one core:      ", "plain JS (node), R1", "regel eval, R1",
             p100k, p100k, " the fastest peer (target ≥ 3×, aim 5×)"),
            ("--jobs 2 over one job, R1:     ", "regel eval, R1", "regel eval --jobs 2, R1",
             p100k, p100k, " (target close to 2×)"),
            ("--jobs 2 over one job, shipped:", "regel eval, shipped criteria",
             "regel eval --jobs 2, shipped criteria", s100k, s100k, ""),
            ("shipped criteria per portfolio:", "regel eval, shipped criteria", "regel eval, R1",
             s100k, p100k, " the cost of R1 (target ≤ 1.5×)")):
        r = ratio(num, den, num_path, den_path)
        if r and num_path != den_path and "cpu" in e2e[num] and "cpu" in e2e[den]:
            # another input: the CPU time per portfolio too, which the host's noise moves less
            cpu = ((e2e[num]["cpu"]["median"] / files[num_path][0]) /
                   (e2e[den]["cpu"]["median"] / files[den_path][0]))
            r += f"; CPU time {cpu:.2f}×"
            # and of the fastest run of each, the least disturbed by the host
            fast = ((e2e[num]["wall"]["min"] / files[num_path][0]) /
                    (e2e[den]["wall"]["min"] / files[den_path][0]))
            r += f"; fastest runs {fast:.2f}×"
        if r:
            print(f"{title} {r}{target}")
    peak = max(e2e[l]["peak_mib"]["max"] for l, _, _ in rows[1:] if l in e2e)
    print(f"peak RSS of regel eval:        {peak:.1f} MiB (target < 32 MiB, 100k and 1M)")
    evals = lines(os.path.join(res, "eval.jsonl"))
    ours = next((e for e in evals if e.get("peer") == "c-engine"), None)
    node = next((e for e in evals if e.get("peer") != "c-engine"), None)
    if ours:
        print(f"evaluation only:               {ours['ns_per_portfolio_median']:.0f} ns/portfolio, "
              f"hand-written C {ours['hand_c_ns_per_portfolio_median']:.0f} ns: "
              f"{ours['vm_over_hand_c']:.2f}× (target ≤ 2×)"
              + (f"; plain JS {node['ns_per_portfolio_median']:.0f} ns" if node else ""))
    for l in lines(os.path.join(res, "load.jsonl")):
        print(f"compiling {l['rules']}:           {l['compile_ms_median']:.2f} ms median, "
              f"{l['compile_ms_min']:.2f} min (target < 10 ms)")
        print(f"loading it ({l['bytes']:,} bytes):   {l['load_ms_median']:.3f} ms from memory, "
              f"{l['file_ms_median']:.3f} ms from a file (target < 1 ms)")


if __name__ == "__main__":
    main()
