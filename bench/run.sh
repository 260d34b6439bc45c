#!/usr/bin/env bash
# Runs libreg's benchmarks beside the peers of ../shared/bench on the same data, in one
# run, and prints the ratios that issue 4 sets (see bench/RESULTS.md for the latest).
#
#   bash bench/run.sh            everything (~10 minutes on 2 idle cores)
#   bash bench/run.sh --quick    2 runs per figure instead of 5
#   RUNS=7 bash bench/run.sh     more runs per figure
#
# What it does:
#  1. builds build-bench/ (release, link-time optimisation, no tests);
#  2. prepares the peers' harness in bench/peers-run/ (bench/peers.sh verify: its data,
#     spawnrss timer, npm packages, and a check that our R1 agrees with ref_r1.py);
#  3. generates bench/data/s100k.jsonl, 100,000 portfolios shaped as formats.md, for the
#     shipped criteria (bench/gen-portfolios.py, seed 1);
#  4. times whole processes round-robin (bench/interleave.py, with the harness's
#     wholeproc timer): the fastest peer (plain JavaScript) and `regel eval --rules
#     bench/r1` (1 and 2 jobs) on the peers' 100k file, the shipped criteria on s100k;
#     then peak RSS on 1,000,000 portfolios (the 100k file ten times through a pipe);
#  5. evaluation only against hand-written C (bench/r1.c), compile and load times
#     (bench/load-bench.c);
#  6. prints the table with the ratios (bench/report.py); raw figures in bench/results/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
runs=${RUNS:-5}
[ "${1:-}" = "--quick" ] && runs=2

# ------------------------------------------------------------------ 1. build
if [ ! -d build-bench ]; then
  meson setup build-bench --buildtype=release -Db_lto=true -Dtests=false >/dev/null
fi
ninja -C build-bench >/dev/null
regel=$root/build-bench/tools/regel
r1=$root/build-bench/bench/r1

# ------------------------------------------------------------------ 2. peers' harness
R1_C_ENGINE=$r1 bash bench/peers.sh verify
peers=$root/bench/peers-run
p100k=$peers/data/p100k.jsonl
p10k=$peers/data/p10k.jsonl
wholeproc() { python3 "$peers/wholeproc.py" -n "$runs" --warmup 1 "$@"; }

# ------------------------------------------------------------------ 3. shipped-criteria data
mkdir -p bench/data bench/results
s100k=bench/data/s100k.jsonl
if [ ! -s "$s100k" ]; then
  python3 bench/gen-portfolios.py 100000 --seed 1 --errors 0 -o "$s100k.tmp" && mv "$s100k.tmp" "$s100k"
fi
"$regel" compile rules -o bench/data/rules.regb
"$regel" compile bench/r1 -o bench/data/r1.regb

# ------------------------------------------------------------------ 4. whole processes
out=bench/results/e2e.jsonl
: >"$out"
echo "== end to end: $runs rounds after a warm-up, every command once per round"
# Round-robin (bench/interleave.py), so that a burst of the shared host's noise hits every
# command of a round instead of one command's whole series; report.py also takes the
# ratios within each round.
spec=bench/results/e2e-spec.json
python3 - "$spec" <<PY
import json, sys
regel, r1, peers = "$regel", "$r1", "$peers"
p100k, s100k = "$p100k", "$s100k"
spec = [
  {"label": "plain JS (node), R1",
   "cmd": ["node", peers + "/peers/r1_plain.js", "e2e", p100k, "/tmp/bench-js.tsv"]},
  {"label": "regel eval, R1", "cmd": [regel, "eval", "--rules", "bench/data/r1.regb", p100k]},
  {"label": "regel eval --jobs 2, R1",
   "cmd": [regel, "eval", "--jobs", "2", "--rules", "bench/data/r1.regb", p100k]},
  {"label": "r1 e2e (TSV), R1", "cmd": [r1, "e2e", p100k, "/tmp/bench-r1.tsv"]},
  {"label": "regel eval, shipped criteria",
   "cmd": [regel, "eval", "--rules", "bench/data/rules.regb", s100k]},
  {"label": "regel eval --jobs 2, shipped criteria",
   "cmd": [regel, "eval", "--jobs", "2", "--rules", "bench/data/rules.regb", s100k]},
]
json.dump(spec, open(sys.argv[1], "w"), indent=1)
PY
python3 bench/interleave.py "$peers" "$spec" "$out" -n "$runs" --warmup 1
wholeproc --json "$out" --label "regel eval, R1, 1M portfolios through a pipe" -n 1 --warmup 0 \
  -- sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$p100k'; done | '$regel' eval --rules bench/data/r1.regb"
# the same answers as the peer on the whole file (the harness checked both on 10k)
cmp /tmp/bench-r1.tsv /tmp/bench-js.tsv || { echo "bench: R1 differs from plain JS" >&2; exit 1; }

# ------------------------------------------------------------------ 5. in-process figures
echo "== evaluation only, against hand-written C"
"$r1" eval "$p10k" 10000 3 | tee bench/results/eval.jsonl
node "$peers/peers/r1_plain.js" eval "$p10k" 10000 3 | tee -a bench/results/eval.jsonl
echo "== compiling and loading the shipped criteria"
"$root/build-bench/bench/load-bench" rules 200 | tee bench/results/load.jsonl

# ------------------------------------------------------------------ 6. report
python3 bench/report.py bench/results "$p100k" "$s100k"
