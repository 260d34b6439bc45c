#!/usr/bin/env python3
"""Deterministic portfolios in the shape of the shipped criteria (rules/schema.regel).

usage: gen_portfolios.py COUNT SEED [OUTPUT]

One portfolio per line, compact JSON, UTF-8; the same COUNT and SEED always
give the same bytes (only random.Random(seed)). About one line in fifty has a
data error (a negative number, an unknown sector, a missing field or bad
JSON), so that error lines are exercised too. Python standard library only.
"""
import datetime
import json
import random
import sys

CODES = [("vo-wiskunde", "vo"), ("vo-engels", "vo"), ("vo-biologie", "vo"),
         ("po-groepsleerkracht", "po"), ("mbo-zorg", "mbo"), ("so-speciaal-onderwijs", "so")]
TYPES = ["opleiding", "cursus", "studiedag", "conferentie", "binnen_school", "buiten_school",
         "zelfstudie", "zeilen"]
DOMAINS = ["vakinhoud", "vakdidactiek", "pedagogiek", "algemeen", "schoolontwikkeling",
           "beroepsgroep", "overig"]
NAMES = ["Anna de Vries", "Jan Jansen", "Fatima El Amrani", "Zoë Öztürk", "Nguyễn Van"]
BASE = datetime.date(2015, 1, 1)


def day(n):
    return (BASE + datetime.timedelta(days=n)).isoformat()


def hours(rng, top):
    v = rng.randint(0, top * 100)
    return v // 100 if v % 100 == 0 else round(v / 100, 2)


def portfolio(rng, n):
    start = rng.randint(0, 6 * 365)
    p = {"teacher": {"id": "T%07d" % n, "name": rng.choice(NAMES)},
         "as_of": day(start + rng.randint(0, 10 * 365)),
         "registration": {"start": day(start)},
         "bevoegdheden": []}
    if rng.random() < 0.3:
        p["teacher"]["consent_public_activities"] = True
    for _ in range(rng.randint(1, 3)):
        code, sector = rng.choice(CODES)
        b = {"code": code, "sector": sector, "herregistratie": rng.random() < 0.8, "work": []}
        for w in range(rng.randint(0, 5)):
            b["work"].append({"date": day(start + 365 * w + rng.randint(0, 364)),
                              "hours": hours(rng, 1200)})
        p["bevoegdheden"].append(b)
    if rng.random() < 0.25:
        p["voorportaal"] = [{"subject": "wiskunde", "since": day(start + rng.randint(0, 2000)),
                             "extended": rng.random() < 0.5}]
    acts = []
    for a in range(rng.randint(0, 15)):
        act = {"id": "A%d" % (a + 1), "type": rng.choice(TYPES), "domain": rng.choice(DOMAINS),
               "date": day(start + rng.randint(-200, 3000)), "contact_hours": hours(rng, 60)}
        if rng.random() < 0.5:
            act["selfstudy_hours"] = hours(rng, 20)
        if rng.random() < 0.3:
            act["bevoegdheden"] = [rng.choice(CODES)[0]]
        for flag in ("validated", "evidence", "test_passed"):
            if rng.random() < 0.7:
                act[flag] = rng.random() < 0.7
        if rng.random() < 0.2:
            act["source"] = "vrijwillig_register"
        acts.append(act)
    if acts:
        p["activities"] = acts
    r = rng.random()
    if r < 0.005:
        p["bevoegdheden"][0]["sector"] = "hbo"
    elif r < 0.01 and acts:
        acts[0]["contact_hours"] = -1
    elif r < 0.015:
        del p["registration"]
    text = json.dumps(p, ensure_ascii=False, separators=(",", ":"))
    if 0.015 <= r < 0.02:
        text = text[:len(text) // 2]  # malformed
    return text


def main(argv):
    count, seed = int(argv[1]), int(argv[2])
    rng = random.Random(seed)
    out = open(argv[3], "w", encoding="utf-8") if len(argv) > 3 else sys.stdout
    for n in range(count):
        out.write(portfolio(rng, n) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main(sys.argv)
