#!/usr/bin/env python3
"""The teachers' texts of the shipped criteria (regel eval --explain=leraar) for the
portfolios of the spec, against tests/golden/uitleg/examples.txt.

Each golden line is the portfolio's line number and one text; a portfolio without texts
has no lines. Run with --update to rewrite the golden file after reading the change.

usage: golden_uitleg.py REGEL RULES PORTFOLIOS GOLDEN [--update]
"""
import json
import subprocess
import sys


def main():
    regel, rules, portfolios, golden = sys.argv[1:5]
    update = "--update" in sys.argv[5:]
    run = subprocess.run([regel, "eval", "--rules", rules, "--explain=leraar", portfolios],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        return 1
    got = []
    for n, line in enumerate(run.stdout.splitlines(), 1):
        d = json.loads(line)
        if "error" in d:
            continue
        for text in d["uitleg"]:
            got.append(f"{n}\t{text}")
    if update:
        with open(golden, "w", encoding="utf-8") as f:
            f.write("\n".join(got) + "\n")
        return 0
    with open(golden, encoding="utf-8") as f:
        want = f.read().splitlines()
    if got != want:
        import difflib
        sys.stdout.writelines(difflib.unified_diff([w + "\n" for w in want], [g + "\n" for g in got],
                                                   "golden", "regel"))
        return 1
    print(f"{len(got)} texts as in {golden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
