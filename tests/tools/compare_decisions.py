#!/usr/bin/env python3
"""Compares decision lines with expected ones (shared/spec/examples rules).

usage: compare_decisions.py EXPECTED.jsonl ACTUAL.jsonl

Every field of an expected line must be in the actual line with the same
value; numbers compare as exact decimals; lists compare element-wise; the
actual line may carry more fields. Exit 0 when all lines match, 1 otherwise.
"""
import json
import sys
from decimal import Decimal


def load(line):
    return json.loads(line, parse_float=Decimal, parse_int=Decimal)


def diff(exp, act, path, out):
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            out.append("%s: expected an object, got %r" % (path or ".", act))
            return
        for k, v in exp.items():
            if k not in act:
                out.append("%s.%s: missing" % (path, k))
            else:
                diff(v, act[k], "%s.%s" % (path, k), out)
    elif isinstance(exp, list):
        if not isinstance(act, list) or len(act) != len(exp):
            out.append("%s: expected %s, got %s" % (path, json.dumps(exp, default=str),
                                                    json.dumps(act, default=str)))
            return
        for i, (e, a) in enumerate(zip(exp, act)):
            diff(e, a, "%s[%d]" % (path, i), out)
    elif isinstance(exp, Decimal):
        if not isinstance(act, Decimal) or isinstance(act, bool) or act != exp:
            out.append("%s: expected %s, got %r" % (path, exp, act))
    elif exp != act:
        out.append("%s: expected %r, got %r" % (path, exp, act))


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        expected = [l for l in f.read().split("\n") if l.strip()]
    with open(argv[2], encoding="utf-8") as f:
        actual = [l for l in f.read().split("\n") if l != ""]
    bad = 0
    if len(expected) != len(actual):
        print("expected %d lines, got %d" % (len(expected), len(actual)))
        bad += 1
    for n, (e, a) in enumerate(zip(expected, actual), 1):
        out = []
        try:
            diff(load(e), load(a), "", out)
        except ValueError as err:
            out.append("not JSON: %s" % err)
        for o in out:
            print("line %d: %s" % (n, o))
        bad += bool(out)
    print("%d of %d lines match" % (len(expected) - bad if bad <= len(expected) else 0,
                                    len(expected)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
