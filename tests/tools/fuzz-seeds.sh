#!/usr/bin/env bash
# fuzz-load starts from compiled criteria (tests/fuzz/fuzz-load/*.regb). A new
# format version would make the loader reject them at once and leave fuzz-load
# only the header to explore: `check` fails then, and `update` compiles them
# anew from the shipped criteria and the snippets of fuzz-compile's corpus.
#
# usage: bash tests/tools/fuzz-seeds.sh check|update REGEL
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
mode="${1:-}"
regel="$(cd "$(dirname "${2:-}")" && pwd)/$(basename "${2:-}")"
seeds="$src/tests/fuzz/fuzz-load"
case "$mode" in
update)
  # paths relative to the source tree: they are written into the files
  cd "$src"
  "$regel" compile rules -o tests/fuzz/fuzz-load/rules.regb
  for f in tests/fuzz/fuzz-compile/snippet-*.regel; do
    "$regel" compile "$f" -o "tests/fuzz/fuzz-load/$(basename "$f" .regel).regb"
  done
  echo "$(ls "$seeds"/*.regb | wc -l) seeds written"
  ;;
check)
  n=0
  for f in "$seeds"/*.regb; do
    if ! "$regel" disasm "$f" >/dev/null; then
      echo "$f no longer loads; run: bash tests/tools/fuzz-seeds.sh update $2" >&2
      exit 1
    fi
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || { echo "no seeds in $seeds" >&2; exit 1; }
  echo "$n seeds load"
  ;;
*)
  echo "usage: $0 check|update REGEL" >&2
  exit 2
  ;;
esac
