#!/usr/bin/env python3
"""Diagnostics in Dutch and in English (gettext domain 'libreg', po/nl.po).

usage: test-i18n.py REGEL LOCALEDIR SRCDIR

LOCALEDIR is the build tree's po/ directory (nl/LC_MESSAGES/libreg.mo), given to the library
as REG_LOCALEDIR. The tests need no generated locale: LANG=C.UTF-8 is built into glibc, and
LANGUAGE=nl then chooses the Dutch messages. Checks:
- `regel check` on broken files gives Dutch messages with LANGUAGE=nl (and the same
  positions, codes and carets as in English);
- English without LANGUAGE, and with LANGUAGE=nl in the C locale (gettext's rule);
- po/nl.po translates every message the sources mark (xgettext over po/POTFILES), with no
  fuzzy or untranslated entries, and keeps every format directive.
The last line is 'N passed, N failed'.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

REGEL = LOCALEDIR = SRC = None

BROKEN = {
    "syntax.regel": (
        "criteria \"proef\" versie \"1\"\n"
        "keuzelijst Kleur rood, groen\n"),
    "names.regel": (
        "criteria \"proef\" versie \"1\"\n"
        "invoer Portfolio:\n"
        "  registration: datum, verplicht\n"
        "  uren: getal\n"
        "uitvoer besluit:\n"
        "  start: datum = registraton\n"
        "  telt: geheel = tel(uren)\n"
        "  n: geheel = uren\n"),
    "numbers.regel": (
        "parameter precies: getal = 0.1234567\n"
        "parameter datum_fout: datum = 2021-02-29\n"),
    "eof.regel": (
        "criteria \"proef\" versie \"1\"\n"
        "regel x: waarheid = als waar dan onwaar anders\n"),
}

EXPECTED_NL = {
    "syntax.regel": [
        "syntax.regel:2:18: fout: syntaxfout: een naam is hier niet verwacht; hier hoort ':' "
        "[REG0001]",
        "regel check: de criteria hebben 1 fout",
    ],
    "names.regel": [
        "names.regel:6:18: fout: onbekende naam 'registraton'; bedoelde je 'registration'? "
        "[REG0010]",
        "names.regel:7:18: fout: onbekende naam 'tel' [REG0010]",
        "names.regel:8:15: fout: uitvoerveld 'n' is getal, maar hier is geheel nodig [REG0020]",
        "regel check: de criteria hebben 3 fouten",
    ],
    "numbers.regel": [
        "numbers.regel:1:28: fout: getal '0.1234567' heeft meer dan 6 decimalen [REG0005]",
        "numbers.regel:2:31: fout: '2021-02-29' is geen bestaande datum [REG0004]",
    ],
    "eof.regel": [
        "eof.regel:2:47: fout: syntaxfout: het einde van het bestand is hier niet verwacht "
        "[REG0001]",
    ],
}


def check(directory, name, env_extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES")}
    env["REG_LOCALEDIR"] = LOCALEDIR
    env.update(env_extra)
    wrapper = os.environ.get("REGEL_WRAPPER", "").split()
    p = subprocess.run(wrapper + [REGEL, "check", name], cwd=directory, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.decode("utf-8")


def shape(text):
    """Positions, codes and caret lines of diagnostics, without the words."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^(\S+:\d+:\d+): \S+: .* (\[REG\d{4}\])$", line)
        if m:
            out.append(m.group(1) + " " + m.group(2))
        elif line.startswith("  "):
            out.append(line)
    return out


def with_files(fn):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in BROKEN.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        return fn(tmp)


def test_dutch(tmp):
    problems = []
    for name, want in EXPECTED_NL.items():
        rc, err = check(tmp, name, {"LANGUAGE": "nl", "LANG": "C.UTF-8"})
        if rc != 1:
            problems.append("%s: exit %d" % (name, rc))
        for line in want:
            if line not in err.splitlines():
                problems.append("%s: missing line %r in:\n%s" % (name, line, err))
        rc_en, err_en = check(tmp, name, {})
        if shape(err) != shape(err_en):
            problems.append("%s: Dutch and English differ in more than words:\n%s\n%s" %
                            (name, err, err_en))
    # LC_ALL chooses the locale too; LANGUAGE then chooses the language
    rc, err = check(tmp, "syntax.regel", {"LANGUAGE": "nl", "LC_ALL": "C.UTF-8"})
    if "syntaxfout" not in err:
        problems.append("LC_ALL=C.UTF-8 LANGUAGE=nl is not Dutch:\n" + err)
    return problems


