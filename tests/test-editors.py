#!/usr/bin/env python3
"""Tests of the editor support in editors/: the Vim syntax files and the TextMate grammars.

usage: test-editors.py SRCDIR

- every keyword of dsl/keywords.c (Dutch and English) is a `syn keyword` of
  editors/vim/syntax/regel.vim, and the TextMate grammar gives it a keyword scope;
- the TextMate grammars are valid JSON and every regular expression in them compiles (with
  Python's `re`, close enough to Oniguruma for the constructs used);
- a small TextMate tokenizer (first match wins, earliest position first; begin/end regions;
  includes) covers every non-blank character of rules/*.regel, tests/golden/fmt/*.regel and
  rules/tests/*.regeltest with some rule, and gives a few telling tokens the scope they need;
- the VS Code package points at the grammars; Vim, when installed, loads the files cleanly.
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

SRC = None


def keywords():
    with open(os.path.join(SRC, "dsl", "keywords.c"), encoding="utf-8") as f:
        text = f.read()
    words = re.findall(r'\{\s*"([^"]+)",\s*[A-Z_]+,', text)
    if len(words) < 50:
        raise RuntimeError("could not read the keyword table of dsl/keywords.c")
    return words


# ------------------------------------------------------------------ a TextMate tokenizer

class Grammar:
    def __init__(self, path, others=None):
        with open(path, encoding="utf-8") as f:
            self.data = json.load(f)
        self.scope = self.data["scopeName"]
        self.repo = self.data.get("repository", {})
        self.others = others or {}
        self.cache = {}

    def regexes(self):
        """Every (where, regex) of the grammar."""
        out = []

        def walk(rule, where):
            if isinstance(rule, dict):
                for key in ("match", "begin", "end"):
                    if key in rule:
                        out.append(("%s.%s" % (where, key), rule[key]))
                for i, sub in enumerate(rule.get("patterns", [])):
                    walk(sub, "%s.patterns[%d]" % (where, i))
        for i, rule in enumerate(self.data.get("patterns", [])):
            walk(rule, "patterns[%d]" % i)
        for name, rule in self.repo.items():
            walk(rule, "repository.%s" % name)
        return out

    def flatten(self, patterns, seen=()):
        """The match/begin rules a list of patterns stands for, includes resolved, in order."""
        out = []
        for rule in patterns:
            if "include" in rule:
                inc = rule["include"]
                if inc.startswith("#"):
                    target = self.repo[inc[1:]]
                    if inc in seen:
                        continue
                    out += self.flatten([target], seen + (inc,))
                elif inc == "$self":
                    out += self.flatten(self.data["patterns"], seen)
                else:
                    g = self.others[inc]
                    out += g.flatten(g.data["patterns"], seen)
            elif "match" in rule or "begin" in rule:
                out.append(rule)
            elif "patterns" in rule:
                out += self.flatten(rule["patterns"], seen)
        return out

    def compiled(self, rule, key):
        k = (id(rule), key)
        if k not in self.cache:
            self.cache[k] = re.compile(rule[key])
        return self.cache[k]

    def tokenize(self, text):
        """[(line, col, text, [scopes])] of every token, and the unmatched non-blank pieces as
        (line, col, text)."""
        tokens, unmatched = [], []
        stack = []  # open begin/end regions: (rule, scopes)
        top = self.flatten(self.data["patterns"])
        for lineno, line in enumerate(text.split("\n"), 1):
            pos = 0
            while pos <= len(line):
                if stack:
                    rule, scopes = stack[-1]
                    candidates = [("end", rule)] + [("rule", r) for r in
                                                   self.flatten(rule.get("patterns", []))]
                else:
                    scopes = [self.scope]
                    candidates = [("rule", r) for r in top]
                best = None
                for kind, rule in candidates:
                    rx = self.compiled(rule, "end" if kind == "end" else
                                       ("match" if "match" in rule else "begin"))
                    m = rx.search(line, pos)
                    if m and (best is None or m.start() < best[2].start()):
                        best = (kind, rule, m)
                if best is None or (best[2].end() == best[2].start() and best[0] != "end"):
                    rest = line[pos:]
                    if not stack and rest.strip():
                        unmatched.append((lineno, pos + 1, rest.strip()))
                    break
                kind, rule, m = best
                gap = line[pos:m.start()]
                if not stack and gap.strip():
                    unmatched.append((lineno, pos + 1, gap.strip()))
                if kind == "end":
                    tokens.append((lineno, m.start() + 1, m.group(0), scopes))
                    stack.pop()
                elif "match" in rule:
                    here = scopes + ([rule["name"]] if "name" in rule else [])
                    caps = rule.get("captures", {})
                    if caps:
                        for g, cap in sorted(caps.items(), key=lambda kv: int(kv[0])):
                            if m.group(int(g)) is not None:
                                tokens.append((lineno, m.start(int(g)) + 1, m.group(int(g)),
                                               here + [cap["name"]]))
                    else:
                        tokens.append((lineno, m.start() + 1, m.group(0), here))
                else:
                    here = scopes + ([rule["name"]] if "name" in rule else [])
                    tokens.append((lineno, m.start() + 1, m.group(0), here))
                    stack.append((rule, here))
                if m.end() == m.start():
                    if m.end() >= len(line):
                        break
                    pos = m.end() + 1 if kind != "end" else m.end()
                else:
                    pos = m.end()
                if pos >= len(line) and not stack:
                    break
        return tokens, unmatched


def grammars():
    regel = Grammar(os.path.join(SRC, "editors", "textmate", "regel.tmLanguage.json"))
    test = Grammar(os.path.join(SRC, "editors", "textmate", "regeltest.tmLanguage.json"),
                   {"source.regel": regel})
    return regel, test


def scope_of(grammar, line, word):
    tokens, _ = grammar.tokenize(line)
    for _, col, text, scopes in tokens:
        if text == word:
            return scopes[-1]
    return None


# ------------------------------------------------------------------ tests

def test_vim_knows_every_keyword():
    with open(os.path.join(SRC, "editors", "vim", "syntax", "regel.vim"), encoding="utf-8") as f:
        text = f.read()
    vim_words = set()
    for line in text.splitlines():
        m = re.match(r"\s*syn(?:tax)?\s+keyword\s+(\w+)\s+(.*)", line)
        if m and m.group(1) != "regelTodo":
            vim_words.update(w for w in m.group(2).split() if "=" not in w)
    missing = [w for w in keywords() if w not in vim_words]
    return ["regel.vim has no syn keyword for: " + ", ".join(missing)] if missing else []


def test_textmate_is_valid():
    problems = []
    for name in ("regel.tmLanguage.json", "regeltest.tmLanguage.json"):
        path = os.path.join(SRC, "editors", "textmate", name)
        try:
            g = Grammar(path)
        except ValueError as e:
            problems.append("%s: not JSON: %s" % (name, e))
            continue
        n = 0
        for where, rx in g.regexes():
            n += 1
            try:
                re.compile(rx)
            except re.error as e:
                problems.append("%s %s: %r does not compile: %s" % (name, where, rx, e))
        if n < 5:
            problems.append("%s: only %d regular expressions" % (name, n))
    return problems


KEYWORD_SCOPES = ("keyword.", "storage.", "support.", "constant.language.")


def test_textmate_knows_every_keyword():
    regel, _ = grammars()
    problems = []
    for w in keywords():
        scope = scope_of(regel, w, w)
        if not scope or not scope.startswith(KEYWORD_SCOPES):
            problems.append("%s: scope %s" % (w, scope))
    return problems


def test_textmate_covers_the_shipped_files():
    regel, test = grammars()
    problems = []
    files = (sorted(glob.glob(os.path.join(SRC, "rules", "*.regel"))) +
             sorted(glob.glob(os.path.join(SRC, "tests", "golden", "fmt", "*.regel"))))
    tests = sorted(glob.glob(os.path.join(SRC, "rules", "tests", "*.regeltest")))
    if not files or not tests:
        return ["no files to tokenize"]
    for paths, g in ((files, regel), (tests, test)):
        for path in paths:
            with open(path, encoding="utf-8") as f:
                _, unmatched = g.tokenize(f.read())
            for line, col, text in unmatched[:5]:
                problems.append("%s:%d:%d: no rule matches %r" %
                                (os.path.relpath(path, SRC), line, col, text[:40]))
    # the check itself: a character the language does not have is left unmatched
    _, unmatched = regel.tokenize("regel x = 1;\n")
    if [u[2] for u in unmatched] != [";"]:
        problems.append("the tokenizer does not notice an unmatched ';': %r" % unmatched)
    return problems


def test_textmate_scopes():
    regel, test = grammars()
    cases = [
        (regel, "regel termijn(k: geheel): Termijn =", "termijn", "entity.name.function.regel"),
        (regel, "regel termijn(k: geheel): Termijn =", "geheel", "support.type.regel"),
        (regel, "regel termijn(k: geheel): Termijn =", "Termijn", "entity.name.type.regel"),
        (regel, "  a.date >= 2018-08-01 en niet x", "date", "variable.other.member.regel"),
        (regel, "  a.date >= 2018-08-01 en niet x", "2018-08-01", "constant.numeric.date.regel"),
        (regel, "  a.date >= 2018-08-01 en niet x", "en", "keyword.operator.word.regel"),
        (regel, "  date: datum, verplicht", "date", "variable.other.member.regel"),
        (regel, "  date: datum, verplicht", "verplicht", "storage.modifier.field-option.regel"),
        (regel, "parameter termijnduur: duur = 4 jaar  # vier", "jaar", "keyword.other.unit.regel"),
        (regel, "parameter termijnduur: duur = 4 jaar  # vier", "# vier",
         "comment.line.number-sign.regel"),
        (regel, "rule f: int = if x then sum(y for y in l) else 0", "if",
         "keyword.control.conditional.regel"),
        (regel, "regel n: geheel = perioden(a, b, c)", "perioden", "support.function.builtin.regel"),
        (regel, '  uitleg "je hebt {waarde} uur"', "{waarde}", "variable.other.placeholder.regel"),
        (test, 'verwacht diagnose REG0010 "onbekende naam"', "REG0010",
         "constant.other.diagnostic-code.regeltest"),
        (test, 'criteria """regel x = waar"""', "waar", "constant.language.boolean.regel"),
    ]
    problems = []
    for g, line, word, want in cases:
        got = scope_of(g, line, word)
        if got != want:
            problems.append("%r in %r: %s, expected %s" % (word, line, got, want))
    return problems


def test_vscode_package():
    problems = []
    base = os.path.join(SRC, "editors", "vscode")
    with open(os.path.join(base, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    with open(os.path.join(base, "language-configuration.json"), encoding="utf-8") as f:
        json.load(f)
    for g in pkg["contributes"]["grammars"]:
        path = os.path.join(base, g["path"])
        if not os.path.isfile(path):
            problems.append("%s does not exist" % g["path"])
            continue
        with open(path, encoding="utf-8") as f:
            if json.load(f)["scopeName"] != g["scopeName"]:
                problems.append("%s: another scopeName" % g["path"])
    exts = {e for lang in pkg["contributes"]["languages"] for e in lang["extensions"]}
    if exts != {".regel", ".regeltest"}:
        problems.append("extensions: %r" % exts)
    with open(os.path.join(SRC, "editors", "vim", "ftdetect", "regel.vim")) as f:
        ft = f.read()
    for pattern in ("*.regel setfiletype regel", "*.regeltest setfiletype regeltest"):
        if pattern not in ft:
            problems.append("ftdetect/regel.vim lacks %r" % pattern)
    return problems


def test_vim_loads_the_files():
    vim = shutil.which("vim")
    if not vim:
        print("  (vim not installed: skipped)")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        script = os.path.join(tmp, "check.vim")
        with open(script, "w") as f:
            f.write("""set nocompatible
