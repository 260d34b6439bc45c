#!/usr/bin/env bash
# Builds the library, the threaded tests and regel with clang and ThreadSanitizer
# in a temporary directory, and runs test-threads, test-host and `regel eval
# --jobs` (several chunks of a file, decided ahead while written) there: any
# data race fails the run.
#
# usage: bash tests/tools/tsan.sh [BUILD_DIR]
#   BUILD_DIR (or $TSAN_BUILD_DIR) keeps the build for next time; without it a
#   temporary directory is used and removed afterwards.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-${TSAN_BUILD_DIR:-}}"
if [ -z "$build" ]; then
  build="$(mktemp -d "${TMPDIR:-/tmp}/libreg-tsan.XXXXXX")"
  trap 'rm -rf "$build"' EXIT
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Db_sanitize=thread -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dvalgrind=disabled >/dev/null
fi
if ! meson compile -C "$build" tests/test-threads tests/test-host tools/regel >"$build/compile.log" 2>&1; then
  cat "$build/compile.log" >&2
  exit 1
fi
export SRCDIR="$src"
export CK_FORK=no                 # no fork() in a process TSan watches
export G_SLICE=always-malloc      # GLib's slice magazines synchronize out of TSan's sight
export CK_DEFAULT_TIMEOUT=600
export TEST_THREADS_ROUNDS="${TEST_THREADS_ROUNDS:-3}"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
for t in test-threads test-host; do
  echo "== $t (ThreadSanitizer)"
  "$build/tests/$t"
done
echo "== regel eval --jobs (ThreadSanitizer)"
python3 "$src/tests/tools/jobs_identical.py" "$build/tools/regel" "$src/rules" 3000
echo "ThreadSanitizer: no data races in test-threads, test-host and regel eval --jobs"
