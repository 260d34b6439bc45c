#!/usr/bin/env python3
"""Tests of `regel fmt`, the formatter of criteria files.

usage: test-fmt.py REGEL SRCDIR [--update] [TEST...]

- every rules/*.regel file and every ```regel snippet of docs/*.md keeps its meaning when
  formatted (the same compiled program, source positions aside, and the same decisions on
  tests/data/spec-examples and tests/data/boundaries; for snippets that do not compile, the
  same diagnostics), and formatting is idempotent;
- the shipped rules/ are formatted (`regel fmt --check rules` passes) and their own tests
  pass after formatting;
- golden cases: tests/golden/fmt/NAME.regel formats to NAME.expected (--update rewrites the
  .expected files), and NAME.expected is a fixed point;
- the command line: --check, rewriting in place only when changed, standard input, files
  that do not parse.
The last line is 'N passed, N failed'.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REGEL = None
SRC = None
UPDATE = False


def run(args, stdin=None, cwd=None):
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    return subprocess.run(wrapper + [REGEL] + args, input=stdin, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def fmt_text(text):
    p = run(["fmt", "-"], stdin=text)
    return p.returncode, p.stdout, p.stderr


# ------------------------------------------------------------------ normalisation

LOC = re.compile(r"[^\s;(,\"]*\.regel:\d+(:\d+)?")


def norm_disasm(text):
    """The program without source positions: location comments and file:line references
    go, and blanks do not count (condition texts are quoted from the source)."""
    out = []
    for line in text.decode("utf-8", "replace").splitlines():
        line = re.sub(r";\s*[^\s;]*\.regel:\d+\s*$", "", line)
        line = LOC.sub("FILE", line)
        out.append("".join(line.split()))
    return "\n".join(out)


def norm_diags(text):
    """Diagnostics as (code, message) without positions and source lines."""
    out = []
    for line in text.decode("utf-8", "replace").splitlines():
        m = re.match(r".*?:\d+:\d+: (error|warning|note): (.*) \[(REG\d{4})\]$", line)
        if m:
            out.append((m.group(3), LOC.sub("FILE", m.group(2))))
    return out


def norm_decisions(text):
    out = []
    for line in text.decode("utf-8", "replace").splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        if isinstance(d, dict):
            rs = d.get("ruleset")
            if isinstance(rs, dict):
                rs.pop("sha256", None)
            if "error" in d and isinstance(d["error"], str):
                d["error"] = LOC.sub("FILE", d["error"])
        out.append(json.dumps(d, sort_keys=True))
    return out


# ------------------------------------------------------------------ helpers

def same_meaning(orig_path, new_path, what):
    """Problems (a list) when the criteria at the two paths differ in meaning."""
    problems = []
    a = run(["disasm", orig_path])
    b = run(["disasm", new_path])
    if a.returncode != b.returncode:
        return ["%s: disasm exit %d before, %d after formatting:\n%s" %
                (what, a.returncode, b.returncode, b.stderr.decode("utf-8", "replace"))]
    if a.returncode == 0:
        if norm_disasm(a.stdout) != norm_disasm(b.stdout):
            problems.append("%s: the compiled program changed" % what)
    elif norm_diags(a.stderr) != norm_diags(b.stderr):
        problems.append("%s: the diagnostics changed:\n%s\n---\n%s" %
                        (what, a.stderr.decode("utf-8", "replace"),
                         b.stderr.decode("utf-8", "replace")))
    return problems


def snippets():
    """(name, text) of every ```regel block of the documentation."""
    out = []
    for md in sorted(glob.glob(os.path.join(SRC, "docs", "*.md"))):
        with open(md, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            if lines[i].strip() == "```regel":
                start = i + 1
                j = start
                while j < len(lines) and lines[j].strip() != "```":
                    j += 1
                out.append(("%s:%d" % (os.path.basename(md), start),
                            ("\n".join(lines[start:j]) + "\n").encode("utf-8")))
                i = j
            i += 1
    return out


# ------------------------------------------------------------------ tests

