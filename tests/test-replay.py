#!/usr/bin/env python3
"""End-to-end tests of `regel replay`, `regel eval --archive` and `regel audit`.

usage: test-replay.py REGEL RULES PORTFOLIOS [TEST...] [!TEST...]
(with TESTs, only those run; a !TEST is skipped)

Each case prints `ok NAME` or `FAIL NAME: why`; the last line is `N passed, N failed`.
REGEL_WRAPPER (e.g. valgrind) is put before every regel command when set.
"""
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

REGEL = RULES = PORTFOLIOS = None
WRAPPER = os.environ.get("REGEL_WRAPPER", "").split()
TMP = None
GENESIS = "0" * 64


class Failure(Exception):
    pass


def regel(*args, stdin=None, expect=None):
    """Runs regel; returns (exit status, stdout text). Checks the status when expect is set."""
    proc = subprocess.run(WRAPPER + [REGEL] + [str(a) for a in args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if expect is not None and proc.returncode != expect:
        raise Failure("regel %s: exit %d, expected %d\n%s%s"
                      % (" ".join(map(str, args)), proc.returncode, expect, out, err))
    return proc.returncode, out


def check(cond, what, output=""):
    if not cond:
        raise Failure(what + ("\n" + output if output else ""))


def path(name):
    return os.path.join(TMP, name)


def read_lines(p):
    with open(p, "rb") as f:
        return f.read().split(b"\n")[:-1]


def write_lines(p, lines):
    with open(p, "wb") as f:
        f.write(b"".join(line + b"\n" for line in lines))


def decisions():
    """The decisions of the example portfolios (made once)."""
    p = path("decisions.jsonl")
    if not os.path.exists(p):
        status, out = regel("eval", "--rules", RULES, PORTFOLIOS)
        check(status == 1, "the examples have error lines: exit 1 expected")
        with open(p, "w", encoding="utf-8") as f:
            f.write(out)
    return p


def criteria_sha256(rules):
    regel("compile", rules, "-o", path("c.bin"), expect=0)
    with open(path("c.bin"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generated(n, first=0):
    """n valid portfolios: the examples' good lines with new teacher ids."""
    good = []
    for line in read_lines(PORTFOLIOS):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if "error" not in json.dumps(obj):
            good.append(obj)
    good = good[:12]
    out = []
    for i in range(first, first + n):
        obj = json.loads(json.dumps(good[i % len(good)]))
        obj["teacher"]["id"] = "G%07d" % i
        out.append(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
    return out


def row_hash(prev, seq, run, line, teacher, as_of, criteria, input_sha256, decision):
    """The row hash exactly as docs/archive.md defines it."""
    def u64(v):
        return struct.pack(">Q", v & 0xFFFFFFFFFFFFFFFF)

    def text(s):
        if s is None:
            return u64(0xFFFFFFFFFFFFFFFF)
        b = s.encode("utf-8") if isinstance(s, str) else s
        return u64(len(b)) + b
    data = (b"regel-archive-1" + text(prev) + u64(seq) + u64(run) + u64(line) + text(teacher)
            + text(as_of) + text(criteria) + text(input_sha256) + text(decision))
    return hashlib.sha256(data).hexdigest()


def archive(name, *extra, inputs=None):
    """An archive of the example portfolios (one run)."""
    db = path(name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    status, out = regel("eval", "--rules", RULES, "--archive", db, *extra, inputs or PORTFOLIOS)
    check(status == 1, "eval --archive: exit 1 expected (error lines)", out)
    with open(decisions(), encoding="utf-8") as f:
        if not extra:
            check(out == f.read(), "eval --archive prints what eval prints")
    return db


def tampered(sql, *params):
    db = path("tampered.db")
    shutil.copy(archive("base.db"), db)
    con = sqlite3.connect(db)
    con.executescript(sql) if not params else con.execute(sql, params)
    con.commit()
    con.close()
    return db


# ---- regel replay ----

def test_replay_identical():
    status, out = regel("replay", "--rules", RULES, "--input", PORTFOLIOS, decisions(), expect=0)
    check("15 decisions: 15 identical, 0 differ; 0 input lines without a decision" in out,
          "summary", out)


def test_replay_stdin():
    with open(decisions(), "rb") as f:
        data = f.read()
    regel("replay", "--rules", RULES, "--input", PORTFOLIOS, "-", stdin=data, expect=0)


def test_replay_usage():
    regel("replay", "--rules", RULES, decisions(), expect=2)
    regel("replay", "--input", PORTFOLIOS, decisions(), expect=2)
    regel("replay", "--rules", RULES, "--input", PORTFOLIOS, "--bogus", decisions(), expect=2)
    regel("replay", "--rules", RULES, "--input", path("nonexistent"), decisions(), expect=2)


def test_replay_portfolio_changed_by_one_digit():
    lines = read_lines(PORTFOLIOS)
    old = lines[4]
    check(b'"hours": 300' in old, "example line 5 has 300 hours")
    lines[4] = old.replace(b'"hours": 300', b'"hours": 301', 1)
    write_lines(path("changed.jsonl"), lines)
    status, out = regel("replay", "--rules", RULES, "--input", path("changed.jsonl"), decisions(),
                        expect=1)
    recorded = json.loads(read_lines(decisions())[4])["input_sha256"]
    check("decisions.jsonl:5: teacher T900005: portfolio changed: no input line has input_sha256 "
          + recorded in out, "names the changed portfolio", out)
    check("changed.jsonl:5 has input_sha256 " + hashlib.sha256(lines[4]).hexdigest() in out,
          "names the line it changed into", out)
    check("14 identical, 1 differ" in out, "only that one differs", out)


def test_replay_portfolio_missing():
    lines = read_lines(PORTFOLIOS)
    del lines[3]
    write_lines(path("missing.jsonl"), lines[:11])  # no error lines: those go by number
    status, out = regel("replay", "--rules", RULES, "--input", path("missing.jsonl"), decisions(),
                        expect=1)
    check("decisions.jsonl:4: teacher T900004: portfolio missing: no input line has input_sha256"
          in out, "names the missing portfolio", out)


def test_replay_edited_decision():
    lines = read_lines(decisions())
    check(b'"status":"aantekening"' in lines[4], "decision 5 is an aantekening")
    lines[4] = lines[4].replace(b'"status":"aantekening"', b'"status":"herregistratie"', 1)
    write_lines(path("edited.jsonl"), lines)
    status, out = regel("replay", "--rules", RULES, "--input", PORTFOLIOS, path("edited.jsonl"),
                        expect=1)
    check('edited.jsonl:5: teacher T900005: bevoegdheden[0].status: recorded "herregistratie", '
          'replayed "aantekening"' in out, "names the edited field", out)
    check("14 identical, 1 differ" in out, "only that one differs", out)


def test_replay_edited_number_and_member():
    lines = read_lines(decisions())
    d = json.loads(lines[1])
    total = d["bevoegdheden"][0]["progress"]["totaal"]
    lines[1] = lines[1].replace(b'"totaal":%d' % total, b'"totaal":%d' % (total + 1), 1)
    lines[2] = lines[2].replace(b',"rejected":[]', b"", 1)
    write_lines(path("edited2.jsonl"), lines)
    status, out = regel("replay", "--rules", RULES, "--input", PORTFOLIOS, path("edited2.jsonl"),
                        expect=1)
    check("bevoegdheden[0].progress.totaal: recorded %d, replayed %d" % (total + 1, total) in out,
          "names the edited number", out)
    check("edited2.jsonl:3: teacher T900003: rejected: recorded (absent), replayed []" in out,
          "names the removed member", out)


def test_replay_error_line():
    lines = read_lines(decisions())
    check(b'"error"' in lines[13], "decision 14 is an error line")
    lines[13] = lines[13].replace(b"negative", b"positive")
    write_lines(path("errors.jsonl"), lines)
    status, out = regel("replay", "--rules", RULES, "--input", PORTFOLIOS, path("errors.jsonl"),
                        expect=1)
    check("errors.jsonl:14: teacher T999991: error line of input line" in out
          and 'error: recorded "activities[0].contact_hours: positive"' in out,
          "names the edited error line", out)


def test_replay_other_criteria():
    rules2 = path("rules-170")
    shutil.rmtree(rules2, ignore_errors=True)
    shutil.copytree(RULES, rules2)
    changed = False
    for name in sorted(os.listdir(rules2)):
        p = os.path.join(rules2, name)
        if not name.endswith(".regel"):
            continue
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if "= 160" in text:
            text = text.replace("= 160", "= 170")
            changed = True
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
    check(changed, "the rules have a 160")
    old, new = criteria_sha256(RULES), criteria_sha256(rules2)
    check(old != new, "other criteria have another sha256")
    status, out = regel("replay", "--rules", rules2, "--input", PORTFOLIOS, decisions(), expect=1)
    check("decisions.jsonl:1: teacher T900001: decided under other criteria (recorded %s, given %s)"
          % (old, new) in out, "names other criteria", out)


def test_replay_input_without_decision():
    lines = read_lines(decisions())
    write_lines(path("fewer.jsonl"), lines[:3] + lines[4:])
    status, out = regel("replay", "--rules", RULES, "--input", PORTFOLIOS, path("fewer.jsonl"),
                        expect=1)
    check("portfolios.jsonl:4: teacher T900004: no decision recorded for this portfolio" in out,
          "names the input without a decision", out)
    regel("replay", "--partial", "--rules", RULES, "--input", PORTFOLIOS, path("fewer.jsonl"),
          expect=0)


# ---- regel eval --archive and regel audit ----

def test_audit_intact():
    db = archive("intact.db")
    status, out = regel("audit", db, expect=0)
    check("audit: 15 rows, chain intact" in out and "15 decisions replayed: 15 identical" in out,
          "summary", out)
    con = sqlite3.connect(db)
    check(con.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "WAL mode")
    n_inputs = con.execute("SELECT count(*) FROM inputs WHERE line IS NOT NULL").fetchone()[0]
    check(n_inputs == 15, "every input kept once")
    check(con.execute("SELECT count(*) FROM criteria").fetchone()[0] == 1, "criteria kept once")
    errors = con.execute("SELECT teacher FROM decisions WHERE json_extract(decision, '$.error')"
                         " IS NOT NULL ORDER BY seq").fetchall()
    check([t for (t,) in errors] == ["T999990", "T999991", "T999992"], "error lines have teachers")


def test_archive_hash_format():
    """Every stored hash is the documented SHA-256 over the row and the previous hash."""
    con = sqlite3.connect(archive("format.db"))
    prev = GENESIS
    for row in con.execute("SELECT seq, run, line, teacher, as_of, criteria_sha256, input_sha256,"
                           " decision, prev_hash, hash FROM decisions ORDER BY seq"):
        check(row[8] == prev, "seq %d chains from the row before" % row[0])
        check(row_hash(row[8], *row[:8]) == row[9], "seq %d: hash as documented" % row[0])
        prev = row[9]
    check(con.execute("SELECT value FROM meta WHERE key = 'head_hash'").fetchone()[0] == prev,
          "meta records the head")


def test_audit_edited_row():
    db = tampered("UPDATE decisions SET decision = replace(decision, '\"status\":\"aantekening\"',"
                  " '\"status\":\"herregistratie\"') WHERE seq = 5")
    status, out = regel("audit", db, expect=1)
    check("seq 5 (teacher T900005): edited: its fields do not match its hash" in out,
          "names the edited row", out)
    check('seq 5 (teacher T900005): bevoegdheden[0].status: recorded "herregistratie", replayed '
          '"aantekening"' in out, "replay names the edited field", out)


def test_audit_edited_column():
    db = tampered("UPDATE decisions SET as_of = '2030-01-01' WHERE seq = 2")
    status, out = regel("audit", db, expect=1)
    check("seq 2 (teacher T900002): edited" in out, "names the edited row", out)


def test_audit_deleted_row():
    db = tampered("DELETE FROM decisions WHERE seq = 7")
    status, out = regel("audit", db, expect=1)
    check("seq 7: deleted" in out, "names the deleted row", out)


def test_audit_deleted_last_row():
    db = tampered("DELETE FROM decisions WHERE seq = 15")
    status, out = regel("audit", db, expect=1)
    check("seq 15: deleted" in out, "names the deleted last row", out)


def test_audit_inserted_row_at_end():
    db = tampered("INSERT INTO decisions SELECT 16, run, 16, 'T123', as_of, criteria_sha256,"
                  " input_sha256, decision, hash, hash FROM decisions WHERE seq = 15")
    status, out = regel("audit", db, expect=1)
    check("seq 16 (teacher T123): inserted" in out, "names the inserted row", out)


def test_audit_inserted_row_in_the_middle():
    # renumber seq 11.. to make room, put a forged row (hashed like a real one) at seq 11
    con = sqlite3.connect(archive("base.db"))
    r4 = con.execute("SELECT run, line, teacher, as_of, criteria_sha256, input_sha256, decision"
                     " FROM decisions WHERE seq = 4").fetchone()
    prev = con.execute("SELECT hash FROM decisions WHERE seq = 10").fetchone()[0]
    con.close()
    forged = r4[6].replace('"geregistreerd"', '"herregistratie"')
    h = row_hash(prev, 11, r4[0], r4[1], "T000666", r4[3], r4[4], r4[5], forged)
    db = tampered("CREATE TEMP TABLE t AS SELECT * FROM decisions WHERE seq > 10;"
                  " DELETE FROM decisions WHERE seq > 10;"
                  " INSERT INTO decisions SELECT seq + 1, run, line, teacher, as_of, criteria_sha256,"
                  "  input_sha256, decision, prev_hash, hash FROM t;"
                  " INSERT INTO decisions SELECT 11, %d, %d, 'T000666', '%s', '%s', '%s', '%s', '%s',"
                  " '%s';" % (r4[0], r4[1], r4[3], r4[4], r4[5], forged.replace("'", "''"), prev, h))
    status, out = regel("audit", db, expect=1)
    check("seq 11 (teacher T000666): inserted" in out, "names the inserted row", out)
    check("seq 12..16: reordered: recorded as seq 11..15" in out, "names the renumbered rows", out)


def test_audit_reordered_rows():
    db = tampered("UPDATE decisions SET seq = -1 WHERE seq = 8; UPDATE decisions SET seq = 8"
                  " WHERE seq = 9; UPDATE decisions SET seq = 9 WHERE seq = -1")
    status, out = regel("audit", db, expect=1)
    check("seq 8 (teacher T900009): reordered: recorded as seq 9" in out
          and "seq 9 (teacher T900008): reordered: recorded as seq 8" in out,
          "names both reordered rows", out)


def test_audit_replaced_row():
    # edited and its own hash recomputed: the next row no longer chains from it
    con = sqlite3.connect(archive("base.db"))
    r = con.execute("SELECT seq, run, line, teacher, as_of, criteria_sha256, input_sha256,"
                    " decision, prev_hash FROM decisions WHERE seq = 6").fetchone()
    con.close()
    forged = r[7].replace('"begeleiding"', '"geen"')
    check(forged != r[7], "decision 6 has begeleiding")
    h = row_hash(r[8], *r[:7], forged)
    db = tampered("UPDATE decisions SET decision = ?, hash = ? WHERE seq = 6", forged, h)
    status, out = regel("audit", db, expect=1)
    check("seq 6 (teacher T900006): replaced" in out, "names the replaced row", out)


def test_audit_edited_input_and_criteria():
    db = tampered("UPDATE inputs SET line = replace(line, '300', '301')"
                  " WHERE line LIKE '%T900005%'")
    status, out = regel("audit", db, expect=1)
    check(": edited: its text has SHA-256" in out, "names the edited input", out)
    db = tampered("UPDATE criteria SET bytes = bytes || x'00'")
    status, out = regel("audit", db, expect=1)
    check(": edited: their bytes have SHA-256" in out, "names the edited criteria", out)


def test_audit_select():
    db = archive("select.db")
    regel("eval", "--rules", RULES, "--archive", db, PORTFOLIOS)
    status, out = regel("audit", db, "--teacher", "T900005", expect=0)
    check("2 decisions replayed: 2 identical" in out, "two decisions of T900005", out)
    status, out = regel("audit", db, "--since", "2024-01-01", expect=0)
    check("audit: 30 rows, chain intact" in out and "8 decisions replayed" in out,
          "decisions as of 2024 or later", out)


def test_archive_append_continues_chain():
    db = archive("append.db")
    generated_path = path("gen-append.jsonl")
    write_lines(generated_path, generated(40))
    regel("eval", "--rules", RULES, "--archive", db, generated_path, expect=0)
    regel("eval", "--rules", RULES, "--archive", db, stdin=b"\n".join(generated(5, 100)) + b"\n",
          expect=0)
    con = sqlite3.connect(db)
    runs = con.execute("SELECT run, min(seq), max(seq), min(line), max(line) FROM decisions"
                       " GROUP BY run ORDER BY run").fetchall()
    check(runs == [(1, 1, 15, 1, 15), (2, 16, 55, 1, 40), (3, 56, 60, 1, 5)], "three runs: %r" % runs)
    first = con.execute("SELECT prev_hash FROM decisions WHERE seq = 16").fetchone()[0]
    last = con.execute("SELECT hash FROM decisions WHERE seq = 15").fetchone()[0]
    check(first == last, "run 2 chains from run 1")
    con.close()
    status, out = regel("audit", db, expect=0)
    check("audit: 60 rows, chain intact" in out and "60 identical" in out, "summary", out)


def test_archive_hash_only():
    db = archive("hashonly.db", "--archive-inputs=hash-only")
    con = sqlite3.connect(db)
    kept = con.execute("SELECT count(*), count(line) FROM inputs").fetchone()
    check(kept == (15, 0), "only hashes kept: %r" % (kept,))
    con.close()
    status, out = regel("audit", db, expect=0)
    check("15 not replayed" in out and "chain intact" in out, "chain checked, not replayed", out)
    status, out = regel("audit", db, "--input", PORTFOLIOS, expect=0)
    check("15 decisions replayed: 15 identical" in out, "replayed from --input", out)
    lines = read_lines(PORTFOLIOS)
    lines[4] = lines[4].replace(b'"hours": 300', b'"hours": 301', 1)
    write_lines(path("changed-ho.jsonl"), lines)
    status, out = regel("audit", db, "--input", path("changed-ho.jsonl"), expect=1)
    check("seq 5 (teacher T900005): portfolio missing: no line of --input has input_sha256" in out,
          "names the changed portfolio", out)


def test_archive_killed_batch():
    db = path("killed.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    proc = subprocess.Popen(WRAPPER + [REGEL, "eval", "--rules", RULES, "--archive", db],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    sent = 0
    committed = 0
    writer = None
    deadline = time.time() + 240
    try:
        while time.time() < deadline:
            batch = generated(2000, sent)
            proc.stdin.write(b"".join(line + b"\n" for line in batch))
            proc.stdin.flush()
            sent += len(batch)
            if sent >= 20000 and os.path.exists(db):
                try:
                    con = sqlite3.connect(db, timeout=30)
                    committed = con.execute("SELECT count(*) FROM decisions").fetchone()[0]
                    con.close()
                except sqlite3.DatabaseError:
                    committed = 0
                if committed > 0:
                    break
        # many more lines, written without a pause, and the kill while they stream in:
        # regel eval commits whenever its input pauses (so that a waiting host gets its
        # decisions), so a pause here would let it catch up before the kill
        more = b"".join(line + b"\n" for line in generated(20000, sent))
        sent += 20000

        def feed():
            try:
                proc.stdin.write(more)
                proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=feed)
        writer.start()
        time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if writer:
            writer.join()
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    check(committed > 0, "rows were committed before the kill")
    status, out = regel("audit", db, expect=0)
    con = sqlite3.connect(db)
    n, head = con.execute("SELECT count(*), (SELECT value FROM meta WHERE key = 'head_seq')"
                          " FROM decisions").fetchone()
    lines = con.execute("SELECT min(line), max(line), count(*) FROM decisions").fetchone()
    con.close()
    check(0 < n < sent, "some but not all lines archived (%d of %d)" % (n, sent))
    check(str(n) == head and lines == (1, n, n), "whole chunks up to the last commit")
    check("audit: %d rows, chain intact" % n in out and "%d identical" % n in out, "summary", out)
    # and appending to it goes on from its last commit
    regel("eval", "--rules", RULES, "--archive", db, PORTFOLIOS)
    status, out = regel("audit", db, expect=0)
    check("audit: %d rows, chain intact" % (n + 15) in out, "appended after the kill", out)


def test_archive_run_options():
    """Decisions made with --explain=leraar, --explain, --public and --as-of audit and replay."""
    db = path("options.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    no_as_of = path("no-as-of.jsonl")
    lines = [json.loads(line) for line in read_lines(PORTFOLIOS)[:3]]
    for obj in lines:
        del obj["as_of"]
    write_lines(no_as_of, [json.dumps(obj).encode("utf-8") for obj in lines] + [b""])
    for opts in (["--explain=leraar"], ["--explain"], ["--public"], ["--as-of", "2024-03-01"], []):
        status, out = regel("eval", "--rules", RULES, "--archive", db, *opts, no_as_of, expect=1)
        with open(path("options.jsonl"), "w", encoding="utf-8") as f:
            f.write(out)
        if "--public" not in opts:
            regel("replay", "--rules", RULES, "--input", no_as_of, *opts, path("options.jsonl"),
                  expect=0)
    con = sqlite3.connect(db)
    explain = [e for (e,) in con.execute("SELECT explain FROM runs ORDER BY id")]
    check(explain == [2, 1, 0, 0, 0], "runs record the explain style: %r" % explain)
    as_of = [a for (a,) in con.execute("SELECT as_of FROM decisions WHERE run = 4 ORDER BY seq")]
    check(as_of == ["2024-03-01"] * 4, "the run's --as-of for lines without their own: %r" % as_of)
    con.close()
    status, out = regel("audit", db, expect=0)
    check("audit: 20 rows, chain intact" in out and "20 decisions replayed: 20 identical" in out,
          "summary", out)


def test_archive_not_an_archive():
    db = path("other.db")
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE x (y)")
    con.commit()
    con.close()
    regel("eval", "--rules", RULES, "--archive", db, PORTFOLIOS, expect=2)
    regel("audit", db, expect=2)
    regel("audit", path("nonexistent.db"), expect=2)


def test_docs_queries():
    """The example queries of docs/archive.md run and answer."""
    db = archive("queries.db")
    con = sqlite3.connect(db)
    crit = con.execute("SELECT sha256 FROM criteria").fetchone()[0]
    rows = con.execute(
        "SELECT d.seq, d.teacher, d.as_of, json_extract(b.value, '$.code')"
        " FROM decisions AS d, json_each(d.decision, '$.bevoegdheden') AS b"
        " WHERE d.criteria_sha256 = ? AND json_extract(b.value, '$.status') = 'aantekening'"
        " ORDER BY d.seq", (crit,)).fetchall()
    check(len(rows) >= 1 and rows[0][1] == "T900005", "aantekeningen: %r" % rows)
    rows = con.execute("SELECT seq, as_of, decision FROM decisions WHERE teacher = ? ORDER BY seq",
                       ("T900005",)).fetchall()
    check(len(rows) == 1, "decisions of one teacher")


def main(argv):
    global REGEL, RULES, PORTFOLIOS, TMP
    REGEL, RULES, PORTFOLIOS = (os.path.abspath(a) for a in argv[1:4])
    TMP = tempfile.mkdtemp(prefix="regel-replay-")
    tests = [(k, v) for k, v in globals().items() if k.startswith("test_") and callable(v)]
    only = [a for a in argv[4:] if not a.startswith("!")]
    skip = [a[1:] for a in argv[4:] if a.startswith("!")]
    passed = failed = 0
    for name, fn in tests:
        if (only and name not in only) or name in skip:
            continue
        try:
            fn()
            print("ok", name)
            passed += 1
        except Failure as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
        except Exception as e:  # a broken test is a failure too, and the others still run
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            failed += 1
        sys.stdout.flush()
    if failed == 0:
        shutil.rmtree(TMP, ignore_errors=True)
    else:
        print("files kept in", TMP)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
