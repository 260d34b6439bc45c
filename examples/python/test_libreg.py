#!/usr/bin/env python3
"""Tests of libreg.py: the example portfolios decide as tests/data/spec-examples/expected.jsonl says.

usage: LIBREG_PATH=build/libreg/libreg.so SRCDIR=. python3 examples/python/test_libreg.py
"""
import decimal
import json
import os
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRCDIR, "tests", "tools"))

import compare_decisions  # noqa: E402
import libreg  # noqa: E402

RULES = os.path.join(SRCDIR, "rules")
SPEC = os.path.join(SRCDIR, "tests", "data", "spec-examples")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def differences(expected_line, actual):
    """What compare_decisions.py finds: expected fields present, numbers as exact Decimals."""
    out = []
    compare_decisions.diff(compare_decisions.load(expected_line),
                           compare_decisions.load(libreg._json(actual)), "", out)
    return out


class SpecExamples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.program = libreg.Program.compile(RULES)
        cls.portfolios = read_lines(os.path.join(SPEC, "portfolios.jsonl"))
        cls.expected = read_lines(os.path.join(SPEC, "expected.jsonl"))

    def check_examples(self, as_dict):
        self.assertEqual(len(self.portfolios), len(self.expected))
        decided = errors = 0
        for n, (line, expected) in enumerate(zip(self.portfolios, self.expected), 1):
            want = json.loads(expected)
            with self.subTest(line=n, as_dict=as_dict):
                portfolio = line
                if as_dict:
                    try:
                        portfolio = json.loads(line, parse_float=decimal.Decimal)
                    except ValueError:
                        pass  # malformed JSON: given as text, the library says so
                if "error" in want:
                    with self.assertRaises(libreg.DataError) as cm:
                        self.program.decide(portfolio)
                    self.assertEqual(cm.exception.message, want["error"])
                    self.assertEqual(str(cm.exception), want["error"])
                    errors += 1
                    continue
                got = self.program.decide(portfolio)
                if as_dict:
                    # re-serialized: the same decision, but the hash of other bytes
                    self.assertNotEqual(got.pop("input_sha256"), want.pop("input_sha256"))
                    expected = json.dumps(want)
                self.assertEqual(differences(expected, got), [])
                decided += 1
        self.assertEqual((decided, errors), (12, 3))

    def test_examples_as_expected(self):
        """The lines as the spec gives them: every expected field, input_sha256 included."""
        self.check_examples(as_dict=False)

    def test_examples_as_dicts(self):
        """The portfolios as dicts (numbers as Decimal), written to JSON by libreg.py."""
        self.check_examples(as_dict=True)

    def test_numbers_exact(self):
        got = self.program.decide(json.loads(self.portfolios[0], parse_float=decimal.Decimal))
        totaal = got["bevoegdheden"][0]["progress"]["totaal"]
        self.assertIsInstance(totaal, decimal.Decimal)
        self.assertEqual(totaal, decimal.Decimal("16.5"))
        self.assertIsInstance(got["bevoegdheden"][0]["progress"]["werkervaring"], int)

    def test_built_input_same_decision(self):
        ev = self.program.evaluator()
        for n, line in enumerate(self.portfolios, 1):
            if n >= 13:
                break
            portfolio = json.loads(line, parse_float=decimal.Decimal)
            via_json = ev.decide(line)
            built = self.program.input(portfolio)
            via_input = ev.decide_input(built)
            for d in (via_json, via_input):
                d.pop("input_sha256")
            self.assertEqual(via_json, via_input, "line %d" % n)
            # the canonical JSON decides to the very same decision, hash included
            self.assertEqual(ev.decide(built.to_json()), ev.decide_input(built))
            d = ev.decision()
            self.assertEqual(d.get("teacher"), portfolio["teacher"]["id"])
            self.assertEqual(d.get("bevoegdheden[0].code"), portfolio["bevoegdheden"][0]["code"])
            self.assertEqual(d.to_dict(), {k: v for k, v in via_json.items()
                                           if k not in ("ruleset", "engine")})
            self.assertEqual(d.get("bevoegdheden"), via_json["bevoegdheden"])
            if d.has("bevoegdheden[0].term"):
                self.assertEqual(d.get("bevoegdheden[0].term"), via_json["bevoegdheden"][0]["term"])

    def test_as_of_and_view(self):
        p = json.loads(self.portfolios[0])
        del p["as_of"]
        with self.assertRaises(libreg.DataError) as cm:
            self.program.decide(p)
        self.assertEqual(cm.exception.message, "as_of: missing (and no --as-of given)")
        got = self.program.decide(p, as_of="2021-09-01")
        self.assertEqual(got["as_of"], "2021-09-01")
        public = self.program.decide(p, as_of="2021-09-01", view="openbaar")
        self.assertEqual(public["name"], "Anna de Vries")
        self.assertNotIn("notices", public)
        with self.assertRaises(libreg.UsageError):
            self.program.decide(p, view="geheim")
        with self.assertRaises(libreg.UsageError):
            self.program.decide(p, as_of="1 januari")

    def test_builder_errors(self):
        built = self.program.input()
        with self.assertRaises(libreg.DataError) as cm:
            built.set("registration.start", "2019-02-30")
        self.assertEqual(str(cm.exception), "registration.start: not a date")
        with self.assertRaises(libreg.DataError) as cm:
            built.set("activities[0].contact_hours", decimal.Decimal("-2"))
        self.assertEqual(str(cm.exception), "activities[0].contact_hours: negative")
        with self.assertRaises(libreg.UsageError) as cm:
            built.set("teacher.age", 3)
        self.assertEqual(str(cm.exception), "teacher.age: no such field in Leraar")
        with self.assertRaises(libreg.UsageError):
            built.append("teacher")
        self.assertEqual(built.append("activities"), 0)
        self.assertEqual(built.length("activities"), 1)
        built.set("teacher.id", "T1")
        with self.assertRaises(libreg.DataError) as cm:
            self.program.evaluator().decide_input(built)
        self.assertEqual(str(cm.exception), "activities[0].id: missing")

    def test_load_compile_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.rbc")
            with open(path, "wb") as f:
                f.write(self.program.to_bytes())
            again = libreg.Program.from_file(path)
            self.assertEqual(again.sha256, self.program.sha256)
            self.assertEqual((again.name, again.version), ("lerarenregister", "2023.1"))
            self.assertEqual(libreg.Program.from_bytes(self.program.to_bytes()).sha256,
                             self.program.sha256)
            with self.assertRaises(libreg.LoadError):
                libreg.Program.from_file(os.path.join(tmp, "none.rbc"))
            with self.assertRaises(libreg.LoadError):
                libreg.Program.from_bytes(b"not criteria")
        with self.assertRaises(libreg.CompileError) as cm:
            libreg.Program.compile(sources={"bad.regel": "criteria \"x\" versie \"1\"\nregel r: getal = ?\n"})
        self.assertIn("bad.regel:2:", cm.exception.diagnostics)
        self.assertIn("bad.regel:2:", str(cm.exception))

    def test_threads(self):
        want = [self.program.decide(l) for l in self.portfolios[:12]]
        bad = []

        def run():
            for _ in range(5):
                for line, w in zip(self.portfolios[:12], want):
                    if self.program.decide(line) != w:
                        bad.append(line)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(bad, [])

    def test_version(self):
        self.assertRegex(libreg.version(), r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
