/* cmd-eval.c: `regel eval`: decide portfolios (not yet written). */
#include "regel.h"

int
regel_eval(int argc, char **argv)
{
  (void) argc;
  (void) argv;
  fprintf(stderr, "regel eval: not implemented yet\n");
  return REGEL_USAGE;
}
