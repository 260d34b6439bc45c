/* cmd-disasm.c: `regel disasm FILE`: list compiled bytecode with its source lines. */
#include <string.h>

#include "regel.h"

int
regel_disasm(int argc, char **argv)
{
  if (argc != 2 || strcmp(argv[1], "--help") == 0) {
    fprintf(argc != 2 ? stderr : stdout,
            "usage: regel disasm FILE\n"
            "  Lists the functions and instructions of compiled criteria (or of a source\n"
            "  file or directory, compiled first) with the source line of each.\n");
    return argc != 2 ? REGEL_USAGE : REGEL_OK;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) p = regel_load_rules(argv[1], &error);
  if (!p) {
    fprintf(stderr, "regel disasm: %s\n", error->message);
    return REGEL_FAIL;
  }
  g_autofree char *text = reg_program_disassemble(p);
  fputs(text, stdout);
  return REGEL_OK;
}
