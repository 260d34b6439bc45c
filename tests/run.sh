#!/usr/bin/env bash
# Runs every test: the suite in a normal build (with valgrind on the
# end-to-end tests), then the whole suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer. Warnings are errors in both builds.
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
echo "all tests passed (normal build, and ASan+UBSan)"
