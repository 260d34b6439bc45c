#!/usr/bin/env python3
"""Seeded portfolios in the shape of ../shared/spec/formats.md, for the shipped criteria.

usage: gen-portfolios.py COUNT [--seed N] [--errors FRACTION] [-o OUTPUT]

One portfolio per line, JSON as the spec's examples write it (", " and ": "), UTF-8;
about 3 KB each. The same COUNT, seed and error fraction always give the same bytes
(only random.Random). Registrations start between 2015 and 2024, peildata fall in
2024-2028, so every status of domain.md occurs: registered, at risk, aantekening,
begeleiding, lifted, not assessed; work experience is recorded per year, activities
spread over the terms with the seven types, six domains (and some unknown ones),
validations, evidence, tests, imports from the vrijwillig register and per-bevoegdheid
activities. A fraction of the lines (default 0.01) carries a data error: a negative
number, an unknown sector, a missing field, 3-decimal hours, an impossible date or
truncated JSON. Standard library only.
"""
import argparse
import datetime
import json
import random
import sys

SUBJECTS = {
    "vo": ["wiskunde", "engels", "nederlands", "biologie", "geschiedenis", "natuurkunde",
           "frans", "duits", "economie", "aardrijkskunde"],
    "mbo": ["zorg", "techniek", "economie", "ict"],
    "po": ["groepsleerkracht"],
    "so": ["groepsleerkracht", "speciaal-onderwijs"],
}
TYPES = [("opleiding", 8), ("cursus", 25), ("studiedag", 20), ("conferentie", 12),
         ("binnen_school", 15), ("buiten_school", 8), ("zelfstudie", 10), ("webinar", 2)]
DOMAINS = [("vakinhoud", 25), ("vakdidactiek", 20), ("pedagogiek", 20), ("algemeen", 10),
           ("schoolontwikkeling", 12), ("beroepsgroep", 10), ("overig", 3)]
FIRST = ["Anna", "Jan", "Fatima", "Zoë", "Sanne", "Pieter-Jan", "Mohammed", "Eva", "Daan",
         "Lotte", "Bram", "Noor", "Ilse", "Thijs", "Femke", "Youssef", "Mila", "Sem"]
LAST = ["de Vries", "Jansen", "El Amrani", "Öztürk", "van den Berg", "Bakker", "'t Hooft",
        "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters"]
SCHOOLS = ["OSG Het Baken", "Stedelijk Gymnasium", "Basisschool De Regenboog",
           "ROC Midden Nederland", "Het Nieuwe Lyceum", "SO De Brug", "CSG Calvijn"]
TOPICS = ["Differentiëren in de klas", "Formatief evalueren", "Leesbevordering",
          "Rekendidactiek in de praktijk", "Klassenmanagement", "Passend onderwijs",
          "Begrijpend lezen", "Digitale geletterdheid", "Taalontwikkeling bij NT2-leerlingen",
          "Vakdidactiek en onderzoek", "Mentoraat en coaching", "Burgerschap",
          "Toetsconstructie", "Executieve functies", "Samenwerkend leren"]
PROVIDERS = ["Hogeschool Utrecht", "Fontys", "Universiteit Leiden", "CPS", "KPC Groep",
             "NIVOZ", "Windesheim", "Eigen school", "Vereniging van Wiskundeleraren",
             "Levende Talen"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


def hours(rng, low, high, decimals=True):
    if decimals and rng.random() < 0.3:
        return round(rng.uniform(low, high) * 4) / 4  # quarters: 12.25, 7.5
    return rng.randint(low, high)


def iso(d):
    return d.isoformat()


def portfolio(rng, n):
    year = rng.randint(2015, 2024)
    start = datetime.date(year, 8, 1) if rng.random() < 0.7 else \
        datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
    as_of = max(start, datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 5 * 365)))
    diligence = rng.random()  # how much the teacher keeps up: drives the outcomes
    teacher = {"id": "T%07d" % n, "name": "%s %s" % (rng.choice(FIRST), rng.choice(LAST)),
               "school": rng.choice(SCHOOLS)}
    if rng.random() < 0.4:
        teacher["consent_public_activities"] = rng.random() < 0.7
    p = {"teacher": teacher, "as_of": iso(as_of), "registration": {"start": iso(start)},
         "bevoegdheden": []}
    codes = []
    for _ in range(weighted(rng, [(1, 60), (2, 30), (3, 10)])):
        sector = weighted(rng, [("vo", 50), ("po", 25), ("mbo", 15), ("so", 10)])
        code = "%s-%s" % (sector, rng.choice(SUBJECTS[sector]))
        codes.append(code)
        b = {"code": code, "sector": sector, "herregistratie": rng.random() < 0.85, "work": []}
        y = start
        while y < as_of:
            if rng.random() < 0.95:
                b["work"].append({"date": iso(y + datetime.timedelta(days=rng.randint(300, 364))),
                                  "hours": hours(rng, int(150 + 300 * diligence), 500)})
            y = datetime.date(y.year + 1, y.month, min(y.day, 28))
        p["bevoegdheden"].append(b)
    if rng.random() < 0.1:
        p["voorportaal"] = [{"subject": rng.choice(SUBJECTS["vo"]),
                             "since": iso(as_of - datetime.timedelta(days=rng.randint(0, 1600))),
                             "extended": rng.random() < 0.3}]
    acts = []
    span = (as_of - start).days + 1
    for a in range(int(4 + diligence * 24 * min(span, 2000) / 2000)):
        d = start + datetime.timedelta(days=rng.randint(-120, span + 30))
        act = {"id": "A%d-%d" % (n, a + 1), "type": weighted(rng, TYPES),
               "domain": weighted(rng, DOMAINS), "date": iso(d),
               "contact_hours": hours(rng, 2, 40)}
        if rng.random() < 0.6:
            act["selfstudy_hours"] = hours(rng, 0, 20)
        if len(codes) > 1 and rng.random() < 0.3:
            act["bevoegdheden"] = [rng.choice(codes)]
        for flag, chance in (("validated", 0.6), ("evidence", 0.5), ("test_passed", 0.2)):
            if rng.random() < chance:
                act[flag] = rng.random() < 0.85
        if d < datetime.date(2018, 8, 1) and rng.random() < 0.3:
            act["source"] = "vrijwillig_register"
        act["title"] = rng.choice(TOPICS)
        act["provider"] = rng.choice(PROVIDERS)
        acts.append(act)
    p["activities"] = acts
    return p


def spoil(rng, p):
    """One data error; returns the line."""
    kind = rng.randrange(6)
    if kind == 0 and p["activities"]:
        p["activities"][0]["contact_hours"] = -1
    elif kind == 1:
        p["bevoegdheden"][0]["sector"] = "hbo"
    elif kind == 2:
        del p["registration"]
    elif kind == 3 and p["activities"]:
        p["activities"][-1]["selfstudy_hours"] = 1.125
    elif kind == 4:
        p["as_of"] = "2023-02-29"
    text = json.dumps(p, ensure_ascii=False)
    if kind == 5:
        text = text[:len(text) // 2]
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--errors", type=float, default=0.01)
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    for n in range(args.count):
        p = portfolio(rng, n)
        if rng.random() < args.errors:
            out.write(spoil(rng, p) + "\n")
        else:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
