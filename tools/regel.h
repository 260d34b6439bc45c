/* regel.h: the subcommands of the `regel` command and the helpers they share. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "libreg/libreg.h"

int regel_check(int argc, char **argv);
int regel_compile(int argc, char **argv);
int regel_disasm(int argc, char **argv);
int regel_eval(int argc, char **argv);
int regel_test(int argc, char **argv);
int regel_mutate(int argc, char **argv);
int regel_diff(int argc, char **argv);
int regel_replay(int argc, char **argv);
int regel_audit(int argc, char **argv);
int regel_fmt(int argc, char **argv);

/*
 * Loads criteria from a compiled file (recognised by its magic number), a
 * source file or a directory of sources. Diagnostics go to stderr.
 */
RegProgram *regel_load_rules(const char *path, GError **error);
/* Same, for several source paths compiled together. */
RegProgram *regel_compile_paths(char **paths, int n, gboolean print_diagnostics, GError **error);

/* Exit codes shared by the subcommands. */
enum {
  REGEL_OK = 0,
  REGEL_FAIL = 1,  /* errors in the input (criteria or data) */
  REGEL_USAGE = 2, /* bad command line or unusable criteria */
};
