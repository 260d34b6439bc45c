#!/usr/bin/env python3
"""The bad-input suite: good portfolios mixed with every kind of bad line, in one batch.

usage:
  bad_input.py write DIR
      writes DIR/batch.jsonl and DIR/expected.jsonl (tests/data/bad-input/ holds
      the committed copy: `regel eval --rules rules tests/data/bad-input/batch.jsonl`)
  bad_input.py check REGEL RULES SPEC_DIR COMMITTED_DIR [--huge]
      generates the batch into a temporary directory (with --huge also a line of
      100 MB, never committed), checks that COMMITTED_DIR holds exactly what
      `write` writes, and decides the batch with `regel eval --rules RULES`, from
      a file and from standard input: exactly one output line per input line, the
      expected error text for each bad line, the decision of expected.jsonl for
      each good line (compare_decisions.py), exit status 1. $REGEL_WRAPPER (e.g.
      valgrind) is put before REGEL.

SPEC_DIR is tests/data/spec-examples (the spec's examples and their expected
decisions). Expected error texts follow the engine's "<json path>: <problem>"
convention; formats.md fixes only the shape, so the texts are this suite's.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_decisions  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = os.path.join(HERE, "..", "data", "spec-examples")
MAX_LINE = 64 << 20  # regel eval's default --max-line
HUGE = 100 * 1000 * 1000


def spec(spec_dir):
    """The spec's portfolio lines (bytes) and their expected decisions (dicts)."""
    with open(os.path.join(spec_dir, "portfolios.jsonl"), "rb") as f:
        lines = f.read().split(b"\n")
    with open(os.path.join(spec_dir, "expected.jsonl"), encoding="utf-8") as f:
        expected = [json.loads(l) for l in f if l.strip()]
    return [l for l in lines if l], expected


