#!/usr/bin/env bash
# The main job: installs what is missing, builds, and decides the example
# portfolios with the shipped criteria, printing the decisions (JSON Lines)
# and then a readable summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
if [ ! -d build ]; then meson setup build >/dev/null; fi
meson compile -C build >/dev/null
status=0
build/tools/regel eval --rules rules examples/portfolios.jsonl > build/example-decisions.jsonl || status=$?
cat build/example-decisions.jsonl
echo
python3 examples/summary.py build/example-decisions.jsonl
echo
echo "regel eval exit status: $status (1 = some lines had data errors, as the examples intend)"
