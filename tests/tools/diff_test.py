#!/usr/bin/env python3
"""Checks `regel diff --json` against an independent count.

usage: diff_test.py REGEL RULES CORPUS...
Makes a copy of RULES with the 160 threshold raised to 170, asks regel diff
how many decisions change, and counts them itself: decisions (from regel eval
under both criteria) that differ in anything but numbers. Also checks that
unchanged criteria change nothing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def strip_numbers(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return "#"
    if isinstance(v, list):
        return [strip_numbers(x) for x in v]
    return {k: strip_numbers(x) for k, x in v.items()
            if k not in ("ruleset", "input_sha256", "engine")}


def decide(regel, rules, corpus):
    p = subprocess.run([regel, "eval", "--rules", rules] + corpus, stdout=subprocess.PIPE)
    return [json.loads(l) for l in p.stdout.decode().splitlines()]


def main(argv):
    regel, rules, corpus = argv[1], argv[2], argv[3:]
    tmp = tempfile.mkdtemp()
    try:
        new = os.path.join(tmp, "rules")
        shutil.copytree(rules, new)
        path = os.path.join(new, "herregistratie.regel")
        src = open(path, encoding="utf-8").read()
        assert "minimum_totaal: getal = 160" in src
        open(path, "w", encoding="utf-8").write(
            src.replace("minimum_totaal: getal = 160", "minimum_totaal: getal = 170"))
        out = subprocess.run([regel, "diff", "--old", rules, "--new", new, "--json"] + corpus,
                             stdout=subprocess.PIPE, check=True).stdout
        report = json.loads(out)
        a, b = decide(regel, rules, corpus), decide(regel, new, corpus)
        want = sum(1 for x, y in zip(a, b) if strip_numbers(x) != strip_numbers(y))
        print("regel diff: %d of %d changed; independent count: %d" %
              (report["changed"], report["total"], want))
        ok = report["total"] == len(a) and report["changed"] == want and want > 0
        ok = ok and all(t["rules"] == ["minimum_totaal"] for t in report["transitions"])
        same = json.loads(subprocess.run([regel, "diff", "--old", rules, "--new", rules, "--json"]
                                         + corpus, stdout=subprocess.PIPE, check=True).stdout)
        ok = ok and same["changed"] == 0 and same["transitions"] == []
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