def cases(spec_dir, huge=False):
    """(name, line bytes, expected dict without "line") in batch order."""
    lines, expected = spec(spec_dir)
    p1 = lines[0]  # T900001, a first term, early: geregistreerd

    def same(i):
        """The spec's line i (1-based), unchanged: its expected decision."""
        return lines[i - 1], dict(expected[i - 1])

    def p1_with(old, new):
        assert p1.count(old) == 1, old
        return p1.replace(old, new)

    def decided_like(i):
        """A different line with the same decision as spec line i (its input hash differs)."""
        e = dict(expected[i - 1])
        e.pop("input_sha256", None)
        return e

    def error(text, teacher="T900001", **more):
        e = {"error": text}
        if teacher:
            e["teacher"] = teacher
        e.update(more)
        return e

    wp = b"bevoegdheden[0].work[0]"
    ap = b"activities[0]"
    # byte offsets that error details name
    name = p1.index(b'"Anna')  # the string a bad byte in the name makes invalid
    at_list = p1.index(b'"activities": [') + len(b'"activities": [')  # the first activity
    after_key = p1.index(b'"as_of":') + len(b'"as_of":')
    hours = p1.index(b'"hours": 700') + len(b'"hours": ')
    out = [
        ("good: spec line 1", *same(1)),
        # truncated JSON
        ("truncated in a list", p1[:at_list],
         error("malformed JSON", detail="unterminated list at byte %d" % at_list)),
        ("truncated in a string", p1[:40], error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("truncated after a key", p1[:after_key],
         error("malformed JSON", detail="expected a value at byte %d" % after_key)),
        ("just an opening brace", b"{", error("malformed JSON", None, detail="expected a key at byte 1")),
        ("good: spec line 2", *same(2)),
        # wrong types
        ("hours as text", p1_with(b'"hours": 700', b'"hours": "700"'),
         error(wp.decode() + ".hours: expected a number, got text")),
        ("id as a number", p1_with(b'"id": "T900001"', b'"id": 900001'),
         error("teacher.id: expected text, got a number", None)),
        ("bevoegdheden as an object", p1_with(b'"bevoegdheden": [', b'"bevoegdheden": {"x": [').replace(
            b'}]}], "activities"', b'}]}]}, "activities"'),
         error("bevoegdheden: expected a list, got an object")),
        ("validated as text", p1_with(b'"validated": true', b'"validated": "ja"'),
         error(ap.decode() + ".validated: expected true or false, got text")),
        ("a date as a number", p1_with(b'"as_of": "2020-09-01"', b'"as_of": 20200901'),
         error("as_of: expected a date (YYYY-MM-DD), got a number")),
        ("null for a required field", p1_with(b'"start": "2019-08-01"', b'"start": null'),
         error("registration.start: expected a date (YYYY-MM-DD), got null")),
        ("a list as the portfolio", b"[" + p1 + b"]", error("expected an object, got a list", None)),
        ("a number as the portfolio", b"42", error("expected an object, got a number", None)),
        ("good: spec line 3", *same(3)),
        # huge numbers
        ("hours 1e400", p1_with(b'"hours": 700', b'"hours": 1e400'), error(wp.decode() + ".hours: number out of range")),
        ("hours of 30 digits", p1_with(b'"hours": 700', b'"hours": 123456789012345678901234567890'),
         error(wp.decode() + ".hours: number out of range")),
        ("hours just out of range", p1_with(b'"hours": 700', b'"hours": 9223372036854.775808'),
         error(wp.decode() + ".hours: number out of range")),
        ("hours -1e400", p1_with(b'"hours": 700', b'"hours": -1e400'), error(wp.decode() + ".hours: number out of range")),
        ("hours 1e-400", p1_with(b'"hours": 700', b'"hours": 1e-400'), error(wp.decode() + ".hours: more than 2 decimals")),
        # decimals: the schema allows 2
        ("3-decimal hours", p1_with(b'"hours": 700', b'"hours": 700.125'), error(wp.decode() + ".hours: more than 2 decimals")),
        ("3-decimal contact hours", p1_with(b'"contact_hours": 12', b'"contact_hours": 12.001'),
         error(ap.decode() + ".contact_hours: more than 2 decimals")),
        ("good: 3 decimals written, 0 in value", p1_with(b'"hours": 700', b'"hours": 700.000'), decided_like(1)),
        # -0.0 is 0, not negative: the activity then is mostly self-study without a test
        # (domain.md, valideringsregel 5): rejected, and nothing counts
        ("good: minus zero contact hours", p1_with(b'"contact_hours": 12', b'"contact_hours": -0.0'), None),
        ("negative hours", p1_with(b'"hours": 700', b'"hours": -0.01'), error(wp.decode() + ".hours: negative")),
        ("good: spec line 4", *same(4)),
        # impossible dates
        ("2023-02-29", p1_with(b'"date": "2020-07-31"', b'"date": "2023-02-29"'), error(wp.decode() + ".date: not a date")),
        ("2020-02-30", p1_with(b'"date": "2020-03-14"', b'"date": "2020-02-30"'), error(ap.decode() + ".date: not a date")),
        ("month 13", p1_with(b'"start": "2019-08-01"', b'"start": "2019-13-01"'), error("registration.start: not a date")),
        ("one-digit month", p1_with(b'"as_of": "2020-09-01"', b'"as_of": "2020-9-01"'), error("as_of: not a date")),
        ("date with a time", p1_with(b'"as_of": "2020-09-01"', b'"as_of": "2020-09-01T00:00:00"'), error("as_of: not a date")),
        ("good: spec line 12 (a leap day)", *same(12)),
        # duplicate keys: a field of the schema twice is an error, an unknown field twice is ignored
        ("as_of twice", p1_with(b'"as_of": "2020-09-01"', b'"as_of": "2020-09-01", "as_of": "2020-09-02"'),
         error("as_of: duplicate key")),
        ("teacher.id twice", p1_with(b'"id": "T900001"', b'"id": "T900001", "id": "T900002"'),
         error("teacher.id: duplicate key")),
        ("a key twice, once escaped", p1_with(b'"as_of": "2020-09-01"', b'"as_of": "2020-09-01", "as_\\u006ff": "2020-09-02"'),
         error("as_of: duplicate key")),
        ("good: an unknown key twice", p1_with(b'{"teacher"', b'{"x": 1, "x": [2], "teacher"'), decided_like(1)),
        # invalid UTF-8
        ("a lone continuation byte", p1_with(b"Anna", b"An\x80na"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("latin-1", p1_with(b"Anna", b"Ann\xe9"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("an overlong slash", p1_with(b"Anna", b"An\xc0\xafna"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("a surrogate in UTF-8", p1_with(b"Anna", b"An\xed\xa0\x80na"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("a lone surrogate escape", p1_with(b"Anna", b"An\\ud800na"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("a byte order mark", b"\xef\xbb\xbf" + p1, error("malformed JSON", None, detail="invalid JSON value at byte 0")),
        ("invalid UTF-8 in an unknown field", p1_with(b'{"teacher"', b'{"x": "\xff", "teacher"'),
         error("malformed JSON", None, detail="invalid JSON value at byte 6")),
        ("good: spec line 5 (UTF-8 names)", *same(5)),
        # NUL bytes
        ("a NUL byte in a string", p1_with(b"Anna", b"An\x00na"), error("malformed JSON", detail="invalid string at byte %d" % name)),
        ("a NUL byte after the object", p1 + b"\x00", error("malformed JSON", detail="text after the JSON value at byte %d" % len(p1))),
        ("a NUL byte alone", b"\x00", error("malformed JSON", None, detail="invalid JSON value at byte 0")),
        ("good: an escaped NUL in a name", p1_with(b"Anna", b"An\\u0000na"), decided_like(1)),
        ("an escaped NUL in the teacher's id", p1_with(b'"T900001"', b'"T90\\u00000001"').replace(b'"hours": 700', b'"hours": true'),
         error(wp.decode() + ".hours: expected a number, got true/false", "T90\x000001")),
        # nesting: arrays 100000 deep, as the portfolio and in a field
        ("100000 nested arrays", b"[" * 100000 + b"]" * 100000,
         error("JSON nested more than 256 levels deep", None, detail="nested too deeply at byte 256")),
        ("100000 nested arrays in a field", p1_with(b'{"teacher"', b'{"x": ' + b"[" * 100000 + b"]" * 100000 + b', "teacher"'),
         error("JSON nested more than 256 levels deep", None, detail="nested too deeply at byte 261")),
        # the outer object and the list enclose the activities: the 255th object is too deep
        ("100000 nested objects in activities", p1_with(b'"activities": [', b'"activities": [' + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b", "),
         error("JSON nested more than 256 levels deep", detail="nested too deeply at byte %d" % (at_list + 5 * 254))),
        # empty and blank lines
        ("an empty line", b"", error("malformed JSON", None, detail="empty line at byte 0")),
        ("spaces only", b"   \t", error("malformed JSON", None, detail="empty line at byte 4")),
        ("good: a CR before the newline", p1 + b"\r", decided_like(1)),
        # other breaches of the schema and the criteria
        ("a required field missing", p1_with(b'"registration": {"start": "2019-08-01"}, ', b""),
         error("registration: missing")),
        ("an unknown sector", p1_with(b'"sector": "vo"', b'"sector": "hbo"'),
         error('bevoegdheden[0].sector: "hbo" is not one of po, so, vo, mbo')),
        ("text after the object", p1 + b" {}", error("malformed JSON", detail="text after the JSON value at byte %d" % (len(p1) + 1))),
        ("as_of before the registration", p1_with(b'"as_of": "2020-09-01"', b'"as_of": "2019-07-31"'),
         error("as_of: before registration.start")),
        ("a leading zero", p1_with(b'"hours": 700', b'"hours": 0700'), error("malformed JSON", detail="invalid number at byte %d" % hours)),
        ("NaN", p1_with(b'"hours": 700', b'"hours": NaN'), error("malformed JSON", detail="invalid JSON value at byte %d" % hours)),
        ("good: spec line 11", *same(11)),
    ]
    if huge:
        # a line of 100 MB: a valid portfolio with a very long name, answered without reading it
        big = p1_with(b'"name": "Anna de Vries"', b'"name": "' + b"A" * (HUGE - len(p1)) + b'"')
        out.insert(len(out) // 2, ("a line of 100 MB", big,
                                   {"error": "line longer than %d bytes" % MAX_LINE}))
    res = []
    for what, line, exp in out:
        if exp is None:  # minus zero contact hours
            exp = json.loads(json.dumps(decided_like(1)))
            exp["bevoegdheden"][0]["progress"].update({"totaal": 0, "primair": 0, "vakinhoud": 0})
            exp["rejected"] = [{"activity": "A1", "reason": "selfstudy"}]
        res.append((what, line, exp))
    return res


def write(directory, spec_dir=DEFAULT_SPEC, huge=False):
    """Writes batch.jsonl and expected.jsonl; returns the number of lines."""
    cs = cases(spec_dir, huge)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "batch.jsonl"), "wb") as f:
        for _, line, _ in cs:
            f.write(line + b"\n")
    with open(os.path.join(directory, "expected.jsonl"), "w", encoding="utf-8") as f:
        for n, (name, _, exp) in enumerate(cs, 1):
            e = dict(exp)
            if "error" in e:
                e = dict(line=n, **e)
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    with open(os.path.join(directory, "README.md"), "w", encoding="utf-8") as f:
        f.write(README % "\n".join("| %d | %s |" % (n, c[0]) for n, c in enumerate(cs, 1)))
    return len(cs)


README = """# Bad input

Written by `tests/tools/bad_input.py write tests/data/bad-input` (do not edit by hand): a batch
of portfolios mixing the spec's examples (`tests/data/spec-examples`) with bad lines, and the
line `regel eval --rules rules` must print for each. `batch.jsonl` has invalid UTF-8 and NUL
bytes on purpose. The `bad-input` test also adds a line of 100 MB, generated at test time.
docs/hardening.md says what the engine does with each kind of bad input.

| line | case |
| --- | --- |
%s
"""


def expected_lines(directory):
    with open(os.path.join(directory, "expected.jsonl"), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def same_files(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        return f.read() == g.read()


def run(wrapper, regel, rules, batch, stdin):
    args = wrapper + [regel, "eval", "--rules", rules]
    if stdin:
        with open(batch, "rb") as f:
            return subprocess.run(args, stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(args + [batch], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def check(argv):
    regel, rules, spec_dir, committed = argv[:4]
    huge = "--huge" in argv[4:]
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    tmp = tempfile.mkdtemp(prefix="bad-input-")
    bad = 0
    try:
        # the committed copy is what the generator writes (without the huge line)
        small = os.path.join(tmp, "small")
        write(small, spec_dir)
        for name in ("batch.jsonl", "expected.jsonl", "README.md"):
            if not same_files(os.path.join(small, name), os.path.join(committed, name)):
                print("%s: differs from what bad_input.py writes; run: %s write %s"
                      % (os.path.join(committed, name), sys.argv[0], committed))
                bad += 1
        work = os.path.join(tmp, "run")
        n = write(work, spec_dir, huge)
        names = [c[0] for c in cases(spec_dir, huge)]
        batch = os.path.join(work, "batch.jsonl")
        for stdin in (False, True):
            how = "standard input" if stdin else "a file"
            proc = run(wrapper, regel, rules, batch, stdin)
            sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
            actual = os.path.join(tmp, "actual.jsonl")
            with open(actual, "wb") as f:
                f.write(proc.stdout)
            got = proc.stdout.split(b"\n")
            if got and got[-1] == b"":
                got.pop()
            if len(got) != n:
                print("from %s: %d output lines for %d input lines" % (how, len(got), n))
                bad += 1
            rc = compare_decisions.main(["", os.path.join(work, "expected.jsonl"), actual])
            # an error line has exactly the expected fields: no "teacher" where it cannot be read
            for i, (want, line) in enumerate(zip(expected_lines(work), got), 1):
                if "error" in want:
                    try:
                        keys = sorted(json.loads(line))
                    except ValueError:
                        continue  # compare_decisions said so
                    if keys != sorted(want):
                        print("line %d (%s): fields %s, expected %s" % (i, names[i - 1], keys, sorted(want)))
                        bad += 1
            if rc:
                for i, name in enumerate(names, 1):
                    print("  line %d: %s" % (i, name))
                bad += 1
            if proc.returncode != 1:
                print("from %s: exit status %d, expected 1" % (how, proc.returncode))
                bad += 1
            print("from %s: %d lines, %d bad ones" % (how, n, sum(1 for x in names if not x.startswith("good"))))
    finally:
        shutil.rmtree(tmp)
    return 1 if bad else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "write":
        print("%d lines" % write(argv[2]))
        return 0
    if len(argv) >= 6 and argv[1] == "check":
        return check(argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
