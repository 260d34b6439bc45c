#!/usr/bin/env python3
"""Prints decisions (JSON Lines from `regel eval`) as a readable table.

usage: summary.py DECISIONS.jsonl
This is a host's view of the decisions: it knows the lerarenregister's
output fields, which the engine itself does not.
"""
import json
import sys


def main(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            d = json.loads(line)
            if "error" in d:
                rows.append((str(d.get("line", n)), d.get("teacher", "?"), "-",
                             "ERROR: " + d["error"]))
                continue
            for b in d.get("bevoegdheden", []):
                status = b["status"]
                prev = b.get("previous")
                if prev and prev.get("outcome") == "aantekening":
                    status += "  (vorige termijn: aantekening, gevolg %s%s)" % (
                        prev.get("consequence"), ", opgeheven" if prev.get("lifted") else "")
                rows.append((str(n), d["teacher"], b["code"], status))
            for v in d.get("voorportaal", []):
                rows.append((str(n), d["teacher"], "voorportaal " + v["subject"],
                             "%s (deadline %s)" % (v["status"], v["deadline"])))
            if d.get("rejected"):
                rows.append((str(n), d["teacher"], "afgewezen",
                             ", ".join("%s: %s" % (r["activity"], r["reason"])
                                       for r in d["rejected"])))
    w = [max(len(r[i]) for r in rows + [("line", "leraar", "bevoegdheid", "status")])
         for i in range(3)]
    print("%-*s  %-*s  %-*s  %s" % (w[0], "line", w[1], "leraar", w[2], "bevoegdheid", "status"))
    print("%s  %s  %s  %s" % ("-" * w[0], "-" * w[1], "-" * w[2], "-" * 30))
    for r in rows:
        print("%-*s  %-*s  %-*s  %s" % (w[0], r[0], w[1], r[1], w[2], r[2], r[3]))


if __name__ == "__main__":
    main(sys.argv[1])
