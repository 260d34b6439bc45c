#!/usr/bin/env bash
# Runs every test: the suite in a normal build (with valgrind on the
# end-to-end tests), then the whole suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer, the thread tests under ThreadSanitizer
# (tests/tools/tsan.sh), then each fuzz target for a minute (clang,
# tests/tools/fuzz-ci.sh). Warnings are errors in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

if [ ! -d build ]; then meson setup build >/dev/null; fi
meson compile -C build
meson test -C build --print-errorlogs --num-processes "$jobs"

if [ ! -d build-san ]; then
  meson setup build-san -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=all -Dvalgrind=disabled >/dev/null
fi
meson compile -C build-san
meson test -C build-san --print-errorlogs --num-processes "$jobs"

# One program shared by 8 threads, and batches on several threads, under
# ThreadSanitizer (clang, a build of its own in a temporary directory).
bash tests/tools/tsan.sh

# A minute of each libFuzzer target (clang, ASan+UBSan) in build-fuzz.
bash tests/tools/fuzz-ci.sh
echo "all tests passed (normal build, ASan+UBSan, ThreadSanitizer, and a minute of each fuzz target)"
