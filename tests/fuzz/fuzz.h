/* fuzz.h: what the fuzz targets share: libFuzzer's entry points, checks of the API's promises. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "libreg/libreg.h"

/* The entry points libFuzzer (or tests/fuzz/driver.c, for replays) calls. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A broken promise of the library: abort, so that libFuzzer keeps the input
 * as a crash and a replay fails. Not assert(): it must also hold in release
 * builds.
 */
#define FUZZ_CHECK(cond, ...)                                                                \
  do {                                                                                       \
    if (G_UNLIKELY(!(cond)))                                                                 \
      fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                     \
  } while (0)

G_GNUC_NORETURN void fuzz_fail(const char *file, int line, const char *cond, const char *fmt,
                               ...) G_GNUC_PRINTF(4, 5);

/* Makes GLib criticals and warnings fatal: a g_return_if_fail() hit by input is a bug. */
void fuzz_setup(void);

/* Limits the targets decide with: small enough that slow inputs stay fast. */
#define FUZZ_BUDGET 2000000
#define FUZZ_MEMORY ((gsize) 64 << 20)

/* An evaluator for @p with the fuzz limits and a fixed date for portfolios without one. */
RegEvaluator *fuzz_evaluator(RegProgram *p);

/*
 * Checks the output of deciding @n_lines lines: exactly @n_lines lines, each
 * one JSON object (a decision or an error line).
 */
void fuzz_check_lines(const char *out, size_t len, size_t n_lines);

/*
 * Decides @json with @ev and checks what deciding promises: on success one
 * JSON object, and reg_evaluator_get_decision() begins it; on failure an
 * error of REG_EVAL_ERROR and no decision.
 */
void fuzz_decide(RegEvaluator *ev, const char *json, gssize len);

/*
 * Appends a portfolio shaped by the input schema of @p: every field present
 * with a value of its type (lists with one element), so that mutated
 * programs run on data they can read. Bounded in size whatever the schema.
 * With @escape_all, keys, members and texts are written with \u escapes.
 */
void fuzz_schema_portfolio(RegProgram *p, gboolean escape_all, GString *out);

/* Decides the fixed portfolios (empty, schema-shaped plain and escaped, two of the spec's
 * examples) in every view. */
void fuzz_decide_fixed(RegProgram *p);