def test_rules_keep_their_meaning():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        # tmp/new/rules beside tmp/new/tests: the rules' tests read ../../tests/data
        orig = os.path.join(tmp, "orig", "rules")
        new = os.path.join(tmp, "new", "rules")
        shutil.copytree(os.path.join(SRC, "rules"), orig)
        shutil.copytree(os.path.join(SRC, "rules"), new)
        os.symlink(os.path.join(SRC, "tests"), os.path.join(tmp, "new", "tests"))
        p = run(["fmt", new])
        if p.returncode != 0:
            return ["regel fmt rules: exit %d\n%s" % (p.returncode,
                                                     p.stderr.decode("utf-8", "replace"))]
        for path in sorted(glob.glob(os.path.join(new, "*.regel"))):
            with open(path, "rb") as f:
                once = f.read()
            rc, twice, err = fmt_text(once)
            if rc != 0 or twice != once:
                problems.append("%s: not idempotent" % os.path.basename(path))
        problems += same_meaning(orig, new, "rules")
        for data in ("spec-examples", "boundaries"):
            portfolios = os.path.join(SRC, "tests", "data", data, "portfolios.jsonl")
            a = run(["eval", "--rules", orig, portfolios])
            b = run(["eval", "--rules", new, portfolios])
            if a.returncode != b.returncode or norm_decisions(a.stdout) != norm_decisions(b.stdout):
                problems.append("rules: the decisions on %s changed" % data)
        t = run(["test", new])
        if t.returncode != 0:
            problems.append("regel test on the formatted rules failed:\n" +
                            t.stdout.decode("utf-8", "replace")[-2000:])
    return problems


