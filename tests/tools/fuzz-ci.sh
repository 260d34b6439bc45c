#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz-compile, fuzz-load, fuzz-portfolio) with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer in a build directory of
# their own, and gives each a short run from a copy of its seed corpus plus its
# regressions. A crash, a sanitizer report, a leak or a hang (one input over
# 10 s) fails the run; the input that did it is kept and named. The three run
# at the same time, so the step takes about SECONDS plus the build.
#
# usage: bash tests/tools/fuzz-ci.sh [SECONDS]
#   SECONDS per target (default 60, or $FUZZ_SECONDS); $FUZZ_BUILD_DIR is the
#   build directory (default build-fuzz, kept for next time). docs/hardening.md
#   tells how to fuzz for hours and how a crash becomes a regression test.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$src/build-fuzz}"
secs="${1:-${FUZZ_SECONDS:-60}}"
targets=(fuzz-compile fuzz-load fuzz-portfolio)

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dvalgrind=disabled \
    -Dbuildtype=debugoptimized >/dev/null
fi
if ! meson compile -C "$build" "${targets[@]/#/tests/fuzz/}" >"$build/fuzz-compile.log" 2>&1; then
  cat "$build/fuzz-compile.log" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/libreg-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
export UBSAN_OPTIONS="print_stacktrace=1 ${UBSAN_OPTIONS:-}"

pids=()
for t in "${targets[@]}"; do
  # new inputs go to the copy (libFuzzer writes to the first directory only)
  mkdir -p "$work/$t"
  cp -R "$src/tests/fuzz/$t/." "$work/$t/"
  dict=()
  if [ -f "$src/tests/fuzz/$t.dict" ]; then dict=(-dict="$src/tests/fuzz/$t.dict"); fi
  "$build/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}" -artifact_prefix="$artifacts/$t-" \
    "$work/$t" "$src/tests/fuzz/regressions/$t" >"$work/$t.log" 2>&1 &
  pids+=($!)
done

failed=0
for i in "${!targets[@]}"; do
  t="${targets[$i]}"
  if wait "${pids[$i]}"; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")"
    echo "$t: ${runs:-?} inputs in ${secs} s, no crash"
  else
    failed=1
    echo "== $t FAILED; the end of its log:" >&2
    tail -n 60 "$work/$t.log" >&2
    echo "== the input is in $artifacts ($t-crash-*, -leak-*, -timeout-*, -oom-*);" >&2
    echo "   make it a regression test: docs/hardening.md, 'When the fuzzer finds something'" >&2
  fi
done
exit "$failed"