let &rtp = '%(rtp)s,' . &rtp
filetype plugin on
syntax on
let v:errmsg = ''
edit %(regel)s
let s:a = synIDattr(synID(1, 1, 1), 'name') . ' ' . &filetype
edit %(test)s
let s:b = synIDattr(synID(1, 1, 1), 'name') . ' ' . &filetype
call writefile([s:a, s:b, v:errmsg], '%(out)s')
qa!
""" % {"rtp": os.path.join(SRC, "editors", "vim"),
       "regel": os.path.join(SRC, "rules", "schema.regel"),
       "test": os.path.join(SRC, "rules", "tests", "drempels.regeltest"), "out": out})
        subprocess.run([vim, "-N", "-u", "NONE", "-i", "NONE", "-es", "-S", script],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
        try:
            with open(out) as f:
                a, b, err = (f.read().split("\n") + ["", "", ""])[:3]
        except FileNotFoundError:
            return ["vim wrote nothing"]
    problems = []
    if a != "regelComment regel":
        problems.append("schema.regel in vim: %r" % a)
    if b != "regeltestComment regeltest":
        problems.append("drempels.regeltest in vim: %r" % b)
    if err:
        problems.append("vim: " + err)
    return problems


TESTS = [
    test_vim_knows_every_keyword,
    test_textmate_is_valid,
    test_textmate_knows_every_keyword,
    test_textmate_covers_the_shipped_files,
    test_textmate_scopes,
    test_vscode_package,
    test_vim_loads_the_files,
]


def main(argv):
    global SRC
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    SRC = os.path.abspath(argv[1])
    passed = failed = 0
    for t in TESTS:
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