def test_english_by_default(tmp):
    problems = []
    rc, err = check(tmp, "names.regel", {})
    if "error: unknown name 'registraton'; did you mean 'registration'? [REG0010]" not in err \
            or "regel check: the criteria have 3 errors" not in err:
        problems.append("not English without LANGUAGE:\n" + err)
    rc, err = check(tmp, "syntax.regel", {"LANG": "C.UTF-8"})
    if "error: syntax error, unexpected name, expecting ':' [REG0001]" not in err:
        problems.append("not English with LANG=C.UTF-8:\n" + err)
    # gettext ignores LANGUAGE in the C locale
    rc, err = check(tmp, "syntax.regel", {"LANGUAGE": "nl", "LC_ALL": "C"})
    if "syntax error" not in err:
        problems.append("not English in the C locale:\n" + err)
    # a language without a catalog: English
    rc, err = check(tmp, "syntax.regel", {"LANGUAGE": "fy", "LANG": "C.UTF-8"})
    if "syntax error" not in err:
        problems.append("not English for a language without translations:\n" + err)
    return problems


def po_entries(text):
    """(msgid, msgid_plural or None, [msgstr...], fuzzy) of a .po/.pot text."""
    def strs(block):
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    out = []
    for e in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)', e, re.M)
        if not m:
            continue
        mid = strs(m.group(1))
        if mid == "":
            continue
        mp = re.search(r'^msgid_plural ((?:".*"\n?)+)', e, re.M)
        msgstrs = [strs(x) for x in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', e, re.M)]
        out.append((mid, strs(mp.group(1)) if mp else None, msgstrs, "fuzzy" in e))
    return out


DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXcsfgeEp%]")


def test_catalog_complete(_tmp):
    problems = []
    xgettext = shutil.which("xgettext")
    if not xgettext:
        print("  (xgettext not found: only the catalog itself is checked)")
    with open(os.path.join(SRC, "po", "nl.po"), encoding="utf-8") as f:
        nl = po_entries(f.read())
    have = {(e[0], e[1]) for e in nl}
    for mid, plural, msgstrs, fuzzy in nl:
        if fuzzy or not msgstrs or any(s == "" for s in msgstrs):
            problems.append("not translated: %r" % mid)
            continue
        for s in msgstrs:
            if sorted(DIRECTIVE.findall(mid)) != sorted(DIRECTIVE.findall(s)):
                problems.append("format directives differ: %r -> %r" % (mid, s))
    if xgettext:
        with tempfile.TemporaryDirectory() as tmp:
            pot = os.path.join(tmp, "libreg.pot")
            p = subprocess.run([xgettext, "-f", os.path.join(SRC, "po", "POTFILES"), "-D", SRC,
                                "-o", pot, "--language=C", "--from-code=UTF-8",
                                "--keyword=_", "--keyword=N_", "--keyword=reg_ngettext:1,2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if p.returncode != 0:
                return ["xgettext failed:\n" + p.stderr.decode()]
            with open(pot, encoding="utf-8") as f:
                marked = {(e[0], e[1]) for e in po_entries(f.read())}
        for mid, plural in sorted(marked - have, key=str):
            problems.append("not in po/nl.po: %r (run `ninja -C build libreg-pot "
                            "libreg-update-po` and translate it)" % mid)
        for mid, plural in sorted(have - marked, key=str):
            problems.append("in po/nl.po but no longer in the sources: %r" % mid)
    return problems


def main(argv):
    global REGEL, LOCALEDIR, SRC
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    REGEL = os.path.abspath(argv[1])
    LOCALEDIR = os.path.abspath(argv[2])
    SRC = os.path.abspath(argv[3])
    passed = failed = 0
    for t in (test_dutch, test_english_by_default, test_catalog_complete):
        problems = with_files(t)
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
