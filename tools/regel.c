/* regel.c: the `regel` command: dispatches to one subcommand per file. */
#include <locale.h>
#include <string.h>

#include "regel.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "check", regel_check, "check criteria files and print every diagnostic" },
  { "compile", regel_compile, "compile criteria files to bytecode (-o FILE)" },
  { "disasm", regel_disasm, "list a compiled file's bytecode with source lines" },
  { "eval", regel_eval, "decide portfolios (JSON Lines) with criteria" },
  { "test", regel_test, "run the criteria's test cases (*.regeltest), with coverage" },
  { "diff", regel_diff, "impact of a criteria change on a corpus of portfolios" },
  { "mutate", regel_mutate, "change the criteria a little at a time; report changes no test notices" },
  { "replay", regel_replay, "decide recorded decisions again and report every difference" },
  { "audit", regel_audit, "verify a decision archive's hash chain and replay its decisions" },
  { "fmt", regel_fmt, "lay criteria files out in the canonical way (--check: only list them)" },
};

static void
usage(FILE *out)
{
  fprintf(out, "usage: regel COMMAND [ARGS...]\n\ncommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n'regel COMMAND --help' describes a command. libreg %s\n", reg_version_string());
}

int
main(int argc, char **argv)
{
  /* Diagnostics in the language of LANGUAGE/LC_MESSAGES/LANG (po/); only the messages'
   * category, so that numbers and text are read and written the same in every locale. */
  setlocale(LC_MESSAGES, "");
  if (argc < 2) {
    usage(stderr);
    return REGEL_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return REGEL_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("regel (libreg) %s\n", reg_version_string());
    return REGEL_OK;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "regel: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return REGEL_USAGE;
}
