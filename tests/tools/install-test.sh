#!/usr/bin/env bash
# Installs the current build into a temporary directory and uses it as a host
# would: compiles against <libreg/libreg.h> through the installed pkg-config
# file, checks that libreg.so exports only reg_ symbols, builds examples/c-host
# with its own Makefile and runs it and the installed regel.
#
# usage: install-test.sh BUILD_DIR SOURCE_DIR [SANITIZE]
#   SANITIZE: the build's b_sanitize ("none", "address,undefined", ...): a
#   host of an instrumented library links the sanitizer runtimes too.
set -euo pipefail
build="$(cd "$1" && pwd)"
src="$(cd "$2" && pwd)"
sanitize="${3:-none}"
cc="${CC:-cc}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/libreg-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install-test: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install failed"; }

# The installed pkg-config file, relocated into the destdir: its prefix= is
# where `meson install` without --destdir would have put everything.
pc="$(find "$tmp/root" -name libreg.pc -path '*/pkgconfig/*' | head -n 1)"
[ -n "$pc" ] || fail "no libreg.pc installed"
mkdir -p "$tmp/pkgconfig"
sed "s|^prefix=|prefix=$tmp/root|" "$pc" >"$tmp/pkgconfig/libreg.pc"
export PKG_CONFIG_PATH="$tmp/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
libdir="$(pkg-config --variable=libdir libreg)"
includedir="$(pkg-config --variable=includedir libreg)"
[ -f "$includedir/libreg/libreg.h" ] || fail "libreg/libreg.h not installed in $includedir"
[ -f "$includedir/libreg/libreg-version.h" ] || fail "libreg-version.h not installed"
[ -e "$libdir/libreg.so" ] || fail "libreg.so not installed in $libdir"
if ls "$includedir"/libreg/*-private.h >/dev/null 2>&1; then fail "private headers installed"; fi
regel="$(find "$tmp/root" -type f -name regel -perm -u+x | head -n 1)"
[ -n "$regel" ] || fail "regel not installed"

san_flags=()
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then san_flags=("-fsanitize=$sanitize"); fi
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# (a) the public header alone, strict C11, through pkg-config; and a link
cat >"$tmp/header.c" <<'C'
#include <libreg/libreg.h>

int main(void)
{
  g_autoptr(RegProgram) program = NULL;
  g_autoptr(RegInput) input = NULL;
  g_autoptr(RegDecision) decision = NULL;
  (void) program;
  (void) input;
  (void) decision;
  return reg_version_string()[0] == REG_VERSION_STRING[0] ? 0 : 1;
}
C
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Wextra -pedantic -Werror "${san_flags[@]}" $(pkg-config --cflags libreg) \
  -o "$tmp/header" "$tmp/header.c" $(pkg-config --libs libreg) ||
  fail "<libreg/libreg.h> does not compile with -std=c11 -Wall -Wextra -pedantic -Werror"
"$tmp/header" || fail "a program linked against the installed libreg does not run"
echo "ok: <libreg/libreg.h> compiles alone with -std=c11 -Wall -Wextra -pedantic -Werror"

# (b) every exported symbol is reg_*
so="$(readlink -f "$libdir/libreg.so")"
exported="$(nm -D --defined-only "$so" | awk '$2 != "A" { print $3 }' | sed 's/@.*//' | sort -u)"
[ -n "$exported" ] || fail "nm found no symbols in $so"
others="$(grep -v '^reg_' <<<"$exported" || true)"
[ -z "$others" ] || fail "libreg.so exports symbols without the reg_ prefix: $(echo $others)"
for f in reg_input_new reg_evaluator_decide_input reg_decision_get_text reg_program_new_from_file; do
  grep -qx "$f" <<<"$exported" || fail "libreg.so does not export $f"
done
echo "ok: libreg.so exports $(wc -l <<<"$exported") symbols, all reg_*"

# (c) examples/c-host with its own Makefile, against the installed library
cp -r "$src/examples/c-host" "$tmp/c-host"
rm -f "$tmp/c-host/c-host"
make -s -C "$tmp/c-host" CC="$cc" CFLAGS="-O2 -Werror ${san_flags[*]}" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log" >&2; fail "examples/c-host does not build against the installed libreg"; }
status=0
"$tmp/c-host/c-host" "$src/rules" "$src/examples/portfolios.jsonl" >"$tmp/table.txt" || status=$?
[ "$status" = 1 ] || fail "c-host exited $status, expected 1 (the examples have error lines)"
for want in "T900001     vo-wiskunde                geregistreerd" \
            "T900002     po-groepsleerkracht        risico" \
            "T900006     vo-frans                   begeleiding" \
            "ERROR: activities[0].contact_hours: negative"; do
  grep -qF -- "$want" "$tmp/table.txt" || { cat "$tmp/table.txt" >&2; fail "c-host output lacks '$want'"; }
done
[ "$(wc -l <"$tmp/table.txt")" -ge 16 ] || fail "c-host printed too few rows"
echo "ok: examples/c-host builds with pkg-config and decides examples/portfolios.jsonl"

# the installed regel decides as the built one
"$regel" compile "$src/rules" -o "$tmp/criteria.rbc" >/dev/null
"$tmp/c-host/c-host" "$tmp/criteria.rbc" "$src/examples/portfolios.jsonl" >"$tmp/table2.txt" || true
cmp -s "$tmp/table.txt" "$tmp/table2.txt" || fail "c-host decides differently from compiled criteria"
"$regel" eval --rules "$tmp/criteria.rbc" "$src/examples/portfolios.jsonl" >"$tmp/a.jsonl" || true
"$build/tools/regel" eval --rules "$src/rules" "$src/examples/portfolios.jsonl" >"$tmp/b.jsonl" || true
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" || fail "the installed regel decides differently"
echo "ok: regel installed in ${regel#"$tmp/root"}"
