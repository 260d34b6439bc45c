/* cmd-check.c: `regel check PATH...`: compile criteria and print every diagnostic. */
#include <string.h>

#include "regel.h"

int
regel_check(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "--help") == 0) {
    fprintf(argc < 2 ? stderr : stdout,
            "usage: regel check PATH...\n"
            "  Compiles the criteria files (or directories of *.regel files) together and\n"
            "  prints every diagnostic as file:line:col with the source line and a caret.\n"
            "  Exit 0 when clean, 1 when there are errors.\n");
    return argc < 2 ? REGEL_USAGE : REGEL_OK;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) p = regel_compile_paths(argv + 1, argc - 1, TRUE, &error);
  if (!p) {
    fprintf(stderr, "regel check: %s\n", error->message);
    return REGEL_FAIL;
  }
  return REGEL_OK;
}