def test_shipped_rules_are_formatted():
    p = run(["fmt", "--check", os.path.join(SRC, "rules")])
    if p.returncode != 0:
        return ["these shipped files are not formatted (run `regel fmt rules`):\n" +
                p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")]
    return []


def test_doc_snippets():
    problems = []
    formatted = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in snippets():
            rc, once, err = fmt_text(text)
            orig = os.path.join(tmp, "orig.regel")
            with open(orig, "wb") as f:
                f.write(text)
            if rc == 1:
                # refused: it must not parse, and nothing is printed on standard output
                c = run(["check", orig])
                codes = [d[0] for d in norm_diags(c.stderr)]
                if c.returncode != 1 or not any(code in ("REG0001", "REG0002", "REG0003",
                                                         "REG0004", "REG0005", "REG0006",
                                                         "REG0008", "REG0009")
                                                for code in codes) or once:
                    problems.append("%s: refused by regel fmt, but it parses" % name)
                continue
            if rc != 0:
                problems.append("%s: regel fmt exit %d\n%s" % (name, rc,
                                                              err.decode("utf-8", "replace")))
                continue
            formatted += 1
            rc2, twice, _ = fmt_text(once)
            if rc2 != 0 or twice != once:
                problems.append("%s: not idempotent" % name)
            new = os.path.join(tmp, "new.regel")
            with open(new, "wb") as f:
                f.write(once)
            problems += same_meaning(orig, new, name)
    if formatted < 40:
        problems.append("only %d documentation snippets were formatted" % formatted)
    return problems


def golden_dir():
    return os.path.join(SRC, "tests", "golden", "fmt")


def test_golden():
    problems = []
    names = sorted(glob.glob(os.path.join(golden_dir(), "*.regel")))
    if not names:
        return ["no golden cases in %s" % golden_dir()]
    for path in names:
        base = path[: -len(".regel")]
        with open(path, "rb") as f:
            text = f.read()
        rc, out, err = fmt_text(text)
        if rc != 0:
            problems.append("%s: exit %d\n%s" % (os.path.basename(path), rc,
                                                 err.decode("utf-8", "replace")))
            continue
        if UPDATE:
            with open(base + ".expected", "wb") as f:
                f.write(out)
        with open(base + ".expected", "rb") as f:
            want = f.read()
        if out != want:
            import difflib
            diff = difflib.unified_diff(want.decode().splitlines(True),
                                        out.decode().splitlines(True),
                                        os.path.basename(base) + ".expected", "actual")
            problems.append("%s differs:\n%s" % (os.path.basename(path), "".join(diff)))
        rc, again, _ = fmt_text(want)
        if again != want:
            problems.append("%s.expected is not a fixed point" % os.path.basename(base))
        with tempfile.TemporaryDirectory() as tmp:
            a = os.path.join(tmp, "a.regel")
            b = os.path.join(tmp, "b.regel")
            with open(a, "wb") as f:
                f.write(text)
            with open(b, "wb") as f:
                f.write(out)
            problems += same_meaning(a, b, os.path.basename(path))
    return problems


def test_command_line():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        messy = os.path.join(tmp, "messy.regel")
        tidy = os.path.join(tmp, "tidy.regel")
        broken = os.path.join(tmp, "broken.regel")
        with open(messy, "w") as f:
            f.write("regel   x:geheel=1+2   # drie\n")
        with open(tidy, "w") as f:
            f.write("regel x: geheel = 1 + 2  # drie\n")
        with open(broken, "w") as f:
            f.write("regel x: geheel = 1 +\n")
        os.utime(tidy, (1000000000, 1000000000))

        p = run(["fmt", "--check", messy, tidy])
        if p.returncode != 1 or p.stdout.decode() != messy + "\n":
            problems.append("--check: exit %d, output %r" % (p.returncode, p.stdout))
        with open(messy) as f:
            if f.read() != "regel   x:geheel=1+2   # drie\n":
                problems.append("--check wrote the file")

        p = run(["fmt", tmp + "/messy.regel", tidy])
        if p.returncode != 0 or p.stdout.decode() != messy + "\n":
            problems.append("fmt: exit %d, output %r" % (p.returncode, p.stdout))
        with open(messy) as f:
            if f.read() != "regel x: geheel = 1 + 2  # drie\n":
                problems.append("fmt did not rewrite the file")
        if os.stat(tidy).st_mtime != 1000000000:
            problems.append("fmt wrote a file that was formatted already")

        p = run(["fmt", "--check", tmp])
        if p.returncode != 1 or broken not in p.stderr.decode():
            problems.append("a directory with a broken file: exit %d\n%s" %
                            (p.returncode, p.stderr.decode()))
        if "[REG0001]" not in p.stderr.decode():
            problems.append("the syntax error is not shown:\n" + p.stderr.decode())
        with open(broken) as f:
            if f.read() != "regel x: geheel = 1 +\n":
                problems.append("a file that does not parse was written")

        rc, out, _ = fmt_text(b"eis waar anders \"x\"   bron \"y\"\n")
        if rc != 0 or out != b"eis waar anders \"x\"\n  bron \"y\"\n":
            problems.append("standard input: %d %r" % (rc, out))
        rc, out, _ = fmt_text(b"")
        if rc != 0 or out != b"":
            problems.append("an empty file: %d %r" % (rc, out))

        p = run(["fmt"])
        if p.returncode != 2:
            problems.append("no path: exit %d" % p.returncode)
        p = run(["fmt", os.path.join(tmp, "missing.regel")])
        if p.returncode != 2:
            problems.append("a missing file: exit %d" % p.returncode)
        # a file without an end is read no further than the compiler's limit
        p = run(["fmt", "/dev/zero"])
        if p.returncode != 2 or b"the limit is 4194304" not in p.stderr:
            problems.append("/dev/zero: exit %d\n%s" % (p.returncode, p.stderr.decode()))
    return problems


def test_keywords_keep_their_language():
    problems = []
    english = (b"rule total_hours: number = sum(a.contact_hours for a in activities "
               b"where a.date <= reference_date)\n"
               b"rule enough: bool = if total_hours >= 160 then true else false\n")
    rc, out, _ = fmt_text(english)
    if rc != 0 or out != english:
        problems.append("the English example changed:\n%r" % out)
    mixed = b"regel x: bool = if waar then onwaar anders true and not false\n"
    rc, out, _ = fmt_text(mixed)
    if rc != 0 or out != mixed:
        problems.append("mixed keywords changed:\n%r" % out)
    return problems


TESTS = [
    test_golden,
    test_command_line,
    test_keywords_keep_their_language,
    test_rules_keep_their_meaning,
    test_shipped_rules_are_formatted,
    test_doc_snippets,
]


def main(argv):
    global REGEL, SRC, UPDATE
    args = argv[1:]
    UPDATE = "--update" in args
    args = [a for a in args if a != "--update"]
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    REGEL = os.path.abspath(args[0])
    SRC = os.path.abspath(args[1])
    only = args[2:]
    passed = failed = 0
    for t in TESTS:
        if only and t.__name__ not in only:
            continue
        problems = t()
        if problems:
            failed += 1
            print("FAIL %s" % t.__name__)
            for p in problems:
                print("  " + p.rstrip("\n").replace("\n", "\n  "))
        else:
            passed += 1
            print("ok   %s" % t.__name__)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
