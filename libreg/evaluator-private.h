/* evaluator-private.h: one thread's evaluation state: arena, VM, reader and options. */
#pragma once

#include "arena-private.h"
#include "explain-private.h"
#include "buf-private.h"
#include "portfolio-private.h"
#include "vm-private.h"

#define REG_DEFAULT_BUDGET INT64_C(50000000)

typedef enum {
  REG_DECIDE_OK = 0,
  REG_DECIDE_DATA,      /* the portfolio broke the schema or a requirement */
  REG_DECIDE_MALFORMED, /* not JSON */
  REG_DECIDE_RUNTIME,   /* budget, memory, arithmetic, a rule not in effect */
} RegDecideStatus;

struct _RegEvaluator {
  RegProgram *p;
  RegArena arena;
  RegVM vm;
  RegReader reader;
  RegBuf scratch;
  int64_t asof;
  bool has_asof;
  uint32_t view;
  bool audit_fields; /* ruleset, input_sha256, engine */
  RegExplain *explain; /* when explaining */
  RegExplainStyle explain_style;
  int64_t budget;
  char *error;      /* message of the last failed decision */
  RegDecideStatus last;
  RegValue result;  /* the output record of the last decision (in the arena) */
  uint32_t result_view; /* the view @result is a record of */
};

/*
 * Decides one input line and appends exactly one JSON line (without newline)
 * to @out: the decision, or an error line {"line", "teacher", "error"} when
 * @lineno > 0 (without "line" otherwise). @sha is the input's SHA-256 when
 * the caller already has it (batches hash many lines at once), else NULL.
 */
RegDecideStatus reg_evaluator_decide_line(RegEvaluator *ev, const char *line, size_t len,
                                          const uint8_t *sha, uint64_t lineno, RegBuf *out);

/* The same for a portfolio already built in ev->arena (hosts that do not use JSON);
 * @sha is the SHA-256 recorded as input_sha256 (needed when audit fields are on). */
RegDecideStatus reg_evaluator_decide_value(RegEvaluator *ev, RegValue input, int64_t asof,
                                           const uint8_t *sha, uint64_t lineno, RegBuf *out);

/* Installs trace hooks of the caller's (coverage, ...) instead of explanations; NULL removes. */
void reg_evaluator_set_trace(RegEvaluator *ev, const RegTraceHooks *hooks);

/* The evaluation date: the portfolio's own, else the evaluator's; false, with the "missing"
 * data error recorded in @ev (last, error), when there is neither. */
bool reg_evaluator_asof(RegEvaluator *ev, bool have_own, int64_t own, int64_t *asof);
