/* fuzz-portfolio.c: fuzz target: any bytes as JSON Lines, decided with the shipped criteria. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_RULES_DIR
#define FUZZ_RULES_DIR "rules"
#endif

static RegProgram *program;
static RegBatch *batch;         /* JSON Lines, as `regel eval` decides them */
static RegEvaluator *explained; /* one portfolio, with the teacher's explanation */
static RegEvaluator *public_ev; /* one portfolio, public view, with the engineer's trace */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  fuzz_setup();
  /* FUZZ_RULES lets a copied binary find the criteria elsewhere */
  const char *dir = g_getenv("FUZZ_RULES") ? g_getenv("FUZZ_RULES") : FUZZ_RULES_DIR;
  RegCompiler *c = reg_compiler_new();
  GError *err = NULL;
  if (!reg_compiler_add_path(c, dir, &err) || !(program = reg_compiler_compile(c, &err))) {
    char *diags = reg_compiler_format_diagnostics(c);
    fprintf(stderr, "fuzz-portfolio: criteria %s: %s\n%s", dir, err->message, diags);
    exit(2);
  }
  reg_compiler_free(c);
  batch = reg_batch_new(program, 1);
  RegEvaluator *ev = reg_batch_get_evaluator(batch, 0);
  reg_evaluator_set_as_of(ev, "2023-09-01", NULL);
  reg_evaluator_set_budget(ev, FUZZ_BUDGET);
  reg_evaluator_set_memory_limit(ev, FUZZ_MEMORY);
  explained = fuzz_evaluator(program);
  reg_evaluator_set_explain_style(explained, REG_EXPLAIN_TEXTS);
  public_ev = fuzz_evaluator(program);
  FUZZ_CHECK(reg_evaluator_set_view(public_ev, "openbaar", NULL), "no public view");
  reg_evaluator_set_audit_fields(public_ev, FALSE);
  reg_evaluator_set_explain_style(public_ev, REG_EXPLAIN_TRACE);
  return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = size ? (const char *) data : "";

  /* the batch: exactly one JSON line out per line in */
  size_t lines = 0;
  for (const char *p = text, *end = text + size; p < end; lines++) {
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    p = nl ? nl + 1 : end;
  }
  GString *out = g_string_new(NULL);
  guint64 errors = 0;
  gsize decided = reg_batch_decide(batch, text, size, 1, out, &errors);
  FUZZ_CHECK(decided == lines, "%zu lines decided of %zu", (size_t) decided, lines);
  FUZZ_CHECK(errors <= lines, "more errors than lines");
  fuzz_check_lines(out->str, out->len, lines);
  g_string_free(out, TRUE);

  /* the whole input as one portfolio, through the single-decision API */
  fuzz_decide(explained, text, (gssize) size);
  fuzz_decide(public_ev, text, (gssize) size);
  return 0;
}
